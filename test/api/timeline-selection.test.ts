// A timeline page reads the node columns its selection needs (src/graphql/selection.ts): every
// field of every node type, asked alone, answers what it answers when the page reads whole
// nodes; the statement leaves out the columns nothing asked for. Over HTTP, on the seeded
// DPRK–Russia feed (events, shipments and affiliations).
import { actorId } from '../../seed/ids';
import { NODE_FIELD_COLUMNS } from '../../src/graphql/selection';
import { expectColumns, fieldsOf, selectionOf, useSeededServer } from '../support/selection';

const seeded = useSeededServer();
const { statementOf } = seeded;

const TYPES = { EVENT: 'Event', SHIPMENT: 'Shipment', AFFILIATION: 'Affiliation' } as const;

function feed(node: string): string {
  return `query($ids: [ID!]!) { timeline(actorIds: $ids, first: 100) { edges { kind at { start end } node { ${node} } } } }`;
}

async function page(node: string): Promise<{ kind: string; node: Record<string, unknown> }[]> {
  const res = await seeded.server.gql(feed(node), { ids: [actorId('dprk')] });
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
    const selection = (field: string) => selectionOf(type, field);
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
  const read = (node: string, variables = '') =>
    statementOf(
      `query($ids: [ID!]!${variables}) { timeline(actorIds: $ids, first: 10) { edges { node { ${node} } } } }
       ${node.includes('... E') ? 'fragment E on Event { headline: title }' : ''}`,
      { ids: [actorId('dprk')] },
      '"EVENT.id"',
    );
  // The supplier id tells a shipment from the other kinds: always read.
  expectColumns(await read('... E'), ['"EVENT.title"', '"SHIPMENT.supplierId"'], ['"EVENT.description"', '"EVENT.createdAt"', '"SHIPMENT.quantity"']);
  expectColumns(
    await read('... on Event { description @include(if: $yes) createdAt @include(if: $no) }', ', $yes: Boolean = true, $no: Boolean = false'),
    ['"EVENT.description"'],
    ['"EVENT.createdAt"'],
  );
  expectColumns(await read('... on Shipment { quantity recipient { name } }'), ['"SHIPMENT.quantity"', '"SHIPMENT.recipientId"'], ['"SHIPMENT.route"']);

  // Through the Node interface only the id can be asked, and it is always read.
  const viaInterface = await read('... on Node { id }');
  expect(viaInterface).not.toContain('"EVENT.description"');
});

test('the same document read again: the same columns, and those its variables choose through @include', async () => {
  const doc = `query($ids: [ID!]!, $yes: Boolean!) { timeline(actorIds: $ids, first: 10) { edges { node { ... on Event { title description @include(if: $yes) } } } } }`;
  const read = (yes: boolean) => statementOf(doc, { ids: [actorId('dprk')], yes }, '"EVENT.id"');
  // Kept per document (selection.ts, perDocument), the selection must still follow the variables.
  expectColumns(await read(true), ['"EVENT.title"', '"EVENT.description"'], ['"EVENT.createdAt"']);
  expectColumns(await read(false), ['"EVENT.title"'], ['"EVENT.description"']);
  expectColumns(await read(true), ['"EVENT.title"', '"EVENT.description"'], ['"EVENT.createdAt"']);
  const plain = `query($ids: [ID!]!) { timeline(actorIds: $ids, first: 10) { edges { node { ... on Event { title } } } } }`;
  for (let i = 0; i < 2; i++) expectColumns(await statementOf(plain, { ids: [actorId('dprk')] }, '"EVENT.id"'), ['"EVENT.title"'], ['"EVENT.description"']);
});

test("a span's EDTF column is read only when what the EDTF says is asked: of a node's span, or of the edge's `at` (every kind)", async () => {
  const read = (selection: string) =>
    statementOf(`query($ids: [ID!]!) { timeline(actorIds: $ids, first: 10) { edges { ${selection} } } }`, { ids: [actorId('dprk')] }, '"EVENT.id"');
  const EDTF = ['"EVENT.spanEdtf"', '"SHIPMENT.deliveryEdtf"', '"AFFILIATION.spanEdtf"'];
  expectColumns(await read('at { start end precision text } node { ... on Event { date { start end } } }'), [], EDTF);
  expectColumns(
    await read('node { ... on Event { date { edtf } } ... on Shipment { deliverySpan { start } } }'),
    ['"EVENT.spanEdtf"'],
    ['"SHIPMENT.deliveryEdtf"', '"AFFILIATION.spanEdtf"'],
  );
  expectColumns(
    await read('node { ... on Shipment { deliverySpan { endBound } } ... on Affiliation { span { approximate } } }'),
    ['"SHIPMENT.deliveryEdtf"', '"AFFILIATION.spanEdtf"'],
    ['"EVENT.spanEdtf"'],
  );
  expectColumns(await read('at { startDate } node { __typename }'), EDTF, []);
});
