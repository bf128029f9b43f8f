// "As reported by" a day (issue #26 item 4): which records had been reported by then, and with
// which values. The one place of the rule: every path (event and shipment lists, the timeline
// and its months, the shipment report and eventStats, their CSV) reads its records through
// recordsRelation(), and corroboration counts only sources published by then (publishedBy).
//
// - A record (event, shipment, affiliation) counts once one of its live citations comes from a
//   live source published on or before the day. A publication span counts from its end
//   (sources.published_end: a window 2023-10-13..2023-10-31 is out, for sure, on the 31st). A
//   source with no publication date never counts: nothing shows it was out by then.
// - Its values are those claimed by then, where such claims exist: a claim about a field, with a
//   value, dated by its statedOn, else by the publication end of its citation's source (a claim
//   with neither never counts); of several about one field, the accepted one, else the latest
//   (then the last recorded). A field without such a claim keeps the record's own value.
// - With asOf, records, citations, sources and claims are all read as the database held them then.
//
// Claims hold canonical text (src/domain/claims.ts). Quantities and spans are parsed by the
// domain's own parsers, not again in SQL: resolveReportedBy reads the distinct claimed values
// once and parses them, and the relation joins them back by value (a small JSON parameter).
import { Prisma } from '../../generated/prisma/client';
import type { ClaimSubjectKind } from '../../domain/claims';
import { hasOpenEnd } from '../../domain/dateSpan';
import { parseQuantity } from '../../domain/quantity';
import { parseSpan } from '../../domain/validation';
import type { Db } from '../client';
import { onReplica } from '../replicas';
import { quantityFields } from '../../domain/spans';
import { relationAsOf } from './history';

/** Claimed fields whose text the domain parses (a quantity, a span). */
const PARSED_FIELDS = ['quantity', 'deliverySpan', 'date'];

/** A claimed quantity or span, parsed into the record's columns. */
interface ParsedValue {
  field: string;
  value: string;
  best?: number | null;
  low?: number | null;
  high?: number | null;
  qualifier?: string | null;
  start?: string;
  end?: string;
  precision?: string;
  edtf?: string | null;
  open?: boolean;
}

/** A `reportedBy` day resolved for the statements: the day, the fields claimed by then, their parsed values. */
export interface ReportedBy {
  /** YYYY-MM-DD. */
  date: string;
  /** Per kind of record, the fields with a claim dated by then: only those are overridden. */
  fields: Record<ClaimSubjectKind, string[]>;
  values: ParsedValue[];
}

/** What the relations of this module need of a filter. */
export interface ReportedFilter {
  asOf?: string | null;
  reportedBy?: ReportedBy | null;
}

/** A claim's date: its statedOn, else its citation's source's publication end (cl, cc, cs as in datedClaims). */
const CLAIM_DATE = Prisma.raw('coalesce(cl.stated_on, cs.published_end)');

/** Live claims dated on or before the day (aliases: cl, its citation cc, source cs): what a record's `claims` lists then. */
export function claimsDatedBy(date: string, asOf: string | null | undefined): Prisma.Sql {
  return Prisma.sql`${relationAsOf('claims', asOf)} cl
    LEFT JOIN ${relationAsOf('citations', asOf)} cc ON cc.id = cl.citation_id AND cc.deleted_at IS NULL
    LEFT JOIN ${relationAsOf('sources', asOf)} cs ON cs.id = cc.source_id AND cs.deleted_at IS NULL
    WHERE cl.deleted_at IS NULL AND ${CLAIM_DATE} <= ${date}::date`;
}

/** Those of claimsDatedBy about a field, with a value: the ones that replace a record's values. */
function datedClaims(date: string, asOf: string | null | undefined): Prisma.Sql {
  return Prisma.sql`${claimsDatedBy(date, asOf)} AND cl.field IS NOT NULL AND cl.value IS NOT NULL`;
}

/** A claimed value's columns: a quantity's best/low/high/qualifier, a span's bounds, precision, EDTF and open end. */
function parseValue(field: string, value: string): ParsedValue {
  if (field === 'quantity') {
    const q = quantityFields(parseQuantity(value));
    return { field, value, best: q.quantity, low: q.quantityLow, high: q.quantityHigh, qualifier: q.quantityQualifier };
  }
  const span = parseSpan({ edtf: value }, field);
  return { field, value, start: span.start, end: span.end, precision: span.precision, edtf: span.edtf ?? null, open: hasOpenEnd(span) };
}

/**
 * The day resolved for the statements: which fields have a claim dated by then (per kind of
 * record), and the claimed quantities and spans parsed (one small statement).
 */
export async function resolveReportedBy(db: Db, date: string, asOf: string | null | undefined): Promise<ReportedBy> {
  const rows = await onReplica(
    db,
    (r) => r.$queryRaw<{ kind: ClaimSubjectKind; field: string; values: string[] | null }[]>`
    SELECT CASE WHEN cl.event_id IS NOT NULL THEN 'event' ELSE 'shipment' END AS kind, cl.field,
           array_agg(DISTINCT cl.value) FILTER (WHERE cl.field = ANY(${PARSED_FIELDS}::text[])) AS values
    FROM ${datedClaims(date, asOf)}
    GROUP BY 1, 2`,
    asOf,
  );
  const fields: Record<ClaimSubjectKind, string[]> = { event: [], shipment: [] };
  const values: ParsedValue[] = [];
  for (const row of rows) {
    fields[row.kind].push(row.field);
    for (const value of row.values ?? []) values.push(parseValue(row.field, value));
  }
  return { date, fields, values };
}

// ------------------------------------------------------------------------------ the relations

/** The tables read through recordsRelation, by the citation column naming their records. */
type ReportedTable = 'events' | 'shipments' | 'affiliations';
const CITED: Record<ReportedTable, string> = { events: 'event_id', shipments: 'shipment_id', affiliations: 'affiliation_id' };
const SUBJECT: Record<'events' | 'shipments', { kind: ClaimSubjectKind; column: string }> = {
  events: { kind: 'event', column: 'event_id' },
  shipments: { kind: 'shipment', column: 'shipment_id' },
};

/** The columns every event and shipment has: its confidence, where it came from, and its life. */
const RECORD_COLUMNS = ['confidence', 'dataset', 'external_id', 'created_at', 'updated_at', 'deleted_at'];

/**
 * Every column of the tables whose values claims can replace, in one list each: the relation
 * names them all (a column missing here is an error in any statement that reads it).
 */
export const COLUMNS: Record<'events' | 'shipments', readonly string[]> = {
  events: [
    'id',
    'type',
    'title',
    'description',
    'span_start',
    'span_end',
    'span_precision',
    'span_text',
    'span_edtf',
    'location_name',
    'location_country_code',
    'latitude',
    'longitude',
    ...RECORD_COLUMNS,
    'fatalities',
    'fatalities_low',
    'fatalities_high',
    'fatalities_qualifier',
    'dataset_fields',
  ],
  shipments: [
    'id',
    'supplier_id',
    'recipient_id',
    'category',
    'description',
    'quantity',
    'quantity_low',
    'quantity_high',
    'quantity_qualifier',
    'unit',
    'delivery_start',
    'delivery_end',
    'delivery_precision',
    'delivery_text',
    'delivery_edtf',
    'delivery_open',
    'status',
    'route',
    ...RECORD_COLUMNS,
    'dataset_fields',
  ],
};

/**
 * The columns a claimed field replaces, each with its expression over the winning claim's value
 * (o."field") or its parsed columns (v_<field in lower case>.*). A claimed span has no text of its own: the
 * record's text describes the record's span, so it is left out (null).
 */
const OVERRIDES: Record<'events' | 'shipments', Record<string, Record<string, string>>> = {
  events: {
    type: { type: `o."type"::"EventType"` },
    title: { title: `o."title"` },
    description: { description: `o."description"` },
    date: {
      span_start: 'v_date.start',
      span_end: 'v_date."end"',
      span_precision: 'v_date.precision',
      span_text: 'NULL::text',
      span_edtf: 'v_date.edtf',
    },
  },
  shipments: {
    supplier: { supplier_id: `o."supplier"::uuid` },
    recipient: { recipient_id: `o."recipient"::uuid` },
    category: { category: `o."category"::"ShipmentCategory"` },
    description: { description: `o."description"` },
    quantity: {
      quantity: 'v_quantity.best',
      quantity_low: 'v_quantity.low',
      quantity_high: 'v_quantity.high',
      quantity_qualifier: 'v_quantity.qualifier',
    },
    unit: { unit: `o."unit"` },
    deliverySpan: {
      delivery_start: 'v_deliveryspan.start',
      delivery_end: 'v_deliveryspan."end"',
      delivery_precision: 'v_deliveryspan.precision',
      delivery_text: 'NULL::text',
      delivery_edtf: 'v_deliveryspan.edtf',
      delivery_open: 'v_deliveryspan.open',
    },
    status: { status: `o."status"::"ShipmentStatus"` },
    route: { route: `o."route"` },
  },
};

/** `alias`'s record has a live citation from a live source published by the day (as of asOf). */
export function reportedCondition(table: ReportedTable, alias: string, f: ReportedFilter): Prisma.Sql[] {
  if (!f.reportedBy) return [];
  return [
    Prisma.sql`EXISTS (SELECT 1 FROM ${relationAsOf('citations', f.asOf)} rc
      JOIN ${relationAsOf('sources', f.asOf)} rs ON rs.id = rc.source_id AND rs.deleted_at IS NULL
      WHERE rc.${Prisma.raw(CITED[table])} = ${Prisma.raw(alias)}.id AND rc.deleted_at IS NULL AND rs.published_end <= ${f.reportedBy.date}::date)`,
  ];
}

/** Sources (aliased `alias`) published by the day, for corroboration: none counts later or undated. */
export function publishedBy(alias: string, f: ReportedFilter): Prisma.Sql {
  return f.reportedBy ? Prisma.sql` AND ${Prisma.raw(alias)}.published_end <= ${f.reportedBy.date}::date` : Prisma.empty;
}

/**
 * The FROM-clause relation for events, shipments or affiliations: the live table, or as of
 * asOf (relationAsOf); with reportedBy, only the records reported by the day, their fields
 * claimed by then holding the claimed values, under the same column names (the caller adds its
 * alias). Only the fields some claim covers by then are replaced: without any, the columns are
 * the table's own, and a statement keeps its index order.
 */
export function recordsRelation(table: ReportedTable, f: ReportedFilter): Prisma.Sql {
  const rel = relationAsOf(table, f.asOf);
  const reported = f.reportedBy;
  if (!reported) return rel;
  const where = reportedCondition(table, 'r', f)[0];
  if (table === 'affiliations') return Prisma.sql`(SELECT r.* FROM ${rel} r WHERE ${where})`;
  const { kind, column } = SUBJECT[table];
  // Only names this module knows are written into the statement.
  const claimed = reported.fields[kind].filter((field) => Object.hasOwn(OVERRIDES[table], field));
  if (!claimed.length) return Prisma.sql`(SELECT r.* FROM ${rel} r WHERE ${where})`;
  const replaced = new Map<string, string>();
  for (const field of claimed) {
    for (const [col, expr] of Object.entries(OVERRIDES[table][field])) replaced.set(col, `CASE WHEN o."${field}" IS NOT NULL THEN ${expr} ELSE r.${col} END`);
  }
  const columns = COLUMNS[table].map((col) => (replaced.has(col) ? `${replaced.get(col)} AS ${col}` : `r.${col}`)).join(', ');
  const pivot = claimed.map((field) => `max(w.value) FILTER (WHERE w.field = '${field}') AS "${field}"`).join(', ');
  // The parsed values of the claimed quantities and spans, joined by value.
  const parsed = claimed.filter((field) => PARSED_FIELDS.includes(field));
  const values = Prisma.sql`json_to_recordset(${JSON.stringify(reported.values)}::json) AS v(field text, value text, best float8, low float8,
    high float8, qualifier "QuantityQualifier", start date, "end" date, precision "DatePrecision", edtf text, open boolean)`;
  const joins = parsed.map(
    (field) => Prisma.sql`LEFT JOIN (SELECT * FROM ${values} WHERE v.field = ${field}) AS ${Prisma.raw(`v_${field.toLowerCase()}`)}
      ON ${Prisma.raw(`v_${field.toLowerCase()}.value = o."${field}"`)}`,
  );
  // Per record and field, the winning claim: the accepted one, else the latest by its date, then by when it was recorded.
  return Prisma.sql`(SELECT ${Prisma.raw(columns)}
    FROM ${rel} r
    LEFT JOIN (
      SELECT w.subject, ${Prisma.raw(pivot)}
      FROM (SELECT DISTINCT ON (cl.${Prisma.raw(column)}, cl.field) cl.${Prisma.raw(column)} AS subject, cl.field, cl.value
            FROM ${datedClaims(reported.date, f.asOf)} AND cl.${Prisma.raw(column)} IS NOT NULL
            ORDER BY cl.${Prisma.raw(column)}, cl.field, cl.accepted DESC, ${CLAIM_DATE} DESC, cl.created_at DESC, cl.id DESC) AS w
      GROUP BY w.subject
    ) AS o ON o.subject = r.id
    ${joins.length ? Prisma.join(joins, ' ') : Prisma.empty}
    WHERE ${where})`;
}
