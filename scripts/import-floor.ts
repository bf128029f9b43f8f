// npm run bench:import-floor -- --from att_bench_default_42 [--into att_DB] [--url postgresql://…/postgres] [--records N] [--json FILE]
//
// The database's floor for an import (issue #6): how fast PostgreSQL alone stores the rows an
// import produced, with no parsing, validation or resolution in front of it. Dumps the tables
// the importer writes from a loaded database (binary COPY, to temporary files), then loads them
// with COPY into fresh migrated databases, timed:
//   1. "as the importer writes": the importer's tables only, one transaction, every index,
//      constraint and trigger on (the key tables, the rollups and the history are the triggers');
//   2. "bare rows": every table, derived ones included, with triggers and foreign-key checks off
//      (session_replication_role = replica): the rows and their indexes and nothing else.
// Records are the loaded database's import records (kept in its COMMENT by npm run bench),
// so the rates compare with the importer's records/s. The databases it creates are dropped.
// --into att_DB: the rows are loaded into copies of that loaded database instead of fresh ones
// (the floor of an import into a loaded database: its indexes are large; bench:import --into).
// --json FILE: the figures and the machine's load, as bench/results keeps them.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { withDatabase } from '../bench/dataset';
import { machine, machineLine } from '../bench/process-stats';
import { applyMigrations } from '../src/db/migrate';

// In foreign-key order: what the importer writes (src/db/queries/ingest.ts APPLY_ORDER and the links).
const IMPORTED = ['actors', 'actor_aliases', 'sources', 'events', 'event_participants', 'affiliations', 'shipments', 'shipment_events', 'citations', 'claims'];
// What its triggers derive from those rows.
const DERIVED = [
  'event_keys',
  'shipment_keys',
  'shipment_month_rollup',
  'shipment_pair_month_rollup',
  'event_month_rollup',
  'history.actors',
  'history.actor_aliases',
  'history.sources',
  'history.events',
  'history.event_participants',
  'history.affiliations',
  'history.shipments',
  'history.shipment_events',
  'history.citations',
  'history.claims',
];

/** Derived tables whose rows a loaded database already has (their keys name no record): see --into. */
const ADDED_TO_WHEN_LOADED = ['event_month_rollup'];

async function connect(url: string): Promise<Client> {
  const c = new Client({ connectionString: url });
  await c.connect();
  return c;
}

async function existing(c: Client, tables: string[]): Promise<string[]> {
  const { rows } = await c.query<{ t: string }>(`SELECT t FROM unnest($1::text[]) t WHERE to_regclass(t) IS NOT NULL`, [tables]);
  return rows.map((r) => r.t);
}

async function main() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      url: { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432/postgres' },
      from: { type: 'string' },
      records: { type: 'string' },
      into: { type: 'string' },
      json: { type: 'string' },
    },
  });
  const loaded = (db: string | undefined) => db !== undefined && /^att_\w+$/.test(db);
  if (!loaded(values.from) || (values.into !== undefined && !loaded(values.into))) {
    throw new Error('--from att_… (and --into att_…): databases loaded by npm run bench (or npm run import)');
  }
  const server = values.url;
  const admin = await connect(server);
  const source = await connect(withDatabase(server, values.from!));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-floor-'));
  const created: string[] = [];
  try {
    let records = values.records ? Number(values.records) : NaN;
    if (!Number.isFinite(records)) {
      const { rows } = await admin.query<{ c: string | null }>(`SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = $1`, [
        values.from,
      ]);
      records = rows[0]?.c?.startsWith('{') ? (JSON.parse(rows[0].c) as { import: { records: number } }).import.records : NaN;
    }
    if (!Number.isFinite(records)) throw new Error(`${values.from} has no load figures in its COMMENT: give --records N`);

    const tables = await existing(source, [...IMPORTED, ...DERIVED]);
    const rowCounts = new Map<string, number>();
    const t = performance.now();
    for (const table of tables) {
      await pipeline(source.query(copyTo(`COPY (SELECT * FROM ${table}) TO STDOUT (FORMAT binary)`)), fs.createWriteStream(path.join(dir, table)));
      const { rows } = await source.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
      rowCounts.set(table, Number(rows[0].n));
    }
    console.log(
      `dumped ${tables.length} tables of ${values.from} in ${((performance.now() - t) / 1000).toFixed(1)} s; ${records.toLocaleString('en-US')} import records`,
    );
    for (const table of tables) console.log(`  ${table.padEnd(28)} ${rowCounts.get(table)!.toLocaleString('en-US').padStart(12)} rows`);

    const runs: Record<string, unknown>[] = [];
    const run = async (label: string, load: string[], replica: boolean) => {
      const name = `att_floor_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
      const copying = performance.now();
      await admin.query(`CREATE DATABASE "${name}"${values.into ? ` TEMPLATE "${values.into}"` : ''}`);
      created.push(name);
      if (values.into) console.log(`copied ${values.into} in ${((performance.now() - copying) / 1000).toFixed(1)} s`);
      const url = withDatabase(server, name);
      await applyMigrations(url);
      const c = await connect(url);
      try {
        const start = performance.now();
        const each: string[] = [];
        await c.query('BEGIN');
        if (replica) await c.query('SET LOCAL session_replication_role = replica');
        for (const table of load) {
          const t0 = performance.now();
          await pipeline(fs.createReadStream(path.join(dir, table)), c.query(copyFrom(`COPY ${table} FROM STDIN (FORMAT binary)`)));
          each.push(`${table} ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        }
        await c.query('COMMIT');
        const seconds = (performance.now() - start) / 1000;
        const rows = load.reduce((n, table) => n + rowCounts.get(table)!, 0);
        console.log(
          `${label}: ${rows.toLocaleString('en-US')} rows in ${seconds.toFixed(1)} s = ${Math.round(records / seconds).toLocaleString('en-US')} import records/s`,
        );
        console.log(`  ${each.join(', ')}`);
        runs.push({ label, rows, seconds: Number(seconds.toFixed(1)), recordsPerSecond: Math.round(records / seconds), tables: each, loadavg: os.loadavg() });
      } finally {
        await c.end();
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      }
    };
    await run(
      '1. as the importer writes (its tables, triggers and constraints on)',
      tables.filter((x) => IMPORTED.includes(x)),
      false,
    );
    // Into a loaded database the event rollup's rows (month, type, country, confidence) are
    // there already: the import adds to them, which is an upsert, not a COPY; the other derived
    // rows are new (new actors' keys, new records' history).
    const bare = values.into ? tables.filter((x) => !ADDED_TO_WHEN_LOADED.includes(x)) : tables;
    const skipped = tables.filter((x) => !bare.includes(x));
    await run(`2. bare rows (every table${skipped.length ? ` but ${skipped.join(', ')}` : ''}, triggers and foreign-key checks off)`, bare, true);
    console.log(machineLine());
    if (values.json) {
      const result = {
        benchmark: 'bench:import-floor',
        date: new Date().toISOString(),
        from: values.from,
        into: values.into ?? null,
        records,
        runs,
        machine: machine(),
      };
      fs.writeFileSync(values.json, JSON.stringify(result, null, 2) + '\n');
    }
  } finally {
    for (const name of created) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await source.end();
    await admin.end();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
