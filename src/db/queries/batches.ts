// The DataLoaders' batch reads (src/graphql/loaders.ts): a page's nested fields, one statement per
// kind and batch, live (asOf null) or as of an instant, and as reported by a day (at the end). The live reads every canonical read
// reaches are raw SQL (rowsByIds): Prisma's model queries cost several times the CPU of the
// same read (docs/decisions/raw-reader.md); the others are Prisma's model reads.
import {
  Prisma,
  type Actor,
  type Affiliation,
  type Citation,
  type Claim,
  type Event,
  type EventParticipant,
  type Shipment,
  type Source,
} from '../../generated/prisma/client';
import type { Db } from '../client';
import type { Alias } from '../models';
import { onReplica } from '../replicas';
import { relationAsOf, rowsAsOf, rowsByIds } from './history';
import { EVENT_COLUMNS, SHIPMENT_COLUMNS } from './lists';
import { AFFILIATION_COLUMNS, affiliationsOfActorsAsOf, CLAIM_COLUMNS } from './provenance';
import { claimsDatedBy, publishedBy, recordsRelation, type ReportedBy } from './reported';
import { ACTOR_ROW, CITATION_ROW, PARTICIPANT_ROW, SOURCE_ROW } from './rows';

const live = { deletedAt: null };
// Claims of a record: whole-record claims first, then by field; the accepted one first within a field.
const claimOrder = [{ field: { sort: 'asc', nulls: 'first' } }, { accepted: 'desc' }, { createdAt: 'asc' }, { id: 'asc' }] as const;
/** The same order in SQL, for claims read as of an instant. */
const CLAIM_ORDER_SQL = 'cl.field ASC NULLS FIRST, cl.accepted DESC, cl.created_at, cl.id';
/** An actor's aliases, live or as of an instant: the objects Prisma returns. */
const ALIASES_OF_ACTORS = {
  table: 'actor_aliases',
  alias: 'al',
  columns: Prisma.raw('al.id, al.actor_id AS "actorId", al.alias'),
  column: 'actor_id',
  orderBy: 'al.alias',
} as const;
const ACTORS = { table: 'actors', alias: 'a', columns: ACTOR_ROW.columns, column: 'id' } as const;
const SOURCES = { table: 'sources', alias: 'so', columns: SOURCE_ROW.columns, column: 'id' } as const;

const notDeleted = <T extends { deletedAt: Date | null }>(rows: T[]) => rows.filter((r) => !r.deletedAt);

/** Actors by id, soft-deleted ones too: the fact that cites one stays whole. */
export function actorsByIds(db: Db, ids: string[], asOf: string | null): Promise<Actor[]> {
  return rowsByIds<Actor>(db, ACTORS, ids, asOf);
}

/** Sources by id, soft-deleted ones too (as actorsByIds). */
export function sourcesByIds(db: Db, ids: string[], asOf: string | null): Promise<Source[]> {
  return rowsByIds<Source>(db, SOURCES, ids, asOf);
}

/** Undeleted citations by id. */
export async function citationsByIds(db: Db, ids: string[], asOf: string | null): Promise<Citation[]> {
  if (!asOf) return db.prisma.citation.findMany({ where: { id: { in: ids }, ...live } });
  return notDeleted(await rowsAsOf<Citation>(db, { table: 'citations', alias: 'c', columns: CITATION_ROW.columns, column: 'id' }, ids, asOf));
}

/** Undeleted events by id. */
export async function eventsByIds(db: Db, ids: string[], asOf: string | null): Promise<Event[]> {
  if (!asOf) return db.prisma.event.findMany({ where: { id: { in: ids }, ...live } });
  return notDeleted(await rowsAsOf<Event>(db, { table: 'events', alias: 'e', columns: EVENT_COLUMNS, column: 'id' }, ids, asOf));
}

/** Undeleted shipments by id. */
export async function shipmentsByIds(db: Db, ids: string[], asOf: string | null): Promise<Shipment[]> {
  if (!asOf) return db.prisma.shipment.findMany({ where: { id: { in: ids }, ...live } });
  return notDeleted(await rowsAsOf<Shipment>(db, { table: 'shipments', alias: 's', columns: SHIPMENT_COLUMNS, column: 'id' }, ids, asOf));
}

/** The aliases of the actors, by alias. */
export function aliasesOfActors(db: Db, actorIds: string[], asOf: string | null): Promise<Alias[]> {
  return rowsByIds<Alias>(db, ALIASES_OF_ACTORS, actorIds, asOf);
}

/** The participants of the events, by role and actor. */
export function participantsOfEvents(db: Db, eventIds: string[], asOf: string | null): Promise<EventParticipant[]> {
  const columns = asOf ? Prisma.raw('p.event_id AS "eventId", p.actor_id AS "actorId", p.role') : PARTICIPANT_ROW.columns;
  return rowsByIds<EventParticipant>(
    db,
    { table: 'event_participants', alias: 'p', columns, column: 'event_id', orderBy: 'p.role, p.actor_id' },
    eventIds,
    asOf,
  );
}

/** The undeleted affiliations of the actors (as member or as target), by role and id. */
export function affiliationsOfActors(db: Db, actorIds: string[], asOf: string | null): Promise<Affiliation[]> {
  if (asOf) return affiliationsOfActorsAsOf(db, actorIds, asOf);
  return db.prisma.affiliation.findMany({
    where: { ...live, OR: [{ actorId: { in: actorIds } }, { targetId: { in: actorIds } }] },
    orderBy: [{ role: 'asc' }, { id: 'asc' }],
  });
}

export type CitingColumn = 'event_id' | 'shipment_id' | 'affiliation_id';
const CITING_FIELD = { event_id: 'eventId', shipment_id: 'shipmentId', affiliation_id: 'affiliationId' } as const;

/** The undeleted citations of the records whose `column` is one of the ids, oldest first. */
export async function citationsOf(db: Db, column: CitingColumn, ids: string[], asOf: string | null): Promise<Citation[]> {
  const table = { table: 'citations', alias: 'c', columns: CITATION_ROW.columns, column, orderBy: 'c.created_at, c.id' } as const;
  if (asOf) return notDeleted(await rowsAsOf<Citation>(db, table, ids, asOf));
  // Events' citations are on every canonical read: raw SQL there.
  if (column === 'event_id') return rowsByIds<Citation>(db, { ...table, where: 'c.deleted_at IS NULL' }, ids, null);
  return db.prisma.citation.findMany({ where: { [CITING_FIELD[column]]: { in: ids }, ...live }, orderBy: { createdAt: 'asc' } });
}

/** The undeleted claims of the events or shipments: whole-record claims first, then by field, the accepted one first. */
export async function claimsOf(db: Db, column: 'event_id' | 'shipment_id', ids: string[], asOf: string | null): Promise<Claim[]> {
  if (asOf) return notDeleted(await rowsAsOf<Claim>(db, { table: 'claims', alias: 'cl', columns: CLAIM_COLUMNS, column, orderBy: CLAIM_ORDER_SQL }, ids, asOf));
  return db.prisma.claim.findMany({ where: { [CITING_FIELD[column]]: { in: ids }, ...live }, orderBy: [...claimOrder] });
}

/** The live shipment–event links of the events, with their undeleted shipments. */
export function shipmentsOfEvents(db: Db, eventIds: string[]) {
  return db.prisma.shipmentEvent.findMany({ where: { eventId: { in: eventIds }, shipment: live }, include: { shipment: true } });
}

/** The live shipment–event links of the shipments, with their undeleted events. */
export function eventsOfShipments(db: Db, shipmentIds: string[]) {
  return db.prisma.shipmentEvent.findMany({ where: { shipmentId: { in: shipmentIds }, event: live }, include: { event: true } });
}

/** The shipment–event links of the given ends as of an instant (their other ends are read apart). */
export function linksAsOf(db: Db, end: 'eventId' | 'shipmentId', ids: string[], asOf: string): Promise<{ eventId: string; shipmentId: string }[]> {
  return rowsAsOf(
    db,
    {
      table: 'shipment_events',
      alias: 'l',
      columns: Prisma.raw('l.event_id AS "eventId", l.shipment_id AS "shipmentId"'),
      column: end === 'eventId' ? 'event_id' : 'shipment_id',
    },
    ids,
    asOf,
  );
}

// ------------------------------------------------------------------ as reported by a day

/**
 * What a record read "as reported by" a day shows nested (src/db/queries/reported.ts for the
 * rule): its citations from live sources published by then, its claims dated by then, the linked
 * records and an actor's affiliations reported by then (with their values as claimed then). With
 * asOf, everything as the database held it then.
 */
interface Reported {
  asOf: string | null;
  reportedBy: ReportedBy;
}

/** The undeleted citations of the records whose `column` is one of the ids, from sources published by the day. */
export function citationsReportedBy(db: Db, column: CitingColumn, ids: string[], f: Reported): Promise<Citation[]> {
  return onReplica(
    db,
    (r) => r.$queryRaw<Citation[]>`SELECT ${CITATION_ROW.columns} FROM ${relationAsOf('citations', f.asOf)} c
    JOIN ${relationAsOf('sources', f.asOf)} so ON so.id = c.source_id AND so.deleted_at IS NULL${publishedBy('so', f)}
    WHERE ${Prisma.raw(`c.${column}`)} = ANY(${ids}::uuid[]) AND c.deleted_at IS NULL ORDER BY c.created_at, c.id`,
    f.asOf,
  );
}

/** The undeleted claims of the events or shipments dated by the day, in claimsOf's order. */
export function claimsReportedBy(db: Db, column: 'event_id' | 'shipment_id', ids: string[], f: Reported): Promise<Claim[]> {
  return onReplica(
    db,
    (r) => r.$queryRaw<Claim[]>`SELECT ${CLAIM_COLUMNS} FROM ${claimsDatedBy(f.reportedBy.date, f.asOf)}
    AND ${Prisma.raw(`cl.${column}`)} = ANY(${ids}::uuid[]) ORDER BY ${Prisma.raw(CLAIM_ORDER_SQL)}`,
    f.asOf,
  );
}

/** Each end of a shipment–event link and the record at its other end, by the table that record is in. */
const LINKED = {
  shipments: { end: 'event_id', other: 'shipment_id', alias: 's', columns: SHIPMENT_COLUMNS },
  events: { end: 'shipment_id', other: 'event_id', alias: 'e', columns: EVENT_COLUMNS },
} as const;

/**
 * The records of `table` linked to the given ends (the shipments of events, the events of
 * shipments), reported by the day: each with the id of the end it is linked to.
 */
export async function linkedReportedBy<T>(db: Db, table: keyof typeof LINKED, endIds: string[], f: Reported): Promise<{ end: string; record: T }[]> {
  const q = LINKED[table];
  const rows = await onReplica(
    db,
    (r) => r.$queryRaw<(T & { linkEnd: string })[]>`SELECT ${Prisma.raw(`l.${q.end}`)} AS "linkEnd", ${q.columns}
    FROM ${relationAsOf('shipment_events', f.asOf)} l
    JOIN ${recordsRelation(table, f)} ${Prisma.raw(q.alias)} ON ${Prisma.raw(`${q.alias}.id = l.${q.other} AND ${q.alias}.deleted_at IS NULL`)}
    WHERE ${Prisma.raw(`l.${q.end}`)} = ANY(${endIds}::uuid[])`,
    f.asOf,
  );
  return rows.map(({ linkEnd, ...record }) => ({ end: linkEnd, record: record as T }));
}

/** The undeleted affiliations of the actors (as member or as target) reported by the day, by role and id. */
export function affiliationsOfActorsReportedBy(db: Db, actorIds: string[], f: Reported): Promise<Affiliation[]> {
  return onReplica(
    db,
    (r) => r.$queryRaw<Affiliation[]>`SELECT ${AFFILIATION_COLUMNS} FROM ${recordsRelation('affiliations', f)} f
    WHERE (f.actor_id = ANY(${actorIds}::uuid[]) OR f.target_id = ANY(${actorIds}::uuid[])) AND f.deleted_at IS NULL
    ORDER BY f.role, f.id`,
    f.asOf,
  );
}
