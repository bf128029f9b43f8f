// The SQL of references between records (src/domain/dependents.ts says which): live records
// referring to some, locks that keep a delete and a write referring to the same record from
// passing each other, and the audit entries a restore walks. Every look-up goes through an
// index on the referring column; events and shipments are reached through their key tables,
// so one partition is probed per row.
import { Prisma } from '../../generated/prisma/client';
import { TABLE, type Kind, type Reference } from '../../domain/dependents';

type Tx = Prisma.TransactionClient;
const raw = Prisma.raw;

/** A live referring record and the referred-to record it names. */
export interface Referrer {
  id: string;
  parent: string;
}

/** SELECT id, parent: the live records referring to any of `ids` through `ref`. */
function referrersSql(ref: Reference, ids: string[]): Prisma.Sql {
  const [column] = Object.keys(ref.columns);
  if (ref.link === 'participants') {
    return Prisma.sql`SELECT DISTINCT p.event_id::text AS id, p.actor_id::text AS parent
      FROM event_participants p
      JOIN event_keys k ON k.id = p.event_id
      JOIN events r ON r.id = k.id AND r.span_start = k.span_start
     WHERE p.actor_id = ANY(${ids}::uuid[]) AND r.deleted_at IS NULL`;
  }
  if (ref.link === 'shipmentEvents') {
    return Prisma.sql`SELECT l.shipment_id::text AS id, l.event_id::text AS parent
      FROM shipment_events l
      JOIN shipment_keys k ON k.id = l.shipment_id
      JOIN shipments r ON r.id = k.id AND r.delivery_start = k.delivery_start
     WHERE l.event_id = ANY(${ids}::uuid[]) AND r.deleted_at IS NULL`;
  }
  const columns = Object.keys(ref.columns);
  const matches = columns.map((c) => Prisma.sql`r.${raw(c)} = ANY(${ids}::uuid[])`);
  const parent = columns.length === 1 ? raw(`r.${column}`) : Prisma.sql`CASE WHEN ${matches[0]} THEN r.${raw(column)} ELSE r.${raw(columns[1])} END`;
  return Prisma.sql`SELECT r.id::text AS id, (${parent})::text AS parent
      FROM ${raw(TABLE[ref.from])} r
     WHERE (${Prisma.join(matches, ' OR ')}) AND r.deleted_at IS NULL`;
}

/** How many live records refer to `id` through each of `refs` (same order), in one statement. */
export async function countReferrers(tx: Tx, refs: Reference[], id: string): Promise<number[]> {
  if (!refs.length) return [];
  const parts = refs.map((ref, i) => Prisma.sql`SELECT ${i}::int AS i, count(DISTINCT x.id)::int AS n FROM (${referrersSql(ref, [id])}) x`);
  const rows = await tx.$queryRaw<{ i: number; n: number }[]>`${Prisma.join(parts, ' UNION ALL ')}`;
  const byIndex = new Map(rows.map((r) => [r.i, r.n]));
  return refs.map((_, i) => byIndex.get(i) ?? 0);
}

/**
 * The live records referring to any of `ids` through `ref`, locked FOR UPDATE when they hold
 * the reference themselves (a link's records are locked with lockLive). In id order, so two
 * cascades lock shared rows in the same order.
 */
export async function referrers(tx: Tx, ref: Reference, ids: string[]): Promise<Referrer[]> {
  if (!ids.length) return [];
  if (ref.link) return tx.$queryRaw<Referrer[]>`SELECT * FROM (${referrersSql(ref, ids)}) x ORDER BY id, parent`;
  return tx.$queryRaw<Referrer[]>`${referrersSql(ref, ids)} ORDER BY r.id FOR UPDATE OF r`;
}

/**
 * Locks the live ones of `ids` and returns them: FOR KEY SHARE when a write is about to refer
 * to them (a delete's FOR UPDATE waits for that write, and sees what it wrote), FOR UPDATE when
 * they are about to change.
 */
export async function lockLive(tx: Tx, kind: Kind, ids: string[], mode: 'KEY SHARE' | 'UPDATE'): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text AS id FROM ${raw(TABLE[kind])}
     WHERE id = ANY(${[...new Set(ids)]}::uuid[]) AND deleted_at IS NULL
     ORDER BY id FOR ${raw(mode)}`;
  return new Set(rows.map((r) => r.id));
}

/** Locks records, live or not, FOR UPDATE; returns the ids that exist. */
export async function lockRows(tx: Tx, kind: Kind, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text AS id FROM ${raw(TABLE[kind])} WHERE id = ANY(${[...new Set(ids)]}::uuid[]) ORDER BY id FOR UPDATE`;
  return new Set(rows.map((r) => r.id));
}

/** Locks one record, live or not, FOR UPDATE: whether it exists, and whether it is deleted. */
export async function lockRecord(tx: Tx, kind: Kind, id: string): Promise<{ deleted: boolean } | null> {
  const rows = await tx.$queryRaw<{ deleted: boolean }[]>`
    SELECT deleted_at IS NOT NULL AS deleted FROM ${raw(TABLE[kind])} WHERE id = ${id}::uuid FOR UPDATE`;
  return rows[0] ?? null;
}

/** Takes the links of `pairs` off (owner: the event or the shipment holding the link; parent: the record linked). */
export async function removeLinks(tx: Tx, link: 'participants' | 'shipmentEvents', pairs: Referrer[]): Promise<void> {
  if (!pairs.length) return;
  const owners = pairs.map((p) => p.id);
  const parents = pairs.map((p) => p.parent);
  if (link === 'participants') {
    await tx.$executeRaw`DELETE FROM event_participants p USING unnest(${owners}::uuid[], ${parents}::uuid[]) AS x(owner, parent)
      WHERE p.event_id = x.owner AND p.actor_id = x.parent`;
  } else {
    await tx.$executeRaw`DELETE FROM shipment_events l USING unnest(${owners}::uuid[], ${parents}::uuid[]) AS x(owner, parent)
      WHERE l.shipment_id = x.owner AND l.event_id = x.parent`;
  }
}

/**
 * The newest audit entry of each of `ids` that deleted or restored it (entity: the audit log's
 * name of their kind). Entries that changed a deleted record without bringing it back — a link
 * put back on it by another record's restore — do not count.
 */
export async function lastDeletions(tx: Tx, entity: string, ids: string[]): Promise<Map<string, bigint>> {
  if (!ids.length) return new Map();
  const rows = await tx.$queryRaw<{ entity_id: string; id: bigint }[]>`
    SELECT DISTINCT ON (entity_id) entity_id::text AS entity_id, id FROM audit_log
     WHERE entity = ${entity} AND entity_id = ANY(${ids}::uuid[])
       AND (before->>'deletedAt' IS NULL) <> (after->>'deletedAt' IS NULL)
     ORDER BY entity_id, id DESC`;
  return new Map(rows.map((r) => [r.entity_id, BigInt(r.id)]));
}
