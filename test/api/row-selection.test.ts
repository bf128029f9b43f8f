// Pages read the columns their selection needs (src/graphql/selection.ts), of their own rows (an
// events page's events) and of the related rows they bring in the same statement
// (ROW_FIELD_COLUMNS): an events page its participants and citations with their actors and
// sources, a shipments page and a timeline page the actors they name. Every field, asked alone,
// answers what it answers when the page reads whole rows; the statement leaves out the columns
// nothing asked for. Over HTTP, on the seeded DPRK–Russia data.
import { actorId } from '../../seed/ids';
import { ROW_FIELD_COLUMNS } from '../../src/graphql/selection';
import { instant } from '../support/knowledge-time';
import { expectColumns, fieldsOf, selectionOf, useSeededServer } from '../support/selection';

const seeded = useSeededServer();
const { statementOf } = seeded;

/** Where each type sits in an events page: the list field of the event, and the object field of its items. */
const PATH: Record<keyof typeof ROW_FIELD_COLUMNS, [list: string, inner?: string]> = {
  Participant: ['participants'],
  Actor: ['participants', 'actor'],
  Citation: ['citations'],
  Source: ['citations', 'source'],
};
const at = ([list, inner]: [string, string?], selection: string) => `${list} { ${inner ? `${inner} { ${selection} }` : selection} }`;

async function page(node: string): Promise<Record<string, unknown>[]> {
  const res = await seeded.server.gql(`{ events(first: 25) { edges { node { id ${node} } } } }`);
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
    const whole = await page(
      at(
        PATH[name],
        fieldsOf(name)
          .map((f) => selectionOf(name, f))
          .join(' '),
      ),
    );
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

test("an events page's events: each field alone as with all the others", async () => {
  const whole = await page(
    fieldsOf('Event')
      .map((f) => selectionOf('Event', f))
      .join(' '),
  );
  expect(whole.length).toBeGreaterThan(3);
  for (const field of fieldsOf('Event')) {
    expect(['Event', field, await page(selectionOf('Event', field))]).toEqual(['Event', field, whole.map((node) => ({ id: node.id, [field]: node[field] }))]);
  }
});

test('the actors of a shipments page and of a timeline page: each field alone as with all the others', async () => {
  const pages = {
    shipments: (actor: string) => `{ shipments(first: 25) { edges { node { id supplier { ${actor} } } } } }`,
    timeline: (actor: string) =>
      `{ timeline(actorIds: ["${actorId('dprk')}"], first: 25) { edges { node { ... on Shipment { id recipient { ${actor} } } ... on Affiliation { id target { ${actor} } } } } } }`,
  };
  for (const [name, query] of Object.entries(pages)) {
    const nodes = async (actor: string) => {
      const res = await seeded.server.gql(query(actor));
      expect(res.errors).toBeUndefined();
      return (res.data as Record<string, { edges: { node: Record<string, Record<string, unknown>> }[] }>)[name].edges.map((e) => e.node);
    };
    const whole = await nodes(
      fieldsOf('Actor')
        .map((f) => selectionOf('Actor', f))
        .join(' '),
    );
    expect(whole.filter((node) => node.id).length).toBeGreaterThan(3);
    for (const field of fieldsOf('Actor')) {
      const expected = whole.map((node) =>
        Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === 'id' ? v : { [field]: (v as Record<string, unknown>)[field] }])),
      );
      expect([name, field, await nodes(selectionOf('Actor', field))]).toEqual([name, field, expected]);
    }
  }
});

test('the statement reads the columns asked for, through aliases, fragments and @include', async () => {
  const read = (node: string, variables = '') =>
    statementOf(
      `query${variables ? `(${variables})` : ''} { events(first: 10) { edges { node { id ${node} } } } }
       ${node.includes('...A') ? 'fragment A on Actor { label: name }' : ''}`,
      undefined,
      'e.span_start AS "spanStart"',
    );
  expectColumns(await read('participants { actor { ...A } }'), ['a.name'], ['a.description', 'p.span_start']);
  expectColumns(
    await read('participants { actor { kind @include(if: $yes) description @include(if: $no) } }', '$yes: Boolean = true, $no: Boolean = false'),
    ['a.kind'],
    ['a.description'],
  );
  expectColumns(await read('citations { excerpt source { title } }'), ['c.excerpt', 'so.title'], ['so.url', 'c.evidence_type']);

  const shipments = (actor: string) => statementOf(`{ shipments(first: 10) { edges { node { supplier { ${actor} } } } } }`, undefined, 'AS supplier');
  expectColumns(await shipments('name'), ['a.name'], ['a.description']);
  expectColumns(await shipments('description'), ['a.description'], []);
  const timeline = await statementOf(
    `{ timeline(actorIds: ["${actorId('dprk')}"], first: 10) { edges { node { ... on Affiliation { target { name } } } } } }`,
    undefined,
    'AS actors',
  );
  expectColumns(timeline, ['a.name'], ['a.description']);

  const events = await read('title');
  expect(events).toContain('e.title');
  expect(events).not.toContain('e.description');
  expect(await read('... on Node { id }')).not.toContain('e.description');

  // Through the Node interface anything but the id reads the whole row.
  expect(await read('participants { actor { ... on Node { id } } }')).not.toContain('a.description');
  expect(await read('citations { source { ... on Node { __typename id } } }')).not.toContain('so.url');
});

test("an events page reads the date's EDTF only when what it says is asked", async () => {
  const read = (date: string) => statementOf(`{ events(first: 10) { edges { node { id date { ${date} } } } } }`, undefined, 'e.span_start AS "spanStart"');
  expect(await read('start end precision text')).not.toContain('e.span_edtf');
  expect(await read('start uncertain')).toContain('e.span_edtf');
});

describe("a report's actors", () => {
  const REPORT = (actor: string, asOf = '') =>
    `{ shipmentReport(from: "2022-01-01", to: "2024-12-31", groupBy: [SUPPLIER, RECIPIENT]${asOf && `, asOf: "${asOf}"`}) {
       buckets { period supplier { ${actor} } recipient { ${actor} } } totals { supplier { ${actor} } } series { recipient { ${actor} } } } }`;
  const STATS = (actor: string) => `{ eventStats(from: "2023-01-01", to: "2023-12-31", groupBy: [ACTOR]) { period events actor { ${actor} } } }`;
  const answer = async (query: string) => {
    const before = seeded.server.db.statements!.count();
    const res = await seeded.server.gql(query);
    expect(res.errors).toBeUndefined();
    return { data: res.data as Record<string, unknown>, statements: seeded.server.db.statements!.count() - before };
  };
  /** `data` with every actor object cut to `fields`. */
  const cut = (data: unknown, fields: string[]): unknown =>
    JSON.parse(JSON.stringify(data), (key, v) =>
      ['supplier', 'recipient', 'actor'].includes(key) && v ? Object.fromEntries(fields.map((f) => [f, v[f]])) : v,
    );

  test('answer the id and name from the report statement itself, anything more from the actors, alike', async () => {
    for (const query of [REPORT, STATS]) {
      const loaded = await answer(query('id name kind'));
      const own = await answer(query('id name'));
      expect(JSON.stringify(loaded.data)).toMatch(/"name":"North Korea"/);
      expect(own.data).toEqual(cut(loaded.data, ['id', 'name']));
      // The actors' statement is not issued when the report's rows answer the selection.
      expect(own.statements).toBe(loaded.statements - 1);
      expect((await answer(query('__typename id'))).statements).toBe(own.statements);
    }
  });

  test('name the actors as of the report instant either way', async () => {
    const at = await instant();
    const rename = (name: string) => seeded.server.gql(`mutation { updateActor(id: "${actorId('dprk')}", input: { name: "${name}" }) { id } }`);
    expect((await rename('DPRK (renamed)')).errors).toBeUndefined();
    try {
      for (const asOf of [at, '']) {
        const loaded = await answer(REPORT('id name kind', asOf));
        const own = await answer(REPORT('id name', asOf));
        expect(JSON.stringify(own.data)).toMatch(asOf ? /"name":"North Korea"/ : /"name":"DPRK \(renamed\)"/);
        expect(own.data).toEqual(cut(loaded.data, ['id', 'name']));
      }
    } finally {
      expect((await rename('North Korea')).errors).toBeUndefined();
    }
  });
});
