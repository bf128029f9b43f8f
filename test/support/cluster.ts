// Throwaway PostgreSQL 15 clusters on free ports of their own, with their data directories in
// a temp dir: a single primary that tests stop and start under a running server, or a primary
// and a streaming replica of it (pg_basebackup -R) for the read-replica tests.
// Never touches the machine's shared cluster. initdb refuses to run as root, so as root (CI)
// every cluster command runs as the postgres user, in a temp dir it owns.
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { applyMigrations } from '../../src/db/migrate';
import type { TestDatabase } from './database';
import { freePort } from './proxy';

import { BIN } from './cluster-tools';

const run = promisify(execFile);

export interface Cluster {
  /** URL of `database` on the primary. */
  primaryUrl(database: string): string;
  /** Everything the primary logged so far (log_statement = all). */
  primaryLog(): string;
  /** pg_ctl stop on the primary: `fast` rolls back open transactions and closes every session. */
  stopPrimary(mode?: 'fast' | 'immediate'): Promise<void>;
  /** pg_ctl start on the primary, on the same port; resolves once it accepts connections. */
  startPrimary(): Promise<void>;
  /** Runs SQL on the primary's `postgres` database (e.g. CREATE DATABASE). */
  onPrimary(sql: string): Promise<void>;
  /** Creates `database` on the primary and migrates it; it goes with the cluster (its drop does nothing). */
  createDatabase(database: string): Promise<TestDatabase>;
  /** Stops every server and removes their files; safe to call twice. */
  destroy(): Promise<void>;
}

export interface ReplicatedCluster extends Cluster {
  /** URL of `database` on the replica. */
  replicaUrl(database: string): string;
  replicaLog(): string;
  stopReplica(): Promise<void>;
  startReplica(): Promise<void>;
  /** Runs SQL on the replica's `postgres` database (e.g. pg_wal_replay_pause()). */
  onReplica(sql: string): Promise<void>;
}

async function runSql(url: string, sql: string): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** A throwaway primary alone. */
export function startCluster(): Promise<Cluster> {
  return startClusters(false);
}

/** A throwaway primary and a streaming replica of it. */
export function startReplicatedCluster(): Promise<ReplicatedCluster> {
  return startClusters(true);
}

async function startClusters(withReplica: boolean): Promise<ReplicatedCluster> {
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'att-cluster-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    fs.chownSync(dir, uid, gid);
  }
  const tool = (name: string, args: string[]) =>
    asRoot ? run('/usr/sbin/runuser', ['-u', 'postgres', '--', path.join(BIN, name), ...args]) : run(path.join(BIN, name), args);
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  const primaryDir = path.join(dir, 'primary');
  const replicaDir = path.join(dir, 'replica');
  const logOf = (name: string) => path.join(dir, `${name}.log`);
  // Small and quick: no fsync; every statement logged, which is how tests see who served a read.
  const options = (port: number) =>
    [
      '-c',
      `port=${port}`,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${dir}`,
      '-c',
      'fsync=off',
      '-c',
      'shared_buffers=16MB',
      '-c',
      'max_connections=40',
      '-c',
      'log_statement=all',
      '-c',
      'wal_keep_size=64MB',
      // test/scale/db-restart.test.ts holds a lock in a prepared transaction (a standby needs as many)
      '-c',
      'max_prepared_transactions=4',
    ].join(' ');
  const start = (data: string, port: number, name: string) => tool('pg_ctl', ['start', '-w', '-t', '60', '-D', data, '-l', logOf(name), '-o', options(port)]);
  const stop = (data: string, mode: string) => tool('pg_ctl', ['stop', '-w', '-t', '60', '-D', data, '-m', mode]);
  const url = (port: number, database: string) => `postgresql://postgres@127.0.0.1:${port}/${database}`;
  let destroyed = false;
  const destroy = async () => {
    if (destroyed) return;
    destroyed = true;
    for (const data of [replicaDir, primaryDir]) {
      if (fs.existsSync(path.join(data, 'postmaster.pid'))) await stop(data, 'immediate').catch(() => undefined);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await tool('initdb', ['-D', primaryDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
    await start(primaryDir, primaryPort, 'primary');
    if (withReplica) {
      // -R: writes standby.signal and primary_conninfo, so the copy starts as a streaming standby.
      await tool('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', replicaDir, '-R', '-X', 'stream', '--no-sync']);
      await start(replicaDir, replicaPort, 'replica');
    }
  } catch (err) {
    await destroy();
    throw err;
  }
  const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
  return {
    primaryUrl: (database) => url(primaryPort, database),
    replicaUrl: (database) => url(replicaPort, database),
    primaryLog: () => read(logOf('primary')),
    replicaLog: () => read(logOf('replica')),
    stopPrimary: async (mode = 'fast') => void (await stop(primaryDir, mode)),
    startPrimary: async () => void (await start(primaryDir, primaryPort, 'primary')),
    onPrimary: (sql) => runSql(url(primaryPort, 'postgres'), sql),
    createDatabase: async (database) => {
      await runSql(url(primaryPort, 'postgres'), `CREATE DATABASE ${database}`);
      await applyMigrations(url(primaryPort, database));
      return { url: url(primaryPort, database), drop: async () => undefined };
    },
    stopReplica: async () => void (await stop(replicaDir, 'fast')),
    startReplica: async () => void (await start(replicaDir, replicaPort, 'replica')),
    onReplica: (sql) => runSql(url(replicaPort, 'postgres'), sql),
    destroy,
  };
}
