// GET /reports/shipments.csv — the shipment report (the buckets of GraphQL's shipmentReport)
// as CSV, for analysts who paste into spreadsheets. Same arguments and validation:
//
//   /reports/shipments.csv?from=2023-01-01&to=2023-12-31&granularity=MONTH
//     &groupBy=SUPPLIER,RECIPIENT&attribution=PRO_RATA
//     &supplierIds=…&recipientIds=…&categories=…&statuses=…&minConfidence=…&minSources=…
//
// Lists are comma-separated (or the parameter repeated). Bad input is a 400 with a JSON body
// naming the parameter at fault: {"error":"BAD_USER_INPUT","field":"to","message":"…"}.
import { stringify } from 'csv-stringify/sync';
import express from 'express';
import type { Db } from '../db/client';
import { ValidationError } from '../domain/errors';
import { Confidence, ShipmentCategory, ShipmentStatus } from '../generated/prisma/enums';
import {
  shipmentReport,
  type Attribution,
  type Granularity,
  type ShipmentBucketRow,
  type ShipmentDimension,
  type ShipmentReportResult,
} from '../services/reports';

const PARAMS = [
  'from',
  'to',
  'granularity',
  'groupBy',
  'attribution',
  'supplierIds',
  'recipientIds',
  'categories',
  'statuses',
  'minConfidence',
  'minSources',
] as const;

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

/** The report's arguments from the query string (value checks are the service's, as for GraphQL). */
function reportArgs(query: Query) {
  const unknown = Object.keys(query).find((k) => !(PARAMS as readonly string[]).includes(k));
  if (unknown) throw new ValidationError(unknown, `Unknown parameter "${unknown}"; expected ${PARAMS.join(', ')}`);
  const minConfidence = single(query, 'minConfidence');
  if (minConfidence !== undefined && !(minConfidence in Confidence)) {
    throw new ValidationError('minConfidence', `minConfidence must be one of ${Object.keys(Confidence).join(', ')}, got "${minConfidence}"`);
  }
  const minSources = single(query, 'minSources');
  if (minSources !== undefined && !/^\d+$/.test(minSources.trim())) {
    throw new ValidationError('minSources', `minSources must be a whole number of sources, got "${minSources}"`);
  }
  return {
    from: single(query, 'from') as string,
    to: single(query, 'to') as string,
    granularity: single(query, 'granularity')?.toUpperCase() as Granularity | undefined,
    groupBy: list(query, 'groupBy')?.map((d) => d.toUpperCase()) as ShipmentDimension[] | undefined,
    attribution: single(query, 'attribution')?.toUpperCase() as Attribution | undefined,
    filter: {
      supplierIds: list(query, 'supplierIds'),
      recipientIds: list(query, 'recipientIds'),
      categories: enumList(query, 'categories', ShipmentCategory),
      statuses: enumList(query, 'statuses', ShipmentStatus),
      minConfidence,
      minSources: minSources === undefined ? undefined : Number(minSources),
    },
  };
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

/**
 * The report as CSV text: a header row, then one row per bucket; empty cells for nulls (an
 * unknown quantity is empty, never 0). A text cell a spreadsheet would run as a formula
 * (starting with = + - @ or a tab) is prefixed with an apostrophe.
 */
export function shipmentReportCsv(report: ShipmentReportResult): string {
  return stringify(report.buckets, {
    header: true,
    columns: columns(report),
    cast: { string: (v) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v) },
  });
}

/** `dbFor`: where this request reads (a replica, or the primary for a key that just wrote). */
export function reportsRouter(dbFor: (res: express.Response) => Db): express.Router {
  const router = express.Router();
  router.get('/shipments.csv', async (req, res) => {
    try {
      const args = reportArgs(req.query as Query);
      const report = await shipmentReport(dbFor(res), args);
      const name = `shipments_${report.start}_${report.end}_${report.granularity.toLowerCase()}.csv`;
      res
        .status(200)
        .type('text/csv; charset=utf-8')
        .set('Content-Disposition', `attachment; filename="${name}"`)
        .send(shipmentReportCsv(report));
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
  return router;
}
