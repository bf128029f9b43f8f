// The migration applier (src/db/migrate.ts) against a real database: it must
// leave exactly the history `prisma migrate deploy` would, be idempotent, refuse
// edited migrations, roll a failing migration back entirely, and serialise
// concurrent runs with Prisma's advisory lock.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { applyMigrations, MIGRATIONS_DIR, MigrationError, pendingMigrations, type MigrationResult } from '../../src/db/migrate';
import { createEmptyDatabase, type TestDatabase } from '../support/database';

/** Prisma's schema engine takes this advisory lock before migrating PostgreSQL. */
const PRISMA_ADVISORY_LOCK_KEY = 72707369;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface MigrationRow {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

/** The migrations on disk, read independently of the code under test. */
function migrationsOnDisk(dir = MIGRATIONS_DIR): { name: string; checksum: string }[] {
  return fs
    .readdirSync(dir)
    .filter((name) => fs.existsSync(path.join(dir, name, 'migration.sql')))
    .sort()
    .map((name) => ({
      name,
      checksum: crypto
        .createHash('sha256')
        .update(fs.readFileSync(path.join(dir, name, 'migration.sql')))
        .digest('hex'),
    }));
}

/** A fresh empty database for one test, dropped afterwards. */
async function withEmptyDatabase(fn: (db: TestDatabase) => Promise<void>): Promise<void> {
  const db = await createEmptyDatabase();
  try {
    await fn(db);
  } finally {
    await db.drop();
  }
}

/** Runs `fn` on a single connection and closes it. */
async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const historyOf = (url: string): Promise<MigrationRow[]> =>
  withClient(url, async (c) => (await c.query<MigrationRow>('SELECT * FROM "_prisma_migrations" ORDER BY started_at, migration_name')).rows);

const relationExists = (c: Client, name: string): Promise<boolean> =>
  c.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [`public."${name}"`]).then((r) => r.rows[0].exists);

const typeExists = (c: Client, name: string): Promise<boolean> =>
  c
    .query<{ exists: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typname = $1) AS exists`,
      [name],
    )
    .then((r) => r.rows[0].exists);

/** A scratch migrations directory: `migrations` maps a directory name to its migration.sql. */
function migrationsDir(migrations: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'att-migrations-'));
  for (const [name, sql] of Object.entries(migrations)) writeMigration(dir, name, sql);
  return dir;
}

function writeMigration(dir: string, name: string, sql: string): void {
  fs.mkdirSync(path.join(dir, name), { recursive: true });
  fs.writeFileSync(path.join(dir, name, 'migration.sql'), sql);
}

/** A scratch copy of the project's migrations, safe to edit. */
function copyOfProjectMigrations(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'att-migrations-'));
  fs.cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

const scratchDirs: string[] = [];
const scratch = (dir: string): string => (scratchDirs.push(dir), dir);
afterAll(() => {
  for (const dir of scratchDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('applyMigrations', () => {
  it('applies every migration to an empty database and records each as `prisma migrate deploy` would', async () => {
    await withEmptyDatabase(async (db) => {
      const onDisk = migrationsOnDisk();
      expect(onDisk.length).toBeGreaterThan(0);

      const before = Date.now();
      const result = await applyMigrations(db.url);
      expect(result).toEqual({ applied: onDisk.map((m) => m.name), alreadyApplied: [] });

      const rows = await historyOf(db.url);
      expect(rows.map((r) => r.migration_name)).toEqual(onDisk.map((m) => m.name));
      for (const [i, row] of rows.entries()) {
        expect(row).toEqual({
          id: expect.stringMatching(UUID),
          checksum: onDisk[i].checksum,
          finished_at: expect.any(Date),
          migration_name: onDisk[i].name,
          logs: null,
          rolled_back_at: null,
          started_at: expect.any(Date),
          applied_steps_count: 1,
        });
        expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
        // Generous bounds: the database clock, not ours, wrote these.
        expect(row.started_at.getTime()).toBeGreaterThan(before - 60_000);
      }
      expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);

      await withClient(db.url, async (c) => {
        // The history table has the very shape Prisma's schema engine creates, so that
        // `prisma migrate deploy` / `migrate status` can read and extend it.
        const columns = await c.query(
          `SELECT column_name, data_type, character_maximum_length AS length, is_nullable, column_default
             FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name = '_prisma_migrations'
            ORDER BY ordinal_position`,
        );
        expect(columns.rows).toEqual([
          { column_name: 'id', data_type: 'character varying', length: 36, is_nullable: 'NO', column_default: null },
          { column_name: 'checksum', data_type: 'character varying', length: 64, is_nullable: 'NO', column_default: null },
          { column_name: 'finished_at', data_type: 'timestamp with time zone', length: null, is_nullable: 'YES', column_default: null },
          { column_name: 'migration_name', data_type: 'character varying', length: 255, is_nullable: 'NO', column_default: null },
          { column_name: 'logs', data_type: 'text', length: null, is_nullable: 'YES', column_default: null },
          { column_name: 'rolled_back_at', data_type: 'timestamp with time zone', length: null, is_nullable: 'YES', column_default: null },
          { column_name: 'started_at', data_type: 'timestamp with time zone', length: null, is_nullable: 'NO', column_default: 'now()' },
          { column_name: 'applied_steps_count', data_type: 'integer', length: null, is_nullable: 'NO', column_default: '0' },
        ]);
        const pk = await c.query(
          `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
            WHERE i.indrelid = '"_prisma_migrations"'::regclass AND i.indisprimary`,
        );
        expect(pk.rows).toEqual([{ attname: 'id' }]);

        // The migrations really ran.
        expect(await relationExists(c, 'actors')).toBe(true);
        expect(await pendingMigrations(async (sql) => (await c.query(sql)).rows)).toEqual([]);
        // The advisory lock was released.
        // Advisory locks are per database: migrations of other databases may hold their own.
        const locks = await c.query(
          `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = $1
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
          [PRISMA_ADVISORY_LOCK_KEY],
        );
        expect(locks.rowCount).toBe(0);
      });
    });
  });

  it('applies nothing on a second run and leaves the history untouched', async () => {
    await withEmptyDatabase(async (db) => {
      const names = migrationsOnDisk().map((m) => m.name);
      await applyMigrations(db.url);
      const history = await historyOf(db.url);

      const second = await applyMigrations(db.url);
      expect(second).toEqual({ applied: [], alreadyApplied: names });
      expect(await historyOf(db.url)).toEqual(history);
    });
  });

  it('refuses a migration that was changed after it was applied', async () => {
    await withEmptyDatabase(async (db) => {
      const dir = scratch(copyOfProjectMigrations());
      await applyMigrations(db.url, dir);
      const history = await historyOf(db.url);

      const [first] = migrationsOnDisk(dir);
      fs.appendFileSync(path.join(dir, first.name, 'migration.sql'), '\n-- edited after it was applied\n');

      const run = applyMigrations(db.url, dir);
      await expect(run).rejects.toBeInstanceOf(MigrationError);
      await expect(run).rejects.toThrow(/checksum/i);
      await expect(run).rejects.toThrow(first.name);
      expect(await historyOf(db.url)).toEqual(history);
    });
  });

  it('checks every checksum before applying anything', async () => {
    await withEmptyDatabase(async (db) => {
      const dir = scratch(migrationsDir({ '20990101000000_b': 'CREATE TABLE "b" (id int);' }));
      await applyMigrations(db.url, dir);
      // A new migration that sorts before an edited, already applied one: an edited
      // history is refused as a whole, not after applying what comes first.
      writeMigration(dir, '20990101000000_a', 'CREATE TABLE "a" (id int);');
      fs.appendFileSync(path.join(dir, '20990101000000_b', 'migration.sql'), '\n-- edited');

      await expect(applyMigrations(db.url, dir)).rejects.toThrow(/20990101000000_b.*checksum/);
      await withClient(db.url, async (c) => expect(await relationExists(c, 'a')).toBe(false));
      expect((await historyOf(db.url)).map((r) => r.migration_name)).toEqual(['20990101000000_b']);
    });
  });

  it('accepts a migration whose line endings were converted to CRLF (Git on Windows), as Prisma does', async () => {
    await withEmptyDatabase(async (db) => {
      const dir = scratch(migrationsDir({ '20990101000000_a': 'CREATE TABLE "a" (id int);\nCREATE TABLE "b" (id int);\n' }));
      await applyMigrations(db.url, dir);
      const file = path.join(dir, '20990101000000_a', 'migration.sql');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/\n/g, '\r\n'));

      expect(await applyMigrations(db.url, dir)).toEqual({ applied: [], alreadyApplied: ['20990101000000_a'] });
    });
  });

  it('rolls a failing migration back entirely: no partial objects, no history row', async () => {
    await withEmptyDatabase(async (db) => {
      const dir = scratch(
        migrationsDir({
          '20990101000000_good': 'CREATE TABLE "good" (id int PRIMARY KEY);\nINSERT INTO "good" VALUES (1);\n',
          // Several statements succeed before the last one fails.
          '20990102000000_bad': [
            `CREATE TYPE "PartialKind" AS ENUM ('X', 'Y');`,
            'CREATE TABLE "partial" (id int PRIMARY KEY, kind "PartialKind");',
            `INSERT INTO "partial" VALUES (1, 'X');`,
            'ALTER TABLE "good" ADD COLUMN "added" text;',
            'INSERT INTO "good" VALUES (2);',
            'SELECT * FROM "no_such_table";',
          ].join('\n'),
          '20990103000000_after': 'CREATE TABLE "after" (id int);',
        }),
      );

      const run = applyMigrations(db.url, dir);
      await expect(run).rejects.toBeInstanceOf(MigrationError);
      await expect(run).rejects.toThrow(/20990102000000_bad.*no_such_table/s);

      await withClient(db.url, async (c) => {
        // The migration before it stays applied.
        expect(await relationExists(c, 'good')).toBe(true);
        expect((await c.query('SELECT * FROM "good"')).rows).toEqual([{ id: 1 }]);
        // Nothing of the failing migration survives ...
        expect(await relationExists(c, 'partial')).toBe(false);
        expect(await typeExists(c, 'PartialKind')).toBe(false);
        // ... and nothing after it ran.
        expect(await relationExists(c, 'after')).toBe(false);
      });
      const history = await historyOf(db.url);
      expect(history.map((r) => [r.migration_name, r.finished_at !== null])).toEqual([['20990101000000_good', true]]);

      // Nothing is recorded as failed, so once the migration is fixed the next run
      // applies it (and what follows) without manual repair.
      writeMigration(dir, '20990102000000_bad', 'CREATE TABLE "partial" (id int PRIMARY KEY);');
      expect(await applyMigrations(db.url, dir)).toEqual({
        applied: ['20990102000000_bad', '20990103000000_after'],
        alreadyApplied: ['20990101000000_good'],
      });
      expect((await historyOf(db.url)).every((r) => r.finished_at !== null && r.applied_steps_count === 1)).toBe(true);
    });
  });

  it('applies each migration once when two runs race on the same database (advisory lock)', async () => {
    await withEmptyDatabase(async (db) => {
      const names = migrationsOnDisk().map((m) => m.name);
      let results: MigrationResult[] = [];
      // Hold Prisma's lock from another session first: the runs must wait for it
      // without touching the database, then both finish once it is released.
      await withClient(db.url, async (holder) => {
        await holder.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
        const runs = [applyMigrations(db.url), applyMigrations(db.url), applyMigrations(db.url)];
        const settled = { count: 0 };
        for (const r of runs)
          r.then(
            () => (settled.count += 1),
            () => (settled.count += 1),
          );
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(settled.count).toBe(0);
        expect(await relationExists(holder, '_prisma_migrations')).toBe(false);
        await holder.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
        results = await Promise.all(runs);
      });
      const applied = results.flatMap((r) => r.applied).sort();
      expect(applied).toEqual(names);
      for (const r of results) expect([...r.applied, ...r.alreadyApplied].sort()).toEqual(names);

      const history = await historyOf(db.url);
      expect(history.map((r) => r.migration_name).sort()).toEqual(names);
      expect(history.every((r) => r.finished_at !== null && r.rolled_back_at === null)).toBe(true);
    });
  });
});
