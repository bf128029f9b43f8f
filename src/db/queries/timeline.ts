// Timeline queries: one SQL statement per page over the three kinds of item.
//
// The page is a UNION ALL of one branch per kind (events, shipments, affiliations),
// each filtered, keyset-bounded, ordered and limited in PostgreSQL on its own
// (start, end, id) index, then merged, ordered on the full key (start, end, kind, id)
// and limited again. Each arm carries its nodes' columns from the rows it read (NULLs for
// the other kinds' columns), aliased "EVENT.spanStart", "SHIPMENT.supplierId", … so no row is
// looked up twice; the page leaves as one row, its items one JSON text, each node the object
// Prisma would return once read (nodeOf). The same statement also reports which of the
// requested actor ids name no live actor, so checking them costs no extra round trip.
//
// Events are read from their participations, which carry the event's span (copied by
// triggers, see migration 20261201160000_participant_spans): an actor's events come out of
// (actor_id, span_start, span_end, event_id) in feed order, and a pair's common events are
// a merge of two such lists, so a page of any actor or pair stops after the page.
//
// Keyset: the row-value comparison (start, end, kind, id) > (a, b, k, i) is rewritten
// per branch, where kind is a constant K, into an index-friendly form:
//   K > k: (start, end) >= (a, b);  K = k: (start, end, id) > (a, b, i);  K < k: (start, end) > (a, b)
// (and mirrored for `before`). Undated affiliations sort with start = end = 'infinity'.
//
// When the request selects the actors of shipments or affiliations (supplier, target, …), the
// same statement also brings those actors as JSON, and each node gets its own
// (models.ts: Shipment.supplier, Affiliation.target, …).
import { Prisma } from '../../generated/prisma/client';
import type { Actor } from '../../generated/prisma/client';
import type { Affiliation, Event, Shipment } from '../models';
import { kindOfRank, kindRank, type TimelineKey, type TimelineKind, type TimelineMatch, type TimelineWindow } from '../../domain/timeline';
import type { Db } from '../client';
import { onReplica } from '../replicas';
import { minSourcesConditions } from './corroboration';
import { spanStartLowerBound } from '../partitions';
import { everRecorded, relationAsOf, type HistoryTable } from './history';
import { recordsRelation, type ReportedBy } from './reported';
import { ACTOR_ROW, EVENT_ROW, rowFromJson, type Columns, type JsonRow } from './rows';

export interface TimelineFilter {
  /** Checked, lowercased actor ids, in the order given (positions name them in errors). */
  actorIds: string[];
  match: TimelineMatch;
  from?: string | null;
  to?: string | null;
  window: TimelineWindow;
  /** The kinds to include (never empty). */
  kinds: TimelineKind[];
  types?: string[] | null;
  minConfidence?: string | null;
  /** Read the feed as the database held it at this instant (see ./history.ts). */
  asOf?: string | null;
  /** At least this many independent sources, every kind (see corroboration.ts). */
  minSources?: number | null;
  /** Only the items reported by this day, events and shipments with the values claimed by then (see ./reported.ts). */
  reportedBy?: ReportedBy | null;
}

export type TimelineNode = Event | Shipment | Affiliation;

export interface TimelineRow {
  key: TimelineKey;
  kind: TimelineKind;
  node: TimelineNode;
}

export interface TimelinePageResult {
  /** Positions in filter.actorIds of ids that name no live actor. */
  unknownActors: number[];
  /** In feed order whatever the direction of reading. */
  rows: TimelineRow[];
}

// ---------------------------------------------------------------------------------------------
// Branches

/** The columns of an item's feed key (start, end, id). */
interface KeyColumns {
  start: string;
  end: string;
  id: string;
}

interface Branch extends KeyColumns {
  kind: TimelineKind;
  /** The alias in from() of the table whose rows are the nodes (their columns are read there). */
  alias: string;
  /** The FROM clause: the table with its alias (e.g. "events e"), possibly joined. */
  from(f: TimelineFilter): Prisma.Sql;
  /**
   * Other lists joined in from() on the same key (a pair's second participations): the
   * keyset bounds them too, so that each is read from the cursor on, not from its start.
   */
  joinedKeys?(f: TimelineFilter): KeyColumns[];
  /** from() may yield an item more than once (an actor in two roles): select DISTINCT. */
  distinct?: boolean;
  /**
   * The branch's conditions as alternatives, each a list of conditions ANDed: one
   * UNION ALL arm per alternative, so that each arm can read one index in order
   * (a shipment of one actor as supplier, or as recipient). Alternatives never
   * select the same row twice.
   */
  arms(f: TimelineFilter): Prisma.Sql[][];
}

const raw = Prisma.raw;

/** Whether a span's canonical EDTF (NULL for a plain span) has an open (`..`) or unknown (empty) end. */
const openEdtf = (col: string): string => `(${col} IS NOT NULL AND (${col} LIKE '%..%' OR ${col} LIKE '%/' OR ${col} LIKE '/%'))`;
const uniqueIds = (f: TimelineFilter) => [...new Set(f.actorIds)];

/**
 * An item's place against the window. WITHIN means certainly inside it, which a span with an open
 * or unknown end never is: its bounds hold only its known side (the bounding rule, `open`: an SQL
 * expression true for such a span).
 */
function windowConditions(start: string, end: string, f: TimelineFilter, open: string): Prisma.Sql[] {
  const c: Prisma.Sql[] = [];
  if (f.window === 'WITHIN') {
    if (f.from || f.to) c.push(Prisma.sql`NOT ${raw(open)}`);
    if (f.from) c.push(Prisma.sql`${raw(start)} >= ${f.from}::date`);
    if (f.to) c.push(Prisma.sql`${raw(end)} <= ${f.to}::date`);
  } else {
    if (f.from) c.push(Prisma.sql`${raw(end)} >= ${f.from}::date`);
    if (f.to) c.push(Prisma.sql`${raw(start)} <= ${f.to}::date`);
  }
  return c;
}

/**
 * The parties of a two-party item (supplier/recipient, actor/target) as alternatives.
 * ANY: the first party is one of the actors, or else the second is. ALL: together
 * they are all of the actors: one actor is either party, a pair is the two parties
 * in either direction, three or more actors never match.
 */
function partyArms(a: string, b: string, f: TimelineFilter): Prisma.Sql[][] {
  const ids = uniqueIds(f);
  if (f.match === 'ALL' && ids.length === 2) {
    const [x, y] = ids;
    return [
      [Prisma.sql`${raw(a)} = ${x}::uuid`, Prisma.sql`${raw(b)} = ${y}::uuid`],
      [Prisma.sql`${raw(a)} = ${y}::uuid`, Prisma.sql`${raw(b)} = ${x}::uuid`],
    ];
  }
  if (f.match === 'ALL' && ids.length > 2) return [];
  const one = (col: string) => (ids.length === 1 ? Prisma.sql`${raw(col)} = ${ids[0]}::uuid` : Prisma.sql`${raw(col)} = ANY(${ids}::uuid[])`);
  const none = (col: string) => (ids.length === 1 ? Prisma.sql`${raw(col)} <> ${ids[0]}::uuid` : Prisma.sql`NOT ${raw(col)} = ANY(${ids}::uuid[])`);
  return [[one(a)], [one(b), none(a)]];
}

function confidence(col: string, f: TimelineFilter): Prisma.Sql[] {
  // Enum order is most to least certain, so "at least X" is "<= X".
  return f.minConfidence ? [Prisma.sql`${raw(col)} <= ${f.minConfidence}::"Confidence"`] : [];
}

/**
 * Events of the live feed: read from the participations, which carry their event's span. Each
 * event is looked up by its primary key (id, span_start), so in its own yearly partition only
 * (pruned at run time); as a LATERAL … LIMIT 1 because a plain join on both columns is
 * misestimated (the two equalities taken as independent: a few rows instead of one per
 * participation), which made the planner sort every participation of a busy actor in parallel
 * instead of stopping after the page (docs/decisions/yearly-partitions.md).
 */
const EVENTS: Branch = {
  kind: 'EVENT',
  alias: 'e',
  from(f) {
    // ALL over several actors: the first actor's participations joined to each other's on
    // the whole key, all read in feed order (a merge join that stops after the page).
    const others = f.match === 'ALL' ? uniqueIds(f).slice(1) : [];
    const joins = others.map(
      (id, i) => Prisma.sql`JOIN event_participants ${raw(`q${i}`)} ON ${raw(`q${i}`)}.actor_id = ${id}::uuid
        AND ${raw(`q${i}.span_start = p.span_start AND q${i}.span_end = p.span_end AND q${i}.event_id = p.event_id`)}`,
    );
    return Prisma.sql`event_participants p ${Prisma.join([...joins, raw('JOIN LATERAL (SELECT * FROM events e WHERE e.id = p.event_id AND e.span_start = p.span_start LIMIT 1) e ON true')], ' ')}`;
  },
  joinedKeys(f) {
    const others = f.match === 'ALL' ? uniqueIds(f).slice(1) : [];
    return others.map((_, i) => ({ start: `q${i}.span_start`, end: `q${i}.span_end`, id: `q${i}.event_id` }));
  },
  distinct: true,
  start: 'p.span_start',
  end: 'p.span_end',
  id: 'p.event_id',
  arms(f) {
    const c = [Prisma.sql`e.deleted_at IS NULL`];
    if (f.types?.length) c.push(Prisma.sql`e.type = ANY(${f.types}::"EventType"[])`);
    c.push(...confidence('e.confidence', f), ...minSourcesConditions('event', 'e', f));
    for (const k of [this, ...(this.joinedKeys?.(f) ?? [])]) c.push(...windowConditions(k.start, k.end, f, openEdtf('e.span_edtf')));
    const ids = uniqueIds(f);
    if (f.match === 'ALL') return [[Prisma.sql`p.actor_id = ${ids[0]}::uuid`, ...c]];
    // ANY: one arm per actor, each reading that actor's list in order; an event of
    // several of them belongs to the arm of the first (arms never overlap).
    return ids.map((id, i) => [
      Prisma.sql`p.actor_id = ${id}::uuid`,
      ...(i
        ? [Prisma.sql`NOT EXISTS (SELECT 1 FROM event_participants o WHERE o.event_id = p.event_id AND o.actor_id = ANY(${ids.slice(0, i)}::uuid[]))`]
        : []),
      ...c,
    ]);
  },
};

/**
 * Events as of an instant, or as reported by a day: the history keeps participations without
 * the copied span (the live table's index serves the live feed), and a claimed date is not the
 * copied one, so events are read in feed order and probed.
 */
const EVENTS_AS_OF: Branch = {
  kind: 'EVENT',
  alias: 'e',
  from(f) {
    // ALL over several actors: intersect their participations first (a fence: DISTINCT is
    // not flattened) and read only those events.
    const ids = uniqueIds(f);
    const events = recordsRelation('events', f);
    const participants = relationAsOf('event_participants', f.asOf);
    if (f.match !== 'ALL' || ids.length < 2) return Prisma.sql`${events} e`;
    const others = ids
      .slice(1)
      .map((id) => Prisma.sql`EXISTS (SELECT 1 FROM ${participants} p1 WHERE p1.event_id = p0.event_id AND p1.actor_id = ${id}::uuid)`);
    return Prisma.sql`(SELECT DISTINCT p0.event_id FROM ${participants} p0
      WHERE p0.actor_id = ${ids[0]}::uuid AND ${Prisma.join(others, ' AND ')}) AS common
      JOIN ${events} e ON e.id = common.event_id`;
  },
  id: 'e.id',
  start: 'e.span_start',
  end: 'e.span_end',
  arms(f) {
    const c = [Prisma.sql`e.deleted_at IS NULL`];
    const ids = uniqueIds(f);
    const participants = relationAsOf('event_participants', f.asOf);
    if (f.match === 'ALL' && ids.length === 1) {
      c.push(Prisma.sql`EXISTS (SELECT 1 FROM ${participants} p WHERE p.event_id = e.id AND p.actor_id = ${ids[0]}::uuid)`);
    } else if (f.match !== 'ALL') {
      c.push(Prisma.sql`EXISTS (SELECT 1 FROM ${participants} p WHERE p.event_id = e.id AND p.actor_id = ANY(${ids}::uuid[]))`);
    } // else: ALL over several actors, see from()
    if (f.types?.length) c.push(Prisma.sql`e.type = ANY(${f.types}::"EventType"[])`);
    return [
      [...c, ...confidence('e.confidence', f), ...minSourcesConditions('event', 'e', f), ...windowConditions(this.start, this.end, f, openEdtf('e.span_edtf'))],
    ];
  },
};

const OTHER_BRANCHES: Branch[] = [
  {
    kind: 'SHIPMENT',
    alias: 's',
    from: (f) => Prisma.sql`${recordsRelation('shipments', f)} s`,
    start: 's.delivery_start',
    end: 's.delivery_end',
    id: 's.id',
    arms(f) {
      const c = [
        Prisma.sql`s.deleted_at IS NULL`,
        ...confidence('s.confidence', f),
        ...minSourcesConditions('shipment', 's', f),
        ...windowConditions(this.start, this.end, f, 's.delivery_open'),
        // The live table is partitioned by delivery_start: prune the years before the window
        // (not by claimed spans, which the table's longest span does not bound).
        ...(f.from && f.window !== 'WITHIN' && !f.asOf && !f.reportedBy ? [spanStartLowerBound('shipments', 's', f.from)] : []),
      ];
      return partyArms('s.supplier_id', 's.recipient_id', f).map((party) => [...party, ...c]);
    },
  },
  {
    kind: 'AFFILIATION',
    alias: 'f',
    from: (f) => Prisma.sql`${recordsRelation('affiliations', f)} f`,
    id: 'f.id',
    // Undated affiliations sort after every dated item.
    start: `coalesce(f.span_start, 'infinity'::date)`,
    end: `coalesce(f.span_end, 'infinity'::date)`,
    arms(f) {
      const c = [Prisma.sql`f.deleted_at IS NULL`, ...confidence('f.confidence', f), ...minSourcesConditions('affiliation', 'f', f)];
      // An undated affiliation cannot be placed in (or out of) a window: a dated window excludes it.
      if (f.from || f.to) c.push(Prisma.sql`f.span_start IS NOT NULL`, ...windowConditions('f.span_start', 'f.span_end', f, openEdtf('f.span_edtf')));
      return partyArms('f.actor_id', 'f.target_id', f).map((party) => [...party, ...c]);
    },
  },
];

function branchesOf(f: TimelineFilter): Branch[] {
  return [f.asOf || f.reportedBy ? EVENTS_AS_OF : EVENTS, ...OTHER_BRANCHES].filter((b) => f.kinds.includes(b.kind));
}

/** The UNION ALL arms of the included kinds: each a branch and its conditions. */
function armsOf(f: TimelineFilter): { b: Branch; c: Prisma.Sql[] }[] {
  return branchesOf(f).flatMap((b) => b.arms(f).map((c) => ({ b, c })));
}

/** An arm that selects nothing, for a feed no kind can match (ALL over three actors, shipments only). */
const noArm = (nodes: Prisma.Sql = Prisma.empty) =>
  Prisma.sql`(SELECT NULL::int AS kind, NULL::uuid AS id, NULL::date AS start, NULL::date AS "end"${nodes} WHERE false)`;

const kindColumn = (b: Branch) => raw(`${kindRank(b.kind)} AS kind`);

/** Rows of branch `b` strictly after (`op` '>') or before ('<') `key` in feed order: one condition per list read. */
function keyset(b: Branch, f: TimelineFilter, op: '>' | '<', key: TimelineKey): Prisma.Sql[] {
  return [b, ...(b.joinedKeys?.(f) ?? [])].map((k) => keysetOf(kindRank(b.kind), k, op, key));
}

function keysetOf(rank: number, k: KeyColumns, op: '>' | '<', key: TimelineKey): Prisma.Sql {
  const cols = raw(`(${k.start}, ${k.end})`);
  const bound = Prisma.sql`(${key.start}::date, ${key.end}::date)`;
  if (rank === key.kind) {
    return Prisma.sql`(${raw(`${k.start}, ${k.end}, ${k.id}`)}) ${raw(op)} (${key.start}::date, ${key.end}::date, ${key.id}::uuid)`;
  }
  // A later kind at an equal (start, end) is after the key; an earlier one is before it.
  const inclusive = op === '>' ? rank > key.kind : rank < key.kind;
  return Prisma.sql`${cols} ${raw(inclusive ? `${op}=` : op)} ${bound}`;
}

function where(conditions: Prisma.Sql[]): Prisma.Sql {
  return conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;
}

/**
 * An arm's items (kind, id, start, "end"), each once; with `nodes`, these columns after them (see
 * nodeColumns), and an item read twice (an actor in two roles) kept once by its key alone.
 */
function itemsOf(b: Branch, f: TimelineFilter, c: Prisma.Sql[], nodes?: Prisma.Sql): Prisma.Sql {
  const distinct = !b.distinct ? '' : nodes ? `DISTINCT ON (${b.start}, ${b.end}, ${b.id}) ` : 'DISTINCT ';
  return Prisma.sql`SELECT ${raw(distinct)}${kindColumn(b)}, ${raw(b.id)} AS id, ${raw(b.start)} AS start, ${raw(b.end)} AS "end"${nodes ?? Prisma.empty}
    FROM ${b.from(f)} ${where(c)}`;
}

/**
 * Which of the given ids name no live actor: their 0-based positions, as int[]. As of an
 * instant, an actor not recorded yet then (created later) is not unknown: its feed is empty, as
 * the database held it; one deleted then, or never recorded at all, is.
 */
function unknownActorsCte(ids: string[], asOf: string | null | undefined): Prisma.Sql {
  const actors = relationAsOf('actors', asOf);
  const notYet = asOf
    ? Prisma.sql` AND (EXISTS (SELECT 1 FROM ${actors} a WHERE a.id = x.id) OR NOT ${everRecorded('actors', 'id', Prisma.raw('x.id'))})`
    : Prisma.empty;
  return Prisma.sql`unknown AS (
    SELECT coalesce(array_agg((x.ord - 1)::int ORDER BY x.ord), '{}'::int[]) AS idx
    FROM unnest(${ids}::uuid[]) WITH ORDINALITY AS x(id, ord)
    WHERE NOT EXISTS (SELECT 1 FROM ${actors} a WHERE a.id = x.id AND a.deleted_at IS NULL)${notYet})`;
}

// ---------------------------------------------------------------------------------------------
// Node columns: aliased "<kind>.<field>" so a row splits into Prisma-shaped nodes

const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const COMMON = ['confidence', 'createdAt', 'updatedAt', 'deletedAt'];
/** `table`: whose row type gives the other arms' NULLs their column types. */
const NODE_FIELDS: Record<TimelineKind, { table: HistoryTable; fields: string[] }> = {
  EVENT: {
    table: 'events',
    fields: [
      'id',
      'type',
      'title',
      'description',
      'spanStart',
      'spanEnd',
      'spanPrecision',
      'spanText',
      'spanEdtf',
      'locationName',
      'locationCountryCode',
      'latitude',
      'longitude',
      'fatalities',
      'fatalitiesLow',
      'fatalitiesHigh',
      'fatalitiesQualifier',
      'datasetFields',
      ...COMMON,
    ],
  },
  SHIPMENT: {
    table: 'shipments',
    fields: [
      'id',
      'supplierId',
      'recipientId',
      'category',
      'description',
      'quantity',
      'quantityLow',
      'quantityHigh',
      'quantityQualifier',
      'unit',
      'deliveryStart',
      'deliveryEnd',
      'deliveryPrecision',
      'deliveryText',
      'deliveryEdtf',
      'deliveryOpen',
      'status',
      'route',
      'datasetFields',
      ...COMMON,
    ],
  },
  AFFILIATION: {
    table: 'affiliations',
    fields: ['id', 'actorId', 'targetId', 'role', 'title', 'spanStart', 'spanEnd', 'spanPrecision', 'spanText', 'spanEdtf', ...COMMON],
  },
};

/**
 * Of each kind, the model fields a page reads besides those it selects: the id, the span's
 * bounds (the edge's `at`; its EDTF only when selected), what tells the union's members apart
 * (TimelineItem's __resolveType: a shipment has a supplierId, an affiliation a targetId) and deletedAt.
 */
const ALWAYS: Record<TimelineKind, readonly string[]> = {
  EVENT: EVENT_ROW.always,
  SHIPMENT: ['id', 'supplierId', 'deliveryStart', 'deliveryEnd', 'deliveryPrecision', 'deliveryText', 'deletedAt'],
  AFFILIATION: ['id', 'targetId', 'spanStart', 'spanEnd', 'spanPrecision', 'spanText', 'deletedAt'],
};

/** The model fields to read of each kind's nodes (besides ALWAYS); a kind not given is read whole. */
export type NodeFieldSelection = Partial<Record<TimelineKind, readonly string[]>>;

/** Of the kinds that name actors, the model fields holding an actor's id. */
const ACTOR_ID_FIELDS: Partial<Record<TimelineKind, readonly string[]>> = { SHIPMENT: ['supplierId', 'recipientId'], AFFILIATION: ['actorId', 'targetId'] };

/** Of each kind, the model fields whose actors a page brings along (supplierId, targetId, …). */
export type ActorReferences = Partial<Record<TimelineKind, readonly string[]>>;

/** The actor id fields of a kind asked for (only those: they name columns in the statement). */
const actorFields = (kind: TimelineKind, actors: ActorReferences | undefined): readonly string[] =>
  (ACTOR_ID_FIELDS[kind] ?? []).filter((f) => actors?.[kind]?.includes(f));

/** A kind's fields to read, in NODE_FIELDS' order (one statement text per selection), with the actor ids asked for. */
function fieldsOf(kind: TimelineKind, selection: NodeFieldSelection | undefined, actors?: ActorReferences): readonly string[] {
  const wanted = selection?.[kind];
  if (!wanted) return NODE_FIELDS[kind].fields;
  const refs = actorFields(kind, actors);
  return NODE_FIELDS[kind].fields.filter((f) => ALWAYS[kind].includes(f) || wanted.includes(f) || refs.includes(f));
}

/** Of each included kind, the fields a page reads and their columns: worked out once per page. */
type NodeColumns = { kind: TimelineKind; table: string; fields: { field: string; column: string }[] }[];

function nodeColumnsOf(kinds: TimelineKind[], selection: NodeFieldSelection | undefined, actors: ActorReferences | undefined): NodeColumns {
  return kinds.map((kind) => ({
    kind,
    table: NODE_FIELDS[kind].table,
    fields: fieldsOf(kind, selection, actors).map((field) => ({ field, column: snake(field) })),
  }));
}

/**
 * The node columns an arm of branch `b` selects, every included kind's: its own kind's read from
 * the row the arm read, the other kinds' NULL. The first arm names them and types its NULLs (as
 * their columns), and the UNION ALL gives later arms' untyped NULLs the first arm's types. No
 * branch: the empty arm, all typed NULLs.
 */
function nodeColumns(b: Branch | null, first: boolean, nodes: NodeColumns): Prisma.Sql {
  let text = '';
  for (const { kind, table, fields } of nodes) {
    for (const { field, column } of fields) {
      const value = b?.kind === kind ? `${b.alias}.${column}` : first ? `(NULL::${table}).${column}` : 'NULL';
      text += first ? `, ${value} AS "${kind}.${field}"` : `, ${value}`;
    }
  }
  return raw(text);
}

/** The page's node columns, as the first arm named them. */
function pageColumns(nodes: NodeColumns): Prisma.Sql {
  return raw(nodes.map(({ kind, fields }) => fields.map(({ field }) => `, t."${kind}.${field}"`).join('')).join(''));
}

/**
 * A page row (alias n) as one JSON array: [kind, id, start, end, [its kind's values, in its
 * fields' order]]; JSON writes a date 'YYYY-MM-DD' or 'infinity' whatever the session's
 * DateStyle. The page travels as one text of such arrays, which JSON.parse reads natively: `pg`
 * decoding every column of every row cost the server more (docs/decisions/json-pages.md).
 */
function entryJson(nodes: NodeColumns): Prisma.Sql {
  const values = nodes.map(
    ({ kind, fields }) => `WHEN ${kindRank(kind)} THEN json_build_array(${fields.map(({ field }) => `n."${kind}.${field}"`).join(', ')})`,
  );
  return raw(`json_build_array(n.kind, n.id, n.start, n."end", CASE n.kind ${values.join(' ')} END)`);
}

/** Fields whose values are dates or instants: Dates on the node, as the pg types give them. */
const DATED = new Set(['spanStart', 'spanEnd', 'deliveryStart', 'deliveryEnd', 'createdAt', 'updatedAt', 'deletedAt']);

interface ReadFields {
  /** The fields read, in the order of the page's JSON values, and which are dates. */
  fields: string[];
  dated: boolean[];
  /** The actors brought along: the id field and the field the actor goes in. */
  actors: { id: string; as: string }[];
}

/** A kind's fields read by a page, and its actors brought along. */
function readFields(kind: TimelineKind, selection: NodeFieldSelection | undefined, actors: ActorReferences | undefined): ReadFields {
  const fields = [...fieldsOf(kind, selection, actors)];
  return {
    fields,
    dated: fields.map((f) => DATED.has(f)),
    actors: actorFields(kind, actors).map((id) => ({ id, as: id.slice(0, -'Id'.length) })),
  };
}

/**
 * The actors named by the page's nodes (the CTE `nodes`) through the given fields, as one JSON
 * array; NULL when none is asked for. Soft-deleted actors too, as the actor loader reads them.
 */
function actorsJson(kinds: TimelineKind[], actors: ActorReferences | undefined, actor: JsonRow<Actor>): Prisma.Sql {
  const columns = kinds.flatMap((k) => actorFields(k, actors).map((field) => `SELECT "${k}.${field}" FROM nodes`));
  if (!columns.length) return raw('NULL::json');
  return Prisma.sql`(SELECT json_agg(${actor.json}) FROM actors a WHERE a.id IN (${raw(columns.join(' UNION '))}))`;
}

/**
 * A kind's node from its JSON values: the fields read (a partial row when the page read a
 * selection; its dates as Dates, rowFromJson), and the actors asked for, each under its field's
 * name without "Id" (supplierId: supplier).
 */
function nodeOf(values: unknown[], read: ReadFields, actors: Map<string, Actor>): TimelineNode {
  const node = rowFromJson(read.fields, read.dated, values);
  for (const { id, as } of read.actors) node[as] = actors.get(node[id] as string);
  return node as unknown as TimelineNode;
}

// ---------------------------------------------------------------------------------------------
// Statements

export interface TimelinePageQuery {
  direction: 'forward' | 'backward';
  limit: number;
  after?: TimelineKey;
  before?: TimelineKey;
  /** Only these node fields (see NodeFieldSelection); every field when absent. */
  fields?: NodeFieldSelection;
  /** Also read the actors these fields name (the live feed only: as of an instant, the loaders read them as then). */
  actors?: ActorReferences;
  /** …these columns of them (rows.ts, `pick`); all when absent. */
  actorColumns?: Columns;
}

/** One page of the feed, the unknown actor ids and the actors asked for, in one statement. */
export async function listTimeline(db: Db, f: TimelineFilter, q: TimelinePageQuery): Promise<TimelinePageResult> {
  const dir = raw(q.direction === 'forward' ? 'ASC' : 'DESC');
  const kinds = branchesOf(f).map((b) => b.kind);
  // As of an instant or as reported by a day the loaders read the actors, marked so for their own nested fields.
  const actors = f.asOf || f.reportedBy ? undefined : q.actors;
  const nodes = nodeColumnsOf(kinds, q.fields, actors);
  const arms = armsOf(f).map(({ b, c }, i) => {
    if (q.after) c.push(...keyset(b, f, '>', q.after));
    if (q.before) c.push(...keyset(b, f, '<', q.before));
    return Prisma.sql`(${itemsOf(b, f, c, nodeColumns(b, i === 0, nodes))}
      ORDER BY ${raw(b.start)} ${dir}, ${raw(b.end)} ${dir}, ${raw(b.id)} ${dir} LIMIT ${q.limit})`;
  });
  const actor = ACTOR_ROW.pick(q.actorColumns ?? 'all');
  // The nodes numbered in feed order, sent as one JSON text with the unknown ids and the actors.
  const [row] = await onReplica(
    db,
    (r) => r.$queryRaw<{ unknownActors: number[]; actors: unknown[][] | null; page: string | null }[]>`WITH ${unknownActorsCte(f.actorIds, f.asOf)},
    page AS (SELECT * FROM (${Prisma.join(arms.length ? arms : [noArm(nodeColumns(null, true, nodes))], ' UNION ALL ')}) AS arms
      ORDER BY start ${dir}, "end" ${dir}, kind ${dir}, id ${dir} LIMIT ${q.limit}),
    nodes AS (SELECT row_number() OVER (ORDER BY t.start ${dir}, t."end" ${dir}, t.kind ${dir}, t.id ${dir}) AS ord,
        t.kind, t.id, t.start, t."end"${pageColumns(nodes)}
      FROM page t)
    SELECT u.idx AS "unknownActors", ${actorsJson(kinds, actors, actor)} AS actors,
      (SELECT string_agg(${entryJson(nodes)}::text, ',' ORDER BY n.ord) FROM nodes n) AS page
    FROM unknown u`,
    f.asOf,
  );

  // Column names built once per page, not once per field of each row.
  const fields = {
    EVENT: readFields('EVENT', q.fields, actors),
    SHIPMENT: readFields('SHIPMENT', q.fields, actors),
    AFFILIATION: readFields('AFFILIATION', q.fields, actors),
  };
  const byId = new Map((row.actors ?? []).map((values) => actor.fromJson(values)).map((a) => [a.id, a]));
  const entries = row.page === null ? [] : (JSON.parse(`[${row.page}]`) as [number, string, string, string, unknown[]][]);
  const out: TimelineRow[] = entries.map(([rank, id, start, end, values]) => {
    const kind = kindOfRank(rank);
    return { key: { start, end, kind: rank, id }, kind, node: nodeOf(values, fields[kind], byId) };
  });
  if (q.direction === 'backward') out.reverse();
  return { unknownActors: row.unknownActors, rows: out };
}

/** Number of items of the whole feed (no paging). */
export async function countTimeline(db: Db, f: TimelineFilter): Promise<number> {
  const counts = armsOf(f).map(({ b, c }) => Prisma.sql`(SELECT count(*) FROM (${itemsOf(b, f, c)}) AS items)`);
  const [row] = await onReplica(
    db,
    (r) => r.$queryRaw<{ n: number }[]>`SELECT (0 + ${Prisma.join(counts.length ? counts : [Prisma.sql`0`], ' + ')})::int AS n`,
    f.asOf,
  );
  return row.n;
}

export interface MonthCount {
  month: string;
  total: number;
  events: number;
  shipments: number;
  affiliations: number;
  spanning: number;
}

/**
 * The feed counted per calendar month (only months with items; the service fills the
 * gaps): every item in each month its span overlaps, clipped to [from, to].
 */
export async function countTimelineMonths(db: Db, f: TimelineFilter): Promise<{ unknownActors: number[]; months: MonthCount[] }> {
  const items = armsOf(f).map(({ b, c }) => {
    if (b.kind === 'AFFILIATION') c.push(Prisma.sql`f.span_start IS NOT NULL`); // undated: in no month
    return Prisma.sql`(SELECT kind, start, "end" FROM (${itemsOf(b, f, c)}) AS items)`;
  });
  // greatest/least ignore NULL, so a missing bound leaves the span as it is.
  const rows = await onReplica(
    db,
    (r) => r.$queryRaw<(MonthCount & { unknownActors: number[] })[]>`WITH ${unknownActorsCte(f.actorIds, f.asOf)},
    items AS (${Prisma.join(items.length ? items : [noArm()], ' UNION ALL ')}),
    months AS (
      SELECT to_char(g.m, 'YYYY-MM') AS month,
        count(*)::int AS total,
        (count(*) FILTER (WHERE i.kind = 0))::int AS events,
        (count(*) FILTER (WHERE i.kind = 1))::int AS shipments,
        (count(*) FILTER (WHERE i.kind = 2))::int AS affiliations,
        (count(*) FILTER (WHERE date_trunc('month', i.start::timestamp) <> date_trunc('month', i."end"::timestamp)))::int AS spanning
      FROM items i
      CROSS JOIN LATERAL generate_series(
        date_trunc('month', greatest(i.start, ${f.from ?? null}::date)::timestamp),
        date_trunc('month', least(i."end", ${f.to ?? null}::date)::timestamp),
        interval '1 month') AS g(m)
      GROUP BY 1)
    SELECT u.idx AS "unknownActors", m.* FROM unknown u LEFT JOIN months m ON true ORDER BY m.month`,
    f.asOf,
  );
  return {
    unknownActors: rows[0]?.unknownActors ?? [],
    months: rows.filter((r) => r.month !== null).map(({ unknownActors: _, ...m }) => m),
  };
}
