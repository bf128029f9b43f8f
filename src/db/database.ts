// Opens the database the configuration names, or starts the embedded one, and
// brings its schema up to date. Used by the server and the CLI commands.
import type { Config } from '../config';
import { createPrisma, type DbHandle } from './client';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded';
import { applyMigrations, type MigrationResult } from './migrate';

export interface Database extends DbHandle {
  url: string;
  embedded: boolean;
  migrations: MigrationResult;
}

export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'poolSize' | 'embedded'> & Partial<Pick<Config, 'statementTimeoutMs'>>,
): Promise<Database> {
  let embedded: EmbeddedPostgres | undefined;
  const url = config.databaseUrl ?? (embedded = await startEmbeddedPostgres(config.embedded)).url;
  try {
    const migrations = await applyMigrations(url);
    // PGlite runs one session at a time; a second connection would interleave
    // with an open transaction, so the embedded database gets a pool of one.
    const handle = createPrisma(url, embedded ? 1 : config.poolSize, { statementTimeoutMs: config.statementTimeoutMs });
    return {
      ...handle,
      url,
      embedded: Boolean(embedded),
      migrations,
      async close() {
        await handle.close();
        await embedded?.stop();
      },
    };
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
}

/**
 * A handle on DATABASE_URL without touching it: for a server that starts while
 * the database is down. Its caller applies the migrations once it is reachable.
 */
export function connectLater(
  config: Pick<Config, 'databaseUrl' | 'poolSize'> & Partial<Pick<Config, 'statementTimeoutMs'>>,
): Database {
  if (!config.databaseUrl) throw new Error('connectLater needs DATABASE_URL');
  const handle = createPrisma(config.databaseUrl, config.poolSize, { statementTimeoutMs: config.statementTimeoutMs });
  return { ...handle, url: config.databaseUrl, embedded: false, migrations: { applied: [], alreadyApplied: [] } };
}
