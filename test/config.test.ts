import path from 'node:path';
import { ConfigError, loadConfig, testDatabaseUrl } from '../src/config';

describe('loadConfig', () => {
  it('defaults to the embedded database on port 4000 with the seed loaded', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 4000, databaseUrl: undefined, seedOnStart: true, production: false, introspection: true });
    expect(c.embedded.dataDir).toBe(path.resolve('.data/pglite'));
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
