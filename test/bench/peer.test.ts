// The benchmark's peer (`npm run bench -- --peer`), for its structure, never its timings:
// PostGraphile 5 starts on a tiny imported data set, answers its four documents without
// errors, and they select what ours do (the same actors for the lookup, the same events in
// the same order for the actor's page, every shipment of the supplier in the groups).
import path from 'node:path';
import { Pool } from 'pg';
import { BenchChild } from '../../bench/children';
import { send } from '../../bench/load';
import { discoverParams, type BenchParams } from '../../bench/ops';
import { median, pairedRounds } from '../../bench/paired';
import { peerOperations, preparePeerSchema, type PeerOperation } from '../../bench/peer';
import { createPrisma } from '../../src/db/client';
import { listActors } from '../../src/db/queries/lists';
import { listTimeline } from '../../src/db/queries/timeline';
import { importWithPool } from '../../src/ingest/importer';
import { textInput } from '../../src/ingest/read';
import { synthRecords } from '../../src/ingest/synth';
import { createTestDatabase, type TestDatabase } from '../support/database';

let database: TestDatabase;
let params: BenchParams;
let ours: { lookup: string[]; events: string[]; supplierShipments: number };
let peer: BenchChild | undefined;
let url: string;
let ops: PeerOperation[];

beforeAll(async () => {
  database = await createTestDatabase();
  const pool = new Pool({ connectionString: database.url, max: 1 });
  try {
    const ndjson = [...synthRecords({ events: 400, shipments: 80, actors: 30, seed: 7 })].map((r) => JSON.stringify(r)).join('\n');
    expect((await importWithPool(pool, [textInput('synth.ndjson', ndjson)])).errors).toEqual([]);
    params = await discoverParams(pool);
    const [{ n }] = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM shipments WHERE supplier_id = $1', [params.reportSuppliers[0]])).rows;
    await preparePeerSchema(database.url);
    const db = createPrisma(database.url, 1);
    try {
      const actors = await listActors(db, { search: params.alias }, 10);
      const page = await listTimeline(
        db,
        { actorIds: [params.busiest], match: 'ANY', window: 'OVERLAPS', kinds: ['EVENT'] },
        { direction: 'forward', limit: 50 },
      );
      ours = { lookup: actors.map((a) => a.id), events: page.rows.map((r) => r.key.id), supplierShipments: n };
    } finally {
      await db.close();
    }
  } finally {
    await pool.end();
  }
  ops = peerOperations(params);

  const started = await BenchChild.start(
    { ...process.env, NODE_ENV: 'production', GRAPHILE_ENV: 'production', PEER_DATABASE_URL: database.url, PEER_POOL_SIZE: '1' },
    [],
    path.resolve(__dirname, '../../bench/peer-child.ts'),
  );
  peer = started.child;
  url = started.ready.url;
}, 120_000);

afterAll(async () => {
  await peer?.stop();
  await database?.drop();
});

const run = async (id: string) => send({ url, viewerKey: '', editorKey: '' }, ops.find((o) => o.id === id)!.requests[0].request);

test('the peer stands beside the lookup, the first timeline page (events only, then all kinds), the shipment report (as buckets and as series) and the report at equal work', () => {
  expect(ops.map((o) => [o.id, o.versus])).toEqual([
    ['P1', ['1']],
    ['P2a', ['2e', '2a']],
    ['P5', ['5', '5s']],
    ['P5n', ['5n']],
  ]);
});

test('P1 finds the actors our lookup finds, in the same order', async () => {
  const data = (await run('P1')) as { benchPeerSearchActors: { edges: { node: { rowId: string } }[] } };
  expect(ours.lookup.length).toBeGreaterThan(0);
  expect(data.benchPeerSearchActors.edges.map((e) => e.node.rowId)).toEqual(ours.lookup);
});

test("P2a reads the actor's events in our timeline's order", async () => {
  const data = (await run('P2a')) as { actorByRowId: { eventParticipantsByActorId: { edges: { node: { eventByEventId: { rowId: string } } }[] } } };
  // A participation per role: the same event may come twice in a row.
  const ids = data.actorByRowId.eventParticipantsByActorId.edges.map((e) => e.node.eventByEventId.rowId).filter((id, i, all) => id !== all[i - 1]);
  expect(ids.length).toBeGreaterThan(0);
  expect(ids).toEqual(ours.events.slice(0, ids.length));
});

test("P5 groups every one of the supplier's shipments by month and recipient", async () => {
  const data = (await run('P5')) as { allShipments: { groupedAggregates: { keys: string[]; distinctCount: { rowId: string } }[] } };
  const groups = data.allShipments.groupedAggregates;
  expect(groups.length).toBeGreaterThan(0);
  for (const g of groups) expect(g.keys[0]).toMatch(/^\d{4}-\d{2}-01$/);
  expect(groups.reduce((n, g) => n + Number(g.distinctCount.rowId), 0)).toBe(ours.supplierShipments);
});

test("P5n groups every one of the supplier's shipments by month, recipient and unit (5n's groups)", async () => {
  const data = (await run('P5n')) as { allShipments: { groupedAggregates: { keys: (string | null)[]; distinctCount: { rowId: string } }[] } };
  const groups = data.allShipments.groupedAggregates;
  expect(groups.length).toBeGreaterThan(0);
  for (const g of groups) {
    expect(g.keys).toHaveLength(3);
    expect(g.keys[0]).toMatch(/^\d{4}-\d{2}-01$/);
  }
  expect(groups.reduce((n, g) => n + Number(g.distinctCount.rowId), 0)).toBe(ours.supplierShipments);
});

test('alternating rounds measure both sides in every round and take the medians of their ratios', async () => {
  expect(median([3, 1, 2])).toBe(2);
  expect(median([4, 1, 3, 2])).toBe(2.5);
  // The peer against itself (the structure, not the figures): each round has both sides' figures.
  let settled = 0;
  const side = {
    target: { url, viewerKey: '', editorKey: '' },
    op: ops.find((o) => o.id === 'P1')!,
    settle: async () => void settled++,
    cpuMicros: async () => (await peer!.ask({ type: 'stats' }, 'stats')).cpuMicros,
  };
  const paired = await pairedRounds({ peer: 'P1', versus: '1' }, side, { ...side }, 2, 2, 0.3);
  expect(paired.rounds).toHaveLength(2);
  expect(settled).toBe(8); // before each of the 2 loads of 2 sides in 2 rounds
  for (const r of paired.rounds) {
    for (const f of [r.ours.c1, r.ours.cN, r.peer.c1, r.peer.cN]) expect(f.requests).toBeGreaterThan(0);
    expect(r.ratioP50).toBe(r.ours.c1.p50 / r.peer.c1.p50);
    expect(r.ratioRps).toBe(r.ours.cN.rps / r.peer.cN.rps);
    // Serving takes the server some CPU, and the machine (server, database, load generator) more.
    for (const { cpu } of [r.ours, r.peer]) {
      expect(cpu.serverMs).toBeGreaterThan(0);
      expect(cpu.machineMs).toBeGreaterThanOrEqual(cpu.serverMs * 0.9);
    }
  }
  expect(paired.ratioP50).toBe(median(paired.rounds.map((r) => r.ratioP50)));
  expect(paired.errors).toBe(0);
});
