// npm run import / export / generate as child processes against the test database: exit
// statuses, the error report, --partial's rejects file, Ctrl-C and a killed import (nothing
// half-written), export → import of CSV, and the generator's determinism.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { createPrisma } from '../../src/db/client';
import { synthRecords } from '../../src/ingest/synth';
import { createTestDatabase, useTestDatabase } from '../support/database';
import { rowCounts } from '../support/integrity';
import { runCliOn } from '../support/process';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/ingest');

const handle = useTestDatabase(1);
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-cli-'));
});

afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const cli = (script: string, args: string[], onStderr?: Parameters<typeof runCliOn>[3]) => runCliOn(handle.url, script, args, onStderr);

const TABLES = ['actors', 'actor_aliases', 'sources', 'events', 'event_participants', 'affiliations', 'shipments', 'shipment_events', 'citations'];
const counts = () => rowCounts(handle.pool, TABLES);

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
  const rejects = fs
    .readFileSync(`${input}.rejects.ndjson`, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(rejects.map((r) => r.line)).toEqual([3, 4, 5, 6, 7, 8, 9]);
  expect(rejects.find((r) => r.line === 7)).toMatchObject({ errors: [{ field: '(record)' }], record: null }); // not JSON
  expect(rejects.find((r) => r.line === 5)).toMatchObject({ errors: [{ field: 'unit' }], record: { externalId: 's1' } });
  // Its audit entry: the CLI has no key, so the operating-system user says who.
  const { rows } = await handle.pool.query(`SELECT key_id, operation, after FROM audit_log WHERE entity = 'IMPORT' ORDER BY id DESC LIMIT 1`);
  expect(rows[0]).toMatchObject({
    key_id: null,
    operation: 'import',
    after: { user: os.userInfo().username, inputs: [{ name: input, format: 'ndjson' }], partial: true, rejected: 7 },
  });
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
  const exported = await cli('export.ts', [
    '--format',
    'csv',
    '--kind',
    'actor,source,event,shipment',
    '--from',
    '2020-01-01',
    '--to',
    '2020-03-31',
    '--out',
    csvDir,
  ]);
  expect(exported.code).toBe(0);
  expect(fs.readdirSync(csvDir).sort()).toEqual(['actors.csv', 'events.csv', 'shipments.csv', 'sources.csv']);
  // (after the byte-order mark every CSV the project writes starts with: src/domain/csv.ts)
  const header = fs.readFileSync(path.join(csvDir, 'events.csv'), 'utf8').split('\n')[0];
  expect(header).toBe(
    '\uFEFFid,dataset,externalId,type,title,description,date.start,date.end,date.precision,date.text,location.name,location.countryCode,location.latitude,location.longitude,confidence,participants,date.edtf,fatalities,fatalitiesLow,fatalitiesHigh,fatalitiesQualifier,datasetFields',
  );
  const ndjson = await cli('export.ts', ['--format', 'ndjson', '--kind', 'actor,event,shipment', '--from', '2020-01-01', '--to', '2020-03-31']);
  const records = ndjson.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(records.filter((r) => r.kind === 'event').length).toBeGreaterThan(100);

  const target = await createTestDatabase();
  try {
    const imported = await runCliOn(target.url, 'import.ts', ['--quiet', ...['actors', 'events', 'shipments'].map((k) => path.join(csvDir, `${k}.csv`))]);
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

it('npm run generate writes the real layouts, deterministic for a seed', async () => {
  const [acled, again, sipri] = await Promise.all([
    cli('synth.ts', ['--format', 'acled', '--rows', '50', '--inter-words']),
    cli('synth.ts', ['--format', 'acled', '--rows', '50', '--inter-words']),
    cli('synth.ts', ['--format', 'sipri', '--rows', '5']),
  ]);
  expect(acled.code).toBe(0);
  expect(acled.stdout).toBe(again.stdout);
  expect(acled.stdout.split('\n')[0]).toMatch(/^event_id_cnty,event_date,year,time_precision,/);
  expect(acled.stdout.split('\n')).toHaveLength(52);
  expect(sipri.stdout).toMatch(/^Transfers of major conventional arms from All countries/);
}, 60_000);

it('a SIPRI register with its title lines imports from the command line; a broken one exits 1 naming line and column', async () => {
  const ok = await cli('import.ts', ['--quiet', '--create-missing-actors', path.join(FIXTURES, 'sipri-trade-register.csv')]);
  expect(ok.stderr).toBe('');
  expect(ok.code).toBe(0);
  expect(ok.stdout).toMatch(/^shipment +10 +0 +0$/m);
  const broken = await cli('import.ts', ['--quiet', '--create-missing-actors', path.join(FIXTURES, 'sipri-broken.csv')]);
  expect(broken.code).toBe(1);
  expect(broken.stderr).toContain(
    `${path.join(FIXTURES, 'sipri-broken.csv')}:7: shipment Year(s) of delivery (column K): "20O3" is not a year or a list of years`,
  );
  expect(broken.stderr).toMatch(/4 error\(s\) in 3 record\(s\): nothing was written/);
}, 60_000);

it('npm run export -- --format xlsx: a sheet per kind, text as text (nothing a formula), numbers as numbers', async () => {
  // A name a spreadsheet would run as a formula if it were one.
  await handle.pool
    .query(`WITH a AS (INSERT INTO actors (name, kind, dataset, external_id) VALUES ('=HYPERLINK("http://x.example","click")', 'ORGANIZATION', 'xl', 'f1') RETURNING id)
                           INSERT INTO actor_aliases (actor_id, alias) SELECT id, '=HYPERLINK("http://x.example","click")' FROM a`);
  const file = path.join(dir, 'export.xlsx');
  const exported = await cli('export.ts', ['--format', 'xlsx', '--kind', 'actor,shipment', '--out', file]);
  expect(exported.stderr).toMatch(/^exported \d+ records\n$/);
  expect(exported.code).toBe(0);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  expect(workbook.worksheets.map((w) => w.name)).toEqual(['actors', 'shipments']);
  const actors = workbook.getWorksheet('actors')!;
  expect((actors.getRow(1).values as unknown[]).slice(1).map((v) => (v as { richText: { text: string }[] }).richText[0].text)).toEqual([
    'id',
    'dataset',
    'externalId',
    'name',
    'actorKind',
    'countryCode',
    'description',
    'aliases',
  ]);
  let formulaRow: ExcelJS.Row | undefined;
  actors.eachRow((row) => {
    if (row.getCell(3).text === 'f1') formulaRow = row;
  });
  expect(formulaRow!.getCell(4).type).toBe(ExcelJS.ValueType.RichText);
  expect(formulaRow!.getCell(4).text).toBe('=HYPERLINK("http://x.example","click")');
  const shipments = workbook.getWorksheet('shipments')!;
  const header = (shipments.getRow(1).values as { richText: { text: string }[] }[]).slice(1).map((v) => v.richText[0].text);
  const col = (name: string) => header.indexOf(name) + 1;
  const withQuantity = shipments.getRows(2, shipments.rowCount - 1)!.find((r) => r.getCell(col('quantity')).value !== null)!;
  expect(withQuantity.getCell(col('quantity')).type).toBe(ExcelJS.ValueType.Number);
  // Dates are ISO text, never a date serial a spreadsheet would show in its own format.
  expect(withQuantity.getCell(col('delivery.start')).type).toBe(ExcelJS.ValueType.RichText);
  expect(withQuantity.getCell(col('delivery.start')).text).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(shipments.rowCount - 1).toBe((await handle.pool.query(`SELECT count(*)::int AS n FROM shipments WHERE deleted_at IS NULL`)).rows[0].n);
}, 120_000);
