// Report queries: shipments and events bucketed by calendar period, computed in
// PostgreSQL in one statement per report — never by loading rows into Node.
//
// Shape of each statement:
//   parts    one row per record × period it is attributed to: under PRO_RATA a LATERAL
//            generate_series over the periods its span overlaps (clipped to the window),
//            under START/END the one period (date_trunc) of its first/last day; or, from
//            the monthly rollup (see ReportSource), one row per rollup row of the window
//   agg      parts grouped by the groupBy dimensions (+ unit), period
//   groups   agg grouped again by the dimensions: one row per group present in the window,
//            with (shipments) its totals, and the figures of its periods as arrays
//   named    the groups with their actors' names, in the report's order
// Periods in which a group has nothing are not in its arrays: services/reports.ts fills them
// (see ShipmentReportRow).
//
// Written with Prisma.sql fragments and run through db.prisma.$queryRaw, like lists.ts. Prisma's
// TypedSQL (prisma/sql/*.sql + `prisma generate --sql`) would type the rows, but it needs a
// live database at generate time (it asks PostgreSQL to describe each statement), which
// `npm install` on a fresh or offline machine does not have; and its statements are fixed
// text, while these vary with groupBy and the filter. Rows are typed by hand below and every
// column is aliased and cast (::text, ::int, ::float8) so its JS type is certain.
//
// Calendar arithmetic stays on `date` and `timestamp without time zone`: date_trunc() on a
// bare `date` would pick the timestamptz overload and truncate in the session's time zone.
import { Prisma } from '../../generated/prisma/client';
import { CATEGORY_GROUP, SHIPMENT_CATEGORY_GROUPS } from '../../domain/categories';
import { OPEN_END_EDTF } from '../../domain/dateSpan';
import type { Attribution, Granularity, ReportEstimates } from '../../domain/periods';
import type { Db } from '../client';
import { unprepared } from '../prepared';
import { onReplica } from '../replicas';
import { PARTITIONED, spanStartLowerBound, type PartitionedTable } from '../partitions';
import { relationAsOf } from './history';
import { recordsRelation, type ReportedFilter } from './reported';
import { eventColumnConditions, eventConditions, shipmentColumnConditions, shipmentConditions, type EventListFilter, type ShipmentListFilter } from './lists';

export type ShipmentDimension = 'SUPPLIER' | 'RECIPIENT' | 'CATEGORY' | 'STATUS' | 'CONFIDENCE' | 'CATEGORY_GROUP';
export type EventDimension = 'TYPE' | 'ACTOR' | 'COUNTRY' | 'CONFIDENCE';

export const SHIPMENT_DIMENSIONS: readonly ShipmentDimension[] = ['SUPPLIER', 'RECIPIENT', 'CATEGORY', 'STATUS', 'CONFIDENCE', 'CATEGORY_GROUP'];
export const EVENT_DIMENSIONS: readonly EventDimension[] = ['TYPE', 'ACTOR', 'COUNTRY', 'CONFIDENCE'];

/** date_trunc field and generate_series step of each granularity (a fixed list: safe as raw SQL). */
const STEP: Record<Granularity, { field: string; interval: string }> = {
  DAY: { field: 'day', interval: '1 day' },
  WEEK: { field: 'week', interval: '1 week' }, // date_trunc('week') is the ISO week's Monday
  MONTH: { field: 'month', interval: '1 month' },
  QUARTER: { field: 'quarter', interval: '3 months' },
  YEAR: { field: 'year', interval: '1 year' },
};

/** The report window: first day of the first period and last day of the last one. */
export interface Window {
  start: string;
  end: string;
  granularity: Granularity;
}

interface Dimension {
  /** Column of the CTEs and of the result. */
  name: string;
  /** Expression over the source row when grouped by it. */
  expr: string;
  /** SQL type, for the NULL that stands in when not grouped by it. */
  type: string;
}

/**
 * A category's group (src/domain/categories.ts), derived when the report runs rather than kept
 * in the tables: the rollups keep the category, so they serve this dimension as they are.
 */
const CATEGORY_GROUP_SQL = `CASE s.category::text ${Object.entries(CATEGORY_GROUP)
  .map(([c, g]) => `WHEN '${c}' THEN '${g}'`)
  .join(' ')} END`;
/** Groups sort in their declared order, as the enums do. */
const CATEGORY_GROUP_ORDER = `array_position(ARRAY[${SHIPMENT_CATEGORY_GROUPS.map((g) => `'${g}'`).join(', ')}], n.category_group)`;

const SHIPMENT_DIMS: Record<ShipmentDimension, Dimension> = {
  SUPPLIER: { name: 'supplier_id', expr: 's.supplier_id', type: 'uuid' },
  RECIPIENT: { name: 'recipient_id', expr: 's.recipient_id', type: 'uuid' },
  CATEGORY: { name: 'category', expr: 's.category', type: '"ShipmentCategory"' },
  STATUS: { name: 'status', expr: 's.status', type: '"ShipmentStatus"' },
  CONFIDENCE: { name: 'confidence', expr: 's.confidence', type: '"Confidence"' },
  CATEGORY_GROUP: { name: 'category_group', expr: CATEGORY_GROUP_SQL, type: 'text' },
};

const EVENT_DIMS: Record<EventDimension, Dimension> = {
  TYPE: { name: 'type', expr: 'e.type', type: '"EventType"' },
  ACTOR: { name: 'actor_id', expr: 'ep.actor_id', type: 'uuid' },
  COUNTRY: { name: 'country', expr: 'e.location_country_code::text', type: 'text' },
  CONFIDENCE: { name: 'confidence', expr: 'e.confidence', type: '"Confidence"' },
};

/** `expr AS name` for grouped dimensions, `NULL::type AS name` for the others: every CTE has every column. */
function dimensionColumns<D extends string>(all: Record<D, Dimension>, groupBy: readonly D[]): Prisma.Sql {
  return Prisma.raw(
    (Object.keys(all) as D[]).map((d) => (groupBy.includes(d) ? `${all[d].expr} AS ${all[d].name}` : `NULL::${all[d].type} AS ${all[d].name}`)).join(', '),
  );
}

function names(all: Record<string, Dimension>, prefix = ''): string {
  return Object.values(all)
    .map((d) => `${prefix}${d.name}`)
    .join(', ');
}

function and(conditions: Prisma.Sql[]): Prisma.Sql {
  return conditions.length ? Prisma.join(conditions, ' AND ') : Prisma.sql`TRUE`;
}

/**
 * How a record with span [startCol, endCol] is attributed to periods: a FROM-clause tail, the
 * window condition, the columns `period_start` and `first` (true on exactly one row of each
 * record, so totals count it once) and the `share` of its quantity each row gets.
 */
function attribution(w: Window, how: Attribution, startCol: string, endCol: string) {
  const step = STEP[w.granularity];
  const field = Prisma.raw(`'${step.field}'`);
  const interval = Prisma.raw(`'${step.interval}'::interval`);
  const s = Prisma.raw(startCol);
  const e = Prisma.raw(endCol);
  if (how === 'PRO_RATA') {
    // Periods the span overlaps, clipped to the window; share = days inside / days of the span.
    return {
      join: Prisma.sql`CROSS JOIN LATERAL (
          SELECT p.g::date AS period_start, p.n = 1 AS first,
                 (LEAST(${e}, (p.g + ${interval})::date - 1) - GREATEST(${s}, p.g::date) + 1)::float8
                   / (${e} - ${s} + 1) AS share
          FROM generate_series(date_trunc(${field}, GREATEST(${s}, ${w.start}::date)::timestamp),
                               LEAST(${e}, ${w.end}::date)::timestamp, ${interval}) WITH ORDINALITY AS p(g, n)
        ) AS a`,
      window: Prisma.sql`${e} >= ${w.start}::date AND ${s} <= ${w.end}::date`,
      columns: Prisma.sql`a.period_start, a.first`,
      share: Prisma.sql`a.share`,
    };
  }
  const day = how === 'START' ? s : e;
  return {
    join: Prisma.empty,
    window: Prisma.sql`${day} BETWEEN ${w.start}::date AND ${w.end}::date`,
    columns: Prisma.sql`date_trunc(${field}, ${day}::timestamp)::date AS period_start, TRUE AS first`,
    share: Prisma.sql`1`,
  };
}

/**
 * attribution() over the live events or shipments (alias e or s), or their history with asOf.
 * On the live, partitioned tables the window also bounds the partition key on both sides, so
 * that the yearly partitions outside it are pruned (spanStartLowerBound); not on the records as
 * reported by a day, whose claimed spans the table's longest span does not bound.
 */
function spanAttribution(w: Window, how: Attribution, table: PartitionedTable, f: ReportedFilter) {
  const { start, end } = PARTITIONED[table];
  const alias = table === 'events' ? 'e' : 's';
  const a = attribution(w, how, `${alias}.${start}`, `${alias}.${end}`);
  if (f.asOf || f.reportedBy) return a;
  return { ...a, window: Prisma.sql`${a.window} AND ${spanStartLowerBound(table, alias, w.start)} AND ${Prisma.raw(`${alias}.${start}`)} <= ${w.end}::date` };
}

/**
 * The bucket limit inside a report statement: past `max` of what it counts (its groups, or with
 * `cells` its non-empty group × period cells, the `agg` rows: a report without gap filling) it
 * returns no rows at all. The bucket-limit check then needs no statement of its own
 * (services/reports.ts counts only when a report comes back empty, to tell empty from refused).
 */
export interface ReportLimit {
  max: number;
  cells?: boolean;
}

function reportLimit(limit: ReportLimit | undefined): Prisma.Sql {
  if (!limit) return Prisma.empty;
  return Prisma.sql`WHERE (SELECT count(*) FROM ${Prisma.raw(limit.cells ? 'agg' : 'groups')}) <= ${limit.max}`;
}

/** Runs a report statement, planned for its parameters (JIT is off on every pooled connection: see sessionSettingsSql). */
function run<T>(db: Db, statement: Prisma.Sql, asOf: string | null | undefined): Promise<T[]> {
  return onReplica(db, (r) => r.$queryRaw<T[]>(unprepared(statement)), asOf);
}

// ------------------------------------------------------------------------------ shipments

/**
 * One group of a shipment report, in the report's order: its dimensions, its totals over the
 * window, and the figures of the periods it has shipments in: `periods` holds their first days
 * (in no particular order) and the period_* arrays the figures at the same positions. Arrays
 * rather than a row per bucket: the statement's output stage (a row, its names and casts per
 * bucket and a sort of them all) was half of a monthly 10-year report's time; and only the
 * periods present, because filling the gaps here (groups × periods, joined back to the figures
 * and sorted per group) was more than half of what remained (services/reports.ts fills them).
 *
 * quantity is the sum of the known best values (null when none is known); quantity_low and
 * quantity_high the sums of the low and high bounds, null when any part's bound is unknown
 * (unknown_quantity_low/_high count those parts); estimated counts the parts that are estimates
 * (isEstimatedPart in src/domain/periods.ts). A total counts each shipment once: estimated, the
 * shipments with an estimated part in the window.
 */
export interface ShipmentReportRow {
  supplier_id: string | null;
  supplier_name: string | null;
  recipient_id: string | null;
  recipient_name: string | null;
  category: string | null;
  status: string | null;
  confidence: string | null;
  category_group: string | null;
  unit: string | null;
  shipments: number;
  quantity: number | null;
  unknown_quantity: number;
  quantity_low: number | null;
  quantity_high: number | null;
  unknown_quantity_low: number;
  unknown_quantity_high: number;
  estimated: number;
  // The per-period figures arrive as JSON arrays (decoded by the native JSON.parse) rather than
  // PostgreSQL arrays (pg's array parser is JavaScript, and showed in profiles of large reports).
  // The figures of a period come as two small arrays (counts, sums), not one array per figure:
  // fewer aggregates per group, so that PostgreSQL still groups the periods by hashing (planned
  // with one array per figure, the aggregates' state no longer fit in memory and it sorted them
  // first, which more than doubled the report's time).
  periods: string[];
  /** Per period: [shipments, unknown_quantity, unknown_quantity_low, unknown_quantity_high, estimated]. */
  period_counts: [number, number, number, number, number][];
  /** Per period: [quantity, quantity_low, quantity_high], as the totals. */
  period_sums: [number | null, number | null, number | null][];
}

/**
 * Where a report reads its records from: `direct` spreads the live records themselves over
 * the periods; `rollup` sums their monthly rollup (shipment_month_rollup, event_month_rollup,
 * kept by triggers: see their migration), which can serve whole-month periods, the filters
 * on the rollup's columns and the dimensions it keeps (services/reports.ts decides). Both
 * give the same report.
 */
export type ReportSource = 'direct' | 'rollup';

/**
 * Shipments have a second, coarser rollup, `pairRollup` (shipment_pair_month_rollup: month,
 * supplier, recipient and unit only; migration 20261201170000_shipment_pair_rollup), for the
 * reports that neither group nor filter by category, status or confidence.
 */
export type ShipmentReportSource = ReportSource | 'pairRollup';

const SHIPMENT_ROLLUP_TABLES: Record<Exclude<ShipmentReportSource, 'direct'>, Prisma.Sql> = {
  rollup: Prisma.raw('shipment_month_rollup'),
  pairRollup: Prisma.raw('shipment_pair_month_rollup'),
};

/**
 * An event rollup row's count under an attribution (columns of the rollup aliased `alias`).
 * PRO_RATA counts a record once per period from monthly rows: in the period's first month
 * (`first` true) every record overlapping that month, in its later months only those starting
 * there (proof in the migration). START/END take the records starting/ending in the month.
 */
function rollupFigures(how: Attribution, alias: string, first: Prisma.Sql) {
  const col = (name: string) => Prisma.raw(`${alias}.${name}`);
  if (how === 'PRO_RATA') {
    return {
      records: Prisma.sql`CASE WHEN ${first} THEN ${col('overlapping')} ELSE ${col('starting')} END`,
      /** Records attributed to the month at all (> 0: the row counts). */
      present: col('overlapping'),
    };
  }
  const which = how === 'START' ? 'starting' : 'ending';
  return { records: col(which), present: col(which) };
}

/** How a shipment report places quantities: the attribution, and whether estimated parts stay. */
export interface Placement {
  attribution: Attribution;
  estimates: ReportEstimates;
}

/**
 * A shipment rollup row's figures (columns of the rollup aliased s, migration
 * 20261207500000_report_estimates) for the period it is read into, whose first month is the
 * row's when `first`: the records attributed to the period (counted as rollupFigures counts
 * them), those of unknown best value, low or high bound, the estimated ones, and the sums.
 * Under PRO_RATA the exact records placed whole are those starting in the period's months and
 * ending in the same period (exact_month, _quarter, _year); under START/END every exact record
 * starting/ending in it. With EXCLUDE a period keeps only those and the unquantified records.
 */
function shipmentRollupFigures(p: Placement, g: Granularity, first: Prisma.Sql) {
  const col = (name: string) => Prisma.raw(`s.${name}`);
  const how = p.attribution;
  const attributed = (prefix: string) =>
    how === 'PRO_RATA'
      ? Prisma.sql`CASE WHEN ${first} THEN ${col(`${prefix}overlapping`)} ELSE ${col(`${prefix}starting`)} END`
      : col(`${prefix}${how === 'START' ? 'starting' : 'ending'}`);
  const sum = { PRO_RATA: 'pro_rata', START: 'start', END: 'end' }[how];
  const exactKey = how === 'PRO_RATA' ? g.toLowerCase() : how === 'START' ? 'starting' : 'ending';
  const exact = col(`exact_${exactKey}`);
  const exactQuantity = col(`exact_quantity_${how === 'PRO_RATA' ? g.toLowerCase() : sum}`);
  const unquantified = attributed('unquantified_');
  if (p.estimates === 'EXCLUDE') {
    return {
      records: Prisma.sql`${unquantified} + ${exact}`,
      unknown: unquantified,
      unknownLow: unquantified,
      unknownHigh: unquantified,
      estimated: Prisma.sql`0`,
      quantity: exactQuantity,
      low: exactQuantity,
      high: exactQuantity,
      present: Prisma.sql`${col(how === 'PRO_RATA' ? 'unquantified_overlapping' : `unquantified_${exactKey}`)} + ${exact}`,
    };
  }
  return {
    records: attributed(''),
    unknown: attributed('unknown_'),
    unknownLow: attributed('unknown_low_'),
    unknownHigh: attributed('unknown_high_'),
    estimated: Prisma.sql`${attributed('')} - ${unquantified} - ${exact}`,
    quantity: col(`quantity_${sum}`),
    low: col(`quantity_low_${sum}`),
    high: col(`quantity_high_${sum}`),
    present: col(how === 'PRO_RATA' ? 'overlapping' : exactKey),
  };
}

/** The period (of the window's granularity) of a rollup row's month. */
function rollupPeriod(w: Window, month: string): Prisma.Sql {
  return Prisma.raw(w.granularity === 'MONTH' ? month : `date_trunc('${STEP[w.granularity].field}', ${month}::timestamp)::date`);
}

/**
 * Whether a rollup row's month is the first of its period: always by MONTH (a constant the
 * planner folds into every figure's CASE), else one comparison per figure.
 */
function firstOfPeriod(w: Window, month: string): Prisma.Sql {
  return w.granularity === 'MONTH' ? Prisma.sql`TRUE` : Prisma.sql`${Prisma.raw(month)} = ${rollupPeriod(w, month)}`;
}

/** The rollup rows of the window (whole months: the window starts and ends on period bounds). */
function rollupWindow(w: Window, month: string): Prisma.Sql {
  return Prisma.sql`${Prisma.raw(month)} BETWEEN ${w.start}::date AND ${w.end}::date`;
}

// ------------------------------------------------------------------------------ shipments

/** Shipment dimensions over the rollup: the same columns, but '' stands for "no unit" there. */
const SHIPMENT_ROLLUP_UNIT = Prisma.raw(`nullif(s.unit, '') AS unit`);

/**
 * Whether a record's part of a figure is an estimate (isEstimatedPart in src/domain/periods.ts),
 * as one condition on the record: under PRO_RATA a span whose first and last days are in
 * different periods is split, so each of its parts is a share; within one period it is whole.
 */
function estimatedPart(how: Attribution, g: Granularity, c: { qualifier: string; start: string; end: string; open: string }): Prisma.Sql {
  const split = how === 'PRO_RATA' ? ` OR date_trunc('${STEP[g].field}', ${c.start}::timestamp) <> date_trunc('${STEP[g].field}', ${c.end}::timestamp)` : '';
  return Prisma.raw(`(${c.qualifier} IS NOT NULL AND (${c.qualifier} <> 'EXACT' OR ${c.open}${split}))`);
}

/** Whether shipment s's part of the quantities is an estimate. */
function estimatedShipment(how: Attribution, g: Granularity): Prisma.Sql {
  return estimatedPart(how, g, { qualifier: 's.quantity_qualifier', start: 's.delivery_start', end: 's.delivery_end', open: 's.delivery_open' });
}

/** Whether event e's part of the fatalities is an estimate; its span's openness is read from its EDTF as delivery_open's check does. */
function estimatedFatalities(how: Attribution, g: Granularity): Prisma.Sql {
  const open = `(e.span_edtf IS NOT NULL AND e.span_edtf ~ '${OPEN_END_EDTF.source}')`;
  return estimatedPart(how, g, { qualifier: 'e.fatalities_qualifier', start: 'e.span_start', end: 'e.span_end', open });
}

/**
 * The `parts` and `agg` CTEs of a shipment report: per group, unit and period, the shipments
 * attributed to it, the sums of their known best values, low and high bounds (the best null when
 * none is known), the counts of unknown ones and of estimated parts, and the `*firsts`, which
 * count each shipment once over the window (for the totals).
 */
function shipmentAggregates(
  filter: ShipmentListFilter,
  w: Window,
  groupBy: readonly ShipmentDimension[],
  p: Placement,
  source: ShipmentReportSource,
): Prisma.Sql {
  const dims = Prisma.raw(names(SHIPMENT_DIMS));
  if (source !== 'direct') {
    const period = rollupPeriod(w, 's.month');
    const f = shipmentRollupFigures(p, w.granularity, firstOfPeriod(w, 's.month'));
    const t = shipmentRollupFigures(p, w.granularity, Prisma.sql`s.month = ${w.start}::date`);
    return Prisma.sql`
    parts AS (
      SELECT ${dimensionColumns(SHIPMENT_DIMS, groupBy)}, ${SHIPMENT_ROLLUP_UNIT}, ${period} AS period_start,
             ${f.records} AS shipments, ${f.unknown} AS unknown_quantity, ${f.quantity} AS quantity,
             ${f.unknownLow} AS unknown_quantity_low, ${f.low} AS quantity_low,
             ${f.unknownHigh} AS unknown_quantity_high, ${f.high} AS quantity_high, ${f.estimated} AS estimated,
             ${t.records} AS firsts, ${t.unknown} AS unknown_firsts, ${t.unknownLow} AS unknown_low_firsts,
             ${t.unknownHigh} AS unknown_high_firsts, ${t.estimated} AS estimated_firsts
      FROM ${SHIPMENT_ROLLUP_TABLES[source]} s
      WHERE ${rollupWindow(w, 's.month')} AND ${f.present} > 0 AND ${and(shipmentColumnConditions(filter))}
    ),
    agg AS (
      SELECT ${dims}, unit, period_start, sum(shipments)::int AS shipments,
             CASE WHEN sum(shipments) > sum(unknown_quantity) THEN sum(quantity) END AS quantity,
             sum(unknown_quantity)::int AS unknown_quantity,
             sum(quantity_low) AS quantity_low, sum(unknown_quantity_low)::int AS unknown_quantity_low,
             sum(quantity_high) AS quantity_high, sum(unknown_quantity_high)::int AS unknown_quantity_high,
             sum(estimated)::int AS estimated,
             sum(firsts)::int AS firsts, sum(unknown_firsts)::int AS unknown_firsts, sum(unknown_low_firsts)::int AS unknown_low_firsts,
             sum(unknown_high_firsts)::int AS unknown_high_firsts, sum(estimated_firsts)::int AS estimated_firsts
      FROM parts
      GROUP BY ${dims}, unit, period_start
    )`;
  }
  const a = spanAttribution(w, p.attribution, 'shipments', filter);
  const estimated = estimatedShipment(p.attribution, w.granularity);
  const keep = p.estimates === 'EXCLUDE' ? Prisma.sql` AND NOT ${estimated}` : Prisma.empty;
  return Prisma.sql`
    parts AS (
      SELECT ${dimensionColumns(SHIPMENT_DIMS, groupBy)}, s.unit, ${a.columns}, s.quantity * ${a.share} AS quantity,
             s.quantity_low * ${a.share} AS quantity_low, s.quantity_high * ${a.share} AS quantity_high, ${estimated} AS estimated
      FROM ${recordsRelation('shipments', filter)} s ${a.join}
      WHERE ${and(shipmentConditions(filter, 'set'))} AND ${a.window}${keep}
    ),
    agg AS (
      SELECT ${dims}, unit, period_start,
             count(*)::int AS shipments,
             sum(quantity) AS quantity,
             count(*) FILTER (WHERE quantity IS NULL)::int AS unknown_quantity,
             sum(quantity_low) AS quantity_low,
             count(*) FILTER (WHERE quantity_low IS NULL)::int AS unknown_quantity_low,
             sum(quantity_high) AS quantity_high,
             count(*) FILTER (WHERE quantity_high IS NULL)::int AS unknown_quantity_high,
             count(*) FILTER (WHERE estimated)::int AS estimated,
             count(*) FILTER (WHERE first)::int AS firsts,
             count(*) FILTER (WHERE first AND quantity IS NULL)::int AS unknown_firsts,
             count(*) FILTER (WHERE first AND quantity_low IS NULL)::int AS unknown_low_firsts,
             count(*) FILTER (WHERE first AND quantity_high IS NULL)::int AS unknown_high_firsts,
             count(*) FILTER (WHERE first AND estimated)::int AS estimated_firsts
      FROM parts
      GROUP BY ${dims}, unit, period_start
    )`;
}

/**
 * Buckets (every period × every group present, zeros included) and per-group totals, in one
 * statement. A bucket's quantity is the known quantity attributed to it (null when all of its
 * shipments have an unknown quantity, 0 when it has none); unknown quantities are only counted.
 */
export async function shipmentReportRows(db: Db, ...args: Parameters<typeof shipmentReportSql>): Promise<ShipmentReportRow[]> {
  return run<ShipmentReportRow>(db, shipmentReportSql(...args), args[0].asOf);
}

/** The statement of shipmentReportRows. */
function shipmentReportSql(
  filter: ShipmentListFilter,
  w: Window,
  groupBy: readonly ShipmentDimension[],
  p: Placement,
  source: ShipmentReportSource = 'direct',
  limit?: ReportLimit,
): Prisma.Sql {
  const dims = Prisma.raw(names(SHIPMENT_DIMS));
  // The arrays of a group are aggregated from the same rows in the same pass: their elements line
  // up. The order is by the columns of `named` (n.), not the output's text casts: enums sort in
  // their declared order. A low or high sum with a part whose bound is unknown is unknown (null).
  return Prisma.sql`
    WITH ${shipmentAggregates(filter, w, groupBy, p, source)},
    groups AS (
      SELECT ${dims}, unit, sum(firsts)::int AS shipments, sum(quantity) AS quantity, sum(unknown_firsts)::int AS unknown_quantity,
             CASE WHEN sum(unknown_low_firsts) = 0 THEN sum(quantity_low) END AS quantity_low, sum(unknown_low_firsts)::int AS unknown_quantity_low,
             CASE WHEN sum(unknown_high_firsts) = 0 THEN sum(quantity_high) END AS quantity_high, sum(unknown_high_firsts)::int AS unknown_quantity_high,
             sum(estimated_firsts)::int AS estimated, array_agg(period_start) AS periods,
             array_agg(ARRAY[shipments, unknown_quantity, unknown_quantity_low, unknown_quantity_high, estimated]) AS period_counts,
             array_agg(ARRAY[quantity::float8, CASE WHEN unknown_quantity_low = 0 THEN quantity_low::float8 END,
                             CASE WHEN unknown_quantity_high = 0 THEN quantity_high::float8 END]) AS period_sums
      FROM agg
      GROUP BY ${dims}, unit
    ),
    named AS (
      SELECT t.*,
             (SELECT name FROM ${relationAsOf('actors', filter.asOf)} a WHERE a.id = t.supplier_id) AS supplier_name,
             (SELECT name FROM ${relationAsOf('actors', filter.asOf)} a WHERE a.id = t.recipient_id) AS recipient_name
      FROM groups t ${reportLimit(limit)}
    )
    SELECT supplier_id::text AS supplier_id, supplier_name, recipient_id::text AS recipient_id, recipient_name,
           category::text AS category, status::text AS status, confidence::text AS confidence, category_group, unit,
           shipments::int AS shipments, (CASE WHEN unit IS NULL THEN NULL ELSE quantity END)::float8 AS quantity,
           unknown_quantity::int AS unknown_quantity,
           (CASE WHEN unit IS NULL THEN NULL ELSE quantity_low END)::float8 AS quantity_low,
           (CASE WHEN unit IS NULL THEN NULL ELSE quantity_high END)::float8 AS quantity_high,
           unknown_quantity_low, unknown_quantity_high, estimated,
           to_json(periods) AS periods, to_json(period_counts) AS period_counts, to_json(period_sums) AS period_sums
    FROM named n
    ORDER BY n.supplier_name, n.supplier_id, n.recipient_name, n.recipient_id, n.category, n.status, n.confidence,
             ${Prisma.raw(CATEGORY_GROUP_ORDER)}, n.unit NULLS LAST`;
}

/**
 * Number of groups the report would have, counting at most `max + 1`: enough to tell whether
 * groups × periods stays under the bucket limit, and cheap when it does not (LIMIT stops early).
 */
export async function countShipmentGroups(
  db: Db,
  filter: ShipmentListFilter,
  w: Window,
  groupBy: readonly ShipmentDimension[],
  p: Placement,
  max: number,
  source: ShipmentReportSource = 'direct',
): Promise<number> {
  const cols = groupBy.map((d) => SHIPMENT_DIMS[d].expr);
  let from: Prisma.Sql;
  if (source !== 'direct') {
    cols.push(`nullif(s.unit, '')`);
    const present = shipmentRollupFigures(p, w.granularity, Prisma.sql`TRUE`).present;
    from = Prisma.sql`${SHIPMENT_ROLLUP_TABLES[source]} s WHERE ${rollupWindow(w, 's.month')} AND ${present} > 0 AND ${and(shipmentColumnConditions(filter))}`;
  } else {
    cols.push('s.unit');
    const a = spanAttribution(w, p.attribution, 'shipments', filter);
    const keep = p.estimates === 'EXCLUDE' ? Prisma.sql` AND NOT ${estimatedShipment(p.attribution, w.granularity)}` : Prisma.empty;
    from = Prisma.sql`${recordsRelation('shipments', filter)} s WHERE ${and(shipmentConditions(filter, 'set'))} AND ${a.window}${keep}`;
  }
  const [row] = await run<{ n: number }>(
    db,
    Prisma.sql`
    SELECT count(*)::int AS n FROM (SELECT DISTINCT ${Prisma.raw(cols.join(', '))} FROM ${from} LIMIT ${max + 1}) AS g`,
    filter.asOf,
  );
  return row.n;
}

/** Number of non-empty group × period cells the report would have (its buckets without gap filling). */
export async function countShipmentCells(
  db: Db,
  filter: ShipmentListFilter,
  w: Window,
  groupBy: readonly ShipmentDimension[],
  p: Placement,
  source: ShipmentReportSource = 'direct',
): Promise<number> {
  const [row] = await run<{ n: number }>(
    db,
    Prisma.sql`WITH ${shipmentAggregates(filter, w, groupBy, p, source)} SELECT count(*)::int AS n FROM agg`,
    filter.asOf,
  );
  return row.n;
}

// ------------------------------------------------------------------------------ events

/**
 * One group of an event report, in the report's order: its dimensions and the events of the
 * periods it has events in (`periods` their first days, in no particular order; `period_events`
 * the counts at the same positions). services/reports.ts fills the other periods with 0.
 */
export interface EventStatsRow {
  type: string | null;
  actor_id: string | null;
  actor_name: string | null;
  country: string | null;
  confidence: string | null;
  periods: string[];
  period_events: number[];
  /** With fatalities (computed directly only): their sums per period (see eventAggregates). */
  period_fatalities?: (number | null)[];
  period_fatalities_low?: (number | null)[];
  period_fatalities_high?: (number | null)[];
  period_unknown_fatalities?: number[];
  period_estimated_fatalities?: number[];
}

/** Event dimensions over the rollup (which has no ACTOR), where '' stands for "no country". */
const EVENT_ROLLUP_DIMS: Record<EventDimension, Dimension> = {
  ...EVENT_DIMS,
  COUNTRY: { ...EVENT_DIMS.COUNTRY, expr: `nullif(e.country, '')` },
};

/** With ACTOR, each (event, participant actor) once; an event without participants has actor null. */
function eventSource(groupBy: readonly EventDimension[], f: ReportedFilter): Prisma.Sql {
  const events = recordsRelation('events', f);
  return groupBy.includes('ACTOR')
    ? Prisma.sql`${events} e LEFT JOIN (SELECT DISTINCT event_id, actor_id FROM ${relationAsOf('event_participants', f.asOf)} p) AS ep ON ep.event_id = e.id`
    : Prisma.sql`${events} e`;
}

/**
 * The `parts` and `agg` CTEs of an event report: events per group and period; with
 * `fatalities` (direct only: the rollup keeps no fatalities), their fatalities too: the sum of
 * the best figures known (null when none is), of the low and high bounds (null when any event
 * lacks one: a sum with an unknown term is unknown), attributed like shipments' quantities
 * (under PRO_RATA by each event's share of days), and the events whose best figure is unknown.
 */
function eventAggregates(
  filter: EventListFilter,
  w: Window,
  groupBy: readonly EventDimension[],
  how: Attribution,
  source: ReportSource,
  fatalities = false,
): Prisma.Sql {
  const dims = Prisma.raw(names(EVENT_DIMS));
  if (source === 'rollup') {
    const period = rollupPeriod(w, 'e.month');
    const p = rollupFigures(how, 'e', firstOfPeriod(w, 'e.month'));
    return Prisma.sql`
    parts AS (
      SELECT ${dimensionColumns(EVENT_ROLLUP_DIMS, groupBy)}, ${period} AS period_start, ${p.records} AS events
      FROM event_month_rollup e
      WHERE ${rollupWindow(w, 'e.month')} AND ${p.present} > 0 AND ${and(eventColumnConditions(filter))}
    ),
    agg AS (
      SELECT ${dims}, period_start, sum(events)::int AS events
      FROM parts
      GROUP BY ${dims}, period_start
    )`;
  }
  const a = spanAttribution(w, how, 'events', filter);
  const f = fatalities
    ? {
        parts: Prisma.sql`, e.fatalities * ${a.share} AS fatalities, e.fatalities_low * ${a.share} AS fatalities_low, e.fatalities_high * ${a.share} AS fatalities_high,
               ${estimatedFatalities(how, w.granularity)} AS fatalities_estimated`,
        agg: Prisma.raw(`, sum(fatalities) AS fatalities,
               CASE WHEN count(fatalities_low) = count(*) THEN sum(fatalities_low) END AS fatalities_low,
               CASE WHEN count(fatalities_high) = count(*) THEN sum(fatalities_high) END AS fatalities_high,
               count(*) FILTER (WHERE fatalities IS NULL)::int AS unknown_fatalities,
               count(*) FILTER (WHERE fatalities_estimated)::int AS estimated_fatalities`),
      }
    : { parts: Prisma.empty, agg: Prisma.empty };
  return Prisma.sql`
    parts AS (
      SELECT ${dimensionColumns(EVENT_DIMS, groupBy)}, ${a.columns} ${f.parts}
      FROM ${eventSource(groupBy, filter)} ${a.join}
      WHERE ${and(eventConditions(filter, 'set'))} AND ${a.window}
    ),
    agg AS (
      SELECT ${dims}, period_start, count(*)::int AS events ${f.agg}
      FROM parts
      GROUP BY ${dims}, period_start
    )`;
}

/** Events per period and group, every period × every group present (zeros included), one statement. */
export async function eventStatsRows(db: Db, ...args: Parameters<typeof eventStatsSql>): Promise<EventStatsRow[]> {
  return run<EventStatsRow>(db, eventStatsSql(...args), args[0].asOf);
}

/** The statement of eventStatsRows. */
function eventStatsSql(
  filter: EventListFilter,
  w: Window,
  groupBy: readonly EventDimension[],
  how: Attribution,
  source: ReportSource = 'direct',
  limit?: ReportLimit,
  fatalities = false,
): Prisma.Sql {
  const dims = Prisma.raw(names(EVENT_DIMS));
  const f = fatalities && source === 'direct';
  // Ordered by the columns of `named` (n.), not the output's text casts: enums sort in their declared order.
  return Prisma.sql`
    WITH ${eventAggregates(filter, w, groupBy, how, source, f)},
    groups AS (
      SELECT ${dims}, array_agg(period_start) AS periods, array_agg(events) AS period_events
             ${
               f
                 ? Prisma.raw(`, array_agg(fatalities::float8) AS period_fatalities, array_agg(fatalities_low::float8) AS period_fatalities_low,
               array_agg(fatalities_high::float8) AS period_fatalities_high, array_agg(unknown_fatalities) AS period_unknown_fatalities,
               array_agg(estimated_fatalities) AS period_estimated_fatalities`)
                 : Prisma.empty
             }
      FROM agg
      GROUP BY ${dims}
    ),
    named AS (
      SELECT t.*, (SELECT name FROM ${relationAsOf('actors', filter.asOf)} a WHERE a.id = t.actor_id) AS actor_name
      FROM groups t ${reportLimit(limit)}
    )
    SELECT type::text AS type, actor_id::text AS actor_id, actor_name, country, confidence::text AS confidence,
           to_json(periods) AS periods, to_json(period_events) AS period_events
           ${
             f
               ? Prisma.raw(`, to_json(period_fatalities) AS period_fatalities, to_json(period_fatalities_low) AS period_fatalities_low,
             to_json(period_fatalities_high) AS period_fatalities_high, to_json(period_unknown_fatalities) AS period_unknown_fatalities,
             to_json(period_estimated_fatalities) AS period_estimated_fatalities`)
               : Prisma.empty
           }
    FROM named n
    ORDER BY n.type, n.actor_name, n.actor_id, n.country, n.confidence`;
}

/** Number of event groups, counting at most `max + 1` (see countShipmentGroups). */
export async function countEventGroups(
  db: Db,
  filter: EventListFilter,
  w: Window,
  groupBy: readonly EventDimension[],
  how: Attribution,
  max: number,
  source: ReportSource = 'direct',
): Promise<number> {
  let from: Prisma.Sql;
  let dims = EVENT_DIMS;
  if (source === 'rollup') {
    dims = EVENT_ROLLUP_DIMS;
    const present = rollupFigures(how, 'e', Prisma.sql`TRUE`).present;
    from = Prisma.sql`event_month_rollup e WHERE ${rollupWindow(w, 'e.month')} AND ${present} > 0 AND ${and(eventColumnConditions(filter))}`;
  } else {
    const a = spanAttribution(w, how, 'events', filter);
    from = Prisma.sql`${eventSource(groupBy, filter)} WHERE ${and(eventConditions(filter, 'set'))} AND ${a.window}`;
  }
  // No dimension: one group if any event falls in the window.
  const cols = Prisma.raw(groupBy.length ? groupBy.map((d) => dims[d].expr).join(', ') : 'TRUE');
  const [row] = await run<{ n: number }>(
    db,
    Prisma.sql`
    SELECT count(*)::int AS n FROM (SELECT DISTINCT ${cols} FROM ${from} LIMIT ${max + 1}) AS g`,
    filter.asOf,
  );
  return row.n;
}
