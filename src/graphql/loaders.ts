// Per-request DataLoaders: every nested field of a page is fetched in one
// query per kind, whatever the page size (no N+1).
import DataLoader from 'dataloader';
import type { Db } from '../db/client';
import { sourceCounts, type CitedKind } from '../db/queries/corroboration';
import type { Actor, Affiliation, Citation, Claim, Event, EventParticipant, Shipment, Source } from '../generated/prisma/client';

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

/** Independent sources per record of one kind, one grouped statement per batch. */
function sourceCountOf(db: Db, kind: CitedKind) {
  return new DataLoader<string, number>(async (ids) => {
    const counts = await sourceCounts(db, kind, ids);
    return ids.map((id) => counts.get(id) ?? 0);
  });
}

// Claims of a record: whole-record claims first, then by field; the accepted one first within a field.
const claimOrder = [{ field: { sort: 'asc', nulls: 'first' } }, { accepted: 'desc' }, { createdAt: 'asc' }, { id: 'asc' }] as const;

export function createLoaders(db: Db) {
  const live = { deletedAt: null };
  return {
    // References resolve even to a soft-deleted actor or source: the fact that cites it stays whole.
    actor: byId<Actor>((ids) => db.actor.findMany({ where: { id: { in: ids } } })),
    source: byId<Source>((ids) => db.source.findMany({ where: { id: { in: ids } } })),
    citation: byId<Citation>((ids) => db.citation.findMany({ where: { id: { in: ids }, ...live } })),
    event: byId<Event>((ids) => db.event.findMany({ where: { id: { in: ids }, ...live } })),
    shipment: byId<Shipment>((ids) => db.shipment.findMany({ where: { id: { in: ids }, ...live } })),
    aliases: groupedBy(
      (actorIds) => db.actorAlias.findMany({ where: { actorId: { in: actorIds } }, orderBy: { alias: 'asc' } }),
      (a) => a.actorId,
    ),
    participants: groupedBy<EventParticipant>(
      (eventIds) => db.eventParticipant.findMany({ where: { eventId: { in: eventIds } }, orderBy: [{ role: 'asc' }, { actorId: 'asc' }] }),
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
      (ids) => db.citation.findMany({ where: { eventId: { in: ids }, ...live }, orderBy: { createdAt: 'asc' } }),
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
