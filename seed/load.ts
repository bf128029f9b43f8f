// Loads the seed article (seed/article.ts) into the database.
//
// Idempotent: every row has a deterministic id (seed/ids.ts) and is written with
// `createMany({ skipDuplicates: true })`, i.e. INSERT … ON CONFLICT DO NOTHING. A
// second run inserts nothing and updates nothing, so row counts and updated_at stay
// as they were. It never overwrites: a seed row that was edited or soft-deleted
// since is left as it is.
import type { Prisma, PrismaClient } from '../src/generated/prisma/client';
import { canonicalClaimValue, checkClaimField } from '../src/domain/claims';
import {
  actors,
  affiliations,
  claims,
  events,
  shipments,
  sources,
  type SeedActor,
  type SeedAffiliation,
  type SeedCitation,
  type SeedClaim,
  type SeedDateSpan,
  type SeedEvent,
  type SeedShipment,
  type SeedSource,
} from './article';
import { actorId, affiliationId, aliasId, citationId, claimId, eventId, shipmentId, sourceId } from './ids';

export interface SeedCounts {
  actors: number;
  events: number;
  shipments: number;
  sources: number;
  citations: number;
  affiliations: number;
  claims: number;
}

type CitationSubject = 'event' | 'shipment' | 'affiliation';

/** The seed records as slug/record pairs, typed by their general shape rather than their literal values. */
const entries = <T>(record: Readonly<Record<string, T>>): [string, T][] => Object.entries(record);
const sourceEntries = entries<SeedSource>(sources);
const actorEntries = entries<SeedActor>(actors);
const affiliationEntries = entries<SeedAffiliation>(affiliations);
const eventEntries = entries<SeedEvent>(events);
const shipmentEntries = entries<SeedShipment>(shipments);
const claimEntries = entries<SeedClaim>(claims);

/** A claim's subject: which kind, its slug, and that record's citations. */
function claimSubject(c: SeedClaim): { kind: 'event' | 'shipment'; slug: string; citations: readonly SeedCitation[] } {
  if ('event' in c.subject) return { kind: 'event', slug: c.subject.event, citations: (events as Record<string, SeedEvent>)[c.subject.event].citations };
  return { kind: 'shipment', slug: c.subject.shipment, citations: (shipments as Record<string, SeedShipment>)[c.subject.shipment].citations };
}

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** 'YYYY-MM-DD' → midnight UTC, the value Prisma writes to a DATE column unchanged. */
function toDate(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

function isCalendarDay(day: string): boolean {
  return DATE_PATTERN.test(day) && toDate(day).toISOString().slice(0, 10) === day;
}

const aliasKey = (alias: string): string => alias.trim().toLowerCase();

/** The actor's own name first, then its aliases, without case-insensitive duplicates. */
export function aliasesOf(actor: { name: string; aliases: readonly string[] }): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const alias of [actor.name, ...actor.aliases]) {
    const trimmed = alias.trim();
    if (trimmed === '' || seen.has(aliasKey(trimmed))) continue;
    seen.add(aliasKey(trimmed));
    out.push(trimmed);
  }
  return out;
}

/**
 * Problems in the seed data that the database would reject (or should), as
 * messages; empty when the data is sound. Checked before anything is written so
 * a bad edit of seed/article.ts fails with a readable message instead of a
 * constraint violation.
 */
export function validateSeed(): string[] {
  const problems: string[] = [];
  const span = (where: string, s: SeedDateSpan | null): void => {
    if (s === null) return;
    for (const day of [s.start, s.end]) {
      if (!isCalendarDay(day)) problems.push(`${where}: "${day}" is not a YYYY-MM-DD calendar date`);
    }
    if (s.end < s.start) problems.push(`${where}: span ends (${s.end}) before it starts (${s.start})`);
  };
  const citations = (where: string, list: readonly SeedCitation[]): void => {
    if (list.length === 0) problems.push(`${where}: has no citation`);
    for (const c of list) {
      if (c.excerpt.trim() === '') problems.push(`${where}: empty citation excerpt`);
      if (!Number.isInteger(c.credibility) || c.credibility < 1 || c.credibility > 6) {
        problems.push(`${where}: credibility ${c.credibility} is outside 1..6`);
      }
    }
  };

  const aliasOwner = new Map<string, string>();
  for (const [slug, actor] of actorEntries) {
    if (actor.countryCode !== null && !/^[A-Z]{3}$/.test(actor.countryCode)) {
      problems.push(`actor ${slug}: country code "${actor.countryCode}" is not ISO alpha-3`);
    }
    for (const alias of aliasesOf(actor)) {
      const owner = aliasOwner.get(aliasKey(alias));
      if (owner !== undefined) problems.push(`actor ${slug}: alias "${alias}" is already an alias of ${owner}`);
      else aliasOwner.set(aliasKey(alias), slug);
    }
  }
  for (const [slug, source] of sourceEntries) {
    if (source.publishedAt !== null && !isCalendarDay(source.publishedAt)) {
      problems.push(`source ${slug}: publishedAt "${source.publishedAt}" is not a YYYY-MM-DD calendar date`);
    }
  }
  for (const [slug, a] of affiliationEntries) {
    if (a.actor === a.target) problems.push(`affiliation ${slug}: actor and target are the same`);
    span(`affiliation ${slug}`, a.span);
    citations(`affiliation ${slug}`, a.citations);
  }
  for (const [slug, e] of eventEntries) {
    span(`event ${slug}`, e.span);
    citations(`event ${slug}`, e.citations);
    const { latitude, longitude } = e.location ?? { latitude: null, longitude: null };
    if (latitude !== null && Math.abs(latitude) > 90) problems.push(`event ${slug}: latitude out of range`);
    if (longitude !== null && Math.abs(longitude) > 180) problems.push(`event ${slug}: longitude out of range`);
  }
  for (const [slug, s] of shipmentEntries) {
    if (s.supplier === s.recipient) problems.push(`shipment ${slug}: supplier and recipient are the same`);
    if (s.quantity !== null && (s.quantity < 0 || s.unit === null || s.unit.trim() === '')) {
      problems.push(`shipment ${slug}: a quantity needs a unit and must not be negative`);
    }
    span(`shipment ${slug}`, s.delivery);
    citations(`shipment ${slug}`, s.citations);
  }
  for (const [slug, c] of claimEntries) {
    const subject = claimSubject(c);
    if (c.statedOn !== null && !isCalendarDay(c.statedOn)) problems.push(`claim ${slug}: statedOn "${c.statedOn}" is not a YYYY-MM-DD calendar date`);
    if (!subject.citations[c.citation]) problems.push(`claim ${slug}: its ${subject.kind} has no citation ${c.citation}`);
    try {
      // The API's own rules: a field the subject has, a value of that field's type.
      canonicalClaimValue(subject.kind, checkClaimField(subject.kind, c.field, 'field'), c.value, 'value');
    } catch (err) {
      problems.push(`claim ${slug}: ${(err as Error).message}`);
    }
  }
  return problems;
}

function citationRows(
  subject: CitationSubject,
  subjectSlug: string,
  list: readonly SeedCitation[],
): Prisma.CitationCreateManyInput[] {
  const subjectId =
    subject === 'event' ? eventId(subjectSlug) : subject === 'shipment' ? shipmentId(subjectSlug) : affiliationId(subjectSlug);
  return list.map((c, index) => ({
    id: citationId(c.source, subject, subjectSlug, index),
    sourceId: sourceId(c.source),
    excerpt: c.excerpt,
    credibility: c.credibility,
    evidenceType: c.evidenceType,
    eventId: subject === 'event' ? subjectId : null,
    shipmentId: subject === 'shipment' ? subjectId : null,
    affiliationId: subject === 'affiliation' ? subjectId : null,
  }));
}

/** Every row of the seed, ready for createMany. */
function seedRows() {
  const sourceRows: Prisma.SourceCreateManyInput[] = sourceEntries.map(([slug, s]) => ({
    id: sourceId(slug),
    publisher: s.publisher,
    title: s.title,
    url: s.url,
    publishedAt: s.publishedAt === null ? null : toDate(s.publishedAt),
    reliability: s.reliability,
  }));

  const actorRows: Prisma.ActorCreateManyInput[] = [];
  const aliasRows: Prisma.ActorAliasCreateManyInput[] = [];
  for (const [slug, a] of actorEntries) {
    actorRows.push({ id: actorId(slug), name: a.name, kind: a.kind, countryCode: a.countryCode, description: a.description });
    for (const alias of aliasesOf(a)) aliasRows.push({ id: aliasId(alias), actorId: actorId(slug), alias });
  }

  const affiliationRows: Prisma.AffiliationCreateManyInput[] = [];
  const citations: Prisma.CitationCreateManyInput[] = [];
  for (const [slug, a] of affiliationEntries) {
    const span = a.span;
    affiliationRows.push({
      id: affiliationId(slug),
      actorId: actorId(a.actor),
      targetId: actorId(a.target),
      role: a.role,
      title: a.title,
      spanStart: span === null ? null : toDate(span.start),
      spanEnd: span === null ? null : toDate(span.end),
      spanPrecision: span === null ? null : span.precision,
      spanText: span === null ? null : span.text,
      confidence: a.confidence,
    });
    citations.push(...citationRows('affiliation', slug, a.citations));
  }

  const eventRows: Prisma.EventCreateManyInput[] = [];
  const participantRows: Prisma.EventParticipantCreateManyInput[] = [];
  for (const [slug, e] of eventEntries) {
    eventRows.push({
      id: eventId(slug),
      type: e.type,
      title: e.title,
      description: e.description,
      spanStart: toDate(e.span.start),
      spanEnd: toDate(e.span.end),
      spanPrecision: e.span.precision,
      spanText: e.span.text,
      locationName: e.location?.name ?? null,
      locationCountryCode: e.location?.countryCode ?? null,
      latitude: e.location?.latitude ?? null,
      longitude: e.location?.longitude ?? null,
      confidence: e.confidence,
    });
    for (const p of e.participants) participantRows.push({ eventId: eventId(slug), actorId: actorId(p.actor), role: p.role });
    citations.push(...citationRows('event', slug, e.citations));
  }

  const shipmentRows: Prisma.ShipmentCreateManyInput[] = [];
  const shipmentEventRows: Prisma.ShipmentEventCreateManyInput[] = [];
  for (const [slug, s] of shipmentEntries) {
    shipmentRows.push({
      id: shipmentId(slug),
      supplierId: actorId(s.supplier),
      recipientId: actorId(s.recipient),
      category: s.category,
      description: s.description,
      quantity: s.quantity,
      unit: s.unit,
      deliveryStart: toDate(s.delivery.start),
      deliveryEnd: toDate(s.delivery.end),
      deliveryPrecision: s.delivery.precision,
      deliveryText: s.delivery.text,
      status: s.status,
      route: s.route,
      confidence: s.confidence,
    });
    for (const e of s.events) shipmentEventRows.push({ shipmentId: shipmentId(slug), eventId: eventId(e) });
    citations.push(...citationRows('shipment', slug, s.citations));
  }

  const claimRows: Prisma.ClaimCreateManyInput[] = claimEntries.map(([slug, c]) => {
    const subject = claimSubject(c);
    const source = subject.citations[c.citation].source;
    return {
      id: claimId(slug),
      claimantId: actorId(c.claimant),
      statedOn: c.statedOn === null ? null : toDate(c.statedOn),
      citationId: citationId(source, subject.kind, subject.slug, c.citation),
      eventId: subject.kind === 'event' ? eventId(subject.slug) : null,
      shipmentId: subject.kind === 'shipment' ? shipmentId(subject.slug) : null,
      field: c.field,
      value: c.value,
      likelihood: c.likelihood,
      confidence: c.confidence,
      accepted: c.accepted,
    };
  });

  return {
    claimRows,
    sourceRows,
    actorRows,
    aliasRows,
    affiliationRows,
    eventRows,
    participantRows,
    shipmentRows,
    shipmentEventRows,
    citations,
  };
}

const idsOf = (rows: readonly { id?: string }[]): string[] => rows.map((r) => r.id as string);

/**
 * Writes the seed article in one transaction; safe to run any number of times.
 * Returns how many of the seed's rows of each kind are in the database afterwards
 * (the same numbers on every run).
 */
export async function seedDatabase(prisma: PrismaClient): Promise<SeedCounts> {
  const problems = validateSeed();
  if (problems.length > 0) throw new Error(`Invalid seed data:\n- ${problems.join('\n- ')}`);
  const rows = seedRows();

  return prisma.$transaction(
    async (tx) => {
      // Parents before children, so every foreign key resolves.
      await tx.source.createMany({ data: rows.sourceRows, skipDuplicates: true });
      await tx.actor.createMany({ data: rows.actorRows, skipDuplicates: true });
      await tx.actorAlias.createMany({ data: rows.aliasRows, skipDuplicates: true });
      await tx.affiliation.createMany({ data: rows.affiliationRows, skipDuplicates: true });
      await tx.event.createMany({ data: rows.eventRows, skipDuplicates: true });
      await tx.eventParticipant.createMany({ data: rows.participantRows, skipDuplicates: true });
      await tx.shipment.createMany({ data: rows.shipmentRows, skipDuplicates: true });
      await tx.shipmentEvent.createMany({ data: rows.shipmentEventRows, skipDuplicates: true });
      await tx.citation.createMany({ data: rows.citations, skipDuplicates: true });
      await tx.claim.createMany({ data: rows.claimRows, skipDuplicates: true });

      // ON CONFLICT DO NOTHING also swallows a clash with the unique lower(alias) index,
      // i.e. an alias that some other actor already holds. That would leave a seed actor
      // without its own name as an alias, so fail (and roll back) instead. Who holds an
      // alias is looked up the way the index compares (lower() in SQL), not by the seed
      // row's id: the same actor may hold it under another row, e.g. typed in by hand.
      const holders = await tx.$queryRaw<{ alias: string; actor_id: string }[]>`
        SELECT s.alias, a.actor_id::text AS actor_id
          FROM unnest(${rows.aliasRows.map((a) => a.alias)}::text[]) AS s(alias)
          JOIN actor_aliases a ON lower(a.alias) = lower(s.alias)`;
      const holderOf = new Map(holders.map((h) => [h.alias, h.actor_id]));
      const missing = rows.aliasRows.filter((a) => holderOf.get(a.alias) !== a.actorId).map((a) => a.alias);
      if (missing.length > 0) {
        throw new Error(`Seed aliases already belong to other actors: ${missing.join(', ')}`);
      }

      // Sequential on purpose: an interactive transaction runs on one connection.
      return {
        actors: await tx.actor.count({ where: { id: { in: idsOf(rows.actorRows) } } }),
        events: await tx.event.count({ where: { id: { in: idsOf(rows.eventRows) } } }),
        shipments: await tx.shipment.count({ where: { id: { in: idsOf(rows.shipmentRows) } } }),
        sources: await tx.source.count({ where: { id: { in: idsOf(rows.sourceRows) } } }),
        citations: await tx.citation.count({ where: { id: { in: idsOf(rows.citations) } } }),
        affiliations: await tx.affiliation.count({ where: { id: { in: idsOf(rows.affiliationRows) } } }),
        claims: await tx.claim.count({ where: { id: { in: idsOf(rows.claimRows) } } }),
      };
    },
    { timeout: 30_000 },
  );
}
