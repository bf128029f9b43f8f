// References to events and shipments (partitioned, found through their key tables) are resolved
// either by a look-up each or by a join, chosen per kind from their number beside the table's
// (src/db/queries/ingest.ts probedKinds): both ways find the same live records and refuse the
// same soft-deleted and unknown ones, on a real database.
import { importWithPool, type ImportReport } from '../../src/ingest/importer';
import { textInput } from '../../src/ingest/read';
import { probedKinds } from '../../src/db/queries/ingest';
import { clientSql } from '../../src/db/sql';
import { useTestDatabase } from '../support/database';

const handle = useTestDatabase(2);

const ndjson = (records: object[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';
const EVENTS = 300;
const SHIPMENTS = 60;
const year = (i: number) => 2015 + (i % 10);

/** Two actors, a source, 300 events and 60 shipments over ten yearly partitions. */
const BASE = ndjson([
  { kind: 'actor', dataset: 't', externalId: 'a0', name: 'Resolve Supplier', actorKind: 'STATE', countryCode: 'PRK' },
  { kind: 'actor', dataset: 't', externalId: 'a1', name: 'Resolve Recipient', actorKind: 'STATE', countryCode: 'RUS' },
  { kind: 'source', dataset: 't', externalId: 's0', publisher: 'Wire', title: 'Report', publishedAt: '2024-01-02', reliability: 'B' },
  ...Array.from({ length: EVENTS }, (_, i) => ({
    kind: 'event',
    dataset: 't',
    externalId: `e${i}`,
    type: 'MEETING',
    title: `meeting ${i}`,
    date: { start: `${year(i)}-03-0${1 + (i % 9)}`, end: `${year(i)}-03-0${1 + (i % 9)}`, precision: 'DAY', text: 'that day' },
    confidence: 'REPORTED',
    participants: [{ actor: { externalId: 'a0' }, role: 'INITIATOR' }],
  })),
  ...Array.from({ length: SHIPMENTS }, (_, i) => ({
    kind: 'shipment',
    dataset: 't',
    externalId: `h${i}`,
    supplier: { externalId: 'a0' },
    recipient: { externalId: 'a1' },
    category: 'ARTILLERY_AMMUNITION',
    quantity: 100 + i,
    unit: 'rounds',
    delivery: { start: `${year(i)}-05-01`, end: `${year(i)}-06-30`, precision: 'RANGE', text: 'May to June' },
    status: 'REPORTED',
    confidence: 'REPORTED',
  })),
]);

/** Records naming live records (lines 1-3) and records naming a deleted or unknown one (lines 4-6). */
const GOOD = [
  { kind: 'citation', dataset: 't', externalId: 'c1', source: 's0', event: 'e5', excerpt: 'about e5', credibility: 4 },
  { kind: 'citation', dataset: 't', externalId: 'c2', source: 's0', shipment: 'h5', excerpt: 'about h5', credibility: 4 },
  {
    kind: 'shipment',
    dataset: 't',
    externalId: 'h100',
    supplier: { externalId: 'a0' },
    recipient: { externalId: 'a1' },
    category: 'ARTILLERY_AMMUNITION',
    quantity: 5,
    unit: 'rounds',
    delivery: { start: '2023-09-07', end: '2023-10-01', precision: 'RANGE', text: 'September' },
    status: 'REPORTED',
    confidence: 'REPORTED',
    events: ['e6', 'e8'],
  },
];
const BAD = [
  { kind: 'citation', dataset: 't', externalId: 'c3', source: 's0', event: 'e7', excerpt: 'about a deleted event', credibility: 4 },
  { kind: 'citation', dataset: 't', externalId: 'c4', source: 's0', event: 'e999', excerpt: 'about no event', credibility: 4 },
  { kind: 'citation', dataset: 't', externalId: 'c5', source: 's0', shipment: 'h7', excerpt: 'about a deleted shipment', credibility: 4 },
];

const errorsOf = (r: ImportReport) => r.errors.map((e) => [e.line, e.field, e.reason]);

beforeAll(async () => {
  const base = await importWithPool(handle.pool, [textInput('base.ndjson', BASE)]);
  expect(base.errors).toEqual([]);
  await handle.pool.query(`UPDATE events SET deleted_at = now() WHERE dataset = 't' AND external_id = 'e7'`);
  await handle.pool.query(`UPDATE shipments SET deleted_at = now() WHERE dataset = 't' AND external_id = 'h7'`);
  await handle.pool.query(`ANALYZE event_keys, shipment_keys`);
});

test('a few references beside many rows are looked up one by one; as many as a fifth of the rows, joined', async () => {
  const client = await handle.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`CREATE TEMP TABLE ingest_ref (target_kind text) ON COMMIT DROP`);
    await client.query(`INSERT INTO ingest_ref SELECT 'event' FROM generate_series(1, 3) UNION ALL SELECT 'shipment'`);
    expect([...(await probedKinds(await clientSql(client)))].sort()).toEqual(['event', 'shipment']);
    await client.query(`INSERT INTO ingest_ref SELECT 'event' FROM generate_series(1, ${EVENTS / 5})`);
    expect([...(await probedKinds(await clientSql(client)))]).toEqual(['shipment']);
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
});

test('looked up or joined, the references to deleted and unknown records are refused alike', async () => {
  const file = ndjson([...GOOD, ...BAD]);
  const [probed, joined, chosen] = await Promise.all(
    (['probe', 'join', undefined] as const).map((lookups) => importWithPool(handle.pool, [textInput('refs.ndjson', file)], { dryRun: true, lookups })),
  );
  expect(errorsOf(probed).map(([line, field]) => [line, field])).toEqual([
    [4, 'event'],
    [5, 'event'],
    [6, 'shipment'],
  ]);
  expect(errorsOf(joined)).toEqual(errorsOf(probed));
  expect(errorsOf(chosen)).toEqual(errorsOf(probed));
});

test.each(['probe', 'join'] as const)('%s: the live records named are the ones written against', async (lookups) => {
  await handle.pool.query(`DELETE FROM citations WHERE dataset = 't' AND external_id IN ('c1', 'c2')`);
  await handle.pool.query(`DELETE FROM shipments WHERE dataset = 't' AND external_id = 'h100'`);
  const report = await importWithPool(handle.pool, [textInput('good.ndjson', ndjson(GOOD))], { lookups });
  expect(report.errors).toEqual([]);
  const { rows } = await handle.pool.query<{ what: string; target: string }>(
    `SELECT 'c1' AS what, e.external_id AS target FROM citations c JOIN events e ON e.id = c.event_id WHERE c.external_id = 'c1'
     UNION ALL SELECT 'c2', s.external_id FROM citations c JOIN shipments s ON s.id = c.shipment_id WHERE c.external_id = 'c2'
     UNION ALL SELECT 'h100', e.external_id FROM shipment_events se JOIN shipments s ON s.id = se.shipment_id
                JOIN events e ON e.id = se.event_id WHERE s.external_id = 'h100'
     ORDER BY 1, 2`,
  );
  expect(rows.map((r) => [r.what, r.target])).toEqual([
    ['c1', 'e5'],
    ['c2', 'h5'],
    ['h100', 'e6'],
    ['h100', 'e8'],
  ]);
});
