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
 * window condition, the expressions `period` (the first day of its period) and `first` (true on
 * exactly one row of each record, so totals count it once) and the `share` of its quantity each
 * row gets.
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
      period: Prisma.sql`a.period_start`,
      first: Prisma.sql`a.first`,
      share: Prisma.sql`a.share`,
    };
  }
  const day = how === 'START' ? s : e;
  return {
    join: Prisma.empty,
    window: Prisma.sql`${day} BETWEEN ${w.start}::date AND ${w.end}::date`,
    period: Prisma.sql`date_trunc(${field}, ${day}::timestamp)::date`,
    first: Prisma.sql`TRUE`,
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
 * and the period_* arrays the figures at the same positions. Only the periods present: filling
 * the gaps (groups × periods) is services/reports.ts's, for the reports that ask for it.
 *
 * quantity is the sum of the known best values (null when none is known); quantity_low and
 * quantity_high the sums of the low and high bounds, null when any part's bound is unknown
 * (unknown_quantity_low/_high count those parts); estimated counts the parts that are estimates
 * (isEstimatedPart in src/domain/periods.ts). A total counts each shipment once: estimated, the
 * shipments with an estimated part in the window. The figures a report leaves out
 * (ShipmentFigureSet) are null (sums) and 0 (counts): not computed, not to be read.
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
 * Which figures a shipment report computes besides its counts and best values: the low and high
 * bounds (with their unknown counts) and the estimated parts (which `exact` needs). Each is
 * columns that PostgreSQL aggregates and Node decodes per cell; a report whose reader asks for
 * neither leaves them out (src/graphql/resolvers/reports.ts).
 */
export interface ShipmentFigureSet {
  bounds: boolean;
  estimated: boolean;
}

export const ALL_SHIPMENT_FIGURES: ShipmentFigureSet = { bounds: true, estimated: true };

/** The figure columns of a report's cells, in their order: what `figures` asks for, and under PRO_RATA the counts its totals need. */
function figureColumns(figures: ShipmentFigureSet, proRata: boolean): string[] {
  const bounds = figures.bounds ? ['quantity_low', 'unknown_quantity_low', 'quantity_high', 'unknown_quantity_high'] : [];
  const estimated = figures.estimated ? ['estimated'] : [];
  const firsts = proRata
    ? ['firsts', 'unknown_firsts', ...(figures.bounds ? ['unknown_low_firsts', 'unknown_high_firsts'] : []), ...(figures.estimated ? ['estimated_firsts'] : [])]
    : [];
  return ['shipments', 'quantity', 'unknown_quantity', ...bounds, ...estimated, ...firsts];
}

/**
 * The cells of a shipment report: one row per group, unit and period with shipments, of the
 * grouped dimensions and the figure columns (figureColumns) — one aggregation over the source,
 * the shape of the peer's `groupedAggregates`. `firsts` and the *_firsts count the cell's
 * shipments in their first period of the window (PRO_RATA spreads one over several).
 */
function shipmentCellsSql(
  filter: ShipmentListFilter,
  w: Window,
  groupBy: readonly ShipmentDimension[],
  p: Placement,
  source: ShipmentReportSource,
  figures: ShipmentFigureSet,
): { sql: Prisma.Sql; dims: string[]; figures: string[] } {
  const columns = figureColumns(figures, p.attribution === 'PRO_RATA');
  let unit: string;
  let period: Prisma.Sql;
  let from: Prisma.Sql;
  let aggregate: Record<string, Prisma.Sql>;
  if (source !== 'direct') {
    // The rollups' '' stands for "no unit".
    unit = `nullif(s.unit, '')`;
    period = rollupPeriod(w, 's.month');
    const f = shipmentRollupFigures(p, w.granularity, firstOfPeriod(w, 's.month'));
    const t = shipmentRollupFigures(p, w.granularity, Prisma.sql`s.month = ${w.start}::date`);
    const sum = (expr: Prisma.Sql, type = 'int') => Prisma.sql`sum(${expr})::${Prisma.raw(type)}`;
    aggregate = {
      shipments: sum(f.records),
      quantity: Prisma.sql`(CASE WHEN sum(${f.records}) > sum(${f.unknown}) THEN sum(${f.quantity}) END)::float8`,
      unknown_quantity: sum(f.unknown),
      quantity_low: sum(f.low, 'float8'),
      unknown_quantity_low: sum(f.unknownLow),
      quantity_high: sum(f.high, 'float8'),
      unknown_quantity_high: sum(f.unknownHigh),
      estimated: sum(f.estimated),
      firsts: sum(t.records),
      unknown_firsts: sum(t.unknown),
      unknown_low_firsts: sum(t.unknownLow),
      unknown_high_firsts: sum(t.unknownHigh),
      estimated_firsts: sum(t.estimated),
    };
    from = Prisma.sql`${SHIPMENT_ROLLUP_TABLES[source]} s
      WHERE ${rollupWindow(w, 's.month')} AND ${f.present} > 0 AND ${and(shipmentColumnConditions(filter))}`;
  } else {
    unit = 's.unit';
    const a = spanAttribution(w, p.attribution, 'shipments', filter);
    period = a.period;
    const estimated = estimatedShipment(p.attribution, w.granularity);
    const keep = p.estimates === 'EXCLUDE' ? Prisma.sql` AND NOT ${estimated}` : Prisma.empty;
    const count = (condition: Prisma.Sql) => Prisma.sql`count(*) FILTER (WHERE ${condition})::int`;
    const first = (condition: Prisma.Sql) => count(Prisma.sql`${a.first} AND ${condition}`);
    const unknown = (column: string) => Prisma.raw(`s.${column} IS NULL`);
    aggregate = {
      shipments: Prisma.sql`count(*)::int`,
      quantity: Prisma.sql`sum(s.quantity * ${a.share})::float8`,
      unknown_quantity: count(unknown('quantity')),
      quantity_low: Prisma.sql`sum(s.quantity_low * ${a.share})::float8`,
      unknown_quantity_low: count(unknown('quantity_low')),
      quantity_high: Prisma.sql`sum(s.quantity_high * ${a.share})::float8`,
      unknown_quantity_high: count(unknown('quantity_high')),
      estimated: count(estimated),
      firsts: count(a.first),
      unknown_firsts: first(unknown('quantity')),
      unknown_low_firsts: first(unknown('quantity_low')),
      unknown_high_firsts: first(unknown('quantity_high')),
      estimated_firsts: first(estimated),
    };
    from = Prisma.sql`${recordsRelation('shipments', filter)} s ${a.join}
      WHERE ${and(shipmentConditions(filter, 'set'))} AND ${a.window}${keep}`;
  }
  const dims = SHIPMENT_DIMENSIONS.filter((d) => groupBy.includes(d)).map((d) => SHIPMENT_DIMS[d]);
  const keys = [...dims.map((d) => `${d.expr} AS ${d.name}`), `${unit} AS unit`];
  // GROUP BY position: an output name would lose to a source column of the same name.
  const positions = Array.from({ length: keys.length + 1 }, (_, i) => i + 1).join(', ');
  const sql = Prisma.sql`
      SELECT ${Prisma.raw(keys.join(', '))}, ${period} AS period_start,
             ${Prisma.join(
               columns.map((c) => Prisma.sql`${aggregate[c]} AS ${Prisma.raw(c)}`),
               ', ',
             )}
      FROM ${from}
      GROUP BY ${Prisma.raw(positions)}`;
  return { sql, dims: dims.map((d) => d.name), figures: columns };
}

/** A group as shipmentReportRows' statement returns it: its grouped dimensions and unit, and its cells as JSON. */
interface CellGroup {
  supplier_id?: string;
  recipient_id?: string;
  category?: string;
  status?: string;
  confidence?: string;
  category_group?: string;
  unit: string | null;
  /** [period, ...figures, period, ...figures, …]: the figures in the order of shipmentCellsSql's `figures`. */
  cells: string;
  /** The report's cells, all groups together. */
  cells_total: number;
  /** On the first group only: what its groups hold, ranked as PostgreSQL sorts it (rankingSql). */
  ranks: Rank[] | null;
}

/**
 * A shipment report's groups, in the report's order. The statement aggregates the cells
 * (shipmentCellsSql, the shape and cost of the peer's `groupedAggregates`) and gathers each
 * group's into one JSON text, which Node decodes natively (a row per cell cost more in `pg`'s
 * decoding than the statement itself); the groups' totals and arrays are built here, and their
 * order (the actors' names, as of asOf, then their ids; the enums in their declared order; the
 * units) comes with the first group, ranked over the groups' keys in the same statement
 * (rankingSql), and is applied here (`order`). Named and sorted in the statement, per cell or
 * after a second aggregation into arrays, the groups cost more than the cells (bench/README.md).
 *
 * With `limit` the report stops past it (ReportLimit: its groups, or with `cells` its cells) and
 * returns no rows: no statement of its own for the check (services/reports.ts counts only when a
 * report comes back empty, to tell empty from refused).
 */
export async function shipmentReportRows(
  db: Db,
  filter: ShipmentListFilter,
  w: Window,
  groupBy: readonly ShipmentDimension[],
  p: Placement,
  source: ShipmentReportSource = 'direct',
  limit?: ReportLimit,
  figures: ShipmentFigureSet = ALL_SHIPMENT_FIGURES,
): Promise<ShipmentReportRow[]> {
  const statement = shipmentCellsSql(filter, w, groupBy, p, source, figures);
  const dims = statement.dims;
  // Each cell as JSON: its period, then its figures (all numbers: float8 and int as text are JSON
  // numbers; the quantities are finite, their constraints say so, and so are their sums).
  const cell = [`'"' || to_char(c.period_start, 'YYYY-MM-DD') || '"'`, ...statement.figures.map((f) => `coalesce(c.${f}::text, 'null')`)].join(` || ',' || `);
  const keys = [...dims.map((d) => `c.${d}`), 'c.unit'].join(', ');
  const grouped = Prisma.sql`
    SELECT ${Prisma.raw(dims.map((d) => `c.${d}::text AS ${d}, `).join(''))}c.unit, '[' || string_agg(${Prisma.raw(cell)}, ',') || ']' AS cells,
           (sum(count(*)) OVER ())::int AS cells_total
    FROM (${statement.sql}) AS c
    GROUP BY ${Prisma.raw(keys)}`;
  // Past the limit nothing is sent: by its cells, none of its groups; by its groups, one too many.
  const limited = !limit
    ? grouped
    : limit.cells
      ? Prisma.sql`SELECT * FROM (${grouped}) AS g WHERE g.cells_total <= ${limit.max}`
      : Prisma.sql`${grouped} LIMIT ${limit.max + 1}`;
  // The groups, and on the first of them the ranks of what they hold (computed once: an InitPlan).
  const groups = await run<CellGroup>(
    db,
    Prisma.sql`WITH g AS MATERIALIZED (${limited})
      SELECT g.*, CASE WHEN row_number() OVER () = 1 THEN ${rankingSql(dims, filter.asOf)} END AS ranks FROM g`,
    filter.asOf,
  );
  if (limit && !limit.cells && groups.length > limit.max) return [];
  const layout = cellLayout(statement.figures, p.attribution === 'PRO_RATA');
  const rows = groups.map((g) => shipmentGroup(g, layout));
  if (rows.length) order(rows, groups.find((g) => g.ranks)?.ranks ?? []);
  return rows;
}

/** The enums a shipment dimension holds, in the order PostgreSQL sorts them (their declared order). */
const DIMENSION_ENUMS: Partial<Record<string, string>> = { category: 'ShipmentCategory', status: 'ShipmentStatus', confidence: 'Confidence' };

/** One ranked key of a report's groups: [kind (actor, unit or a dimension's column), key, the actor's name, rank]. */
type Rank = [kind: string, key: string, name: string | null, rank: number];

/**
 * What the report's groups (the CTE `g`, its grouped columns `dims`) hold, ranked as PostgreSQL
 * sorts it, as one JSON array of Ranks: their actors by name (as of asOf) then id, their units,
 * the enums' values; a rank per key, so that sorting the groups in Node orders them as ORDER BY would.
 */
function rankingSql(dims: readonly string[], asOf: string | null | undefined): Prisma.Sql {
  const actorIds = ['supplier_id', 'recipient_id'].filter((d) => dims.includes(d)).map((d) => `SELECT ${d}::uuid FROM g`);
  const parts = [
    ...(actorIds.length
      ? [
          Prisma.sql`SELECT 'actor' AS kind, a.id::text AS key, a.name, row_number() OVER (ORDER BY a.name, a.id) AS rank
      FROM ${relationAsOf('actors', asOf)} a WHERE a.id IN (${Prisma.raw(actorIds.join(' UNION '))})`,
        ]
      : []),
    Prisma.sql`SELECT 'unit' AS kind, u AS key, NULL::text AS name, row_number() OVER (ORDER BY u) AS rank
      FROM (SELECT DISTINCT unit FROM g WHERE unit IS NOT NULL) AS x(u)`,
    ...Object.entries(DIMENSION_ENUMS)
      .filter(([d]) => dims.includes(d))
      .map(([d, type]) => Prisma.sql`SELECT ${d}, e::text, NULL, o FROM unnest(enum_range(NULL::${Prisma.raw(`"${type}"`)})) WITH ORDINALITY AS x(e, o)`),
  ];
  return Prisma.sql`(SELECT json_agg(json_build_array(r.kind, r.key, r.name, r.rank)) FROM (${Prisma.join(parts, ' UNION ALL ')}) AS r)`;
}

/** Puts `rows` in the report's order by the ranks of what they hold (rankingSql), and names their actors. */
function order(rows: ShipmentReportRow[], ranked: readonly Rank[]): void {
  const ids = new Set<string>();
  for (const r of rows) {
    if (r.supplier_id !== null) ids.add(r.supplier_id);
    if (r.recipient_id !== null) ids.add(r.recipient_id);
  }
  const ranks: Record<string, Map<string, number>> = {};
  const names = new Map<string, string | null>();
  for (const [kind, key, name, rank] of ranked) {
    (ranks[kind] ??= new Map()).set(key, rank);
    if (kind === 'actor') names.set(key, name);
  }
  // As ORDER BY sorts: an actor missing as of asOf as a null name (after the named ones, by id).
  const actors = (ranks.actor ??= new Map());
  [...ids]
    .filter((id) => !actors.has(id))
    .sort()
    .forEach((id, i) => actors.set(id, names.size + i + 1));
  // Nulls last; category groups in their declared order, as the enums.
  const at = (kind: string, key: string | null) => (key === null ? Infinity : (ranks[kind]?.get(key) ?? Infinity));
  const group = (g: string | null) => {
    const i = g === null ? -1 : SHIPMENT_CATEGORY_GROUPS.indexOf(g as (typeof SHIPMENT_CATEGORY_GROUPS)[number]);
    return i < 0 ? Infinity : i;
  };
  const keyed = rows.map((r) => {
    r.supplier_name = r.supplier_id === null ? null : (names.get(r.supplier_id) ?? null);
    r.recipient_name = r.recipient_id === null ? null : (names.get(r.recipient_id) ?? null);
    const key = [at('actor', r.supplier_id), at('actor', r.recipient_id), at('category', r.category), at('status', r.status)];
    key.push(at('confidence', r.confidence), group(r.category_group), at('unit', r.unit));
    return { r, key };
  });
  // Infinity - Infinity is NaN: equal, as two nulls are.
  keyed.sort((a, b) => {
    for (let i = 0; i < a.key.length; i++) {
      const d = a.key[i] - b.key[i];
      if (d) return d;
    }
    return 0;
  });
  keyed.forEach(({ r }, i) => (rows[i] = r));
}

/** null + x is x, null + null null: SQL's sum() over the cells. */
function plus(sum: number | null, x: number | null): number | null {
  return x === null ? sum : (sum ?? 0) + x;
}

/** Where each figure is in a cell of `figures` (after its period; -1: not computed), and how long a cell is. */
function cellLayout(figures: readonly string[], proRata: boolean) {
  const at = (name: string) => {
    const i = figures.indexOf(name);
    return i < 0 ? -1 : i + 1;
  };
  const [shipments, quantity, unknown, low, unknownLow, high, unknownHigh, estimated] = [
    'shipments',
    'quantity',
    'unknown_quantity',
    'quantity_low',
    'unknown_quantity_low',
    'quantity_high',
    'unknown_quantity_high',
    'estimated',
  ].map(at);
  // The totals' counts: each shipment in its first period of the window under PRO_RATA.
  const [firsts, unknownFirsts, unknownLowFirsts, unknownHighFirsts, estimatedFirsts] = proRata
    ? ['firsts', 'unknown_firsts', 'unknown_low_firsts', 'unknown_high_firsts', 'estimated_firsts'].map(at)
    : [shipments, unknown, unknownLow, unknownHigh, estimated];
  const stride = figures.length + 1;
  return {
    stride,
    shipments,
    quantity,
    unknown,
    low,
    unknownLow,
    high,
    unknownHigh,
    estimated,
    firsts,
    unknownFirsts,
    unknownLowFirsts,
    unknownHighFirsts,
    estimatedFirsts,
  };
}

type CellLayout = ReturnType<typeof cellLayout>;

/**
 * A group of a report from its cells: its dimensions, its figures per period (ShipmentReportRow's
 * arrays) and its totals. A total counts each shipment once: under PRO_RATA by the cells'
 * `firsts`, under START and END (one period per shipment) by the cells' own counts. A low or high
 * sum with a part whose bound is unknown is unknown (null); a group without a unit has no
 * quantities. Figures not computed read as null (sums) and 0 (counts).
 */
function shipmentGroup(g: CellGroup, layout: CellLayout): ShipmentReportRow {
  const cells = JSON.parse(g.cells) as (string | number | null)[];
  const { stride, shipments, quantity, unknown, low, unknownLow, high, unknownHigh, estimated } = layout;
  const { firsts, unknownFirsts, unknownLowFirsts, unknownHighFirsts, estimatedFirsts } = layout;
  const num = (k: number, i: number) => (i < 0 ? null : (cells[k + i] as number | null));
  const count = (k: number, i: number) => (i < 0 ? 0 : (cells[k + i] as number));
  const row: ShipmentReportRow = {
    supplier_id: g.supplier_id ?? null,
    supplier_name: null,
    recipient_id: g.recipient_id ?? null,
    recipient_name: null,
    category: g.category ?? null,
    status: g.status ?? null,
    confidence: g.confidence ?? null,
    category_group: g.category_group ?? null,
    unit: g.unit,
    shipments: 0,
    quantity: null,
    unknown_quantity: 0,
    quantity_low: null,
    quantity_high: null,
    unknown_quantity_low: 0,
    unknown_quantity_high: 0,
    estimated: 0,
    periods: [],
    period_counts: [],
    period_sums: [],
  };
  let lowSum: number | null = null;
  let highSum: number | null = null;
  for (let k = 0; k < cells.length; k += stride) {
    const ul = count(k, unknownLow);
    const uh = count(k, unknownHigh);
    row.periods.push(cells[k] as string);
    row.period_counts.push([count(k, shipments), count(k, unknown), ul, uh, count(k, estimated)]);
    row.period_sums.push([num(k, quantity), ul === 0 ? num(k, low) : null, uh === 0 ? num(k, high) : null]);
    row.quantity = plus(row.quantity, num(k, quantity));
    lowSum = plus(lowSum, num(k, low));
    highSum = plus(highSum, num(k, high));
    row.shipments += count(k, firsts);
    row.unknown_quantity += count(k, unknownFirsts);
    row.unknown_quantity_low += count(k, unknownLowFirsts);
    row.unknown_quantity_high += count(k, unknownHighFirsts);
    row.estimated += count(k, estimatedFirsts);
  }
  const unitless = row.unit === null;
  if (unitless) row.quantity = null;
  row.quantity_low = unitless || row.unknown_quantity_low > 0 ? null : lowSum;
  row.quantity_high = unitless || row.unknown_quantity_high > 0 ? null : highSum;
  return row;
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
  const cells = shipmentCellsSql(filter, w, groupBy, p, source, { bounds: false, estimated: false });
  const [row] = await run<{ n: number }>(db, Prisma.sql`SELECT count(*)::int AS n FROM (${cells.sql}) AS c`, filter.asOf);
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
      SELECT ${dimensionColumns(EVENT_DIMS, groupBy)}, ${a.period} AS period_start, ${a.first} AS first ${f.parts}
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
