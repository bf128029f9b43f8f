// shipmentReport, eventStats and the CSV exports, through real HTTP over a fresh real
// database holding the seeded article plus shipments made here. Every test that adds
// shipments gives them suppliers of its own and filters on them, so the seed's figures
// and the other tests' stay apart. Test data is written through the services (the same
// validation and soft deletes as the mutations, without needing an API key); the reports
// are only ever read over HTTP.
import { parse } from 'csv-parse/sync';
import { actorId } from '../../seed/ids';
import { attribute, GRANULARITIES, periodsBetween, type Attribution, type Granularity } from '../../src/domain/periods';
import * as actors from '../../src/services/actors';
import * as events from '../../src/services/events';
import { formatEventStats } from '../../src/cli/report';
import { eventStats as eventStatsService } from '../../src/services/reports';
import * as shipments from '../../src/services/shipments';
import { startTestServer, type GqlResponse, type TestServer } from '../support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ seedOnStart: true });
});
afterAll(() => server.stop());

// ------------------------------------------------------------------ helpers

const DPRK = actorId('dprk');
const RUSSIA = actorId('russia');

const BUCKET = `period start end supplier { id name } recipient { id name } category status confidence
  unit shipments quantity unknownQuantity`;
const TOTAL = `supplier { id name } recipient { id name } category status confidence unit shipments quantity unknownQuantity`;
const SERIES = `supplier { id name } recipient { id name } category status confidence unit shipments quantity unknownQuantity`;
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
  return (await actors.createActor(server.db.prisma, { name: `Reports ${label} ${counter}`, kind: 'STATE' })).id;
}

interface ShipmentSpec {
  supplierId: string;
  recipientId: string;
  start: string;
  end: string;
  quantity?: number | null;
  unit?: string | null;
  category?: string;
  status?: string;
  confidence?: string;
}

async function createShipment(s: ShipmentSpec): Promise<string> {
  const shipment = await shipments.createShipment(server.db.prisma, {
    supplierId: s.supplierId,
    recipientId: s.recipientId,
    category: (s.category ?? 'ARTILLERY_AMMUNITION') as shipments.ShipmentInput['category'],
    quantity: s.quantity ?? null,
    unit: s.unit ?? null,
    deliverySpan: { start: s.start, end: s.end, precision: s.start === s.end ? 'DAY' : 'RANGE' },
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
      },
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

    // The seed in 2023: 1,000 containers (REPORTED), artillery and MLRS ammunition of unknown
    // quantity (REPORTED, ASSESSED), food (PLANNED, ASSESSED, Russia → DPRK).
    expect(await units(seed)).toEqual([
      ['containers', 1, 1000, 0],
      [null, 3, null, 3],
    ]);
    expect(await units({ ...seed, minConfidence: 'REPORTED' })).toEqual([['containers', 1, 1000, 0]]);
    expect(await units({ ...seed, statuses: ['PLANNED'] })).toEqual([[null, 1, null, 1]]);
    expect(await units({ ...seed, categories: ['ARTILLERY_AMMUNITION', 'MLRS_AMMUNITION'] })).toEqual([[null, 2, null, 2]]);
    expect(await units({ supplierIds: [RUSSIA] })).toEqual([[null, 1, null, 1]]);
    expect(await units({ recipientIds: [RUSSIA], supplierIds: [DPRK] })).toEqual([
      ['containers', 1, 1000, 0],
      [null, 2, null, 2],
    ]);
    // filter.from/to select shipments whose span overlaps them, as for `shipments`.
    expect(await units({ ...seed, from: '2023-11-01', to: '2023-11-30' })).toEqual([[null, 1, null, 1]]);
  });

  it('groups by category, status and confidence', async () => {
    const r = await report({
      filter: { supplierIds: [DPRK, RUSSIA] },
      from: '2023-09-01',
      to: '2023-09-30',
      groupBy: ['CATEGORY', 'STATUS', 'CONFIDENCE'],
    });
    expect(r.buckets.map((b: any) => [b.category, b.status, b.confidence, b.unit, b.shipments, b.quantity])).toEqual([
      ['ARTILLERY_AMMUNITION', 'REPORTED', 'ASSESSED', null, 1, null],
      ['MLRS_AMMUNITION', 'REPORTED', 'ASSESSED', null, 1, null],
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
    for (const id of [gone, goneGroup]) await shipments.deleteShipment(server.db.prisma, id);
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
    // 0001-01-01..9999-12-31 by day is 3,652,059 periods: refused by arithmetic, no query at all.
    let statements = server.db.statementCount();
    const tooManyDays = await server.gql(REPORT, { from: '0001-01-01', to: '9999-12-31', granularity: 'DAY' });
    expect(expectBadInput(tooManyDays, 'granularity')).toMatch(/3,652,059 DAY periods.*100,000 buckets/);
    expect(server.db.statementCount() - statements).toBe(0);

    // 2000-01-01..2199-12-31 by day is 73,049 periods, under the limit alone; but the seed's
    // suppliers (DPRK, Russia) and units (containers, none) make at least 2 groups: 146,098 buckets.
    // Refused after one cheap count of groups (stopped at 2), before the report query.
    statements = server.db.statementCount();
    const tooManyGroups = await server.gql(REPORT, {
      filter: { supplierIds: [DPRK, RUSSIA] },
      from: '2000-01-01',
      to: '2199-12-31',
      granularity: 'DAY',
      groupBy: ['SUPPLIER'],
    });
    expect(expectBadInput(tooManyGroups, 'groupBy')).toMatch(/more than 100,000 buckets \(73,049 periods × more than 1 groups\)/);
    expect(server.db.statementCount() - statements).toBe(1);

    expectBadInput(await server.gql(EVENT_STATS, { from: '2000-01-01', to: '2199-12-31', granularity: 'DAY', groupBy: ['TYPE'] }), 'groupBy');

    // On the rollups (whole months) the report statement itself stops past the limit and returns
    // nothing; only then does the count run, to tell a refused report from an empty one.
    // 0001-01..8333-12 is 99,996 months: at most 1 group, and the seed's two suppliers make 2.
    statements = server.db.statementCount();
    const monthly = await server.gql(REPORT, { filter: { supplierIds: [DPRK, RUSSIA] }, from: '0001-01-01', to: '8333-12-31', granularity: 'MONTH', groupBy: ['SUPPLIER'] });
    expect(expectBadInput(monthly, 'groupBy')).toMatch(/more than 100,000 buckets \(99,996 periods × more than 1 groups\)/);
    expect(server.db.statementCount() - statements).toBe(2);
    expectBadInput(await server.gql(EVENT_STATS, { from: '0001-01-01', to: '8333-12-31', granularity: 'MONTH', groupBy: ['TYPE'] }), 'groupBy');
    // An empty window on the rollup: the same two statements, and an empty report, not a refusal.
    statements = server.db.statementCount();
    const empty = ok(await server.gql(REPORT, { filter: { supplierIds: [DPRK] }, from: '1990-01-01', to: '1990-12-31', granularity: 'MONTH', groupBy: ['SUPPLIER'] }));
    expect(empty.shipmentReport.buckets).toEqual([]);
    expect(server.db.statementCount() - statements).toBe(2);

    // The same days with a single group are 73,049 buckets: allowed.
    const res = await server.gql(`{ shipmentReport(filter: { supplierIds: ["${DPRK}"], categories: [MILITARY_EQUIPMENT] },
      from: "2000-01-01", to: "2199-12-31", granularity: DAY) { buckets { shipments } } }`);
    const one = ok(res).shipmentReport;
    expect(one.buckets).toHaveLength(73_049);
    expect(one.buckets.filter((b: any) => b.shipments > 0)).toHaveLength(25);
  });
});

// ------------------------------------------------------------------ SQL against the reference model

describe('the SQL against the reference model of src/domain/periods.ts', () => {
  it('agrees on random spans, quantities and units, for every granularity and attribution', async () => {
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

    const a = await pair('random');
    const b = await createActor('random second supplier');
    const suppliers = [a.supplierId, b];
    const shipments: (ShipmentSpec & { quantity: number | null; unit: string | null })[] = [];
    for (let i = 0; i < 40; i += 1) {
      const start = addDays('2011-01-01', Math.floor(random() * 700));
      const end = addDays(start, random() < 0.2 ? 0 : Math.floor(random() * 150));
      const known = random() < 0.75;
      const unit = known ? pick(['rounds', 'shells']) : pick(['rounds', null]);
      const quantity = known ? 1 + Math.floor(random() * 1000) : null;
      const s = { supplierId: pick(suppliers), recipientId: a.recipientId, start, end, quantity, unit };
      shipments.push(s);
      await createShipment(s);
    }

    const from = '2011-03-15';
    const to = '2012-08-20';
    for (const granularity of GRANULARITIES) {
      for (const attribution of ['PRO_RATA', 'START', 'END'] as const) {
        const periods = periodsBetween(from, to, granularity);
        const first = periods[0].start;
        const last = periods[periods.length - 1].end;
        // Expected buckets by group key "supplier|unit", then period label.
        const cells = new Map<string, Map<string, { shipments: number; quantity: number; known: number; unknown: number }>>();
        const totals = new Map<string, { shipments: number; quantity: number; known: number; unknown: number }>();
        for (const s of shipments) {
          const parts = attribute(s.start, s.end, granularity, attribution).filter((p) => p.period.start >= first && p.period.end <= last);
          if (!parts.length) continue;
          const key = `${s.supplierId}|${s.unit}`;
          if (!cells.has(key)) {
            cells.set(key, new Map(periods.map((p) => [p.label, { shipments: 0, quantity: 0, known: 0, unknown: 0 }])));
            totals.set(key, { shipments: 0, quantity: 0, known: 0, unknown: 0 });
          }
          const total = totals.get(key)!;
          total.shipments += 1;
          if (s.quantity === null) total.unknown += 1;
          for (const part of parts) {
            const cell = cells.get(key)!.get(part.period.label)!;
            cell.shipments += 1;
            if (s.quantity === null) cell.unknown += 1;
            else {
              cell.quantity += s.quantity * part.share;
              cell.known += 1;
              total.quantity += s.quantity * part.share;
              total.known += 1;
            }
          }
        }
        const quantity = (unit: string | null, c: { shipments: number; quantity: number; known: number }) =>
          unit === null ? null : c.shipments === 0 ? 0 : c.known === 0 ? null : c.quantity;

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
          buckets.forEach((bucket, i) => {
            const want = expected.get(periods[i].label)!;
            const context = `${granularity} ${attribution} ${key} ${bucket.period}`;
            expect([context, bucket.shipments, bucket.unknownQuantity]).toEqual([context, want.shipments, want.unknown]);
            const q = quantity(unit, want);
            if (q === null) expect([context, bucket.quantity]).toEqual([context, null]);
            else expect(bucket.quantity).toBeCloseTo(q, 6);
          });
        }
        for (const t of r.totals) {
          const key = `${t.supplier.id}|${t.unit}`;
          const want = totals.get(key)!;
          expect([key, t.shipments, t.unknownQuantity]).toEqual([key, want.shipments, want.unknown]);
          if (t.unit === null || want.known === 0) expect(t.quantity).toBeNull();
          else expect(t.quantity).toBeCloseTo(want.quantity, 6);
        }
        expect(r.totals).toHaveLength(cells.size);
      }
    }
  });
});

// ------------------------------------------------------------------ events

describe('eventStats', () => {
  // The seed's statements: Kirby 2023-07-01..10-31, Musienko 08-01..08-31, Kraiev 09-11..09-13,
  // South Korea's diplomat 09-15, Hrytsenko 10-13..10-31.
  const statements = { filter: { types: ['STATEMENT'] }, from: '2023-07-01', to: '2023-10-31', groupBy: ['TYPE'] };

  it('counts an event once in every month its span overlaps (the default)', async () => {
    // July: Kirby. August: Kirby, Musienko. September: Kirby, Kraiev, South Korea. October: Kirby, Hrytsenko.
    const rows = await eventStats(statements);
    expect(rows.map((r) => [r.period, r.start, r.end, r.type, r.events])).toEqual([
      ['2023-07', '2023-07-01', '2023-07-31', 'STATEMENT', 1],
      ['2023-08', '2023-08-01', '2023-08-31', 'STATEMENT', 2],
      ['2023-09', '2023-09-01', '2023-09-30', 'STATEMENT', 3],
      ['2023-10', '2023-10-01', '2023-10-31', 'STATEMENT', 2],
    ]);
  });

  it('counts it once, in the month of its first or last day, under START or END', async () => {
    expect((await eventStats({ ...statements, attribution: 'START' })).map((r) => r.events)).toEqual([1, 1, 2, 1]);
    expect((await eventStats({ ...statements, attribution: 'END' })).map((r) => r.events)).toEqual([0, 1, 2, 2]);
  });

  it('groups by country (null: unknown), gap-filled, and by quarter', async () => {
    const rows = await eventStats({ from: '2023-07-01', to: '2023-09-30', groupBy: ['COUNTRY'] });
    const sep = rows.filter((r) => r.period === '2023-09').map((r) => [r.country, r.events]);
    // September: Vladivostok visit and Vostochny meeting in Russia, the battlefield finding
    // (2022-02-24..2023-10-31) in Ukraine, three statements without a place; nothing in the DPRK.
    expect(sep).toEqual([
      ['PRK', 0],
      ['RUS', 2],
      ['UKR', 1],
      [null, 3],
    ]);
    const quarters = await eventStats({ from: '2023-01-01', to: '2023-12-31', granularity: 'QUARTER' });
    // Q1, Q2: only the battlefield finding spans them; Q3: all but the four October events; Q4: Kirby, the finding, the four October ones.
    expect(quarters.map((r) => [r.period, r.events])).toEqual([
      ['2023-Q1', 1],
      ['2023-Q2', 1],
      ['2023-Q3', 11],
      ['2023-Q4', 6],
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
    const { id } = await events.createEvent(server.db.prisma, {
      type: 'SANCTION',
      title: 'Reports test sanction',
      date: { start: '2015-06-15' },
      confidence: 'CONFIRMED',
    });
    const vars = { filter: { types: ['SANCTION'] }, from: '2015-06-01', to: '2015-06-30' };
    expect((await eventStats(vars)).map((r) => r.events)).toEqual([1]);
    await events.deleteEvent(server.db.prisma, id);
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
    expect(header).toEqual([
      'period', 'start', 'end', 'supplier_id', 'supplier', 'recipient_id', 'recipient', 'unit', 'shipments', 'quantity', 'unknown_quantity',
    ]);
    expect(rows[0]).toEqual([
      '2023-01', '2023-01-01', '2023-01-31', DPRK, 'North Korea', RUSSIA, 'Russia', 'containers', '0', '0', '0',
    ]);
    expect(text).toContain(`2023-09,2023-09-01,2023-09-30,${DPRK},North Korea,${RUSSIA},Russia,containers,1,960,0\n`);

    const r = await report({ ...params, filter: { supplierIds: [DPRK, RUSSIA] }, groupBy: ['SUPPLIER', 'RECIPIENT'] } as ReportVars);
    const cell = (v: unknown) => (v === null ? '' : String(v));
    expect(rows).toEqual(
      r.buckets.map((b: any) =>
        [b.period, b.start, b.end, b.supplier.id, b.supplier.name, b.recipient.id, b.recipient.name, b.unit, b.shipments, b.quantity, b.unknownQuantity].map(cell),
      ),
    );
    expect(rows).toHaveLength(12 * 3);
  });

  it('has only the grouped columns, and defaults like GraphQL', async () => {
    const res = await fetch(csvUrl({ from: '2023-09-01', to: '2023-10-31', categories: 'MILITARY_EQUIPMENT' }));
    expect(await res.text()).toBe(
      'period,start,end,unit,shipments,quantity,unknown_quantity\n' +
        '2023-09,2023-09-01,2023-09-30,containers,1,960,0\n' +
        '2023-10,2023-10-01,2023-10-31,containers,1,40,0\n',
    );
    const end = await fetch(csvUrl({ from: '2023-09-01', to: '2023-10-31', categories: 'MILITARY_EQUIPMENT', attribution: 'END', groupBy: 'category' }));
    expect(await end.text()).toBe(
      'period,start,end,category,unit,shipments,quantity,unknown_quantity\n' +
        '2023-09,2023-09-01,2023-09-30,MILITARY_EQUIPMENT,containers,0,0,0\n' +
        '2023-10,2023-10-01,2023-10-31,MILITARY_EQUIPMENT,containers,1,1000,0\n',
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
      'period,start,end,events\n2023-07,2023-07-01,2023-07-31,0\n2023-08,2023-08-01,2023-08-31,1\n' +
        '2023-09,2023-09-01,2023-09-30,2\n2023-10,2023-10-01,2023-10-31,2\n',
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
    const text = formatEventStats(await eventStatsService(server.db.prisma, args), args.groupBy);
    expect(text.split('\n')).toEqual([
      'Events by period, grouped by type',
      '',
      'period   type       events',
      '-------  ---------  ------',
      '2023-07  STATEMENT       1',
      '2023-08  STATEMENT       2',
      '2023-09  STATEMENT       3',
      '2023-10  STATEMENT       2',
    ]);
  });
});
