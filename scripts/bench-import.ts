// npm run bench:import -- [--url postgresql://…/postgres] [--name att_NAME] [--events N] [--shipments N] [--actors N] [--seed N] [--file FILE] [--into att_DB] [--keep] [--json FILE]
// npm run bench:import -- --format acled|sipri|ucdp [--rows N] [--inter-words] [--url …] [--seed N] [--keep]
//
// Import speed and memory: writes a synthetic NDJSON file, or with --format a file in that
// dataset's export layout (npm run generate, in a child process so that its memory is not
// counted; real layouts are imported with --create-missing-actors, as an analyst would), creates
// a fresh database on the PostgreSQL at --url (default: TEST_DATABASE_URL or DATABASE_URL, else
// the local postgresql://postgres@127.0.0.1:5432/postgres), migrates it, imports the file into it
// (the same code path as npm run import) and prints records/s and the peak RSS of this process,
// then imports the file again (all unchanged) and drops the database. --into att_DB: the database
// is a copy of that loaded one (CREATE DATABASE … TEMPLATE), not an empty one. --json FILE: the
// figures, the slowest statements and the machine's load, as bench/results keeps them.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Writable } from 'node:stream';
import { Client, Pool, type PoolClient } from 'pg';
import { testDatabaseUrl } from '../src/config';
import { machine, machineLine } from '../bench/process-stats';
import { applyMigrations } from '../src/db/migrate';
import { importWithPool, type ImportReport } from '../src/ingest/importer';
import { progressReporter } from '../src/ingest/progress';
import { fileInput } from '../src/ingest/read';

/** Where timeStatements reports (set once the profile starts). */
let onStatement: (text: string, seconds: number) => void = () => undefined;

/** Reports each statement a pg client sends with its time (a COPY: until its data is written). */
function timeStatements(client: PoolClient, report: (text: string, seconds: number) => void): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const t = process.hrtime.bigint();
    const done = (text: string) => () => report(text, Number(process.hrtime.bigint() - t) / 1e9);
    const result = query(...args);
    if (typeof args[0] === 'string' && result instanceof Promise) return result.finally(done(args[0]));
    const copy = args[0] as { text?: string };
    if (typeof copy?.text === 'string' && result instanceof Writable) result.once('finish', done(copy.text.replace(/ \(.*$/s, '')));
    return result;
  };
}

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
      format: { type: 'string' },
      rows: { type: 'string', default: '60000' },
      'inter-words': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      name: { type: 'string' },
      into: { type: 'string' },
      json: { type: 'string' },
    },
  });
  if (values.into !== undefined && !/^att_\w+$/.test(values.into)) throw new Error('--into att_… : a database loaded by npm run bench (or npm run import)');
  // The same server as npm run bench and bench:import-floor unless told otherwise.
  const server = values.url ?? testDatabaseUrl() ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

  let file = values.file;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-import-'));
  const layout = values.format;
  if (layout && !['acled', 'sipri', 'ucdp'].includes(layout)) throw new Error('--format must be acled, sipri or ucdp');
  if (!file) {
    file = path.join(dir, layout ? `synthetic-${layout}.csv` : 'synthetic.ndjson');
    const t = Date.now();
    const args = layout
      ? ['--format', layout, '--rows', values.rows, ...(values['inter-words'] ? ['--inter-words'] : [])]
      : ['--events', values.events, '--shipments', values.shipments, '--actors', values.actors];
    execFileSync(
      process.execPath,
      [require.resolve('tsx/cli'), path.resolve(__dirname, '../src/cli/synth.ts'), ...args, '--seed', values.seed, '--out', file],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    console.log(`generated ${file} (${(fs.statSync(file).size / 1e6).toFixed(0)} MB) in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }

  const name = values.name ?? `att_bench_import_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
  if (!/^att_\w+$/.test(name)) throw new Error('--name must look like att_…');
  const admin = new Client({ connectionString: server });
  await admin.connect();
  const created = performance.now();
  await admin.query(`CREATE DATABASE "${name}"${values.into ? ` TEMPLATE "${values.into}"` : ''}`);
  if (values.into) console.log(`copied ${values.into} to ${name} in ${((performance.now() - created) / 1000).toFixed(1)} s`);
  const target = values.into ? `a copy of ${values.into}` : 'an empty database';
  const url = new URL(server);
  url.pathname = `/${name}`;
  const pool = new Pool({ connectionString: url.toString(), max: 1 });
  // Dropping the database WITH (FORCE) may reach the idle connection before pool.end() has
  // closed it: an error on an idle client would otherwise end the process.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => timeStatements(client, (text, seconds) => onStatement(text, seconds)));
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 100);
  try {
    await applyMigrations(url.toString());
    const baseRss = process.memoryUsage().rss;
    const show = (label: string, r: ImportReport) => {
      const rate = r.records / r.seconds;
      console.log(
        `${label}: ${r.records.toLocaleString('en-US')} records in ${r.seconds.toFixed(1)} s = ${Math.round(rate).toLocaleString('en-US')} records/s`,
      );
      console.log(`  phases: read and stage ${r.phases.read.toFixed(1)} s, checks ${r.phases.check.toFixed(1)} s, writing ${r.phases.write.toFixed(1)} s`);
      console.log(
        `  ${Object.entries(r.counts)
          .map(([k, c]) => `${k} +${c.created} ~${c.updated} =${c.unchanged}`)
          .join(', ')}`,
      );
    };
    // Time per statement (its text up to the first FROM/SELECT/…), to show where the time goes.
    let statements = new Map<string, { n: number; s: number }>();
    onStatement = (text: string, seconds: number) => {
      const key = text.replace(/\s+/g, ' ').trim().slice(0, 110);
      const e = statements.get(key) ?? { n: 0, s: 0 };
      e.n += 1;
      e.s += seconds;
      statements.set(key, e);
    };
    const runs: Record<string, unknown>[] = [];
    const top = (label: string, r: ImportReport) => {
      const slowest = [...statements].sort((a, b) => b[1].s - a[1].s).slice(0, 12);
      for (const [text, { n, s }] of slowest) {
        console.log(`    ${s.toFixed(1).padStart(6)} s ${String(n).padStart(5)}× ${text}`);
      }
      runs.push({
        label,
        records: r.records,
        seconds: r.seconds,
        recordsPerSecond: Math.round(r.records / r.seconds),
        phases: r.phases,
        counts: r.counts,
        slowest: slowest.map(([text, { n, s }]) => ({ text, n, seconds: Number(s.toFixed(2)) })),
        loadavg: os.loadavg(),
      });
      statements = new Map();
    };
    let progress = progressReporter();
    // The real layouts name their actors: they are created as an analyst's import would (npm run import -- --create-missing-actors).
    const opts = layout ? { createMissingActors: true } : {};
    const first = await importWithPool(pool, [fileInput(file)], { onProgress: (p) => progress.update(p), ...opts });
    if (first.errors.length)
      throw new Error(
        `import failed: ${first.errors
          .slice(0, 5)
          .map((e) => `${e.line} ${e.field}: ${e.reason}`)
          .join('; ')}`,
      );
    show(`import into ${target}`, first);
    top(`import into ${target}`, first);
    progress = progressReporter();
    const again = await importWithPool(pool, [fileInput(file)], { onProgress: (p) => progress.update(p), ...opts });
    show('the same file again (idempotent: all unchanged)', again);
    top('the same file again', again);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    console.log(
      `peak RSS ${(peak / 1e6).toFixed(0)} MB (sampled; after migration ${(baseRss / 1e6).toFixed(0)} MB; maxRSS ${(process.resourceUsage().maxRSS / 1e3).toFixed(0)} MB)`,
    );
    console.log(machineLine());
    if (values.json) {
      const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
      const result = {
        benchmark: 'bench:import',
        date: new Date().toISOString(),
        commit,
        input: file,
        into: values.into ?? null,
        runs,
        peakRssMB: Math.round(peak / 1e6),
        machine: machine(),
      };
      fs.writeFileSync(values.json, JSON.stringify(result, null, 2) + '\n');
    }
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
