// shipmentReport, eventStats and the CSV exports, through real HTTP over a fresh real
// database holding the seeded article plus shipments made here. Every test that adds
// shipments gives them suppliers of its own and filters on them, so the seed's figures
// and the other tests' stay apart. Test data is written through the services (the same
// validation and soft deletes as the mutations, without needing an API key); the reports
// are only ever read over HTTP.
import { parse } from 'csv-parse/sync';
import { actorId } from '../../seed/ids';
import { attribute, GRANULARITIES, isEstimatedPart, periodsBetween, type Attribution, type Granularity } from '../../src/domain/periods';
import * as actors from '../../src/services/actors';
import * as events from '../../src/services/events';
import { formatEventStats, formatReport } from '../../src/cli/report';
import { eventStats as eventStatsService, shipmentReport as shipmentReportService, shipmentReportSources } from '../../src/services/reports';
import * as shipments from '../../src/services/shipments';
import { SHIPMENT_FIGURES } from '../support/reports';
import { useServer, type GqlResponse } from '../support/server';

const server = useServer({ seedOnStart: true });

// ------------------------------------------------------------------ helpers

const DPRK = actorId('dprk');
const RUSSIA = actorId('russia');

const BUCKET = `period start end supplier { id name } recipient { id name } category status confidence
  unit shipments quantity unknownQuantity quantityLow quantityHigh unknownQuantityLow unknownQuantityHigh estimated exact`;
const TOTAL = `supplier { id name } recipient { id name } category status confidence unit shipments quantity unknownQuantity
  quantityLow quantityHigh unknownQuantityLow unknownQuantityHigh estimated exact`;
const SERIES = TOTAL;
const REPORT = `query R($filter: ShipmentFilter, $from: Date!, $to: Date!, $granularity: Granularity,
    $groupBy: [ShipmentDimension!], $attribution: Attribution) {
  shipmentReport(filter: $filter, from: $from, to: $to, granularity: $granularity, groupBy: $groupBy, attribution: $attribution) {
    granularity attribution start end buckets { ${BUCKET} } totals { ${TOTAL} }
    periods { label start end } series { ${SERIES} }
  }
}`;
const EVENT_STATS = `query E($filter: EventFilter, $from: Date!, $to: Date!, $granularity: Granularity,
    $groupBy: [EventDimension!], $attribution: Attribution) {
  eventStats(filter: $filter, from: $from, to: $to, granularity: $granularity, groupBy: $groupBy, attribution: $attribution) {
    period start end type actor { id name } country confidence events
  }
}`;

function ok<T = any>(res: GqlResponse<T>): T {
  expect(res.errors).toBeUndefined();
  expect(res.status).toBe(200);
  return res.data as T;
}

function expectBadInput(res: GqlResponse<unknown>, field: string): string {
  expect(res.status).toBeLessThan(500);
  expect(res.errors).toHaveLength(1);
  expect(res.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
  expect(res.errors![0].extensions?.field).toBe(field);
  return res.errors![0].message;
}

interface ReportVars {
  filter?: Record<string, unknown>;
  from: string;
  to: string;
  granularity?: Granularity;
  groupBy?: string[];
  attribution?: Attribution;
}

async function report(vars: ReportVars) {
  const r = ok(await server.gql(REPORT, { ...vars })).shipmentReport;
  expectSeriesAreBuckets(r);
  return r;
}

/**
 * Every report read here also checks that its series are its buckets one group at a time:
 * groups in the order of the totals, figures at the positions of `periods`.
 */
function expectSeriesAreBuckets(r: any): void {
  const { buckets, totals, periods, series } = r;
  const group = ({ supplier, recipient, category, status, confidence, unit }: any) => ({ supplier, recipient, category, status, confidence, unit });
  expect(series.map(group)).toEqual(totals.map(group));
  const fromSeries = periods.flatMap((p: any, i: number) =>
    series.map((s: any) => ({
      period: p.label,
      start: p.start,
      end: p.end,
      ...group(s),
      shipments: s.shipments[i],
      quantity: s.quantity[i],
      unknownQuantity: s.unknownQuantity[i],
      quantityLow: s.quantityLow[i],
      quantityHigh: s.quantityHigh[i],
      unknownQuantityLow: s.unknownQuantityLow[i],
      unknownQuantityHigh: s.unknownQuantityHigh[i],
      estimated: s.estimated[i],
      exact: s.exact[i],
    })),
  );
  expect(fromSeries).toEqual(buckets);
}

async function eventStats(vars: Record<string, unknown>) {
  return ok(await server.gql(EVENT_STATS, vars)).eventStats as any[];
}

/** Buckets reduced to [period, unit, shipments, quantity, unknownQuantity]. */
const figures = (buckets: any[]) => buckets.map((b) => [b.period, b.unit, b.shipments, b.quantity, b.unknownQuantity]);

let counter = 0;
async function createActor(label: string): Promise<string> {
  counter += 1;
  return (await actors.createActor(server.db, { name: `Reports ${label} ${counter}`, kind: 'STATE' })).id;
}

interface ShipmentSpec {
  supplierId: string;
  recipientId: string;
  start: string;
  end: string;
  /** The delivery as EDTF instead of start..end (an open end: "2024-01-10/.."). */
  edtf?: string;
  /** The quantity as text ("about 500") instead of `quantity`. */
  quantityText?: string;
  quantity?: number | null;
  unit?: string | null;
  category?: string;
  status?: string;
  confidence?: string;
}

async function createShipment(s: ShipmentSpec): Promise<string> {
  const shipment = await shipments.createShipment(server.db, {
    supplierId: s.supplierId,
    recipientId: s.recipientId,
    category: (s.category ?? 'ARTILLERY_AMMUNITION') as shipments.ShipmentInput['category'],
    ...(s.quantityText ? { quantityText: s.quantityText } : { quantity: s.quantity ?? null }),
    unit: s.unit ?? null,
    deliverySpan: s.edtf ? { edtf: s.edtf } : { start: s.start, end: s.end, precision: s.start === s.end ? 'DAY' : 'RANGE' },
    status: (s.status ?? 'REPORTED') as shipments.ShipmentInput['status'],
    confidence: (s.confidence ?? 'REPORTED') as shipments.ShipmentInput['confidence'],
  });
  return shipment.id;
}

/** A supplier of its own and a recipient, so a test's shipments can be reported alone. */
async function pair(label: string): Promise<{ supplierId: string; recipientId: string; filter: { supplierIds: string[] } }> {
  const supplierId = await createActor(`${label} supplier`);
  const recipientId = await createActor(`${label} recipient`);
  return { supplierId, recipientId, filter: { supplierIds: [supplierId] } };
}

/**
 * Two suppliers' shipments of 2016–2017: exact, "about", a range and unknown quantities, with
 * and without units, in one day or across months; the filter that selects them.
 */
async function mixedShipments(label: string): Promise<{ supplierIds: string[] }> {
  const p = await pair(label);
  const other = await createActor(`${label} second supplier`);
  await createShipment({ ...p, start: '2016-02-10', end: '2016-02-10', quantity: 3, unit: 'tanks' });
  await createShipment({ ...p, start: '2016-02-20', end: '2016-05-03', quantityText: 'about 500', unit: 'rounds' });
  await createShipment({ ...p, start: '2016-03-01', end: '2016-04-30', quantityText: '300–500', unit: 'rounds' });
  await createShipment({ ...p, start: '2016-09-30', end: '2016-10-01', quantity: null, unit: 'rounds' });
  await createShipment({ ...p, supplierId: other, start: '2017-01-01', end: '2017-01-31', quantity: 9, unit: 'tanks' });
  await createShipment({ ...p, supplierId: other, start: '2017-06-15', end: '2017-06-16' });
  return { supplierIds: [p.supplierId, other] };
}

function csvUrl(params: Record<string, string>, file = 'shipments.csv'): string {
  const url = new URL(server.url.replace(/\/graphql$/, `/reports/${file}`));
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

// ------------------------------------------------------------------ the seed's 1,000 containers

describe("the seed's DPRK→Russia 1,000 containers, delivered 2023-09-07..2023-10-01", () => {
  // The span has 25 inclusive days: September 7-30 is 24 days, October 1 is one.
  // PRO_RATA by month: September 1000 × 24/25 = 960, October 1000 × 1/25 = 40.
  // START: all 1,000 in September (first day 2023-09-07); END: all in October (last day 2023-10-01).
  // By ISO week (40 a day): W36 Sep 4-10 holds Sep 7-10, 4 days → 160; W37 Sep 11-17, 7 days → 280;
  // W38 Sep 18-24 → 280; W39 Sep 25 - Oct 1 → 280 (Sep 25-30 and Oct 1). 160 + 3 × 280 = 1,000.
  // By quarter: 2023-Q3 (to Sep 30) 960, 2023-Q4 40.
  const filter = { supplierIds: [DPRK], recipientIds: [RUSSIA], categories: ['MILITARY_EQUIPMENT'] };
  const base = { filter, from: '2023-08-01', to: '2023-11-30', groupBy: ['SUPPLIER', 'RECIPIENT'] };

  it('PRO_RATA splits it 960 / 40 between September and October', async () => {
    const r = await report({ ...base, attribution: 'PRO_RATA' });
    expect(r.attribution).toBe('PRO_RATA');
    expect(r.granularity).toBe('MONTH');
    expect(figures(r.buckets)).toEqual([
      ['2023-08', 'containers', 0, 0, 0],
      ['2023-09', 'containers', 1, 960, 0],
      ['2023-10', 'containers', 1, 40, 0],
      ['2023-11', 'containers', 0, 0, 0],
    ]);
    expect(r.buckets[1]).toMatchObject({
      start: '2023-09-01',
      end: '2023-09-30',
      supplier: { id: DPRK, name: 'North Korea' },
      recipient: { id: RUSSIA, name: 'Russia' },
      category: null,
      status: null,
      confidence: null,
    });
    expect(r.totals).toEqual([
      {
        supplier: { id: DPRK, name: 'North Korea' },
        recipient: { id: RUSSIA, name: 'Russia' },
        category: null,
        status: null,
        confidence: null,
        unit: 'containers',
        shipments: 1, // counted once, though it is in two months' buckets
        quantity: 1000,
        unknownQuantity: 0,
        // An exact 1,000: its bounds are 1,000; but the total is the sum of two estimated shares.
        quantityLow: 1000,
        quantityHigh: 1000,
        unknownQuantityLow: 0,
        unknownQuantityHigh: 0,
        estimated: 1,
        exact: false,
      },
    ]);
    // The shares are estimates, as the issue asked: nothing said so before.
    expect(r.buckets.map((b: any) => [b.period, b.quantity, b.estimated, b.exact])).toEqual([
      ['2023-08', 0, 0, true],
      ['2023-09', 960, 1, false],
      ['2023-10', 40, 1, false],
      ['2023-11', 0, 0, true],
    ]);
  });

  it('START puts all 1,000 in September, END in October', async () => {
    expect(figures((await report({ ...base, attribution: 'START' })).buckets)).toEqual([
      ['2023-08', 'containers', 0, 0, 0],
      ['2023-09', 'containers', 1, 1000, 0],
      ['2023-10', 'containers', 0, 0, 0],
      ['2023-11', 'containers', 0, 0, 0],
    ]);
    expect(figures((await report({ ...base, attribution: 'END' })).buckets)).toEqual([
      ['2023-08', 'containers', 0, 0, 0],
      ['2023-09', 'containers', 0, 0, 0],
      ['2023-10', 'containers', 1, 1000, 0],
      ['2023-11', 'containers', 0, 0, 0],
    ]);
  });

  it('attributes by ISO week and by quarter, with their labels and bounds', async () => {
    const weeks = await report({ ...base, from: '2023-09-01', to: '2023-10-08', granularity: 'WEEK' });
    expect(weeks.buckets.map((b: any) => [b.period, b.start, b.end, b.quantity])).toEqual([
      ['2023-W35', '2023-08-28', '2023-09-03', 0],
      ['2023-W36', '2023-09-04', '2023-09-10', 160],
      ['2023-W37', '2023-09-11', '2023-09-17', 280],
      ['2023-W38', '2023-09-18', '2023-09-24', 280],
      ['2023-W39', '2023-09-25', '2023-10-01', 280],
      ['2023-W40', '2023-10-02', '2023-10-08', 0],
    ]);
    expect([weeks.start, weeks.end]).toEqual(['2023-08-28', '2023-10-08']);

    const quarters = await report({ ...base, from: '2023-01-01', to: '2023-12-31', granularity: 'QUARTER' });
    expect(quarters.buckets.map((b: any) => [b.period, b.start, b.end, b.shipments, b.quantity])).toEqual([
      ['2023-Q1', '2023-01-01', '2023-03-31', 0, 0],
      ['2023-Q2', '2023-04-01', '2023-06-30', 0, 0],
      ['2023-Q3', '2023-07-01', '2023-09-30', 1, 960],
      ['2023-Q4', '2023-10-01', '2023-12-31', 1, 40],
    ]);

    const year = await report({ ...base, from: '2023-05-05', to: '2023-05-05', granularity: 'YEAR' });
    expect(year.buckets.map((b: any) => [b.period, b.start, b.end, b.quantity])).toEqual([['2023', '2023-01-01', '2023-12-31', 1000]]);

    const days = await report({ ...base, from: '2023-09-30', to: '2023-10-02', granularity: 'DAY' });
    expect(days.buckets.map((b: any) => [b.period, b.quantity])).toEqual([
      ['2023-09-30', 40],
      ['2023-10-01', 40],
      ['2023-10-02', 0],
    ]);
  });

  it('widens from/to to whole periods, and clips totals to the window', async () => {
    // The window 2023-09-15..2023-09-20 is all of September by month: the whole 960 is in it.
    const r = await report({ ...base, from: '2023-09-15', to: '2023-09-20' });
    expect([r.start, r.end]).toEqual(['2023-09-01', '2023-09-30']);
    expect(figures(r.buckets)).toEqual([['2023-09', 'containers', 1, 960, 0]]);
    expect(r.totals.map((t: any) => [t.shipments, t.quantity])).toEqual([[1, 960]]);
  });
});

// ------------------------------------------------------------------ estimates, low and high sums

const FIGURES = 'shipments quantity quantityLow quantityHigh unknownQuantity unknownQuantityLow unknownQuantityHigh estimated exact';
const ESTIMATES_REPORT = `query R($filter: ShipmentFilter, $from: Date!, $to: Date!, $granularity: Granularity,
    $attribution: Attribution, $estimates: ReportEstimates) {
  shipmentReport(filter: $filter, from: $from, to: $to, granularity: $granularity, attribution: $attribution, estimates: $estimates) {
    estimates buckets { period unit ${FIGURES} } totals { unit ${FIGURES} } periods { label } series { unit ${FIGURES} }
  }
}`;

type Figures = [number, number | null, number | null, number | null, number, number, number, number, boolean];
/** A bucket or a total as [shipments, quantity, low, high, unknownQuantity, unknownLow, unknownHigh, estimated, exact]. */
const figuresOf = (b: any): Figures => [
  b.shipments,
  b.quantity,
  b.quantityLow,
  b.quantityHigh,
  b.unknownQuantity,
  b.unknownQuantityLow,
  b.unknownQuantityHigh,
  b.estimated,
  b.exact,
];

/**
 * The report by period label (and its totals), read twice: as the API chooses (MONTH and
 * QUARTER come from the rollups) and computed from the records (a filter.from the rollups do
 * not know forces the direct path): both must give the same figures, and the series the buckets'.
 */
async function estimatesReport(vars: Record<string, unknown>): Promise<{ buckets: Record<string, Figures>; totals: Figures[] }> {
  const answers = [];
  for (const filter of [vars.filter, { ...(vars.filter as object), from: '1900-01-01' }]) {
    const r = ok(await server.gql(ESTIMATES_REPORT, { ...vars, filter })).shipmentReport;
    expect(r.estimates).toBe(vars.estimates ?? 'INCLUDE');
    const fromSeries = r.periods.flatMap((p: any, i: number) =>
      r.series.map((s: any) => ({ period: p.label, unit: s.unit, ...Object.fromEntries(FIGURES.split(' ').map((f) => [f, s[f][i]])) })),
    );
    expect(fromSeries).toEqual(r.buckets);
    answers.push({ buckets: Object.fromEntries(r.buckets.map((b: any) => [b.period, figuresOf(b)])), totals: r.totals.map(figuresOf) });
  }
  expect(answers[1]).toEqual(answers[0]);
  return answers[0];
}

describe('estimates: an "about 500" delivery and an exact 1,000 one, each across two months', () => {
  // Hand arithmetic (2024 is a leap year):
  //   exact 1,000 containers, 2024-01-17..2024-02-05: January 17-31 is 15 days, February 1-5 is 5: 20 days;
  //     PRO_RATA by month: January 1000 × 15/20 = 750, February 1000 × 5/20 = 250 (shares: estimates;
  //     low = high = best, the bounds of an exact quantity).
  //   "about 500" containers, 2024-02-21..2024-03-11: February 21-29 is 9 days, March 1-11 is 11: 20 days;
  //     February 500 × 9/20 = 225, March 500 × 11/20 = 275; "about" states no bounds: low and high unknown.
  let filter: { supplierIds: string[] };
  beforeAll(async () => {
    const p = await pair('estimates');
    filter = p.filter;
    await createShipment({ ...p, start: '2024-01-17', end: '2024-02-05', quantity: 1000, unit: 'containers' });
    await createShipment({ ...p, start: '2024-02-21', end: '2024-03-11', quantityText: 'about 500', unit: 'containers' });
  });
  const base = () => ({ filter, from: '2024-01-01', to: '2024-03-31' });

  it('PRO_RATA: every share is an estimate; a low or high sum with an unknown bound is unknown, and says so', async () => {
    const r = await estimatesReport({ ...base(), attribution: 'PRO_RATA' });
    // [shipments, quantity, low, high, unknownQuantity, unknownLow, unknownHigh, estimated, exact]
    expect(r.buckets).toEqual({
      '2024-01': [1, 750, 750, 750, 0, 0, 0, 1, false],
      '2024-02': [2, 250 + 225, null, null, 0, 1, 1, 2, false],
      '2024-03': [1, 275, null, null, 0, 1, 1, 1, false],
    });
    // Each shipment once: 1,000 + 500; both have estimated parts.
    expect(r.totals).toEqual([[2, 1500, null, null, 0, 1, 1, 2, false]]);
  });

  it('START and END: the exact 1,000 placed whole is exact; "about 500" stays an estimate', async () => {
    const start = await estimatesReport({ ...base(), attribution: 'START' });
    expect(start.buckets).toEqual({
      '2024-01': [1, 1000, 1000, 1000, 0, 0, 0, 0, true],
      '2024-02': [1, 500, null, null, 0, 1, 1, 1, false],
      '2024-03': [0, 0, 0, 0, 0, 0, 0, 0, true],
    });
    expect(start.totals).toEqual([[2, 1500, null, null, 0, 1, 1, 1, false]]);
    const end = await estimatesReport({ ...base(), attribution: 'END' });
    expect(end.buckets).toEqual({
      '2024-01': [0, 0, 0, 0, 0, 0, 0, 0, true],
      '2024-02': [1, 1000, 1000, 1000, 0, 0, 0, 0, true],
      '2024-03': [1, 500, null, null, 0, 1, 1, 1, false],
    });
    expect(end.totals).toEqual([[2, 1500, null, null, 0, 1, 1, 1, false]]);
  });

  it('PRO_RATA by quarter: both deliveries lie within 2024-Q1, so the exact 1,000 is placed whole', async () => {
    const r = await estimatesReport({ ...base(), granularity: 'QUARTER', attribution: 'PRO_RATA' });
    expect(r.buckets).toEqual({ '2024-Q1': [2, 1500, null, null, 0, 1, 1, 1, false] });
  });

  it('estimates: EXCLUDE leaves the estimated parts out', async () => {
    // PRO_RATA by month: every part is a share or "about": nothing is left, not even the group.
    expect(await estimatesReport({ ...base(), attribution: 'PRO_RATA', estimates: 'EXCLUDE' })).toEqual({ buckets: {}, totals: [] });
    const start = await estimatesReport({ ...base(), attribution: 'START', estimates: 'EXCLUDE' });
    expect(start.buckets).toEqual({
      '2024-01': [1, 1000, 1000, 1000, 0, 0, 0, 0, true],
      '2024-02': [0, 0, 0, 0, 0, 0, 0, 0, true],
      '2024-03': [0, 0, 0, 0, 0, 0, 0, 0, true],
    });
    expect(start.totals).toEqual([[1, 1000, 1000, 1000, 0, 0, 0, 0, true]]);
    const quarter = await estimatesReport({ ...base(), granularity: 'QUARTER', estimates: 'EXCLUDE' });
    expect(quarter).toEqual({ buckets: { '2024-Q1': [1, 1000, 1000, 1000, 0, 0, 0, 0, true] }, totals: [[1, 1000, 1000, 1000, 0, 0, 0, 0, true]] });
  });

  it('sums stated bounds: "about 500 (400–600)" with the exact 1,000', async () => {
    // February: low 250 + 400 × 9/20 = 430, high 250 + 600 × 9/20 = 520; March: 400 × 11/20 = 220, 600 × 11/20 = 330.
    const p = await pair('bounds');
    await createShipment({ ...p, start: '2024-01-17', end: '2024-02-05', quantity: 1000, unit: 'containers' });
    await createShipment({ ...p, start: '2024-02-21', end: '2024-03-11', quantityText: 'about 500 (400–600)', unit: 'containers' });
    const r = await estimatesReport({ filter: p.filter, from: '2024-01-01', to: '2024-03-31' });
    expect(r.buckets).toEqual({
      '2024-01': [1, 750, 750, 750, 0, 0, 0, 1, false],
      '2024-02': [2, 475, 430, 520, 0, 0, 0, 2, false],
      '2024-03': [1, 275, 220, 330, 0, 0, 0, 1, false],
    });
    expect(r.totals).toEqual([[2, 1500, 1000 + 400, 1000 + 600, 0, 0, 0, 2, false]]);
  });

  it('an open-ended delivery is an estimate wherever it is placed; an unknown quantity is unknown, not estimated', async () => {
    const p = await pair('open');
    // From 10 January, end not known: bounded by its known end alone (2024-01-10).
    await createShipment({ ...p, start: '', end: '', edtf: '2024-01-10/', quantity: 100, unit: 'containers' });
    await createShipment({ ...p, start: '2024-01-20', end: '2024-01-20', quantity: null, unit: 'containers' });
    // "300–500": no best value, bounds known.
    await createShipment({ ...p, start: '2024-01-25', end: '2024-01-25', quantityText: '300–500', unit: 'containers' });
    for (const attribution of ['PRO_RATA', 'START', 'END']) {
      const r = await estimatesReport({ filter: p.filter, from: '2024-01-01', to: '2024-01-31', attribution });
      // 100 known best (the range has none); low 100 + 300, high 100 + 500 but the unknown quantity's bounds are unknown.
      expect([attribution, r.buckets['2024-01']]).toEqual([attribution, [3, 100, null, null, 2, 1, 1, 2, false]]);
    }
    const exact = await estimatesReport({ filter: p.filter, from: '2024-01-01', to: '2024-01-31', estimates: 'EXCLUDE' });
    expect(exact.buckets['2024-01']).toEqual([1, null, null, null, 1, 1, 1, 0, false]);
  });

  it('prints figures by the display rule in `npm run report`, and the CSV keeps the values with its new columns', async () => {
    const args = { filter, from: '2024-01-01', to: '2024-03-31' };
    const text = formatReport(await shipmentReportService(server.db, args));
    const lines = text.split('\n');
    expect(lines.slice(2, 7)).toEqual([
      'period   unit        shipments  quantity  low–high  unknown qty  estimated',
      '-------  ----------  ---------  --------  --------  -----------  ---------',
      '2024-01  containers          1      ≈750      ≈750            0          1',
      '2024-02  containers          2      ≈480   unknown            0          2',
      '2024-03  containers          1      ≈280   unknown            0          1',
    ]);
    expect(text).toContain('≈ an estimate, printed to 2 significant figures');
    expect(text).toContain('a share of a delivery split between periods pro rata by its days');
    const start = formatReport(await shipmentReportService(server.db, { ...args, attribution: 'START' })).split('\n');
    expect(start[4]).toBe('2024-01  containers          1     1,000     1,000            0          0');

    const res = await fetch(csvUrl({ from: '2024-01-01', to: '2024-03-31', supplierIds: filter.supplierIds[0] }));
    expect(await res.text()).toBe(
      `period,start,end,${SHIPMENT_FIGURES.join(',')}\n` +
        '2024-01,2024-01-01,2024-01-31,containers,1,750,0,750,750,0,0,1,false\n' +
        '2024-02,2024-02-01,2024-02-29,containers,2,475,0,,,1,1,2,false\n' +
        '2024-03,2024-03-01,2024-03-31,containers,1,275,0,,,1,1,1,false\n',
    );
    const exact = await fetch(csvUrl({ from: '2024-01-01', to: '2024-03-31', supplierIds: filter.supplierIds[0], attribution: 'START', estimates: 'exclude' }));
    expect((await exact.text()).split('\n')[1]).toBe('2024-01,2024-01-01,2024-01-31,containers,1,1000,0,1000,1000,0,0,0,true');
  });

  it('refuses an unknown estimates value, on its field', async () => {
    const res = await server.gql(`{ shipmentReport(from: "2024-01-01", to: "2024-01-31", estimates: SOME) { start } }`);
    expect(res.errors?.[0].message).toMatch(/ReportEstimates/);
    const csv = await fetch(csvUrl({ from: '2024-01-01', to: '2024-03-31', estimates: 'SOME' }));
    expect(csv.status).toBe(400);
    expect(await csv.json()).toMatchObject({ error: 'BAD_USER_INPUT', field: 'estimates' });
  });
});

// ------------------------------------------------------------------ units, unknowns, gaps

describe('units and unknown quantities', () => {
  it('never adds units together: containers and rounds of one month are two buckets', async () => {
    const p = await pair('units');
    await createShipment({ ...p, start: '2019-03-05', end: '2019-03-05', quantity: 100, unit: 'rounds' });
    await createShipment({ ...p, start: '2019-03-20', end: '2019-03-22', quantity: 50, unit: 'rounds' });
    await createShipment({ ...p, start: '2019-03-10', end: '2019-03-10', quantity: 5, unit: 'vehicles' });
    const r = await report({ filter: p.filter, from: '2019-03-01', to: '2019-03-31' });
    // Groups are ordered by unit within a period.
    expect(figures(r.buckets)).toEqual([
      ['2019-03', 'rounds', 2, 150, 0],
      ['2019-03', 'vehicles', 1, 5, 0],
    ]);
  });

  it('counts unknown quantities in shipments and unknownQuantity, never as 0', async () => {
    const p = await pair('unknown');
    await createShipment({ ...p, start: '2019-04-02', end: '2019-04-02', quantity: 70, unit: 'rounds' });
    // Unit known, count not: still a rounds shipment, of unknown size.
    await createShipment({ ...p, start: '2019-04-10', end: '2019-04-12', quantity: null, unit: 'rounds' });
    await createShipment({ ...p, start: '2019-05-10', end: '2019-05-12', quantity: null, unit: 'rounds' });
    // Neither quantity nor unit.
    await createShipment({ ...p, start: '2019-04-20', end: '2019-04-21' });
    const r = await report({ filter: p.filter, from: '2019-04-01', to: '2019-06-30' });
    expect(figures(r.buckets)).toEqual([
      ['2019-04', 'rounds', 2, 70, 1], // 70 known, plus one of unknown size: 70 is a lower bound
      ['2019-04', null, 1, null, 1],
      ['2019-05', 'rounds', 1, null, 1], // only an unknown quantity: null, not 0
      ['2019-05', null, 0, null, 0],
      ['2019-06', 'rounds', 0, 0, 0], // nothing at all: 0
      ['2019-06', null, 0, null, 0],
    ]);
    expect(r.totals.map((t: any) => [t.unit, t.shipments, t.quantity, t.unknownQuantity])).toEqual([
      ['rounds', 3, 70, 2],
      [null, 1, null, 1],
    ]);
  });

  it('fills every period of a window wider than the data, for every group present', async () => {
    const p = await pair('gaps');
    const other = await createActor('gaps second supplier');
    await createShipment({ ...p, start: '2018-06-10', end: '2018-06-10', quantity: 3, unit: 'tanks' });
    await createShipment({ ...p, supplierId: other, start: '2018-08-01', end: '2018-08-31', quantity: 9, unit: 'tanks' });
    const r = await report({
      filter: { supplierIds: [p.supplierId, other] },
      from: '2017-11-15',
      to: '2019-02-01',
      groupBy: ['SUPPLIER'],
    });
    const months = periodsBetween('2017-11-15', '2019-02-01', 'MONTH').map((m) => m.label);
    expect(months).toHaveLength(16);
    expect(r.buckets).toHaveLength(16 * 2);
    // Ordered by period, then group.
    expect(r.buckets.map((b: any) => b.period)).toEqual(months.flatMap((m) => [m, m]));
    const of = (id: string) => r.buckets.filter((b: any) => b.supplier.id === id);
    expect(of(p.supplierId).map((b: any) => b.quantity)).toEqual(months.map((m) => (m === '2018-06' ? 3 : 0)));
    expect(of(other).map((b: any) => b.quantity)).toEqual(months.map((m) => (m === '2018-08' ? 9 : 0)));
    expect(of(other).every((b: any) => b.shipments === (b.period === '2018-08' ? 1 : 0) && b.unknownQuantity === 0)).toBe(true);

    // No shipment in the window: no group, so no buckets (and no totals).
    const empty = await report({ filter: p.filter, from: '2010-01-01', to: '2010-12-31' });
    expect(empty).toMatchObject({ buckets: [], totals: [], start: '2010-01-01', end: '2010-12-31' });
  });
});

describe('fill: NONE', () => {
  const FILLED = `query F($filter: ShipmentFilter, $from: Date!, $to: Date!, $granularity: Granularity, $groupBy: [ShipmentDimension!],
      $attribution: Attribution, $estimates: ReportEstimates, $fill: ReportFill) {
    shipmentReport(filter: $filter, from: $from, to: $to, granularity: $granularity, groupBy: $groupBy, attribution: $attribution,
                   estimates: $estimates, fill: $fill) {
      fill start end buckets { ${BUCKET} } totals { ${TOTAL} } periods { label start end } series { ${SERIES} }
    }
  }`;

  it("answers the default report's non-empty buckets and periods, for every granularity, attribution and estimates", async () => {
    const filter = await mixedShipments('fill');
    for (const granularity of GRANULARITIES) {
      for (const attribution of ['PRO_RATA', 'START', 'END'] as const) {
        for (const estimates of ['INCLUDE', 'EXCLUDE']) {
          const vars = { filter, from: '2015-11-20', to: '2017-08-10', granularity, attribution, estimates, groupBy: ['SUPPLIER', 'RECIPIENT'] };
          const all = ok(await server.gql(FILLED, vars)).shipmentReport;
          const none = ok(await server.gql(FILLED, { ...vars, fill: 'NONE' })).shipmentReport;
          const context = `${granularity} ${attribution} ${estimates}`;
          expect([context, all.fill, none.fill]).toEqual([context, 'ALL_PERIODS', 'NONE']);
          expect([context, none.start, none.end, none.totals]).toEqual([context, all.start, all.end, all.totals]);
          // The buckets with shipments, in the same order; the periods that have one; the series at those periods.
          const kept = all.buckets.filter((b: any) => b.shipments > 0);
          expect([context, none.buckets]).toEqual([context, kept]);
          const labels = new Set(kept.map((b: any) => b.period));
          const at = all.periods.flatMap((q: any, i: number) => (labels.has(q.label) ? [i] : []));
          expect([context, none.periods]).toEqual([context, at.map((i: number) => all.periods[i])]);
          const pick = (s: any) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, Array.isArray(v) ? at.map((i: number) => v[i]) : v]));
          expect([context, none.series]).toEqual([context, all.series.map(pick)]);
        }
      }
    }
  });

  it('gives no buckets and no periods where there is nothing, and refuses an unknown value', async () => {
    const p = await pair('fill empty');
    await createShipment({ ...p, start: '2016-02-10', end: '2016-02-10', quantity: 3, unit: 'tanks' });
    const empty = ok(await server.gql(FILLED, { filter: p.filter, from: '2010-01-01', to: '2010-12-31', fill: 'NONE' })).shipmentReport;
    expect(empty).toMatchObject({ buckets: [], totals: [], periods: [], series: [], start: '2010-01-01', end: '2010-12-31' });
    const res = await server.gql(`{ shipmentReport(from: "2024-01-01", to: "2024-01-31", fill: SOME) { start } }`);
    expect(res.errors?.[0].message).toMatch(/ReportFill/);
  });
});

// A report computes only the optional figures its selection reads (bounds, estimated parts):
// whatever it leaves out, what it answers is what the whole selection answers.
describe('a selection of some figures', () => {
  const SELECTIONS = {
    best: 'shipments quantity',
    exact: 'shipments exact',
    bounds: 'quantityLow unknownQuantityHigh',
    all: 'shipments quantity unknownQuantity quantityLow quantityHigh unknownQuantityLow unknownQuantityHigh estimated exact',
  };
  const query = (fields: string) => `query S($filter: ShipmentFilter, $from: Date!, $to: Date!, $groupBy: [ShipmentDimension!],
      $attribution: Attribution, $fill: ReportFill, $asOf: DateTime) {
    shipmentReport(filter: $filter, from: $from, to: $to, groupBy: $groupBy, attribution: $attribution, fill: $fill, asOf: $asOf) {
      buckets { period supplier { id } unit ${fields} } totals { supplier { name } unit ${fields} } series { unit ${fields} }
    }
  }`;

  it('answers each figure as the whole selection does, on the rollups and on the records, for every attribution and fill', async () => {
    const filter = await mixedShipments('selection');
    // asOf reads the history directly; without it the report reads a rollup, whatever its figures.
    const lean = { from: '2015-11-01', to: '2017-08-31', groupBy: ['SUPPLIER' as const], filter, figures: { bounds: false, estimated: false } };
    expect(shipmentReportSources(lean)[0]).toBe('pairRollup');
    for (const asOf of [null, new Date().toISOString()]) {
      for (const attribution of ['PRO_RATA', 'START', 'END']) {
        for (const fill of ['ALL_PERIODS', 'NONE']) {
          const vars = { filter, from: '2015-11-01', to: '2017-08-31', groupBy: ['SUPPLIER'], attribution, fill, asOf };
          const whole = ok(await server.gql(query(SELECTIONS.all), vars)).shipmentReport;
          for (const [name, fields] of Object.entries(SELECTIONS)) {
            const keep = new Set(['period', 'supplier', 'unit', ...fields.split(' ')]);
            const project = (rows: Record<string, unknown>[]) => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => keep.has(k))));
            const part = ok(await server.gql(query(fields), vars)).shipmentReport;
            const context = `${name} ${attribution} ${fill} ${asOf ? 'asOf' : 'live'}`;
            expect([context, part.buckets, part.totals, part.series]).toEqual([context, project(whole.buckets), project(whole.totals), project(whole.series)]);
          }
          // The figures are there to compare: estimates, unknown bounds and exact buckets among them.
          expect(whole.totals.map((t: { estimated: number }) => t.estimated).some((n: number) => n > 0)).toBe(true);
        }
      }
    }
  });
});

// ------------------------------------------------------------------ span edges

describe('span edges', () => {
  it('keeps a span ending on the last day of a month, or starting on the first, in its month', async () => {
    const p = await pair('edges');
    await createShipment({ ...p, start: '2017-05-15', end: '2017-05-31', quantity: 17, unit: 'shells' });
    await createShipment({ ...p, start: '2017-07-01', end: '2017-07-31', quantity: 31, unit: 'shells' });
    for (const attribution of ['PRO_RATA', 'START', 'END'] as const) {
      const r = await report({ filter: p.filter, from: '2017-05-01', to: '2017-08-31', attribution });
      expect([attribution, figures(r.buckets)]).toEqual([
        attribution,
        [
          ['2017-05', 'shells', 1, 17, 0],
          ['2017-06', 'shells', 0, 0, 0],
          ['2017-07', 'shells', 1, 31, 0],
          ['2017-08', 'shells', 0, 0, 0],
        ],
      ]);
    }
  });

  it('counts the leap day: 2020-02-20..2020-03-09 is 10 February days and 9 March days', async () => {
    const p = await pair('leap');
    // 190 over 19 days is 10 a day: February 20-29 → 100, March 1-9 → 90.
    await createShipment({ ...p, start: '2020-02-20', end: '2020-03-09', quantity: 190, unit: 'shells' });
    const r = await report({ filter: p.filter, from: '2020-02-01', to: '2020-03-31' });
    expect(figures(r.buckets)).toEqual([
      ['2020-02', 'shells', 1, 100, 0],
      ['2020-03', 'shells', 1, 90, 0],
    ]);
    expect(r.buckets[0].end).toBe('2020-02-29');
  });

  it('reports quantities to 6 decimal places: pro-rata parts sum back to the whole', async () => {
    const p = await pair('rounding');
    // 98,867 over ten years: 120 monthly parts, each a fraction, whose float sum is not 98,867.
    await createShipment({ ...p, start: '2015-01-01', end: '2024-12-31', quantity: 98_867, unit: 'rounds' });
    for (const source of ['rollup', 'direct'] as const) {
      // A filter on the span is not on the rollups' allow-list: the report reads the shipments.
      const filter = source === 'rollup' ? p.filter : { ...p.filter, from: '2000-01-01' };
      const r = await report({ filter, from: '2015-01-01', to: '2024-12-31' });
      expect([source, r.totals[0].quantity]).toEqual([source, 98_867]);
      expect(r.buckets).toHaveLength(120);
      for (const b of r.buckets) expect([source, b.period, b.quantity]).toEqual([source, b.period, Number(b.quantity.toFixed(6))]);
    }
  });

  it('puts a one-day span, the leap day itself, whole in its day, week, month and quarter', async () => {
    const p = await pair('one day');
    await createShipment({ ...p, start: '2020-02-29', end: '2020-02-29', quantity: 7, unit: 'shells' });
    const days = await report({ filter: p.filter, from: '2020-02-28', to: '2020-03-01', granularity: 'DAY' });
    expect(figures(days.buckets)).toEqual([
      ['2020-02-28', 'shells', 0, 0, 0],
      ['2020-02-29', 'shells', 1, 7, 0],
      ['2020-03-01', 'shells', 0, 0, 0],
    ]);
    const week = await report({ filter: p.filter, from: '2020-02-29', to: '2020-02-29', granularity: 'WEEK' });
    expect(figures(week.buckets)).toEqual([['2020-W09', 'shells', 1, 7, 0]]);
    expect([week.buckets[0].start, week.buckets[0].end]).toEqual(['2020-02-24', '2020-03-01']);
    const quarter = await report({ filter: p.filter, from: '2020-01-01', to: '2020-06-30', granularity: 'QUARTER' });
    expect(figures(quarter.buckets)).toEqual([
      ['2020-Q1', 'shells', 1, 7, 0],
      ['2020-Q2', 'shells', 0, 0, 0],
    ]);
  });

  it('labels ISO weeks across a year end by the year of their Thursday', async () => {
    const p = await pair('iso weeks');
    await createShipment({ ...p, start: '2020-12-28', end: '2021-01-10', quantity: 14, unit: 'shells' });
    const r = await report({ filter: p.filter, from: '2020-12-28', to: '2021-01-10', granularity: 'WEEK' });
    expect(r.buckets.map((b: any) => [b.period, b.start, b.end, b.quantity])).toEqual([
      ['2020-W53', '2020-12-28', '2021-01-03', 7],
      ['2021-W01', '2021-01-04', '2021-01-10', 7],
    ]);
  });
});

// ------------------------------------------------------------------ filters and deletes

describe('filters and soft-deleted rows', () => {
  it("applies the shipments' filters", async () => {
    const window = { from: '2023-01-01', to: '2023-12-31', granularity: 'YEAR' as const };
    const units = async (filter: Record<string, unknown>) =>
      (await report({ ...window, filter })).totals.map((t: any) => [t.unit, t.shipments, t.quantity, t.unknownQuantity]);
    const seed = { supplierIds: [DPRK, RUSSIA] };

    // The seed in 2023: 1,000 containers (REPORTED) and food (PLANNED, ASSESSED, Russia → DPRK, of
    // unknown quantity, from 2023-09-11 with an unknown end: placed on its known start). The
    // artillery and MLRS ammunition, "for almost two years" (2022~/..), are placed in 2022.
    expect(await units(seed)).toEqual([
      ['containers', 1, 1000, 0],
      [null, 1, null, 1],
    ]);
    expect(await units({ ...seed, minConfidence: 'REPORTED' })).toEqual([['containers', 1, 1000, 0]]);
    expect(await units({ ...seed, statuses: ['PLANNED'] })).toEqual([[null, 1, null, 1]]);
    expect(await units({ ...seed, categories: ['ARTILLERY_AMMUNITION', 'MLRS_AMMUNITION'] })).toEqual([]);
    const in2022 = async (filter: Record<string, unknown>) =>
      (await report({ from: '2022-01-01', to: '2022-12-31', granularity: 'YEAR', filter })).totals.map((t: any) => [
        t.unit,
        t.shipments,
        t.quantity,
        t.unknownQuantity,
      ]);
    expect(await in2022({ ...seed, categories: ['ARTILLERY_AMMUNITION', 'MLRS_AMMUNITION'] })).toEqual([[null, 2, null, 2]]);
    expect(await units({ supplierIds: [RUSSIA] })).toEqual([[null, 1, null, 1]]);
    expect(await units({ recipientIds: [RUSSIA], supplierIds: [DPRK] })).toEqual([['containers', 1, 1000, 0]]);
    // filter.from/to select shipments whose span overlaps them, as for `shipments`: in October
    // the containers (to October 1), not the food, whose unknown end is not extended.
    expect(await units({ ...seed, from: '2023-10-01', to: '2023-10-31' })).toEqual([['containers', 1, 1000, 0]]);
  });

  it('groups by category, status and confidence', async () => {
    const r = await report({
      filter: { supplierIds: [DPRK, RUSSIA] },
      from: '2023-09-01',
      to: '2023-09-30',
      groupBy: ['CATEGORY', 'STATUS', 'CONFIDENCE'],
    });
    expect(r.buckets.map((b: any) => [b.category, b.status, b.confidence, b.unit, b.shipments, b.quantity])).toEqual([
      ['MILITARY_EQUIPMENT', 'REPORTED', 'REPORTED', 'containers', 1, 960],
      ['FOOD', 'PLANNED', 'ASSESSED', null, 1, null],
    ]);
    expect(r.buckets.every((b: any) => b.supplier === null && b.recipient === null)).toBe(true);
  });

  it('never counts a soft-deleted shipment', async () => {
    const p = await pair('deleted');
    await createShipment({ ...p, start: '2016-03-01', end: '2016-03-01', quantity: 4, unit: 'shells' });
    const gone = await createShipment({ ...p, start: '2016-03-05', end: '2016-03-05', quantity: 6, unit: 'shells' });
    const goneGroup = await createShipment({ ...p, start: '2016-03-09', end: '2016-03-09', quantity: 1, unit: 'trucks' });
    const before = await report({ filter: p.filter, from: '2016-03-01', to: '2016-03-31' });
    expect(figures(before.buckets)).toEqual([
      ['2016-03', 'shells', 2, 10, 0],
      ['2016-03', 'trucks', 1, 1, 0],
    ]);
    for (const id of [gone, goneGroup]) await shipments.deleteShipment(server.db, id);
    const after = await report({ filter: p.filter, from: '2016-03-01', to: '2016-03-31' });
    expect(figures(after.buckets)).toEqual([['2016-03', 'shells', 1, 4, 0]]);
    expect(after.totals.map((t: any) => [t.unit, t.shipments, t.quantity])).toEqual([['shells', 1, 4]]);
  });
});

// ------------------------------------------------------------------ validation and the bucket limit

describe('validation', () => {
  it('refuses from after to, on field `to`', async () => {
    const res = await server.gql(REPORT, { from: '2023-12-01', to: '2023-01-01' });
    expect(expectBadInput(res, 'to')).toMatch(/before/);
    expectBadInput(await server.gql(EVENT_STATS, { from: '2023-12-01', to: '2023-01-01' }), 'to');
    // One day is a valid window.
    ok(await server.gql(REPORT, { from: '2023-12-01', to: '2023-12-01' }));
  });

  it('refuses malformed ids in the filter', async () => {
    expectBadInput(await server.gql(REPORT, { from: '2023-01-01', to: '2023-01-31', filter: { supplierIds: ['nope'] } }), 'filter.supplierIds[0]');
  });

  it('refuses a report of over 100,000 buckets before running it', async () => {
    /** The shipment report for `variables`, and how many SQL statements it ran. */
    const counted = async (variables: Record<string, unknown>) => {
      const before = server.db.statements!.count();
      const res = await server.gql(REPORT, variables);
      return { res, statements: server.db.statements!.count() - before };
    };
    const bySupplier = { filter: { supplierIds: [DPRK, RUSSIA] }, groupBy: ['SUPPLIER'] };

    // 0001-01-01..9999-12-31 by day is 3,652,059 periods: refused by arithmetic, no query at all.
    const tooManyDays = await counted({ from: '0001-01-01', to: '9999-12-31', granularity: 'DAY' });
    expect(expectBadInput(tooManyDays.res, 'granularity')).toMatch(/3,652,059 DAY periods.*100,000 buckets/);
    expect(tooManyDays.statements).toBe(0);

    // 2000-01-01..2199-12-31 by day is 73,049 periods, under the limit alone; but the seed's
    // suppliers (DPRK, Russia) and units (containers, none) make at least 2 groups: 146,098 buckets.
    // Refused after one cheap count of groups (stopped at 2), before the report query.
    const tooManyGroups = await counted({ ...bySupplier, from: '2000-01-01', to: '2199-12-31', granularity: 'DAY' });
    expect(expectBadInput(tooManyGroups.res, 'groupBy')).toMatch(/more than 100,000 buckets \(73,049 periods × more than 1 groups\)/);
    expect(tooManyGroups.statements).toBe(1);

    expectBadInput(await server.gql(EVENT_STATS, { from: '2000-01-01', to: '2199-12-31', granularity: 'DAY', groupBy: ['TYPE'] }), 'groupBy');

    // On the rollups (whole months) the report statement itself stops past the limit and returns
    // nothing; only then does the count run, to tell a refused report from an empty one.
    // 0001-01..8333-12 is 99,996 months: at most 1 group, and the seed's two suppliers make 2.
    const monthly = await counted({ ...bySupplier, from: '0001-01-01', to: '8333-12-31', granularity: 'MONTH' });
    expect(expectBadInput(monthly.res, 'groupBy')).toMatch(/more than 100,000 buckets \(99,996 periods × more than 1 groups\)/);
    expect(monthly.statements).toBe(2);
    expectBadInput(await server.gql(EVENT_STATS, { from: '0001-01-01', to: '8333-12-31', granularity: 'MONTH', groupBy: ['TYPE'] }), 'groupBy');
    // An empty window on the rollup: the same two statements, and an empty report, not a refusal.
    const empty = await counted({ filter: { supplierIds: [DPRK] }, from: '1990-01-01', to: '1990-12-31', granularity: 'MONTH', groupBy: ['SUPPLIER'] });
    expect(ok(empty.res).shipmentReport.buckets).toEqual([]);
    expect(empty.statements).toBe(2);

    // The same days with a single group are 73,049 buckets: allowed.
    const res = await server.gql(`{ shipmentReport(filter: { supplierIds: ["${DPRK}"], categories: [MILITARY_EQUIPMENT] },
      from: "2000-01-01", to: "2199-12-31", granularity: DAY) { buckets { shipments } } }`);
    const one = ok(res).shipmentReport;
    expect(one.buckets).toHaveLength(73_049);
    expect(one.buckets.filter((b: any) => b.shipments > 0)).toHaveLength(25);
  });

  it('limits a report without gap filling by the buckets it has, not by groups × periods', async () => {
    const SPARSE = `query S($filter: ShipmentFilter, $from: Date!, $to: Date!, $granularity: Granularity, $groupBy: [ShipmentDimension!]) {
      shipmentReport(filter: $filter, from: $from, to: $to, granularity: $granularity, groupBy: $groupBy, fill: NONE) {
        buckets { period unit shipments } } }`;
    const p = await pair('sparse limit');
    // By day over 2000–2199 (73,049 periods), two units make two groups: 146,098 gap-filled buckets, refused;
    // without gap filling the report has its 2 buckets.
    await createShipment({ ...p, start: '2100-05-01', end: '2100-05-01', quantity: 5, unit: 'shells' });
    await createShipment({ ...p, start: '2150-01-02', end: '2150-01-02', quantity: 7, unit: 'rounds' });
    const vars = { filter: p.filter, from: '2000-01-01', to: '2199-12-31', granularity: 'DAY', groupBy: ['SUPPLIER'] };
    expect(expectBadInput(await server.gql(REPORT, vars), 'groupBy')).toMatch(/73,049 periods × more than 1 groups/);
    expect(ok(await server.gql(SPARSE, vars)).shipmentReport.buckets).toEqual([
      { period: '2100-05-01', unit: 'shells', shipments: 1 },
      { period: '2150-01-02', unit: 'rounds', shipments: 1 },
    ]);
    // By month over 2000–2199 (2,400 periods, on the rollup), the same.
    const monthly = { ...vars, granularity: 'MONTH' };
    expect(ok(await server.gql(SPARSE, monthly)).shipmentReport.buckets.map((b: any) => b.period)).toEqual(['2100-05', '2150-01']);
    // Its series would hold both groups at both periods: within the limit, answered.
    const series = ok(
      await server.gql(`{ shipmentReport(filter: { supplierIds: ["${p.supplierId}"] }, from: "2000-01-01", to: "2199-12-31", granularity: DAY, fill: NONE) {
        periods { label } series { unit shipments } } }`),
    ).shipmentReport;
    expect(series).toEqual({
      periods: [{ label: '2100-05-01' }, { label: '2150-01-02' }],
      series: [
        { unit: 'rounds', shipments: [0, 1] },
        { unit: 'shells', shipments: [1, 0] },
      ],
    });

    // Past the limit by what it has: a delivery pro rata over 60,000 days in each of two units is 120,000 buckets.
    const q = await pair('sparse limit over');
    await createShipment({ ...q, start: '2000-01-01', end: '2164-04-09', quantity: 60_000, unit: 'shells' });
    await createShipment({ ...q, start: '2000-01-01', end: '2164-04-09', quantity: 60_000, unit: 'rounds' });
    const over = { filter: q.filter, from: '2000-01-01', to: '2199-12-31', granularity: 'DAY', groupBy: ['SUPPLIER'] };
    expect(expectBadInput(await server.gql(SPARSE, over), 'groupBy')).toMatch(/120,000 buckets with records, over the limit of 100,000/);
    // Within the limit as buckets (60,001), past it as series (2 groups × 60,001 periods): refused on `fill`.
    const r = await pair('sparse series over');
    await createShipment({ ...r, start: '2000-01-01', end: '2164-04-09', quantity: 60_000, unit: 'shells' });
    await createShipment({ ...r, start: '2190-01-01', end: '2190-01-01', quantity: 1, unit: 'rounds' });
    const asSeries = await server.gql(`{ shipmentReport(filter: { supplierIds: ["${r.supplierId}"] }, from: "2000-01-01", to: "2199-12-31",
      granularity: DAY, fill: NONE) { periods { label } series { unit } } }`);
    expect(expectBadInput(asSeries, 'fill')).toMatch(/As series this report would have 120,002 values \(2 groups × 60,001 periods\)/);
  }, 120_000);
});

// ------------------------------------------------------------------ SQL against the reference model

describe('the SQL against the reference model of src/domain/periods.ts', () => {
  it('agrees on random spans, quantities (exact, about, bounded, ranges) and units, for every granularity and attribution', async () => {
    // Deterministic pseudo-random data (mulberry32), so a failure can be replayed.
    let seed = 20231013;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

    /** A quantity as its text, with what the model needs of it: best, low, high (null: unknown), qualifier. */
    const quantities = (n: number) => [
      { text: String(n), best: n, low: n, high: n, qualifier: 'EXACT' },
      { text: String(n), best: n, low: n, high: n, qualifier: 'EXACT' },
      { text: `about ${n}`, best: n, low: null, high: null, qualifier: 'APPROXIMATE' },
      { text: `about ${n} (${n - 10}–${n + 20})`, best: n, low: n - 10, high: n + 20, qualifier: 'APPROXIMATE' },
      { text: `at least ${n}`, best: n, low: n, high: null, qualifier: 'AT_LEAST' },
      { text: `${n}–${n + 100}`, best: null, low: n, high: n + 100, qualifier: 'APPROXIMATE' },
    ];
    type Q = ReturnType<typeof quantities>[number];

    const a = await pair('random');
    const b = await createActor('random second supplier');
    const suppliers = [a.supplierId, b];
    const shipments: (ShipmentSpec & { q: Q | null; unit: string | null })[] = [];
    for (let i = 0; i < 40; i += 1) {
      const start = addDays('2011-01-01', Math.floor(random() * 700));
      const end = addDays(start, random() < 0.2 ? 0 : Math.floor(random() * 150));
      const known = random() < 0.75;
      const unit = known ? pick(['rounds', 'shells']) : pick(['rounds', null]);
      const q = known ? pick(quantities(11 + Math.floor(random() * 1000))) : null;
      const s = { supplierId: pick(suppliers), recipientId: a.recipientId, start, end, q, unit, ...(q ? { quantityText: q.text } : {}) };
      shipments.push(s);
      await createShipment(s);
    }

    interface Cell {
      shipments: number;
      unknown: number;
      sums: Record<'best' | 'low' | 'high', number>;
      unknowns: Record<'best' | 'low' | 'high', number>;
      estimated: number;
    }
    const cell = (): Cell => ({ shipments: 0, unknown: 0, sums: { best: 0, low: 0, high: 0 }, unknowns: { best: 0, low: 0, high: 0 }, estimated: 0 });
    const from = '2011-03-15';
    const to = '2012-08-20';
    for (const granularity of GRANULARITIES) {
      for (const attribution of ['PRO_RATA', 'START', 'END'] as const) {
        const periods = periodsBetween(from, to, granularity);
        const first = periods[0].start;
        const last = periods[periods.length - 1].end;
        // Expected buckets by group key "supplier|unit", then period label.
        const cells = new Map<string, Map<string, Cell>>();
        const totals = new Map<string, Cell>();
        for (const s of shipments) {
          const parts = attribute(s.start, s.end, granularity, attribution).filter((p) => p.period.start >= first && p.period.end <= last);
          if (!parts.length) continue;
          const key = `${s.supplierId}|${s.unit}`;
          if (!cells.has(key)) {
            cells.set(key, new Map(periods.map((p) => [p.label, cell()])));
            totals.set(key, cell());
          }
          const total = totals.get(key)!;
          // A total counts each shipment once, and it as estimated when any of its parts is.
          total.shipments += 1;
          if (parts.some((p) => isEstimatedPart(s.q?.qualifier ?? null, false, p.share))) total.estimated += 1;
          for (const [i, part] of parts.entries()) {
            const c = cells.get(key)!.get(part.period.label)!;
            c.shipments += 1;
            if (isEstimatedPart(s.q?.qualifier ?? null, false, part.share)) c.estimated += 1;
            for (const bound of ['best', 'low', 'high'] as const) {
              const v = s.q?.[bound] ?? null;
              for (const target of i === 0 ? [c, total] : [c]) {
                if (v === null) target.unknowns[bound] += 1;
              }
              if (v !== null) {
                c.sums[bound] += v * part.share;
                total.sums[bound] += v * part.share;
              }
            }
          }
        }
        // The best sum is null when none is known; a bound's, when any is unknown; nothing there: 0.
        const expectFigures = (context: string, unit: string | null, got: any, want: Cell) => {
          expect([context, got.shipments, got.unknownQuantity, got.unknownQuantityLow, got.unknownQuantityHigh, got.estimated]).toEqual([
            context,
            want.shipments,
            want.unknowns.best,
            want.unknowns.low,
            want.unknowns.high,
            want.estimated,
          ]);
          const wants = {
            quantity: unit === null || (want.shipments > 0 && want.unknowns.best === want.shipments) ? null : want.sums.best,
            quantityLow: unit === null || want.unknowns.low > 0 ? null : want.sums.low,
            quantityHigh: unit === null || want.unknowns.high > 0 ? null : want.sums.high,
          };
          for (const [field, value] of Object.entries(wants)) {
            if (value === null) expect([context, field, got[field]]).toEqual([context, field, null]);
            else expect(got[field]).toBeCloseTo(value, 6);
          }
          expect([context, got.exact]).toEqual([context, wants.quantity !== null && want.estimated === 0 && want.unknowns.best === 0]);
        };

        const r = await report({ filter: { supplierIds: suppliers }, from, to, granularity, attribution, groupBy: ['SUPPLIER'] });
        const got = new Map<string, any[]>();
        for (const bucket of r.buckets) {
          const key = `${bucket.supplier.id}|${bucket.unit}`;
          got.set(key, [...(got.get(key) ?? []), bucket]);
        }
        expect([granularity, attribution, [...got.keys()].sort()]).toEqual([granularity, attribution, [...cells.keys()].sort()]);
        for (const [key, expected] of cells) {
          const unit = key.split('|')[1] === 'null' ? null : key.split('|')[1];
          const buckets = got.get(key)!;
          expect(buckets.map((x) => x.period)).toEqual(periods.map((p) => p.label));
          buckets.forEach((bucket, i) => expectFigures(`${granularity} ${attribution} ${key} ${bucket.period}`, unit, bucket, expected.get(periods[i].label)!));
        }
        for (const t of r.totals) {
          const key = `${t.supplier.id}|${t.unit}`;
          expectFigures(`${granularity} ${attribution} ${key} total`, t.unit, t, totals.get(key)!);
        }
        expect(r.totals).toHaveLength(cells.size);
      }
    }
  });
});

// ------------------------------------------------------------------ events

describe('eventStats', () => {
  // The seed's statements: South Korea's diplomat on 2023-09-15; Kirby, Musienko, Kraiev and
  // Hrytsenko undated, "on or before" the end of the publication window (/2023-10-31), which
  // windows and reports place on that known end.
  const statements = { filter: { types: ['STATEMENT'] }, from: '2023-07-01', to: '2023-10-31', groupBy: ['TYPE'] };

  it('counts an event once in every month its span overlaps (the default)', async () => {
    const rows = await eventStats(statements);
    expect(rows.map((r) => [r.period, r.start, r.end, r.type, r.events])).toEqual([
      ['2023-07', '2023-07-01', '2023-07-31', 'STATEMENT', 0],
      ['2023-08', '2023-08-01', '2023-08-31', 'STATEMENT', 0],
      ['2023-09', '2023-09-01', '2023-09-30', 'STATEMENT', 1],
      ['2023-10', '2023-10-01', '2023-10-31', 'STATEMENT', 4],
    ]);
  });

  it('counts it once, in the month of its first or last day, under START or END', async () => {
    // One-day placements: the same months either way. A span across months tells them apart.
    expect((await eventStats({ ...statements, attribution: 'START' })).map((r) => r.events)).toEqual([0, 0, 1, 4]);
    expect((await eventStats({ ...statements, attribution: 'END' })).map((r) => r.events)).toEqual([0, 0, 1, 4]);
    const visits = { filter: { types: ['VISIT', 'MEETING'] }, from: '2023-07-01', to: '2023-09-30', groupBy: ['TYPE'] };
    // Shoigu's visit and meeting ("In July", whole-month spans), Kim's train (09-11), Vostochny (09-13).
    expect((await eventStats({ ...visits, attribution: 'START' })).map((r) => [r.period, r.type, r.events])).toEqual([
      ['2023-07', 'MEETING', 1],
      ['2023-07', 'VISIT', 1],
      ['2023-08', 'MEETING', 0],
      ['2023-08', 'VISIT', 0],
      ['2023-09', 'MEETING', 1],
      ['2023-09', 'VISIT', 1],
    ]);
  });

  it('groups by country (null: unknown), gap-filled, and by quarter', async () => {
    const rows = await eventStats({ from: '2023-07-01', to: '2023-09-30', groupBy: ['COUNTRY'] });
    const sep = rows.filter((r) => r.period === '2023-09').map((r) => [r.country, r.events]);
    // September: Vladivostok visit and Vostochny meeting in Russia, South Korea's statement without
    // a place; nothing in the DPRK (Shoigu's July visit makes its row).
    expect(sep).toEqual([
      ['PRK', 0],
      ['RUS', 2],
      [null, 1],
    ]);
    const quarters = await eventStats({ from: '2023-01-01', to: '2023-12-31', granularity: 'QUARTER' });
    // Q3: Shoigu's visit and meeting, the accusation, the sanctions, Kim's train, Vostochny, South
    // Korea; Q4: the rumours, the imagery, the containers report and the five undated items at 10-31.
    expect(quarters.map((r) => [r.period, r.events])).toEqual([
      ['2023-Q1', 0],
      ['2023-Q2', 0],
      ['2023-Q3', 7],
      ['2023-Q4', 8],
    ]);
  });

  it('counts an event once for each participant when grouped by actor, and filters', async () => {
    const rows = await eventStats({
      filter: { actorIds: [DPRK], types: ['MEETING', 'VISIT'] },
      from: '2023-09-01',
      to: '2023-09-30',
      groupBy: ['ACTOR'],
    });
    expect(rows.every((r) => r.period === '2023-09' && r.actor !== null && r.events >= 1)).toBe(true);
    const names = rows.map((r) => r.actor.name);
    expect(names).toEqual([...names].sort((x, y) => x.localeCompare(y, 'en')));
    const counts = await server.gql(`{ events(filter: { actorIds: ["${DPRK}"], types: [MEETING, VISIT], from: "2023-09-01", to: "2023-09-30" }) {
      edges { node { participants { actor { id } } } } } }`);
    const expected = new Map<string, number>();
    for (const e of ok(counts).events.edges) {
      for (const id of new Set<string>(e.node.participants.map((p: any) => p.actor.id))) expected.set(id, (expected.get(id) ?? 0) + 1);
    }
    expect(new Map(rows.map((r) => [r.actor.id, r.events]))).toEqual(expected);
  });

  it('never counts a soft-deleted event', async () => {
    const { id } = await events.createEvent(server.db, {
      type: 'SANCTION',
      title: 'Reports test sanction',
      date: { start: '2015-06-15' },
      confidence: 'CONFIRMED',
    });
    const vars = { filter: { types: ['SANCTION'] }, from: '2015-06-01', to: '2015-06-30' };
    expect((await eventStats(vars)).map((r) => r.events)).toEqual([1]);
    await events.deleteEvent(server.db, id);
    expect(await eventStats(vars)).toEqual([]);
  });
});

// ------------------------------------------------------------------ CSV

describe('GET /reports/shipments.csv', () => {
  it('is the GraphQL report, row for row', async () => {
    const params = { from: '2023-01-01', to: '2023-12-31', granularity: 'MONTH', groupBy: 'SUPPLIER,RECIPIENT', attribution: 'PRO_RATA' };
    const res = await fetch(csvUrl({ ...params, supplierIds: `${DPRK},${RUSSIA}` }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="shipments_2023-01-01_2023-12-31_month.csv"');
    const text = await res.text();
    const [header, ...rows] = parse(text) as string[][];
    expect(header).toEqual(['period', 'start', 'end', 'supplier_id', 'supplier', 'recipient_id', 'recipient', ...SHIPMENT_FIGURES]);
    expect(rows[0]).toEqual([
      '2023-01',
      '2023-01-01',
      '2023-01-31',
      DPRK,
      'North Korea',
      RUSSIA,
      'Russia',
      'containers',
      '0',
      '0',
      '0',
      '0',
      '0',
      '0',
      '0',
      '0',
      'true',
    ]);
    expect(text).toContain(`2023-09,2023-09-01,2023-09-30,${DPRK},North Korea,${RUSSIA},Russia,containers,1,960,0,960,960,0,0,1,false\n`);

    const r = ok(
      await server.gql(
        `query R($filter: ShipmentFilter, $from: Date!, $to: Date!, $groupBy: [ShipmentDimension!]) {
      shipmentReport(filter: $filter, from: $from, to: $to, groupBy: $groupBy) { buckets { period start end supplier { id name } recipient { id name } unit ${FIGURES} } } }`,
        { from: params.from, to: params.to, filter: { supplierIds: [DPRK, RUSSIA] }, groupBy: ['SUPPLIER', 'RECIPIENT'] },
      ),
    ).shipmentReport;
    const cell = (v: unknown) => (v === null ? '' : String(v));
    expect(rows).toEqual(
      r.buckets.map((b: any) =>
        [
          b.period,
          b.start,
          b.end,
          b.supplier.id,
          b.supplier.name,
          b.recipient.id,
          b.recipient.name,
          b.unit,
          b.shipments,
          b.quantity,
          b.unknownQuantity,
          b.quantityLow,
          b.quantityHigh,
          b.unknownQuantityLow,
          b.unknownQuantityHigh,
          b.estimated,
          b.exact,
        ].map(cell),
      ),
    );
    // Twelve months × the two groups in 2023: DPRK → Russia in containers, Russia → DPRK without a unit.
    expect(rows).toHaveLength(12 * 2);
  });

  it('has only the grouped columns, and defaults like GraphQL', async () => {
    const res = await fetch(csvUrl({ from: '2023-09-01', to: '2023-10-31', categories: 'MILITARY_EQUIPMENT' }));
    // The pro-rata shares are estimates (estimated 1, exact false); their values stay unrounded.
    expect(await res.text()).toBe(
      `period,start,end,${SHIPMENT_FIGURES.join(',')}\n` +
        '2023-09,2023-09-01,2023-09-30,containers,1,960,0,960,960,0,0,1,false\n' +
        '2023-10,2023-10-01,2023-10-31,containers,1,40,0,40,40,0,0,1,false\n',
    );
    const end = await fetch(csvUrl({ from: '2023-09-01', to: '2023-10-31', categories: 'MILITARY_EQUIPMENT', attribution: 'END', groupBy: 'category' }));
    expect(await end.text()).toBe(
      `period,start,end,category,${SHIPMENT_FIGURES.join(',')}\n` +
        '2023-09,2023-09-01,2023-09-30,MILITARY_EQUIPMENT,containers,0,0,0,0,0,0,0,0,true\n' +
        '2023-10,2023-10-01,2023-10-31,MILITARY_EQUIPMENT,containers,1,1000,0,1000,1000,0,0,0,true\n',
    );
  });

  it('answers bad input with 400 and the parameter at fault', async () => {
    const bad = async (params: Record<string, string>, field: string) => {
      const res = await fetch(csvUrl(params));
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: string; field: string; message: string };
      expect(body).toMatchObject({ error: 'BAD_USER_INPUT', field });
      expect(body.message).toEqual(expect.any(String));
      return body.message;
    };
    expect(await bad({ from: '2023-12-01', to: '2023-01-01' }, 'to')).toMatch(/before/);
    await bad({ to: '2023-01-01' }, 'from');
    await bad({ from: '2023-02-30', to: '2023-03-01' }, 'from');
    await bad({ from: '2023-01-01', to: '2023-03-01', granularity: 'FORTNIGHT' }, 'granularity');
    await bad({ from: '2023-01-01', to: '2023-03-01', attribution: 'MIDDLE' }, 'attribution');
    await bad({ from: '2023-01-01', to: '2023-03-01', groupBy: 'SUPPLIER,PORT' }, 'groupBy[1]');
    await bad({ from: '2023-01-01', to: '2023-03-01', supplierIds: 'x' }, 'supplierIds[0]');
    await bad({ from: '2023-01-01', to: '2023-03-01', categories: 'TANKS' }, 'categories[0]');
    await bad({ from: '2023-01-01', to: '2023-03-01', minConfidence: 'SURE' }, 'minConfidence');
    await bad({ from: '2023-01-01', to: '2023-03-01', groupby: 'SUPPLIER' }, 'groupby');
    expect(await bad({ from: '0001-01-01', to: '9999-12-31', granularity: 'DAY' }, 'granularity')).toMatch(/100,000/);
  });
});

describe('GET /reports/events.csv', () => {
  it('is eventStats, row for row, with actors by id and name', async () => {
    const params = { from: '2023-07-01', to: '2023-10-31', groupBy: 'TYPE,ACTOR', types: 'STATEMENT,VISIT' };
    const res = await fetch(csvUrl(params, 'events.csv'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="events_2023-07-01_2023-10-31_month.csv"');
    const [header, ...rows] = parse(await res.text()) as string[][];
    expect(header).toEqual(['period', 'start', 'end', 'type', 'actor_id', 'actor', 'events']);

    const stats = await eventStats({ from: params.from, to: params.to, groupBy: ['ACTOR', 'TYPE'], filter: { types: ['STATEMENT', 'VISIT'] } });
    const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
    expect(rows).toEqual(stats.map((r) => [r.period, r.start, r.end, r.type, r.actor?.id, r.actor?.name, r.events].map(cell)));
    expect(rows.length).toBeGreaterThan(4);
    expect(rows.some((r) => r[5] === 'Russia' && Number(r[6]) > 0)).toBe(true);
  });

  it('has only the grouped columns, and defaults like GraphQL', async () => {
    const res = await fetch(csvUrl({ from: '2023-07-01', to: '2023-10-31', types: 'STATEMENT', attribution: 'end' }, 'events.csv'));
    // END: the statements by the month of their last day (see eventStats above).
    expect(await res.text()).toBe(
      'period,start,end,events\n2023-07,2023-07-01,2023-07-31,0\n2023-08,2023-08-01,2023-08-31,0\n' +
        '2023-09,2023-09-01,2023-09-30,1\n2023-10,2023-10-01,2023-10-31,4\n',
    );
  });

  it('answers bad input with 400 and the parameter at fault', async () => {
    const bad = async (params: Record<string, string>, field: string) => {
      const res = await fetch(csvUrl(params, 'events.csv'));
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'BAD_USER_INPUT', field, message: expect.any(String) });
    };
    await bad({ from: '2023-12-01', to: '2023-01-01' }, 'to');
    await bad({ from: '2023-01-01', to: '2023-03-01', groupBy: 'TYPE,SUPPLIER' }, 'groupBy[1]');
    await bad({ from: '2023-01-01', to: '2023-03-01', types: 'STATEMENT,PARTY' }, 'types[1]');
    await bad({ from: '2023-01-01', to: '2023-03-01', actorIds: 'x' }, 'actorIds[0]');
    await bad({ from: '2023-01-01', to: '2023-03-01', minConfidence: 'SURE' }, 'minConfidence');
    await bad({ from: '2023-01-01', to: '2023-03-01', supplierIds: DPRK }, 'supplierIds');
    await bad({ from: '0001-01-01', to: '9999-12-31', granularity: 'DAY' }, 'granularity');
  });

  it('prints as a table with npm run report -- --events', async () => {
    const args = { from: '2023-07-01', to: '2023-10-31', groupBy: ['TYPE' as const], filter: { types: ['STATEMENT'] } };
    const text = formatEventStats(await eventStatsService(server.db, args), args.groupBy);
    expect(text.split('\n')).toEqual([
      'Events by period, grouped by type',
      '',
      'period   type       events',
      '-------  ---------  ------',
      '2023-07  STATEMENT       0',
      '2023-08  STATEMENT       0',
      '2023-09  STATEMENT       1',
      '2023-10  STATEMENT       4',
    ]);
  });
});
