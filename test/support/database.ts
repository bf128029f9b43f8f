// One fresh, migrated database per test file, on the PostgreSQL named by TEST_DATABASE_URL (or
// DATABASE_URL; without either, the suite's own embedded cluster: global-setup.ts). Never a mock.
// Databases this creates are dropped by drop().
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, type QueryResult, type QueryResultRow } from 'pg';
import { testDatabaseUrl } from '../../src/config';
import { createPrisma, type Db, type DbHandle } from '../../src/db/client';
import { applyMigrations, MIGRATIONS_DIR } from '../../src/db/migrate';
import { useBeforeAll } from './hooks';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** The PostgreSQL server the test databases are made on. */
function serverUrl(): string {
  const url = testDatabaseUrl();
  if (!url) throw new Error('no TEST_DATABASE_URL: test/support/global-setup.ts starts an embedded PostgreSQL when none is set (run the tests through jest)');
  return url;
}

/** A new empty database (no migrations applied). */
export async function createEmptyDatabase(): Promise<TestDatabase> {
  const server = serverUrl();
  const name = `att_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
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

/** A test file's own database and a client on it, there from its first test to its last. */
export interface FileDatabase extends Db {
  readonly url: string;
  readonly pool: DbHandle['pool'];
}

/**
 * A fresh migrated database and a client with `poolSize` connections for the tests of the file (or
 * describe block) that calls this: made in a beforeAll, closed and dropped in an afterAll.
 */
export function useTestDatabase(poolSize = 1, timeoutMs?: number): FileDatabase {
  let db: TestDatabase | undefined;
  let handle: DbHandle | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    handle = createPrisma(db.url, poolSize);
  }, timeoutMs);
  afterAll(async () => {
    await handle?.close();
    await db?.drop();
  }, timeoutMs);
  const ready = () => {
    if (!db || !handle) throw new Error('useTestDatabase: the database is made in beforeAll; use it in a hook or a test');
    return { db, handle };
  };
  return {
    get url() {
      return ready().db.url;
    },
    get prisma() {
      return ready().handle.prisma;
    },
    get pool() {
      return ready().handle.pool;
    },
    get raw() {
      return ready().handle.raw;
    },
    transaction: (run, options) => ready().handle.transaction(run, options),
  };
}

/** A fresh migrated database for the calling file and a client of the test's own on it. */
export interface ClientDatabase {
  readonly url: string;
  readonly client: Client;
}

/** Makes a ClientDatabase in a beforeAll; closes the client and drops the database in an afterAll. */
export function useClientDatabase(timeoutMs?: number): ClientDatabase {
  return useBeforeAll(async (cleanup) => {
    const database = await createTestDatabase();
    cleanup(() => database.drop());
    const client = new Client({ connectionString: database.url });
    await client.connect();
    cleanup(() => client.end());
    return { url: database.url, client };
  }, timeoutMs);
}

/** A client on a database of the calling file's, for reading what a migration did. */
export interface MigratedData {
  query<R extends QueryResultRow = any>(text: string, params?: unknown[]): Promise<QueryResult<R>>;
}

/**
 * For testing `migration` on existing data: a fresh database for the calling file, migrated up to
 * just before `migration`, then `data` (SQL) written, then the rest of the migrations applied.
 * Dropped after the file's tests.
 */
export function useDataBeforeMigration(migration: string, data: string): MigratedData {
  let db: TestDatabase | undefined;
  let client: Client | undefined;
  beforeAll(async () => {
    db = await createEmptyDatabase();
    const before = fs.mkdtempSync(path.join(os.tmpdir(), 'att-migrations-'));
    for (const name of fs.readdirSync(MIGRATIONS_DIR)) {
      if (name < migration) fs.cpSync(path.join(MIGRATIONS_DIR, name), path.join(before, name), { recursive: true });
    }
    await applyMigrations(db.url, before);
    fs.rmSync(before, { recursive: true, force: true });
    client = new Client({ connectionString: db.url });
    await client.connect();
    await client.query(data);
    await applyMigrations(db.url);
  }, 180_000);
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  }, 180_000);
  return {
    query<R extends QueryResultRow = any>(text: string, params?: unknown[]) {
      if (!client) throw new Error('useDataBeforeMigration: the database is made in beforeAll; use it in a hook or a test');
      return client.query<R>(text, params);
    },
  };
}
