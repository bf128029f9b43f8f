// Restoring soft-deleted records. A record comes back only when what it refers to is live
// (a shipment's supplier, recipient and events, a citation's source and subject, an event's
// participants…), and it brings back what the cascade of its own deletion took with it
// (./cascade.ts); each restore is one transaction with its audit rows.
import type { Db } from '../db/client';
import { ValidationError } from '../domain/errors';
import type { Actor, Affiliation, Citation, Claim, Event, Shipment, Source } from '../generated/prisma/client';
import { NO_KEY, type Author } from './audit';
import { restoreOne } from './cascade';

export function restoreEvent(db: Db, id: string, by: Author = NO_KEY): Promise<Event> {
  return restoreOne(db, by, 'Event', id, { operation: 'restoreEvent', name: 'Event' });
}

export function restoreShipment(db: Db, id: string, by: Author = NO_KEY): Promise<Shipment> {
  return restoreOne(db, by, 'Shipment', id, { operation: 'restoreShipment', name: 'Shipment' });
}

export function restoreSource(db: Db, id: string, by: Author = NO_KEY): Promise<Source> {
  return restoreOne(db, by, 'Source', id, { operation: 'restoreSource', name: 'Source' });
}

export function restoreCitation(db: Db, id: string, by: Author = NO_KEY): Promise<Citation> {
  return restoreOne(db, by, 'Citation', id, { operation: 'restoreCitation', name: 'Citation' });
}

/** A restored claim comes back not accepted: accepting it again is a decision of its own. */
export function restoreClaim(db: Db, id: string, by: Author = NO_KEY): Promise<Claim> {
  return restoreOne(db, by, 'Claim', id, { operation: 'restoreClaim', name: 'Claim' });
}

export function restoreAffiliation(db: Db, id: string, by: Author = NO_KEY): Promise<Affiliation> {
  return restoreOne(db, by, 'Affiliation', id, { operation: 'restoreAffiliation', name: 'Affiliation' });
}

/** An actor merged into another is not restored: its names (aliases) now belong to the kept actor. */
export function restoreActor(db: Db, id: string, by: Author = NO_KEY): Promise<Actor> {
  return restoreOne(db, by, 'Actor', id, {
    operation: 'restoreActor',
    name: 'Actor',
    async check(tx, a) {
      const own = await tx.actorAlias.findFirst({ where: { actorId: a.id } });
      if (own) return;
      const holder = await tx.$queryRaw<{ actor_id: string }[]>`
        SELECT actor_id FROM actor_aliases WHERE lower(alias) = lower(${a.name as string}) LIMIT 1`;
      throw new ValidationError(
        'id',
        holder.length
          ? `actor ${a.id} was merged into actor ${holder[0].actor_id}; it cannot be restored`
          : `actor ${a.id} has no names left; it cannot be restored`,
      );
    },
  });
}
