// Affiliations between actors (Kim Jong Un LEADER_OF DPRK), with an optional span.
import type { DateSpanInput } from '../domain/dateSpan';
import { ValidationError } from '../domain/errors';
import { checkId } from '../domain/ids';
import { limitedText, parseInput, parseSpan, SELF_AFFILIATION } from '../domain/validation';
import { z } from 'zod';
import type { Db } from '../db/client';
import { eventSpanFields } from '../domain/spans';
import type { Affiliation, AffiliationRole, Confidence } from '../generated/prisma/client';
import { audited, NO_KEY, type Author } from './audit';
import { deleteOne } from './cascade';
import { requireExisting } from './references';

export interface AffiliationInput {
  actorId: string;
  role: AffiliationRole;
  targetId: string;
  title?: string | null;
  span?: DateSpanInput | null;
  confidence?: Confidence | null;
}

const affiliationFields = z.object({ title: limitedText('title').nullish() });

export async function createAffiliation(db: Db, input: AffiliationInput, by: Author = NO_KEY): Promise<Affiliation> {
  parseInput(affiliationFields, input, 'input');
  const actorId = checkId(input.actorId, 'input.actorId');
  const targetId = checkId(input.targetId, 'input.targetId');
  if (actorId === targetId) throw new ValidationError('input.targetId', SELF_AFFILIATION);
  const span = input.span ? eventSpanFields(parseSpan(input.span, 'input.span')) : {};
  return db.transaction(async (tx) => {
    await requireExisting(tx, 'actor', { 'input.actorId': actorId, 'input.targetId': targetId });
    const affiliation = await tx.affiliation.create({
      data: { actorId, targetId, role: input.role, title: input.title?.trim() || null, confidence: input.confidence ?? undefined, ...span },
    });
    await audited(tx, by, { operation: 'createAffiliation', entity: 'AFFILIATION', id: affiliation.id, before: null, after: affiliation });
    return affiliation;
  });
}

/** Soft delete; refused (ReferencedError) while live citations support it, unless `cascade` (./cascade.ts). */
export function deleteAffiliation(db: Db, id: string, by: Author = NO_KEY, opts: { cascade?: boolean | null } = {}): Promise<Affiliation> {
  return deleteOne(db, by, 'Affiliation', id, { operation: 'deleteAffiliation', cascade: opts.cascade });
}
