// A stateless app tier: two server instances on one database share the rate limit, because
// the counters live in PostgreSQL (RATE_LIMIT_STORE=postgres, table rate_limits), not in
// either process.
import { Client } from 'pg';
import { createTestDatabase } from '../support/database';
import { useBeforeAll } from '../support/hooks';
import { startTestServer } from '../support/server';

const limits = { ratePoints: 5, rateWindowSeconds: 60, rateStore: 'postgres' as const };
const READ = '{ sources { id } }';

describe('rate limit in PostgreSQL', () => {
  const file = useBeforeAll(async (cleanup) => {
    const database = await createTestDatabase();
    cleanup(() => database.drop());
    const server = async () => {
      const started = await startTestServer({ seedOnStart: false, limits }, { database });
      cleanup(() => started.stop());
      return started;
    };
    return { database, one: await server(), two: await server() };
  }, 180_000);

  it('counts requests made to either instance against one budget per key, kept in rate_limits', async () => {
    const { database, one, two } = file;
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
