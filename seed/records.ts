// A seed (seed/article.ts, or a variant a test passes) as records: each with its deterministic
// id (seed/ids.ts), the records it refers to, and its content — the values the seed gives it,
// in one canonical JSON form that a database row is read back into too, so that "the row is
// as the seed loaded it" is a comparison of two hashes (seed/load.ts).
import crypto from 'node:crypto';
import { hasOpenEnd, parseEdtf } from '../src/domain/dateSpan';
import type { ParticipantRole } from '../src/generated/prisma/enums';
import * as article from './article';
import type { SeedActor, SeedAffiliation, SeedCitation, SeedClaim, SeedDateSpan, SeedEvent, SeedShipment, SeedSource } from './article';
import { actorId, affiliationId, citationId, claimId, eventId, shipmentId, sourceId } from './ids';

// The seed's shapes with references as plain strings, so that a variant may name records the
// article does not have (the article's own types check its slugs at compile time).
export interface Citation extends Omit<SeedCitation, 'source'> {
  source: string;
}
export interface Affiliation extends Omit<SeedAffiliation, 'actor' | 'target' | 'citations'> {
  actor: string;
  target: string;
  citations: readonly Citation[];
}
export interface Event extends Omit<SeedEvent, 'participants' | 'citations'> {
  participants: readonly { actor: string; role: ParticipantRole }[];
  citations: readonly Citation[];
}
export interface Shipment extends Omit<SeedShipment, 'supplier' | 'recipient' | 'events' | 'citations'> {
  supplier: string;
  recipient: string;
  events: readonly string[];
  citations: readonly Citation[];
}
export interface Claim extends Omit<SeedClaim, 'claimant' | 'subject'> {
  claimant: string;
  subject: { event: string } | { shipment: string };
}

/** A whole seed: records of each kind keyed by their slug. */
export interface Seed {
  sources: Readonly<Record<string, SeedSource>>;
  actors: Readonly<Record<string, SeedActor>>;
  affiliations: Readonly<Record<string, Affiliation>>;
  events: Readonly<Record<string, Event>>;
  shipments: Readonly<Record<string, Shipment>>;
  claims: Readonly<Record<string, Claim>>;
}

/** The seed article. */
export const articleSeed: Seed = {
  sources: article.sources,
  actors: article.actors,
  affiliations: article.affiliations,
  events: article.events,
  shipments: article.shipments,
  claims: article.claims,
};

/** Kinds of seed record, parents before children (the order records are written in). */
export const SEED_KINDS = ['source', 'actor', 'affiliation', 'event', 'shipment', 'citation', 'claim'] as const;
export type SeedKind = (typeof SEED_KINDS)[number];

/** A JSON value as content holds it. */
export type Json = null | string | number | boolean | Json[] | { [key: string]: Json };
export type Content = { [key: string]: Json };

export interface SeedRecord {
  kind: SeedKind;
  /** The key the seed knows it by (a citation's: source:subject kind:subject slug:position). */
  slug: string;
  id: string;
  content: Content;
  /** SHA-256 of the content's canonical JSON. */
  hash: string;
  /** The seed records it refers to, each with what it calls it ("supplier"). */
  refs: { kind: SeedKind; id: string; what: string }[];
}

/** JSON with object keys sorted at every level: the same content, the same text. */
export function canonicalJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export const contentHash = (content: Content): string => crypto.createHash('sha256').update(canonicalJson(content)).digest('hex');

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

// Content builders, shared by the seed (from its records) and the database (from its rows):
// dates as 'YYYY-MM-DD', lists in a fixed order.
const sortedBy = <T>(items: T[], key: (t: T) => string): T[] => [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

export function participantsContent(list: { actorId: string; role: string }[]): Json {
  const unique = new Map(list.map((p) => [`${p.actorId}:${p.role}`, { actorId: p.actorId, role: p.role }]));
  return sortedBy([...unique.values()], (p) => `${p.actorId}:${p.role}`);
}

export const idsContent = (ids: string[]): Json => [...new Set(ids)].sort();
export const aliasesContent = (aliases: string[]): Json => [...aliases].sort();

/** A span's columns as the database stores them: the EDTF column only where the bounds do not say it all. */
const span = (s: SeedDateSpan | null) => {
  const parsed = s ? parseEdtf(s.edtf, s.text) : null;
  return {
    start: parsed?.start ?? null,
    end: parsed?.end ?? null,
    precision: parsed?.precision ?? null,
    text: parsed?.text ?? null,
    edtf: parsed?.edtf ?? null,
    open: parsed ? hasOpenEnd(parsed) : false,
  };
};

function record(kind: SeedKind, slug: string, id: string, content: Content, refs: SeedRecord['refs']): SeedRecord {
  return { kind, slug, id, content, hash: contentHash(content), refs };
}

const entries = <T>(r: Readonly<Record<string, T>>): [string, T][] => Object.entries(r);

type Subject = 'event' | 'shipment' | 'affiliation';

function citationRecords(subject: Subject, subjectSlug: string, subjectId: string, list: readonly Citation[]): SeedRecord[] {
  return list.map((c, index) =>
    record(
      'citation',
      `${c.source}:${subject}:${subjectSlug}:${index}`,
      citationId(c.source, subject, subjectSlug, index),
      {
        sourceId: sourceId(c.source),
        excerpt: c.excerpt,
        credibility: c.credibility,
        evidenceType: c.evidenceType,
        eventId: subject === 'event' ? subjectId : null,
        shipmentId: subject === 'shipment' ? subjectId : null,
        affiliationId: subject === 'affiliation' ? subjectId : null,
      },
      [
        { kind: 'source', id: sourceId(c.source), what: 'source' },
        { kind: subject, id: subjectId, what: subject },
      ],
    ),
  );
}

/** A claim's subject: its kind, slug and id, and that record's citations. */
export function claimSubject(seed: Seed, c: Claim): { kind: 'event' | 'shipment'; slug: string; id: string; citations: readonly Citation[] | undefined } {
  if ('event' in c.subject) return { kind: 'event', slug: c.subject.event, id: eventId(c.subject.event), citations: seed.events[c.subject.event]?.citations };
  return { kind: 'shipment', slug: c.subject.shipment, id: shipmentId(c.subject.shipment), citations: seed.shipments[c.subject.shipment]?.citations };
}

/** Every record of a (valid) seed, parents before children. */
export function seedRecords(seed: Seed): SeedRecord[] {
  const out: SeedRecord[] = [];
  const citations: SeedRecord[] = [];
  for (const [slug, s] of entries(seed.sources)) {
    out.push(
      record(
        'source',
        slug,
        sourceId(slug),
        {
          publisher: s.publisher,
          title: s.title,
          url: s.url,
          ...publishedContent(s.published),
          reliability: s.reliability,
          derivedFromId: null,
        },
        [],
      ),
    );
  }
  for (const [slug, a] of entries(seed.actors)) {
    out.push(
      record(
        'actor',
        slug,
        actorId(slug),
        {
          name: a.name,
          kind: a.kind,
          countryCode: a.countryCode,
          description: a.description,
          aliases: aliasesContent(aliasesOf(a)),
        },
        [],
      ),
    );
  }
  for (const [slug, a] of entries(seed.affiliations)) {
    const id = affiliationId(slug);
    out.push(
      record(
        'affiliation',
        slug,
        id,
        {
          actorId: actorId(a.actor),
          targetId: actorId(a.target),
          role: a.role,
          title: a.title,
          ...spanContent('span', a.span),
          confidence: a.confidence,
        },
        [
          { kind: 'actor', id: actorId(a.actor), what: 'actor' },
          { kind: 'actor', id: actorId(a.target), what: 'target' },
        ],
      ),
    );
    citations.push(...citationRecords('affiliation', slug, id, a.citations));
  }
  for (const [slug, e] of entries(seed.events)) {
    const id = eventId(slug);
    out.push(
      record(
        'event',
        slug,
        id,
        {
          type: e.type,
          title: e.title,
          description: e.description,
          ...spanContent('span', e.span),
          locationName: e.location?.name ?? null,
          locationCountryCode: e.location?.countryCode ?? null,
          latitude: e.location?.latitude ?? null,
          longitude: e.location?.longitude ?? null,
          confidence: e.confidence,
          participants: participantsContent(e.participants.map((p) => ({ actorId: actorId(p.actor), role: p.role }))),
        },
        e.participants.map((p) => ({ kind: 'actor' as const, id: actorId(p.actor), what: 'participant' })),
      ),
    );
    citations.push(...citationRecords('event', slug, id, e.citations));
  }
  for (const [slug, s] of entries(seed.shipments)) {
    const id = shipmentId(slug);
    out.push(
      record(
        'shipment',
        slug,
        id,
        {
          supplierId: actorId(s.supplier),
          recipientId: actorId(s.recipient),
          category: s.category,
          description: s.description,
          // The article's numbers carry no hedge: EXACT, the bounds the number itself.
          quantity: s.quantity,
          quantityLow: s.quantity,
          quantityHigh: s.quantity,
          quantityQualifier: s.quantity === null ? null : 'EXACT',
          unit: s.unit,
          ...spanContent('delivery', s.delivery),
          deliveryOpen: span(s.delivery).open,
          status: s.status,
          route: s.route,
          confidence: s.confidence,
          eventIds: idsContent(s.events.map(eventId)),
        },
        [
          { kind: 'actor', id: actorId(s.supplier), what: 'supplier' },
          { kind: 'actor', id: actorId(s.recipient), what: 'recipient' },
          ...s.events.map((e) => ({ kind: 'event' as const, id: eventId(e), what: 'event' })),
        ],
      ),
    );
    citations.push(...citationRecords('shipment', slug, id, s.citations));
  }
  out.push(...citations);
  for (const [slug, c] of entries(seed.claims)) {
    const subject = claimSubject(seed, c);
    const cited = subject.citations![c.citation];
    const citation = citationId(cited.source, subject.kind, subject.slug, c.citation);
    out.push(
      record(
        'claim',
        slug,
        claimId(slug),
        {
          claimantId: actorId(c.claimant),
          statedOn: c.statedOn,
          citationId: citation,
          eventId: subject.kind === 'event' ? subject.id : null,
          shipmentId: subject.kind === 'shipment' ? subject.id : null,
          field: c.field,
          value: c.value,
          likelihood: c.likelihood,
          confidence: c.confidence,
          accepted: c.accepted,
        },
        [
          { kind: 'actor', id: actorId(c.claimant), what: 'claimant' },
          { kind: subject.kind, id: subject.id, what: subject.kind },
          { kind: 'citation', id: citation, what: 'citation' },
        ],
      ),
    );
  }
  return out;
}

/** A span's five columns under the model's names: spanStart… or deliveryStart… */
export function spanContent(prefix: 'span' | 'delivery', s: SeedDateSpan | null): Content {
  const v = span(s);
  return { [`${prefix}Start`]: v.start, [`${prefix}End`]: v.end, [`${prefix}Precision`]: v.precision, [`${prefix}Text`]: v.text, [`${prefix}Edtf`]: v.edtf };
}

/** A source's publication span as its columns (publishedAt is the first day). */
export function publishedContent(s: SeedDateSpan | null): Content {
  const v = span(s);
  return { publishedAt: v.start, publishedEnd: v.end, publishedPrecision: v.precision, publishedText: v.text, publishedEdtf: v.edtf };
}

/** The version of a seed: a hash of all its records' contents. */
export function seedVersion(records: SeedRecord[]): string {
  const all = sortedBy(records, (r) => `${r.kind}:${r.id}`)
    .map((r) => `${r.kind}:${r.id}:${r.hash}`)
    .join('\n');
  return crypto.createHash('sha256').update(all).digest('hex').slice(0, 16);
}
