// Deterministic ids for seed rows: a UUID v5 of "<kind>:<key>" under one fixed
// namespace. The same seed record therefore always gets the same primary key,
// which is what makes loading the seed idempotent (insert … on conflict do nothing).
//
// Never change SEED_NAMESPACE or the key formats below: every database that was
// seeded before would then receive a second copy of the seed.
import { v5 as uuidv5 } from 'uuid';

/** Fixed namespace of the seed's v5 UUIDs (generated once, at random). */
export const SEED_NAMESPACE = '39163bc3-abe8-4d36-9a3b-db0645b1791d';

function seedId(kind: string, key: string): string {
  return uuidv5(`${kind}:${key}`, SEED_NAMESPACE);
}

export const sourceId = (slug: string): string => seedId('source', slug);
export const actorId = (slug: string): string => seedId('actor', slug);
/** Aliases are unique case-insensitively across all actors, so the lowercased alias is the key. */
export const aliasId = (alias: string): string => seedId('alias', alias.trim().toLowerCase());
export const affiliationId = (slug: string): string => seedId('affiliation', slug);
export const eventId = (slug: string): string => seedId('event', slug);
export const shipmentId = (slug: string): string => seedId('shipment', slug);

/** A citation is keyed by its source, the record it supports and its position in that record's list. */
export const citationId = (source: string, subject: 'event' | 'shipment' | 'affiliation', subjectSlug: string, index: number): string =>
  seedId('citation', `${source}:${subject}:${subjectSlug}:${index}`);
export const claimId = (slug: string): string => seedId('claim', slug);
