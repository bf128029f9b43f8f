// SIGTERM on a real server process (node with tsx's loader, as `npm start` runs it) under a
// write load: every acknowledged write is committed, every committed write was acknowledged;
// new connections are refused, a new request on a kept-alive connection is answered 503 with
// `Connection: close`; what still runs at SHUTDOWN_TIMEOUT_MS is rolled back and answered 503.
// NODE_ENV=development, as a developer's `npm start` (under NODE_ENV=test Apollo Server leaves
// termination signals alone by default).
import http from 'node:http';
import net from 'node:net';
import { Client } from 'pg';
import { createApiKey } from '../../src/auth/store';
import { createPrisma } from '../../src/db/client';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { eventually } from '../support/eventually';
import { startServerProcess } from '../support/process';

let database: TestDatabase;
let key: string;

beforeAll(async () => {
  database = await createTestDatabase();
  const setup = createPrisma(database.url, 1);
  try {
    key = (await createApiKey(setup, { role: 'EDITOR', label: 'shutdown' })).key;
  } finally {
    await setup.close();
  }
}, 180_000);

afterAll(async () => {
  await database?.drop();
}, 60_000);

async function query<T extends object>(sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: database.url });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

const createEvent = (title: string) =>
  JSON.stringify({
    query: `mutation { createEvent(input: { type: MEETING, title: ${JSON.stringify(title)}, date: { edtf: "2023" }, confidence: REPORTED }) { id } }`,
  });

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
  reusedSocket: boolean;
}

/** One POST through `agent`; rejects on a network error (err.code: ECONNREFUSED, ECONNRESET…). */
function post(url: string, body: string, agent: http.Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        let parsed: Answer['body'];
        try {
          parsed = JSON.parse(text) as Answer['body'];
        } catch {
          parsed = { errors: [{ message: `not JSON: ${text.slice(0, 200)}` }] };
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed, reusedSocket: req.reusedSocket });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Whether a new TCP connection to the port is refused. */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

it('SIGTERM under a write load at concurrency 16: acknowledged = committed (rows and audit rows), new connections refused, exit 0', async () => {
  const server = await startServerProcess({ DATABASE_URL: database.url, SHUTDOWN_TIMEOUT_MS: '30000' });
  const acked = new Map<string, string>(); // title → id
  const unavailable: string[] = [];
  const otherAnswers: string[] = [];
  const networkErrors: string[] = [];
  let exited = false;
  void server.exited.then(() => (exited = true));
  let signalled = false;
  const worker = async (w: number) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let i = 0; !exited; i++) {
        const title = `load ${w}-${i}`;
        let answer: Answer;
        try {
          answer = await post(server.url, createEvent(title), agent);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code ?? String(err);
          networkErrors.push(code);
          if (code === 'ECONNREFUSED') return;
          continue;
        }
        if (answer.status === 200 && answer.body.data?.createEvent?.id && !answer.body.errors) acked.set(title, answer.body.data.createEvent.id);
        else if (answer.status === 503 && answer.body.errors?.[0]?.extensions?.code === 'SERVICE_UNAVAILABLE') unavailable.push(answer.body.errors[0].message);
        else otherAnswers.push(`${answer.status} ${JSON.stringify(answer.body)}`);
        if (!signalled && acked.size >= 64) {
          signalled = true;
          server.child.kill('SIGTERM');
        }
      }
    } finally {
      agent.destroy();
    }
  };
  await Promise.all(Array.from({ length: 16 }, (_, w) => worker(w)));
  const { code, signal } = await server.exited;
  const committed = await query<{ id: string; title: string }>("SELECT id, title FROM events WHERE title LIKE 'load %'");
  const audited = await query<{ entity_id: string }>("SELECT entity_id FROM audit_log WHERE operation = 'createEvent'");
  const sorted = (xs: string[]) => [...xs].sort();
  console.log(
    `shutdown under load: ${acked.size} acknowledged, ${committed.length} committed, ${audited.length} audit rows, ${unavailable.length} answered 503, network errors: ${JSON.stringify(networkErrors.reduce<Record<string, number>>((m, c) => ({ ...m, [c]: (m[c] ?? 0) + 1 }), {}))}`,
  );
  expect(sorted(committed.map((r) => r.title))).toEqual(sorted([...acked.keys()]));
  expect(sorted(committed.map((r) => r.id))).toEqual(sorted([...acked.values()]));
  expect(sorted(audited.map((r) => r.entity_id))).toEqual(sorted([...acked.values()]));
  expect({ code, signal, signalled }).toEqual({ code: 0, signal: null, signalled: true });
  expect(otherAnswers).toEqual([]);
  // Nothing still running was cut short: the timeout (30 s) was never reached.
  expect(server.output()).not.toContain('shutdown: timed out');
  // Every worker ended on a refused connection: the listener was closed.
  expect(networkErrors.filter((c) => c === 'ECONNREFUSED')).toHaveLength(16);
}, 180_000);

it('SIGTERM with a write held past SHUTDOWN_TIMEOUT_MS: it is rolled back and answered 503; a kept-alive connection gets 503 + Connection: close; a half-sent request 503', async () => {
  const server = await startServerProcess({ DATABASE_URL: database.url, SHUTDOWN_TIMEOUT_MS: '1500' });
  const keptAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const other = new http.Agent({ keepAlive: false });
  const blocker = new Client({ connectionString: database.url });
  await blocker.connect();
  try {
    // A kept-alive connection, idle when the signal comes.
    const first = await post(server.url, JSON.stringify({ query: '{ __typename }' }), keptAlive);
    expect(first.status).toBe(200);

    // A request whose body is half sent when the signal comes: it can never finish.
    const half = net.connect(server.port, '127.0.0.1');
    let halfAnswer = '';
    half.setEncoding('utf8');
    half.on('data', (d: string) => (halfAnswer += d));
    const halfClosed = new Promise<void>((r) => half.once('close', () => r()));
    half.on('error', () => undefined);
    const body = createEvent('half sent');
    half.write(
      `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer ${key}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 20)}`,
    );

    // A write that waits for a lock this test holds: its event row is inserted, its audit row waits.
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE audit_log IN EXCLUSIVE MODE');
    const held = post(server.url, createEvent('held past the timeout'), other);
    const waiting = await eventually(
      async () =>
        (await query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"))[0].n,
      (n) => n >= 1,
    );
    expect(waiting).toBe(1);

    server.child.kill('SIGTERM');
    expect(await server.waitFor(/shutdown: draining/)).not.toBeNull();
    expect(
      await eventually(
        () => refused(server.port),
        (r) => r,
        10_000,
      ),
    ).toBe(true);

    const late = await post(server.url, JSON.stringify({ query: '{ __typename }' }), keptAlive);
    expect({ status: late.status, connection: late.headers.connection, reused: late.reusedSocket, code: late.body.errors?.[0]?.extensions?.code }).toEqual({
      status: 503,
      connection: 'close',
      reused: true,
      code: 'SERVICE_UNAVAILABLE',
    });

    const answer = await held;
    expect({ status: answer.status, code: answer.body.errors?.[0]?.extensions?.code, data: answer.body.data?.createEvent ?? null }).toEqual({
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
      data: null,
    });
    await halfClosed;
    expect(halfAnswer).toMatch(/^HTTP\/1\.1 503 /);
    expect(halfAnswer).toMatch(/connection: close/i);

    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.output()).toContain('shutdown: timed out');
    // Rolled back: no event row (it had been inserted before the audit row waited), and nothing
    // of the server's left in the database.
    expect(await query("SELECT id FROM events WHERE title IN ('held past the timeout', 'half sent')")).toEqual([]);
    expect(
      await query('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid NOT IN ($1, pg_backend_pid())', [
        (blocker as unknown as { processID: number }).processID,
      ]),
    ).toEqual([]);
  } finally {
    await blocker.query('ROLLBACK').catch(() => undefined);
    await blocker.end();
    keptAlive.destroy();
    other.destroy();
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
  }
  expect(await query("SELECT entity_id FROM audit_log WHERE operation = 'createEvent' AND after->>'title' = 'held past the timeout'")).toEqual([]);
}, 180_000);

it('a second signal stops the wait: what still runs is rolled back and answered 503 at once', async () => {
  // A timeout far beyond this test's own: only the second signal can end the wait in time.
  const server = await startServerProcess({ DATABASE_URL: database.url, SHUTDOWN_TIMEOUT_MS: '600000' });
  const blocker = new Client({ connectionString: database.url });
  await blocker.connect();
  const agent = new http.Agent({ keepAlive: false });
  try {
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE audit_log IN EXCLUSIVE MODE');
    const held = post(server.url, createEvent('held until the second signal'), agent);
    await eventually(
      async () =>
        (await query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"))[0].n,
      (n) => n >= 1,
    );
    server.child.kill('SIGINT');
    expect(await server.waitFor(/shutdown: draining/)).not.toBeNull();
    server.child.kill('SIGINT');
    const answer = await held;
    expect({ status: answer.status, code: answer.body.errors?.[0]?.extensions?.code }).toEqual({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(await query("SELECT id FROM events WHERE title = 'held until the second signal'")).toEqual([]);
  } finally {
    await blocker.query('ROLLBACK').catch(() => undefined);
    await blocker.end();
    agent.destroy();
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
  }
}, 180_000);
