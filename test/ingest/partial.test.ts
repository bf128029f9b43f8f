// `npm run import -- --partial` (issue #27 item 10): the summary, the rejects file and the
// database agree exactly, counted record by record. Files mix good and bad records: an ACLED row
// that makes an event (rejected: notes past the description's limit), its two sources (good,
// written) and their two citations (rejected: their excerpt is too long, and their event
// rejected); an ACLED row whose cells cannot be read (no such date: refused by its line and
// column before it makes any record, one rejected record); NDJSON with a source cited only by a rejected citation, a
// duplicate external id, a record with several errors, one that is not JSON, and a record that
// points at a rejected one. Before, the summary counted lines (1), the rejects file held every
// record of a rejected line (5), sources among them, and those sources were written all the same.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileInput, readRecords } from '../../src/ingest/read';
import { useTestDatabase } from '../support/database';
import { runCliOn } from '../support/process';

const ROOT = path.resolve(__dirname, '../..');
const TABLE: Record<string, string> = {
  actor: 'actors',
  source: 'sources',
  event: 'events',
  shipment: 'shipments',
  citation: 'citations',
  affiliation: 'affiliations',
  claim: 'claims',
};

const handle = useTestDatabase(1, 120_000);
let dir: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'partial-'));
}, 120_000);
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const importCli = (args: string[]) => runCliOn(handle.url, 'import.ts', ['--quiet', '--partial', ...args]);

/** Whether a record (by kind, dataset and externalId) is in the database. */
async function stored(r: { kind: string; dataset?: string; externalId: string }, defaultDataset: string): Promise<boolean> {
  const { rows } = await handle.pool.query(`SELECT 1 FROM ${TABLE[r.kind]} WHERE dataset = $1 AND external_id = $2`, [
    r.dataset ?? defaultDataset,
    r.externalId,
  ]);
  return rows.length === 1;
}

/**
 * Imports `file` with --partial and checks the three agree: the summary's count is the rejects
 * file's lines, and each record of the input (read as the importer reads it) is in the database
 * unless the rejects file holds it (a rejected duplicate shares its key with the one written).
 * Returns the rejected records' keys (kind:dataset:externalId; null for what is not a record).
 */
async function importAndCompare(file: string, opts: { format?: string; dataset: string; extra?: string[] }): Promise<(string | null)[]> {
  const run = await importCli([...(opts.format ? ['--format', opts.format] : []), '--dataset', opts.dataset, ...(opts.extra ?? []), file]);
  expect(run.code).toBe(0);
  const summary = /rejected (\d+) of (\d+) record\(s\), written to (.*)\n/.exec(run.stderr);
  expect(summary).not.toBeNull();
  const [, rejectedCount, total, written] = summary!;
  expect(written).toBe(`${file}.rejects.ndjson`);
  const rejects = fs
    .readFileSync(written, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { line: number; position: number; errors: unknown[]; record: any });
  expect(rejects.length).toBe(Number(rejectedCount));
  for (const r of rejects) expect(r.errors.length).toBeGreaterThan(0);

  const all: any[] = [];
  for await (const item of readRecords(fileInput(file), { format: (opts.format ?? 'auto') as 'auto' })) all.push(item.raw ?? null);
  expect(all.length).toBe(Number(total));
  const key = (r: any) => (r && typeof r === 'object' ? `${r.kind}:${r.dataset ?? opts.dataset}:${r.externalId}` : null);
  const rejectedAt = new Map(rejects.map((r) => [r.position, r]));
  const writtenKeys = new Set(all.filter((_, i) => !rejectedAt.has(i + 1)).map(key));
  for (const [i, r] of all.entries()) {
    const reject = rejectedAt.get(i + 1);
    if (reject) expect(reject.record).toEqual(r);
    if (r === null) continue;
    expect([key(r), await stored(r, opts.dataset)]).toEqual([key(r), writtenKeys.has(key(r))]);
  }
  return rejects.map((r) => key(r.record));
}

it('an ACLED row whose notes are too long: its event and citations rejected, its sources written, and all three say so', async () => {
  const sample = fs.readFileSync(path.join(ROOT, 'test/fixtures/ingest/acled-sample.csv'), 'utf8').split('\n');
  // The first data row's notes past the limit of a description and an excerpt (20,000 characters):
  // its event is rejected, and with it its citations.
  sample[1] = sample[1].replace(/"On 13 September 2023[^"]*"/, `"${'x'.repeat(20_001)}"`);
  const file = path.join(dir, 'acled.csv');
  fs.writeFileSync(file, sample.join('\n'));
  const rejected = await importAndCompare(file, { format: 'acled', dataset: 'ignored', extra: ['--create-missing-actors'] });
  expect(rejected).toEqual(['event:acled:UKR100001', 'citation:acled:UKR100001:1', 'citation:acled:UKR100001:2']);
  // The row's sources are good records: written, and not in the rejects file.
  const { rows } = await handle.pool.query("SELECT external_id FROM sources WHERE external_id IN ('source:Ukrinform', 'source:Kyiv Independent') ORDER BY 1");
  expect(rows.map((r) => r.external_id)).toEqual(['source:Kyiv Independent', 'source:Ukrinform']);
});

it('an ACLED row with a bad date: refused by its line and column as one record, before it makes any', async () => {
  const sample = fs.readFileSync(path.join(ROOT, 'test/fixtures/ingest/acled-sample.csv'), 'utf8').split('\n');
  // (an id of its own: the test above wrote the sample's)
  sample[2] = sample[2].replace(/^UKR100002,12 September 2023,/, 'UKR900002,2023-02-30,');
  const file = path.join(dir, 'acled-date.csv');
  fs.writeFileSync(file, sample.join('\n'));
  const rejected = await importAndCompare(file, { format: 'acled', dataset: 'ignored', extra: ['--create-missing-actors'] });
  // (no record to hold: the rejects file names its line and column)
  expect(rejected).toEqual([null]);
  const [reject] = fs
    .readFileSync(`${file}.rejects.ndjson`, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(reject).toEqual({
    line: 3,
    position: expect.any(Number),
    record: null,
    errors: [{ field: 'event_date (column B)', reason: '"2023-02-30" is not a date (2023-09-13, 13 September 2023 or 13-Sep-2023)' }],
  });
  const { rows } = await handle.pool.query("SELECT count(*)::int AS n FROM events WHERE external_id = 'UKR900002'");
  expect(rows[0].n).toBe(0);
});

it('NDJSON mixing good and bad records, with a source only a rejected citation points at', async () => {
  const shipment = (externalId: string, event: string) => ({
    kind: 'shipment',
    externalId,
    supplier: { externalId: 'a1' },
    recipient: { externalId: 'a2' },
    category: 'FOOD',
    delivery: '2023-10',
    status: 'REPORTED',
    confidence: 'REPORTED',
    events: [event],
  });
  const lines = [
    { kind: 'actor', externalId: 'a1', name: 'Partial One', actorKind: 'STATE' },
    { kind: 'actor', externalId: 'a2', name: 'Partial Two', actorKind: 'STATE' },
    { kind: 'source', externalId: 's1', publisher: 'Cited only by a bad citation', title: 'T' },
    {
      kind: 'event',
      externalId: 'e1',
      type: 'MEETING',
      title: 'Good',
      date: '2023-09',
      confidence: 'REPORTED',
      participants: [{ actor: { externalId: 'a1' }, role: 'INITIATOR' }],
    },
    { kind: 'citation', externalId: 'c1', source: 's1', event: 'e1', excerpt: 'bad credibility', credibility: 9 },
    { kind: 'event', externalId: 'e2', type: 'NOPE', title: '', date: '2023-02-30', confidence: 'REPORTED' },
    { kind: 'citation', externalId: 'c2', source: 's1', event: 'e2', excerpt: 'points at a rejected event' },
    { kind: 'actor', externalId: 'a1', name: 'Partial One again', actorKind: 'STATE' },
    'this is not json',
    // sh1 reports the rejected event (and is rejected with it), sh2 the good one.
    shipment('sh1', 'e2'),
    shipment('sh2', 'e1'),
  ];
  const file = path.join(dir, 'mixed.ndjson');
  fs.writeFileSync(file, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n'));
  const rejected = await importAndCompare(file, { dataset: 'partial' });
  expect(rejected).toEqual(['citation:partial:c1', 'event:partial:e2', 'citation:partial:c2', 'actor:partial:a1', null, 'shipment:partial:sh1']);
  // The source is a good record: written, though both citations of it were rejected.
  expect(await stored({ kind: 'source', externalId: 's1' }, 'partial')).toBe(true);
  // The audit entry counts the same records.
  const { rows } = await handle.pool.query(`SELECT after->>'rejected' AS rejected FROM audit_log WHERE entity = 'IMPORT' ORDER BY id DESC LIMIT 1`);
  expect(rows[0].rejected).toBe('6');
});
