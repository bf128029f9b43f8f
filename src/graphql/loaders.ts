// Per-request DataLoaders: every nested field of a page is fetched in one
// query per kind, whatever the page size (no N+1).
import DataLoader from 'dataloader';
import { Prisma } from '../generated/prisma/client';
import type { Db } from '../db/client';
import { sourceCounts, type CitedKind } from '../db/queries/corroboration';
import { rowsAsOf, rowsByIds } from '../db/queries/history';
import type { Alias } from '../db/models';
import { EVENT_COLUMNS, SHIPMENT_COLUMNS } from '../db/queries/lists';
import { ACTOR_ROW, CITATION_ROW, PARTICIPANT_ROW, SOURCE_ROW } from '../db/queries/rows';
import { affiliationsOfActorsAsOf, CLAIM_COLUMNS } from '../db/queries/provenance';
import { asOfOf, tagAsOf } from '../services/history';
import type { Actor, Affiliation, Citation, Claim, Event, EventParticipant, Shipment, Source } from '../generated/prisma/client';

// Claims of a record: whole-record claims first, then by field; the accepted one first within a field.
const claimOrder = [{ field: { sort: 'asc', nulls: 'first' } }, { accepted: 'desc' }, { createdAt: 'asc' }, { id: 'asc' }] as const;
/** An actor's aliases, live or as of an instant (rowsByIds / rowsAsOf): the objects Prisma returns. */
const ALIASES_OF_ACTORS = { table: 'actor_aliases', alias: 'al', columns: Prisma.raw('al.id, al.actor_id AS "actorId", al.alias'), column: 'actor_id', orderBy: 'al.alias' } as const;
/** The same order in SQL, for claims read as of an instant. */
const CLAIM_ORDER_SQL = 'cl.field ASC NULLS FIRST, cl.accepted DESC, cl.created_at, cl.id';

function byId<T extends { id: string }>(load: (ids: string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = new Map((await load([...ids])).map((r) => [r.id, r]));
    return ids.map((id) => rows.get(id) ?? null);
  });
}

function groupedBy<T>(load: (keys: string[]) => Promise<T[]>, keyOf: (row: T) => string | null) {
  return new DataLoader<string, T[]>(async (keys) => {
    const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
    for (const row of await load([...keys])) groups.get(keyOf(row) ?? '')?.push(row);
    return keys.map((k) => groups.get(k) ?? []);
  });
}

/**
 * The versioned nested fields as the database held them at `asOf`; each row is marked with
 * it, so its own nested fields read as of the same instant.
 */
function asOfLoaders(db: Db, asOf: string) {
  const at = <T extends object>(rows: Promise<T[]>) => rows.then((r) => tagAsOf(r, asOf));
  const notDeleted = <T extends { deletedAt: Date | null }>(rows: T[]) => rows.filter((r) => !r.deletedAt);
  /** Undeleted citations (as of the instant) of the records whose `column` is one of the ids. */
  const citationsBy = (column: 'event_id' | 'shipment_id' | 'affiliation_id', ids: string[]) =>
    at(rowsAsOf<Citation>(db, { table: 'citations', alias: 'c', columns: CITATION_ROW.columns, column, orderBy: 'c.created_at, c.id' }, ids, asOf).then(notDeleted));
  const claimsBy = (column: 'event_id' | 'shipment_id', ids: string[]) =>
    at(rowsAsOf<Claim>(db, { table: 'claims', alias: 'cl', columns: CLAIM_COLUMNS, column, orderBy: CLAIM_ORDER_SQL }, ids, asOf).then(notDeleted));
  const event = byId<Event>((ids) =>
    at(rowsAsOf<Event>(db, { table: 'events', alias: 'e', columns: EVENT_COLUMNS, column: 'id' }, ids, asOf).then(notDeleted)),
  );
  const shipment = byId<Shipment>((ids) =>
    at(rowsAsOf<Shipment>(db, { table: 'shipments', alias: 's', columns: SHIPMENT_COLUMNS, column: 'id' }, ids, asOf).then(notDeleted)),
  );
  /** The shipment–event links of the given ends as of the instant, with the other end (if undeleted then). */
  const links = async <K extends 'eventId' | 'shipmentId'>(end: K, ids: string[]) => {
    const rows = await rowsAsOf<{ eventId: string; shipmentId: string }>(
      db,
      { table: 'shipment_events', alias: 'l', columns: Prisma.raw('l.event_id AS "eventId", l.shipment_id AS "shipmentId"'), column: end === 'eventId' ? 'event_id' : 'shipment_id' },
      ids,
      asOf,
    );
    const [events, shipments] = await Promise.all([event.loadMany(rows.map((r) => r.eventId)), shipment.loadMany(rows.map((r) => r.shipmentId))]);
    return rows.flatMap((r, i) => {
      const [e, s] = [events[i], shipments[i]];
      return e && s && !(e instanceof Error) && !(s instanceof Error) ? [{ ...r, event: e, shipment: s }] : [];
    });
  };
  return {
    actor: byId<Actor>((ids) => at(rowsAsOf<Actor>(db, { table: 'actors', alias: 'a', columns: ACTOR_ROW.columns, column: 'id' }, ids, asOf))),
    // Like the live loader: a cited source resolves even if it was soft-deleted then.
    source: byId<Source>((ids) => at(rowsAsOf<Source>(db, { table: 'sources', alias: 'so', columns: SOURCE_ROW.columns, column: 'id' }, ids, asOf))),
    citation: byId<Citation>((ids) =>
      at(rowsAsOf<Citation>(db, { table: 'citations', alias: 'c', columns: CITATION_ROW.columns, column: 'id' }, ids, asOf).then(notDeleted)),
    ),
    eventCitations: groupedBy<Citation>((ids) => citationsBy('event_id', ids), (c) => c.eventId),
    shipmentCitations: groupedBy<Citation>((ids) => citationsBy('shipment_id', ids), (c) => c.shipmentId),
    affiliationCitations: groupedBy<Citation>((ids) => citationsBy('affiliation_id', ids), (c) => c.affiliationId),
    eventClaims: groupedBy<Claim>((ids) => claimsBy('event_id', ids), (c) => c.eventId),
    shipmentClaims: groupedBy<Claim>((ids) => claimsBy('shipment_id', ids), (c) => c.shipmentId),
    eventSourceCount: sourceCountOf(db, 'event', asOf),
    shipmentSourceCount: sourceCountOf(db, 'shipment', asOf),
    affiliationsOfActor: new DataLoader<string, Affiliation[]>(async (actorIds) => {
      const rows = await at(affiliationsOfActorsAsOf(db, [...actorIds], asOf));
      return actorIds.map((id) => rows.filter((r) => r.actorId === id || r.targetId === id));
    }),
    event,
    shipment,
    shipmentsOfEvent: groupedBy(
      async (eventIds) => (await links('eventId', eventIds)).map(({ eventId, shipment: s }) => ({ eventId, shipment: s })),
      (l) => l.eventId,
    ),
    eventsOfShipment: groupedBy(
      async (shipmentIds) => (await links('shipmentId', shipmentIds)).map(({ shipmentId, event: e }) => ({ shipmentId, event: e })),
      (l) => l.shipmentId,
    ),
    aliases: groupedBy(
      (actorIds) =>
        rowsAsOf<Alias>(db, ALIASES_OF_ACTORS, actorIds, asOf),
      (a) => a.actorId,
    ),
    participants: groupedBy<EventParticipant>(
      (eventIds) =>
        at(
          rowsAsOf<EventParticipant>(
            db,
            {
              table: 'event_participants',
              alias: 'p',
              columns: Prisma.raw('p.event_id AS "eventId", p.actor_id AS "actorId", p.role'),
              column: 'event_id',
              orderBy: 'p.role, p.actor_id',
            },
            eventIds,
            asOf,
          ),
        ),
      (p) => p.eventId,
    ),
  };
}

type AsOfLoaders = ReturnType<typeof asOfLoaders>;

/** Independent sources per record of one kind (as of `asOf`, if given), one grouped statement per batch. */
function sourceCountOf(db: Db, kind: CitedKind, asOf?: string) {
  return new DataLoader<string, number>(async (ids) => {
    const counts = await sourceCounts(db, kind, ids, asOf);
    return ids.map((id) => counts.get(id) ?? 0);
  });
}

export function createLoaders(db: Db) {
  const live = { deletedAt: null };
  const byInstant = new Map<string, AsOfLoaders>();
  return {
    /** The loaders of the versioned fields for `record`: as of its instant if it was read as of one, else live. */
    at(record: object): AsOfLoaders {
      const asOf = asOfOf(record);
      if (!asOf) return this;
      let l = byInstant.get(asOf);
      if (!l) byInstant.set(asOf, (l = asOfLoaders(db, asOf)));
      return l;
    },
    /** The loaders as of an instant (null: live). */
    instant(asOf: string | null): AsOfLoaders {
      return asOf ? this.at({ asOf }) : this;
    },
    // References resolve even to a soft-deleted actor or source: the fact that cites it stays whole.
    // The loaders every canonical read reaches are raw SQL through the pool (rawReader): Prisma's
    // model queries cost several times the CPU of the same read (bench CPU profiles, issue #7).
    actor: byId<Actor>((ids) => rowsByIds<Actor>(db, { table: 'actors', alias: 'a', columns: ACTOR_ROW.columns, column: 'id' }, ids, null)),
    source: byId<Source>((ids) => rowsByIds<Source>(db, { table: 'sources', alias: 'so', columns: SOURCE_ROW.columns, column: 'id' }, ids, null)),
    citation: byId<Citation>((ids) => db.citation.findMany({ where: { id: { in: ids }, ...live } })),
    event: byId<Event>((ids) => db.event.findMany({ where: { id: { in: ids }, ...live } })),
    shipment: byId<Shipment>((ids) => db.shipment.findMany({ where: { id: { in: ids }, ...live } })),
    aliases: groupedBy(
      (actorIds) => rowsByIds<Alias>(db, ALIASES_OF_ACTORS, actorIds, null),
      (a) => a.actorId,
    ),
    participants: groupedBy<EventParticipant>(
      (eventIds) =>
        rowsByIds<EventParticipant>(
          db,
          { table: 'event_participants', alias: 'p', columns: PARTICIPANT_ROW.columns, column: 'event_id', orderBy: 'p.role, p.actor_id' },
          eventIds,
          null,
        ),
      (p) => p.eventId,
    ),
    affiliationsOfActor: new DataLoader<string, Affiliation[]>(async (actorIds) => {
      const rows = await db.affiliation.findMany({
        where: { ...live, OR: [{ actorId: { in: [...actorIds] } }, { targetId: { in: [...actorIds] } }] },
        orderBy: [{ role: 'asc' }, { id: 'asc' }],
      });
      return actorIds.map((id) => rows.filter((r) => r.actorId === id || r.targetId === id));
    }),
    eventCitations: groupedBy<Citation>(
      (ids) =>
        rowsByIds<Citation>(
          db,
          { table: 'citations', alias: 'c', columns: CITATION_ROW.columns, column: 'event_id', where: 'c.deleted_at IS NULL', orderBy: 'c.created_at, c.id' },
          ids,
          null,
        ),
      (c) => c.eventId,
    ),
    shipmentCitations: groupedBy<Citation>(
      (ids) => db.citation.findMany({ where: { shipmentId: { in: ids }, ...live }, orderBy: { createdAt: 'asc' } }),
      (c) => c.shipmentId,
    ),
    affiliationCitations: groupedBy<Citation>(
      (ids) => db.citation.findMany({ where: { affiliationId: { in: ids }, ...live }, orderBy: { createdAt: 'asc' } }),
      (c) => c.affiliationId,
    ),
    eventClaims: groupedBy<Claim>(
      (ids) => db.claim.findMany({ where: { eventId: { in: ids }, ...live }, orderBy: [...claimOrder] }),
      (c) => c.eventId,
    ),
    shipmentClaims: groupedBy<Claim>(
      (ids) => db.claim.findMany({ where: { shipmentId: { in: ids }, ...live }, orderBy: [...claimOrder] }),
      (c) => c.shipmentId,
    ),
    eventSourceCount: sourceCountOf(db, 'event'),
    shipmentSourceCount: sourceCountOf(db, 'shipment'),
    shipmentsOfEvent: groupedBy(
      (eventIds) => db.shipmentEvent.findMany({ where: { eventId: { in: eventIds }, shipment: live }, include: { shipment: true } }),
      (se) => se.eventId,
    ),
    eventsOfShipment: groupedBy(
      (shipmentIds) => db.shipmentEvent.findMany({ where: { shipmentId: { in: shipmentIds }, event: live }, include: { event: true } }),
      (se) => se.shipmentId,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
