// Rows the loaders read (src/graphql/loaders.ts), in two forms: the columns aliased to the
// model's field names (a statement of their own), and one JSON value, which a page's statement
// brings along where the loader would issue another statement (a timeline page's actors, a
// shipments page's suppliers and recipients, an events page's participants and citations with
// their actors and sources, each put on its parent row: src/db/models.ts). `fromJson` turns the
// JSON form into the same object.
import { Prisma } from '../../generated/prisma/client';
import type { Actor, Citation, EventParticipant, Source } from '../../generated/prisma/client';

/** [column, model field, 'date' for a date or timestamptz column (a Date in the row)]. */
type Field = readonly [column: string, field: string, type?: 'date'];

export interface RowShape<T> {
  /** The columns of table alias `alias`, aliased to the model's fields. */
  columns: Prisma.Sql;
  /** The same row as one JSON array, its values in the fields' order (no field names to send and parse). */
  json: Prisma.Sql;
  /** A row read as `json` (dates arrive as text), as the columns' row. */
  fromJson(values: unknown[]): T;
}

function rowShape<T>(alias: string, fields: readonly Field[]): RowShape<T> {
  const names = fields.map(([, field]) => field);
  const dated = fields.map(([, , type]) => type === 'date');
  return {
    columns: Prisma.raw(fields.map(([c, f]) => (c === f ? `${alias}.${c}` : `${alias}.${c} AS "${f}"`)).join(', ')),
    json: Prisma.raw(`json_build_array(${fields.map(([c]) => `${alias}.${c}`).join(', ')})`),
    fromJson(values) {
      const row: Record<string, unknown> = {};
      // ISO text, with its offset for a timestamptz, without for a date (read as UTC midnight, as the pg types do).
      for (let i = 0; i < names.length; i++) row[names[i]] = dated[i] && values[i] !== null ? new Date(values[i] as string) : values[i];
      return row as T;
    },
  };
}

const STAMPS: readonly Field[] = [['created_at', 'createdAt', 'date'], ['updated_at', 'updatedAt', 'date'], ['deleted_at', 'deletedAt', 'date']];

/** An actor (table alias a). */
export const ACTOR_ROW = rowShape<Actor>('a', [
  ['id', 'id'], ['name', 'name'], ['kind', 'kind'], ['country_code', 'countryCode'], ['description', 'description'], ...STAMPS,
]);

/** A source (table alias so). */
export const SOURCE_ROW = rowShape<Source>('so', [
  ['id', 'id'], ['publisher', 'publisher'], ['title', 'title'], ['url', 'url'], ['published_at', 'publishedAt', 'date'],
  ['reliability', 'reliability'], ['derived_from_id', 'derivedFromId'], ['dataset', 'dataset'], ['external_id', 'externalId'], ...STAMPS,
]);

/** A citation (table alias c). */
export const CITATION_ROW = rowShape<Citation>('c', [
  ['id', 'id'], ['source_id', 'sourceId'], ['excerpt', 'excerpt'], ['credibility', 'credibility'], ['evidence_type', 'evidenceType'],
  ['event_id', 'eventId'], ['shipment_id', 'shipmentId'], ['affiliation_id', 'affiliationId'], ['dataset', 'dataset'],
  ['external_id', 'externalId'], ...STAMPS,
]);

/** An event's participant (table alias p). */
export const PARTICIPANT_ROW = rowShape<EventParticipant>('p', [
  ['event_id', 'eventId'], ['actor_id', 'actorId'], ['role', 'role'], ['span_start', 'spanStart', 'date'], ['span_end', 'spanEnd', 'date'],
]);
