// Restoring soft-deleted records. A record comes back only when what it depends
// on is live (a shipment's supplier and recipient, a citation's source and subject…);
// each restore is one transaction with its audit row.
import type { Db } from '../db/client';
import { NotFoundError, ValidationError } from '../domain/errors';
import { checkId } from '../domain/ids';
import type { Actor, Affiliation, Citation, Claim, Event, Prisma, Shipment, Source } from '../generated/prisma/client';
import { audited, NO_KEY, type AuditEntity, type Author } from './audit';

type Tx = Prisma.TransactionClient;

function deletedOrThrow<T extends { id: string; deletedAt: Date | null }>(row: T | null, entity: string, id: string): T {
  if (!row) throw new NotFoundError(entity, id);
  if (!row.deletedAt) throw new ValidationError('id', `${entity} ${row.id} is not deleted`);
  return row;
}

async function requireLive(tx: Tx, table: 'actor' | 'event' | 'shipment' | 'source' | 'affiliation', id: string | null, what: string): Promise<void> {
  if (!id) return;
  const where = { where: { id, deletedAt: null }, select: { id: true } };
  const found =
    table === 'actor' ? await tx.actor.findFirst(where)
    : table === 'event' ? await tx.event.findFirst(where)
    : table === 'shipment' ? await tx.shipment.findFirst(where)
    : table === 'source' ? await tx.source.findFirst(where)
    : await tx.affiliation.findFirst(where);
  if (!found) throw new ValidationError('id', `its ${what} ${id} is deleted; restore that first`);
}

async function restore<T extends { id: string; deletedAt: Date | null }>(
  db: Db,
  by: Author,
  entity: AuditEntity,
  name: string,
  id: string,
  find: (tx: Tx, id: string) => Promise<T | null>,
  check: (tx: Tx, row: T) => Promise<void>,
  undelete: (tx: Tx, id: string) => Promise<T>,
): Promise<T> {
  const key = checkId(id, 'id');
  return db.$transaction(async (tx) => {
    const before = deletedOrThrow(await find(tx, key), name, id);
    await check(tx, before);
    const after = await undelete(tx, key);
    await audited(tx, by, { operation: `restore${name}`, entity, id: key, before, after });
    return after;
  });
}

export function restoreEvent(db: Db, id: string, by: Author = NO_KEY): Promise<Event> {
  return restore(db, by, 'EVENT', 'Event', id, (tx, k) => tx.event.findUnique({ where: { id: k } }), async () => undefined,
    (tx, k) => tx.event.update({ where: { id: k }, data: { deletedAt: null } }));
}

export function restoreShipment(db: Db, id: string, by: Author = NO_KEY): Promise<Shipment> {
  return restore(db, by, 'SHIPMENT', 'Shipment', id, (tx, k) => tx.shipment.findUnique({ where: { id: k } }),
    async (tx, s) => {
      await requireLive(tx, 'actor', s.supplierId, 'supplier');
      await requireLive(tx, 'actor', s.recipientId, 'recipient');
    },
    (tx, k) => tx.shipment.update({ where: { id: k }, data: { deletedAt: null } }));
}

export function restoreSource(db: Db, id: string, by: Author = NO_KEY): Promise<Source> {
  return restore(db, by, 'SOURCE', 'Source', id, (tx, k) => tx.source.findUnique({ where: { id: k } }), async () => undefined,
    (tx, k) => tx.source.update({ where: { id: k }, data: { deletedAt: null } }));
}

export function restoreCitation(db: Db, id: string, by: Author = NO_KEY): Promise<Citation> {
  return restore(db, by, 'CITATION', 'Citation', id, (tx, k) => tx.citation.findUnique({ where: { id: k } }),
    async (tx, c) => {
      await requireLive(tx, 'source', c.sourceId, 'source');
      await requireLive(tx, 'event', c.eventId, 'event');
      await requireLive(tx, 'shipment', c.shipmentId, 'shipment');
      await requireLive(tx, 'affiliation', c.affiliationId, 'affiliation');
    },
    (tx, k) => tx.citation.update({ where: { id: k }, data: { deletedAt: null } }));
}

/** A restored claim comes back not accepted: accepting it again is a decision of its own. */
export function restoreClaim(db: Db, id: string, by: Author = NO_KEY): Promise<Claim> {
  return restore(db, by, 'CLAIM', 'Claim', id, (tx, k) => tx.claim.findUnique({ where: { id: k } }),
    async (tx, c) => {
      await requireLive(tx, 'actor', c.claimantId, 'claimant');
      await requireLive(tx, 'event', c.eventId, 'event');
      await requireLive(tx, 'shipment', c.shipmentId, 'shipment');
    },
    (tx, k) => tx.claim.update({ where: { id: k }, data: { deletedAt: null, accepted: false } }));
}

export function restoreAffiliation(db: Db, id: string, by: Author = NO_KEY): Promise<Affiliation> {
  return restore(db, by, 'AFFILIATION', 'Affiliation', id, (tx, k) => tx.affiliation.findUnique({ where: { id: k } }),
    async (tx, a) => {
      await requireLive(tx, 'actor', a.actorId, 'actor');
      await requireLive(tx, 'actor', a.targetId, 'target');
    },
    (tx, k) => tx.affiliation.update({ where: { id: k }, data: { deletedAt: null } }));
}

/** An actor merged into another is not restored: its names (aliases) now belong to the kept actor. */
export function restoreActor(db: Db, id: string, by: Author = NO_KEY): Promise<Actor> {
  return restore(db, by, 'ACTOR', 'Actor', id, (tx, k) => tx.actor.findUnique({ where: { id: k } }),
    async (tx, a) => {
      const own = await tx.actorAlias.findFirst({ where: { actorId: a.id } });
      if (!own) {
        const holder = await tx.$queryRaw<{ actor_id: string }[]>`
          SELECT actor_id FROM actor_aliases WHERE lower(alias) = lower(${a.name}) LIMIT 1`;
        throw new ValidationError('id', holder.length
          ? `actor ${a.id} was merged into actor ${holder[0].actor_id}; it cannot be restored`
          : `actor ${a.id} has no names left; it cannot be restored`);
      }
    },
    (tx, k) => tx.actor.update({ where: { id: k }, data: { deletedAt: null } }));
}
