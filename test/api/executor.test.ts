// Execution through Apollo and graphql-js: what clients rely on must hold: choosing the
// operation by name, errors with their code, field, path and locations, partial data next to a
// failed field, unions, introspection, the same document again (parsed and validated once, then
// from Apollo's document store) with other variables. Every document here is sent twice and must
// answer the same both times (execution-bytes.test.ts compares the bytes with graphql-js's own).
import fs from 'node:fs';
import path from 'node:path';
import { useServer } from '../support/server';

const server = useServer({});

async function postOnce(body: Record<string, unknown>) {
  const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, ...((await res.json()) as { data?: any; errors?: any[] }) };
}

/** An answer as compared between runs: without the stack traces (a development server's) and the instants of "now". */
const comparable = (res: object) =>
  JSON.parse(JSON.stringify(res, (key, value) => (key === 'stacktrace' ? undefined : value)).replace(/now \d{4}-\d\d-\d\dT[\d:.]+Z/g, 'now'));

/** The request sent twice: the first parses and validates the document, the second finds it stored; the same answer. */
async function post(body: Record<string, unknown>) {
  const first = await postOnce(body);
  const second = await postOnce(body);
  expect(comparable(second)).toEqual(comparable(first));
  return second;
}

const gql = (query: string, variables?: Record<string, unknown>) => post({ query, ...(variables ? { variables } : {}) });

const TWO_OPERATIONS = `
query Sources { sources { id } }
query Actors { actors(first: 1) { totalCount } }`;

it('runs the operation named, and answers an unknown name with a client error', async () => {
  const actors = await post({ query: TWO_OPERATIONS, operationName: 'Actors' });
  expect(actors.errors).toBeUndefined();
  expect(Object.keys(actors.data)).toEqual(['actors']);
  expect(actors.data.actors.totalCount).toBeGreaterThan(0);
  const sources = await post({ query: TWO_OPERATIONS, operationName: 'Sources' });
  expect(Object.keys(sources.data)).toEqual(['sources']);

  const unknown = await post({ query: TWO_OPERATIONS, operationName: 'Nope' });
  expect(unknown.status).toBe(400);
  expect(unknown.errors?.[0].message).toBe('Unknown operation named "Nope".');
  const unnamed = await post({ query: TWO_OPERATIONS });
  expect(unnamed.status).toBe(400);
  expect(unnamed.errors?.[0].message).toMatch(/Must provide operation name/);
  // An anonymous document with an operation name it does not have is refused too, not run.
  const anonymous = await post({ query: '{ sources { id } }', operationName: 'Other' });
  expect(anonymous.status).toBe(400);
  expect(anonymous.data).toBeUndefined();
});

it("keeps a resolver error's code, field, path and location, and the other fields' data", async () => {
  const query = `{
  events(first: 1) { totalCount }
  actor(id: "00000000-0000-4000-8000-000000000000", asOf: "2999-01-01T00:00:00Z") { name }
}`;
  const res = await gql(query);
  expect(res.status).toBe(200);
  expect((res.data as any).events.totalCount).toBeGreaterThan(0);
  expect((res.data as any).actor).toBeNull();
  expect(res.errors).toHaveLength(1);
  expect(res.errors![0]).toMatchObject({
    path: ['actor'],
    locations: [{ line: 3, column: 3 }],
    extensions: { code: 'BAD_USER_INPUT', field: 'asOf' },
  });
  // A non-null field that fails takes its parent with it (here the whole data), as the spec says.
  const report = await gql('{ shipmentReport(from: "2023-12-01", to: "2023-01-01") { start } }');
  expect(report.data).toBeNull();
  expect(report.errors?.[0]).toMatchObject({ path: ['shipmentReport'], extensions: { code: 'BAD_USER_INPUT', field: 'to' } });
});

it('answers a variable that does not coerce as graphql-js does, before anything runs', async () => {
  const res = await gql('query ($from: Date!) { shipmentReport(from: $from, to: "2023-12-31") { start } }', { from: '2023-02-30' });
  expect(res.status).toBe(400);
  expect(res.errors?.[0].message).toMatch(/^Variable "\$from" got invalid value "2023-02-30"/);
  expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
});

it('resolves union members with __typename, and the same document again with other variables', async () => {
  const TIMELINE = `query ($ids: [ID!]!, $first: Int) { timeline(actorIds: $ids, first: $first) {
    edges { kind node { __typename ... on Event { id title } ... on Shipment { id supplier { name } } ... on Affiliation { id } } } } }`;
  const found = await gql('{ actors(search: "Russia", first: 1) { edges { node { id } } } }');
  const id = (found.data as any).actors.edges[0].node.id;
  const page = await gql(TIMELINE, { ids: [id], first: 20 });
  expect(page.errors).toBeUndefined();
  const edges = (page.data as any).timeline.edges as { kind: string; node: { __typename: string } }[];
  expect(edges.length).toBeGreaterThan(1);
  for (const e of edges) expect(e.node.__typename).toBe(e.kind.charAt(0) + e.kind.slice(1).toLowerCase());
  const shorter = await gql(TIMELINE, { ids: [id], first: 1 });
  expect((shorter.data as any).timeline.edges).toEqual(edges.slice(0, 1));
});

it('answers introspection (the playground needs it)', async () => {
  const res = await gql('{ __schema { queryType { name } } __type(name: "TimelineItem") { kind possibleTypes { name } } }');
  expect(res.errors).toBeUndefined();
  expect(res.data).toEqual({
    __schema: { queryType: { name: 'Query' } },
    __type: { kind: 'UNION', possibleTypes: expect.arrayContaining([{ name: 'Event' }, { name: 'Shipment' }, { name: 'Affiliation' }]) },
  });
});

it("takes a variable's default when the request leaves it out, also for a non-null one (the playground's examples)", async () => {
  const example = fs.readFileSync(path.resolve(__dirname, '../../web/examples/dprk-russia-timeline.graphql'), 'utf8');
  const defaults = await gql(example);
  expect(defaults.errors).toBeUndefined();
  const explicit = await gql(example, {
    ids: ['cfbc03ae-9ba8-52f5-a06b-f52932e56ba4', 'dfad88f4-4fe1-55a7-bf1b-16bb86e7f8a4'],
    from: '2023-07-01',
    to: '2023-10-31',
  });
  expect(defaults.data).toEqual(explicit.data);
  expect((defaults.data as any).timeline.totalCount).toBeGreaterThan(0);
  // null sent for a nullable variable with a default is null, not the default: no lower bound.
  const open = await gql(example, { from: null });
  expect((open.data as any).timeline.totalCount).toBeGreaterThanOrEqual((defaults.data as any).timeline.totalCount);
  expect((open.data as any).timelineMonths.length).toBeGreaterThan((defaults.data as any).timelineMonths.length);
});

it.each(fs.readdirSync(path.resolve(__dirname, '../../web/examples')).filter((f) => f.endsWith('.graphql')))(
  'the playground example %s answers, the same on its first and second run',
  async (file) => {
    const res = await gql(fs.readFileSync(path.resolve(__dirname, '../../web/examples', file), 'utf8'));
    expect(res.errors).toBeUndefined();
    expect(Object.keys(res.data).length).toBeGreaterThan(0);
  },
);
