// Affiliations between actors (Kim Jong Un LEADER_OF DPRK), with an optional span.
import type { DateSpanInput } from '../domain/dateSpan';
import { NotFoundError, ValidationError } from '../domain/errors';
import { checkId } from '../domain/ids';
import { checkText, parseSpan } from '../domain/validation';
import type { Db } from '../db/client';
import { eventSpanFields } from '../db/spans';
import type { Affiliation, AffiliationRole, Confidence } from '../generated/prisma/client';
import { audited, NO_KEY, type Author } from './audit';
import { requireExisting } from './references';

export interface AffiliationInput {
  actorId: string;
  role: AffiliationRole;
  targetId: string;
  title?: string | null;
  span?: DateSpanInput | null;
  confidence?: Confidence | null;
}

export async function createAffiliation(db: Db, input: AffiliationInput, by: Author = NO_KEY): Promise<Affiliation> {
  checkText(input, 'input');
  const actorId = checkId(input.actorId, 'input.actorId');
  const targetId = checkId(input.targetId, 'input.targetId');
  if (actorId === targetId) throw new ValidationError('input.targetId', 'an actor cannot be affiliated with itself');
  const span = input.span ? eventSpanFields(parseSpan(input.span, 'input.span')) : {};
  return db.$transaction(async (tx) => {
    await requireExisting(tx, 'actor', { 'input.actorId': actorId, 'input.targetId': targetId });
    const affiliation = await tx.affiliation.create({
      data: { actorId, targetId, role: input.role, title: input.title?.trim() || null, confidence: input.confidence ?? undefined, ...span },
    });
    await audited(tx, by, { operation: 'createAffiliation', entity: 'AFFILIATION', id: affiliation.id, before: null, after: affiliation });
    return affiliation;
  });
}

export async function deleteAffiliation(db: Db, id: string, by: Author = NO_KEY): Promise<Affiliation> {
  return db.$transaction(async (tx) => {
    const found = await tx.affiliation.findFirst({ where: { id: checkId(id, 'id'), deletedAt: null } });
    if (!found) throw new NotFoundError('Affiliation', id);
    const after = await tx.affiliation.update({ where: { id: found.id }, data: { deletedAt: new Date() } });
    await audited(tx, by, { operation: 'deleteAffiliation', entity: 'AFFILIATION', id: after.id, before: found, after });
    return after;
  });
}
