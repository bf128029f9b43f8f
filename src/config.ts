// The only reader of process.env. Every variable is documented in README.md ("Configuration").
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DATABASE_URL: z.string().url().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  EMBEDDED_DATA_DIR: z.string().default('.data/pglite'),
  EMBEDDED_DB_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  SEED_ON_START: bool.default(true),
  GRAPHQL_INTROSPECTION: bool.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TEST_DATABASE_URL: z.string().url().optional(),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  production: boolean;
  host: string;
  port: number;
  /** `undefined`: run the embedded PostgreSQL (PGlite) from `embedded.dataDir`. */
  databaseUrl?: string;
  poolSize: number;
  embedded: { dataDir: string; port: number };
  seedOnStart: boolean;
  /** Schema introspection and the Apollo Sandbox landing page; default: on outside production. */
  introspection: boolean;
  logLevel: Env['LOG_LEVEL'];
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
    ...overrides,
  };
}

/** The PostgreSQL the test suite creates its throwaway databases on; undefined: embedded PGlite. */
export function testDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const e = parseEnv(env);
  return e.TEST_DATABASE_URL ?? e.DATABASE_URL;
}
