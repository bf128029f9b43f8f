// Affiliations between actors (Kim Jong Un LEADER_OF DPRK), with an optional span.
import type { DateSpanInput } from '../domain/dateSpan';
import { NotFoundError, ValidationError } from '../domain/errors';
import { checkId } from '../domain/ids';
import { checkText, parseSpan } from '../domain/validation';
import type { Db } from '../db/client';
import { eventSpanFields } from '../db/spans';
import type { Affiliation, AffiliationRole, Confidence } from '../generated/prisma/client';
import { requireExisting } from './references';

export interface AffiliationInput {
  actorId: string;
  role: AffiliationRole;
  targetId: string;
  title?: string | null;
  span?: DateSpanInput | null;
  confidence?: Confidence | null;
}

export async function createAffiliation(db: Db, input: AffiliationInput): Promise<Affiliation> {
  checkText(input, 'input');
  const actorId = checkId(input.actorId, 'input.actorId');
  const targetId = checkId(input.targetId, 'input.targetId');
  if (actorId === targetId) throw new ValidationError('input.targetId', 'an actor cannot be affiliated with itself');
  const span = input.span ? eventSpanFields(parseSpan(input.span, 'input.span')) : {};
  return db.$transaction(async (tx) => {
    await requireExisting(tx, 'actor', { 'input.actorId': actorId, 'input.targetId': targetId });
    return tx.affiliation.create({
      data: { actorId, targetId, role: input.role, title: input.title?.trim() || null, confidence: input.confidence ?? undefined, ...span },
    });
  });
}

export async function deleteAffiliation(db: Db, id: string): Promise<Affiliation> {
  return db.$transaction(async (tx) => {
    const found = await tx.affiliation.findFirst({ where: { id: checkId(id, 'id'), deletedAt: null } });
    if (!found) throw new NotFoundError('Affiliation', id);
    return tx.affiliation.update({ where: { id }, data: { deletedAt: new Date() } });
  });
}
