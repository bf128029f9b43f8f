// CSV per kind: one file per kind of record, one row per record, the columns below
// (dotted names are the nested fields of the NDJSON record). Array cells (aliases,
// participants, events) hold JSON, or for aliases and events a "|"-separated list.
// Empty cells are absent fields. A `kind` column, the import's --kind or the file name
// (actors.csv, events.csv …) says which kind the rows are. Columns added later come last,
// so that files and tools reading columns by position keep working; any record field can
// be a column on import (quantityText, for one, which exports do not write). Files are written
// and read under the project's CSV policy (src/domain/csv.ts): the export neutralises formula
// cells, this layout's reader restores them, so an export imports back exactly.
import { restoreCell } from '../domain/csv';
import type { CsvLayout } from './layout';
import type { Kind } from './records';

export const CSV_COLUMNS: Record<Kind, readonly string[]> = {
  actor: ['id', 'dataset', 'externalId', 'name', 'actorKind', 'countryCode', 'description', 'aliases'],
  source: [
    'id',
    'dataset',
    'externalId',
    'publisher',
    'title',
    'url',
    'publishedAt',
    'reliability',
    'derivedFrom.dataset',
    'derivedFrom.externalId',
    'published.start',
    'published.end',
    'published.precision',
    'published.text',
    'published.edtf',
  ],
  event: [
    'id',
    'dataset',
    'externalId',
    'type',
    'title',
    'description',
    'date.start',
    'date.end',
    'date.precision',
    'date.text',
    'location.name',
    'location.countryCode',
    'location.latitude',
    'location.longitude',
    'confidence',
    'participants',
    'date.edtf',
    'fatalities',
    'fatalitiesLow',
    'fatalitiesHigh',
    'fatalitiesQualifier',
    'datasetFields',
  ],
  affiliation: [
    'id',
    'dataset',
    'externalId',
    'actor.dataset',
    'actor.externalId',
    'actor.name',
    'target.dataset',
    'target.externalId',
    'target.name',
    'role',
    'title',
    'span.start',
    'span.end',
    'span.precision',
    'span.text',
    'confidence',
    'span.edtf',
  ],
  shipment: [
    'id',
    'dataset',
    'externalId',
    'supplier.dataset',
    'supplier.externalId',
    'supplier.name',
    'recipient.dataset',
    'recipient.externalId',
    'recipient.name',
    'category',
    'description',
    'quantity',
    'unit',
    'delivery.start',
    'delivery.end',
    'delivery.precision',
    'delivery.text',
    'status',
    'route',
    'confidence',
    'events',
    'quantityLow',
    'quantityHigh',
    'quantityQualifier',
    'delivery.edtf',
    'datasetFields',
  ],
  citation: [
    'id',
    'dataset',
    'externalId',
    'source.dataset',
    'source.externalId',
    'event.dataset',
    'event.externalId',
    'shipment.dataset',
    'shipment.externalId',
    'affiliation.dataset',
    'affiliation.externalId',
    'excerpt',
    'credibility',
    'evidenceType',
  ],
  claim: [
    'id',
    'dataset',
    'externalId',
    'claimant.dataset',
    'claimant.externalId',
    'claimant.name',
    'statedOn',
    'event.dataset',
    'event.externalId',
    'shipment.dataset',
    'shipment.externalId',
    'citation.dataset',
    'citation.externalId',
    'field',
    'value',
    'likelihood',
    'confidence',
    'accepted',
  ],
};

const LIST_COLUMNS = new Set(['aliases', 'events']);

/** A CSV row (header → cell) as an import record: dotted columns nest, empty cells are left out. */
export function csvRowToRecord(row: Record<string, string>, kind: Kind | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (kind && !row.kind) out.kind = kind;
  for (const [column, cell] of Object.entries(row)) {
    if (cell === undefined || cell === null || cell.trim() === '') continue;
    let value: unknown = cell;
    if (LIST_COLUMNS.has(column) && !cell.trim().startsWith('[')) {
      value = cell
        .split('|')
        .map((s) => s.trim())
        .filter(Boolean);
    }
    const parts = column.split('.');
    let target = out;
    for (const part of parts.slice(0, -1)) {
      if (typeof target[part] !== 'object' || target[part] === null) target[part] = {};
      target = target[part] as Record<string, unknown>;
    }
    target[parts[parts.length - 1]] = value;
  }
  return out;
}

/**
 * The layout of CSV per kind: a header naming record fields, one of them `externalId` or `kind`.
 * The one layout the project writes (npm run export), so the one whose cells are read back
 * through the CSV policy (restoreCell); the datasets' layouts are read as their publishers write them.
 */
export const CSV_LAYOUT: CsvLayout = {
  name: 'csv',
  expected: 'a CSV of records (a header with an externalId or kind column: see npm run export -- --format csv)',
  isHeader: (cells) => cells.some((c) => c.trim() === 'externalId' || c.trim() === 'kind'),
  column: (header, i) => header[i]?.trim() ?? '',
  reader(header, { kind }) {
    const names = header.map((h) => h.trim());
    return (cells, line) => [{ line, raw: csvRowToRecord(Object.fromEntries(names.map((h, i) => [h, restoreCell(cells[i] ?? '')])), kind) }];
  },
};

/**
 * An (export) record's cells in CSV_COLUMNS[kind] order, typed: numbers and booleans as they are
 * (for spreadsheets; the CSV policy neutralises text, never a number such as a negative
 * latitude), lists and objects as JSON text, absent fields null.
 */
export function recordToCells(record: Record<string, unknown>, kind: Kind): (string | number | boolean | null)[] {
  return CSV_COLUMNS[kind].map((column) => {
    let value: unknown = record;
    for (const part of column.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
    if (value === undefined || value === null) return null;
    if (Array.isArray(value)) return value.length === 0 ? null : JSON.stringify(value);
    if (typeof value === 'object') return JSON.stringify(value);
    if (typeof value === 'number' || typeof value === 'boolean') return value;
    return String(value);
  });
}

/** An (export) record as a CSV row in CSV_COLUMNS[kind] order (absent fields empty). */
export function recordToCsvRow(record: Record<string, unknown>, kind: Kind): (string | number | boolean)[] {
  return recordToCells(record, kind).map((v) => (v === null ? '' : v));
}
