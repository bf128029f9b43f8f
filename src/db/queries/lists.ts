// List queries for the events, shipments and actors connections: one SQL
// statement per page, filtered and keyset-paginated in PostgreSQL, plus a count
// query run only when a client asks for totalCount. Columns are aliased to the
// Prisma model's field names so rows are the same objects Prisma returns (or a
// part of them: an events page asked for only the columns its selection needs).
import { Prisma } from '../../generated/prisma/client';
import { categoriesOf } from '../../domain/categories';
import type { Actor, Event, Shipment } from '../models';
import type { Db } from '../client';
import { onReplica } from '../replicas';
import { relationAsOf } from './history';
import { minSourcesConditions, type CorroborationPlan } from './corroboration';
import { recordsRelation, type ReportedBy } from './reported';
import { ACTOR_ROW, CITATION_ROW, EVENT_ROW, PARTICIPANT_ROW, SOURCE_ROW, type Columns, type JsonRow } from './rows';

export const EVENT_COLUMNS = EVENT_ROW.columns;

export const SHIPMENT_COLUMNS = Prisma.raw(`s.id, s.supplier_id AS "supplierId", s.recipient_id AS "recipientId",
  s.category, s.description, s.quantity, s.quantity_low AS "quantityLow", s.quantity_high AS "quantityHigh",
  s.quantity_qualifier AS "quantityQualifier", s.unit,
  s.delivery_start AS "deliveryStart", s.delivery_end AS "deliveryEnd", s.delivery_precision AS "deliveryPrecision",
  s.delivery_text AS "deliveryText", s.delivery_edtf AS "deliveryEdtf", s.delivery_open AS "deliveryOpen", s.status, s.route, s.confidence,
  s.dataset_fields AS "datasetFields", s.created_at AS "createdAt", s.updated_at AS "updatedAt", s.deleted_at AS "deletedAt"`);

/** Conditions joined with AND; an empty list is TRUE. */
function where(conditions: Prisma.Sql[]): Prisma.Sql {
  return conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;
}

export interface EventListFilter {
  from?: string | null;
  to?: string | null;
  types?: string[] | null;
  actorIds?: string[] | null;
  minConfidence?: string | null;
  search?: string | null;
  /** Read the events as the database held them at this instant (see ./history.ts). */
  asOf?: string | null;
  /** At least this many independent sources (see corroboration.ts). */
  minSources?: number | null;
  /** The best fatality figure at least this (unknown ones are left out). */
  minFatalities?: number | null;
  /** Only the events reported by this day, with the values claimed by then (see ./reported.ts). */
  reportedBy?: ReportedBy | null;
}

/**
 * The filters on columns that the report rollup (event_month_rollup, aliased e) has too:
 * types and minConfidence.
 */
export function eventColumnConditions(f: Pick<EventListFilter, 'types' | 'minConfidence'>): Prisma.Sql[] {
  const c: Prisma.Sql[] = [];
  if (f.types?.length) c.push(Prisma.sql`e.type = ANY(${f.types}::"EventType"[])`);
  // Enum order is most to least certain, so "at least X" is "<= X".
  if (f.minConfidence) c.push(Prisma.sql`e.confidence <= ${f.minConfidence}::"Confidence"`);
  return c;
}

/** `plan`: how minSources reads the citations (pages probe; reports over whole tables use a set). */
export function eventConditions(f: EventListFilter, plan: CorroborationPlan = 'probe'): Prisma.Sql[] {
  const c = [Prisma.sql`e.deleted_at IS NULL`];
  if (f.from) c.push(Prisma.sql`e.span_end >= ${f.from}::date`);
  if (f.to) c.push(Prisma.sql`e.span_start <= ${f.to}::date`);
  c.push(...eventColumnConditions(f));
  if (f.minFatalities != null) c.push(Prisma.sql`e.fatalities >= ${f.minFatalities}::float8`);
  if (f.actorIds?.length) {
    c.push(
      Prisma.sql`EXISTS (SELECT 1 FROM ${relationAsOf('event_participants', f.asOf)} p WHERE p.event_id = e.id AND p.actor_id = ANY(${f.actorIds}::uuid[]))`,
    );
  }
  if (f.search?.trim()) {
    c.push(Prisma.sql`to_tsvector('english', e.title || ' ' || coalesce(e.description, '')) @@ websearch_to_tsquery('english', ${f.search})`);
  }
  c.push(...minSourcesConditions('event', 'e', f, plan));
  return c;
}

/** Keyset: rows strictly after (start, end, id) in the (start, end, id) order. */
function after(cols: string, key: (string | number)[] | undefined): Prisma.Sql[] {
  if (!key) return [];
  return [Prisma.sql`(${Prisma.raw(cols)}) > (${key[0]}::date, ${key[1]}::date, ${key[2]}::uuid)`];
}

/**
 * A window's lower bound, "ends on or after `from`", bounds the start column from above only:
 * an index scan in start order would begin at the oldest row and read every row before the
 * window to keep the few that reach into it. So the page is read in arms by span length: spans
 * of at most 31 days from `start >= from - 31`, those of 32-92 days from the 61 days before,
 * 93-366 days from the year before that, and longer ones from anywhere, each arm on a partial
 * index of the spans longer than its bound (migrations 20261201160000 and 20261202120000; the
 * literals here are the indexes' predicates, which PostgreSQL matches only as written). A scan
 * then reads little before the window, where one bound of 366 days read a whole year of the
 * previous partition's index. Why: docs/decisions/span-length-arms.md.
 */
const SPAN_TIERS = [31, 92, 366];

/** A table's span columns, as aliased in its list queries, and their output names in order. */
interface SpanColumns {
  start: string;
  end: string;
  out: string;
}
const EVENT_SPAN: SpanColumns = { start: 'e.span_start', end: 'e.span_end', out: '"spanStart", "spanEnd", id' };
const SHIPMENT_SPAN: SpanColumns = { start: 's.delivery_start', end: 's.delivery_end', out: '"deliveryStart", "deliveryEnd", id' };

/** The disjoint conditions, one per arm, whose pages together hold the window's first rows. */
function windowArms(span: SpanColumns, from: string): Prisma.Sql[][] {
  const s = Prisma.raw(span.start);
  const longer = (days: number) => Prisma.sql`${Prisma.raw(span.end)} - ${s} > ${Prisma.raw(String(days))}`;
  const since = (days: number) => Prisma.sql`${s} >= ${from}::date - ${Prisma.raw(String(days))}`;
  const before = (days: number) => Prisma.sql`${s} < ${from}::date - ${Prisma.raw(String(days))}`;
  const arms = [[since(SPAN_TIERS[0])]];
  for (let i = 1; i < SPAN_TIERS.length; i += 1) {
    arms.push([since(SPAN_TIERS[i]), before(SPAN_TIERS[i - 1]), longer(SPAN_TIERS[i - 1])]);
  }
  const last = SPAN_TIERS[SPAN_TIERS.length - 1];
  arms.push([before(last), longer(last)]);
  return arms;
}

/**
 * One keyset page in (start, end, id) order: a single statement, read in arms by span length
 * when the window has a lower bound (see windowArms). `page` gives one arm's ordered, limited
 * SELECT; the outer query orders its columns by their output names.
 */
function windowedPage(from: string | null | undefined, span: SpanColumns, page: (extra: Prisma.Sql[]) => Prisma.Sql, limit: number): Prisma.Sql {
  if (!from) return page([]);
  const arms = windowArms(span, from).map(page);
  return Prisma.sql`SELECT * FROM (${Prisma.join(arms, ' UNION ALL ')}) AS w ORDER BY ${Prisma.raw(span.out)} LIMIT ${limit}`;
}

/** The rows a window holds, counted arm by arm like windowedPage reads them; `count` gives one arm's count(*) AS n. */
function windowedCount(from: string | null | undefined, span: SpanColumns, count: (extra: Prisma.Sql[]) => Prisma.Sql): Prisma.Sql {
  if (!from) return count([]);
  const arms = windowArms(span, from).map(count);
  return Prisma.sql`SELECT sum(n)::int AS n FROM (${Prisma.join(arms, ' UNION ALL ')}) AS w`;
}

/**
 * What an events page's statement brings along (models.ts), where the loaders would issue one
 * statement each, and which of their fields (rows.ts, `pick`); absent: not brought.
 */
export interface EventPageInclude {
  /** Of each event, these columns (rows.ts, `pick`); all when absent. */
  columns?: Columns;
  /** Each event's participants, in the `participants` loader's order. */
  participants?: Columns;
  /** …each with its actor. */
  actors?: Columns;
  /** Each event's live citations, in the `eventCitations` loader's order. */
  citations?: Columns;
  /** …each with its source. */
  sources?: Columns;
}

/**
 * Events in (start, end, id) order. With `include` (the live feed only: as of an instant or as
 * reported by a day the loaders read them so), each event comes with its participants and citations, each with
 * its actor or source, read as JSON in the same statement (rows.ts).
 */
export async function listEvents(db: Db, f: EventListFilter, limit: number, afterKey?: (string | number)[], include: EventPageInclude = {}): Promise<Event[]> {
  const conditions = [...eventConditions(f), ...after('e.span_start, e.span_end, e.id', afterKey)];
  const columns = EVENT_ROW.pickColumns(include.columns ?? 'all');
  const page = (extra: Prisma.Sql[]) => Prisma.sql`(SELECT ${columns} FROM ${recordsRelation('events', f)} e ${where([...conditions, ...extra])}
    ORDER BY e.span_start, e.span_end, e.id LIMIT ${limit})`;
  const sql = windowedPage(f.from, EVENT_SPAN, page, limit);
  const related = f.asOf || f.reportedBy ? [] : relatedOfEvents(include);
  if (!related.length) return onReplica(db, (r) => r.$queryRaw<Event[]>`${sql}`, f.asOf);
  const rows = await onReplica(
    db,
    (r) => r.$queryRaw<(Event & Record<string, RelatedJson>)[]>`WITH w AS (${sql})
    SELECT w.*, ${Prisma.join(related.map((x) => x.sql))} FROM w ORDER BY w."spanStart", w."spanEnd", w.id`,
  );
  // Each JSON column is replaced by its rows, decoded.
  for (const row of rows) for (const x of related) x.read(row, row[x.name]);
  return rows;
}

/** A JSON column of an events page: per related row, the row and its actor or source (RowShape.json each). */
type RelatedJson = [row: unknown[], other?: unknown[]][];

/** The JSON columns EventPageInclude asks for, each with the reader of its value. */
function relatedOfEvents(include: EventPageInclude): { name: string; sql: Prisma.Sql; read(event: Event, items: RelatedJson): void }[] {
  const out = [];
  const item = (row: JsonRow<unknown>, other: JsonRow<unknown> | null) =>
    other ? Prisma.sql`json_build_array(${row.json}, ${other.json})` : Prisma.sql`json_build_array(${row.json})`;
  if (include.participants) {
    const participant = PARTICIPANT_ROW.pick(include.participants);
    const actor = include.actors ? ACTOR_ROW.pick(include.actors) : null;
    out.push({
      name: 'participants',
      sql: Prisma.sql`(SELECT coalesce(json_agg(${item(participant, actor)} ORDER BY p.role, p.actor_id), '[]')
        FROM event_participants p ${actor ? Prisma.sql`JOIN actors a ON a.id = p.actor_id` : Prisma.empty} WHERE p.event_id = w.id) AS participants`,
      read(event: Event, items: RelatedJson) {
        event.participants = items.map(([row, a]) => ({ ...participant.fromJson(row), ...(a && { actor: actor!.fromJson(a) }) }));
      },
    });
  }
  if (include.citations) {
    const citation = CITATION_ROW.pick(include.citations);
    const source = include.sources ? SOURCE_ROW.pick(include.sources) : null;
    out.push({
      name: 'citations',
      sql: Prisma.sql`(SELECT coalesce(json_agg(${item(citation, source)} ORDER BY c.created_at, c.id), '[]')
        FROM citations c ${source ? Prisma.sql`JOIN sources so ON so.id = c.source_id` : Prisma.empty}
        WHERE c.event_id = w.id AND c.deleted_at IS NULL) AS citations`,
      read(event: Event, items: RelatedJson) {
        event.citations = items.map(([row, so]) => ({ ...citation.fromJson(row), ...(so && { source: source!.fromJson(so) }) }));
      },
    });
  }
  return out;
}

export async function countEvents(db: Db, f: EventListFilter): Promise<number> {
  const count = (extra: Prisma.Sql[]) =>
    Prisma.sql`(SELECT count(*)::int AS n FROM ${recordsRelation('events', f)} e ${where([...eventConditions(f), ...extra])})`;
  const [row] = await onReplica(db, (r) => r.$queryRaw<{ n: number }[]>`${windowedCount(f.from, EVENT_SPAN, count)}`, f.asOf);
  return row.n;
}

export interface ShipmentListFilter {
  from?: string | null;
  to?: string | null;
  supplierIds?: string[] | null;
  recipientIds?: string[] | null;
  categories?: string[] | null;
  /** Categories by their group (src/domain/categories.ts). */
  categoryGroups?: string[] | null;
  statuses?: string[] | null;
  minConfidence?: string | null;
  /** Read the shipments as the database held them at this instant (see ./history.ts). */
  asOf?: string | null;
  /** At least this many independent sources (see corroboration.ts). */
  minSources?: number | null;
  /** Only the shipments reported by this day, with the values claimed by then (see ./reported.ts). */
  reportedBy?: ReportedBy | null;
}

/**
 * The filters on columns that the report rollup (shipment_month_rollup, aliased s) has too:
 * supplierIds, recipientIds, categories, statuses and minConfidence.
 */
export function shipmentColumnConditions(
  f: Pick<ShipmentListFilter, 'supplierIds' | 'recipientIds' | 'categories' | 'categoryGroups' | 'statuses' | 'minConfidence'>,
): Prisma.Sql[] {
  const c: Prisma.Sql[] = [];
  if (f.supplierIds?.length) c.push(Prisma.sql`s.supplier_id = ANY(${f.supplierIds}::uuid[])`);
  if (f.recipientIds?.length) c.push(Prisma.sql`s.recipient_id = ANY(${f.recipientIds}::uuid[])`);
  if (f.categories?.length) c.push(Prisma.sql`s.category = ANY(${f.categories}::"ShipmentCategory"[])`);
  if (f.categoryGroups?.length) c.push(Prisma.sql`s.category = ANY(${categoriesOf(f.categoryGroups)}::"ShipmentCategory"[])`);
  if (f.statuses?.length) c.push(Prisma.sql`s.status = ANY(${f.statuses}::"ShipmentStatus"[])`);
  if (f.minConfidence) c.push(Prisma.sql`s.confidence <= ${f.minConfidence}::"Confidence"`);
  return c;
}

/** `plan`: how minSources reads the citations (pages probe; reports over whole tables use a set). */
export function shipmentConditions(f: ShipmentListFilter, plan: CorroborationPlan = 'probe'): Prisma.Sql[] {
  const c = [Prisma.sql`s.deleted_at IS NULL`];
  if (f.from) c.push(Prisma.sql`s.delivery_end >= ${f.from}::date`);
  if (f.to) c.push(Prisma.sql`s.delivery_start <= ${f.to}::date`);
  c.push(...shipmentColumnConditions(f));
  c.push(...minSourcesConditions('shipment', 's', f, plan));
  return c;
}

/**
 * Shipments in (start, end, id) order. With `actors` (the live list only: as of an instant or as
 * reported by a day the loaders read them so), each shipment comes
 * with its supplier and recipient (models.ts), read as JSON in the same statement (rows.ts).
 */
export async function listShipments(
  db: Db,
  f: ShipmentListFilter,
  limit: number,
  afterKey?: (string | number)[],
  include: { actors?: Columns } = {},
): Promise<Shipment[]> {
  const conditions = [...shipmentConditions(f), ...after('s.delivery_start, s.delivery_end, s.id', afterKey)];
  const page = (extra: Prisma.Sql[]) => Prisma.sql`(SELECT ${SHIPMENT_COLUMNS} FROM ${recordsRelation('shipments', f)} s ${where([...conditions, ...extra])}
    ORDER BY s.delivery_start, s.delivery_end, s.id LIMIT ${limit})`;
  const sql = windowedPage(f.from, SHIPMENT_SPAN, page, limit);
  if (!include.actors || f.asOf || f.reportedBy) return onReplica(db, (r) => r.$queryRaw<Shipment[]>`${sql}`, f.asOf);
  const actor = ACTOR_ROW.pick(include.actors);
  const rows = await onReplica(
    db,
    (r) => r.$queryRaw<(Omit<Shipment, 'supplier' | 'recipient'> & Record<'supplier' | 'recipient', unknown[]>)[]>`WITH w AS (${sql})
    SELECT w.*, (SELECT ${actor.json} FROM actors a WHERE a.id = w."supplierId") AS supplier,
      (SELECT ${actor.json} FROM actors a WHERE a.id = w."recipientId") AS recipient
    FROM w ORDER BY w."deliveryStart", w."deliveryEnd", w.id`,
  );
  // The JSON columns become the actors, decoded (as listEvents does).
  return rows.map((row) => ({ ...row, supplier: actor.fromJson(row.supplier), recipient: actor.fromJson(row.recipient) }));
}

export async function countShipments(db: Db, f: ShipmentListFilter): Promise<number> {
  const count = (extra: Prisma.Sql[]) =>
    Prisma.sql`(SELECT count(*)::int AS n FROM ${recordsRelation('shipments', f)} s ${where([...shipmentConditions(f), ...extra])})`;
  const [row] = await onReplica(db, (r) => r.$queryRaw<{ n: number }[]>`${windowedCount(f.from, SHIPMENT_SPAN, count)}`, f.asOf);
  return row.n;
}

export interface ActorListFilter {
  search?: string | null;
  kinds?: string[] | null;
}

/** LIKE pattern matching `text` anywhere, with LIKE's own wildcards in it matched literally. */
function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/**
 * The actors a search matches, with how well: 0 an alias equals it, 1 an alias
 * starts with it, 2 an alias contains it. Searching "DPRK" lists the DPRK before
 * "DPRK Minister of National Defence". It reads the aliases through their trigram
 * index and joins actors after, rather than probing every actor's aliases (a correlated
 * subquery per actor, the trigram index unused). Without a search every actor ranks 0.
 */
function matches(q: string | undefined): Prisma.Sql {
  if (!q) return Prisma.sql`SELECT a.id AS actor_id, 0 AS rank FROM actors a`;
  const lower = q.toLowerCase();
  return Prisma.sql`SELECT al.actor_id, min(CASE WHEN lower(al.alias) = ${lower} THEN 0
      WHEN starts_with(lower(al.alias), ${lower}) THEN 1 ELSE 2 END) AS rank
    FROM actor_aliases al WHERE lower(al.alias) LIKE ${containsPattern(q)} GROUP BY al.actor_id`;
}

function actorConditions(f: ActorListFilter): Prisma.Sql[] {
  const c = [Prisma.sql`a.deleted_at IS NULL`];
  if (f.kinds?.length) c.push(Prisma.sql`a.kind = ANY(${f.kinds}::"ActorKind"[])`);
  return c;
}

/**
 * Actors in (match rank, name, id) order. Cursor key: [rank, name, id]. With `aliases`, each
 * actor's aliases come in the same statement (as JSON, for the page's rows only), where the
 * `aliases` loader would issue a second.
 */
export async function listActors(
  db: Db,
  f: ActorListFilter,
  limit: number,
  afterKey?: (string | number)[],
  opts: { aliases?: boolean } = {},
): Promise<(Actor & { rank: number })[]> {
  const conditions = actorConditions(f);
  if (afterKey) conditions.push(Prisma.sql`(m.rank, a.name, a.id) > (${afterKey[0]}::int, ${afterKey[1]}::text, ${afterKey[2]}::uuid)`);
  const page = Prisma.sql`WITH m AS (${matches(f.search?.trim())})
    SELECT ${ACTOR_ROW.columns}, m.rank FROM m JOIN actors a ON a.id = m.actor_id
    ${where(conditions)} ORDER BY m.rank, a.name, a.id LIMIT ${limit}`;
  if (!opts.aliases) return onReplica(db, (r) => r.$queryRaw<(Actor & { rank: number })[]>(page));
  return onReplica(
    db,
    (r) => r.$queryRaw<(Actor & { rank: number })[]>`WITH p AS (${page})
    SELECT p.*, (SELECT coalesce(json_agg(json_build_object('id', al.id, 'actorId', al.actor_id, 'alias', al.alias) ORDER BY al.alias), '[]')
                 FROM actor_aliases al WHERE al.actor_id = p.id) AS aliases
    FROM p ORDER BY p.rank, p.name, p.id`,
  );
}

export async function countActors(db: Db, f: ActorListFilter): Promise<number> {
  const [row] = await onReplica(
    db,
    (r) => r.$queryRaw<{ n: number }[]>`WITH m AS (${matches(f.search?.trim())})
    SELECT count(*)::int AS n FROM m JOIN actors a ON a.id = m.actor_id ${where(actorConditions(f))}`,
  );
  return row.n;
}
