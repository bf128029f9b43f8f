// Opens the database the configuration names, or starts the embedded one, and
// brings its schema up to date. Used by the server and the CLI commands.
import type { Config } from '../config';
import { createPrisma, type DbHandle } from './client';
import type { EmbeddedPostgres } from './embedded';
import { applyMigrations, type MigrationResult } from './migrate';
import { ReplicaSet } from './replicas';

export interface Database extends DbHandle {
  url: string;
  embedded: boolean;
  migrations: MigrationResult;
  /** DATABASE_REPLICA_URLS' replicas; undefined without them (and always for the embedded database). */
  replicas?: ReplicaSet;
}

type OpenConfig = Pick<Config, 'databaseUrl' | 'poolSize' | 'embedded'> & Partial<Pick<Config, 'statementTimeoutMs' | 'replicas'>>;

/** The primary's handle, with the replicas (not yet checked: see ReplicaSet.start()) when configured. */
function withReplicas(handle: DbHandle, config: Partial<Pick<Config, 'statementTimeoutMs' | 'replicas' | 'poolSize'>>): DbHandle & { replicas?: ReplicaSet } {
  const urls = config.replicas?.urls ?? [];
  if (!urls.length) return handle;
  const replicas = new ReplicaSet(handle.prisma, handle.pool, urls, {
    maxLagSeconds: config.replicas!.maxLagSeconds,
    checkIntervalMs: config.replicas!.checkIntervalMs,
    poolSize: config.poolSize ?? 10,
    statementTimeoutMs: config.statementTimeoutMs,
  });
  return {
    ...handle,
    replicas,
    async close() {
      await replicas.close();
      await handle.close();
    },
  };
}

export async function openDatabase(config: OpenConfig): Promise<Database> {
  let embedded: EmbeddedPostgres | undefined;
  // Loaded only when used: PGlite's module alone is ~48 MB of RSS that a server on DATABASE_URL never needs.
  const url = config.databaseUrl ?? (embedded = await (await import('./embedded')).startEmbeddedPostgres(config.embedded)).url;
  try {
    const migrations = await applyMigrations(url);
    // PGlite runs one session at a time; a second connection would interleave
    // with an open transaction, so the embedded database gets a pool of one.
    const primary = createPrisma(url, embedded ? 1 : config.poolSize, { statementTimeoutMs: config.statementTimeoutMs, prepare: !embedded });
    const handle = embedded ? primary : withReplicas(primary, config);
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
  config: Pick<Config, 'databaseUrl' | 'poolSize'> & Partial<Pick<Config, 'statementTimeoutMs' | 'replicas'>>,
): Database {
  if (!config.databaseUrl) throw new Error('connectLater needs DATABASE_URL');
  const handle = withReplicas(createPrisma(config.databaseUrl, config.poolSize, { statementTimeoutMs: config.statementTimeoutMs, prepare: true }), config);
  return { ...handle, url: config.databaseUrl, embedded: false, migrations: { applied: [], alreadyApplied: [] } };
}
