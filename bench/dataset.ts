// The benchmark's database: att_bench_<scale>_<seed> on the local PostgreSQL, created (or
// reused when a previous run finished loading it), migrated, loaded through the bulk importer
// from the synthetic generator's NDJSON, and ANALYZEd. Only databases named att_bench_* are
// ever dropped.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { openDatabase } from '../src/db/database';
import { importWithPool } from '../src/ingest/importer';
import { fileInput } from '../src/ingest/read';
import { writeSynthNdjson, type SynthOptions } from '../src/ingest/synth';

export interface Scale {
  name: string;
  events: number;
  shipments: number;
  actors: number;
}

export const SCALES: Record<string, Scale> = {
  // 10x default: hours through the importer, tens of GB (bench/README.md, "Scale").
  large: { name: 'large', events: 10_000_000, shipments: 2_000_000, actors: 100_000 },
  default: { name: 'default', events: 1_000_000, shipments: 200_000, actors: 10_000 },
  small: { name: 'small', events: 50_000, shipments: 10_000, actors: 500 },
  tiny: { name: 'tiny', events: 2_000, shipments: 400, actors: 50 },
};

export interface LoadInfo {
  database: string;
  url: string;
  reused: boolean;
  /** Records in the generated file and the importer's time for them (of the run that loaded it). */
  import: { records: number; seconds: number; recordsPerSecond: number; fileBytes: number; generateSeconds: number };
  analyzeSeconds: number;
  loadedAt: string;
}

const BENCH_DB = /^att_bench_[a-z0-9_]+$/;

export function databaseName(scale: Scale, seed: number): string {
  return `att_bench_${scale.name}_${seed}`;
}

/** `serverUrl` with its database part replaced by `database`. */
export function withDatabase(serverUrl: string, database: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(serverUrl: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Writes the generator's NDJSON for `opts` to `file` (the same stream `npm run generate` writes). */
export async function generateFile(opts: SynthOptions, file: string): Promise<number> {
  return writeSynthNdjson(opts, fs.createWriteStream(file));
}

/**
 * The loaded database for (scale, seed): reused if a previous run completed its load (the
 * load's figures are kept in the database's COMMENT), else dropped, created and loaded.
 */
export async function prepareDatabase(
  serverUrl: string,
  scale: Scale,
  seed: number,
  opts: { fresh?: boolean; log?: (line: string) => void } = {},
): Promise<LoadInfo> {
  const log = opts.log ?? (() => undefined);
  const database = databaseName(scale, seed);
  if (!BENCH_DB.test(database)) throw new Error(`refusing to manage database ${database}`);
  const url = withDatabase(serverUrl, database);

  const existing = await admin(serverUrl, async (c) => {
    const { rows } = await c.query<{ comment: string | null }>(`SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`, [
      database,
    ]);
    return rows[0];
  });
  if (existing && !opts.fresh && existing.comment?.startsWith('{')) {
    const info = JSON.parse(existing.comment) as LoadInfo;
    log(`reusing ${database} (loaded ${info.loadedAt})`);
    return { ...info, url, reused: true };
  }

  await admin(serverUrl, async (c) => {
    if (existing) {
      log(`dropping ${database} (${opts.fresh ? '--fresh' : 'incomplete load'})`);
      await c.query(`DROP DATABASE ${database} WITH (FORCE)`);
    }
    await c.query(`CREATE DATABASE ${database}`);
  });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'att-bench-'));
  const file = path.join(dir, `${database}.ndjson`);
  try {
    log(`generating ${scale.events} events, ${scale.shipments} shipments, ${scale.actors} actors (seed ${seed})`);
    const g0 = performance.now();
    await generateFile({ events: scale.events, shipments: scale.shipments, actors: scale.actors, seed }, file);
    const generateSeconds = (performance.now() - g0) / 1000;
    const fileBytes = fs.statSync(file).size;

    const db = await openDatabase({ databaseUrl: url, poolSize: 1, embedded: { dataDir: '', port: 0 } });
    let report;
    try {
      log(`importing ${(fileBytes / 1e6).toFixed(0)} MB through the bulk importer`);
      report = await importWithPool(db.pool, [fileInput(file)], {});
      if (!report.committed) {
        const first = report.errors.slice(0, 5).map((e) => `${e.line}: ${e.kind} ${e.field}: ${e.reason}`);
        throw new Error(`import refused ${report.errors.length} record(s): ${first.join('; ')}`);
      }
    } finally {
      await db.close();
    }
    const a0 = performance.now();
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      await c.query('VACUUM ANALYZE');
    } finally {
      await c.end();
    }
    const info: LoadInfo = {
      database,
      url,
      reused: false,
      import: {
        records: report.records,
        seconds: report.seconds,
        recordsPerSecond: Math.round(report.records / Math.max(report.seconds, 0.001)),
        fileBytes,
        generateSeconds,
      },
      analyzeSeconds: (performance.now() - a0) / 1000,
      loadedAt: new Date().toISOString(),
    };
    await admin(serverUrl, (c2) => c2.query(`COMMENT ON DATABASE ${database} IS '${JSON.stringify(info).replace(/'/g, "''")}'`));
    return info;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A private copy of the loaded database (created from it as a template when missing), so that
 * work on migrations or indexes can be measured without changing the shared att_bench_* one.
 */
export async function copyDatabase(serverUrl: string, load: LoadInfo, name: string, log: (line: string) => void): Promise<LoadInfo> {
  if (!BENCH_DB.test(name)) throw new Error(`--database must match ${BENCH_DB} (got ${name})`);
  if (name === load.database) return load;
  await admin(serverUrl, async (c) => {
    const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return log(`using ${name} (a copy of ${load.database})`);
    log(`copying ${load.database} to ${name}`);
    // CREATE DATABASE … TEMPLATE needs the template to have no other connections.
    await c.query(`CREATE DATABASE ${name} TEMPLATE ${load.database}`);
  });
  return { ...load, database: name, url: withDatabase(serverUrl, name) };
}
