// Actors and their aliases: create, update, soft-delete, merge.
import { ValidationError, NotFoundError } from '../domain/errors';
import { checkId } from '../domain/ids';
import { actorFields, aliasList, checkText, parseInput } from '../domain/validation';
import type { Db } from '../db/client';
import type { Actor, ActorKind, Prisma } from '../generated/prisma/client';
import { audited, NO_KEY, type Author } from './audit';
import { lockLive } from '../db/queries/dependents';
import { deleteOne } from './cascade';
import { lockVersion } from './concurrency';

type Tx = Prisma.TransactionClient;

export interface ActorInput {
  name?: string | null;
  kind?: ActorKind | null;
  countryCode?: string | null;
  description?: string | null;
  expectedUpdatedAt?: Date | null;
}

async function findActor(tx: Tx, id: string, field = 'id'): Promise<Actor> {
  const actor = await tx.actor.findFirst({ where: { id: checkId(id, field), deletedAt: null } });
  if (!actor) throw new NotFoundError('Actor', id, field);
  return actor;
}

/** An actor as the audit log records it: its row and its aliases. */
export async function actorState(tx: Tx, actor: Actor): Promise<Actor & { aliases: string[] }> {
  const aliases = await tx.actorAlias.findMany({ where: { actorId: actor.id }, select: { alias: true }, orderBy: { alias: 'asc' } });
  return { ...actor, aliases: aliases.map((a) => a.alias) };
}

/** Adds aliases (case-insensitively new ones only); an alias held by another actor is bad input. */
async function addAliases(tx: Tx, actorId: string, aliases: string[], field: string): Promise<void> {
  const wanted = new Map<string, string>();
  for (const a of aliases.map((s) => s.trim())) if (!wanted.has(a.toLowerCase())) wanted.set(a.toLowerCase(), a);
  if (!wanted.size) return;
  const held = await tx.$queryRaw<{ alias: string; actor_id: string; name: string }[]>`
    SELECT al.alias, al.actor_id, a.name FROM actor_aliases al JOIN actors a ON a.id = al.actor_id
    WHERE lower(al.alias) = ANY(${[...wanted.keys()]}::text[])`;
  const taken = held.find((h) => h.actor_id !== actorId);
  if (taken) {
    throw new ValidationError(field, `alias "${taken.alias}" is already used by actor "${taken.name}" (${taken.actor_id})`);
  }
  const mine = new Set(held.map((h) => h.alias.toLowerCase()));
  const fresh = [...wanted].filter(([key]) => !mine.has(key)).map(([, alias]) => ({ actorId, alias }));
  if (!fresh.length) return;
  try {
    await tx.actorAlias.createMany({ data: fresh });
  } catch (err) {
    // Another transaction took one of these aliases after the check above (the unique index on
    // lower(alias) decides): the same bad input as if it had been taken before.
    if ((err as { code?: string }).code === 'P2002' || /unique constraint/i.test(String((err as Error).message))) {
      throw new ValidationError(field, `alias ${fresh.map((f) => `"${f.alias}"`).join(', ')} was just taken by another actor`);
    }
    throw err;
  }
}

export async function createActor(db: Db, input: ActorInput & { aliases?: string[] | null }, by: Author = NO_KEY): Promise<Actor> {
  const fields = parseInput(actorFields, input, 'input');
  const aliases = parseInput(aliasList, input.aliases ?? [], 'input.aliases');
  return db.transaction(async (tx) => {
    const actor = await tx.actor.create({
      data: { name: fields.name!, kind: input.kind!, countryCode: fields.countryCode ?? null, description: fields.description ?? null },
    });
    await addAliases(tx, actor.id, [actor.name], 'input.name');
    await addAliases(tx, actor.id, aliases, 'input.aliases');
    await audited(tx, by, { operation: 'createActor', entity: 'ACTOR', id: actor.id, before: null, after: await actorState(tx, actor) });
    return actor;
  });
}

export async function updateActor(db: Db, id: string, input: ActorInput, by: Author = NO_KEY): Promise<Actor> {
  const fields = parseInput(actorFields, input, 'input');
  return db.transaction(async (tx) => {
    await lockVersion(tx, 'Actor', id, input.expectedUpdatedAt);
    const before = await actorState(tx, await findActor(tx, id));
    const actor = await tx.actor.update({
      where: { id },
      data: {
        name: fields.name ?? undefined,
        kind: input.kind ?? undefined,
        countryCode: fields.countryCode,
        description: fields.description,
      },
    });
    // A renamed actor keeps its old names as aliases, so old references still resolve.
    if (fields.name) await addAliases(tx, actor.id, [fields.name], 'input.name');
    await audited(tx, by, { operation: 'updateActor', entity: 'ACTOR', id: actor.id, before, after: await actorState(tx, actor) });
    return actor;
  });
}

export async function addActorAliases(db: Db, id: string, aliases: string[], by: Author = NO_KEY): Promise<Actor> {
  const list = parseInput(aliasList, aliases, 'aliases');
  return db.transaction(async (tx) => {
    const actor = await findActor(tx, id);
    const before = await actorState(tx, actor);
    await addAliases(tx, actor.id, list, 'aliases');
    const after = await tx.actor.update({ where: { id: actor.id }, data: { updatedAt: new Date() } });
    await audited(tx, by, { operation: 'addActorAliases', entity: 'ACTOR', id: actor.id, before, after: await actorState(tx, after) });
    return after;
  });
}

export async function removeActorAlias(db: Db, id: string, alias: string, by: Author = NO_KEY): Promise<Actor> {
  checkText(alias, 'alias');
  return db.transaction(async (tx) => {
    const actor = await findActor(tx, id);
    const before = await actorState(tx, actor);
    if (actor.name.toLowerCase() === alias.trim().toLowerCase()) {
      throw new ValidationError('alias', "the actor's own name cannot be removed from its aliases; rename the actor first");
    }
    // lower() = lower(), as the unique index compares: Prisma's insensitive `equals` is ILIKE, where % and _ are wildcards.
    const count = await tx.$executeRaw`DELETE FROM actor_aliases WHERE actor_id = ${actor.id}::uuid AND lower(alias) = lower(${alias.trim()})`;
    if (!count) throw new ValidationError('alias', `actor "${actor.name}" has no alias "${alias}"`);
    const after = await tx.actor.update({ where: { id: actor.id }, data: { updatedAt: new Date() } });
    await audited(tx, by, { operation: 'removeActorAlias', entity: 'ACTOR', id: actor.id, before, after: await actorState(tx, after) });
    return after;
  });
}

/** Soft delete; refused (ReferencedError) while live records name the actor, unless `cascade` (./cascade.ts). */
export function deleteActor(db: Db, id: string, by: Author = NO_KEY, opts: { cascade?: boolean | null } = {}): Promise<Actor> {
  return deleteOne(db, by, 'Actor', id, { operation: 'deleteActor', cascade: opts.cascade });
}

/**
 * Moves everything that refers to `mergeId` onto `keepId` (aliases, participations,
 * shipments, affiliations, claims, in one transaction) and soft-deletes the merged actor,
 * whose names stay resolvable as aliases of the kept one.
 */
export async function mergeActors(db: Db, keepId: string, mergeId: string, by: Author = NO_KEY): Promise<Actor> {
  if (checkId(keepId, 'keepId') === checkId(mergeId, 'mergeId')) {
    throw new ValidationError('mergeId', 'an actor cannot be merged into itself');
  }
  return db.transaction(async (tx) => {
    // Both locked: neither may be deleted (nor merged elsewhere) while records move between them.
    await lockLive(tx, 'Actor', [keepId.toLowerCase(), mergeId.toLowerCase()], 'UPDATE');
    const keep = await findActor(tx, keepId, 'keepId');
    const merge = await findActor(tx, mergeId, 'mergeId');
    // Rows whose two actor columns hold these two actors, either way round.
    const betweenThem = <K extends string>(a: K, b: K) =>
      [
        { [a]: keep.id, [b]: merge.id },
        { [a]: merge.id, [b]: keep.id },
      ] as Record<K, string>[];
    const selfShipment = await tx.shipment.findFirst({ where: { deletedAt: null, OR: betweenThem('supplierId', 'recipientId') } });
    if (selfShipment) {
      throw new ValidationError('mergeId', `shipment ${selfShipment.id} is between these two actors; merging would make it go from an actor to itself`);
    }
    const selfAffiliation = await tx.affiliation.findFirst({ where: { deletedAt: null, OR: betweenThem('actorId', 'targetId') } });
    if (selfAffiliation) {
      throw new ValidationError('mergeId', `affiliation ${selfAffiliation.id} links these two actors; delete it before merging`);
    }
    const keepBefore = await actorState(tx, keep);
    const mergeBefore = await actorState(tx, merge);
    await tx.actorAlias.updateMany({ where: { actorId: merge.id }, data: { actorId: keep.id } });
    // Participations the kept actor already has in the same role would collide on the key.
    await tx.$executeRaw`DELETE FROM event_participants m USING event_participants k
      WHERE m.actor_id = ${merge.id}::uuid AND k.actor_id = ${keep.id}::uuid AND k.event_id = m.event_id AND k.role = m.role`;
    await tx.eventParticipant.updateMany({ where: { actorId: merge.id }, data: { actorId: keep.id } });
    // Shipments and affiliations between the two actors (only deleted ones are left, live ones were refused
    // above) stay with the merged actor: moved, they would link the kept actor to itself.
    await tx.shipment.updateMany({ where: { supplierId: merge.id, recipientId: { not: keep.id } }, data: { supplierId: keep.id } });
    await tx.shipment.updateMany({ where: { recipientId: merge.id, supplierId: { not: keep.id } }, data: { recipientId: keep.id } });
    await tx.affiliation.updateMany({ where: { actorId: merge.id, targetId: { not: keep.id } }, data: { actorId: keep.id } });
    await tx.affiliation.updateMany({ where: { targetId: merge.id, actorId: { not: keep.id } }, data: { targetId: keep.id } });
    // Its claims are the kept actor's claims: left behind, live claims would name a deleted claimant.
    await tx.claim.updateMany({ where: { claimantId: merge.id }, data: { claimantId: keep.id } });
    const merged = await tx.actor.update({ where: { id: merge.id }, data: { deletedAt: new Date() } });
    const kept = await tx.actor.update({
      where: { id: keep.id },
      data: {
        countryCode: keep.countryCode ?? merge.countryCode,
        description: keep.description ?? merge.description,
        updatedAt: new Date(),
      },
    });
    await audited(tx, by, { operation: 'mergeActors', entity: 'ACTOR', id: kept.id, before: keepBefore, after: await actorState(tx, kept) });
    await audited(tx, by, {
      operation: 'mergeActors',
      entity: 'ACTOR',
      id: merged.id,
      before: mergeBefore,
      after: { ...(await actorState(tx, merged)), mergedInto: kept.id },
    });
    return kept;
  });
}
