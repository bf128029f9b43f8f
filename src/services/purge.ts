// Hard purges (ADMIN): permanently deleting a record that was soft-deleted first.
// Refused while the record is live, or while other records still refer to it (named
// in the message). Its deleted citations go with it. One transaction, with an audit
// row per deleted record whose `before` is the record in full, so the trail says
// what was purged and by whom even though the record itself is gone.
import type { Db } from '../db/client';
import { NotFoundError, ValidationError } from '../domain/errors';
import { checkId } from '../domain/ids';
import { Prisma, type AuditEntry, type Citation } from '../generated/prisma/client';
import { actorState } from './actors';
import { audited, NO_KEY, type AuditEntity, type Author } from './audit';
import { eventState } from './events';
import { shipmentState } from './shipments';

type Tx = Prisma.TransactionClient;

/** A record that refers to the one being purged. */
interface Dependent {
  kind: 'citation' | 'shipment' | 'affiliation' | 'event' | 'claim';
  id: string;
  live: boolean;
}

interface PurgeSpec<T extends { id: string; deletedAt: Date | null }> {
  entity: AuditEntity;
  name: string;
  table: 'events' | 'shipments' | 'actors' | 'sources' | 'citations' | 'affiliations';
  find(tx: Tx, id: string): Promise<T | null>;
  /** The record as the audit log keeps it (with its participants, links, aliases…). */
  state(tx: Tx, row: T): Promise<unknown>;
  /** Every record referring to this one. */
  dependents(tx: Tx, id: string): Promise<Dependent[]>;
  /** Whether a dependent prevents the purge (by default: a live one; deleted citations are purged along). */
  blocks?(d: Dependent): boolean;
  remove(tx: Tx, id: string): Promise<unknown>;
}

/** At most this many dependents are named in a refusal. */
const NAMED = 10;

function describe(deps: Dependent[]): string {
  const named = deps.slice(0, NAMED).map((d) => `${d.live ? '' : 'deleted '}${d.kind} ${d.id}`);
  return named.join(', ') + (deps.length > NAMED ? ' and more' : '');
}

const citationsOf = (column: 'event_id' | 'shipment_id' | 'affiliation_id' | 'source_id', id: string) => Prisma.sql`
  SELECT 'citation' AS kind, id::text AS id, deleted_at IS NULL AS live FROM citations WHERE ${Prisma.raw(column)} = ${id}::uuid`;

async function purge<T extends { id: string; deletedAt: Date | null }>(db: Db, by: Author, spec: PurgeSpec<T>, id: string): Promise<AuditEntry> {
  const key = checkId(id, 'id');
  const operation = `purge${spec.name}`;
  return db.transaction(async (tx) => {
    // Locked so that a concurrent restore or purge of the same record waits for this one.
    await tx.$queryRawUnsafe(`SELECT 1 FROM ${spec.table} WHERE id = $1::uuid FOR UPDATE`, key);
    const row = await spec.find(tx, key);
    if (!row) throw new NotFoundError(spec.name, id);
    if (!row.deletedAt) throw new ValidationError('id', `${spec.name.toLowerCase()} ${key} is not deleted; only a deleted record can be purged`);
    const deps = await spec.dependents(tx, key);
    const blocking = deps.filter(spec.blocks ?? ((d) => d.live));
    if (blocking.length) {
      throw new ValidationError(
        'id',
        `${spec.name.toLowerCase()} ${key} is still referred to by ${describe(blocking)}; delete or purge ${blocking.length > 1 ? 'those' : 'that'} first`,
      );
    }
    const before = await spec.state(tx, row);
    const citationIds = deps.filter((d) => d.kind === 'citation').map((d) => d.id);
    const citations: Citation[] = citationIds.length ? await tx.citation.findMany({ where: { id: { in: citationIds } }, orderBy: { id: 'asc' } }) : [];
    for (const c of citations) await audited(tx, by, { operation, entity: 'CITATION', id: c.id, before: c, after: null });
    if (citations.length) await tx.citation.deleteMany({ where: { id: { in: citationIds } } });
    await spec.remove(tx, key);
    return audited(tx, by, { operation, entity: spec.entity, id: key, before, after: null });
  });
}

export function purgeEvent(db: Db, id: string, by: Author = NO_KEY): Promise<AuditEntry> {
  return purge(
    db,
    by,
    {
      entity: 'EVENT',
      name: 'Event',
      table: 'events',
      find: (tx, k) => tx.event.findUnique({ where: { id: k } }),
      // Its links to shipments go with it: recorded so that the trail keeps them.
      state: async (tx, e) => {
        const links = await tx.shipmentEvent.findMany({ where: { eventId: e.id }, select: { shipmentId: true }, orderBy: { shipmentId: 'asc' } });
        return { ...(await eventState(tx, e)), shipmentIds: links.map((l) => l.shipmentId) };
      },
      dependents: (tx, k) => tx.$queryRaw<Dependent[]>`${citationsOf('event_id', k)}
      UNION ALL
      SELECT 'shipment', s.id::text, s.deleted_at IS NULL FROM shipment_events se JOIN shipments s ON s.id = se.shipment_id
      WHERE se.event_id = ${k}::uuid`,
      remove: (tx, k) => tx.event.delete({ where: { id: k } }),
    },
    id,
  );
}

export function purgeShipment(db: Db, id: string, by: Author = NO_KEY): Promise<AuditEntry> {
  return purge(
    db,
    by,
    {
      entity: 'SHIPMENT',
      name: 'Shipment',
      table: 'shipments',
      find: (tx, k) => tx.shipment.findUnique({ where: { id: k } }),
      state: shipmentState,
      dependents: (tx, k) => tx.$queryRaw<Dependent[]>`${citationsOf('shipment_id', k)}`,
      remove: (tx, k) => tx.shipment.delete({ where: { id: k } }),
    },
    id,
  );
}

export function purgeAffiliation(db: Db, id: string, by: Author = NO_KEY): Promise<AuditEntry> {
  return purge(
    db,
    by,
    {
      entity: 'AFFILIATION',
      name: 'Affiliation',
      table: 'affiliations',
      find: (tx, k) => tx.affiliation.findUnique({ where: { id: k } }),
      state: async (_tx, a) => a,
      dependents: (tx, k) => tx.$queryRaw<Dependent[]>`${citationsOf('affiliation_id', k)}`,
      remove: (tx, k) => tx.affiliation.delete({ where: { id: k } }),
    },
    id,
  );
}

export function purgeSource(db: Db, id: string, by: Author = NO_KEY): Promise<AuditEntry> {
  return purge(
    db,
    by,
    {
      entity: 'SOURCE',
      name: 'Source',
      table: 'sources',
      find: (tx, k) => tx.source.findUnique({ where: { id: k } }),
      state: async (_tx, s) => s,
      dependents: (tx, k) => tx.$queryRaw<Dependent[]>`${citationsOf('source_id', k)}`,
      remove: (tx, k) => tx.source.delete({ where: { id: k } }),
    },
    id,
  );
}

export function purgeCitation(db: Db, id: string, by: Author = NO_KEY): Promise<AuditEntry> {
  return purge(
    db,
    by,
    {
      entity: 'CITATION',
      name: 'Citation',
      table: 'citations',
      find: (tx, k) => tx.citation.findUnique({ where: { id: k } }),
      state: async (_tx, c) => c,
      dependents: async () => [],
      remove: (tx, k) => tx.citation.delete({ where: { id: k } }),
    },
    id,
  );
}

/**
 * An actor goes only when nothing names it any more, deleted records included: a deleted
 * shipment, event or claim still names its actors (and could be restored), so those are purged first.
 */
export function purgeActor(db: Db, id: string, by: Author = NO_KEY): Promise<AuditEntry> {
  return purge(
    db,
    by,
    {
      entity: 'ACTOR',
      name: 'Actor',
      table: 'actors',
      find: (tx, k) => tx.actor.findUnique({ where: { id: k } }),
      state: actorState,
      // Each one blocks, so only the few named in the refusal are read: a busy actor has ~100,000.
      dependents: (tx, k) => tx.$queryRaw<Dependent[]>`SELECT * FROM (
      SELECT 'shipment' AS kind, id::text AS id, deleted_at IS NULL AS live FROM shipments WHERE supplier_id = ${k}::uuid OR recipient_id = ${k}::uuid
      UNION ALL
      SELECT 'affiliation', id::text, deleted_at IS NULL FROM affiliations WHERE actor_id = ${k}::uuid OR target_id = ${k}::uuid
      UNION ALL
      SELECT 'event', e.id::text, e.deleted_at IS NULL FROM events e
      WHERE e.id IN (SELECT event_id FROM event_participants WHERE actor_id = ${k}::uuid)
      UNION ALL
      SELECT 'claim', id::text, deleted_at IS NULL FROM claims WHERE claimant_id = ${k}::uuid
    ) d LIMIT ${Prisma.raw(String(NAMED + 1))}`,
      blocks: () => true,
      // Its aliases are part of it (deleted with it by the foreign key's cascade).
      remove: (tx, k) => tx.actor.delete({ where: { id: k } }),
    },
    id,
  );
}
