// CSV per kind: one file per kind of record, one row per record, the columns below
// (dotted names are the nested fields of the NDJSON record). Array cells (aliases,
// participants, events) hold JSON, or for aliases and events a "|"-separated list.
// Empty cells are absent fields. A `kind` column, the import's --kind or the file name
// (actors.csv, events.csv …) says which kind the rows are.
import type { Kind } from './records';

export const CSV_COLUMNS: Record<Kind, readonly string[]> = {
  actor: ['id', 'dataset', 'externalId', 'name', 'actorKind', 'countryCode', 'description', 'aliases'],
  source: ['id', 'dataset', 'externalId', 'publisher', 'title', 'url', 'publishedAt', 'reliability', 'derivedFrom.dataset', 'derivedFrom.externalId'],
  event: [
    'id', 'dataset', 'externalId', 'type', 'title', 'description',
    'date.start', 'date.end', 'date.precision', 'date.text',
    'location.name', 'location.countryCode', 'location.latitude', 'location.longitude',
    'confidence', 'participants',
  ],
  affiliation: [
    'id', 'dataset', 'externalId',
    'actor.dataset', 'actor.externalId', 'actor.name', 'target.dataset', 'target.externalId', 'target.name',
    'role', 'title', 'span.start', 'span.end', 'span.precision', 'span.text', 'confidence',
  ],
  shipment: [
    'id', 'dataset', 'externalId',
    'supplier.dataset', 'supplier.externalId', 'supplier.name', 'recipient.dataset', 'recipient.externalId', 'recipient.name',
    'category', 'description', 'quantity', 'unit',
    'delivery.start', 'delivery.end', 'delivery.precision', 'delivery.text',
    'status', 'route', 'confidence', 'events',
  ],
  citation: [
    'id', 'dataset', 'externalId', 'source.dataset', 'source.externalId',
    'event.dataset', 'event.externalId', 'shipment.dataset', 'shipment.externalId', 'affiliation.dataset', 'affiliation.externalId',
    'excerpt', 'credibility', 'evidenceType',
  ],
  claim: [
    'id', 'dataset', 'externalId', 'claimant.dataset', 'claimant.externalId', 'claimant.name', 'statedOn',
    'event.dataset', 'event.externalId', 'shipment.dataset', 'shipment.externalId', 'citation.dataset', 'citation.externalId',
    'field', 'value', 'likelihood', 'confidence', 'accepted',
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
      value = cell.split('|').map((s) => s.trim()).filter(Boolean);
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

/** An (export) record as a CSV row in CSV_COLUMNS[kind] order. */
export function recordToCsvRow(record: Record<string, unknown>, kind: Kind): string[] {
  return CSV_COLUMNS[kind].map((column) => {
    let value: unknown = record;
    for (const part of column.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
    if (value === undefined || value === null) return '';
    if (Array.isArray(value)) return value.length === 0 ? '' : JSON.stringify(value);
    return String(value);
  });
}
