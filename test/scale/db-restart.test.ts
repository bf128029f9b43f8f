// The database stopped and restarted for real under a running server: a throwaway PostgreSQL 15
// cluster (test/support/cluster.ts) that `pg_ctl stop -m fast` takes down and `pg_ctl start`
// brings back on the same port, and a backend killed (SIGTERM, pg_terminate_backend) in the
// middle of a write. test/api/faults.test.ts covers the same ground through a TCP proxy,
// which cannot show what PostgreSQL itself does to an open transaction when it goes away.
import { Client } from 'pg';
import { applyMigrations } from '../../src/db/migrate';
import { startCluster, type Cluster } from '../support/cluster';
import type { TestDatabase } from '../support/database';
import { eventually } from '../support/eventually';
import { startTestServer, type GqlResponse, type TestServer } from '../support/server';

const DATABASE = 'att_test_db_restart';
const SLOW = 240_000;
/** What a client must never see of a database fault. */
const INTERNALS = /ECONNREFUSED|ECONNRESET|127\.0\.0\.1|terminating connection|administrator command|57P0|stacktrace|INSERT|event_participants|Prisma/;

let cluster: Cluster;
let server: TestServer;
let base: string;
let actorId: string;

beforeAll(async () => {
  cluster = await startCluster();
  try {
    await cluster.onPrimary(`CREATE DATABASE ${DATABASE}`);
    await applyMigrations(cluster.primaryUrl(DATABASE));
    const database: TestDatabase = { url: cluster.primaryUrl(DATABASE), embedded: false, drop: async () => undefined };
    server = await startTestServer({ seedOnStart: false }, { database });
    base = server.url.replace(/\/graphql$/, '');
    actorId = (await server.gql('mutation { createActor(input: { name: "Restart target", kind: STATE }) { id } }')).data.createActor.id;
  } catch (err) {
    await cluster.destroy();
    throw err;
  }
}, SLOW);

afterAll(async () => {
  await server?.stop();
  await cluster?.destroy();
}, SLOW);

async function withClient<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: cluster.primaryUrl(DATABASE) });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Rows a createEvent writes (event, participant, audit row), counted on a connection of their own. */
const counts = () =>
  withClient(async (c) => (await c.query(`SELECT (SELECT count(*) FROM events)::int AS events,
    (SELECT count(*) FROM event_participants)::int AS participants, (SELECT count(*) FROM audit_log)::int AS audit`)).rows[0]);

const createEvent = (title: string) =>
  server.gql(`mutation { createEvent(input: { type: MEETING, title: "${title}", confidence: REPORTED, date: { edtf: "2023-09-13" },
    participants: [{ actorId: "${actorId}", role: PARTICIPANT }] }) { id } }`);

const readyStatus = () => fetch(`${base}/ready`).then((r) => r.status);

/**
 * A createEvent caught inside its transaction: a side transaction locks the participant's actor
 * row, so the write has inserted its event and waits on the participant insert (its FK check).
 * Resolves once PostgreSQL shows that backend waiting on the lock, with its pid.
 */
async function blockedWrite(title: string) {
  const lock = new Client({ connectionString: cluster.primaryUrl(DATABASE) });
  lock.on('error', () => undefined); // it dies with the server in the stop test
  await lock.connect();
  await lock.query('BEGIN');
  await lock.query('SELECT 1 FROM actors WHERE id = $1 FOR UPDATE', [actorId]);
  const response = createEvent(title);
  const waiting = await eventually(
    () => withClient(async (c) => (await c.query("SELECT pid, query FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")).rows),
    (rows) => rows.length > 0,
  );
  expect(waiting).toHaveLength(1);
  expect(waiting[0].query).toMatch(/INSERT INTO "public"\."event_participants"/);
  return {
    response,
    pid: waiting[0].pid as number,
    release: () => lock.end().catch(() => undefined),
  };
}

function expectUnavailable(res: GqlResponse<unknown>) {
  expect(res.status).not.toBe(500);
  // (a nullable root field comes back null beside its error, a non-null one nulls `data`)
  expect(Object.values(res.data ?? {}).filter((v) => v !== null)).toEqual([]);
  expect(res.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
  expect(JSON.stringify(res)).not.toMatch(INTERNALS);
}

it('serves reads and writes on the throwaway primary', async () => {
  expect(await readyStatus()).toBe(200);
  const created = await createEvent('Before the stop');
  expect(created).toMatchObject({ status: 200, data: { createEvent: { id: expect.any(String) } } });
  const read = await server.gql(`{ actor(id: "${actorId}") { name } events { totalCount } }`);
  expect(read).toMatchObject({ status: 200, data: { actor: { name: 'Restart target' }, events: { totalCount: 1 } } });
});

it('pg_ctl stop -m fast: the write in flight fails cleanly and is rolled back; reads, writes and /ready say unavailable; after pg_ctl start it recovers without restart', async () => {
  const before = await counts();
  const blocked = await blockedWrite('Cut by the stop');
  try {
    await cluster.stopPrimary('fast');
    expectUnavailable(await blocked.response);
  } finally {
    await blocked.release();
  }

  // Down: the process answers, the database does not.
  expect((await fetch(`${base}/health`)).status).toBe(200);
  const ready = await fetch(`${base}/ready`);
  expect(ready.status).toBe(503);
  expect(await ready.json()).toMatchObject({ database: 'down' });
  expectUnavailable(await server.gql(`{ actor(id: "${actorId}") { name } }`));
  expectUnavailable(await server.gql('{ events { totalCount } }'));
  expectUnavailable(await createEvent('While down'));

  await cluster.startPrimary();
  expect(await eventually(readyStatus, (s) => s === 200)).toBe(200);
  const read = await eventually(() => server.gql('{ events { totalCount } }'), (r) => !r.errors);
  expect(read).toMatchObject({ status: 200, data: { events: { totalCount: before.events } } });
  const after = await createEvent('After the restart');
  expect(after).toMatchObject({ status: 200, data: { createEvent: { id: expect.any(String) } } });
  // Nothing of the cut write nor of the refused one: exactly the acknowledged write more.
  expect(await counts()).toEqual({ events: before.events + 1, participants: before.participants + 1, audit: before.audit + 1 });
  const titles = await withClient(async (c) => (await c.query('SELECT title FROM events ORDER BY title')).rows.map((r) => r.title));
  expect(titles).toEqual(['After the restart', 'Before the stop']);
}, SLOW);

it('a backend terminated (SIGTERM) mid-write: that request fails cleanly and is rolled back, the next one succeeds on a new connection', async () => {
  const before = await counts();
  const blocked = await blockedWrite('Cut by SIGTERM');
  try {
    const killed = await withClient(async (c) => (await c.query('SELECT pg_terminate_backend($1) AS ok', [blocked.pid])).rows[0].ok);
    expect(killed).toBe(true);
    expectUnavailable(await blocked.response);
  } finally {
    await blocked.release();
  }
  expect(await readyStatus()).toBe(200);
  const next = await createEvent('After SIGTERM');
  expect(next).toMatchObject({ status: 200, data: { createEvent: { id: expect.any(String) } } });
  expect(await counts()).toEqual({ events: before.events + 1, participants: before.participants + 1, audit: before.audit + 1 });
  const titles = await withClient(async (c) => (await c.query("SELECT title FROM events WHERE title LIKE '%SIGTERM%'")).rows.map((r) => r.title));
  expect(titles).toEqual(['After SIGTERM']);
}, SLOW);
