// A timeline page reads the node columns its selection needs (src/graphql/selection.ts): every
// field of every node type, asked alone, answers what it answers when the page reads whole
// nodes; the statement leaves out the columns nothing asked for. Over HTTP, on the seeded
// DPRK–Russia feed (events, shipments and affiliations).
import fs from 'node:fs';
import { buildSchema, getNamedType, isLeafType, isObjectType, type GraphQLObjectType } from 'graphql';
import { actorId } from '../../seed/ids';
import { SCHEMA_PATH } from '../../src/graphql/apollo';
import { NODE_FIELD_COLUMNS } from '../../src/graphql/selection';
import { startTestServer, type TestServer } from '../support/server';

let server: TestServer;
let statements: string[] | null = null;
beforeAll(async () => {
  server = await startTestServer({ seedOnStart: true });
  server.db.onStatement((s) => statements?.push(s.query));
});
afterAll(() => server.stop());

const schema = buildSchema(fs.readFileSync(SCHEMA_PATH, 'utf8'));
const TYPES = { EVENT: 'Event', SHIPMENT: 'Shipment', AFFILIATION: 'Affiliation' } as const;

/** A field's selection: its name, and for an object its leaf fields (one level down). */
function selectionOf(type: GraphQLObjectType, name: string): string {
  const field = type.getFields()[name];
  const named = getNamedType(field.type);
  if (isLeafType(named)) return name;
  if (!isObjectType(named)) throw new Error(`${type.name}.${name}: not an object`);
  const leaves = Object.values(named.getFields()).filter((f) => isLeafType(getNamedType(f.type)) && !f.args.some((a) => a.type.toString().endsWith('!')));
  return `${name} { ${leaves.map((f) => f.name).join(' ')} }`;
}

const fieldsOf = (type: string) => Object.keys((schema.getType(type) as GraphQLObjectType).getFields());

function feed(node: string): string {
  return `query($ids: [ID!]!) { timeline(actorIds: $ids, first: 100) { edges { kind at { start end } node { ${node} } } } }`;
}

async function page(node: string): Promise<{ kind: string; node: Record<string, unknown> }[]> {
  const res = await server.gql(feed(node), { ids: [actorId('dprk')] });
  expect(res.errors).toBeUndefined();
  return (res.data as { timeline: { edges: { kind: string; node: Record<string, unknown> }[] } }).timeline.edges;
}

test('maps every field of the three node types, and nothing else', () => {
  for (const [kind, type] of Object.entries(TYPES)) {
    expect(Object.keys(NODE_FIELD_COLUMNS[kind as keyof typeof TYPES]).sort()).toEqual(fieldsOf(type).sort());
  }
});

test('each field asked alone answers as when asked with all the others', async () => {
  for (const [kind, type] of Object.entries(TYPES)) {
    const selection = (field: string) => selectionOf(schema.getType(type) as GraphQLObjectType, field);
    const whole = await page(`... on ${type} { ${fieldsOf(type).map(selection).join(' ')} }`);
    // The seed's feed has every kind: each field is checked on real rows.
    expect(whole.filter((e) => e.kind === kind).length).toBeGreaterThan(0);
    for (const field of fieldsOf(type)) {
      const alone = await page(`... on ${type} { ${selection(field)} }`);
      const expected = whole.map((e) => (e.kind === kind ? { [field]: e.node[field] } : {}));
      expect([type, field, alone.map((e) => e.node)]).toEqual([type, field, expected]);
    }
  }
});

test('the statement reads the columns asked for, through aliases, fragments and @include', async () => {
  const read = async (node: string, variables = '') => {
    statements = [];
    const res = await server.gql(
      `query($ids: [ID!]!${variables}) { timeline(actorIds: $ids, first: 10) { edges { node { ${node} } } } }
       ${node.includes('... E') ? 'fragment E on Event { headline: title }' : ''}`,
      { ids: [actorId('dprk')] },
    );
    expect(res.errors).toBeUndefined();
    const sql = statements.find((s) => s.includes('"EVENT.id"'));
    statements = null;
    expect(sql).toBeDefined();
    return sql!;
  };
  const titleOnly = await read('... E');
  expect(titleOnly).toContain('"EVENT.title"');
  expect(titleOnly).not.toContain('"EVENT.description"');
  expect(titleOnly).not.toContain('"EVENT.createdAt"');
  expect(titleOnly).not.toContain('"SHIPMENT.quantity"');
  expect(titleOnly).toContain('"SHIPMENT.supplierId"'); // tells a shipment from the other kinds

  const included = await read('... on Event { description @include(if: $yes) createdAt @include(if: $no) }', ', $yes: Boolean = true, $no: Boolean = false');
  expect(included).toContain('"EVENT.description"');
  expect(included).not.toContain('"EVENT.createdAt"');

  const shipment = await read('... on Shipment { quantity recipient { name } }');
  expect(shipment).toContain('"SHIPMENT.quantity"');
  expect(shipment).toContain('"SHIPMENT.recipientId"');
  expect(shipment).not.toContain('"SHIPMENT.route"');

  // Through the Node interface only the id can be asked, and it is always read.
  const viaInterface = await read('... on Node { id }');
  expect(viaInterface).not.toContain('"EVENT.description"');
});
