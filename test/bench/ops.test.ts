// The benchmark's structure (never its timings): every canonical operation runs against a
// tiny synthetic data set loaded through the bulk importer, answers without errors, issues
// the expected number of SQL statements, and its statements replay through `pg` (the floor).
import { importWithPool } from '../../src/ingest/importer';
import { textInput } from '../../src/ingest/read';
import { synthRecords } from '../../src/ingest/synth';
import { floorLoad, toReplay } from '../../bench/load';
import { deepCursor, discoverParams, distinctTimelineRequest, operations, type BenchParams, type GqlRequest, type Operation } from '../../bench/ops';
import type { CapturedStatement } from '../../bench/server-child';
import { startTestServer, type TestServer } from '../support/server';

let server: TestServer;
let params: BenchParams;
let ops: Operation[];
let capture: CapturedStatement[] | null = null;

async function send(r: GqlRequest): Promise<Record<string, unknown>> {
  const res = await server.gql(r.query, r.variables);
  expect(res.errors).toBeUndefined();
  return res.data as Record<string, unknown>;
}

beforeAll(async () => {
  server = await startTestServer({ seedOnStart: false });
  const ndjson = [...synthRecords({ events: 400, shipments: 80, actors: 30, seed: 7 })].map((r) => JSON.stringify(r)).join('\n');
  const report = await importWithPool(server.db.pool, [textInput('synth.ndjson', ndjson)]);
  expect(report.errors).toEqual([]);
  // Too few events for a 3-month window of one type to hold any: a page needs rows to reach its loaders.
  params = { ...(await discoverParams(server.db.pool)), window: { from: '2015-01-01', to: '2024-12-31' } };
  server.db.statements!.listen((s) => capture?.push(s));
  ops = operations(params, await deepCursor(send, params.busiest, 100));
});
afterAll(() => server.stop());

/** Statements one request issues, by db.statements.count() (reads go without a key here: no key check). */
async function statementsOf(r: GqlRequest): Promise<{ counted: number; captured: CapturedStatement[] }> {
  capture = [];
  const before = server.db.statements!.count();
  await send(r);
  const counted = server.db.statements!.count() - before;
  const captured = capture;
  capture = null;
  return { counted, captured };
}

// Per request, without the API-key check: a page is one statement plus one per DataLoader kind
// its nested fields reach; a report on a rollup is one statement, which also enforces the bucket
// limit (+ the actors of its groups). The mutations add their key check, transaction and audit row.
const EXPECTED: Record<string, number[]> = {
  '1': [1], // actors page with its aliases
  '2a': [1], // timeline page, with the actors of its shipments/affiliations
  '2b': [1],
  '2e': [1],
  '3': [1],
  '4': [1], // events page, with its participants, citations, their actors and sources
  // The report's cells, its groups' order and actors' names with them (shipmentReportRows in src/db/queries/reports.ts).
  '5': [1],
  '5s': [1],
  '5n': [1],
  '6': [1],
};

test("the operation list is the issue's canonical list, with 2e (beside the peer's P2a), 5s (5 as series) and 8 (distinct documents)", () => {
  expect(ops.map((o) => o.id)).toEqual(['1', '2a', '2b', '2e', '3', '4', '5', '5s', '5n', '6', '7', '8']);
  expect(params.pair[0]).not.toEqual(params.pair[1]);
  const mix = ops.find((o) => o.id === '7')!;
  expect(mix.requests).toHaveLength(10);
  expect(mix.requests.filter((r) => r.request.mutation)).toHaveLength(1);
});

test.each(['1', '2a', '2b', '2e', '3', '4', '5', '5s', '5n', '6'])('operation %s: no errors, expected statements, replayable floor', async (id) => {
  const op = ops.find((o) => o.id === id)!;
  const { counted, captured } = await statementsOf(op.requests[0].request);
  expect([counted]).toEqual(EXPECTED[id]);
  expect(captured).toHaveLength(counted);
  const replay = toReplay(captured, false);
  const floor = await floorLoad(server.database.url, 1, [replay], 1, { amount: 3 });
  expect(floor.errors).toBe(0);
  expect(floor.requests).toBeGreaterThan(0);
});

test("operation 2e is 2a's page of the actor's events alone, in the same order", async () => {
  type Page = { timeline: { edges: { kind: string; node: { id: string } }[] } };
  const request = (id: string) => ops.find((o) => o.id === id)!.requests[0].request;
  const all = ((await send(request('2a'))) as Page).timeline.edges;
  const events = ((await send(request('2e'))) as Page).timeline.edges;
  expect(events).toHaveLength(50);
  expect(events.every((e) => e.kind === 'EVENT')).toBe(true);
  const inBoth = all.filter((e) => e.kind === 'EVENT').map((e) => e.node.id);
  expect(inBoth.length).toBeGreaterThan(0);
  expect(events.slice(0, inBoth.length).map((e) => e.node.id)).toEqual(inBoth);
});

test("operation 5s is 5's report as series: the same groups, periods and figures", async () => {
  type Group = { supplier: { id: string } | null; recipient: { id: string } | null; unit: string | null };
  type Report = {
    shipmentReport: {
      buckets: (Group & { period: string; shipments: number })[];
      totals: Group[];
      periods: { label: string }[];
      series: (Group & { shipments: number[] })[];
    };
  };
  const request = (id: string) => ops.find((o) => o.id === id)!.requests[0].request;
  const buckets = ((await send(request('5'))) as Report).shipmentReport;
  const series = ((await send(request('5s'))) as Report).shipmentReport;
  expect(series.totals).toEqual(buckets.totals);
  expect(series.series.length).toBe(buckets.totals.length);
  expect(series.periods.length * series.series.length).toBe(buckets.buckets.length);
  const fromSeries = series.periods.flatMap((p, i) => series.series.map((s) => [p.label, s.supplier?.id, s.recipient?.id, s.unit, s.shipments[i]]));
  expect(fromSeries).toEqual(buckets.buckets.map((b) => [b.period, b.supplier?.id, b.recipient?.id, b.unit, b.shipments]));
  expect(fromSeries.some((f) => (f[4] as number) > 0)).toBe(true);
});

test('operation 7: the writes succeed, and their statements replay (rolled back)', async () => {
  const op = ops.find((o) => o.id === '7')!;
  const write = op.requests.find((r) => r.vary)!;
  for (const r of [write.vary!(0), write.vary!(0)]) {
    const { counted, captured } = await statementsOf(r);
    expect(counted).toBeGreaterThan(1);
    const floor = await floorLoad(server.database.url, 1, [toReplay(captured, true)], 1, { amount: 3 });
    expect(floor.errors).toBe(0);
  }
});

test("operation 8: every request a new document, one of 256 statements, each a page of the actor's feed", async () => {
  const op = ops.find((o) => o.id === '8')!;
  const vary = op.requests[0].vary!;
  const sent = [vary(0), vary(0), vary(0)];
  expect(new Set(sent.map((r) => r.query)).size).toBe(3);
  const sql = async (r: GqlRequest) => {
    const { counted, captured } = await statementsOf(r);
    expect(counted).toBe(1);
    return captured[0].query;
  };
  // Requests 1, 2 and 3 select other event fields (other statements); 257 selects 1's.
  const [a, b, c] = [await sql(sent[0]), await sql(sent[1]), await sql(sent[2])];
  expect(new Set([a, b, c]).size).toBe(3);
  expect(await sql(distinctTimelineRequest(params.busiest, 257))).toBe(a);
  const page = (await send(sent[0])) as { timeline: { edges: unknown[] } };
  expect(page.timeline.edges.length).toBeGreaterThan(0);
});

test("operation 5n does the peer's P5n work: the supplier's shipments by month of delivery start, recipient and unit, the months with shipments only", async () => {
  type Bucket = { period: string; recipient: { id: string }; unit: string | null; shipments: number; quantity: number | null };
  const op = ops.find((o) => o.id === '5n')!;
  const buckets = ((await send(op.requests[0].request)) as { shipmentReport: { buckets: Bucket[] } }).shipmentReport.buckets;
  // What the peer's groupedAggregates computes (bench/peer.ts), in the report's window.
  const { rows } = await server.db.pool.query<{ period: string; recipient: string; unit: string | null; shipments: number; quantity: number | null }>(
    `SELECT to_char(delivery_start, 'YYYY-MM') AS period, recipient_id::text AS recipient, unit, count(*)::int AS shipments, sum(quantity)::float8 AS quantity
     FROM shipments WHERE supplier_id = $1 AND deleted_at IS NULL AND delivery_start BETWEEN $2 AND $3
     GROUP BY 1, 2, 3`,
    [params.reportSuppliers[0], params.years.from, params.years.to],
  );
  const key = (b: { period: string; recipient: string; unit: string | null }) => `${b.period} ${b.recipient} ${b.unit}`;
  const ours = buckets.map((b) => ({
    period: b.period,
    recipient: b.recipient.id,
    unit: b.unit,
    shipments: b.shipments,
    quantity: b.unit === null ? null : b.quantity,
  }));
  const sort = <T extends { period: string; recipient: string; unit: string | null }>(xs: T[]) => [...xs].sort((a, b) => key(a).localeCompare(key(b)));
  expect(rows.length).toBeGreaterThan(0);
  const closeTo = (xs: typeof ours) => xs.map((x) => ({ ...x, quantity: x.quantity === null ? null : Math.round(x.quantity * 1e6) / 1e6 }));
  expect(closeTo(sort(ours))).toEqual(closeTo(sort(rows.map((r) => ({ ...r, quantity: r.unit === null ? null : r.quantity })))));
});
