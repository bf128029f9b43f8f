// The report rollups (shipment_month_rollup, shipment_pair_month_rollup, event_month_rollup)
// against the direct computation, on random data from a seeded PRNG (the generator's, so a failure replays):
// rounds of set-based inserts, updates that change what the rollup keys on, updates that
// change nothing it reads, soft deletes, restores and hard deletes; after each round,
//   - the rollup tables equal a recount from scratch (counts exactly, quantities to rounding);
//   - every report a rollup serves is the direct report, for every granularity it serves ×
//     attribution, and for every groupBy combination, with random windows and filters; a
//     report the pair rollup serves is compared on both rollups.
// Also: a bulk import and re-import (src/ingest), two concurrent writers on the same rollup
// rows, and TRUNCATE.
import type { Pool } from 'pg';
import { Confidence, EventType, ShipmentCategory, ShipmentStatus } from '../../src/generated/prisma/enums';
import { importWithPool } from '../../src/ingest/importer';
import { textInput } from '../../src/ingest/read';
import { prng, synthRecords } from '../../src/ingest/synth';
import {
  eventStatsOn,
  eventStatsSources,
  reportSource,
  shipmentReport,
  shipmentReportOn,
  shipmentReportSources,
  type Attribution,
  type EventDimension,
  type EventStatsArgs,
  type Granularity,
  type ReportEstimates,
  type ShipmentDimension,
  type ShipmentReportArgs,
} from '../../src/services/reports';
import { useTestDatabase } from '../support/database';

const handle = useTestDatabase(4);
let pool: Pool;

beforeAll(async () => {
  pool = handle.pool;
});

const random = prng(20261201);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
const chance = (p: number) => random() < p;
/** A random subset (each element with probability p), in order. */
const some = <T>(xs: readonly T[], p = 0.5): T[] => xs.filter(() => chance(p));
/** An id from the PRNG too: the rows are picked in id order, so random ids would make a run unrepeatable. */
const randomId = (): string => {
  const hex = Array.from({ length: 32 }, () => int(16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
};

const GRANULARITIES: Granularity[] = ['MONTH', 'QUARTER', 'YEAR'];
const ATTRIBUTIONS: Attribution[] = ['PRO_RATA', 'START', 'END'];
const ESTIMATES: ReportEstimates[] = ['INCLUDE', 'EXCLUDE'];
const SHIPMENT_DIMENSIONS: ShipmentDimension[] = ['SUPPLIER', 'RECIPIENT', 'CATEGORY', 'STATUS', 'CONFIDENCE'];
const EVENT_DIMENSIONS: EventDimension[] = ['TYPE', 'COUNTRY', 'CONFIDENCE'];
const SHIPMENT_FILTERS = ['supplierIds', 'recipientIds', 'categories', 'statuses', 'minConfidence'];
const EVENT_FILTERS = ['types', 'minConfidence'];

/** Every subset of `xs`. */
function subsets<T>(xs: readonly T[]): T[][] {
  return xs.reduce<T[][]>((acc, x) => [...acc, ...acc.map((s) => [...s, x])], [[]]);
}

function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** Spans around 2014–2018 with the edges that matter: one day, month bounds, leap days, multi-year. */
function randomSpan(): [string, string] {
  let start = addDays('2014-01-01', int(4 * 365));
  if (chance(0.2)) start = `${start.slice(0, 8)}01`;
  if (chance(0.05)) start = '2016-02-29';
  const length = pick([0, 0, int(31), int(100), int(400), int(900)]);
  return [start, addDays(start, length)];
}

const enumValues = (e: Record<string, string>) => Object.values(e);

// ------------------------------------------------------------------ the data

let actors: string[] = [];

async function createActors(n: number): Promise<void> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO actors (name, kind) SELECT 'Rollup actor ' || i, 'STATE' FROM generate_series(1, $1::int) AS i RETURNING id`,
    [n],
  );
  actors = rows.map((r) => r.id);
}

/**
 * A quantity of every kind the rollups tell apart (migration 20261207500000_report_estimates):
 * unknown, EXACT, approximate with or without bounds, at least / at most with or without the
 * other bound, estimated, a range with no best value. Bounds as the CHECKs of 20261207300000 want them.
 */
function randomQuantity(): { quantity: number | null; low: number | null; high: number | null; qualifier: string } | null {
  if (!chance(0.7)) return null;
  const best = 1 + int(5000) + (chance(0.3) ? random() : 0);
  const bounded = chance(0.5);
  switch (pick(['EXACT', 'EXACT', 'EXACT', 'APPROXIMATE', 'AT_LEAST', 'AT_MOST', 'ESTIMATE', 'RANGE'])) {
    case 'EXACT':
      return { quantity: best, low: best, high: best, qualifier: 'EXACT' };
    case 'APPROXIMATE':
      return { quantity: best, low: bounded ? best * 0.8 : null, high: bounded ? best * 1.25 : null, qualifier: 'APPROXIMATE' };
    case 'AT_LEAST':
      return { quantity: best, low: best, high: bounded ? best * 2 : null, qualifier: 'AT_LEAST' };
    case 'AT_MOST':
      return { quantity: best, low: bounded ? best / 2 : null, high: best, qualifier: 'AT_MOST' };
    case 'ESTIMATE':
      return { quantity: best, low: bounded ? best - 1 : null, high: bounded ? best + 1 : null, qualifier: 'ESTIMATE' };
    default:
      return { quantity: null, low: best, high: best * 1.5, qualifier: 'APPROXIMATE' };
  }
}

function randomShipment() {
  const supplier = pick(actors);
  const recipient = pick(actors.filter((a) => a !== supplier));
  const q = randomQuantity();
  let [start, end] = randomSpan();
  // An open or unknown end: the span is bounded by its known end alone (the bounding rule).
  const open = chance(0.1);
  if (open) end = start;
  return {
    id: randomId(),
    supplier,
    recipient,
    category: pick(enumValues(ShipmentCategory)),
    status: pick(enumValues(ShipmentStatus)),
    confidence: pick(enumValues(Confidence)),
    quantity: q?.quantity ?? null,
    low: q?.low ?? null,
    high: q?.high ?? null,
    qualifier: q?.qualifier ?? null,
    unit: q ? pick(['rounds', 'shells', 'containers']) : pick(['rounds', null]),
    start,
    end,
    edtf: open ? pick([`${start}/..`, `${start}/`]) : null,
    open,
  };
}

function randomEvent() {
  const [start, end] = randomSpan();
  return {
    id: randomId(),
    type: pick(enumValues(EventType)),
    confidence: pick(enumValues(Confidence)),
    country: pick(['PRK', 'RUS', 'UKR', null]),
    start,
    end,
  };
}

/** Inserts in one statement (one trigger call for all rows), from a JSON array. */
async function insertShipments(n: number): Promise<void> {
  const rows = Array.from({ length: n }, randomShipment);
  await pool.query(
    `INSERT INTO shipments (id, supplier_id, recipient_id, category, status, confidence, quantity, quantity_low, quantity_high, quantity_qualifier,
                            unit, delivery_start, delivery_end, delivery_precision, delivery_edtf, delivery_open)
     SELECT id, supplier, recipient, category::"ShipmentCategory", status::"ShipmentStatus", confidence::"Confidence", quantity, low, high,
            qualifier::"QuantityQualifier", unit, start, "end", 'RANGE', edtf, open
     FROM json_to_recordset($1::json) AS x(id uuid, supplier uuid, recipient uuid, category text, status text, confidence text,
                                            quantity float8, low float8, high float8, qualifier text, unit text, start date, "end" date,
                                            edtf text, open boolean)`,
    [JSON.stringify(rows)],
  );
}

async function insertEvents(n: number): Promise<void> {
  const rows = Array.from({ length: n }, randomEvent);
  await pool.query(
    `INSERT INTO events (id, type, title, confidence, location_country_code, span_start, span_end, span_precision)
     SELECT id, type::"EventType", 'Rollup event', confidence::"Confidence", country, start, "end", 'RANGE'
     FROM json_to_recordset($1::json) AS x(id uuid, type text, confidence text, country text, start date, "end" date)`,
    [JSON.stringify(rows)],
  );
}

async function ids(table: 'shipments' | 'events', deleted: boolean): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(`SELECT id FROM ${table} WHERE (deleted_at IS NOT NULL) = $1 ORDER BY id`, [deleted]);
  return rows.map((r) => r.id);
}

/** Updates many rows in one statement, each with new random values for what the rollup keys on. */
async function updateShipments(targets: string[]): Promise<void> {
  const rows = targets.map((id) => ({ ...randomShipment(), id }));
  await pool.query(
    `UPDATE shipments s SET
       supplier_id = CASE WHEN x.which = 0 THEN x.supplier ELSE s.supplier_id END,
       recipient_id = CASE WHEN x.which = 0 THEN x.recipient ELSE s.recipient_id END,
       category = CASE WHEN x.which = 1 THEN x.category::"ShipmentCategory" ELSE s.category END,
       status = CASE WHEN x.which = 2 THEN x.status::"ShipmentStatus" ELSE s.status END,
       confidence = CASE WHEN x.which = 3 THEN x.confidence::"Confidence" ELSE s.confidence END,
       quantity = CASE WHEN x.which = 4 THEN x.quantity ELSE s.quantity END,
       quantity_low = CASE WHEN x.which = 4 THEN x.low ELSE s.quantity_low END,
       quantity_high = CASE WHEN x.which = 4 THEN x.high ELSE s.quantity_high END,
       quantity_qualifier = CASE WHEN x.which = 4 THEN x.qualifier::"QuantityQualifier" ELSE s.quantity_qualifier END,
       unit = CASE WHEN x.which = 4 THEN x.unit ELSE s.unit END,
       delivery_start = CASE WHEN x.which = 5 THEN x.start ELSE s.delivery_start END,
       delivery_end = CASE WHEN x.which = 5 THEN x."end" ELSE s.delivery_end END,
       delivery_edtf = CASE WHEN x.which = 5 THEN x.edtf ELSE s.delivery_edtf END,
       delivery_open = CASE WHEN x.which = 5 THEN x.open ELSE s.delivery_open END
     FROM json_to_recordset($1::json) AS x(id uuid, which int, supplier uuid, recipient uuid, category text, status text,
                                           confidence text, quantity float8, low float8, high float8, qualifier text, unit text,
                                           start date, "end" date, edtf text, open boolean)
     WHERE s.id = x.id`,
    [JSON.stringify(rows.map((r) => ({ ...r, which: int(6) })))],
  );
}

async function updateEvents(targets: string[]): Promise<void> {
  const rows = targets.map((id) => ({ which: int(4), ...randomEvent(), id }));
  await pool.query(
    `UPDATE events e SET
       type = CASE WHEN x.which = 0 THEN x.type::"EventType" ELSE e.type END,
       confidence = CASE WHEN x.which = 1 THEN x.confidence::"Confidence" ELSE e.confidence END,
       location_country_code = CASE WHEN x.which = 2 THEN x.country ELSE e.location_country_code END,
       span_start = CASE WHEN x.which = 3 THEN x.start ELSE e.span_start END,
       span_end = CASE WHEN x.which = 3 THEN x."end" ELSE e.span_end END
     FROM json_to_recordset($1::json) AS x(id uuid, which int, type text, confidence text, country text, start date, "end" date)
     WHERE e.id = x.id`,
    [JSON.stringify(rows)],
  );
}

/** One round of random writes on both tables, each a set-based statement. */
async function randomRound(): Promise<void> {
  for (const table of ['shipments', 'events'] as const) {
    if (table === 'shipments') await insertShipments(20 + int(30));
    else await insertEvents(30 + int(40));
    const live = await ids(table, false);
    if (table === 'shipments') await updateShipments(some(live, 0.3));
    else await updateEvents(some(live, 0.3));
    // What the rollup does not read: the triggers must change nothing.
    await pool.query(`UPDATE ${table} SET description = 'touched' WHERE id = ANY($1::uuid[])`, [some(live, 0.2)]);
    await pool.query(`UPDATE ${table} SET deleted_at = now() WHERE id = ANY($1::uuid[])`, [some(live, 0.15)]);
    await pool.query(`UPDATE ${table} SET deleted_at = NULL WHERE id = ANY($1::uuid[])`, [some(await ids(table, true), 0.4)]);
    // Hard deletes, of live and of soft-deleted rows (these must take nothing away).
    const doomed = [...some(await ids(table, false), 0.05), ...some(await ids(table, true), 0.2)];
    if (table === 'events') await pool.query(`DELETE FROM event_participants WHERE event_id = ANY($1::uuid[])`, [doomed]);
    await pool.query(`DELETE FROM ${table} WHERE id = ANY($1::uuid[])`, [doomed]);
  }
}

// ------------------------------------------------------------------ the checks

/** The figures of a shipment rollup row (the migration's own list): counts, and sums of quantities. */
let figures: { name: string; sum: boolean }[] = [];

/**
 * Rows of a shipment rollup keyed by `keys` that differ from a recount from scratch (rows of
 * zeros count as absent): every figure, counts exactly, sums to float rounding.
 */
async function shipmentRollupDrift(table: string, keys: string): Promise<unknown[]> {
  if (!figures.length) {
    const { rows } = await pool.query<{ name: string; known: string | null }>('SELECT name, known FROM shipment_rollup_figures() ORDER BY ord');
    figures = rows.map((r) => ({ name: r.name, sum: r.known !== null }));
  }
  const differs = figures.map(({ name, sum }) =>
    sum ? `abs(k.${name} - c.${name}) > 1e-9 * greatest(1, abs(c.${name}))` : `k.${name} IS DISTINCT FROM c.${name}`,
  );
  const { rows } = await pool.query(`
    WITH recount AS (
      SELECT ${keys}, ${figures.map(({ name }) => `sum(c.${name}) AS ${name}`).join(', ')}
      FROM (SELECT c.* FROM shipments s CROSS JOIN LATERAL shipment_month_contributions(1, s) c) AS c
      GROUP BY ${keys}
    ),
    kept AS (SELECT * FROM ${table} WHERE ${figures.map(({ name }) => `${name} <> 0`).join(' OR ')})
    SELECT '${table}' AS rollup, k.*, c.* FROM kept k
    FULL JOIN recount c USING (${keys})
    WHERE k.overlapping IS NULL OR c.overlapping IS NULL OR ${differs.join(' OR ')}`);
  return rows;
}

/** Rollup rows that differ from a recount from scratch. */
async function rollupDrift(): Promise<unknown[]> {
  const shipments = [
    ...(await shipmentRollupDrift('shipment_month_rollup', 'month, supplier_id, recipient_id, category, status, confidence, unit')),
    ...(await shipmentRollupDrift('shipment_pair_month_rollup', 'month, supplier_id, recipient_id, unit')),
  ];
  const events = await pool.query(`
    WITH recount AS (
      SELECT c.month, c.type, c.confidence, c.country, sum(c.overlapping) AS overlapping, sum(c.starting) AS starting, sum(c.ending) AS ending
      FROM events e CROSS JOIN LATERAL event_month_contributions(1, e) c
      GROUP BY 1, 2, 3, 4
    )
    SELECT 'events' AS rollup, k.*, c.* FROM (SELECT * FROM event_month_rollup WHERE overlapping <> 0) k
    FULL JOIN recount c USING (month, type, confidence, country)
    WHERE (k.overlapping, k.starting, k.ending) IS DISTINCT FROM (c.overlapping, c.starting, c.ending)`);
  return [...shipments, ...events.rows];
}

/** Quantities agree to float rounding (the two sides add the same shares in another order). */
function close(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

const SUMS = ['quantity', 'quantityLow', 'quantityHigh'] as const;

/** Replaces each sum (quantity and its bounds) by a placeholder, collecting the values to compare with close(). */
function withoutSums<T extends Record<(typeof SUMS)[number], number | null>>(rows: T[], into: (number | null)[]): Omit<T, (typeof SUMS)[number]>[] {
  return rows.map((row) => {
    const rest: Record<string, unknown> = { ...row };
    for (const k of SUMS) {
      into.push(row[k]);
      delete rest[k];
    }
    return rest as Omit<T, (typeof SUMS)[number]>;
  });
}

/** The report on every rollup that serves it equals the direct report. */
async function expectSameShipmentReport(args: ShipmentReportArgs): Promise<void> {
  const sources = shipmentReportSources(args);
  expect(sources).toContain('rollup');
  const direct = await shipmentReportOn(handle, args, 'direct');
  for (const source of sources.filter((s) => s !== 'direct')) {
    const rollup = await shipmentReportOn(handle, args, source);
    const [qd, qr]: (number | null)[][] = [[], []];
    const context = `${source} ${JSON.stringify(args)}`;
    expect([context, withoutSums(rollup.buckets, qr), withoutSums(rollup.totals, qr)]).toEqual([
      context,
      withoutSums(direct.buckets, qd),
      withoutSums(direct.totals, qd),
    ]);
    const differ = qd.flatMap((q, i) => (close(q, qr[i]) ? [] : [[i, q, qr[i]]]));
    expect([context, differ]).toEqual([context, []]);
  }
}

async function expectSameEventStats(args: EventStatsArgs): Promise<void> {
  expect(eventStatsSources(args)).toEqual(['rollup', 'direct']);
  const direct = await eventStatsOn(handle, args, 'direct');
  const rollup = await eventStatsOn(handle, args, 'rollup');
  expect([JSON.stringify(args), rollup]).toEqual([JSON.stringify(args), direct]);
}

/** A window of 1 to 7 years, from and to anywhere in their periods (the service widens them). */
function randomWindow(): { from: string; to: string } {
  const from = addDays('2013-06-01', int(5 * 365));
  return { from, to: addDays(from, 30 + int(7 * 365)) };
}

function randomShipmentFilter() {
  return pick([
    {},
    {},
    { supplierIds: some(actors, 0.4) },
    { recipientIds: [pick(actors)], minConfidence: pick(enumValues(Confidence)) },
    { categories: some(enumValues(ShipmentCategory)), statuses: some(enumValues(ShipmentStatus)) },
  ]);
}

/** The filters the pair rollup serves. */
function randomPairFilter() {
  return pick([{}, { supplierIds: some(actors, 0.4) }, { recipientIds: some(actors, 0.3) }, { supplierIds: [pick(actors)], recipientIds: some(actors) }]);
}

function randomEventFilter() {
  return pick([{}, {}, { types: some(enumValues(EventType)) }, { minConfidence: pick(enumValues(Confidence)) }]);
}

/**
 * Every granularity × attribution (what changes how rollup rows are read), each with a random
 * groupBy and one the pair rollup serves; with `all`, also every groupBy combination (what
 * changes only the columns), each under one granularity and attribution in turn. Each on a
 * random window and filter.
 */
async function compareReports(all: boolean): Promise<void> {
  const shipmentGroupings = subsets(SHIPMENT_DIMENSIONS);
  const pairGroupings = subsets(['SUPPLIER', 'RECIPIENT'] as ShipmentDimension[]);
  const eventGroupings = subsets(EVENT_DIMENSIONS);
  const ways = GRANULARITIES.flatMap((granularity) => ATTRIBUTIONS.map((attribution) => ({ granularity, attribution })));
  for (const way of ways) {
    // Every way both with the estimates and without them (the figures read from other columns).
    for (const estimates of ESTIMATES) {
      await expectSameShipmentReport({ ...randomWindow(), ...way, estimates, groupBy: pick(shipmentGroupings), filter: randomShipmentFilter() });
      const pair: ShipmentReportArgs = { ...randomWindow(), ...way, estimates, groupBy: pick(pairGroupings), filter: randomPairFilter() };
      expect(shipmentReportSources(pair)[0]).toBe('pairRollup');
      await expectSameShipmentReport(pair);
    }
    await expectSameEventStats({ ...randomWindow(), ...way, groupBy: pick(eventGroupings), filter: randomEventFilter() });
  }
  if (!all) return;
  for (const [i, groupBy] of shipmentGroupings.entries()) {
    await expectSameShipmentReport({ ...randomWindow(), ...ways[i % ways.length], estimates: pick(ESTIMATES), groupBy, filter: randomShipmentFilter() });
  }
  for (const [i, groupBy] of eventGroupings.entries()) {
    await expectSameEventStats({ ...randomWindow(), ...ways[(i * 4) % ways.length], groupBy, filter: randomEventFilter() });
  }
}

// ------------------------------------------------------------------ the tests

describe('the report rollups on random writes', () => {
  beforeAll(() => createActors(6));

  it('stays equal to a recount through inserts, updates, soft deletes, restores and deletes', async () => {
    for (let round = 0; round < 4; round += 1) {
      await randomRound();
      expect([round, await rollupDrift()]).toEqual([round, []]);
      await compareReports(false);
    }
    // Something of everything is there to compare.
    const { rows } = await pool.query<{ live: number; deleted: number; multi: number; open: number; estimated: number; range: number }>(
      `SELECT count(*) FILTER (WHERE deleted_at IS NULL)::int AS live, count(*) FILTER (WHERE deleted_at IS NOT NULL)::int AS deleted,
              count(*) FILTER (WHERE date_trunc('month', delivery_start) <> date_trunc('month', delivery_end))::int AS multi,
              count(*) FILTER (WHERE delivery_open AND quantity_qualifier = 'EXACT')::int AS open,
              count(*) FILTER (WHERE quantity_qualifier <> 'EXACT')::int AS estimated,
              count(*) FILTER (WHERE quantity IS NULL AND quantity_low IS NOT NULL)::int AS range FROM shipments`,
    );
    expect(rows[0].live).toBeGreaterThan(50);
    expect(rows[0].deleted).toBeGreaterThan(0);
    expect(rows[0].multi).toBeGreaterThan(20);
    expect(rows[0]).toMatchObject({ open: expect.any(Number), estimated: expect.any(Number), range: expect.any(Number) });
    expect(Math.min(rows[0].open, rows[0].estimated, rows[0].range)).toBeGreaterThan(0);
  }, 300_000);

  it('gives the direct report for every granularity × attribution and every groupBy combination it serves', async () => {
    await compareReports(true);
  }, 600_000);

  it('stays exact under two concurrent writers adding to the same rollup rows', async () => {
    // Same supplier, recipient, category, status, confidence, unit and months: the same keys.
    const batch = (quantity: number) =>
      pool.query(
        `INSERT INTO shipments (supplier_id, recipient_id, category, status, confidence, quantity, unit, delivery_start, delivery_end, delivery_precision)
         SELECT $1::uuid, $2::uuid, 'FOOD', 'REPORTED', 'REPORTED', $3::float8, 'tonnes', '2017-01-10', '2017-06-20', 'RANGE'
         FROM generate_series(1, 25)`,
        [actors[0], actors[1], quantity],
      );
    await Promise.all([batch(10), batch(20), batch(30)]);
    expect(await rollupDrift()).toEqual([]);
    const report = await shipmentReport(handle, {
      from: '2017-01-01',
      to: '2017-12-31',
      granularity: 'YEAR',
      filter: { supplierIds: [actors[0]], recipientIds: [actors[1]], categories: ['FOOD'], statuses: ['REPORTED'], minConfidence: 'REPORTED' },
    });
    // No random shipment is in tonnes: the group is the three batches.
    const tonnes = report.totals.find((t) => t.unit === 'tonnes');
    expect([tonnes?.shipments, tonnes?.quantity, tonnes?.unknownQuantity]).toEqual([75, 25 * (10 + 20 + 30), 0]);
    await expectSameShipmentReport({
      from: '2017-01-01',
      to: '2017-12-31',
      granularity: 'QUARTER',
      groupBy: ['SUPPLIER'],
      filter: { supplierIds: [actors[0]] },
    });
  });

  it('follows a bulk import and a re-import that corrects records (INSERT … ON CONFLICT DO UPDATE)', async () => {
    const records = [...synthRecords({ events: 300, shipments: 150, actors: 30, seed: 7, dataset: 'rollup' })];
    const ndjson = (recs: Record<string, unknown>[]) => recs.map((r) => JSON.stringify(r)).join('\n');
    await importWithPool(pool, [textInput('first.ndjson', ndjson(records))]);
    expect(await rollupDrift()).toEqual([]);
    // Corrections: other quantities and deliveries for half of the shipments.
    const corrected = records.map((r, i) =>
      r.kind === 'shipment' && i % 2 === 0 ? { ...r, quantity: 7 + (i % 13), unit: 'containers', delivery: '2019-03' } : r,
    );
    await importWithPool(pool, [textInput('second.ndjson', ndjson(corrected))]);
    expect(await rollupDrift()).toEqual([]);
    await compareReports(false);
  }, 300_000);

  it('is emptied with the table by TRUNCATE', async () => {
    await pool.query('TRUNCATE shipments, events CASCADE');
    const { rows } = await pool.query<{ n: number }>(
      'SELECT (SELECT count(*) FROM shipment_month_rollup) + (SELECT count(*) FROM shipment_pair_month_rollup) + (SELECT count(*) FROM event_month_rollup) AS n',
    );
    expect(Number(rows[0].n)).toBe(0);
    await insertShipments(10);
    await insertEvents(10);
    expect(await rollupDrift()).toEqual([]);
  });
});

describe('which reports the rollup serves', () => {
  const base = { from: '2020-01-01', to: '2020-12-31' };
  it('serves whole-month periods, known filters and kept dimensions', () => {
    expect(reportSource({ ...base }, SHIPMENT_FILTERS, SHIPMENT_DIMENSIONS)).toBe('rollup');
    expect(
      reportSource({ ...base, granularity: 'YEAR', groupBy: ['SUPPLIER'], filter: { supplierIds: ['x'], from: null } }, SHIPMENT_FILTERS, SHIPMENT_DIMENSIONS),
    ).toBe('rollup');
  });
  it('leaves everything else to the direct computation, including arguments and filters it does not know', () => {
    for (const granularity of ['DAY', 'WEEK'] as const) expect(reportSource({ ...base, granularity }, SHIPMENT_FILTERS, SHIPMENT_DIMENSIONS)).toBe('direct');
    expect(reportSource({ ...base, groupBy: ['ACTOR'] }, EVENT_FILTERS, EVENT_DIMENSIONS)).toBe('direct');
    expect(reportSource({ ...base, filter: { from: '2020-02-01' } }, SHIPMENT_FILTERS, SHIPMENT_DIMENSIONS)).toBe('direct');
    expect(reportSource({ ...base, filter: { search: 'x' } }, EVENT_FILTERS, EVENT_DIMENSIONS)).toBe('direct');
    // What other branches add (asOf, minSources) and this one cannot know of.
    expect(reportSource({ ...base, asOf: '2020-06-01' } as typeof base, SHIPMENT_FILTERS, SHIPMENT_DIMENSIONS)).toBe('direct');
    expect(reportSource({ ...base, filter: { minSources: 2 } }, SHIPMENT_FILTERS, SHIPMENT_DIMENSIONS)).toBe('direct');
  });
  it('reads shipments from the pair rollup when no category, status or confidence is asked for', () => {
    const pair = ['pairRollup', 'rollup', 'direct'];
    expect(shipmentReportSources({ ...base })).toEqual(pair);
    expect(
      shipmentReportSources({ ...base, granularity: 'QUARTER', groupBy: ['SUPPLIER', 'RECIPIENT'], filter: { supplierIds: ['x'], recipientIds: ['y'] } }),
    ).toEqual(pair);
    expect(shipmentReportSources({ ...base, groupBy: ['SUPPLIER', 'CONFIDENCE'] })).toEqual(['rollup', 'direct']);
    for (const filter of [{ categories: ['FOOD'] }, { statuses: ['REPORTED'] }, { minConfidence: 'REPORTED' }]) {
      expect(shipmentReportSources({ ...base, filter })).toEqual(['rollup', 'direct']);
    }
    expect(shipmentReportSources({ ...base, granularity: 'WEEK' })).toEqual(['direct']);
    expect(shipmentReportSources({ ...base, asOf: '2020-06-01' })).toEqual(['direct']);
    expect(shipmentReportSources({ ...base, filter: { minSources: 2 } })).toEqual(['direct']);
    // The rollups hold current values: a report as reported by a day reads the records.
    expect(shipmentReportSources({ ...base, reportedBy: '2023-10-01' })).toEqual(['direct']);
    expect(eventStatsSources({ ...base, reportedBy: '2023-10-01' })).toEqual(['direct']);
    // Estimates kept or left out: both served.
    expect(shipmentReportSources({ ...base, estimates: 'EXCLUDE' })[0]).toBe('pairRollup');
  });
});
