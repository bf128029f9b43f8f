// npm run import / export / generate as child processes against the test database: exit
// statuses, the error report, --partial's rejects file, Ctrl-C and a killed import (nothing
// half-written), export → import of CSV, and the generator's determinism.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPrisma, type DbHandle } from '../../src/db/client';
import { synthRecords } from '../../src/ingest/synth';
import { createTestDatabase, type TestDatabase } from '../support/database';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/ingest');

let db: TestDatabase;
let handle: DbHandle;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  handle = createPrisma(db.url, 1);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-cli-'));
});

afterAll(async () => {
  await handle?.close();
  await db?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a CLI (node itself with tsx's loader: tsx's own CLI would run it in a grandchild that a kill misses). */
function cli(script: string, args: string[], onStderr?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli', script), ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: db.url, TEST_DATABASE_URL: '', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const TABLES = ['actors', 'actor_aliases', 'sources', 'events', 'event_participants', 'affiliations', 'shipments', 'shipment_events', 'citations'];
async function counts(): Promise<Record<string, number>> {
  const { rows } = await handle.pool.query<{ t: string; n: number }>(TABLES.map((t) => `SELECT '${t}' AS t, count(*)::int AS n FROM ${t}`).join(' UNION ALL '));
  return Object.fromEntries(rows.map((r) => [r.t, r.n]));
}

it('bad records: every error on standard error as file:line, exit status 1, nothing written', async () => {
  const before = await counts();
  const run = await cli('import.ts', ['--quiet', path.join(FIXTURES, 'bad.ndjson')]);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('bad.ndjson:4: event participants[0].actor: unknown actor "Rusia" (near matches: "Russia"');
  expect(run.stderr).toContain('bad.ndjson:6: actor externalId: duplicate externalId "prk" in dataset "demo" (first at line 1)');
  expect(run.stderr).toMatch(/error\(s\) in 7 record\(s\): nothing was written/);
  expect(await counts()).toEqual(before);
});

it('--partial writes the good records and the rejects beside the input, with their errors', async () => {
  const input = path.join(dir, 'bad.ndjson');
  fs.copyFileSync(path.join(FIXTURES, 'bad.ndjson'), input);
  const run = await cli('import.ts', ['--quiet', '--partial', input]);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/actor\s+2\s+0\s+0/);
  const rejects = fs.readFileSync(`${input}.rejects.ndjson`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  expect(rejects.map((r) => r.line)).toEqual([3, 4, 5, 6, 7, 8, 9]);
  expect(rejects.find((r) => r.line === 7)).toMatchObject({ errors: [{ field: '(record)' }], record: null }); // not JSON
  expect(rejects.find((r) => r.line === 5)).toMatchObject({ errors: [{ field: 'unit' }], record: { externalId: 's1' } });
  // Its audit entry: the CLI has no key, so the operating-system user says who.
  const { rows } = await handle.pool.query(`SELECT key_id, operation, after FROM audit_log WHERE entity = 'IMPORT' ORDER BY id DESC LIMIT 1`);
  expect(rows[0]).toMatchObject({ key_id: null, operation: 'import', after: { user: os.userInfo().username, inputs: [{ name: input, format: 'ndjson' }], partial: true, rejected: 7 } });
});

it('a killed import (SIGKILL while writing) leaves nothing half-written; Ctrl-C rolls back and exits 130', async () => {
  await handle.pool.query(`TRUNCATE ${TABLES.join(', ')} CASCADE`);
  const file = path.join(dir, 'synthetic.ndjson');
  const out = fs.createWriteStream(file);
  for (const r of synthRecords({ events: 8_000, shipments: 1_600, actors: 200, seed: 7 })) out.write(`${JSON.stringify(r)}\n`);
  await new Promise((resolve) => out.end(resolve));
  const before = await counts();

  const killed = await cli('import.ts', [file], (text, child) => {
    if (text.includes('writing')) child.kill('SIGKILL');
  });
  expect(killed.signal).toBe('SIGKILL');
  expect(killed.stdout).not.toContain('records in');
  expect(await counts()).toEqual(before);

  const interrupted = await cli('import.ts', [file], (text, child) => {
    if (text.includes('reading') && !text.includes('cancelling')) child.kill('SIGINT');
  });
  expect(interrupted.code).toBe(130);
  expect(interrupted.stderr).toContain('nothing was written');
  expect(await counts()).toEqual(before);

  // And the same file imported to the end is all there.
  const full = await cli('import.ts', ['--quiet', file]);
  expect(full.code).toBe(0);
  const after = await counts();
  expect(after.events).toBe(8_000);
  expect(after.shipments).toBe(1_600);
}, 300_000);

it('export as CSV per kind, into an empty database via import, gives the same records', async () => {
  const csvDir = path.join(dir, 'csv');
  const exported = await cli('export.ts', ['--format', 'csv', '--kind', 'actor,source,event,shipment', '--from', '2020-01-01', '--to', '2020-03-31', '--out', csvDir]);
  expect(exported.code).toBe(0);
  expect(fs.readdirSync(csvDir).sort()).toEqual(['actors.csv', 'events.csv', 'shipments.csv', 'sources.csv']);
  const header = fs.readFileSync(path.join(csvDir, 'events.csv'), 'utf8').split('\n')[0];
  expect(header).toBe('id,dataset,externalId,type,title,description,date.start,date.end,date.precision,date.text,location.name,location.countryCode,location.latitude,location.longitude,confidence,participants');
  const ndjson = await cli('export.ts', ['--format', 'ndjson', '--kind', 'actor,event,shipment', '--from', '2020-01-01', '--to', '2020-03-31']);
  const records = ndjson.stdout.trim().split('\n').map((l) => JSON.parse(l));
  expect(records.filter((r) => r.kind === 'event').length).toBeGreaterThan(100);

  const target = await createTestDatabase();
  try {
    const run = () =>
      new Promise<Run>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', path.join(ROOT, 'src/cli/import.ts'), '--quiet', ...['actors', 'events', 'shipments'].map((k) => path.join(csvDir, `${k}.csv`))],
          { cwd: ROOT, env: { ...process.env, DATABASE_URL: target.url, TEST_DATABASE_URL: '', LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('error', reject);
        child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
      });
    const imported = await run();
    expect(imported.stderr).not.toMatch(/error/);
    expect(imported.code).toBe(0);
    const other = createPrisma(target.url, 1);
    try {
      const back = await other.pool.query(`SELECT count(*)::int AS n FROM events`);
      expect(back.rows[0].n).toBe(records.filter((r) => r.kind === 'event').length);
    } finally {
      await other.close();
    }
  } finally {
    await target.drop();
  }
}, 120_000);

it('npm run generate is deterministic for a seed', async () => {
  const args = ['--events', '300', '--shipments', '60', '--actors', '40', '--seed', '42'];
  const [a, b, c] = await Promise.all([cli('synth.ts', args), cli('synth.ts', args), cli('synth.ts', [...args.slice(0, -1), '43'])]);
  expect(a.code).toBe(0);
  expect(a.stdout).toBe(b.stdout);
  expect(a.stdout).not.toBe(c.stdout);
}, 60_000);
