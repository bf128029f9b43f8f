// Sources (publications) and citations (an excerpt of a source supporting one record).
import { dateToUtc, isValidDate } from '../domain/dateSpan';
import { NotFoundError, ValidationError } from '../domain/errors';
import { checkId } from '../domain/ids';
import { citationFields, citationSubject, parseInput, sourceFields } from '../domain/validation';
import type { Db } from '../db/client';
import type { Citation, Prisma, Reliability, Source } from '../generated/prisma/client';
import { requireExisting } from './references';

type Tx = Prisma.TransactionClient;

export interface SourceInput {
  publisher?: string | null;
  title?: string | null;
  url?: string | null;
  publishedAt?: string | null;
  reliability?: Reliability | null;
}

function sourceData(input: SourceInput) {
  const f = parseInput(sourceFields, input, 'input');
  if (input.publishedAt && !isValidDate(input.publishedAt)) {
    throw new ValidationError('input.publishedAt', `"${input.publishedAt}" is not a calendar date (YYYY-MM-DD)`);
  }
  return {
    publisher: f.publisher ?? undefined,
    title: f.title ?? undefined,
    url: input.url === undefined ? undefined : f.url || null,
    publishedAt: input.publishedAt === undefined ? undefined : input.publishedAt ? dateToUtc(input.publishedAt) : null,
    reliability: input.reliability ?? undefined,
  };
}

async function findSource(tx: Tx, id: string): Promise<Source> {
  const source = await tx.source.findFirst({ where: { id: checkId(id, 'id'), deletedAt: null } });
  if (!source) throw new NotFoundError('Source', id);
  return source;
}

export async function createSource(db: Db, input: SourceInput): Promise<Source> {
  const data = sourceData(input);
  return db.source.create({ data: data as Prisma.SourceCreateInput });
}

export async function updateSource(db: Db, id: string, input: SourceInput): Promise<Source> {
  const data = sourceData(input);
  return db.$transaction(async (tx) => {
    await findSource(tx, id);
    return tx.source.update({ where: { id }, data });
  });
}

export async function deleteSource(db: Db, id: string): Promise<Source> {
  return db.$transaction(async (tx) => {
    await findSource(tx, id);
    return tx.source.update({ where: { id }, data: { deletedAt: new Date() } });
  });
}

export interface CitationInput {
  sourceId?: string | null;
  excerpt?: string | null;
  credibility?: number | null;
  eventId?: string | null;
  shipmentId?: string | null;
  affiliationId?: string | null;
}

export async function createCitation(db: Db, input: CitationInput): Promise<Citation> {
  const f = parseInput(citationFields, input, 'input');
  const subject = citationSubject(input, 'input');
  return db.$transaction(async (tx) => {
    await requireExisting(tx, 'source', { 'input.sourceId': input.sourceId! });
    if (subject.eventId) await requireExisting(tx, 'event', { 'input.eventId': subject.eventId });
    if (subject.shipmentId) await requireExisting(tx, 'shipment', { 'input.shipmentId': subject.shipmentId });
    if (subject.affiliationId) await requireExisting(tx, 'affiliation', { 'input.affiliationId': subject.affiliationId });
    return tx.citation.create({
      data: { sourceId: input.sourceId!.toLowerCase(), excerpt: f.excerpt!, credibility: f.credibility ?? 6, ...subject },
    });
  });
}

async function findCitation(tx: Tx, id: string): Promise<Citation> {
  const citation = await tx.citation.findFirst({ where: { id: checkId(id, 'id'), deletedAt: null } });
  if (!citation) throw new NotFoundError('Citation', id);
  return citation;
}

export async function updateCitation(db: Db, id: string, input: CitationInput): Promise<Citation> {
  const f = parseInput(citationFields, input, 'input');
  return db.$transaction(async (tx) => {
    await findCitation(tx, id);
    return tx.citation.update({ where: { id }, data: { excerpt: f.excerpt ?? undefined, credibility: f.credibility ?? undefined } });
  });
}

export async function deleteCitation(db: Db, id: string): Promise<Citation> {
  return db.$transaction(async (tx) => {
    await findCitation(tx, id);
    return tx.citation.update({ where: { id }, data: { deletedAt: new Date() } });
  });
}
