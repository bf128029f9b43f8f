// The database stopped and restarted for real under a running server: a throwaway PostgreSQL 15
// cluster (test/support/cluster.ts) that `pg_ctl stop -m fast` takes down and `pg_ctl start`
// brings back on the same port, and a backend killed (SIGTERM, pg_terminate_backend) in the
// middle of a write. test/api/faults.test.ts covers the same ground through a TCP proxy,
// which cannot show what PostgreSQL itself does to an open transaction when it goes away.
import { Client } from 'pg';
import { startCluster } from '../support/cluster';
import { eventually } from '../support/eventually';
import { useBeforeAll } from '../support/hooks';
import { startTestServer, type GqlResponse } from '../support/server';

const DATABASE = 'att_test_db_restart';
const SLOW = 240_000;
/** What a client must never see of a database fault. */
const INTERNALS = /ECONNREFUSED|ECONNRESET|127\.0\.0\.1|terminating connection|administrator command|57P0|stacktrace|INSERT|event_participants|Prisma/;

const file = useBeforeAll(async (cleanup) => {
  const cluster = await startCluster();
  cleanup(() => cluster.destroy());
  const server = await startTestServer({ seedOnStart: false }, { database: await cluster.createDatabase(DATABASE) });
  cleanup(() => server.stop());
  const actor = await server.gql('mutation { createActor(input: { name: "Restart target", kind: STATE }) { id } }');
  return { cluster, server, base: server.url.replace(/\/graphql$/, ''), actorId: actor.data.createActor.id as string };
}, SLOW);

async function withClient<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: file.cluster.primaryUrl(DATABASE) });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Rows a createEvent writes (event, participant, audit row), counted on a connection of their own. */
const counts = () =>
  withClient(
    async (c) =>
      (
        await c.query(`SELECT (SELECT count(*) FROM events)::int AS events,
    (SELECT count(*) FROM event_participants)::int AS participants, (SELECT count(*) FROM audit_log)::int AS audit`)
      ).rows[0],
  );

const createEvent = (title: string) =>
  file.server.gql(`mutation { createEvent(input: { type: MEETING, title: "${title}", confidence: REPORTED, date: { edtf: "2023-09-13" },
    participants: [{ actorId: "${file.actorId}", role: PARTICIPANT }] }) { id } }`);

const readyStatus = () => fetch(`${file.base}/ready`).then((r) => r.status);

/**
 * A createEvent caught inside its transaction: a prepared transaction locks the audit log against
 * writes, so the write has inserted its event and participant and waits to insert its audit row.
 * (Not the participant's actor row: the write locks that FOR KEY SHARE before it writes anything.)
 * The lock is held by a prepared transaction, not a session: a fast shutdown terminates every
 * backend at once, and a session holding it could die first and let the write commit. A prepared
 * transaction outlives the stop and is rolled back by `release`, after a restart if need be.
 * Resolves once PostgreSQL shows that backend waiting on the lock, with its pid.
 */
async function blockedWrite(title: string) {
  const gid = `hold-audit-${process.pid}-${Date.now()}`;
  await withClient(async (c) => {
    await c.query('BEGIN');
    await c.query('LOCK TABLE audit_log IN EXCLUSIVE MODE');
    await c.query(`PREPARE TRANSACTION '${gid}'`);
  });
  const response = createEvent(title);
  const waiting = await eventually(
    () =>
      withClient(async (c) => (await c.query("SELECT pid, query FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")).rows),
    (rows) => rows.length > 0,
  );
  expect(waiting).toHaveLength(1);
  expect(waiting[0].query).toMatch(/INSERT INTO "public"\."audit_log"/);
  return {
    response,
    pid: waiting[0].pid as number,
    release: () => withClient((c) => c.query(`ROLLBACK PREPARED '${gid}'`)).then(() => undefined),
  };
}

/**
 * A blockedWrite cut by `cut` (given the write's backend pid) while it waits: it must fail as
 * unavailable. Returns the lock's release, for the caller to run once the database is up.
 */
async function cutWrite(title: string, cut: (pid: number) => Promise<unknown>): Promise<() => Promise<void>> {
  const blocked = await blockedWrite(title);
  try {
    await cut(blocked.pid);
    expectUnavailable(await blocked.response);
    return blocked.release;
  } catch (err) {
    await blocked.release().catch(() => undefined);
    throw err;
  }
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
  const read = await file.server.gql(`{ actor(id: "${file.actorId}") { name } events { totalCount } }`);
  expect(read).toMatchObject({ status: 200, data: { actor: { name: 'Restart target' }, events: { totalCount: 1 } } });
});

it(
  'pg_ctl stop -m fast: the write in flight fails cleanly and is rolled back; reads, writes and /ready say unavailable; after pg_ctl start it recovers without restart',
  async () => {
    const before = await counts();
    const release = await cutWrite('Cut by the stop', () => file.cluster.stopPrimary('fast'));

    // Down: the process answers, the database does not.
    expect((await fetch(`${file.base}/health`)).status).toBe(200);
    const ready = await fetch(`${file.base}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ database: 'down' });
    expectUnavailable(await file.server.gql(`{ actor(id: "${file.actorId}") { name } }`));
    expectUnavailable(await file.server.gql('{ events { totalCount } }'));
    expectUnavailable(await createEvent('While down'));

    await file.cluster.startPrimary();
    await release();
    expect(await eventually(readyStatus, (s) => s === 200)).toBe(200);
    const read = await eventually(
      () => file.server.gql('{ events { totalCount } }'),
      (r) => !r.errors,
    );
    expect(read).toMatchObject({ status: 200, data: { events: { totalCount: before.events } } });
    const after = await createEvent('After the restart');
    expect(after).toMatchObject({ status: 200, data: { createEvent: { id: expect.any(String) } } });
    // Nothing of the cut write nor of the refused one: exactly the acknowledged write more.
    expect(await counts()).toEqual({ events: before.events + 1, participants: before.participants + 1, audit: before.audit + 1 });
    const titles = await withClient(async (c) => (await c.query('SELECT title FROM events ORDER BY title')).rows.map((r) => r.title));
    expect(titles).toEqual(['After the restart', 'Before the stop']);
  },
  SLOW,
);

it(
  'a backend terminated (SIGTERM) mid-write: that request fails cleanly and is rolled back, the next one succeeds on a new connection',
  async () => {
    const before = await counts();
    const release = await cutWrite('Cut by SIGTERM', async (pid) => {
      const killed = await withClient(async (c) => (await c.query('SELECT pg_terminate_backend($1) AS ok', [pid])).rows[0].ok);
      expect(killed).toBe(true);
    });
    await release();
    expect(await readyStatus()).toBe(200);
    const next = await createEvent('After SIGTERM');
    expect(next).toMatchObject({ status: 200, data: { createEvent: { id: expect.any(String) } } });
    expect(await counts()).toEqual({ events: before.events + 1, participants: before.participants + 1, audit: before.audit + 1 });
    const titles = await withClient(async (c) => (await c.query("SELECT title FROM events WHERE title LIKE '%SIGTERM%'")).rows.map((r) => r.title));
    expect(titles).toEqual(['After SIGTERM']);
  },
  SLOW,
);
