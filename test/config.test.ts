import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, testDatabaseUrl } from '../src/config';

describe('loadConfig', () => {
  it('defaults to the embedded database on port 4000 with the seed loaded', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 4000, databaseUrl: undefined, seedOnStart: true, production: false, introspection: true });
    expect(c.embedded.dataDir).toBe(path.resolve('.data/postgres'));
  });

  it('reads DATABASE_URL and treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql://u@h:5432/d' }).databaseUrl).toBe('postgresql://u@h:5432/d');
    expect(loadConfig({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
  });

  it('turns introspection off in production unless asked for', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).introspection).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true' }).introspection).toBe(true);
  });

  it('names every invalid variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', SEED_ON_START: 'perhaps' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty', SEED_ON_START: 'perhaps' })).toThrow(/PORT[\s\S]*SEED_ON_START/);
  });

  it('lets tests use TEST_DATABASE_URL before DATABASE_URL', () => {
    expect(testDatabaseUrl({ TEST_DATABASE_URL: 'postgresql://a@b/c', DATABASE_URL: 'postgresql://x@y/z' })).toBe('postgresql://a@b/c');
    expect(testDatabaseUrl({})).toBeUndefined();
  });
});

describe('loadConfig: access and limits', () => {
  it('opens reads outside production and requires keys in production, unless told', () => {
    expect(loadConfig({}).authMode).toBe('open');
    expect(loadConfig({ NODE_ENV: 'production' }).authMode).toBe('required');
    expect(loadConfig({ NODE_ENV: 'production', AUTH_MODE: 'open' }).authMode).toBe('open');
    expect(() => loadConfig({ AUTH_MODE: 'sometimes' })).toThrow(/AUTH_MODE/);
  });

  it('allows any CORS origin outside production and none in production, unless listed', () => {
    expect(loadConfig({}).corsOrigins).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production' }).corsOrigins).toEqual([]);
    expect(loadConfig({ NODE_ENV: 'production', CORS_ORIGINS: 'https://a.example, https://b.example' }).corsOrigins).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
    expect(loadConfig({ CORS_ORIGINS: 'none' }).corsOrigins).toEqual([]);
    expect(loadConfig({ NODE_ENV: 'production', CORS_ORIGINS: '*' }).corsOrigins).toBe(true);
  });

  it('reads every limit, with documented defaults', () => {
    expect(loadConfig({})).toMatchObject({
      limits: {
        maxBodyBytes: 262144,
        maxDepth: 12,
        maxCost: 50000,
        maxAliases: 30,
        maxDirectives: 20,
        maxTokens: 5000,
        ratePoints: 600,
        rateWindowSeconds: 60,
      },
      statementTimeoutMs: 30000,
      shutdownTimeoutMs: 10000,
    });
    const c = loadConfig({ GRAPHQL_MAX_DEPTH: '5', RATE_LIMIT_POINTS: '0', DATABASE_STATEMENT_TIMEOUT_MS: '0', HTTP_MAX_BODY_BYTES: '2048' });
    expect(c.limits).toMatchObject({ maxDepth: 5, ratePoints: 0, maxBodyBytes: 2048 });
    expect(c.statementTimeoutMs).toBe(0);
    expect(() => loadConfig({ GRAPHQL_MAX_COST: 'lots' })).toThrow(/GRAPHQL_MAX_COST/);
  });

  it('reads the replicas and the rate-limit store; replicas need DATABASE_URL', () => {
    expect(loadConfig({})).toMatchObject({
      replicas: { urls: [], readYourWritesSeconds: 10, maxLagSeconds: 10, checkIntervalMs: 5000 },
      // in PostgreSQL on the embedded database too: a real PostgreSQL, shared by the server's sessions
      limits: { rateStore: 'postgres' },
    });
    const primary = 'postgresql://app@db:5432/att';
    const c = loadConfig({
      DATABASE_URL: primary,
      DATABASE_REPLICA_URLS: 'postgresql://app@r1:5432/att, postgresql://app@r2:5432/att',
      READ_YOUR_WRITES_SECONDS: '30',
      REPLICA_MAX_LAG_SECONDS: '2.5',
    });
    expect(c.replicas).toMatchObject({ urls: ['postgresql://app@r1:5432/att', 'postgresql://app@r2:5432/att'], readYourWritesSeconds: 30, maxLagSeconds: 2.5 });
    expect(c.limits.rateStore).toBe('postgres');
    expect(loadConfig({ DATABASE_URL: primary, RATE_LIMIT_STORE: 'memory' }).limits.rateStore).toBe('memory');
    expect(() => loadConfig({ DATABASE_REPLICA_URLS: 'postgresql://app@r1:5432/att' })).toThrow(/DATABASE_REPLICA_URLS: needs DATABASE_URL/);
    expect(() => loadConfig({ DATABASE_URL: primary, DATABASE_REPLICA_URLS: 'replica one' })).toThrow(/DATABASE_REPLICA_URLS: not a URL/);
    expect(() => loadConfig({ RATE_LIMIT_STORE: 'redis' })).toThrow(/RATE_LIMIT_STORE/);
  });

  it('documents every variable it reads in docs/configuration.md', () => {
    const doc = fs.readFileSync(path.resolve(__dirname, '../docs/configuration.md'), 'utf8');
    const source = fs.readFileSync(path.resolve(__dirname, '../src/config.ts'), 'utf8');
    const vars = [...source.matchAll(/^\s{2}([A-Z][A-Z0-9_]+): z\./gm)].map((m) => m[1]);
    expect(vars.length).toBeGreaterThan(20);
    for (const v of vars) expect(doc).toContain(`| \`${v}\` |`);
  });
});
