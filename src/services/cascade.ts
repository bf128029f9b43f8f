// Soft deletes and restores that keep references whole (issue #27). A record that live records
// refer to is deleted only when the caller asks for the cascade: then those records go with it
// in the same transaction (soft-deleted, or the link taken off them: src/domain/dependents.ts),
// and theirs in turn, each audited with a pointer to the entry of the record it went for
// (audit_log.cascade_of). Restoring a record walks that tree down from the entry of its own
// deletion, bringing back each record whose last deletion or restore is still that deletion:
// what the cascade deleted, and nothing deleted, restored or deleted again apart since.
import type { Db } from '../db/client';
import { countReferrers, lastDeletions, lockLive, lockRecord, lockRows, referrers, removeLinks, type Referrer } from '../db/queries/dependents';
import { AUDIT_ENTITY, fieldOf, KINDS, kindOfEntity, referencesFrom, referencesTo, type Kind, type Reference } from '../domain/dependents';
import { NotFoundError, ReferencedError, ValidationError } from '../domain/errors';
import { checkId } from '../domain/ids';
import type { AuditEntry, Prisma } from '../generated/prisma/client';
import { snapshot, type Author } from './audit';

type Tx = Prisma.TransactionClient;

/** A record's row as Prisma reads it. */
export interface Row {
  id: string;
  deletedAt: Date | null;
  [field: string]: unknown;
}

/** The few calls made here, which every model's delegate answers alike. */
interface Delegate {
  findMany(args: { where: { id: { in: string[] } }; orderBy?: { id: 'asc' } }): Promise<Row[]>;
  updateMany(args: { where: { id: { in: string[] }; deletedAt?: null | { not: null } }; data: Record<string, unknown> }): Promise<{ count: number }>;
}

function delegate(tx: Tx, kind: Kind): Delegate {
  const models = {
    Source: tx.source,
    Actor: tx.actor,
    Affiliation: tx.affiliation,
    Event: tx.event,
    Shipment: tx.shipment,
    Citation: tx.citation,
    Claim: tx.claim,
  };
  // The delegates' generated types differ per model; the calls above are the same on each.
  return models[kind] as unknown as Delegate;
}

/** Rows per call: a cascade can reach a busy actor's 100,000 shipments. */
const CHUNK = 5_000;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

async function rowsOf(tx: Tx, kind: Kind, ids: string[]): Promise<Row[]> {
  const out: Row[] = [];
  for (const part of chunks(ids)) out.push(...(await delegate(tx, kind).findMany({ where: { id: { in: part } }, orderBy: { id: 'asc' } })));
  return out;
}

/** Records as the audit log keeps them: an actor with its aliases, an event with its participants, a shipment with its events. */
export async function statesOf(tx: Tx, kind: Kind, rows: Row[]): Promise<Map<string, unknown>> {
  const ids = rows.map((r) => r.id);
  const out = new Map<string, unknown>();
  if (kind === 'Actor') {
    const aliases = await tx.actorAlias.findMany({ where: { actorId: { in: ids } }, select: { actorId: true, alias: true }, orderBy: { alias: 'asc' } });
    for (const r of rows) out.set(r.id, { ...r, aliases: aliases.filter((a) => a.actorId === r.id).map((a) => a.alias) });
  } else if (kind === 'Event') {
    const participants = await tx.eventParticipant.findMany({
      where: { eventId: { in: ids } },
      select: { eventId: true, actorId: true, role: true },
      orderBy: [{ actorId: 'asc' }, { role: 'asc' }],
    });
    for (const r of rows) out.set(r.id, { ...r, participants: participants.filter((p) => p.eventId === r.id).map(({ actorId, role }) => ({ actorId, role })) });
  } else if (kind === 'Shipment') {
    const links = await tx.shipmentEvent.findMany({
      where: { shipmentId: { in: ids } },
      select: { shipmentId: true, eventId: true },
      orderBy: { eventId: 'asc' },
    });
    for (const r of rows) out.set(r.id, { ...r, eventIds: links.filter((l) => l.shipmentId === r.id).map((l) => l.eventId) });
  } else {
    for (const r of rows) out.set(r.id, r);
  }
  return out;
}

interface Change {
  id: string;
  /** The audit entry this change was made for (null: made directly). */
  cascadeOf: bigint | null;
}

interface Changed {
  row: Row;
  auditId: bigint;
}

/**
 * Sets (or clears) deleted_at on `items`, all of one kind, with an audit entry each; rows
 * already in the wanted state are left out. A deleted claim is no longer accepted, and a
 * restored one comes back not accepted: accepting it again is a decision of its own.
 */
async function setDeleted(tx: Tx, by: Author, kind: Kind, items: Change[], operation: string, at: Date | null): Promise<Changed[]> {
  const out: Changed[] = [];
  for (const part of chunks(items)) {
    const current = await rowsOf(
      tx,
      kind,
      part.map((i) => i.id),
    );
    const due = new Set(current.filter((r) => (r.deletedAt === null) === (at !== null)).map((r) => r.id));
    const todo = part.filter((i) => due.has(i.id));
    if (!todo.length) continue;
    const ids = todo.map((i) => i.id);
    const before = await statesOf(
      tx,
      kind,
      current.filter((r) => due.has(r.id)),
    );
    await delegate(tx, kind).updateMany({
      where: { id: { in: ids }, deletedAt: at ? null : { not: null } },
      data: { deletedAt: at, updatedAt: at ?? new Date(), ...(kind === 'Claim' ? { accepted: false } : {}) },
    });
    const rows = await rowsOf(tx, kind, ids);
    const after = await statesOf(tx, kind, rows);
    const entries = await writeAudit(tx, by, kind, todo, operation, before, after);
    for (const row of rows) out.push({ row, auditId: entries.get(row.id)! });
  }
  return out;
}

async function writeAudit(
  tx: Tx,
  by: Author,
  kind: Kind,
  items: Change[],
  operation: string,
  before: Map<string, unknown>,
  after: Map<string, unknown>,
): Promise<Map<string, bigint>> {
  const entries = await tx.auditEntry.createManyAndReturn({
    data: items.map((i) => ({
      keyId: by.keyId,
      operation,
      entity: AUDIT_ENTITY[kind],
      entityId: i.id,
      before: snapshot(before.get(i.id)),
      after: snapshot(after.get(i.id)),
      cascadeOf: i.cascadeOf,
    })),
    select: { id: true, entityId: true },
  });
  return new Map(entries.map((e) => [e.entityId, e.id]));
}

/** The live dependents of a record, counted per reference (only those with any). */
async function dependentsOf(tx: Tx, kind: Kind, id: string) {
  const refs = referencesTo(kind);
  const counts = await countReferrers(tx, refs, id);
  return refs.map((ref, i) => ({ kind: ref.from, via: ref.via, count: counts[i], onCascade: ref.onCascade })).filter((d) => d.count > 0);
}

export interface DeleteOptions {
  /** The mutation, written on every audit entry of the delete (the cascade's too). */
  operation: string;
  /** Soft-delete the dependents along instead of refusing (ReferencedError). */
  cascade?: boolean | null;
}

/**
 * Soft-deletes a live record inside the caller's transaction: NotFoundError when there is no
 * live one, ReferencedError when live records refer to it and `cascade` is not set.
 */
export async function deleteRecord(tx: Tx, by: Author, kind: Kind, id: string, opts: DeleteOptions): Promise<Row> {
  const key = checkId(id, 'id');
  const found = await lockRecord(tx, kind, key);
  if (!found || found.deleted) throw new NotFoundError(kind, id);
  const dependents = await dependentsOf(tx, kind, key);
  if (dependents.length && !opts.cascade) throw new ReferencedError(kind, key, dependents);
  const at = new Date();
  const [root] = await setDeleted(tx, by, kind, [{ id: key, cascadeOf: null }], opts.operation, at);
  if (dependents.length) await cascade(tx, by, { kind, id: key, auditId: root.auditId }, opts.operation, at);
  return root.row;
}

/** deleteRecord in a transaction of its own. */
export function deleteOne<T>(db: Db, by: Author, kind: Kind, id: string, opts: DeleteOptions): Promise<T> {
  return db.transaction(async (tx) => (await deleteRecord(tx, by, kind, id, opts)) as unknown as T);
}

interface Node {
  kind: Kind;
  id: string;
  auditId: bigint;
}

/** Breadth first from a deleted record: its live dependents, then theirs, until none is left. */
async function cascade(tx: Tx, by: Author, root: Node, operation: string, at: Date): Promise<void> {
  let level: Node[] = [root];
  while (level.length) {
    const next: Node[] = [];
    for (const kind of KINDS) {
      const parents = new Map(level.filter((n) => n.kind === kind).map((n) => [n.id, n.auditId]));
      if (!parents.size) continue;
      for (const ref of referencesTo(kind)) {
        const found = await referrers(tx, ref, [...parents.keys()]);
        if (!found.length) continue;
        if (ref.onCascade === 'UNLINK') {
          await unlink(tx, by, ref, found, parents, operation);
          continue;
        }
        const first = new Map<string, Referrer>();
        for (const f of found) if (!first.has(f.id)) first.set(f.id, f);
        const deleted = await setDeleted(
          tx,
          by,
          ref.from,
          [...first.values()].map((f) => ({ id: f.id, cascadeOf: parents.get(f.parent)! })),
          operation,
          at,
        );
        next.push(...deleted.map((d) => ({ kind: ref.from, id: d.row.id, auditId: d.auditId })));
      }
    }
    level = next;
  }
}

/** Takes the links to deleted records off the live records holding them (audited as changes of those records). */
async function unlink(tx: Tx, by: Author, ref: Reference, pairs: Referrer[], parents: Map<string, bigint>, operation: string): Promise<void> {
  const owners = [...new Set(pairs.map((p) => p.id))];
  await lockLive(tx, ref.from, owners, 'UPDATE');
  const before = await statesOf(tx, ref.from, await rowsOf(tx, ref.from, owners));
  await removeLinks(tx, ref.link!, pairs);
  // The holder changed (its participants or events): a client holding its old updatedAt must reload.
  for (const part of chunks(owners)) await delegate(tx, ref.from).updateMany({ where: { id: { in: part } }, data: { updatedAt: new Date() } });
  const after = await statesOf(tx, ref.from, await rowsOf(tx, ref.from, owners));
  const parentOf = new Map<string, string>();
  for (const p of pairs) if (!parentOf.has(p.id)) parentOf.set(p.id, p.parent);
  const changes = owners.map((id) => ({ id, cascadeOf: parents.get(parentOf.get(id)!)! }));
  for (const part of chunks(changes)) await writeAudit(tx, by, ref.from, part, operation, before, after);
}

/** What a record refers to that is not live, checked (and locked) for rows about to become live. */
async function requireParents(tx: Tx, kind: Kind, rows: Row[], message: (what: string, parentId: string, row: Row) => string): Promise<void> {
  if (!rows.length) return;
  const ids = rows.map((r) => r.id);
  for (const ref of referencesFrom(kind)) {
    const needed: { row: Row; what: string; parent: string }[] = [];
    if (ref.link === 'participants') {
      const links = await tx.eventParticipant.findMany({ where: { eventId: { in: ids } }, orderBy: [{ eventId: 'asc' }, { actorId: 'asc' }] });
      for (const l of links) needed.push({ row: rows.find((r) => r.id === l.eventId)!, what: 'participant', parent: l.actorId });
    } else if (ref.link === 'shipmentEvents') {
      const links = await tx.shipmentEvent.findMany({ where: { shipmentId: { in: ids } }, orderBy: [{ shipmentId: 'asc' }, { eventId: 'asc' }] });
      for (const l of links) needed.push({ row: rows.find((r) => r.id === l.shipmentId)!, what: 'event', parent: l.eventId });
    } else {
      for (const row of rows) {
        for (const [column, what] of Object.entries(ref.columns)) {
          const parent = row[fieldOf(column)];
          if (typeof parent === 'string') needed.push({ row, what, parent });
        }
      }
    }
    const live = await lockLive(
      tx,
      ref.to,
      needed.map((n) => n.parent),
      'KEY SHARE',
    );
    const missing = needed.find((n) => !live.has(n.parent));
    if (missing) throw new ValidationError('id', message(missing.what, missing.parent, missing.row));
  }
}

export interface RestoreOptions {
  operation: string;
  /** The type's name in messages ("Event"). */
  name: string;
  /** A further rule for the record itself (an actor merged into another stays deleted). */
  check?: (tx: Tx, row: Row) => Promise<void>;
}

/**
 * Brings back a soft-deleted record and what its own deletion's cascade took with it, in one
 * transaction, each audited (the cascade's entries pointing at the restore's). Refused (bad
 * input on `id`) while something it refers to is deleted, or something its cascade would bring
 * back refers to a record deleted apart: restore that first.
 */
export async function restoreOne<T>(db: Db, by: Author, kind: Kind, id: string, opts: RestoreOptions): Promise<T> {
  const key = checkId(id, 'id');
  return db.transaction(async (tx) => {
    const found = await lockRecord(tx, kind, key);
    if (!found) throw new NotFoundError(opts.name, id);
    if (!found.deleted) throw new ValidationError('id', `${opts.name} ${key} is not deleted`);
    const [row] = await rowsOf(tx, kind, [key]);
    await opts.check?.(tx, row);
    await requireParents(tx, kind, [row], (what, parent) => `its ${what} ${parent} is deleted; restore that first`);
    const deletion = (await lastDeletions(tx, AUDIT_ENTITY[kind], [key])).get(key);
    const [restored] = await setDeleted(tx, by, kind, [{ id: key, cascadeOf: null }], opts.operation, null);
    if (deletion !== undefined) await restoreCascade(tx, by, deletion, restored.auditId, opts.operation, `${opts.name.toLowerCase()} ${key}`);
    return restored.row as unknown as T;
  });
}

const deletedIn = (entry: AuditEntry) => Boolean((entry.after as { deletedAt?: unknown } | null)?.deletedAt);

/** Walks the cascade of `deletion` level by level, parents before children within a level. */
async function restoreCascade(tx: Tx, by: Author, deletion: bigint, restore: bigint, operation: string, rootLabel: string): Promise<void> {
  // The entry of each deletion being undone → the entry of its undoing.
  let level = new Map<bigint, bigint>([[deletion, restore]]);
  while (level.size) {
    const children = await tx.auditEntry.findMany({ where: { cascadeOf: { in: [...level.keys()] } }, orderBy: { id: 'asc' } });
    const next = new Map<bigint, bigint>();
    for (const kind of KINDS) {
      const mine = children.filter((c) => kindOfEntity(c.entity) === kind);
      if (!mine.length) continue;
      await relink(
        tx,
        by,
        kind,
        mine.filter((c) => !deletedIn(c)),
        level,
        operation,
      );
      const deletions = mine.filter(deletedIn);
      if (!deletions.length) continue;
      const ids = deletions.map((d) => d.entityId);
      const rows = new Map((await rowsOf(tx, kind, ids)).map((r) => [r.id, r]));
      const newest = await lastDeletions(tx, AUDIT_ENTITY[kind], ids);
      // Still deleted by this very cascade: not purged, restored or deleted again since.
      const undone = deletions.filter((d) => rows.get(d.entityId)?.deletedAt && newest.get(d.entityId) === d.id);
      await requireParents(
        tx,
        kind,
        undone.map((d) => rows.get(d.entityId)!),
        (what, parent, row) =>
          `restoring ${rootLabel} would bring back ${kind.toLowerCase()} ${row.id}, whose ${what} ${parent} is deleted; restore that first`,
      );
      const restored = await setDeleted(
        tx,
        by,
        kind,
        undone.map((d) => ({ id: d.entityId, cascadeOf: level.get(d.cascadeOf!)! })),
        operation,
        null,
      );
      const auditOf = new Map(restored.map((r) => [r.row.id, r.auditId]));
      for (const d of undone) next.set(d.id, auditOf.get(d.entityId)!);
    }
    level = next;
  }
}

/** Puts back the links a cascade took off (where both records still exist), audited on the record holding them. */
async function relink(tx: Tx, by: Author, kind: Kind, entries: AuditEntry[], level: Map<bigint, bigint>, operation: string): Promise<void> {
  if (!entries.length || (kind !== 'Event' && kind !== 'Shipment')) return;
  // The records holding the links, in whatever state (a purged one is left out).
  const exists = await lockRows(
    tx,
    kind,
    entries.map((e) => e.entityId),
  );
  const mine = entries.filter((e) => exists.has(e.entityId));
  if (!mine.length) return;
  const changed = new Map<string, Change>();
  for (const e of mine) if (!changed.has(e.entityId)) changed.set(e.entityId, { id: e.entityId, cascadeOf: level.get(e.cascadeOf!)! });
  const ids = [...changed.keys()];
  const before = await statesOf(tx, kind, await rowsOf(tx, kind, ids));
  if (kind === 'Event') {
    type P = { actorId: string; role: string };
    const key = (p: P) => `${p.actorId}:${p.role}`;
    const data = mine.flatMap((e) => {
      const kept = new Set(((e.after as { participants?: P[] }).participants ?? []).map(key));
      return ((e.before as { participants?: P[] }).participants ?? [])
        .filter((p) => !kept.has(key(p)))
        .map((p) => ({ eventId: e.entityId, actorId: p.actorId, role: p.role }));
    });
    const known = await lockRows(
      tx,
      'Actor',
      data.map((d) => d.actorId),
    );
    await tx.eventParticipant.createMany({ data: data.filter((d) => known.has(d.actorId)) as Prisma.EventParticipantCreateManyInput[], skipDuplicates: true });
  } else {
    const data = mine.flatMap((e) => {
      const kept = new Set((e.after as { eventIds?: string[] }).eventIds ?? []);
      return ((e.before as { eventIds?: string[] }).eventIds ?? []).filter((id) => !kept.has(id)).map((eventId) => ({ shipmentId: e.entityId, eventId }));
    });
    const known = await lockRows(
      tx,
      'Event',
      data.map((d) => d.eventId),
    );
    await tx.shipmentEvent.createMany({ data: data.filter((d) => known.has(d.eventId)), skipDuplicates: true });
  }
  await delegate(tx, kind).updateMany({ where: { id: { in: ids } }, data: { updatedAt: new Date() } });
  const after = await statesOf(tx, kind, await rowsOf(tx, kind, ids));
  await writeAudit(tx, by, kind, [...changed.values()], operation, before, after);
}
