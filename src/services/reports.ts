// Reports: shipments and events bucketed by calendar period. Validates the request, refuses
// one that would produce too many buckets before the report query runs, and turns the rows
// PostgreSQL computes (src/db/queries/reports.ts) into buckets with period labels.
// Used by GraphQL (shipmentReport, eventStats), the CSV export and `npm run report`.
import { isValidDate } from '../domain/dateSpan';
import { ValidationError } from '../domain/errors';
import { checkIds } from '../domain/ids';
import { checkMinSources } from '../domain/validation';
import {
  ATTRIBUTIONS,
  countPeriods,
  GRANULARITIES,
  periodAxis,
  periodEnd,
  periodStart,
  roundQuantity,
  type Attribution,
  type Granularity,
  type Period,
} from '../domain/periods';
import type { Db } from '../db/client';
import type { EventListFilter, ShipmentListFilter } from '../db/queries/lists';
import {
  countEventGroups,
  countShipmentGroups,
  EVENT_DIMENSIONS,
  eventStatsRows,
  SHIPMENT_DIMENSIONS,
  shipmentReportRows,
  type EventDimension,
  type ReportSource,
  type ShipmentDimension,
  type ShipmentReportSource,
  type Window,
} from '../db/queries/reports';
import { tagAsOf } from './history';

export type { Attribution, Granularity } from '../domain/periods';
export type { EventDimension, ReportSource, ShipmentDimension, ShipmentReportSource } from '../db/queries/reports';
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
}

export interface ShipmentReportArgs extends ReportArgs<ShipmentDimension> {
  filter?: ShipmentListFilter | null;
}

export interface EventStatsArgs extends ReportArgs<EventDimension> {
  filter?: EventListFilter | null;
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
  unit: string | null;
  /** The loaded actors, when the GraphQL layer has set them (src/graphql/resolvers/reports.ts). */
  supplier?: unknown;
  recipient?: unknown;
}

export interface ShipmentTotalRow extends ShipmentGroup {
  /** Distinct shipments attributed to the window. */
  shipments: number;
  /** Known quantity inside the window; null when none is known (or there is no unit). */
  quantity: number | null;
  unknownQuantity: number;
}

/** A group with its figures per period, at the positions of ShipmentReportResult.periods. */
export interface ShipmentSeriesRow extends ShipmentGroup {
  shipments: number[];
  quantity: (number | null)[];
  unknownQuantity: number[];
}

export interface ShipmentBucketRow extends ShipmentTotalRow {
  period: string;
  start: string;
  end: string;
}

export interface ShipmentReportResult {
  granularity: Granularity;
  attribution: Attribution;
  groupBy: ShipmentDimension[];
  /** First day of the first period. */
  start: string;
  /** Last day of the last period. */
  end: string;
  buckets: ShipmentBucketRow[];
  totals: ShipmentTotalRow[];
  /** The report's periods in order. */
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
        'use a coarser granularity, a shorter window, fewer groupBy dimensions or a narrower filter',
    );
  }
}

/**
 * A report's rows within the bucket limit. Directly on the records, where a report over the limit
 * could run long before it knew, a cheap count of groups (stopped at the limit) comes first. On a
 * rollup the report statement itself stops past `maxGroups` groups and returns nothing (see
 * groupLimit in db/queries/reports.ts): one statement instead of two, and the count (run only
 * when nothing came back) tells an empty report from a refused one.
 */
async function withinBucketLimit<R>(
  periods: number,
  direct: boolean,
  countGroups: (max: number) => Promise<number>,
  report: (maxGroups?: number) => Promise<R[]>,
): Promise<R[]> {
  const maxGroups = Math.floor(BUCKET_LIMIT / periods);
  if (direct) {
    await checkBucketLimit(periods, maxGroups, countGroups);
    return report();
  }
  const rows = await report(maxGroups);
  if (!rows.length) await checkBucketLimit(periods, maxGroups, countGroups);
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
  };
}

// The monthly rollups answer a report only when everything it asks for is something they
// know: allow-lists, not deny-lists, so that an argument or a filter added later (and not
// known here) falls back to the direct computation instead of being silently ignored.
const ROLLUP_ARGS = ['from', 'to', 'granularity', 'groupBy', 'attribution', 'filter'];
const ROLLUP_GRANULARITIES: readonly Granularity[] = ['MONTH', 'QUARTER', 'YEAR'];
const SHIPMENT_ROLLUP_FILTERS = ['supplierIds', 'recipientIds', 'categories', 'statuses', 'minConfidence'];
const SHIPMENT_ROLLUP_DIMENSIONS: readonly ShipmentDimension[] = ['SUPPLIER', 'RECIPIENT', 'CATEGORY', 'STATUS', 'CONFIDENCE'];
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
export function reportSource(
  args: ReportArgs<string> & { filter?: object | null },
  filters: readonly string[],
  dimensions: readonly string[],
): ReportSource {
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
  return reportSource(args, EVENT_ROLLUP_FILTERS, EVENT_ROLLUP_DIMENSIONS) === 'rollup' ? ['rollup', 'direct'] : ['direct'];
}

/** `force` (tests, benchmarks) computes the report on the given source, which must be one that can. */
function chooseSource<S extends string>(sources: readonly S[], force?: S): S {
  if (force && !sources.includes(force)) throw new Error(`This report cannot be computed on the ${force} source`);
  return force ?? sources[0];
}

/** Shipments per period and group, with per-group totals over the window. */
export async function shipmentReport(db: Db, args: ShipmentReportArgs, force?: ShipmentReportSource): Promise<ShipmentReportResult> {
  const { granularity, attribution, groupBy, window, periods } = commonArgs(args, SHIPMENT_DIMENSIONS);
  // asOf is not on the rollup's allow-list: a report as of an instant reads the history.
  const filter = { ...shipmentFilter(args.filter), asOf: args.asOf ?? null };
  const source = chooseSource(shipmentReportSources(args), force);
  const rows = await withinBucketLimit(
    periods,
    source === 'direct',
    (max) => countShipmentGroups(db, filter, window, groupBy, attribution, max, source),
    (maxGroups) => shipmentReportRows(db, filter, window, groupBy, attribution, source, maxGroups),
  );
  const groups: ShipmentGroup[] = rows.map((r) => ({
    supplierId: r.supplier_id,
    supplierName: r.supplier_name,
    recipientId: r.recipient_id,
    recipientName: r.recipient_name,
    category: r.category,
    status: r.status,
    confidence: r.confidence,
    unit: r.unit,
  }));
  const totals: ShipmentTotalRow[] = rows.map((r, g) => ({ ...groups[g], shipments: r.shipments, quantity: roundQuantity(r.quantity), unknownQuantity: r.unknown_quantity }));
  // Each group's figures come for the periods it has records in; the others get 0 (see periodAxis).
  const axis = periodAxis(window.start, window.end, granularity);
  const series: ShipmentSeriesRow[] = rows.map((r, g) => ({
    ...groups[g],
    shipments: axis.spread(r.periods, r.period_shipments, 0),
    // The group without a unit has no quantity; the others 0 where they have no shipments.
    quantity: axis.spread(r.periods, r.period_quantity.map(roundQuantity), r.unit === null ? null : 0),
    unknownQuantity: axis.spread(r.periods, r.period_unknown_quantity, 0),
  }));
  const taggedSeries = tagAsOf(series, filter.asOf);
  let buckets: ShipmentBucketRow[] | undefined;
  return {
    granularity,
    attribution,
    groupBy,
    start: window.start,
    end: window.end,
    totals: tagAsOf(totals, filter.asOf),
    periods: axis.periods,
    series: taggedSeries,
    // Built on first read: a report read as series (GraphQL `series`) never builds its thousands
    // of buckets. They carry what their group's series row carries when read (see shipmentBuckets).
    get buckets() {
      return (buckets ??= tagAsOf(shipmentBuckets(axis.periods, taggedSeries), filter.asOf));
    },
  };
}

/**
 * The buckets of a report: period by period, the groups in the report's order within each.
 * Properties written out rather than spread from the group: a 10-year monthly report makes
 * thousands of buckets, and spreading them was ~10% of the server's CPU on it (bench/README.md).
 * The actors the GraphQL layer sets on a series row (`supplier`, `recipient`) go with it.
 */
function shipmentBuckets(periods: readonly Period[], series: readonly ShipmentSeriesRow[]): ShipmentBucketRow[] {
  const buckets: ShipmentBucketRow[] = [];
  periods.forEach(({ label, start, end }, i) => {
    for (const s of series) {
      buckets.push({
        period: label,
        start,
        end,
        supplierId: s.supplierId,
        supplierName: s.supplierName,
        supplier: s.supplier,
        recipientId: s.recipientId,
        recipientName: s.recipientName,
        recipient: s.recipient,
        category: s.category,
        status: s.status,
        confidence: s.confidence,
        unit: s.unit,
        shipments: s.shipments[i],
        quantity: s.quantity[i],
        unknownQuantity: s.unknownQuantity[i],
      });
    }
  });
  return buckets;
}

/** Events per period and group (see EventBucket in schema.graphql for how they are counted). */
export async function eventStats(db: Db, args: EventStatsArgs, force?: ReportSource): Promise<EventBucketRow[]> {
  const { granularity, attribution, groupBy, window, periods } = commonArgs(args, EVENT_DIMENSIONS);
  const filter = { ...eventFilter(args.filter), asOf: args.asOf ?? null };
  const source = chooseSource(eventStatsSources(args), force);
  const rows = await withinBucketLimit(
    periods,
    source === 'direct',
    (max) => countEventGroups(db, filter, window, groupBy, attribution, max, source),
    (maxGroups) => eventStatsRows(db, filter, window, groupBy, attribution, source, maxGroups),
  );
  // Each group's figures come for the periods it has records in; the others get 0 (see periodAxis).
  const axis = periodAxis(window.start, window.end, granularity);
  const events = rows.map((r) => axis.spread(r.periods, r.period_events, 0));
  // Period by period, the groups in the report's order within each (the rows come in that order).
  const buckets: EventBucketRow[] = [];
  axis.periods.forEach(({ label, start, end }, i) => {
    rows.forEach((r, g) => {
      buckets.push({
        period: label,
        start,
        end,
        type: r.type,
        actorId: r.actor_id,
        actorName: r.actor_name,
        country: r.country,
        confidence: r.confidence,
        events: events[g][i],
      });
    });
  });
  return tagAsOf(buckets, filter.asOf);
}
