// A real server on a random port over a fresh test database, and a tiny
// GraphQL-over-HTTP client for it.
import { loadConfig, type Config } from '../../src/config';
import { startServer, type RunningServer } from '../../src/server';
import { createTestDatabase, type TestDatabase } from './database';

export interface TestServer extends RunningServer {
  database: TestDatabase;
  gql<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GqlResponse<T>>;
}

export interface GqlResponse<T> {
  status: number;
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: { code?: string; field?: string; [k: string]: unknown } }[];
}

export async function startTestServer(overrides: Partial<Config> = {}): Promise<TestServer> {
  const database = await createTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test' }, {
    port: 0,
    host: '127.0.0.1',
    databaseUrl: database.url,
    poolSize: database.embedded ? 1 : 4,
    logLevel: 'silent',
    ...overrides,
  });
  let server: RunningServer;
  try {
    server = await startServer(config);
  } catch (err) {
    await database.drop();
    throw err;
  }
  return {
    ...server,
    database,
    async stop() {
      await server.stop();
      await database.drop();
    },
    async gql(query, variables, headers = {}) {
      const res = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, ...((await res.json()) as object) };
    },
  };
}
