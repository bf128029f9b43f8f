// The only reader of process.env. Every variable is documented in docs/configuration.md.
import path from 'node:path';
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DATABASE_URL: z.string().url().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  EMBEDDED_DATA_DIR: z.string().default('.data/postgres'),
  EMBEDDED_DB_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  SEED_ON_START: bool.default(true),
  GRAPHQL_INTROSPECTION: bool.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TEST_DATABASE_URL: z.string().url().optional(),
  AUTH_MODE: z.enum(['open', 'required']).optional(),
  CORS_ORIGINS: z.string().optional(),
  HTTP_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(262_144),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(1).default(12),
  GRAPHQL_MAX_COST: z.coerce.number().int().min(1).default(50_000),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).default(30),
  GRAPHQL_MAX_DIRECTIVES: z.coerce.number().int().min(0).default(20),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(1).default(5_000),
  RATE_LIMIT_POINTS: z.coerce.number().int().min(0).default(600),
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  PLAYGROUND: z.enum(['graphiql', 'sandbox', 'off']).optional(),
  PERSISTED_QUERIES: z.enum(['apq', 'only', 'off']).default('apq'),
  PERSISTED_QUERIES_MANIFEST: z.string().default('persisted-queries.json'),
  DATABASE_REPLICA_URLS: z.string().optional(),
  READ_YOUR_WRITES_SECONDS: z.coerce.number().int().min(0).default(10),
  REPLICA_MAX_LAG_SECONDS: z.coerce.number().min(0).default(10),
  REPLICA_CHECK_INTERVAL_MS: z.coerce.number().int().min(50).default(5_000),
  RATE_LIMIT_STORE: z.enum(['postgres', 'memory']).optional(),
  API_KEY_CACHE_SECONDS: z.coerce.number().min(0).max(300).default(5),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  production: boolean;
  host: string;
  port: number;
  /** `undefined`: the embedded PostgreSQL in `embedded.dataDir` (src/db/embedded.ts). */
  databaseUrl?: string;
  poolSize: number;
  /** The embedded cluster's directory, and the port it listens on (127.0.0.1; 0: a free one). */
  embedded: { dataDir: string; port: number };
  seedOnStart: boolean;
  /** Schema introspection and the Apollo Sandbox landing page; default: on outside production. */
  introspection: boolean;
  logLevel: Env['LOG_LEVEL'];
  /** `open`: reads need no key (mutations still need EDITOR); `required`: every request needs a key. */
  authMode: 'open' | 'required';
  /** Origins allowed by CORS; `true`: any origin; empty: none (no CORS headers). */
  corsOrigins: string[] | true;
  limits: {
    maxBodyBytes: number;
    maxDepth: number;
    maxCost: number;
    maxAliases: number;
    maxDirectives: number;
    maxTokens: number;
    /** Requests per key (or per IP without a key) in each window; 0: no rate limit. */
    ratePoints: number;
    rateWindowSeconds: number;
    /** Where the counters live: `postgres` (shared by every instance) or `memory` (per process). */
    rateStore: 'postgres' | 'memory';
  };
  /** Read replicas (streaming standbys of databaseUrl); empty: every read goes to the primary. */
  replicas: {
    urls: string[];
    /** A key that wrote within this many seconds reads from the primary (its own writes are visible at once). */
    readYourWritesSeconds: number;
    /** A replica further behind than this is out of rotation until it catches up. */
    maxLagSeconds: number;
    /** How often each replica's health and lag are checked. */
    checkIntervalMs: number;
  };
  /** How long a verified API key is trusted without asking the database again (bounds how late a revocation elsewhere takes effect); 0: every request. */
  apiKeyCacheSeconds: number;
  /** PostgreSQL statement_timeout for every pooled connection, ms; 0: none. */
  statementTimeoutMs: number;
  /** How long a shutdown waits for in-flight requests before closing them. */
  shutdownTimeoutMs: number;
  /** What a browser gets at GET /graphql and GET /: the self-hosted GraphiQL, Apollo Sandbox, or nothing. */
  playground: 'graphiql' | 'sandbox' | 'off';
  /** `apq`: automatic persisted queries; `only`: just the manifest's operations; `off`: full text only. */
  persistedQueries: { mode: 'apq' | 'only' | 'off'; manifestPath: string };
}

export class ConfigError extends Error {}

function parseEnv(env: NodeJS.ProcessEnv): Env {
  // Treat empty strings as unset, as shells and compose files often produce them.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const e = parseEnv(env);
  return {
    env: e.NODE_ENV,
    production: e.NODE_ENV === 'production',
    host: e.HOST,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    poolSize: e.DATABASE_POOL_SIZE,
    embedded: { dataDir: path.resolve(e.EMBEDDED_DATA_DIR), port: e.EMBEDDED_DB_PORT },
    seedOnStart: e.SEED_ON_START,
    introspection: e.GRAPHQL_INTROSPECTION ?? e.NODE_ENV !== 'production',
    logLevel: e.LOG_LEVEL,
    authMode: e.AUTH_MODE ?? (e.NODE_ENV === 'production' ? 'required' : 'open'),
    corsOrigins: parseOrigins(e.CORS_ORIGINS, e.NODE_ENV === 'production'),
    limits: {
      maxBodyBytes: e.HTTP_MAX_BODY_BYTES,
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxCost: e.GRAPHQL_MAX_COST,
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxDirectives: e.GRAPHQL_MAX_DIRECTIVES,
      maxTokens: e.GRAPHQL_MAX_TOKENS,
      ratePoints: e.RATE_LIMIT_POINTS,
      rateWindowSeconds: e.RATE_LIMIT_WINDOW_SECONDS,
      rateStore: e.RATE_LIMIT_STORE ?? 'postgres',
    },
    replicas: {
      urls: parseReplicaUrls(e.DATABASE_REPLICA_URLS, e.DATABASE_URL),
      readYourWritesSeconds: e.READ_YOUR_WRITES_SECONDS,
      maxLagSeconds: e.REPLICA_MAX_LAG_SECONDS,
      checkIntervalMs: e.REPLICA_CHECK_INTERVAL_MS,
    },
    apiKeyCacheSeconds: e.API_KEY_CACHE_SECONDS,
    statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    playground: e.PLAYGROUND ?? ((e.GRAPHQL_INTROSPECTION ?? e.NODE_ENV !== 'production') ? 'graphiql' : 'off'),
    persistedQueries: { mode: e.PERSISTED_QUERIES, manifestPath: path.resolve(e.PERSISTED_QUERIES_MANIFEST) },
    ...overrides,
  };
}

/** CORS_ORIGINS: `*` (any), `none`, or a comma-separated list; unset: any outside production, none in production. */
function parseOrigins(value: string | undefined, production: boolean): string[] | true {
  if (value === undefined) return production ? [] : true;
  if (value.trim() === '*') return true;
  if (value.trim().toLowerCase() === 'none') return [];
  return value
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
}

/** DATABASE_REPLICA_URLS: comma-separated PostgreSQL URLs; they replicate DATABASE_URL, so they need it. */
function parseReplicaUrls(value: string | undefined, primary: string | undefined): string[] {
  const urls = (value ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  if (urls.length && !primary)
    throw new ConfigError('Invalid configuration:\n  DATABASE_REPLICA_URLS: needs DATABASE_URL (the embedded database has no replicas)');
  for (const u of urls) {
    if (!z.string().url().safeParse(u).success) throw new ConfigError(`Invalid configuration:\n  DATABASE_REPLICA_URLS: not a URL: ${u}`);
  }
  return urls;
}

/** The PostgreSQL the test suite creates its throwaway databases on; undefined: the suite starts an embedded one (test/support/global-setup.ts). */
export function testDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const e = parseEnv(env);
  return e.TEST_DATABASE_URL ?? e.DATABASE_URL;
}
