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
import { useBeforeAll } from './hooks';

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

/** The data of a successful response (fails the test with the errors otherwise). */
export function ok<T = any>(res: GqlResponse<T>): T {
  expect(res.errors).toBeUndefined();
  expect(res.status).toBe(200);
  return res.data as T;
}

/** The headers that send a minted key. */
export const as = (k: { key: string }) => ({ authorization: `Bearer ${k.key}` });

/** A query POSTed to any GraphQL URL (a server this file did not start), with a key if given. */
export async function gqlAt(url: string, query: string, key?: string): Promise<GqlResponse<any>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, ...((await res.json()) as object) };
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
    poolSize: 4,
    logLevel: 'silent',
    authMode: 'open',
    shutdownTimeoutMs: 5_000,
    ...rest,
    // Tests send many requests quickly: no rate limit unless a test asks for one.
    limits: { ...base.limits, ratePoints: 0, ...limits },
  };
  let server: RunningServer;
  try {
    // Tests count statements (no N+1): the one place they are counted besides the benchmark.
    server = await startServer(config, { countStatements: true });
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

/** A database for the calling file's servers, which start on it one after another. */
export interface SharedDatabase {
  readonly url: string;
  /** A server on the shared database; stopping it leaves the database for the next. */
  start(overrides?: TestConfig): Promise<TestServer>;
}

/** Makes the file's shared database in a beforeAll and drops it in an afterAll, `timeoutMs` each. */
export function useSharedDatabase(timeoutMs: number): SharedDatabase {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
  }, timeoutMs);
  afterAll(() => database?.drop(), timeoutMs);
  const made = () => {
    if (!database) throw new Error('useSharedDatabase: the database is made in beforeAll; use it in a hook or a test');
    return database;
  };
  return {
    get url() {
      return made().url;
    },
    start: (overrides = {}) => startTestServer(overrides, { database: made() }),
  };
}

/**
 * A server for the calling file's tests: started in beforeAll with `overrides` (then `prepare` run on
 * it, whose fields join `server`), stopped in afterAll. Read its fields in hooks and tests only.
 */
export function useFileServer<E extends object = object>(
  overrides: TestConfig,
  prepare?: (server: TestServer) => Promise<E> | E,
): { readonly server: TestServer } & Readonly<E> {
  return useBeforeAll(async (cleanup) => {
    const server = await startTestServer(overrides);
    cleanup(() => server.stop());
    return { server, ...((await prepare?.(server)) as E) };
  }, 180_000);
}

/** useFileServer's server as a value of its own, for files whose tests need nothing else: read it in hooks and tests only. */
export function useServer(overrides: TestConfig): TestServer {
  const file = useFileServer(overrides);
  return new Proxy({} as TestServer, {
    get: (_, key) => file.server[key as keyof TestServer],
  });
}

/** A server without the seed that requires API keys, with an ADMIN key minted as `label`. */
export const useKeyedServer = (label: string) =>
  useFileServer({ seedOnStart: false, authMode: 'required' }, async (server) => ({ admin: await server.mintKey('ADMIN', { label }) }));

/** Empty servers (no seed) that each test starts for itself; what a test started is stopped after it. */
export function useServersPerTest(): () => Promise<TestServer> {
  let started: TestServer[] = [];
  afterEach(async () => {
    const stopping = started;
    started = [];
    await Promise.all(stopping.map((s) => s.stop()));
  });
  return async () => {
    const s = await startTestServer({ seedOnStart: false });
    // A test may stop its server itself; the afterEach then waits for that same stop.
    let stopped: Promise<void> | undefined;
    const server: TestServer = { ...s, stop: () => (stopped ??= s.stop()) };
    started.push(server);
    return server;
  };
}
