// Loads a seed (by default the article, seed/article.ts) into the database, at every start.
//
// The database remembers which seed records it loaded and the values each was given
// (seed_records, migration 20261207100000_seed_records_cascades). On each run, per record:
//   - never loaded, and no row with its id in any state, nor any audit entry of one (a record
//     purged before this bookkeeping existed): inserted;
//   - loaded, its row still holding exactly what was loaded (nobody touched it), and the seed now
//     says otherwise: updated to the seed's values;
//   - edited, deleted, merged or purged since it was loaded: left as it is, and listed;
//   - loaded but no longer in the seed: soft-deleted when untouched and nothing live refers to it,
//     else left as it is.
// Existing rows are found by id with plain look-ups, never through INSERT … ON CONFLICT (which
// does not see a row of a partitioned table that moved to another partition). Every write goes
// through the tables' triggers (keys, history, rollups) and has an audit entry ('loadSeed', no
// key). One transaction, serialised between instances; a second run changes nothing.
// docs/operations.md ("The seed at start-up") describes it for operators.
import fs from 'node:fs';
import { Prisma, type PrismaClient } from '../src/generated/prisma/client';
import { canonicalClaimValue, checkClaimField } from '../src/domain/claims';
import { parseEdtf } from '../src/domain/dateSpan';
import { ReferencedError } from '../src/domain/errors';
import type { Kind } from '../src/domain/dependents';
import { fromRoot } from '../src/paths';
import { NO_KEY, snapshot } from '../src/services/audit';
import { deleteRecord, statesOf, type Row } from '../src/services/cascade';
import type { SeedDateSpan } from './article';
import { aliasId } from './ids';
import {
  aliasesContent,
  aliasesOf,
  articleSeed,
  claimSubject,
  contentHash,
  idsContent,
  participantsContent,
  seedRecords,
  seedVersion,
  SEED_KINDS,
  type Citation,
  type Content,
  type Json,
  type Seed,
  type SeedKind,
  type SeedRecord,
} from './records';

export { aliasesOf, articleSeed, type Seed } from './records';

type Tx = Prisma.TransactionClient;

export interface SeedCounts {
  actors: number;
  events: number;
  shipments: number;
  sources: number;
  citations: number;
  affiliations: number;
  claims: number;
}

/** Why a seed record was left as the database holds it. */
export type KeptReason = 'edited' | 'deleted' | 'merged' | 'purged' | 'not loaded' | 'not updated' | 'removed from the seed, kept';

export interface KeptRecord {
  kind: SeedKind;
  slug: string;
  id: string;
  reason: KeptReason;
  /** What stood in the way, for the reasons that need it. */
  detail?: string;
}

export interface SeedReport {
  /** Hash of the seed's records: what a database loaded from the same seed shares. */
  version: string;
  /** Seed records in the seed. */
  records: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Records a newer seed no longer has, soft-deleted by this run. */
  removed: number;
  /** Records left as they are (edited, deleted, merged, purged, or not loadable), in seed order. */
  kept: KeptRecord[];
  /** How many of the seed's records of each kind the database holds, deleted ones included. */
  counts: SeedCounts;
}

const KIND: Record<SeedKind, Kind> = {
  source: 'Source',
  actor: 'Actor',
  affiliation: 'Affiliation',
  event: 'Event',
  shipment: 'Shipment',
  citation: 'Citation',
  claim: 'Claim',
};

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** 'YYYY-MM-DD' → midnight UTC, the value Prisma writes to a DATE column unchanged. */
const toDate = (day: string): Date => new Date(`${day}T00:00:00Z`);
const dayOf = (d: Date | null): string | null => (d ? d.toISOString().slice(0, 10) : null);
const isCalendarDay = (day: string): boolean => DATE_PATTERN.test(day) && toDate(day).toISOString().slice(0, 10) === day;
const aliasKey = (alias: string): string => alias.trim().toLowerCase();

/**
 * Problems in a seed that the database would reject (or should), as messages; empty when the
 * data is sound. Checked before anything is written so a bad edit of seed/article.ts fails
 * with a readable message instead of a constraint violation.
 */
export function validateSeed(seed: Seed = articleSeed): string[] {
  const problems: string[] = [];
  const span = (where: string, s: SeedDateSpan | null): void => {
    if (s === null) return;
    try {
      const parsed = parseEdtf(s.edtf);
      if (parsed.start !== s.start || parsed.end !== s.end || parsed.precision !== s.precision) {
        problems.push(`${where}: ${s.start}..${s.end} ${s.precision} is not what its EDTF "${s.edtf}" says`);
      }
    } catch (err) {
      problems.push(`${where}: ${(err as Error).message}`);
    }
  };
  const known = (where: string, what: string, slug: string, in_: Readonly<Record<string, unknown>>) => {
    if (!Object.hasOwn(in_, slug)) problems.push(`${where}: unknown ${what} "${slug}"`);
  };
  const citations = (where: string, list: readonly Citation[]): void => {
    if (list.length === 0) problems.push(`${where}: has no citation`);
    for (const c of list) {
      known(where, 'source', c.source, seed.sources);
      if (c.excerpt.trim() === '') problems.push(`${where}: empty citation excerpt`);
      if (!Number.isInteger(c.credibility) || c.credibility < 1 || c.credibility > 6) {
        problems.push(`${where}: credibility ${c.credibility} is outside 1..6`);
      }
    }
  };

  const aliasOwner = new Map<string, string>();
  for (const [slug, actor] of Object.entries(seed.actors)) {
    if (actor.countryCode !== null && !/^[A-Z]{3}$/.test(actor.countryCode)) {
      problems.push(`actor ${slug}: country code "${actor.countryCode}" is not ISO alpha-3`);
    }
    for (const alias of aliasesOf(actor)) {
      const owner = aliasOwner.get(aliasKey(alias));
      if (owner !== undefined) problems.push(`actor ${slug}: alias "${alias}" is already an alias of ${owner}`);
      else aliasOwner.set(aliasKey(alias), slug);
    }
  }
  for (const [slug, source] of Object.entries(seed.sources)) {
    span(`source ${slug}`, source.published);
  }
  for (const [slug, a] of Object.entries(seed.affiliations)) {
    known(`affiliation ${slug}`, 'actor', a.actor, seed.actors);
    known(`affiliation ${slug}`, 'actor', a.target, seed.actors);
    if (a.actor === a.target) problems.push(`affiliation ${slug}: actor and target are the same`);
    span(`affiliation ${slug}`, a.span);
    citations(`affiliation ${slug}`, a.citations);
  }
  for (const [slug, e] of Object.entries(seed.events)) {
    for (const p of e.participants) known(`event ${slug}`, 'actor', p.actor, seed.actors);
    span(`event ${slug}`, e.span);
    citations(`event ${slug}`, e.citations);
    const { latitude, longitude } = e.location ?? { latitude: null, longitude: null };
    if (latitude !== null && Math.abs(latitude) > 90) problems.push(`event ${slug}: latitude out of range`);
    if (longitude !== null && Math.abs(longitude) > 180) problems.push(`event ${slug}: longitude out of range`);
  }
  for (const [slug, s] of Object.entries(seed.shipments)) {
    known(`shipment ${slug}`, 'actor', s.supplier, seed.actors);
    known(`shipment ${slug}`, 'actor', s.recipient, seed.actors);
    for (const e of s.events) known(`shipment ${slug}`, 'event', e, seed.events);
    if (s.supplier === s.recipient) problems.push(`shipment ${slug}: supplier and recipient are the same`);
    if (s.quantity !== null && (s.quantity < 0 || s.unit === null || s.unit.trim() === '')) {
      problems.push(`shipment ${slug}: a quantity needs a unit and must not be negative`);
    }
    span(`shipment ${slug}`, s.delivery);
    citations(`shipment ${slug}`, s.citations);
  }
  const acceptedField = new Map<string, string>();
  for (const [slug, c] of Object.entries(seed.claims)) {
    known(`claim ${slug}`, 'actor', c.claimant, seed.actors);
    const subject = claimSubject(seed, c);
    if (!subject.citations) {
      problems.push(`claim ${slug}: unknown ${subject.kind} "${subject.slug}"`);
      continue;
    }
    if (c.statedOn !== null && !isCalendarDay(c.statedOn)) problems.push(`claim ${slug}: statedOn "${c.statedOn}" is not a YYYY-MM-DD calendar date`);
    if (!subject.citations[c.citation]) problems.push(`claim ${slug}: its ${subject.kind} has no citation ${c.citation}`);
    if (c.accepted && c.field !== null) {
      const key = `${subject.kind}:${subject.slug}:${c.field}`;
      if (acceptedField.has(key)) problems.push(`claim ${slug}: claim ${acceptedField.get(key)} is already accepted for the same field`);
      acceptedField.set(key, slug);
    }
    try {
      // The API's own rules: a field the subject has, a value of that field's type.
      canonicalClaimValue(subject.kind, checkClaimField(subject.kind, c.field, 'field'), c.value, 'value');
    } catch (err) {
      problems.push(`claim ${slug}: ${(err as Error).message}`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------
// Rows ↔ content
// ---------------------------------------------------------------------------

/** A record as the database holds it now. */
interface Current {
  row: Row;
  content: Content;
  hash: string;
  deleted: boolean;
  /** An actor merged into another: deleted, its names moved to the kept actor. */
  merged: boolean;
}

const spanOf = (prefix: 'span' | 'delivery' | 'published', row: Row): Content => {
  const first = prefix === 'published' ? 'publishedAt' : `${prefix}Start`;
  return {
    [first]: dayOf(row[first] as Date | null),
    [`${prefix}End`]: dayOf(row[`${prefix}End`] as Date | null),
    [`${prefix}Precision`]: (row[`${prefix}Precision`] ?? null) as string | null,
    [`${prefix}Text`]: (row[`${prefix}Text`] ?? null) as string | null,
    [`${prefix}Edtf`]: (row[`${prefix}Edtf`] ?? null) as string | null,
  };
};

const pick = (row: Row, fields: string[]): Content => Object.fromEntries(fields.map((f) => [f, (row[f] ?? null) as Json]));

/** The content of a row, in the form the seed's content has (seed/records.ts). */
function contentOfRow(
  kind: SeedKind,
  row: Row,
  extra: { aliases?: string[]; participants?: { actorId: string; role: string }[]; eventIds?: string[] },
): Content {
  switch (kind) {
    case 'source':
      return { ...pick(row, ['publisher', 'title', 'url', 'reliability', 'derivedFromId']), ...spanOf('published', row) };
    case 'actor':
      return { ...pick(row, ['name', 'kind', 'countryCode', 'description']), aliases: aliasesContent(extra.aliases ?? []) };
    case 'affiliation':
      return { ...pick(row, ['actorId', 'targetId', 'role', 'title', 'confidence']), ...spanOf('span', row) };
    case 'event':
      return {
        ...pick(row, ['type', 'title', 'description', 'locationName', 'locationCountryCode', 'latitude', 'longitude', 'confidence']),
        ...spanOf('span', row),
        participants: participantsContent(extra.participants ?? []),
      };
    case 'shipment':
      return {
        ...pick(row, [
          'supplierId',
          'recipientId',
          'category',
          'description',
          'quantity',
          'quantityLow',
          'quantityHigh',
          'quantityQualifier',
          'unit',
          'status',
          'route',
          'confidence',
          'deliveryOpen',
        ]),
        ...spanOf('delivery', row),
        eventIds: idsContent(extra.eventIds ?? []),
      };
    case 'citation':
      return pick(row, ['sourceId', 'excerpt', 'credibility', 'evidenceType', 'eventId', 'shipmentId', 'affiliationId']);
    case 'claim':
      return {
        ...pick(row, ['claimantId', 'citationId', 'eventId', 'shipmentId', 'field', 'value', 'likelihood', 'confidence', 'accepted']),
        statedOn: dayOf(row.statedOn as Date | null),
      };
  }
}

const DATE_FIELDS = new Set(['publishedAt', 'publishedEnd', 'spanStart', 'spanEnd', 'deliveryStart', 'deliveryEnd', 'statedOn']);
const NOT_COLUMNS = new Set(['aliases', 'participants', 'eventIds']);

/** The columns a record's content sets (its lists are written to their own tables). */
function columnsOf(content: Content): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(content)) {
    if (NOT_COLUMNS.has(k)) continue;
    out[k] = DATE_FIELDS.has(k) && typeof v === 'string' ? toDate(v) : v;
  }
  return out;
}

/** The seed's records as the database holds them now, by `${kind}:${id}` (absent: no row at all). */
async function readCurrent(tx: Tx, wanted: { kind: SeedKind; id: string }[]): Promise<Map<string, Current>> {
  const out = new Map<string, Current>();
  for (const kind of SEED_KINDS) {
    const ids = wanted.filter((w) => w.kind === kind).map((w) => w.id);
    if (!ids.length) continue;
    const rows = (await findRows(tx, kind, ids)) as Row[];
    const aliases = kind === 'actor' ? await tx.actorAlias.findMany({ where: { actorId: { in: ids } } }) : [];
    const participants = kind === 'event' ? await tx.eventParticipant.findMany({ where: { eventId: { in: ids } } }) : [];
    const links = kind === 'shipment' ? await tx.shipmentEvent.findMany({ where: { shipmentId: { in: ids } } }) : [];
    for (const row of rows) {
      const own = aliases.filter((a) => a.actorId === row.id).map((a) => a.alias);
      const content = contentOfRow(kind, row, {
        aliases: own,
        participants: participants.filter((p) => p.eventId === row.id),
        eventIds: links.filter((l) => l.shipmentId === row.id).map((l) => l.eventId),
      });
      const deleted = row.deletedAt !== null;
      out.set(`${kind}:${row.id}`, { row, content, hash: contentHash(content), deleted, merged: kind === 'actor' && deleted && own.length === 0 });
    }
  }
  return out;
}

/**
 * Rows by id, locked FOR UPDATE so that no API write changes one between this run's look at it
 * and its update. A plain look-up by primary key; on events and shipments one index probe per
 * partition.
 */
async function findRows(tx: Tx, kind: SeedKind, ids: string[]): Promise<unknown[]> {
  await tx.$executeRawUnsafe(`SELECT 1 FROM ${TABLES[kind]} WHERE id = ANY($1::uuid[]) FOR UPDATE`, ids);
  const where = { where: { id: { in: ids } } };
  switch (kind) {
    case 'source':
      return tx.source.findMany(where);
    case 'actor':
      return tx.actor.findMany(where);
    case 'affiliation':
      return tx.affiliation.findMany(where);
    case 'event':
      return tx.event.findMany(where);
    case 'shipment':
      return tx.shipment.findMany(where);
    case 'citation':
      return tx.citation.findMany(where);
    case 'claim':
      return tx.claim.findMany(where);
  }
}

/** The table of each kind of seed record. */
export const TABLES: Record<SeedKind, string> = {
  source: 'sources',
  actor: 'actors',
  affiliation: 'affiliations',
  event: 'events',
  shipment: 'shipments',
  citation: 'citations',
  claim: 'claims',
};

// ---------------------------------------------------------------------------
// Writes
// ---------------------------------------------------------------------------

/** A seed record that cannot be written as the seed has it, and why. */
class NotLoadable extends Error {}

/* eslint-disable @typescript-eslint/no-explicit-any -- one data shape per model, checked by the database */
async function createRows(tx: Tx, kind: SeedKind, data: Record<string, unknown>[]): Promise<void> {
  const args = { data } as any;
  switch (kind) {
    case 'source':
      await tx.source.createMany(args);
      break;
    case 'actor':
      await tx.actor.createMany(args);
      break;
    case 'affiliation':
      await tx.affiliation.createMany(args);
      break;
    case 'event':
      await tx.event.createMany(args);
      break;
    case 'shipment':
      await tx.shipment.createMany(args);
      break;
    case 'citation':
      await tx.citation.createMany(args);
      break;
    case 'claim':
      await tx.claim.createMany(args);
      break;
  }
}

async function updateRow(tx: Tx, kind: SeedKind, id: string, data: Record<string, unknown>): Promise<void> {
  const args = { where: { id }, data } as any;
  switch (kind) {
    case 'source':
      await tx.source.update(args);
      break;
    case 'actor':
      await tx.actor.update(args);
      break;
    case 'affiliation':
      await tx.affiliation.update(args);
      break;
    case 'event':
      await tx.event.update(args);
      break;
    case 'shipment':
      await tx.shipment.update(args);
      break;
    case 'citation':
      await tx.citation.update(args);
      break;
    case 'claim':
      await tx.claim.update(args);
      break;
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** An update: the record and its row as it is. */
interface Update {
  r: SeedRecord;
  cur: Current;
}

/**
 * Writes records of one kind — rows created or updated, their lists (aliases, participants,
 * events) made the seed's — each with its audit entry. Throws NotLoadable when an actor's
 * alias belongs to another actor.
 */
async function writeRecords(tx: Tx, kind: SeedKind, inserts: SeedRecord[], updates: Update[]): Promise<void> {
  const all = [...inserts, ...updates.map((u) => u.r)];
  const before = await statesOf(
    tx,
    KIND[kind],
    updates.map((u) => u.cur.row),
  );
  if (kind === 'actor') await checkAliases(tx, all);
  if (inserts.length)
    await createRows(
      tx,
      kind,
      inserts.map((r) => ({ id: r.id, ...columnsOf(r.content) })),
    );
  for (const { r } of updates) await updateRow(tx, kind, r.id, columnsOf(r.content));
  const ids = all.map((r) => r.id);
  if (kind === 'actor') {
    await tx.actorAlias.deleteMany({ where: { OR: all.map((r) => ({ actorId: r.id, alias: { notIn: r.content.aliases as string[] } })) } });
    const held = await tx.actorAlias.findMany({ where: { actorId: { in: ids } }, select: { actorId: true, alias: true } });
    const has = new Set(held.map((h) => `${h.actorId}:${h.alias}`));
    const fresh = all.flatMap((r) =>
      (r.content.aliases as string[]).filter((a) => !has.has(`${r.id}:${a}`)).map((alias) => ({ id: aliasId(alias), actorId: r.id, alias })),
    );
    if (fresh.length) await tx.actorAlias.createMany({ data: fresh });
  }
  if (kind === 'event') {
    await tx.eventParticipant.deleteMany({ where: { eventId: { in: ids } } });
    const data = all.flatMap((r) => (r.content.participants as { actorId: string; role: string }[]).map((p) => ({ eventId: r.id, ...p })));
    if (data.length) await tx.eventParticipant.createMany({ data: data as Prisma.EventParticipantCreateManyInput[] });
  }
  if (kind === 'shipment') {
    await tx.shipmentEvent.deleteMany({ where: { shipmentId: { in: ids } } });
    const data = all.flatMap((r) => (r.content.eventIds as string[]).map((eventId) => ({ shipmentId: r.id, eventId })));
    if (data.length) await tx.shipmentEvent.createMany({ data });
  }
  const after = await statesOf(tx, KIND[kind], (await findRows(tx, kind, ids)) as Row[]);
  await tx.auditEntry.createMany({
    data: all.map((r) => ({
      keyId: NO_KEY.keyId,
      operation: 'loadSeed',
      entity: KIND[kind].toUpperCase(),
      entityId: r.id,
      before: snapshot(before.get(r.id) ?? null),
      after: snapshot(after.get(r.id)),
    })),
  });
}

/** Actors' aliases that other actors hold (compared as the unique index does, lower()) make them not loadable. */
async function checkAliases(tx: Tx, actors: SeedRecord[]): Promise<void> {
  const wanted = actors.flatMap((r) => (r.content.aliases as string[]).map((alias) => ({ id: r.id, key: aliasKey(alias) })));
  const holders = await tx.$queryRaw<{ alias: string; actor_id: string; name: string }[]>`
    SELECT al.alias, al.actor_id::text AS actor_id, a.name
      FROM unnest(${wanted.map((w) => w.id)}::uuid[], ${wanted.map((w) => w.key)}::text[]) AS w(id, key)
      JOIN actor_aliases al ON lower(al.alias) = w.key AND al.actor_id <> w.id
      JOIN actors a ON a.id = al.actor_id`;
  if (holders.length) {
    throw new NotLoadable(holders.map((h) => `alias "${h.alias}" belongs to actor "${h.name}" (${h.actor_id})`).join('; '));
  }
}

/** Runs `write` under a savepoint: on failure it is undone and the reason returned, the transaction goes on. */
async function attempt(tx: Tx, write: () => Promise<void>): Promise<string | null> {
  await tx.$executeRawUnsafe('SAVEPOINT seed_write');
  try {
    await write();
    await tx.$executeRawUnsafe('RELEASE SAVEPOINT seed_write');
    return null;
  } catch (err) {
    await tx.$executeRawUnsafe('ROLLBACK TO SAVEPOINT seed_write');
    if (err instanceof NotLoadable) return err.message;
    // The database's own refusal (a constraint): the last line of Prisma's message says which.
    // Anything else is a fault, not a verdict on the record.
    if (!(err instanceof Prisma.PrismaClientKnownRequestError)) throw err;
    return `the database refused it: ${err.message.trim().split('\n').at(-1)}`;
  }
}

/** Remembers records as loaded with their seed values (new rows in one statement). */
async function remember(tx: Tx, records: SeedRecord[], version: string, known: Set<string>): Promise<void> {
  const values = (r: SeedRecord) => ({ slug: r.slug, content: r.content as Prisma.InputJsonValue, contentHash: r.hash, seedVersion: version, removedAt: null });
  const fresh = records.filter((r) => !known.has(`${r.kind}:${r.id}`));
  if (fresh.length) await tx.seedRecord.createMany({ data: fresh.map((r) => ({ kind: r.kind, id: r.id, ...values(r) })) });
  for (const r of records.filter((x) => known.has(`${x.kind}:${x.id}`))) {
    await tx.seedRecord.update({ where: { kind_id: { kind: r.kind, id: r.id } }, data: { ...values(r), loadedAt: new Date() } });
  }
}

/**
 * Whether a row still holds what was loaded, compared on the loaded values' own fields: a later
 * seed form with more columns (an EDTF, a quantity's bounds) reads no untouched row as edited.
 */
function holds(cur: Current, loaded: { content: Prisma.JsonValue; contentHash: string }): boolean {
  if (cur.hash === loaded.contentHash) return true;
  const was = loaded.content as Content;
  return contentHash(Object.fromEntries(Object.keys(was).map((k) => [k, cur.content[k] ?? null]))) === loaded.contentHash;
}

/** The seed as the loader before seed_records wrote it (seed/previous-seed.json), by `${kind}:${id}`. */
const PREVIOUS = new Map(
  (
    JSON.parse(fs.readFileSync(fromRoot('seed', 'previous-seed.json'), 'utf8')) as { records: { kind: string; id: string; content: Content; hash: string }[] }
  ).records.map((r) => [`${r.kind}:${r.id}`, r]),
);

/** The previous seed's record as if booked, when the row still holds it (never touched since that seed wrote it). */
function previouslyLoaded(r: SeedRecord, cur: Current): { content: Prisma.JsonValue; contentHash: string; removedAt: null } | undefined {
  const prev = PREVIOUS.get(`${r.kind}:${r.id}`);
  if (!prev || cur.deleted || !holds(cur, { content: prev.content, contentHash: prev.hash })) return undefined;
  return { content: prev.content, contentHash: prev.hash, removedAt: null };
}

// ---------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------

/** Seed records removed first from the children: a record goes once nothing live refers to it. */
const REMOVAL_ORDER = [...SEED_KINDS].reverse();

/**
 * Brings the database up to `seed` (by default the article) in one transaction, as described
 * at the top of this file; safe to run any number of times, from any number of instances.
 */
export async function seedDatabase(prisma: PrismaClient, seed: Seed = articleSeed): Promise<SeedReport> {
  const problems = validateSeed(seed);
  if (problems.length > 0) throw new Error(`Invalid seed data:\n- ${problems.join('\n- ')}`);
  const records = seedRecords(seed);
  const version = seedVersion(records);

  return prisma.$transaction(
    async (tx) => {
      // One loader at a time (instances starting together); the second finds nothing to do.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('seed_records'))`;
      const book = new Map((await tx.seedRecord.findMany()).map((b) => [`${b.kind}:${b.id}`, b]));
      const inSeed = new Set(records.map((r) => `${r.kind}:${r.id}`));
      const gone = [...book.values()].filter((b) => !inSeed.has(`${b.kind}:${b.id}`) && !b.removedAt);
      const current = await readCurrent(tx, [...records, ...gone.map((b) => ({ kind: b.kind as SeedKind, id: b.id }))]);

      // Rows absent and never loaded: purged before this bookkeeping existed, if the audit log knows them.
      const unknown = records.filter((r) => !book.has(`${r.kind}:${r.id}`) && !current.has(`${r.kind}:${r.id}`));
      const audited = new Set(
        unknown.length
          ? (
              await tx.$queryRaw<{ key: string }[]>`
              SELECT DISTINCT lower(entity) || ':' || entity_id::text AS key FROM audit_log
               WHERE (entity, entity_id) IN (SELECT * FROM unnest(${unknown.map((r) => KIND[r.kind].toUpperCase())}::text[], ${unknown.map((r) => r.id)}::uuid[]))`
            ).map((a) => a.key)
          : [],
      );

      const live = new Set([...current].filter(([, c]) => !c.deleted).map(([key]) => key));
      const report: SeedReport = { version, records: records.length, inserted: 0, updated: 0, unchanged: 0, removed: 0, kept: [], counts: undefined! };
      const keep = (r: { kind: SeedKind; slug: string; id: string }, reason: KeptReason, detail?: string) =>
        report.kept.push({ kind: r.kind, slug: r.slug, id: r.id, reason, ...(detail ? { detail } : {}) });
      const leftAs = (c: Current): KeptReason => (c.merged ? 'merged' : c.deleted ? 'deleted' : 'edited');
      const remembered = new Set(book.keys());
      const loaded: SeedRecord[] = [];

      // Kind by kind, parents first: what a record refers to is written (or not) before it.
      for (const kind of SEED_KINDS) {
        const inserts: SeedRecord[] = [];
        const updates: Update[] = [];
        for (const r of records.filter((x) => x.kind === kind)) {
          const key = `${r.kind}:${r.id}`;
          const cur = current.get(key);
          const booked = book.get(key);
          // A database seeded before this bookkeeping: a row still as that seed wrote it counts as loaded from it.
          const known = booked ?? (cur && previouslyLoaded(r, cur)) ?? undefined;
          if (!cur) {
            if (known || audited.has(key)) {
              keep(r, 'purged');
              if (!known) loaded.push(r);
              continue;
            }
          } else if (!known || known.removedAt) {
            // A row this bookkeeping did not load (loaded before it existed): the seed's values are
            // remembered as loaded, so an edited row reads as edited from now on.
            loaded.push(r);
            if (cur.deleted || cur.hash !== r.hash) keep(r, leftAs(cur));
            else report.unchanged++;
            continue;
          } else if (cur.deleted || !holds(cur, known)) {
            if (!booked) loaded.push(r);
            keep(r, leftAs(cur));
            continue;
          } else if (r.hash === known.contentHash || cur.hash === r.hash) {
            // Nothing to write; the row already holds the seed's values (booked as such if it was not).
            if (!booked || booked.contentHash !== r.hash) loaded.push(r);
            report.unchanged++;
            continue;
          }
          // Inserted (no row) or updated (untouched, and the seed changed it): what it refers to must be live.
          const dead = r.refs.find((ref) => !live.has(`${ref.kind}:${ref.id}`));
          if (dead) keep(r, cur ? 'not updated' : 'not loaded', `its ${dead.what} ${dead.id} is not live`);
          else if (cur) updates.push({ r, cur });
          else inserts.push(r);
        }
        if (!inserts.length && !updates.length) continue;
        // All at once; should the database refuse, one by one, so that only the refused ones are left out.
        let written: SeedRecord[] = [...inserts, ...updates.map((u) => u.r)];
        if (await attempt(tx, () => writeRecords(tx, kind, inserts, updates))) {
          written = [];
          for (const r of inserts) {
            const refused = await attempt(tx, () => writeRecords(tx, kind, [r], []));
            if (refused) keep(r, 'not loaded', refused);
            else written.push(r);
          }
          for (const u of updates) {
            const refused = await attempt(tx, () => writeRecords(tx, kind, [], [u]));
            if (refused) keep(u.r, 'not updated', refused);
            else written.push(u.r);
          }
        }
        for (const r of written) {
          live.add(`${r.kind}:${r.id}`);
          if (current.has(`${r.kind}:${r.id}`)) report.updated++;
          else report.inserted++;
        }
        loaded.push(...written);
      }
      await remember(tx, loaded, version, remembered);
      const order = new Map(records.map((r, i) => [`${r.kind}:${r.id}`, i]));
      report.kept.sort((a, b) => order.get(`${a.kind}:${a.id}`)! - order.get(`${b.kind}:${b.id}`)!);

      // Records the seed no longer has: soft-deleted when untouched and nothing live refers to them.
      for (const kind of REMOVAL_ORDER) {
        for (const b of gone.filter((g) => g.kind === kind)) {
          const r = { kind, slug: b.slug, id: b.id };
          const cur = current.get(`${kind}:${b.id}`);
          if (cur && !cur.deleted && holds(cur, b)) {
            const refused = await attempt(tx, async () => {
              try {
                await deleteRecord(tx, NO_KEY, KIND[kind], b.id, { operation: 'loadSeed' });
              } catch (err) {
                if (err instanceof ReferencedError) throw new NotLoadable(err.message);
                throw err;
              }
            });
            if (refused) {
              keep(r, 'removed from the seed, kept', refused);
              continue;
            }
            report.removed++;
          } else if (cur && !cur.deleted) {
            keep(r, 'removed from the seed, kept', 'edited since it was loaded');
          }
          await tx.seedRecord.update({ where: { kind_id: { kind, id: b.id } }, data: { removedAt: new Date() } });
        }
      }

      report.counts = await countSeedRows(tx, records);
      return report;
    },
    { timeout: 60_000 },
  );
}

async function countSeedRows(tx: Tx, records: SeedRecord[]): Promise<SeedCounts> {
  const ids = (kind: SeedKind) => records.filter((r) => r.kind === kind).map((r) => r.id);
  // Sequential on purpose: an interactive transaction runs on one connection.
  return {
    actors: await tx.actor.count({ where: { id: { in: ids('actor') } } }),
    events: await tx.event.count({ where: { id: { in: ids('event') } } }),
    shipments: await tx.shipment.count({ where: { id: { in: ids('shipment') } } }),
    sources: await tx.source.count({ where: { id: { in: ids('source') } } }),
    citations: await tx.citation.count({ where: { id: { in: ids('citation') } } }),
    affiliations: await tx.affiliation.count({ where: { id: { in: ids('affiliation') } } }),
    claims: await tx.claim.count({ where: { id: { in: ids('claim') } } }),
  };
}

/** One line's worth of a report: the figures, without the list. */
export function seedSummary(report: SeedReport) {
  const { kept, counts: _counts, ...figures } = report;
  return { ...figures, kept: kept.length };
}
