// GET /reports/shipments.csv and /reports/events.csv (and their .xlsx twins) — the shipment report (the buckets of
// GraphQL's shipmentReport) and the event statistics (eventStats) as CSV, for analysts who
// paste into spreadsheets. Same arguments and validation as GraphQL:
//
//   /reports/shipments.csv?from=2023-01-01&to=2023-12-31&granularity=MONTH
//     &groupBy=SUPPLIER,RECIPIENT&attribution=PRO_RATA
//     &supplierIds=…&recipientIds=…&categories=…&categoryGroups=…&statuses=…&minConfidence=…&minSources=…
//     &estimates=EXCLUDE
//   /reports/events.csv?from=…&to=…&granularity=…&groupBy=TYPE,ACTOR,COUNTRY,CONFIDENCE&attribution=…
//     &types=…&actorIds=…&minConfidence=…&minSources=…&minFatalities=…&search=…&fatalities=true
//   either with &asOf=2026-12-01T13:46:57.618Z: as the database stood at that instant, and/or
//   &reportedBy=2023-10-31: only what had been reported by that day, with the values claimed then.
//
// Lists are comma-separated (or the parameter repeated). Bad input is a 400 with a JSON body
// naming the parameter at fault: {"error":"BAD_USER_INPUT","field":"to","message":"…"}; a
// database that is away (or whose connections are being terminated) a 503 SERVICE_UNAVAILABLE
// with Retry-After; anything else a 500, logged with its cause and the request's id.
// The CSV files follow the project's CSV policy (src/domain/csv.ts): formula cells neutralised,
// UTF-8 with a byte-order mark (&bom=false for none); the workbooks type their cells instead
// (src/ingest/xlsx.ts: text is never a formula), and take no bom.
import { PassThrough } from 'node:stream';
import express from 'express';
import type { Logger } from 'pino';
import type { Db } from '../db/client';
import { databaseFault } from '../db/faults';
import { toCsv, type CsvOptions } from '../domain/csv';
import { ValidationError } from '../domain/errors';
import { checkMinSources, checkText } from '../domain/validation';
import { DateTimeScalar } from '../graphql/scalars';
import { periodEnd, periodStart } from '../domain/periods';
import { Confidence, EventType, ShipmentCategory, ShipmentStatus } from '../generated/prisma/enums';
import { SHIPMENT_CATEGORY_GROUPS } from '../domain/categories';
import {
  EVENT_DIMENSIONS,
  eventStats,
  shipmentReport,
  type Attribution,
  type EventBucketRow,
  type EventDimension,
  type Granularity,
  type ReportEstimates,
  type ShipmentBucketRow,
  type ShipmentDimension,
  type ShipmentReportResult,
} from '../services/reports';
import { checkAsOf } from '../services/history';
import { writeXlsx, XlsxLimitError, type CellValue } from '../ingest/xlsx';

const REPORT_PARAMS = ['from', 'to', 'granularity', 'groupBy', 'attribution', 'asOf', 'reportedBy', 'bom'];
const SHIPMENT_FILTER_PARAMS = ['supplierIds', 'recipientIds', 'categories', 'categoryGroups', 'statuses', 'minConfidence', 'minSources', 'estimates'];
const EVENT_FILTER_PARAMS = ['types', 'actorIds', 'minConfidence', 'minSources', 'minFatalities', 'search', 'fatalities'];

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
    if (!Object.hasOwn(allowed, v)) throw new ValidationError(`${name}[${i}]`, `${name}[${i}] must be one of ${Object.keys(allowed).join(', ')}, got "${v}"`);
  });
  return values;
}

function minConfidence(query: Query): string | undefined {
  const value = single(query, 'minConfidence');
  if (value !== undefined && !Object.hasOwn(Confidence, value)) {
    throw new ValidationError('minConfidence', `minConfidence must be one of ${Object.keys(Confidence).join(', ')}, got "${value}"`);
  }
  return value;
}

/** A number (minFatalities; its range is checked by the service, as GraphQL's). */
function number(query: Query, name: string): number | undefined {
  const value = single(query, name);
  if (value === undefined) return undefined;
  if (value.trim() === '' || Number.isNaN(Number(value))) throw new ValidationError(name, `${name} must be a number, got "${value}"`);
  return Number(value);
}

/** true or false (absent: false). */
function flag(query: Query, name: string): boolean {
  const value = single(query, name);
  if (value !== undefined && !/^(true|false)$/i.test(value)) throw new ValidationError(name, `${name} must be true or false, got "${value}"`);
  return value?.toLowerCase() === 'true';
}

function minSources(query: Query): number | undefined {
  const value = single(query, 'minSources');
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) throw new ValidationError('minSources', `minSources must be a whole number of sources, got "${value}"`);
  return checkMinSources(Number(value), 'minSources') ?? undefined;
}

/** Text the database can take (no NUL, no lone surrogate). */
function text(query: Query, name: string): string | undefined {
  const value = single(query, name);
  checkText(value, name);
  return value;
}

/** `bom=false` leaves the byte-order mark out (for machine consumers); default: there is one. */
function csvOptions(query: Query): CsvOptions {
  const value = single(query, 'bom');
  if (value === undefined) return {};
  if (value !== 'true' && value !== 'false') throw new ValidationError('bom', `bom must be true or false, got "${value}"`);
  return { bom: value === 'true' };
}

/** A workbook has no byte-order mark to leave out: `bom` is refused rather than ignored. */
function noBom(query: Query): void {
  if (query.bom !== undefined) throw new ValidationError('bom', 'bom applies to the CSV files only (a workbook has no byte-order mark)');
}

/**
 * A query string whose percent-escapes are not UTF-8 (`%ED%A0%80`): express keeps such a value
 * as it was sent, escapes and all. Refused instead, naming the parameter.
 */
function checkEncoding(url: string): void {
  const q = url.indexOf('?');
  if (q === -1) return;
  for (const pair of url.slice(q + 1).split('&')) {
    const eq = pair.indexOf('=');
    const [name, value] = eq === -1 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
    for (const part of [name, value]) {
      try {
        decodeURIComponent(part.replace(/\+/g, ' '));
      } catch {
        const field = name.replace(/%[0-9a-f]{2}/gi, '?');
        throw new ValidationError(field, `${field} is not UTF-8 once its percent-escapes are decoded`);
      }
    }
  }
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
    // Checked (a calendar date) by the service, as GraphQL's.
    reportedBy: single(query, 'reportedBy'),
  };
}

function shipmentArgs(query: Query) {
  return {
    ...reportArgs<ShipmentDimension>(query, SHIPMENT_FILTER_PARAMS),
    estimates: single(query, 'estimates')?.toUpperCase() as ReportEstimates | undefined,
    filter: {
      supplierIds: list(query, 'supplierIds'),
      recipientIds: list(query, 'recipientIds'),
      categories: enumList(query, 'categories', ShipmentCategory),
      categoryGroups: enumList(query, 'categoryGroups', Object.fromEntries(SHIPMENT_CATEGORY_GROUPS.map((g) => [g, g]))),
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
      minFatalities: number(query, 'minFatalities'),
      search: text(query, 'search'),
    },
    fatalities: flag(query, 'fatalities') || undefined,
  };
}

interface Column<R> {
  key: keyof R;
  header: string;
}

/**
 * Rows as CSV text under the project's CSV policy (src/domain/csv.ts): a header row, then one
 * row per bucket; empty cells for nulls (an unknown quantity is empty, never 0), true/false for
 * booleans. Figures are written as the API gives them, not by the display rule: spreadsheets sum
 * these columns, and the `estimated` and `exact` columns say which figures are estimates.
 */
function csv<R>(rows: R[], columns: Column<R>[], opts: CsvOptions): string {
  return toCsv(rows as object[], columns as { key: string; header: string }[], opts);
}

/**
 * Columns: the period, the grouped dimensions (actors by id and name), the unit and the figures;
 * the figures added since the first release after the first ones, so that readers by position keep working.
 */
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
    CATEGORY_GROUP: [{ key: 'categoryGroup', header: 'category_group' }],
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
    { key: 'quantityLow', header: 'quantity_low' },
    { key: 'quantityHigh', header: 'quantity_high' },
    { key: 'unknownQuantityLow', header: 'unknown_quantity_low' },
    { key: 'unknownQuantityHigh', header: 'unknown_quantity_high' },
    { key: 'estimated', header: 'estimated' },
    { key: 'exact', header: 'exact' },
  ];
}

/** The shipment report's buckets as CSV (see csv()). */
export function shipmentReportCsv(report: ShipmentReportResult, opts: CsvOptions = {}): string {
  return csv(report.buckets, columns(report), opts);
}

/** Event statistics as CSV: the period, the grouped dimensions (actors by id and name), the count, and with `fatalities` their sums. */
export function eventStatsCsv(buckets: EventBucketRow[], groupBy: readonly EventDimension[], fatalities = false, opts: CsvOptions = {}): string {
  return csv(buckets, eventColumns(groupBy, fatalities), opts);
}

/** The columns of event statistics (see eventStatsCsv). */
function eventColumns(groupBy: readonly EventDimension[], fatalities: boolean): Column<EventBucketRow>[] {
  const dims: Record<EventDimension, Column<EventBucketRow>[]> = {
    TYPE: [{ key: 'type', header: 'type' }],
    ACTOR: [
      { key: 'actorId', header: 'actor_id' },
      { key: 'actorName', header: 'actor' },
    ],
    COUNTRY: [{ key: 'country', header: 'country' }],
    CONFIDENCE: [{ key: 'confidence', header: 'confidence' }],
  };
  return [
    { key: 'period', header: 'period' },
    { key: 'start', header: 'start' },
    { key: 'end', header: 'end' },
    // In the canonical order, as the service sorts them.
    ...EVENT_DIMENSIONS.filter((d) => groupBy.includes(d)).flatMap((d) => dims[d]),
    { key: 'events', header: 'events' },
    ...(fatalities
      ? ([
          { key: 'fatalities', header: 'fatalities' },
          { key: 'fatalitiesLow', header: 'fatalities_low' },
          { key: 'fatalitiesHigh', header: 'fatalities_high' },
          { key: 'unknownFatalities', header: 'unknown_fatalities' },
          { key: 'estimatedFatalities', header: 'estimated_fatalities' },
        ] as Column<EventBucketRow>[])
      : []),
  ];
}

/** Rows as a workbook of one sheet (src/ingest/xlsx.ts: periods and dates text, figures numbers, nothing a formula). */
async function xlsx<R>(sheet: string, rows: R[], columns: Column<R>[]): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await writeXlsx(out, [{ name: sheet, header: columns.map((c) => c.header), rows: rows.map((r) => columns.map((c) => r[c.key] as CellValue)) }]);
  return Buffer.concat(chunks);
}

const CSV_TYPE = 'text/csv; charset=utf-8';
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The file name of a report over [start, end] (first and last day of its periods). */
function fileName(kind: string, start: string, end: string, granularity: Granularity): string {
  return `${kind}_${start}_${end}_${granularity.toLowerCase()}.csv`;
}

/** Seconds a client is asked to wait before trying again while the database is away. */
const RETRY_AFTER_SECONDS = 5;

/**
 * A report file's route (CSV or XLSX): `produce` turns the query string into the file. Bad input
 * is a 400 naming the parameter (a report too large for a spreadsheet too: fewer groups); the
 * database away (or its connections terminated, or a statement cancelled for taking too long) a
 * 503; anything else a 500, logged with its cause and the request's id.
 */
function fileRoute(
  router: express.Router,
  path: string,
  type: string,
  produce: (query: Query, res: express.Response) => Promise<{ name: string; body: string | Buffer }>,
  opts: ReportsRouterOptions,
): void {
  router.get(path, async (req, res) => {
    try {
      checkEncoding(req.originalUrl);
      const { name, body } = await produce(req.query as Query, res);
      res.status(200).type(type).set('Content-Disposition', `attachment; filename="${name}"`).send(body);
    } catch (err) {
      if (err instanceof ValidationError) {
        // The service names filter fields as in GraphQL (filter.supplierIds[0]); here they are parameters.
        const field = err.field.replace(/^filter\./, '');
        res.status(400).json({ error: 'BAD_USER_INPUT', field, message: err.message.replace(/filter\./g, '') });
        return;
      }
      if (err instanceof XlsxLimitError) {
        res.status(400).json({ error: 'BAD_USER_INPUT', field: 'groupBy', message: err.message });
        return;
      }
      const fault = databaseFault(err);
      if (fault) {
        opts.logger?.warn({ reqId: opts.requestId(res), err: String(err), fault }, 'report not produced: database fault');
        res.status(503).set('Retry-After', String(RETRY_AFTER_SECONDS));
        res.json(
          fault === 'timeout'
            ? { error: 'QUERY_TIMEOUT', message: 'The report took too long and was cancelled; ask for a shorter window or fewer groups' }
            : { error: 'SERVICE_UNAVAILABLE', message: 'The database is unavailable; try again shortly' },
        );
        return;
      }
      opts.logger?.error({ reqId: opts.requestId(res), err, path }, `unexpected error producing a ${type === CSV_TYPE ? 'CSV' : 'XLSX'} report`);
      res.status(500).json({ error: 'INTERNAL_SERVER_ERROR', message: 'The report could not be produced' });
    }
  });
}

export interface ReportsRouterOptions {
  /** Where this request reads: a replica, or the primary for a key that just wrote. */
  dbFor: (res: express.Response) => Db;
  /** The request's id, for the log line of a failure. */
  requestId: (res: express.Response) => string | undefined;
  logger?: Logger;
}

export function reportsRouter(opts: ReportsRouterOptions): express.Router {
  const router = express.Router();
  fileRoute(
    router,
    '/shipments.csv',
    CSV_TYPE,
    async (query, res) => {
      const db = opts.dbFor(res);
      const args = shipmentArgs(query);
      const format = csvOptions(query);
      const report = await shipmentReport(db, { ...args, asOf: await asOf(db, query) });
      return { name: fileName('shipments', report.start, report.end, report.granularity), body: shipmentReportCsv(report, format) };
    },
    opts,
  );
  fileRoute(
    router,
    '/events.csv',
    CSV_TYPE,
    async (query, res) => {
      const db = opts.dbFor(res);
      const args = eventArgs(query);
      const format = csvOptions(query);
      const buckets = await eventStats(db, { ...args, asOf: await asOf(db, query) });
      // eventStats has validated from, to, granularity and groupBy.
      const granularity = args.granularity ?? 'MONTH';
      const name = fileName('events', periodStart(args.from, granularity), periodEnd(args.to, granularity), granularity);
      return { name, body: eventStatsCsv(buckets, args.groupBy ?? [], args.fatalities ?? false, format) };
    },
    opts,
  );
  // The same reports as spreadsheets.
  fileRoute(
    router,
    '/shipments.xlsx',
    XLSX_TYPE,
    async (query, res) => {
      const db = opts.dbFor(res);
      const args = shipmentArgs(query);
      noBom(query);
      const report = await shipmentReport(db, { ...args, asOf: await asOf(db, query) });
      const name = fileName('shipments', report.start, report.end, report.granularity).replace(/\.csv$/, '.xlsx');
      return { name, body: await xlsx('shipments', report.buckets, columns(report)) };
    },
    opts,
  );
  fileRoute(
    router,
    '/events.xlsx',
    XLSX_TYPE,
    async (query, res) => {
      const db = opts.dbFor(res);
      const args = eventArgs(query);
      noBom(query);
      const buckets = await eventStats(db, { ...args, asOf: await asOf(db, query) });
      const granularity = args.granularity ?? 'MONTH';
      const name = fileName('events', periodStart(args.from, granularity), periodEnd(args.to, granularity), granularity).replace(/\.csv$/, '.xlsx');
      return { name, body: await xlsx('events', buckets, eventColumns(args.groupBy ?? [], args.fatalities ?? false)) };
    },
    opts,
  );
  return router;
}
