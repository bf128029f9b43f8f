// GET /reports/shipments.csv and /reports/events.csv — the shipment report (the buckets of
// GraphQL's shipmentReport) and the event statistics (eventStats) as CSV, for analysts who
// paste into spreadsheets. Same arguments and validation as GraphQL:
//
//   /reports/shipments.csv?from=2023-01-01&to=2023-12-31&granularity=MONTH
//     &groupBy=SUPPLIER,RECIPIENT&attribution=PRO_RATA
//     &supplierIds=…&recipientIds=…&categories=…&statuses=…&minConfidence=…&minSources=…
//   /reports/events.csv?from=…&to=…&granularity=…&groupBy=TYPE,ACTOR,COUNTRY,CONFIDENCE&attribution=…
//     &types=…&actorIds=…&minConfidence=…&minSources=…&search=…
//   either with &asOf=2026-12-01T13:46:57.618Z: as the database stood at that instant.
//
// Lists are comma-separated (or the parameter repeated). Bad input is a 400 with a JSON body
// naming the parameter at fault: {"error":"BAD_USER_INPUT","field":"to","message":"…"}.
import { stringify } from 'csv-stringify/sync';
import express from 'express';
import type { Db } from '../db/client';
import { ValidationError } from '../domain/errors';
import { DateTimeScalar } from '../graphql/scalars';
import { periodEnd, periodStart } from '../domain/periods';
import { Confidence, EventType, ShipmentCategory, ShipmentStatus } from '../generated/prisma/enums';
import {
  EVENT_DIMENSIONS,
  eventStats,
  shipmentReport,
  type Attribution,
  type EventBucketRow,
  type EventDimension,
  type Granularity,
  type ShipmentBucketRow,
  type ShipmentDimension,
  type ShipmentReportResult,
} from '../services/reports';
import { checkAsOf } from '../services/history';

const REPORT_PARAMS = ['from', 'to', 'granularity', 'groupBy', 'attribution', 'asOf'];
const SHIPMENT_FILTER_PARAMS = ['supplierIds', 'recipientIds', 'categories', 'statuses', 'minConfidence', 'minSources'];
const EVENT_FILTER_PARAMS = ['types', 'actorIds', 'minConfidence', 'minSources', 'search'];

type Query = Record<string, unknown>;

/** One value: a repeated parameter is an error. */
function single(query: Query, name: string): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new ValidationError(name, `${name} must be given once`);
  return v;
}

/** A list, comma-separated and/or repeated; blanks dropped. */
function list(query: Query, name: string): string[] | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  const values = (Array.isArray(v) ? v : [v]).flatMap((x) => (typeof x === 'string' ? x.split(',') : [null]));
  if (values.includes(null)) throw new ValidationError(name, `${name} must be a comma-separated list`);
  return (values as string[]).map((x) => x.trim()).filter(Boolean);
}

function enumList(query: Query, name: string, allowed: Record<string, string>): string[] | undefined {
  const values = list(query, name);
  values?.forEach((v, i) => {
    if (!(v in allowed)) throw new ValidationError(`${name}[${i}]`, `${name}[${i}] must be one of ${Object.keys(allowed).join(', ')}, got "${v}"`);
  });
  return values;
}

function minConfidence(query: Query): string | undefined {
  const value = single(query, 'minConfidence');
  if (value !== undefined && !(value in Confidence)) {
    throw new ValidationError('minConfidence', `minConfidence must be one of ${Object.keys(Confidence).join(', ')}, got "${value}"`);
  }
  return value;
}

function minSources(query: Query): number | undefined {
  const value = single(query, 'minSources');
  if (value !== undefined && !/^\d+$/.test(value.trim())) {
    throw new ValidationError('minSources', `minSources must be a whole number of sources, got "${value}"`);
  }
  return value === undefined ? undefined : Number(value);
}

/** A date-time as GraphQL's DateTime reads it (e.g. `asOf`); not given: undefined. */
export function parseDateTime(value: string | undefined, field: string): Date | undefined {
  if (value === undefined) return undefined;
  try {
    return DateTimeScalar.parseValue(value) as Date;
  } catch {
    throw new ValidationError(field, `${field} must be a date-time with a time zone (e.g. 2023-10-13T12:00:00Z), got "${value}"`);
  }
}

/** The report's `asOf` parameter, checked like GraphQL's (not in the future, settled). */
function asOf(db: Db, query: Query): Promise<string | null> {
  return checkAsOf(db, parseDateTime(single(query, 'asOf'), 'asOf'));
}

/** The arguments common to both reports (value checks are the service's, as for GraphQL). */
function reportArgs<D extends string>(query: Query, filterParams: readonly string[]) {
  const params = [...REPORT_PARAMS, ...filterParams];
  const unknown = Object.keys(query).find((k) => !params.includes(k));
  if (unknown) throw new ValidationError(unknown, `Unknown parameter "${unknown}"; expected ${params.join(', ')}`);
  return {
    from: single(query, 'from') as string,
    to: single(query, 'to') as string,
    granularity: single(query, 'granularity')?.toUpperCase() as Granularity | undefined,
    groupBy: list(query, 'groupBy')?.map((d) => d.toUpperCase()) as D[] | undefined,
    attribution: single(query, 'attribution')?.toUpperCase() as Attribution | undefined,
  };
}

function shipmentArgs(query: Query) {
  return {
    ...reportArgs<ShipmentDimension>(query, SHIPMENT_FILTER_PARAMS),
    filter: {
      supplierIds: list(query, 'supplierIds'),
      recipientIds: list(query, 'recipientIds'),
      categories: enumList(query, 'categories', ShipmentCategory),
      statuses: enumList(query, 'statuses', ShipmentStatus),
      minConfidence: minConfidence(query),
      minSources: minSources(query),
    },
  };
}

function eventArgs(query: Query) {
  return {
    ...reportArgs<EventDimension>(query, EVENT_FILTER_PARAMS),
    filter: {
      types: enumList(query, 'types', EventType),
      actorIds: list(query, 'actorIds'),
      minConfidence: minConfidence(query),
      minSources: minSources(query),
      search: single(query, 'search'),
    },
  };
}

interface Column<R> {
  key: keyof R;
  header: string;
}

/**
 * Rows as CSV text: a header row, then one row per bucket; empty cells for nulls (an unknown
 * quantity is empty, never 0). A text cell a spreadsheet would run as a formula (starting
 * with = + - @ or a tab) is prefixed with an apostrophe.
 */
function csv<R>(rows: R[], columns: Column<R>[]): string {
  return stringify(rows as unknown as Record<string, unknown>[], {
    header: true,
    columns: columns as { key: string; header: string }[],
    cast: { string: (v) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v) },
  });
}

/** Columns: the period, the grouped dimensions (actors by id and name), the unit and the figures. */
function columns(report: ShipmentReportResult): { key: keyof ShipmentBucketRow; header: string }[] {
  const dims: Record<ShipmentDimension, { key: keyof ShipmentBucketRow; header: string }[]> = {
    SUPPLIER: [
      { key: 'supplierId', header: 'supplier_id' },
      { key: 'supplierName', header: 'supplier' },
    ],
    RECIPIENT: [
      { key: 'recipientId', header: 'recipient_id' },
      { key: 'recipientName', header: 'recipient' },
    ],
    CATEGORY: [{ key: 'category', header: 'category' }],
    STATUS: [{ key: 'status', header: 'status' }],
    CONFIDENCE: [{ key: 'confidence', header: 'confidence' }],
  };
  return [
    { key: 'period', header: 'period' },
    { key: 'start', header: 'start' },
    { key: 'end', header: 'end' },
    ...report.groupBy.flatMap((d) => dims[d]),
    { key: 'unit', header: 'unit' },
    { key: 'shipments', header: 'shipments' },
    { key: 'quantity', header: 'quantity' },
    { key: 'unknownQuantity', header: 'unknown_quantity' },
  ];
}

/** The shipment report's buckets as CSV (see csv()). */
export function shipmentReportCsv(report: ShipmentReportResult): string {
  return csv(report.buckets, columns(report));
}

/** Event statistics as CSV: the period, the grouped dimensions (actors by id and name), the count. */
export function eventStatsCsv(buckets: EventBucketRow[], groupBy: readonly EventDimension[]): string {
  const dims: Record<EventDimension, Column<EventBucketRow>[]> = {
    TYPE: [{ key: 'type', header: 'type' }],
    ACTOR: [
      { key: 'actorId', header: 'actor_id' },
      { key: 'actorName', header: 'actor' },
    ],
    COUNTRY: [{ key: 'country', header: 'country' }],
    CONFIDENCE: [{ key: 'confidence', header: 'confidence' }],
  };
  return csv(buckets, [
    { key: 'period', header: 'period' },
    { key: 'start', header: 'start' },
    { key: 'end', header: 'end' },
    // In the canonical order, as the service sorts them.
    ...EVENT_DIMENSIONS.filter((d) => groupBy.includes(d)).flatMap((d) => dims[d]),
    { key: 'events', header: 'events' },
  ]);
}

/** The file name of a report over [start, end] (first and last day of its periods). */
function fileName(kind: string, start: string, end: string, granularity: Granularity): string {
  return `${kind}_${start}_${end}_${granularity.toLowerCase()}.csv`;
}

/** A CSV route: `produce` turns the query string into the file; bad input is a 400 naming the parameter. */
function csvRoute(
  router: express.Router,
  path: string,
  produce: (query: Query, res: express.Response) => Promise<{ name: string; body: string }>,
): void {
  router.get(path, async (req, res) => {
    try {
      const { name, body } = await produce(req.query as Query, res);
      res.status(200).type('text/csv; charset=utf-8').set('Content-Disposition', `attachment; filename="${name}"`).send(body);
    } catch (err) {
      if (err instanceof ValidationError) {
        // The service names filter fields as in GraphQL (filter.supplierIds[0]); here they are parameters.
        const field = err.field.replace(/^filter\./, '');
        res.status(400).json({ error: 'BAD_USER_INPUT', field, message: err.message.replace(/filter\./g, '') });
        return;
      }
      res.status(500).json({ error: 'INTERNAL_SERVER_ERROR', message: 'The report could not be produced' });
    }
  });
}

/** `dbFor`: where this request reads (a replica, or the primary for a key that just wrote). */
export function reportsRouter(dbFor: (res: express.Response) => Db): express.Router {
  const router = express.Router();
  csvRoute(router, '/shipments.csv', async (query, res) => {
    const db = dbFor(res);
    const args = shipmentArgs(query);
    const report = await shipmentReport(db, { ...args, asOf: await asOf(db, query) });
    return { name: fileName('shipments', report.start, report.end, report.granularity), body: shipmentReportCsv(report) };
  });
  csvRoute(router, '/events.csv', async (query, res) => {
    const db = dbFor(res);
    const args = eventArgs(query);
    const buckets = await eventStats(db, { ...args, asOf: await asOf(db, query) });
    // eventStats has validated from, to, granularity and groupBy.
    const granularity = args.granularity ?? 'MONTH';
    const name = fileName('events', periodStart(args.from, granularity), periodEnd(args.to, granularity), granularity);
    return { name, body: eventStatsCsv(buckets, args.groupBy ?? []) };
  });
  return router;
}
