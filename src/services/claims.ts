// Claims: who asserted what about an event or a shipment (or one of its fields), when, in
// which citation, and how likely they said it is. Competing claims coexist; accepting one
// writes its value to the record (audited, same transaction) and un-accepts the others.
// While none is accepted the record's value as entered stands: claims are only evidence.
import { toConnection, type ConnectionResult } from '../domain/connection';
import { CREATED_CURSOR } from '../domain/cursor';
import {
  ANY_CLAIM_FIELD,
  canonicalClaimValue,
  checkClaimField,
  claimNamesActor,
  claimPatch,
  statedLikelihoodOf,
  type ClaimSubjectKind,
} from '../domain/claims';
import { dateToUtc } from '../domain/dateSpan';
import { NotFoundError, ValidationError } from '../domain/errors';
import { checkId } from '../domain/ids';
import { pageSize } from '../domain/pagination';
import { calendarDayProblem, checkText, subjectCountProblem } from '../domain/validation';
import type { Db } from '../db/client';
import { lockLive } from '../db/queries/dependents';
import { countClaimsAsOf, listClaimsAsOf } from '../db/queries/provenance';
import type { Claim, Confidence, Likelihood, Prisma } from '../generated/prisma/client';
import { audited, NO_KEY, type Author } from './audit';
import { tagRead } from './history';
import { deleteOne } from './cascade';
import { lockVersion } from './concurrency';
import { applyEventUpdate } from './events';
import { requireExisting } from './references';
import { applyShipmentUpdate } from './shipments';

type Tx = Prisma.TransactionClient;

export interface ClaimInput {
  claimantId?: string | null;
  statedOn?: string | null;
  citationId?: string | null;
  eventId?: string | null;
  shipmentId?: string | null;
  field?: string | null;
  value?: string | null;
  /** Present and null: the claimant's words carry no estimative language. */
  statedLikelihood?: Likelihood | null;
  /** Deprecated input: a likelihood that cannot be null. */
  likelihood?: Likelihood | null;
  confidence?: Confidence | null;
  expectedUpdatedAt?: Date | null;
}

interface Subject {
  kind: ClaimSubjectKind;
  id: string;
}

function subjectOf(claim: Pick<Claim, 'eventId' | 'shipmentId'>): Subject {
  return claim.eventId ? { kind: 'event', id: claim.eventId } : { kind: 'shipment', id: claim.shipmentId! };
}

/** A claim is about exactly one event or shipment. */
function inputSubject(input: ClaimInput): Subject {
  const fields = ['eventId', 'shipmentId'] as const;
  const given = fields.filter((k) => input[k]);
  if (given.length !== 1) throw new ValidationError(`input.${given[1] ?? 'eventId'}`, subjectCountProblem('claim', fields));
  const key = given[0];
  return { kind: key === 'eventId' ? 'event' : 'shipment', id: checkId(input[key]!, `input.${key}`) };
}

function statedOn(value: string | null | undefined): Date | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || value === '') return null;
  const problem = calendarDayProblem(value);
  if (problem) throw new ValidationError('input.statedOn', problem);
  return dateToUtc(value);
}

/** Ids the claim points at must be live: its claimant, subject, an actor it names as value, its citation. */
async function checkRefs(tx: Tx, subject: Subject, field: string | null, value: string | null, input: ClaimInput, subjectPath: string | null): Promise<void> {
  if (input.claimantId) await requireExisting(tx, 'actor', { 'input.claimantId': input.claimantId });
  if (subjectPath) await requireExisting(tx, subject.kind, { [subjectPath]: subject.id });
  if (field && value && claimNamesActor(subject.kind, field)) await requireExisting(tx, 'actor', { 'input.value': value });
  if (input.citationId) {
    const id = checkId(input.citationId, 'input.citationId');
    // Locked like every other referenced record (./references.ts).
    const citation = (await lockLive(tx, 'Citation', [id], 'KEY SHARE')).size ? await tx.citation.findFirst({ where: { id, deletedAt: null } }) : null;
    if (!citation) throw new ValidationError('input.citationId', `unknown citation id ${id}`);
    if ((subject.kind === 'event' ? citation.eventId : citation.shipmentId) !== subject.id) {
      throw new ValidationError('input.citationId', `citation ${id} does not support this claim's ${subject.kind}; cite the same record`);
    }
  }
}

export async function createClaim(db: Db, input: ClaimInput, by: Author = NO_KEY): Promise<Claim> {
  checkText(input, 'input'); // PostgreSQL text cannot hold NUL characters
  if (!input.claimantId) throw new ValidationError('input.claimantId', 'a claim needs its claimant');
  const likelihood = statedLikelihoodOf(input, true) ?? null;
  const subject = inputSubject(input);
  const field = checkClaimField(subject.kind, input.field, 'input.field');
  const value = canonicalClaimValue(subject.kind, field, input.value, 'input.value');
  const stated = statedOn(input.statedOn);
  return db.transaction(async (tx) => {
    await checkRefs(tx, subject, field, value, input, subject.kind === 'event' ? 'input.eventId' : 'input.shipmentId');
    const claim = await tx.claim.create({
      data: {
        claimantId: input.claimantId!.toLowerCase(),
        statedOn: stated ?? null,
        citationId: input.citationId?.toLowerCase() ?? null,
        eventId: subject.kind === 'event' ? subject.id : null,
        shipmentId: subject.kind === 'shipment' ? subject.id : null,
        field,
        value,
        likelihood,
        confidence: input.confidence ?? undefined,
      },
    });
    await audited(tx, by, { operation: 'createClaim', entity: 'CLAIM', id: claim.id, before: null, after: claim });
    return claim;
  });
}

async function findClaim(tx: Tx, id: string): Promise<Claim> {
  const claim = await tx.claim.findFirst({ where: { id: checkId(id, 'id'), deletedAt: null } });
  if (!claim) throw new NotFoundError('Claim', id);
  return claim;
}

/** Writes an accepted claim's value to its record, audited under the claim's operation. */
async function applyToRecord(tx: Tx, claim: Claim, by: Author, operation: string): Promise<void> {
  if (!claim.field || claim.value === null) return;
  const subject = subjectOf(claim);
  const patch = claimPatch(subject.kind, claim.field, claim.value);
  try {
    if (subject.kind === 'event') await applyEventUpdate(tx, subject.id, patch, by, operation);
    else await applyShipmentUpdate(tx, subject.id, patch, by, operation);
  } catch (err) {
    // e.g. a quantity on a shipment without a unit: the claim, not an input field, is at fault.
    if (err instanceof ValidationError) throw new ValidationError('id', `the ${subject.kind} cannot take this claim's value: ${err.message}`);
    throw err;
  }
}

export async function updateClaim(db: Db, id: string, input: ClaimInput, by: Author = NO_KEY): Promise<Claim> {
  checkText(input, 'input');
  if (input.eventId !== undefined || input.shipmentId !== undefined) {
    throw new ValidationError(input.eventId !== undefined ? 'input.eventId' : 'input.shipmentId', 'the subject of a claim cannot change; create another claim');
  }
  const stated = statedOn(input.statedOn);
  const likelihood = statedLikelihoodOf(input, false);
  return db.transaction(async (tx) => {
    await lockVersion(tx, 'Claim', id, input.expectedUpdatedAt);
    const before = await findClaim(tx, id);
    const subject = subjectOf(before);
    const value = input.value === undefined ? before.value : canonicalClaimValue(subject.kind, before.field, input.value, 'input.value');
    await checkRefs(tx, subject, before.field, input.value === undefined ? null : value, input, null);
    const after = await tx.claim.update({
      where: { id: before.id },
      data: {
        claimantId: input.claimantId?.toLowerCase() ?? undefined,
        statedOn: stated,
        citationId: input.citationId === undefined ? undefined : (input.citationId?.toLowerCase() ?? null),
        value,
        likelihood,
        confidence: input.confidence ?? undefined,
      },
    });
    // An accepted claim is the record's current value: a corrected value goes to the record too.
    if (after.accepted && after.value !== before.value) await applyToRecord(tx, after, by, 'updateClaim');
    await audited(tx, by, { operation: 'updateClaim', entity: 'CLAIM', id: after.id, before, after });
    return after;
  });
}

/** Soft delete; a deleted claim is no longer accepted, and the record keeps its value. */
export function deleteClaim(db: Db, id: string, by: Author = NO_KEY, opts: { cascade?: boolean | null } = {}): Promise<Claim> {
  return deleteOne(db, by, 'Claim', id, { operation: 'deleteClaim', cascade: opts.cascade });
}

/**
 * Accepts a claim. About a field: its value becomes the record's (the record's audit entry
 * says acceptClaim) and the competing claims on that field are un-accepted (each audited);
 * they stay listed. About the record as a whole: the claim is marked accepted; such claims
 * do not compete with each other.
 */
export async function acceptClaim(db: Db, id: string, expectedUpdatedAt: Date | null | undefined, by: Author = NO_KEY): Promise<Claim> {
  return db.transaction(async (tx) => {
    await lockVersion(tx, 'Claim', id, expectedUpdatedAt, 'expectedUpdatedAt');
    const before = await findClaim(tx, id);
    if (before.field) {
      const competitors = await tx.claim.findMany({
        where: { eventId: before.eventId, shipmentId: before.shipmentId, field: before.field, accepted: true, deletedAt: null, id: { not: before.id } },
      });
      for (const c of competitors) {
        const after = await tx.claim.update({ where: { id: c.id }, data: { accepted: false } });
        await audited(tx, by, { operation: 'acceptClaim', entity: 'CLAIM', id: c.id, before: c, after });
      }
      await applyToRecord(tx, before, by, 'acceptClaim');
    }
    const after = await tx.claim.update({ where: { id: before.id }, data: { accepted: true } });
    await audited(tx, by, { operation: 'acceptClaim', entity: 'CLAIM', id: after.id, before, after });
    return after;
  });
}

export interface ClaimFilter {
  subjectId: string;
  field?: string | null;
  /** Checked by checkAsOf: the claims as the database held them at this instant. */
  asOf?: string | null;
}

/** The claims about one record (optionally one field), oldest first, keyset-paginated on (createdAt, id). */
export async function claimsConnection(db: Db, filter: ClaimFilter, page: { first?: number | null; after?: string | null }): Promise<ConnectionResult<Claim>> {
  const first = pageSize(page.first);
  const subjectId = checkId(filter.subjectId, 'subjectId');
  const field = filter.field?.trim();
  if (field !== undefined && !ANY_CLAIM_FIELD.has(field)) {
    throw new ValidationError('field', `"${filter.field}" is not a field claims can be about (${[...ANY_CLAIM_FIELD].join(', ')})`);
  }
  const where: Prisma.ClaimWhereInput = {
    deletedAt: null,
    OR: [{ eventId: subjectId }, { shipmentId: subjectId }],
    ...(field !== undefined ? { field } : {}),
  };
  let after: { at: Date; id: string } | undefined;
  if (page.after) {
    const [at, id] = CREATED_CURSOR.decode(page.after);
    after = { at: new Date(at), id };
  }
  const cursor = (c: Claim) => [c.createdAt.toISOString(), c.id];
  if (filter.asOf) {
    const f = { subjectId, field, asOf: filter.asOf };
    const rows = tagRead(await listClaimsAsOf(db, f, first + 1, after), filter.asOf);
    return toConnection(rows, first, cursor, () => countClaimsAsOf(db, f), Boolean(page.after));
  }
  const keyset: Prisma.ClaimWhereInput | undefined = after && {
    OR: [{ createdAt: { gt: after.at } }, { createdAt: after.at, id: { gt: after.id } }],
  };
  const rows = await db.prisma.claim.findMany({
    where: keyset ? { AND: [where, keyset] } : where,
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: first + 1,
  });
  return toConnection(rows, first, cursor, () => db.prisma.claim.count({ where }), Boolean(page.after));
}
