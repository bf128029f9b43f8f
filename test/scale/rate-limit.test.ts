// A stateless app tier: two server instances on one database share the rate limit, because
// the counters live in PostgreSQL (RATE_LIMIT_STORE=postgres, table rate_limits), not in
// either process. The embedded database serves every connection from one session, where the
// limiter's named prepared statements from two instances collide: there a single instance
// shows the counters land in the table (the embedded default is the in-memory store).
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';

const limits = { ratePoints: 5, rateWindowSeconds: 60, rateStore: 'postgres' as const };
const READ = '{ sources { id } }';

describe('rate limit in PostgreSQL', () => {
  let database: TestDatabase;
  let one: TestServer;
  let two: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    one = await startTestServer({ seedOnStart: false, limits }, { database });
    two = database.embedded ? one : await startTestServer({ seedOnStart: false, limits }, { database });
  }, 180_000);
  afterAll(async () => {
    await one?.stop();
    if (two !== one) await two?.stop();
    await database?.drop();
  }, 180_000);

  it('counts requests made to either instance against one budget per key, kept in rate_limits', async () => {
    const { key, id } = await one.mintKey('VIEWER');
    const auth = { authorization: `Bearer ${key}` };
    const statuses: number[] = [];
    for (const server of [one, two, one, two, one]) statuses.push((await server.gql(READ, undefined, auth)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    // The sixth request is over the budget on both instances, though each has seen fewer than five.
    for (const server of [two, one]) {
      const res = await server.gql(READ, undefined, auth);
      expect(res.status).toBe(429);
      expect(res.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
      expect(Number(res.headers!.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    const c = new Client({ connectionString: database.url });
    await c.connect();
    try {
      const { rows } = await c.query<{ points: number }>('SELECT points FROM rate_limits WHERE key LIKE $1', [`%key:${id}`]);
      expect(rows).toEqual([{ points: 7 }]);
    } finally {
      await c.end();
    }
    // Another key has its own budget.
    const other = (await two.mintKey('VIEWER')).key;
    expect((await one.gql(READ, undefined, { authorization: `Bearer ${other}` })).status).toBe(200);
  });
});
