// npm run bench:import -- [--url postgresql://…/postgres] [--name att_NAME] [--events N] [--shipments N] [--actors N] [--seed N] [--file FILE] [--keep]
//
// Import speed and memory: writes a synthetic NDJSON file (npm run generate, in a child
// process so that its memory is not counted), creates a fresh database on the PostgreSQL at
// --url (default: TEST_DATABASE_URL or DATABASE_URL), migrates it, imports the file into it
// (the same code path as npm run import) and prints records/s and the peak RSS of this
// process, then imports the file again (all unchanged) and drops the database.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Pool } from 'pg';
import { testDatabaseUrl } from '../src/config';
import { applyMigrations } from '../src/db/migrate';
import { importWithPool, type ImportReport } from '../src/ingest/importer';
import { progressReporter } from '../src/ingest/progress';
import { fileInput } from '../src/ingest/read';

async function main() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      url: { type: 'string' },
      events: { type: 'string', default: '200000' },
      shipments: { type: 'string', default: '40000' },
      actors: { type: 'string', default: '10000' },
      seed: { type: 'string', default: '42' },
      file: { type: 'string' },
      keep: { type: 'boolean', default: false },
      name: { type: 'string' },
    },
  });
  const server = values.url ?? testDatabaseUrl();
  if (!server) throw new Error('give --url postgresql://… (or set TEST_DATABASE_URL / DATABASE_URL): the benchmark needs a PostgreSQL server');

  let file = values.file;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-import-'));
  if (!file) {
    file = path.join(dir, 'synthetic.ndjson');
    const t = Date.now();
    execFileSync(
      process.execPath,
      [require.resolve('tsx/cli'), path.resolve(__dirname, '../src/cli/synth.ts'),
        '--events', values.events, '--shipments', values.shipments, '--actors', values.actors, '--seed', values.seed, '--out', file],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    console.log(`generated ${file} (${(fs.statSync(file).size / 1e6).toFixed(0)} MB) in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }

  const name = values.name ?? `att_bench_import_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
  if (!/^att_\w+$/.test(name)) throw new Error('--name must look like att_…');
  const admin = new Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const pool = new Pool({ connectionString: url.toString(), max: 1 });
  // Dropping the database WITH (FORCE) may reach the idle connection before pool.end() has
  // closed it: an error on an idle client would otherwise end the process.
  pool.on('error', () => undefined);
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 100);
  try {
    await applyMigrations(url.toString());
    const baseRss = process.memoryUsage().rss;
    const show = (label: string, r: ImportReport) => {
      const rate = r.records / r.seconds;
      console.log(`${label}: ${r.records.toLocaleString('en-US')} records in ${r.seconds.toFixed(1)} s = ${Math.round(rate).toLocaleString('en-US')} records/s`);
      console.log(`  phases: read and stage ${r.phases.read.toFixed(1)} s, checks ${r.phases.check.toFixed(1)} s, writing ${r.phases.write.toFixed(1)} s`);
      console.log(`  ${Object.entries(r.counts).map(([k, c]) => `${k} +${c.created} ~${c.updated} =${c.unchanged}`).join(', ')}`);
    };
    // Time per statement (its text up to the first FROM/SELECT/…), to show where the time goes.
    let statements = new Map<string, { n: number; s: number }>();
    const onStatement = (text: string, seconds: number) => {
      const key = text.replace(/\s+/g, ' ').trim().slice(0, 110);
      const e = statements.get(key) ?? { n: 0, s: 0 };
      e.n += 1;
      e.s += seconds;
      statements.set(key, e);
    };
    const top = () => {
      for (const [text, { n, s }] of [...statements].sort((a, b) => b[1].s - a[1].s).slice(0, 12)) {
        console.log(`    ${s.toFixed(1).padStart(6)} s ${String(n).padStart(5)}× ${text}`);
      }
      statements = new Map();
    };
    let progress = progressReporter();
    const first = await importWithPool(pool, [fileInput(file)], { onProgress: (p) => progress.update(p), onStatement });
    if (first.errors.length) throw new Error(`import failed: ${first.errors.slice(0, 5).map((e) => `${e.line} ${e.field}: ${e.reason}`).join('; ')}`);
    show('import into an empty database', first);
    top();
    progress = progressReporter();
    const again = await importWithPool(pool, [fileInput(file)], { onProgress: (p) => progress.update(p), onStatement });
    show('the same file again (idempotent: all unchanged)', again);
    top();
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    console.log(`peak RSS ${(peak / 1e6).toFixed(0)} MB (sampled; after migration ${(baseRss / 1e6).toFixed(0)} MB; maxRSS ${(process.resourceUsage().maxRSS / 1e3).toFixed(0)} MB)`);
    console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  } finally {
    clearInterval(sampler);
    await pool.end();
    if (!values.keep) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    else console.log(`kept database ${name}`);
    await admin.end();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
