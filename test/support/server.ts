// A real server on a random port over a fresh test database, and a tiny
// GraphQL-over-HTTP client for it.
//
// Test servers run with AUTH_MODE=open unless told otherwise. `gql` sends an
// EDITOR key (minted at start) with mutations and no key with reads, so tests
// that are not about access need not think about it; pass an `authorization`
// header to choose (an empty one sends none). `mintKey` makes keys of any role.
import { generateKey, type Role } from '../../src/auth/keys';
import { loadConfig, type Config } from '../../src/config';
import { startServer, type RunningServer } from '../../src/server';
import { createTestDatabase, type TestDatabase } from './database';

export interface TestServer extends RunningServer {
  database: TestDatabase;
  /** An EDITOR key, sent by `gql` with mutations. */
  editorKey: string;
  mintKey(role: Role, opts?: { label?: string; expiresAt?: Date | null }): Promise<{ key: string; id: string }>;
  gql<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GqlResponse<T>>;
}

export interface GqlResponse<T> {
  status: number;
  headers?: Headers;
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: { code?: string; field?: string; [k: string]: unknown } }[];
}

export type TestConfig = Partial<Omit<Config, 'limits'>> & { limits?: Partial<Config['limits']> };

export async function startTestServer(overrides: TestConfig = {}, opts: { database?: TestDatabase } = {}): Promise<TestServer> {
  const database = opts.database ?? (await createTestDatabase());
  const base = loadConfig({ NODE_ENV: 'test' });
  const { limits, ...rest } = overrides;
  const config: Config = {
    ...base,
    port: 0,
    host: '127.0.0.1',
    databaseUrl: database.url,
    poolSize: database.embedded ? 1 : 4,
    logLevel: 'silent',
    authMode: 'open',
    shutdownTimeoutMs: 5_000,
    ...rest,
    // Tests send many requests quickly: no rate limit unless a test asks for one.
    // Counters in PostgreSQL where there is one (as in production), in memory on the embedded database.
    limits: { ...base.limits, ratePoints: 0, rateStore: database.embedded ? 'memory' : 'postgres', ...limits },
  };
  let server: RunningServer;
  try {
    server = await startServer(config);
  } catch (err) {
    if (!opts.database) await database.drop();
    throw err;
  }
  const mintKey: TestServer['mintKey'] = async (role, o = {}) => {
    // A fixture, not a change under test: stored without an audit row (createApiKey writes one),
    // so that tests counting audit rows see only what their requests wrote.
    const { key, hash } = generateKey();
    const row = await server.db.prisma.apiKey.create({ data: { role, label: o.label ?? `test ${role}`, keyHash: hash, expiresAt: o.expiresAt ?? null } });
    return { key, id: row.id };
  };
  const editorKey = (await mintKey('EDITOR', { label: 'test editor' })).key;
  return {
    ...server,
    database,
    editorKey,
    mintKey,
    async stop() {
      await server.stop();
      if (!opts.database) await database.drop();
    },
    async gql(query, variables, headers = {}) {
      const h: Record<string, string> = { 'content-type': 'application/json', ...headers };
      if (!('authorization' in headers) && /^\s*mutation\b/.test(query)) h.authorization = `Bearer ${editorKey}`;
      if (h.authorization === '') delete h.authorization;
      const res = await fetch(server.url, { method: 'POST', headers: h, body: JSON.stringify({ query, variables }) });
      const text = await res.text();
      let body: object;
      try {
        body = JSON.parse(text) as object;
      } catch {
        body = { raw: text };
      }
      return { status: res.status, headers: res.headers, ...body };
    },
  };
}
