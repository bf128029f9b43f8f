// Sources (publications) and citations (an excerpt of a source supporting one record).
import type { DateSpanInput } from '../domain/dateSpan';
import { NotFoundError, ValidationError } from '../domain/errors';
import { checkId } from '../domain/ids';
import { citationFields, citationSubject, parseInput, publicationSpan, sourceFields } from '../domain/validation';
import type { Db } from '../db/client';
import { publishedSpanFields } from '../domain/spans';
import type { Citation, EvidenceType, Prisma, Reliability, Source } from '../generated/prisma/client';
import { audited, NO_KEY, type Author } from './audit';
import { deleteOne } from './cascade';
import { lockVersion } from './concurrency';
import { requireExisting } from './references';

type Tx = Prisma.TransactionClient;

export interface SourceInput {
  publisher?: string | null;
  title?: string | null;
  url?: string | null;
  /** The first day of publication, as a DAY span (the older form of `published`). */
  publishedAt?: string | null;
  published?: DateSpanInput | null;
  reliability?: Reliability | null;
  /** A syndicated or repeated story: the source it repeats (null: an original). */
  derivedFromId?: string | null;
  expectedUpdatedAt?: Date | null;
}

function sourceData(input: SourceInput) {
  const f = parseInput(sourceFields, input, 'input');
  const published = publicationSpan(input, 'input');
  return {
    publisher: f.publisher ?? undefined,
    title: f.title ?? undefined,
    url: input.url === undefined ? undefined : f.url || null,
    ...(published === undefined ? {} : publishedSpanFields(published)),
    reliability: input.reliability ?? undefined,
  };
}

/**
 * The origin a source repeats, stored as the root of the chain (a repeat of a repeat counts
 * as the first story's publisher), so corroboration needs one hop. Undefined: unchanged.
 */
async function originOf(tx: Tx, selfId: string | null, input: SourceInput): Promise<string | null | undefined> {
  if (input.derivedFromId === undefined) return undefined;
  if (input.derivedFromId === null || input.derivedFromId === '') return null;
  const id = checkId(input.derivedFromId, 'input.derivedFromId');
  await requireExisting(tx, 'source', { 'input.derivedFromId': id });
  const target = await tx.source.findUniqueOrThrow({ where: { id } });
  const root = target.derivedFromId ?? target.id;
  if (root === selfId) throw new ValidationError('input.derivedFromId', 'a source cannot repeat itself (directly or through a repeat of it)');
  return root;
}

async function findSource(tx: Tx, id: string): Promise<Source> {
  const source = await tx.source.findFirst({ where: { id: checkId(id, 'id'), deletedAt: null } });
  if (!source) throw new NotFoundError('Source', id);
  return source;
}

/** Every undeleted source, by publisher. */
export function listSources(db: Db): Promise<Source[]> {
  return db.prisma.source.findMany({ where: { deletedAt: null }, orderBy: [{ publisher: 'asc' }, { id: 'asc' }] });
}

export async function createSource(db: Db, input: SourceInput, by: Author = NO_KEY): Promise<Source> {
  const data = sourceData(input);
  return db.transaction(async (tx) => {
    const derivedFromId = await originOf(tx, null, input);
    const source = await tx.source.create({ data: { ...data, derivedFromId } as Prisma.SourceUncheckedCreateInput });
    await audited(tx, by, { operation: 'createSource', entity: 'SOURCE', id: source.id, before: null, after: source });
    return source;
  });
}

export async function updateSource(db: Db, id: string, input: SourceInput, by: Author = NO_KEY): Promise<Source> {
  const data = sourceData(input);
  return db.transaction(async (tx) => {
    await lockVersion(tx, 'Source', id, input.expectedUpdatedAt);
    const before = await findSource(tx, id);
    const derivedFromId = await originOf(tx, before.id, input);
    // Repeats of this source follow it to its new origin, keeping every chain one hop long.
    if (derivedFromId) await tx.source.updateMany({ where: { derivedFromId: before.id }, data: { derivedFromId } });
    const after = await tx.source.update({ where: { id: before.id }, data: { ...data, derivedFromId } });
    await audited(tx, by, { operation: 'updateSource', entity: 'SOURCE', id: after.id, before, after });
    return after;
  });
}

/** Soft delete; refused (ReferencedError) while live citations quote it or live sources repeat it, unless `cascade`. */
export function deleteSource(db: Db, id: string, by: Author = NO_KEY, opts: { cascade?: boolean | null } = {}): Promise<Source> {
  return deleteOne(db, by, 'Source', id, { operation: 'deleteSource', cascade: opts.cascade });
}

export interface CitationInput {
  sourceId?: string | null;
  excerpt?: string | null;
  credibility?: number | null;
  eventId?: string | null;
  shipmentId?: string | null;
  affiliationId?: string | null;
  evidenceType?: EvidenceType | null;
  expectedUpdatedAt?: Date | null;
}

export async function createCitation(db: Db, input: CitationInput, by: Author = NO_KEY): Promise<Citation> {
  const f = parseInput(citationFields, input, 'input');
  const subject = citationSubject(input, 'input');
  return db.transaction(async (tx) => {
    await requireExisting(tx, 'source', { 'input.sourceId': input.sourceId! });
    if (subject.eventId) await requireExisting(tx, 'event', { 'input.eventId': subject.eventId });
    if (subject.shipmentId) await requireExisting(tx, 'shipment', { 'input.shipmentId': subject.shipmentId });
    if (subject.affiliationId) await requireExisting(tx, 'affiliation', { 'input.affiliationId': subject.affiliationId });
    const citation = await tx.citation.create({
      data: {
        sourceId: input.sourceId!.toLowerCase(),
        excerpt: f.excerpt!,
        credibility: f.credibility ?? 6,
        evidenceType: input.evidenceType ?? undefined,
        ...subject,
      },
    });
    await audited(tx, by, { operation: 'createCitation', entity: 'CITATION', id: citation.id, before: null, after: citation });
    return citation;
  });
}

async function findCitation(tx: Tx, id: string): Promise<Citation> {
  const citation = await tx.citation.findFirst({ where: { id: checkId(id, 'id'), deletedAt: null } });
  if (!citation) throw new NotFoundError('Citation', id);
  return citation;
}

export async function updateCitation(db: Db, id: string, input: CitationInput, by: Author = NO_KEY): Promise<Citation> {
  const f = parseInput(citationFields, input, 'input');
  return db.transaction(async (tx) => {
    await lockVersion(tx, 'Citation', id, input.expectedUpdatedAt);
    const before = await findCitation(tx, id);
    const after = await tx.citation.update({
      where: { id: before.id },
      data: { excerpt: f.excerpt ?? undefined, credibility: f.credibility ?? undefined, evidenceType: input.evidenceType ?? undefined },
    });
    await audited(tx, by, { operation: 'updateCitation', entity: 'CITATION', id: after.id, before, after });
    return after;
  });
}

/** Soft delete; refused (ReferencedError) while live claims are made in it, unless `cascade`. */
export function deleteCitation(db: Db, id: string, by: Author = NO_KEY, opts: { cascade?: boolean | null } = {}): Promise<Citation> {
  return deleteOne(db, by, 'Citation', id, { operation: 'deleteCitation', cascade: opts.cascade });
}
