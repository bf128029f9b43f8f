// Rows the loaders read (src/graphql/loaders.ts), in two forms: the columns aliased to the
// model's field names (a statement of their own), and one JSON value, which a page's statement
// brings along where the loader would issue another statement (a timeline page's actors, a
// shipments page's suppliers and recipients, an events page's participants and citations with
// their actors and sources, each put on its parent row: src/db/models.ts). `fromJson` turns the
// JSON form into the same object.
import { Prisma } from '../../generated/prisma/client';
import type { Actor, Citation, Event, EventParticipant, Source } from '../../generated/prisma/client';

/** [column, model field, 'date' for a date or timestamptz column (a Date in the row)]. */
type Field = readonly [column: string, field: string, type?: 'date'];

/** The model fields to read of a row: 'all', or these (besides the shape's `always`). */
export type Columns = 'all' | readonly string[];

/** A row as one JSON array, its values in the fields' order (no field names to send and parse). */
export interface JsonRow<T> {
  json: Prisma.Sql;
  /** A row read as `json` (dates arrive as text), as the columns' row (of the fields read). */
  fromJson(values: unknown[]): T;
}

export interface RowShape<T> extends JsonRow<T> {
  /** The columns of table alias `alias`, aliased to the model's fields. */
  columns: Prisma.Sql;
  /** The model fields read whatever is picked. */
  always: readonly string[];
  /** The columns of some fields only, and of those `always` read (a page's own rows, as `pick`). */
  pickColumns(columns: Columns): Prisma.Sql;
  /**
   * The JSON form of some fields only, and of those `always` read (a page's selection:
   * src/graphql/selection.ts). The row is partial: only the resolvers of what was selected read it.
   */
  pick(columns: Columns): JsonRow<T>;
}

/**
 * A row from its values as a JSON array: `names[i]` gets `values[i]`, a Date where `dated[i]`
 * (JSON brings dates as ISO text, with its offset for a timestamptz, without for a date: read as
 * UTC midnight, as the pg types do).
 */
export function rowFromJson(names: readonly string[], dated: readonly boolean[], values: readonly unknown[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (let i = 0; i < names.length; i++) row[names[i]] = dated[i] && values[i] !== null ? new Date(values[i] as string) : values[i];
  return row;
}

function jsonRow<T>(alias: string, fields: readonly Field[]): JsonRow<T> {
  const names = fields.map(([, field]) => field);
  const dated = fields.map(([, , type]) => type === 'date');
  return {
    json: Prisma.raw(`json_build_array(${fields.map(([c]) => `${alias}.${c}`).join(', ')})`),
    fromJson: (values) => rowFromJson(names, dated, values) as T,
  };
}

function rowShape<T>(alias: string, fields: readonly Field[], always: readonly string[]): RowShape<T> {
  const columnsOf = (kept: readonly Field[]) => Prisma.raw(kept.map(([c, f]) => (c === f ? `${alias}.${c}` : `${alias}.${c} AS "${f}"`)).join(', '));
  const whole = { ...jsonRow<T>(alias, fields), columns: columnsOf(fields) };
  // One per distinct selection (at most 2^fields), so that a statement's text, and its prepared plan, recur.
  const picked = new Map<string, JsonRow<T> & { columns: Prisma.Sql }>();
  const pick = (columns: Columns) => {
    if (columns === 'all') return whole;
    const kept = fields.filter(([, f]) => always.includes(f) || columns.includes(f));
    const key = kept.map(([, f]) => f).join();
    let row = picked.get(key);
    if (!row) picked.set(key, (row = { ...jsonRow<T>(alias, kept), columns: columnsOf(kept) }));
    return row;
  };
  return { ...whole, always, pick, pickColumns: (columns) => pick(columns).columns };
}

const STAMPS: readonly Field[] = [
  ['created_at', 'createdAt', 'date'],
  ['updated_at', 'updatedAt', 'date'],
  ['deleted_at', 'deletedAt', 'date'],
];

/**
 * An event (table alias e). Always read: what its cursor, its date's bounds and the live/deleted
 * check need (as a timeline page's events, src/db/queries/timeline.ts); the date's EDTF only
 * when a selection asks for what it says (src/graphql/selection.ts).
 */
export const EVENT_ROW = rowShape<Event>(
  'e',
  [
    ['id', 'id'],
    ['type', 'type'],
    ['title', 'title'],
    ['description', 'description'],
    ['span_start', 'spanStart', 'date'],
    ['span_end', 'spanEnd', 'date'],
    ['span_precision', 'spanPrecision'],
    ['span_text', 'spanText'],
    ['span_edtf', 'spanEdtf'],
    ['location_name', 'locationName'],
    ['location_country_code', 'locationCountryCode'],
    ['latitude', 'latitude'],
    ['longitude', 'longitude'],
    ['confidence', 'confidence'],
    ['fatalities', 'fatalities'],
    ['fatalities_low', 'fatalitiesLow'],
    ['fatalities_high', 'fatalitiesHigh'],
    ['fatalities_qualifier', 'fatalitiesQualifier'],
    ['dataset_fields', 'datasetFields'],
    ...STAMPS,
  ],
  ['id', 'spanStart', 'spanEnd', 'spanPrecision', 'spanText', 'deletedAt'],
);

/** An actor (table alias a). */
export const ACTOR_ROW = rowShape<Actor>(
  'a',
  [['id', 'id'], ['name', 'name'], ['kind', 'kind'], ['country_code', 'countryCode'], ['description', 'description'], ...STAMPS],
  ['id'],
);

/** A source (table alias so). */
export const SOURCE_ROW = rowShape<Source>(
  'so',
  [
    ['id', 'id'],
    ['publisher', 'publisher'],
    ['title', 'title'],
    ['url', 'url'],
    ['published_at', 'publishedAt', 'date'],
    ['published_end', 'publishedEnd', 'date'],
    ['published_precision', 'publishedPrecision'],
    ['published_text', 'publishedText'],
    ['published_edtf', 'publishedEdtf'],
    ['reliability', 'reliability'],
    ['derived_from_id', 'derivedFromId'],
    ['dataset', 'dataset'],
    ['external_id', 'externalId'],
    ...STAMPS,
  ],
  ['id'],
);

/** A citation (table alias c). */
export const CITATION_ROW = rowShape<Citation>(
  'c',
  [
    ['id', 'id'],
    ['source_id', 'sourceId'],
    ['excerpt', 'excerpt'],
    ['credibility', 'credibility'],
    ['evidence_type', 'evidenceType'],
    ['event_id', 'eventId'],
    ['shipment_id', 'shipmentId'],
    ['affiliation_id', 'affiliationId'],
    ['dataset', 'dataset'],
    ['external_id', 'externalId'],
    ...STAMPS,
  ],
  ['id', 'sourceId'],
);

/** An event's participant (table alias p). */
export const PARTICIPANT_ROW = rowShape<EventParticipant>(
  'p',
  [
    ['event_id', 'eventId'],
    ['actor_id', 'actorId'],
    ['role', 'role'],
    ['span_start', 'spanStart', 'date'],
    ['span_end', 'spanEnd', 'date'],
  ],
  ['eventId', 'actorId'],
);
