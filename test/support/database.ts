// One fresh, migrated database per test file: a new database on the PostgreSQL
// named by TEST_DATABASE_URL (or DATABASE_URL), or else an in-memory embedded
// PGlite. Never a mock. Databases this creates are dropped by drop().
import crypto from 'node:crypto';
import { Client } from 'pg';
import { testDatabaseUrl } from '../../src/config';
import { startEmbeddedPostgres } from '../../src/db/embedded';
import { applyMigrations } from '../../src/db/migrate';

export interface TestDatabase {
  url: string;
  /** PGlite serves one session at a time: clients must use a pool of one. */
  embedded: boolean;
  drop(): Promise<void>;
}

/** A new empty database (no migrations applied). */
export async function createEmptyDatabase(): Promise<TestDatabase> {
  const server = testDatabaseUrl();
  if (!server) {
    const pg = await startEmbeddedPostgres({});
    return { url: pg.url, embedded: true, drop: () => pg.stop() };
  }
  const name = `att_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    embedded: false,
    async drop() {
      const c = new Client({ connectionString: server });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const db = await createEmptyDatabase();
  await applyMigrations(db.url);
  return db;
}
