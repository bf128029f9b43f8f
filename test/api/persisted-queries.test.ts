// Persisted queries over HTTP. APQ (the default): hash first, text once, hash after.
// Safelist (PERSISTED_QUERIES=only): only the manifest's operations run, by hash or by
// text; nothing is registered at run time; introspection only while it is on.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { manifestText, MANIFEST_PATH } from '../../scripts/persisted-manifest';
import { loadConfig } from '../../src/config';
import { sha256 } from '../../src/graphql/persisted';
import { startServer } from '../../src/server';
import { useSharedDatabase, type TestServer } from '../support/server';

interface Answer {
  status: number;
  data?: Record<string, any> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function post(server: TestServer, body: object, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, ...((await res.json()) as object) };
}

// One database for the file; the servers of each mode start on it one after another.
// (Starts are slow on a busy machine: hooks get two minutes.)
const START_TIMEOUT = 120_000;
const database = useSharedDatabase(START_TIMEOUT);

const start = database.start;

const code = (a: Answer) => a.errors?.[0]?.extensions?.code;
const pq = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

const manifest = JSON.parse(fs.readFileSync(MANIFEST_PATH, 'utf8')) as { operations: { id: string; name: string; body: string }[] };
const registered = (name: string) => manifest.operations.find((o) => o.name === name)!;

test('persisted-queries.json is up to date with the operations of the playground, the chart page, the timeline page and the example client', () => {
  expect(fs.readFileSync(MANIFEST_PATH, 'utf8')).toBe(manifestText());
  expect(manifest.operations.map((o) => o.name)).toEqual([
    'DprkRussiaTimeline',
    'MonthlyShipmentReport',
    'PairTimelinePage',
    'ShipmentReportChart',
    'ShipmentsByMonth2023',
    'TimelineActor',
    'TimelineActorSearch',
    'TimelineAffiliationDetails',
    'TimelineEventDetails',
    'TimelineMonths',
    'TimelinePage',
    'TimelineShipmentDetails',
    'WhoSaidWhatAboutTheContainers',
  ]);
  for (const op of manifest.operations) expect(op.id).toBe(sha256(op.body));
});

describe('automatic persisted queries (PERSISTED_QUERIES=apq, the default)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await start();
  }, START_TIMEOUT);
  afterAll(() => server?.stop());

  test('hash alone: not found; hash with text: runs and registers; then the hash alone runs', async () => {
    const query = '{ actors(search: "DPRK", first: 1) { edges { node { name } } } }';
    const hash = sha256(query);
    const first = await post(server, { extensions: pq(hash) });
    expect(code(first)).toBe('PERSISTED_QUERY_NOT_FOUND');
    const register = await post(server, { query, extensions: pq(hash) });
    expect(register.data?.actors.edges[0].node.name).toBe('North Korea');
    const again = await post(server, { extensions: pq(hash) });
    expect(again.errors).toBeUndefined();
    expect(again.data).toEqual(register.data);

    // A GET with the hash alone (cacheable by a CDN) works too, with the CSRF header.
    const params = new URLSearchParams({ extensions: JSON.stringify(pq(hash)) });
    const get = await fetch(`${server.url}?${params}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(get.status).toBe(200);
    expect(((await get.json()) as Answer).data).toEqual(register.data);
  });

  test('a hash that is not the SHA-256 of the text is refused', async () => {
    const answer = await post(server, { query: '{ sources { title } }', extensions: pq(sha256('{ sources { id } }')) });
    expect(answer.status).toBe(400);
    expect(answer.errors?.[0].message).toMatch(/provided sha does not match query/);
  });

  test('any operation still runs as plain text', async () => {
    const answer = await post(server, { query: '{ sources { title } }' });
    expect(answer.data?.sources).toHaveLength(1);
  });
});

describe('safelist (PERSISTED_QUERIES=only)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await start({ persistedQueries: { mode: 'only', manifestPath: MANIFEST_PATH } });
  }, START_TIMEOUT);
  afterAll(() => server?.stop());

  test('a registered operation runs by its hash alone, with no registration first', async () => {
    const op = registered('WhoSaidWhatAboutTheContainers');
    const answer = await post(server, { extensions: pq(op.id) });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.shipments.edges[0].node).toMatchObject({ quantity: 1000, unit: 'containers' });
  });

  test('a registered operation runs as text: as registered, as written in its file (comments and layout differ), and with its hash', async () => {
    const op = registered('ShipmentsByMonth2023');
    const asFile = fs.readFileSync(path.resolve(__dirname, '../../web/examples/shipments-by-month-2023.graphql'), 'utf8');
    for (const body of [{ query: op.body }, { query: asFile }, { query: op.body, extensions: pq(op.id) }]) {
      const answer = await post(server, body);
      expect(answer.errors).toBeUndefined();
      const containers = answer.data?.shipmentReport.buckets.filter(
        (b: { unit: string | null; shipments: number }) => b.unit === 'containers' && b.shipments > 0,
      );
      expect(containers.map((b: { period: string; quantity: number }) => [b.period, b.quantity])).toEqual([
        ['2023-09', 960],
        ['2023-10', 40],
      ]);
    }
  });

  test("the example client's operation with variables runs by hash", async () => {
    const op = registered('PairTimelinePage');
    const answer = await post(server, {
      variables: { ids: ['cfbc03ae-9ba8-52f5-a06b-f52932e56ba4', 'dfad88f4-4fe1-55a7-bf1b-16bb86e7f8a4'], first: 2 },
      extensions: pq(op.id),
    });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.timeline.edges).toHaveLength(2);
  });

  test('anything else is refused with PERSISTED_QUERY_NOT_IN_LIST (400) and is not registered', async () => {
    const query = '{ sources { title } }';
    const asText = await post(server, { query });
    expect(asText.status).toBe(400);
    expect(code(asText)).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    expect(asText.data).toBeUndefined();
    const withHash = await post(server, { query, extensions: pq(sha256(query)) });
    expect(code(withHash)).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    // Sending the text did not register it.
    expect(code(await post(server, { extensions: pq(sha256(query)) }))).toBe('PERSISTED_QUERY_NOT_FOUND');
    // A registered operation with a field added is another operation.
    const op = registered('WhoSaidWhatAboutTheContainers');
    const widened = op.body.replace('quantity', 'quantity route');
    expect(code(await post(server, { query: widened }))).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    // A syntax error fails to parse, as anywhere.
    expect(code(await post(server, { query: '{ sources { ' }))).toBe('GRAPHQL_PARSE_FAILED');
  });

  test('mutations outside the list are refused before they run: nothing is written', async () => {
    const mutation = 'mutation { createSource(input: { publisher: "X", title: "Not allowed" }) { id } }';
    const answer = await post(server, { query: mutation }, { authorization: `Bearer ${server.editorKey}` });
    expect(code(answer)).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    const sources = await post(server, { extensions: pq(registered('WhoSaidWhatAboutTheContainers').id) });
    expect(sources.errors).toBeUndefined();
    const count = await server.db.prisma.source.count();
    expect(count).toBe(1);
  });

  test('introspection (what GraphiQL asks for its docs) is allowed while introspection is on', async () => {
    const answer = await post(server, { query: '{ __schema { queryType { name } } }' });
    expect(answer.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const named = await post(server, { query: 'query IntrospectionQuery { __type(name: "Shipment") { name fields { name } } }' });
    expect(named.data?.__type.name).toBe('Shipment');
    // Introspection mixed with data is not introspection.
    expect(code(await post(server, { query: '{ __typename sources { title } }' }))).toBe('PERSISTED_QUERY_NOT_IN_LIST');
  });
});

describe('safelist configuration', () => {
  test(
    'with introspection off, introspection is refused (by the no-introspection rule, before the list is consulted)',
    async () => {
      const server = await start({ introspection: false, persistedQueries: { mode: 'only', manifestPath: MANIFEST_PATH } });
      try {
        const answer = await post(server, { query: '{ __schema { queryType { name } } }' });
        expect(code(answer)).toBe('GRAPHQL_VALIDATION_FAILED');
        expect(answer.data).toBeUndefined();
        expect((await post(server, { extensions: pq(registered('ShipmentsByMonth2023').id) })).errors).toBeUndefined();
      } finally {
        await server.stop();
      }
    },
    START_TIMEOUT,
  );

  test(
    'PERSISTED_QUERIES=off: hashes are not accepted, text is',
    async () => {
      const server = await start({ persistedQueries: { mode: 'off', manifestPath: MANIFEST_PATH } });
      try {
        expect(code(await post(server, { extensions: pq(registered('ShipmentsByMonth2023').id) }))).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
        expect((await post(server, { query: '{ sources { title } }' })).data?.sources).toHaveLength(1);
      } finally {
        await server.stop();
      }
    },
    START_TIMEOUT,
  );

  test(
    'a manifest whose ids are not the SHA-256 of their bodies stops the server at start, naming the operation',
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pq-'));
      const file = path.join(dir, 'manifest.json');
      const body = '{ sources { title } }';
      fs.writeFileSync(
        file,
        JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: 'abc', name: 'Tampered', type: 'query', body }] }),
      );
      try {
        const config = { ...loadConfig({ NODE_ENV: 'test' }), port: 0, host: '127.0.0.1', databaseUrl: database.url, poolSize: 1, logLevel: 'silent' as const };
        await expect(startServer({ ...config, persistedQueries: { mode: 'only', manifestPath: file } })).rejects.toThrow(/Tampered/);
        await expect(startServer({ ...config, persistedQueries: { mode: 'only', manifestPath: path.join(dir, 'missing.json') } })).rejects.toThrow(
          /cannot be read/,
        );
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    START_TIMEOUT,
  );

  test('PERSISTED_QUERIES and PERSISTED_QUERIES_MANIFEST are read from the environment', () => {
    const config = loadConfig({ PERSISTED_QUERIES: 'only', PERSISTED_QUERIES_MANIFEST: 'ops/manifest.json' });
    expect(config.persistedQueries).toEqual({ mode: 'only', manifestPath: path.resolve('ops/manifest.json') });
    expect(loadConfig({}).persistedQueries.mode).toBe('apq');
    expect(() => loadConfig({ PERSISTED_QUERIES: 'sometimes' })).toThrow(/PERSISTED_QUERIES/);
    expect(loadConfig({}).playground).toBe('graphiql');
    expect(loadConfig({ NODE_ENV: 'production' }).playground).toBe('off');
    expect(loadConfig({ PLAYGROUND: 'sandbox' }).playground).toBe('sandbox');
  });
});
