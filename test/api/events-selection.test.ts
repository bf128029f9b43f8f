// An events page brings its participants and citations, with their actors and sources, in its
// own statement, reading of each the columns its selection needs (src/graphql/selection.ts,
// ROW_FIELD_COLUMNS): every field of the four types, asked alone, answers what it answers when
// the page reads whole rows; the statement leaves out the columns nothing asked for. Over HTTP,
// on the seeded DPRK–Russia data.
import fs from 'node:fs';
import { buildSchema, getNamedType, isLeafType, isObjectType, type GraphQLObjectType } from 'graphql';
import { SCHEMA_PATH } from '../../src/graphql/apollo';
import { ROW_FIELD_COLUMNS } from '../../src/graphql/selection';
import { startTestServer, type TestServer } from '../support/server';

let server: TestServer;
let statements: string[] | null = null;
beforeAll(async () => {
  server = await startTestServer({ seedOnStart: true });
  server.db.onStatement((s) => statements?.push(s.query));
});
afterAll(() => server.stop());

const schema = buildSchema(fs.readFileSync(SCHEMA_PATH, 'utf8'));
const type = (name: string) => schema.getType(name) as GraphQLObjectType;
const fieldsOf = (name: string) => Object.keys(type(name).getFields());

/** A field's selection: its name, and for an object its leaf fields without required arguments (one level down). */
function selectionOf(parent: string, name: string): string {
  const named = getNamedType(type(parent).getFields()[name].type);
  if (isLeafType(named)) return name;
  if (!isObjectType(named)) throw new Error(`${parent}.${name}: not an object`);
  const leaves = Object.values(named.getFields()).filter((f) => isLeafType(getNamedType(f.type)) && !f.args.some((a) => a.type.toString().endsWith('!')));
  return `${name} { ${leaves.map((f) => f.name).join(' ')} }`;
}

/** Where each type sits in an events page: the list field of the event, and the object field of its items. */
const PATH: Record<keyof typeof ROW_FIELD_COLUMNS, [list: string, inner?: string]> = {
  Participant: ['participants'],
  Actor: ['participants', 'actor'],
  Citation: ['citations'],
  Source: ['citations', 'source'],
};
const at = ([list, inner]: [string, string?], selection: string) => `${list} { ${inner ? `${inner} { ${selection} }` : selection} }`;

async function page(node: string): Promise<Record<string, unknown>[]> {
  const res = await server.gql(`{ events(first: 25) { edges { node { id ${node} } } } }`);
  expect(res.errors).toBeUndefined();
  return (res.data as { events: { edges: { node: Record<string, unknown> }[] } }).events.edges.map((e) => e.node);
}

test('maps every field of the four types, and nothing else', () => {
  for (const [name, map] of Object.entries(ROW_FIELD_COLUMNS)) expect([name, Object.keys(map).sort()]).toEqual([name, fieldsOf(name).sort()]);
});

test('each field asked alone answers as when asked with all the others', async () => {
  type Item = Record<string, Record<string, unknown>>;
  for (const name of Object.keys(PATH) as (keyof typeof PATH)[]) {
    const [list, inner] = PATH[name];
    const whole = await page(at(PATH[name], fieldsOf(name).map((f) => selectionOf(name, f)).join(' ')));
    // The seed's events have participants and citations: each field is checked on real rows.
    expect((whole as Record<string, unknown[]>[]).filter((node) => node[list].length > 0).length).toBeGreaterThan(3);
    for (const field of fieldsOf(name)) {
      const alone = await page(at(PATH[name], selectionOf(name, field)));
      // The whole answer with only this field kept.
      const expected = whole.map((node) => ({
        id: node.id,
        [list]: (node[list] as Item[]).map((item) => (inner ? { [inner]: { [field]: item[inner][field] } } : { [field]: item[field] })),
      }));
      expect([name, field, alone]).toEqual([name, field, expected]);
    }
  }
});

test('the statement reads the columns asked for, through aliases, fragments and @include', async () => {
  const read = async (node: string, variables = '') => {
    statements = [];
    const res = await server.gql(`query${variables ? `(${variables})` : ''} { events(first: 10) { edges { node { id ${node} } } } }
       ${node.includes('...A') ? 'fragment A on Actor { label: name }' : ''}`);
    expect(res.errors).toBeUndefined();
    const sql = statements.find((s) => s.includes('AS participants') || s.includes('AS citations'));
    statements = null;
    expect(sql).toBeDefined();
    return sql!;
  };
  const nameOnly = await read('participants { actor { ...A } }');
  expect(nameOnly).toContain('a.name');
  expect(nameOnly).not.toContain('a.description');
  expect(nameOnly).not.toContain('p.span_start');

  const included = await read('participants { actor { kind @include(if: $yes) description @include(if: $no) } }', '$yes: Boolean = true, $no: Boolean = false');
  expect(included).toContain('a.kind');
  expect(included).not.toContain('a.description');

  const citations = await read('citations { excerpt source { title } }');
  expect(citations).toContain('c.excerpt');
  expect(citations).toContain('so.title');
  expect(citations).not.toContain('so.url');
  expect(citations).not.toContain('c.evidence_type');

  // Through the Node interface anything but the id reads the whole row.
  expect(await read('participants { actor { ... on Node { id } } }')).not.toContain('a.description');
  expect(await read('citations { source { ... on Node { __typename id } } }')).not.toContain('so.url');
});
