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
// Written with Prisma.sql fragments and run through db.$queryRaw, like lists.ts. Prisma's
// TypedSQL (prisma/sql/*.sql + `prisma generate --sql`) would type the rows, but it needs a
// live database at generate time (it asks PostgreSQL to describe each statement), which
// `npm install` on a fresh or offline machine does not have; and its statements are fixed
// text, while these vary with groupBy and the filter. Rows are typed by hand below and every
// column is aliased and cast (::text, ::int, ::float8) so its JS type is certain.
//
// Calendar arithmetic stays on `date` and `timestamp without time zone`: date_trunc() on a
// bare `date` would pick the timestamptz overload and truncate in the session's time zone.
import { Prisma } from '../../generated/prisma/client';
import type { Attribution, Granularity } from '../../domain/periods';
import { unprepared, type Db } from '../client';
import { onReplica } from '../replicas';
import { PARTITIONED, spanStartLowerBound, type PartitionedTable } from '../partitions';
import { relationAsOf } from './history';
import {
  eventColumnConditions,
  eventConditions,
  shipmentColumnConditions,
  shipmentConditions,
  type EventListFilter,
  type ShipmentListFilter,
} from './lists';

export type ShipmentDimension = 'SUPPLIER' | 'RECIPIENT' | 'CATEGORY' | 'STATUS' | 'CONFIDENCE';
export type EventDimension = 'TYPE' | 'ACTOR' | 'COUNTRY' | 'CONFIDENCE';

export const SHIPMENT_DIMENSIONS: readonly ShipmentDimension[] = ['SUPPLIER', 'RECIPIENT', 'CATEGORY', 'STATUS', 'CONFIDENCE'];
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

const SHIPMENT_DIMS: Record<ShipmentDimension, Dimension> = {
  SUPPLIER: { name: 'supplier_id', expr: 's.supplier_id', type: 'uuid' },
  RECIPIENT: { name: 'recipient_id', expr: 's.recipient_id', type: 'uuid' },
  CATEGORY: { name: 'category', expr: 's.category', type: '"ShipmentCategory"' },
  STATUS: { name: 'status', expr: 's.status', type: '"ShipmentStatus"' },
  CONFIDENCE: { name: 'confidence', expr: 's.confidence', type: '"Confidence"' },
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
    (Object.keys(all) as D[])
      .map((d) => (groupBy.includes(d) ? `${all[d].expr} AS ${all[d].name}` : `NULL::${all[d].type} AS ${all[d].name}`))
      .join(', '),
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
 * that the yearly partitions outside it are pruned (spanStartLowerBound).
 */
function spanAttribution(w: Window, how: Attribution, table: PartitionedTable, asOf: string | null | undefined) {
  const { start, end } = PARTITIONED[table];
  const alias = table === 'events' ? 'e' : 's';
  const a = attribution(w, how, `${alias}.${start}`, `${alias}.${end}`);
  if (asOf) return a;
  return { ...a, window: Prisma.sql`${a.window} AND ${spanStartLowerBound(table, alias, w.start)} AND ${Prisma.raw(`${alias}.${start}`)} <= ${w.end}::date` };
}

/**
 * With `maxGroups`, the report statement refuses to name more groups than that: past the limit
 * it returns no rows at all. The bucket-limit check then needs no statement of its own
 * (services/reports.ts counts only when a report comes back empty, to tell empty from refused).
 */
function groupLimit(maxGroups: number | undefined): Prisma.Sql {
  return maxGroups === undefined ? Prisma.empty : Prisma.sql`WHERE (SELECT count(*) FROM groups) <= ${maxGroups}`;
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
 */
export interface ShipmentReportRow {
  supplier_id: string | null;
  supplier_name: string | null;
  recipient_id: string | null;
  recipient_name: string | null;
  category: string | null;
  status: string | null;
  confidence: string | null;
  unit: string | null;
  shipments: number;
  quantity: number | null;
  unknown_quantity: number;
  // The per-period figures arrive as JSON arrays (decoded by the native JSON.parse) rather than
  // PostgreSQL arrays (pg's array parser is JavaScript: ~5% of a 7,200-bucket report's CPU).
  periods: string[];
  period_shipments: number[];
  period_quantity: (number | null)[];
  period_unknown_quantity: number[];
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
 * A monthly rollup row's figures under an attribution (columns of the rollup aliased `alias`).
 * PRO_RATA counts a record once per period from monthly rows: in the period's first month
 * (`first` true) every record overlapping that month, in its later months only those starting
 * there (proof in the migration). START/END take the records starting/ending in the month.
 */
function rollupFigures(how: Attribution, alias: string, first: Prisma.Sql) {
  const col = (name: string) => Prisma.raw(`${alias}.${name}`);
  if (how === 'PRO_RATA') {
    return {
      records: Prisma.sql`CASE WHEN ${first} THEN ${col('overlapping')} ELSE ${col('starting')} END`,
      unknown: Prisma.sql`CASE WHEN ${first} THEN ${col('unknown_overlapping')} ELSE ${col('unknown_starting')} END`,
      /** Records attributed to the month at all (> 0: the row counts). */
      present: col('overlapping'),
      /** Records of known quantity attributed to the month. */
      known: Prisma.sql`${col('overlapping')} - ${col('unknown_overlapping')}`,
      quantity: col('quantity_pro_rata'),
    };
  }
  const which = how === 'START' ? 'starting' : 'ending';
  return {
    records: col(which),
    unknown: col(`unknown_${which}`),
    present: col(which),
    known: Prisma.sql`${col(which)} - ${col(`unknown_${which}`)}`,
    quantity: col(how === 'START' ? 'quantity_start' : 'quantity_end'),
  };
}

/** The period (of the window's granularity) of a rollup row's month. */
function rollupPeriod(w: Window, month: string): Prisma.Sql {
  return Prisma.raw(`date_trunc('${STEP[w.granularity].field}', ${month}::timestamp)::date`);
}

/** The rollup rows of the window (whole months: the window starts and ends on period bounds). */
function rollupWindow(w: Window, month: string): Prisma.Sql {
  return Prisma.sql`${Prisma.raw(month)} BETWEEN ${w.start}::date AND ${w.end}::date`;
}

// ------------------------------------------------------------------------------ shipments

/** Shipment dimensions over the rollup: the same columns, but '' stands for "no unit" there. */
const SHIPMENT_ROLLUP_UNIT = Prisma.raw(`nullif(s.unit, '') AS unit`);

/**
 * The `parts` and `agg` CTEs of a shipment report: per group, unit and period, the shipments
 * attributed to it, their known quantity (null when all are unknown), the unknown ones, and
 * `firsts`/`unknown_firsts`, which count each shipment once over the window (for the totals).
 */
function shipmentAggregates(
  filter: ShipmentListFilter,
  w: Window,
  groupBy: readonly ShipmentDimension[],
  how: Attribution,
  source: ShipmentReportSource,
): Prisma.Sql {
  const dims = Prisma.raw(names(SHIPMENT_DIMS));
  if (source !== 'direct') {
    const period = rollupPeriod(w, 's.month');
    const p = rollupFigures(how, 's', Prisma.sql`s.month = ${period}`);
    const t = rollupFigures(how, 's', Prisma.sql`s.month = ${w.start}::date`);
    return Prisma.sql`
    parts AS (
      SELECT ${dimensionColumns(SHIPMENT_DIMS, groupBy)}, ${SHIPMENT_ROLLUP_UNIT}, ${period} AS period_start,
             ${p.records} AS shipments, ${p.unknown} AS unknown_quantity, ${p.known} AS known, ${p.quantity} AS quantity,
             ${t.records} AS firsts, ${t.unknown} AS unknown_firsts
      FROM ${SHIPMENT_ROLLUP_TABLES[source]} s
      WHERE ${rollupWindow(w, 's.month')} AND ${p.present} > 0 AND ${and(shipmentColumnConditions(filter))}
    ),
    agg AS (
      SELECT ${dims}, unit, period_start, sum(shipments)::int AS shipments,
             CASE WHEN sum(known) > 0 THEN sum(quantity) END AS quantity,
             sum(unknown_quantity)::int AS unknown_quantity, sum(firsts)::int AS firsts, sum(unknown_firsts)::int AS unknown_firsts
      FROM parts
      GROUP BY ${dims}, unit, period_start
    )`;
  }
  const a = spanAttribution(w, how, 'shipments', filter.asOf);
  return Prisma.sql`
    parts AS (
      SELECT ${dimensionColumns(SHIPMENT_DIMS, groupBy)}, s.unit, ${a.columns}, s.quantity * ${a.share} AS quantity
      FROM ${relationAsOf('shipments', filter.asOf)} s ${a.join}
      WHERE ${and(shipmentConditions(filter, 'set'))} AND ${a.window}
    ),
    agg AS (
      SELECT ${dims}, unit, period_start,
             count(*)::int AS shipments,
             sum(quantity) AS quantity,
             count(*) FILTER (WHERE quantity IS NULL)::int AS unknown_quantity,
             count(*) FILTER (WHERE first)::int AS firsts,
             count(*) FILTER (WHERE first AND quantity IS NULL)::int AS unknown_firsts
      FROM parts
      GROUP BY ${dims}, unit, period_start
    )`;
}

/**
 * Buckets (every period × every group present, zeros included) and per-group totals, in one
 * statement. A bucket's quantity is the known quantity attributed to it (null when all of its
 * shipments have an unknown quantity, 0 when it has none); unknown quantities are only counted.
 */
export async function shipmentReportRows(
  db: Db,
  filter: ShipmentListFilter,
  w: Window,
  groupBy: readonly ShipmentDimension[],
  how: Attribution,
  source: ShipmentReportSource = 'direct',
  maxGroups?: number,
): Promise<ShipmentReportRow[]> {
  return run<ShipmentReportRow>(db, shipmentReportSql(filter, w, groupBy, how, source, maxGroups), filter.asOf);
}

/** The statement of shipmentReportRows (exported for EXPLAIN in benchmarks). */
export function shipmentReportSql(
  filter: ShipmentListFilter,
  w: Window,
  groupBy: readonly ShipmentDimension[],
  how: Attribution,
  source: ShipmentReportSource = 'direct',
  maxGroups?: number,
): Prisma.Sql {
  const dims = Prisma.raw(names(SHIPMENT_DIMS));
  // The arrays of a group are aggregated from the same rows in the same pass: their elements line
  // up. The order is by the columns of `named` (n.), not the output's text casts: enums sort in
  // their declared order.
  return Prisma.sql`
    WITH ${shipmentAggregates(filter, w, groupBy, how, source)},
    groups AS (
      SELECT ${dims}, unit, sum(firsts)::int AS shipments, sum(quantity) AS quantity, sum(unknown_firsts)::int AS unknown_quantity,
             array_agg(period_start) AS periods, array_agg(shipments) AS period_shipments,
             array_agg(quantity::float8) AS period_quantity, array_agg(unknown_quantity) AS period_unknown_quantity
      FROM agg
      GROUP BY ${dims}, unit
    ),
    named AS (
      SELECT t.*,
             (SELECT name FROM ${relationAsOf('actors', filter.asOf)} a WHERE a.id = t.supplier_id) AS supplier_name,
             (SELECT name FROM ${relationAsOf('actors', filter.asOf)} a WHERE a.id = t.recipient_id) AS recipient_name
      FROM groups t ${groupLimit(maxGroups)}
    )
    SELECT supplier_id::text AS supplier_id, supplier_name, recipient_id::text AS recipient_id, recipient_name,
           category::text AS category, status::text AS status, confidence::text AS confidence, unit,
           shipments::int AS shipments, (CASE WHEN unit IS NULL THEN NULL ELSE quantity END)::float8 AS quantity,
           unknown_quantity::int AS unknown_quantity, to_json(periods) AS periods, to_json(period_shipments) AS period_shipments,
           to_json(period_quantity) AS period_quantity, to_json(period_unknown_quantity) AS period_unknown_quantity
    FROM named n
    ORDER BY n.supplier_name, n.supplier_id, n.recipient_name, n.recipient_id, n.category, n.status, n.confidence, n.unit NULLS LAST`;
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
  how: Attribution,
  max: number,
  source: ShipmentReportSource = 'direct',
): Promise<number> {
  const cols = groupBy.map((d) => SHIPMENT_DIMS[d].expr);
  let from: Prisma.Sql;
  if (source !== 'direct') {
    cols.push(`nullif(s.unit, '')`);
    const present = rollupFigures(how, 's', Prisma.sql`TRUE`).present;
    from = Prisma.sql`${SHIPMENT_ROLLUP_TABLES[source]} s WHERE ${rollupWindow(w, 's.month')} AND ${present} > 0 AND ${and(shipmentColumnConditions(filter))}`;
  } else {
    cols.push('s.unit');
    const a = spanAttribution(w, how, 'shipments', filter.asOf);
    from = Prisma.sql`${relationAsOf('shipments', filter.asOf)} s WHERE ${and(shipmentConditions(filter, 'set'))} AND ${a.window}`;
  }
  const [row] = await run<{ n: number }>(db, Prisma.sql`
    SELECT count(*)::int AS n FROM (SELECT DISTINCT ${Prisma.raw(cols.join(', '))} FROM ${from} LIMIT ${max + 1}) AS g`, filter.asOf);
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
}

/** Event dimensions over the rollup (which has no ACTOR), where '' stands for "no country". */
const EVENT_ROLLUP_DIMS: Record<EventDimension, Dimension> = {
  ...EVENT_DIMS,
  COUNTRY: { ...EVENT_DIMS.COUNTRY, expr: `nullif(e.country, '')` },
};

/** With ACTOR, each (event, participant actor) once; an event without participants has actor null. */
function eventSource(groupBy: readonly EventDimension[], asOf: string | null | undefined): Prisma.Sql {
  const events = relationAsOf('events', asOf);
  return groupBy.includes('ACTOR')
    ? Prisma.sql`${events} e LEFT JOIN (SELECT DISTINCT event_id, actor_id FROM ${relationAsOf('event_participants', asOf)} p) AS ep ON ep.event_id = e.id`
    : Prisma.sql`${events} e`;
}

/** The `parts` and `agg` CTEs of an event report: events per group and period. */
function eventAggregates(
  filter: EventListFilter,
  w: Window,
  groupBy: readonly EventDimension[],
  how: Attribution,
  source: ReportSource,
): Prisma.Sql {
  const dims = Prisma.raw(names(EVENT_DIMS));
  if (source === 'rollup') {
    const period = rollupPeriod(w, 'e.month');
    const p = rollupFigures(how, 'e', Prisma.sql`e.month = ${period}`);
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
  const a = spanAttribution(w, how, 'events', filter.asOf);
  return Prisma.sql`
    parts AS (
      SELECT ${dimensionColumns(EVENT_DIMS, groupBy)}, ${a.columns}
      FROM ${eventSource(groupBy, filter.asOf)} ${a.join}
      WHERE ${and(eventConditions(filter, 'set'))} AND ${a.window}
    ),
    agg AS (
      SELECT ${dims}, period_start, count(*)::int AS events
      FROM parts
      GROUP BY ${dims}, period_start
    )`;
}

/** Events per period and group, every period × every group present (zeros included), one statement. */
export async function eventStatsRows(
  db: Db,
  filter: EventListFilter,
  w: Window,
  groupBy: readonly EventDimension[],
  how: Attribution,
  source: ReportSource = 'direct',
  maxGroups?: number,
): Promise<EventStatsRow[]> {
  return run<EventStatsRow>(db, eventStatsSql(filter, w, groupBy, how, source, maxGroups), filter.asOf);
}

/** The statement of eventStatsRows (exported for EXPLAIN in benchmarks). */
export function eventStatsSql(
  filter: EventListFilter,
  w: Window,
  groupBy: readonly EventDimension[],
  how: Attribution,
  source: ReportSource = 'direct',
  maxGroups?: number,
): Prisma.Sql {
  const dims = Prisma.raw(names(EVENT_DIMS));
  // Ordered by the columns of `named` (n.), not the output's text casts: enums sort in their declared order.
  return Prisma.sql`
    WITH ${eventAggregates(filter, w, groupBy, how, source)},
    groups AS (
      SELECT ${dims}, array_agg(period_start) AS periods, array_agg(events) AS period_events
      FROM agg
      GROUP BY ${dims}
    ),
    named AS (
      SELECT t.*, (SELECT name FROM ${relationAsOf('actors', filter.asOf)} a WHERE a.id = t.actor_id) AS actor_name
      FROM groups t ${groupLimit(maxGroups)}
    )
    SELECT type::text AS type, actor_id::text AS actor_id, actor_name, country, confidence::text AS confidence,
           to_json(periods) AS periods, to_json(period_events) AS period_events
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
    const a = spanAttribution(w, how, 'events', filter.asOf);
    from = Prisma.sql`${eventSource(groupBy, filter.asOf)} WHERE ${and(eventConditions(filter, 'set'))} AND ${a.window}`;
  }
  // No dimension: one group if any event falls in the window.
  const cols = Prisma.raw(groupBy.length ? groupBy.map((d) => dims[d].expr).join(', ') : 'TRUE');
  const [row] = await run<{ n: number }>(db, Prisma.sql`
    SELECT count(*)::int AS n FROM (SELECT DISTINCT ${cols} FROM ${from} LIMIT ${max + 1}) AS g`, filter.asOf);
  return row.n;
}
