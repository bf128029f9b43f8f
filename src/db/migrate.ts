// Applies prisma/migrations/* the way `prisma migrate deploy` does, and records
// them in the same `_prisma_migrations` table (same columns, SHA-256 checksum of
// migration.sql, same advisory lock key), so that on a machine with Prisma's
// schema engine `prisma migrate deploy` sees this history and has nothing to do.
// We need our own applier because that engine cannot be downloaded here.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { fromRoot } from '../paths';

export const MIGRATIONS_DIR = fromRoot('prisma', 'migrations');
/** The key Prisma's schema engine takes before migrating PostgreSQL. */
const PRISMA_ADVISORY_LOCK_KEY = 72707369;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
}

export class MigrationError extends Error {}

const sha256 = (text: string): string => crypto.createHash('sha256').update(text).digest('hex');

/**
 * Whether a recorded checksum still matches the migration on disk. Like Prisma's
 * schema engine, a script checked out with CRLF line endings (Git on Windows)
 * also matches the checksum of its LF form.
 */
function matchesChecksum(m: Migration, recorded: string): boolean {
  return recorded === m.checksum || (m.sql.includes('\r\n') && recorded === sha256(m.sql.replace(/\r\n/g, '\n')));
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: sha256(sql) };
    });
}

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** Applies pending migrations, each in its own transaction, under Prisma's advisory lock. */
export async function applyMigrations(connectionString: string, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  const migrations = readMigrations(dir);
  const client = new Client({ connectionString });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
    await client.query(CREATE_MIGRATIONS_TABLE);
    const { rows } = await client.query<AppliedRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
    );
    const failed = rows.find((r) => r.finished_at === null);
    if (failed) {
      throw new MigrationError(
        `Migration ${failed.migration_name} failed earlier and is recorded as unfinished in _prisma_migrations. ` +
          'Fix the database by hand, then mark it rolled back (UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = …).',
      );
    }
    const done = new Map(rows.map((r) => [r.migration_name, r]));
    // Check the whole applied history before writing anything: an edited migration
    // must not let the pending ones that sort before it slip in first.
    for (const m of migrations) {
      const row = done.get(m.name);
      if (row && !matchesChecksum(m, row.checksum)) {
        throw new MigrationError(`Migration ${m.name} was changed after it was applied (checksum differs). Add a new migration instead.`);
      }
    }
    const result: MigrationResult = { applied: [], alreadyApplied: [] };
    for (const m of migrations) {
      if (done.has(m.name)) {
        result.alreadyApplied.push(m.name);
        continue;
      }
      await applyOne(client, m);
      result.applied.push(m.name);
    }
    return result;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}

async function applyOne(client: Client, m: Migration): Promise<void> {
  const id = crypto.randomUUID();
  try {
    await client.query('BEGIN');
    await client.query('INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)', [
      id,
      m.checksum,
      m.name,
    ]);
    await client.query(m.sql);
    await client.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
    await client.query('COMMIT');
  } catch (err) {
    // A failed ROLLBACK (lost connection) must not hide why the migration failed;
    // the server rolls back an unfinished transaction of a closed session anyway.
    await client.query('ROLLBACK').catch(() => undefined);
    throw new MigrationError(`Migration ${m.name} failed and was rolled back: ${(err as Error).message}`);
  }
}

/** Names of migrations on disk that the database has not (successfully) applied. For /ready. */
export async function pendingMigrations(query: (sql: string) => Promise<{ migration_name: string }[]>, dir = MIGRATIONS_DIR): Promise<string[]> {
  const rows = await query('SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL');
  const applied = new Set(rows.map((r) => r.migration_name));
  return readMigrations(dir)
    .map((m) => m.name)
    .filter((n) => !applied.has(n));
}
