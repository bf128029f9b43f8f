// Opens the database the configuration names, or the embedded one, and brings its schema up to
// date. The one way in for the server and every CLI command: on the embedded database it also
// decides who owns the cluster (see embedded.ts).
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import { createPrisma, type DbHandle } from './client';
import { openEmbeddedPostgres, type EmbeddedPostgres, type EmbeddedRole } from './embedded';
import { applyMigrations, type MigrationResult } from './migrate';
import { ReplicaSet } from './replicas';

export interface Database extends DbHandle {
  url: string;
  /** The embedded cluster this handle runs on (undefined on DATABASE_URL): its postmaster, and whether this process started it. */
  embedded?: { dataDir: string; pid: number; owner: boolean };
  migrations: MigrationResult;
  /** DATABASE_REPLICA_URLS' replicas; undefined without them (and always for the embedded database). */
  replicas?: ReplicaSet;
}

type OpenConfig = Pick<Config, 'databaseUrl' | 'poolSize' | 'embedded'> & Partial<Pick<Config, 'statementTimeoutMs' | 'replicas'>>;

export interface OpenOptions {
  /** `server`: owns the embedded cluster it starts, never shares it with another server. `cli` (default): joins a running server's. */
  role?: EmbeddedRole;
  /** Where notices about the embedded database go (an orphaned cluster stopped, an old data directory). */
  log?: (line: string) => void;
  /** Count the statements sent (Database.statements): for the tests and the benchmark. */
  countStatements?: boolean;
}

/** The primary's handle, with the replicas (not yet checked: see ReplicaSet.start()) when configured. */
function withReplicas(handle: DbHandle, config: Partial<Pick<Config, 'statementTimeoutMs' | 'replicas' | 'poolSize'>>): DbHandle & { replicas?: ReplicaSet } {
  const urls = config.replicas?.urls ?? [];
  if (!urls.length) return handle;
  const replicas = new ReplicaSet(handle, urls, {
    maxLagSeconds: config.replicas!.maxLagSeconds,
    checkIntervalMs: config.replicas!.checkIntervalMs,
    poolSize: config.poolSize ?? 10,
    statementTimeoutMs: config.statementTimeoutMs,
  });
  return {
    ...handle,
    replicas,
    async close(opts) {
      await replicas.close();
      await handle.close(opts);
    },
  };
}

export async function openDatabase(config: OpenConfig, opts: OpenOptions = {}): Promise<Database> {
  let embedded: EmbeddedPostgres | undefined;
  if (!config.databaseUrl) {
    noteOldDataDir(config.embedded.dataDir, opts.log);
    embedded = await openEmbeddedPostgres({ dataDir: config.embedded.dataDir, port: config.embedded.port, role: opts.role ?? 'cli', log: opts.log });
  }
  const url = config.databaseUrl ?? embedded!.url;
  try {
    const migrations = await applyMigrations(url);
    const handle = withReplicas(
      createPrisma(url, config.poolSize, { statementTimeoutMs: config.statementTimeoutMs, prepare: true, countStatements: opts.countStatements }),
      config,
    );
    return {
      ...handle,
      url,
      embedded: embedded && { dataDir: embedded.dataDir, pid: embedded.pid, owner: embedded.owner },
      migrations,
      async close(closeOpts) {
        // The pool first: the embedded cluster's fast shutdown would cut its sessions.
        await handle.close(closeOpts);
        await embedded?.stop();
      },
    };
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
}

/** Earlier versions kept the embedded database (PGlite) in `.data/pglite`: say once that it is no longer read, and how to bring its data over. */
function noteOldDataDir(dataDir: string, log?: (line: string) => void): void {
  const old = path.join(path.dirname(dataDir), 'pglite');
  if (!log || old === dataDir || !fs.existsSync(path.join(old, 'PG_VERSION'))) return;
  log(
    `${old} (the embedded database of earlier versions, PGlite) is no longer read; this version keeps it in ${dataDir}. ` +
      'To bring its records over: export them with the earlier version (npm run export -- --format ndjson --out records.ndjson), ' +
      'then npm run import -- records.ndjson with this one (API keys, the audit trail and earlier versions of records do not travel); or delete it.',
  );
}

/**
 * A handle on DATABASE_URL without touching it: for a server that starts while
 * the database is down. Its caller applies the migrations once it is reachable.
 */
export function connectLater(
  config: Pick<Config, 'databaseUrl' | 'poolSize'> & Partial<Pick<Config, 'statementTimeoutMs' | 'replicas'>>,
  opts: Pick<OpenOptions, 'countStatements'> = {},
): Database {
  if (!config.databaseUrl) throw new Error('connectLater needs DATABASE_URL');
  const handle = withReplicas(
    createPrisma(config.databaseUrl, config.poolSize, { statementTimeoutMs: config.statementTimeoutMs, prepare: true, countStatements: opts.countStatements }),
    config,
  );
  return { ...handle, url: config.databaseUrl, migrations: { applied: [], alreadyApplied: [] } };
}
