// Reports: shipments and events bucketed by calendar period. Validates the request, refuses
// one that would produce too many buckets before the report query runs, and turns the rows
// PostgreSQL computes (src/db/queries/reports.ts) into buckets with period labels.
// Used by GraphQL (shipmentReport, eventStats), the CSV export and `npm run report`.
import { isValidDate } from '../domain/dateSpan';
import { ValidationError } from '../domain/errors';
import { checkIds } from '../domain/ids';
import { checkMinFatalities, checkMinSources, checkText } from '../domain/validation';
import {
  ATTRIBUTIONS,
  countPeriods,
  GRANULARITIES,
  periodAxis,
  periodEnd,
  periodStart,
  REPORT_ESTIMATES,
  REPORT_FILLS,
  roundQuantity,
  type Attribution,
  type Granularity,
  type Period,
  type ReportEstimates,
  type ReportFill,
} from '../domain/periods';
import type { Db } from '../db/client';
import type { EventListFilter, ShipmentListFilter } from '../db/queries/lists';
import {
  ALL_SHIPMENT_FIGURES,
  countEventGroups,
  countShipmentCells,
  countShipmentGroups,
  EVENT_DIMENSIONS,
  eventStatsRows,
  SHIPMENT_DIMENSIONS,
  shipmentReportRows,
  type EventDimension,
  type ReportLimit,
  type ReportSource,
  type ShipmentDimension,
  type ShipmentFigureSet,
  type ShipmentReportRow,
  type ShipmentReportSource,
  type Window,
} from '../db/queries/reports';
import { tagRead } from './history';
import { checkReportedBy } from './reported';

export type { Attribution, Granularity, ReportEstimates, ReportFill } from '../domain/periods';
export type { EventDimension, ReportSource, ShipmentDimension, ShipmentFigureSet, ShipmentReportSource } from '../db/queries/reports';
export { EVENT_DIMENSIONS, SHIPMENT_DIMENSIONS } from '../db/queries/reports';

/** A report may have at most this many buckets (periods × groups). */
export const BUCKET_LIMIT = 100_000;

interface ReportArgs<D> {
  from: string;
  to: string;
  granularity?: Granularity | null;
  groupBy?: readonly D[] | null;
  attribution?: Attribution | null;
  /** Checked instant (services/history.ts checkAsOf): the report as the database stood then. */
  asOf?: string | null;
  /**
   * Only the records reported by this day (YYYY-MM-DD), with the values claimed by then
   * (db/queries/reported.ts). Not on the rollups' allow-list: computed from the records.
   */
  reportedBy?: string | null;
}

export interface ShipmentReportArgs extends ReportArgs<ShipmentDimension> {
  filter?: ShipmentListFilter | null;
  /** INCLUDE (the default) or EXCLUDE the estimated parts of quantities. */
  estimates?: ReportEstimates | null;
  /** ALL_PERIODS (the default: every period of the window, gaps filled) or NONE (only the periods with records). */
  fill?: ReportFill | null;
  /** The figures to compute besides counts and best values (all by default); those left out read as null and 0. */
  figures?: ShipmentFigureSet;
}

export interface EventStatsArgs extends ReportArgs<EventDimension> {
  filter?: EventListFilter | null;
  /** Sum the events' fatalities too (computed on the events themselves: the rollup keeps none). */
  fatalities?: boolean | null;
}

/** The dimensions of a shipment group; those not grouped by are null. */
export interface ShipmentGroup {
  supplierId: string | null;
  supplierName: string | null;
  recipientId: string | null;
  recipientName: string | null;
  category: string | null;
  status: string | null;
  confidence: string | null;
  categoryGroup: string | null;
  unit: string | null;
  /** The loaded actors, when the GraphQL layer has set them (src/graphql/resolvers/reports.ts). */
  supplier?: unknown;
  recipient?: unknown;
}

/** The figures of a bucket or a total (see ShipmentBucket in schema.graphql). */
export interface ShipmentFigures {
  /** Distinct shipments attributed to the bucket or the window. */
  shipments: number;
  /** Sum of the known best values; null when none is known (or there is no unit). */
  quantity: number | null;
  unknownQuantity: number;
  /** Sums of the low and high bounds; null when a part's bound is unknown (counted beside). */
  quantityLow: number | null;
  quantityHigh: number | null;
  unknownQuantityLow: number;
  unknownQuantityHigh: number;
  /** Shipments whose part is an estimate. */
  estimated: number;
  /** quantity is known, and no part of it is estimated or unknown. */
  exact: boolean;
}

export type ShipmentTotalRow = ShipmentGroup & ShipmentFigures;

/** A group with its figures per period, at the positions of ShipmentReportResult.periods. */
export interface ShipmentSeriesRow extends ShipmentGroup {
  shipments: number[];
  quantity: (number | null)[];
  unknownQuantity: number[];
  quantityLow: (number | null)[];
  quantityHigh: (number | null)[];
  unknownQuantityLow: number[];
  unknownQuantityHigh: number[];
  estimated: number[];
  exact: boolean[];
}

export type ShipmentBucketRow = ShipmentTotalRow & {
  period: string;
  start: string;
  end: string;
};

export interface ShipmentReportResult {
  granularity: Granularity;
  attribution: Attribution;
  estimates: ReportEstimates;
  fill: ReportFill;
  groupBy: ShipmentDimension[];
  /** First day of the first period. */
  start: string;
  /** Last day of the last period. */
  end: string;
  buckets: ShipmentBucketRow[];
  totals: ShipmentTotalRow[];
  /** One per group, in the order of `totals`: the GraphQL layer sets their actors before series or buckets are read. */
  groups: ShipmentGroup[];
  /** The report's periods in order (with fill NONE, those in which some group has records). */
  periods: Period[];
  /** One per group, in the order of `totals`. */
  series: ShipmentSeriesRow[];
}

export interface EventBucketRow {
  period: string;
  start: string;
  end: string;
  type: string | null;
  actorId: string | null;
  actorName: string | null;
  country: string | null;
  confidence: string | null;
  events: number;
  /** With `fatalities`: see EventBucket in schema.graphql. */
  fatalities?: number | null;
  fatalitiesLow?: number | null;
  fatalitiesHigh?: number | null;
  unknownFatalities?: number;
  estimatedFatalities?: number;
  fatalitiesExact?: boolean;
}

function oneOf<T extends string>(value: T | null | undefined, allowed: readonly T[], fallback: T, field: string): T {
  if (value == null) return fallback;
  if (!allowed.includes(value)) throw new ValidationError(field, `${field} must be one of ${allowed.join(', ')}, got "${value}"`);
  return value;
}

function checkDate(value: string | null | undefined, field: string): string {
  if (value == null || !isValidDate(value)) {
    throw new ValidationError(field, `${field} must be a calendar date YYYY-MM-DD, got ${value == null ? 'nothing' : `"${value}"`}`);
  }
  return value;
}

function optionalDate(value: string | null | undefined, field: string): string | null {
  return value == null ? null : checkDate(value, field);
}

/** Validated common arguments: the window, the granularity, the attribution and the dimensions (deduplicated). */
function commonArgs<D extends string>(args: ReportArgs<D>, dimensions: readonly D[]) {
  const from = checkDate(args.from, 'from');
  const to = checkDate(args.to, 'to');
  if (to < from) throw new ValidationError('to', `to (${to}) is before from (${from})`);
  const granularity = oneOf(args.granularity, GRANULARITIES, 'MONTH', 'granularity');
  const attribution = oneOf(args.attribution, ATTRIBUTIONS, 'PRO_RATA', 'attribution');
  const groupBy: D[] = [];
  (args.groupBy ?? []).forEach((d, i) => {
    oneOf(d, dimensions, d, `groupBy[${i}]`);
    if (!groupBy.includes(d)) groupBy.push(d);
  });
  // Keep the canonical order, so the same request in another order gives the same report.
  groupBy.sort((a, b) => dimensions.indexOf(a) - dimensions.indexOf(b));
  const window: Window = { start: periodStart(from, granularity), end: periodEnd(to, granularity), granularity };
  const periods = countPeriods(from, to, granularity);
  if (periods > BUCKET_LIMIT) {
    throw new ValidationError(
      'granularity',
      `The report would have ${periods.toLocaleString('en-US')} ${granularity} periods between ${from} and ${to}, ` +
        `over the limit of ${BUCKET_LIMIT.toLocaleString('en-US')} buckets: use a coarser granularity or a shorter window`,
    );
  }
  return { from, to, granularity, attribution, groupBy, window, periods };
}

/** Refuses a report of more than BUCKET_LIMIT buckets (periods × more than maxGroups groups). */
async function checkBucketLimit(periods: number, maxGroups: number, countGroups: (max: number) => Promise<number>): Promise<void> {
  const groups = await countGroups(maxGroups);
  if (groups > maxGroups) {
    throw new ValidationError(
      'groupBy',
      `The report would have more than ${BUCKET_LIMIT.toLocaleString('en-US')} buckets ` +
        `(${periods.toLocaleString('en-US')} periods × more than ${maxGroups.toLocaleString('en-US')} groups), over the limit: ` +
        BUCKET_ADVICE,
    );
  }
}

const BUCKET_ADVICE = 'use a coarser granularity, a shorter window, fewer groupBy dimensions or a narrower filter';

/**
 * A report's rows within the bucket limit. Directly on the records, where a report over the limit
 * could run long before it knew, a cheap count of groups (stopped at the limit) comes first. On a
 * rollup the report statement itself stops past `maxGroups` groups and returns nothing (see
 * reportLimit in db/queries/reports.ts): one statement instead of two, and the count (run only
 * when nothing came back) tells an empty report from a refused one.
 */
async function withinBucketLimit<R>(
  periods: number,
  direct: boolean,
  countGroups: (max: number) => Promise<number>,
  report: (limit?: ReportLimit) => Promise<R[]>,
): Promise<R[]> {
  const maxGroups = Math.floor(BUCKET_LIMIT / periods);
  if (direct) {
    await checkBucketLimit(periods, maxGroups, countGroups);
    return report();
  }
  const rows = await report({ max: maxGroups });
  if (!rows.length) await checkBucketLimit(periods, maxGroups, countGroups);
  return rows;
}

/**
 * A report's rows without gap filling: limited by the buckets it has, its non-empty group × period
 * cells, not by groups × periods (a supplier's thousand recipients over ten years by month are a
 * few thousand buckets, not 120,000). The statement counts them itself, on every source (the
 * cells are what it aggregates anyway); `countCells` runs only when nothing came back.
 */
async function withinCellLimit<R>(countCells: () => Promise<number>, report: (limit: ReportLimit) => Promise<R[]>): Promise<R[]> {
  const rows = await report({ max: BUCKET_LIMIT, cells: true });
  if (rows.length) return rows;
  const cells = await countCells();
  if (cells > BUCKET_LIMIT) {
    throw new ValidationError(
      'groupBy',
      `The report would have ${cells.toLocaleString('en-US')} buckets with records, over the limit of ` +
        `${BUCKET_LIMIT.toLocaleString('en-US')}: ${BUCKET_ADVICE}`,
    );
  }
  return rows;
}

function shipmentFilter(f: ShipmentListFilter | null | undefined): ShipmentListFilter {
  const filter = f ?? {};
  return {
    ...filter,
    from: optionalDate(filter.from, 'filter.from'),
    to: optionalDate(filter.to, 'filter.to'),
    supplierIds: checkIds(filter.supplierIds, 'filter.supplierIds'),
    recipientIds: checkIds(filter.recipientIds, 'filter.recipientIds'),
    minSources: checkMinSources(filter.minSources, 'filter.minSources'),
  };
}

function eventFilter(f: EventListFilter | null | undefined): EventListFilter {
  const filter = f ?? {};
  return {
    ...filter,
    from: optionalDate(filter.from, 'filter.from'),
    to: optionalDate(filter.to, 'filter.to'),
    actorIds: checkIds(filter.actorIds, 'filter.actorIds'),
    minSources: checkMinSources(filter.minSources, 'filter.minSources'),
    minFatalities: checkMinFatalities(filter.minFatalities, 'filter.minFatalities'),
    search: checkedText(filter.search, 'filter.search'),
  };
}

/** Text bound for SQL, refused if the database cannot take it (no NUL, no lone surrogate). */
function checkedText(value: string | null | undefined, field: string): string | null | undefined {
  checkText(value, field);
  return value;
}

// The monthly rollups answer a report only when everything it asks for is something they
// know: allow-lists, not deny-lists, so that an argument or a filter added later (and not
// known here) falls back to the direct computation instead of being silently ignored.
// (`figures` only leaves columns out: the rollups keep every figure.)
const ROLLUP_ARGS = ['from', 'to', 'granularity', 'groupBy', 'attribution', 'filter', 'estimates', 'fill', 'figures'];
const ROLLUP_GRANULARITIES: readonly Granularity[] = ['MONTH', 'QUARTER', 'YEAR'];
const SHIPMENT_ROLLUP_FILTERS = ['supplierIds', 'recipientIds', 'categories', 'categoryGroups', 'statuses', 'minConfidence'];
const SHIPMENT_ROLLUP_DIMENSIONS: readonly ShipmentDimension[] = ['SUPPLIER', 'RECIPIENT', 'CATEGORY', 'STATUS', 'CONFIDENCE', 'CATEGORY_GROUP'];
const SHIPMENT_PAIR_ROLLUP_FILTERS = ['supplierIds', 'recipientIds'];
const SHIPMENT_PAIR_ROLLUP_DIMENSIONS: readonly ShipmentDimension[] = ['SUPPLIER', 'RECIPIENT'];
const EVENT_ROLLUP_FILTERS = ['types', 'minConfidence'];
const EVENT_ROLLUP_DIMENSIONS: readonly EventDimension[] = ['TYPE', 'COUNTRY', 'CONFIDENCE'];

/** Every key of `obj` that has a value (null and undefined are "not given") is in `allowed`. */
function onlyKnown(obj: object | null | undefined, allowed: readonly string[]): boolean {
  return Object.entries(obj ?? {}).every(([k, v]) => v == null || allowed.includes(k));
}

/**
 * Where a report is computed (see ReportSource): on the rollup when its periods are whole
 * months and every argument, filter and dimension is one the rollup keeps; directly otherwise.
 */
export function reportSource(args: ReportArgs<string> & { filter?: object | null }, filters: readonly string[], dimensions: readonly string[]): ReportSource {
  const rollup =
    onlyKnown(args, ROLLUP_ARGS) &&
    ROLLUP_GRANULARITIES.includes(args.granularity ?? 'MONTH') &&
    (args.groupBy ?? []).every((d) => dimensions.includes(d)) &&
    onlyKnown(args.filter, filters);
  return rollup ? 'rollup' : 'direct';
}

/**
 * The sources that can compute a shipment report, the one it reads first: the pair rollup
 * when the report needs no category, status or confidence, else the finer rollup (which can
 * serve whatever the pair rollup can), else direct.
 */
export function shipmentReportSources(args: ShipmentReportArgs): ShipmentReportSource[] {
  if (reportSource(args, SHIPMENT_ROLLUP_FILTERS, SHIPMENT_ROLLUP_DIMENSIONS) === 'direct') return ['direct'];
  const pair = reportSource(args, SHIPMENT_PAIR_ROLLUP_FILTERS, SHIPMENT_PAIR_ROLLUP_DIMENSIONS) === 'rollup';
  return pair ? ['pairRollup', 'rollup', 'direct'] : ['rollup', 'direct'];
}

/** The sources that can compute an eventStats report, the one it reads first. */
export function eventStatsSources(args: EventStatsArgs): ReportSource[] {
  // Fatalities are not in the rollup: asking for them (and only then) rules it out.
  const asked: EventStatsArgs = { ...args, fatalities: args.fatalities || null };
  return reportSource(asked, EVENT_ROLLUP_FILTERS, EVENT_ROLLUP_DIMENSIONS) === 'rollup' ? ['rollup', 'direct'] : ['direct'];
}

/** The source to compute a report on: the first that can, or `force` (which must be one of them). */
function chooseSource<S extends string>(sources: readonly S[], force?: S): S {
  if (force && !sources.includes(force)) throw new Error(`This report cannot be computed on the ${force} source`);
  return force ?? sources[0];
}

/** Whether figures are exact: a quantity known, no part of it estimated or unknown. */
function isExact(quantity: number | null, estimated: number, unknownQuantity: number): boolean {
  return quantity !== null && estimated === 0 && unknownQuantity === 0;
}

/** Shipments per period and group, with per-group totals over the window. */
export function shipmentReport(db: Db, args: ShipmentReportArgs): Promise<ShipmentReportResult> {
  return shipmentReportOn(db, args);
}

/** shipmentReport on the source `force` (one that can compute it): for tests and the benchmark, which compare sources. */
export async function shipmentReportOn(db: Db, args: ShipmentReportArgs, force?: ShipmentReportSource): Promise<ShipmentReportResult> {
  const { granularity, attribution, groupBy, window, periods } = commonArgs(args, SHIPMENT_DIMENSIONS);
  const estimates = oneOf(args.estimates, REPORT_ESTIMATES, 'INCLUDE', 'estimates');
  const fill = oneOf(args.fill, REPORT_FILLS, 'ALL_PERIODS', 'fill');
  const placement = { attribution, estimates };
  // asOf and reportedBy are not on the rollup's allow-list: a report as of an instant reads the
  // history, one as reported by a day the records (the rollups hold their current values).
  const filter = { ...shipmentFilter(args.filter), asOf: args.asOf ?? null, reportedBy: await checkReportedBy(db, args.reportedBy, args.asOf) };
  const source = chooseSource(shipmentReportSources(args), force);
  const rows =
    fill === 'NONE'
      ? await withinCellLimit(
          () => countShipmentCells(db, filter, window, groupBy, placement, source),
          (limit) => shipmentReportRows(db, filter, window, groupBy, placement, source, limit, args.figures),
        )
      : await withinBucketLimit(
          periods,
          source === 'direct',
          (max) => countShipmentGroups(db, filter, window, groupBy, placement, max, source),
          (limit) => shipmentReportRows(db, filter, window, groupBy, placement, source, limit, args.figures),
        );
  // The actor slots are there from the start, so that setting them later keeps each object's shape.
  const groups: ShipmentGroup[] = rows.map((r) => ({
    supplierId: r.supplier_id,
    supplierName: r.supplier_name,
    recipientId: r.recipient_id,
    recipientName: r.recipient_name,
    category: r.category,
    status: r.status,
    confidence: r.confidence,
    categoryGroup: r.category_group,
    unit: r.unit,
    supplier: undefined,
    recipient: undefined,
  }));
  const totals: ShipmentTotalRow[] = rows.map((r, g) => {
    const quantity = roundQuantity(r.quantity);
    return withGroup(groups[g], {
      shipments: r.shipments,
      quantity,
      unknownQuantity: r.unknown_quantity,
      quantityLow: roundQuantity(r.quantity_low),
      quantityHigh: roundQuantity(r.quantity_high),
      unknownQuantityLow: r.unknown_quantity_low,
      unknownQuantityHigh: r.unknown_quantity_high,
      estimated: r.estimated,
      exact: isExact(quantity, r.estimated, r.unknown_quantity),
    });
  });
  // Each group's figures come for the periods it has records in; the others get 0 (see periodAxis).
  // Without gap filling the axis keeps the periods in which some group has records.
  const axis = periodAxis(window.start, window.end, granularity, fill === 'NONE' ? new Set(rows.flatMap((r) => r.periods)) : undefined);
  // Figures the selection does not read (ShipmentFigureSet) are not placed: each reads as one shared array of null, 0 or false.
  const figures = args.figures ?? ALL_SHIPMENT_FIGURES;
  const n = axis.periods.length;
  const unread = { sums: new Array<number | null>(n).fill(null), counts: new Array<number>(n).fill(0), flags: new Array<boolean>(n).fill(false) };
  const seriesRows = (): ShipmentSeriesRow[] =>
    rows.map((r, g) => {
      // The group without a unit has no quantity; the others 0 where they have no shipments.
      const none = r.unit === null ? null : 0;
      const at = axis.positions(r.periods);
      const count = (k: number) => axis.place(at, (j) => r.period_counts[j][k], 0);
      const sum = (k: number) => axis.place(at, (j) => roundQuantity(r.period_sums[j][k]), none);
      const quantity = sum(0);
      const unknownQuantity = count(1);
      const estimated = figures.estimated ? count(4) : unread.counts;
      return withGroup(groups[g], {
        shipments: count(0),
        quantity,
        unknownQuantity,
        quantityLow: figures.bounds ? sum(1) : unread.sums,
        quantityHigh: figures.bounds ? sum(2) : unread.sums,
        unknownQuantityLow: figures.bounds ? count(2) : unread.counts,
        unknownQuantityHigh: figures.bounds ? count(3) : unread.counts,
        estimated,
        exact: figures.estimated ? quantity.map((q, i) => isExact(q, estimated[i], unknownQuantity[i])) : unread.flags,
      });
    });
  let series: ShipmentSeriesRow[] | undefined;
  let buckets: ShipmentBucketRow[] | undefined;
  const seriesOf = () => {
    // Without gap filling the buckets are within the limit, but series hold every group at every
    // period some group has records in: as many values as a gap-filled report of those periods.
    const values = rows.length * axis.periods.length;
    if (values > BUCKET_LIMIT) {
      throw new ValidationError(
        'fill',
        `As series this report would have ${values.toLocaleString('en-US')} values (${rows.length.toLocaleString('en-US')} groups × ` +
          `${axis.periods.length.toLocaleString('en-US')} periods), over the limit of ${BUCKET_LIMIT.toLocaleString('en-US')}: read its buckets, or ${BUCKET_ADVICE}`,
      );
    }
    return (series ??= tagRead(seriesRows(), filter.asOf, filter.reportedBy));
  };
  return {
    granularity,
    attribution,
    estimates,
    fill,
    groupBy,
    start: window.start,
    end: window.end,
    totals: tagRead(totals, filter.asOf, filter.reportedBy),
    groups,
    periods: axis.periods,
    // Series and buckets are built on first read, after the GraphQL layer has set the actors on
    // `groups`: a report read as series never builds its thousands of buckets, and one read as
    // buckets without gap filling never builds the groups × periods of its series.
    get series() {
      return seriesOf();
    },
    get buckets() {
      const built = fill === 'NONE' ? sparseBuckets(axis.periods, rows, groups) : shipmentBuckets(axis.periods, seriesOf());
      return (buckets ??= tagRead(built, filter.asOf, filter.reportedBy));
    },
  };
}

/**
 * The buckets of a report without gap filling, straight from its rows: only the periods each
 * group has records in (of a sparse report, a small part of its groups × periods), in the order
 * of shipmentBuckets, with the figures its series would hold there.
 */
function sparseBuckets(periods: readonly Period[], rows: readonly ShipmentReportRow[], groups: readonly ShipmentGroup[]): ShipmentBucketRow[] {
  const position = new Map(periods.map((p, i) => [p.start, i]));
  // Per period, its cells as (group, index in the group's arrays) pairs, the groups in the report's order (that of the rows).
  const cells: number[][] = periods.map(() => []);
  rows.forEach((r, g) => r.periods.forEach((start, k) => cells[position.get(start)!].push(g, k)));
  const buckets: ShipmentBucketRow[] = [];
  cells.forEach((pairs, i) => {
    const { label, start, end } = periods[i];
    for (let c = 0; c < pairs.length; c += 2) {
      const g = pairs[c];
      const k = pairs[c + 1];
      // [shipments, unknown_quantity, unknown_quantity_low, unknown_quantity_high, estimated] and [quantity, low, high].
      const counts = rows[g].period_counts[k];
      const sums = rows[g].period_sums[k];
      const quantity = roundQuantity(sums[0]);
      buckets.push(
        withGroup(groups[g], {
          period: label,
          start,
          end,
          shipments: counts[0],
          quantity,
          unknownQuantity: counts[1],
          quantityLow: roundQuantity(sums[1]),
          quantityHigh: roundQuantity(sums[2]),
          unknownQuantityLow: counts[2],
          unknownQuantityHigh: counts[3],
          estimated: counts[4],
          exact: isExact(quantity, counts[4], counts[1]),
        }),
      );
    }
  });
  return buckets;
}

/** The buckets of a report: period by period, the groups in the report's order within each. */
function shipmentBuckets(periods: readonly Period[], series: readonly ShipmentSeriesRow[]): ShipmentBucketRow[] {
  const buckets: ShipmentBucketRow[] = [];
  periods.forEach(({ label, start, end }, i) => {
    for (const s of series) {
      buckets.push(
        withGroup(s, {
          period: label,
          start,
          end,
          shipments: s.shipments[i],
          quantity: s.quantity[i],
          unknownQuantity: s.unknownQuantity[i],
          quantityLow: s.quantityLow[i],
          quantityHigh: s.quantityHigh[i],
          unknownQuantityLow: s.unknownQuantityLow[i],
          unknownQuantityHigh: s.unknownQuantityHigh[i],
          estimated: s.estimated[i],
          exact: s.exact[i],
        }),
      );
    }
  });
  return buckets;
}

/**
 * A report row: its group's dimensions and actors, then `figures`. Written out, not spread: V8
 * gives every `{ ...group, more }` a shape of its own, which made building a report's rows most
 * of its CPU time and garbage (docs/decisions/row-objects.md).
 */
function withGroup<F extends object>(g: ShipmentGroup, figures: F): ShipmentGroup & F {
  const row: ShipmentGroup = {
    supplierId: g.supplierId,
    supplierName: g.supplierName,
    recipientId: g.recipientId,
    recipientName: g.recipientName,
    category: g.category,
    status: g.status,
    confidence: g.confidence,
    categoryGroup: g.categoryGroup,
    unit: g.unit,
    supplier: g.supplier,
    recipient: g.recipient,
  };
  return Object.assign(row, figures);
}

/** Events per period and group (see EventBucket in schema.graphql for how they are counted). */
export function eventStats(db: Db, args: EventStatsArgs): Promise<EventBucketRow[]> {
  return eventStatsOn(db, args);
}

/** eventStats on the source `force` (one that can compute it): for tests and the benchmark, which compare sources. */
export async function eventStatsOn(db: Db, args: EventStatsArgs, force?: ReportSource): Promise<EventBucketRow[]> {
  const { granularity, attribution, groupBy, window, periods } = commonArgs(args, EVENT_DIMENSIONS);
  const filter = { ...eventFilter(args.filter), asOf: args.asOf ?? null, reportedBy: await checkReportedBy(db, args.reportedBy, args.asOf) };
  const source = chooseSource(eventStatsSources(args), force);
  const rows = await withinBucketLimit(
    periods,
    source === 'direct',
    (max) => countEventGroups(db, filter, window, groupBy, attribution, max, source),
    (limit) => eventStatsRows(db, filter, window, groupBy, attribution, source, limit, args.fatalities ?? false),
  );
  // Each group's figures come for the periods it has records in; the others get 0 (see periodAxis).
  const axis = periodAxis(window.start, window.end, granularity);
  const events = rows.map((r) => axis.spread(r.periods, r.period_events, 0));
  // A period without events has no fatalities: 0, as a shipment group's quantity; bounds 0 too.
  const spread = (r: (typeof rows)[number], values: (number | null)[] | undefined) =>
    values ? axis.spread(r.periods, values.map(roundQuantity), 0) : undefined;
  const fatalities = rows.map((r) => ({
    best: spread(r, r.period_fatalities),
    low: spread(r, r.period_fatalities_low),
    high: spread(r, r.period_fatalities_high),
    unknown: r.period_unknown_fatalities && axis.spread(r.periods, r.period_unknown_fatalities, 0),
    estimated: r.period_estimated_fatalities && axis.spread(r.periods, r.period_estimated_fatalities, 0),
  }));
  // Period by period, the groups in the report's order within each (the rows come in that order).
  const buckets: EventBucketRow[] = [];
  axis.periods.forEach(({ label, start, end }, i) => {
    rows.forEach((r, g) => {
      const bucket: EventBucketRow = {
        period: label,
        start,
        end,
        type: r.type,
        actorId: r.actor_id,
        actorName: r.actor_name,
        country: r.country,
        confidence: r.confidence,
        events: events[g][i],
      };
      // Assigned, not spread in: see withGroup.
      const f = fatalities[g];
      if (f.unknown) {
        bucket.fatalities = f.best![i];
        bucket.fatalitiesLow = f.low![i];
        bucket.fatalitiesHigh = f.high![i];
        bucket.unknownFatalities = f.unknown[i];
        bucket.estimatedFatalities = f.estimated![i];
        bucket.fatalitiesExact = bucket.fatalities !== null && f.unknown[i] === 0 && f.estimated![i] === 0;
      }
      buckets.push(bucket);
    });
  });
  return tagRead(buckets, filter.asOf, filter.reportedBy);
}
