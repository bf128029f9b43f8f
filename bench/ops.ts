// The canonical operations of the benchmark (issue #7), as GraphQL requests over parameters
// discovered in the loaded database (the busiest actor, the busiest pair, an alias, …).
import type { Pool } from 'pg';

export interface BenchParams {
  /** An existing alias (exact-match lookup). */
  alias: string;
  /** Actor with the most event participations. */
  busiest: string;
  /** The two busiest actors (the pair with the most common events among the five busiest). */
  pair: [string, string];
  pairCommonEvents: number;
  eventType: string;
  /** A 3-month window [from, to]. */
  window: { from: string; to: string };
  /** The ten-year report window. */
  years: { from: string; to: string };
  /** The shipment report is narrowed to the busiest supplier and four busy recipients (see bench/README.md: the bucket limit). */
  reportSuppliers: string[];
  reportRecipients: string[];
  /** Shipments updated by the mutation mix. */
  shipmentIds: string[];
  /** Participants of the events the mutation mix creates. */
  participantIds: string[];
}

export interface GqlRequest {
  query: string;
  variables?: Record<string, unknown>;
  /** Needs the EDITOR key. */
  mutation?: boolean;
}

export interface Operation {
  id: string;
  title: string;
  kind: 'lookup' | 'timeline' | 'list' | 'report' | 'mix';
  /**
   * The requests one "iteration" sends, in order (one, except the mix). `vary(i)` may
   * return a fresh request for the i-th time an entry is sent (mutations change data).
   */
  requests: { request: GqlRequest; vary?: (i: number) => GqlRequest }[];
}

const LOOKUP = `query Lookup($q: String!) { actors(search: $q, first: 10) {
  edges { cursor node { id name kind countryCode aliases } } pageInfo { hasNextPage endCursor } } }`;

const TIMELINE = `query Timeline($ids: [ID!]!, $match: TimelineMatch, $first: Int, $after: String) {
  timeline(actorIds: $ids, match: $match, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { cursor kind at { start end precision }
      node {
        ... on Event { id type title confidence }
        ... on Shipment { id category quantity unit status supplier { id name } recipient { id name } }
        ... on Affiliation { id role actor { id name } target { id name } }
      } } } }`;

const EVENTS = `query Events($types: [EventType!], $from: Date, $to: Date) {
  events(filter: { types: $types, from: $from, to: $to }, first: 50) {
    pageInfo { hasNextPage endCursor }
    edges { node { id type title confidence date { start end precision text }
      participants { role actor { id name } }
      citations { excerpt credibility source { id title publisher } } } } } }`;

const SHIPMENT_REPORT = `query Report($from: Date!, $to: Date!, $suppliers: [ID!], $recipients: [ID!]) {
  shipmentReport(from: $from, to: $to, granularity: MONTH, groupBy: [SUPPLIER, RECIPIENT],
                 filter: { supplierIds: $suppliers, recipientIds: $recipients }) {
    start end
    buckets { period supplier { id name } recipient { id name } unit shipments quantity unknownQuantity }
    totals { supplier { id name } recipient { id name } unit shipments quantity unknownQuantity } } }`;

// The same report as 5, as series: each group named once, its figures per period in lists.
const SHIPMENT_SERIES = `query ReportSeries($from: Date!, $to: Date!, $suppliers: [ID!], $recipients: [ID!]) {
  shipmentReport(from: $from, to: $to, granularity: MONTH, groupBy: [SUPPLIER, RECIPIENT],
                 filter: { supplierIds: $suppliers, recipientIds: $recipients }) {
    start end periods { label }
    series { supplier { id name } recipient { id name } unit shipments quantity unknownQuantity }
    totals { supplier { id name } recipient { id name } unit shipments quantity unknownQuantity } } }`;

// At the peer's work (P5n): every recipient of the supplier, by month of delivery start (START),
// only the months with shipments (fill: NONE), the best values' sum and the shipments.
const SHIPMENT_SPARSE = `query ReportSparse($from: Date!, $to: Date!, $suppliers: [ID!]) {
  shipmentReport(from: $from, to: $to, granularity: MONTH, groupBy: [SUPPLIER, RECIPIENT], attribution: START, fill: NONE,
                 filter: { supplierIds: $suppliers }) {
    buckets { period recipient { id } unit shipments quantity } } }`;

const EVENT_STATS = `query Stats($from: Date!, $to: Date!) {
  eventStats(from: $from, to: $to, granularity: MONTH, groupBy: [TYPE]) { period start end type events } }`;

const CREATE_EVENT = `mutation Create($input: CreateEventInput!) { createEvent(input: $input) { id } }`;
const UPDATE_SHIPMENT = `mutation Update($id: ID!, $input: UpdateShipmentInput!) { updateShipment(id: $id, input: $input) { id quantity } }`;

// The actor's events alone, as the peer's P2a reads them (its participations with their events):
// the like-for-like comparison, where 2a also merges shipments and affiliations.
const TIMELINE_EVENTS = `query TimelineEvents($ids: [ID!]!, $first: Int) {
  timeline(actorIds: $ids, include: [EVENT], first: $first) {
    pageInfo { hasNextPage endCursor }
    edges { cursor kind at { start end precision } node { ... on Event { id type title confidence } } } } }`;

// Every request a document the server has not seen (the first timeline page, a comment apart),
// its events' fields one of 256 selections, so its SQL one of 256 statements: what a
// playground's users, or a client that builds its queries, send. What the server keeps per
// document and PostgreSQL per prepared statement must stay bounded (src/graphql/apollo.ts,
// src/db/client.ts); the other operations send one document each, over and over.
const EVENT_FIELDS = ['type', 'title', 'description', 'location { name }', 'confidence', 'createdAt', 'updatedAt', 'date { text }'];

export function distinctTimelineRequest(actorId: string, i: number): GqlRequest {
  const fields = EVENT_FIELDS.filter((_, bit) => i & (1 << bit)).join(' ');
  return {
    query: `query Distinct($ids: [ID!]!) { timeline(actorIds: $ids, first: 50) {
    edges { cursor node { ... on Event { id ${fields} } ... on Shipment { id } ... on Affiliation { id } } } } }
# ${i}`,
    variables: { ids: [actorId] },
  };
}

export function timelineRequest(ids: string[], match: 'ANY' | 'ALL', after?: string | null): GqlRequest {
  return { query: TIMELINE, variables: { ids, match, first: 50, ...(after ? { after } : {}) } };
}

function createEvent(p: BenchParams, i: number): GqlRequest {
  const a = p.participantIds[i % p.participantIds.length];
  const b = p.participantIds[(i + 1) % p.participantIds.length];
  return {
    mutation: true,
    query: CREATE_EVENT,
    variables: {
      input: {
        type: 'MEETING',
        title: `bench meeting ${i}`,
        date: { edtf: '2023-09-13' },
        confidence: 'REPORTED',
        participants: [{ actorId: a, role: 'INITIATOR' }, ...(b !== a ? [{ actorId: b, role: 'TARGET' }] : [])],
      },
    },
  };
}

function updateShipment(p: BenchParams, i: number): GqlRequest {
  return {
    mutation: true,
    query: UPDATE_SHIPMENT,
    variables: { id: p.shipmentIds[i % p.shipmentIds.length], input: { quantity: 100 + (i % 1000), unit: 'rounds' } },
  };
}

/**
 * The operations. `deepCursor` is the cursor after the 1,000th item of the busiest actor's
 * timeline (found by paging through it: see deepCursor()).
 */
const WINDOWED_TIMELINE = `query WindowedTimeline($ids: [ID!]!, $from: Date, $to: Date) {
  timeline(actorIds: $ids, from: $from, to: $to, first: 50) {
    edges { kind node { ... on Event { id title } ... on Shipment { id quantity } ... on Affiliation { id } } } } }`;

const WINDOWED_REPORT = `query WindowedReport($from: Date!, $to: Date!) {
  shipmentReport(from: $from, to: $to, granularity: WEEK, groupBy: [CATEGORY]) { buckets { period category shipments quantity } } }`;

/**
 * Windowed reads of the partitioned tables themselves, for --explain (partition pruning): the
 * busiest actor's timeline over the 3-month window, and a weekly shipment report over it (weeks
 * are not whole months: computed from the shipments, not the monthly rollups).
 */
export function windowedRequests(p: BenchParams): { title: string; request: GqlRequest }[] {
  return [
    { title: 'windowed timeline (busiest actor, 3 months)', request: { query: WINDOWED_TIMELINE, variables: { ids: [p.busiest], ...p.window } } },
    { title: 'windowed shipment report (weekly, by category, 3 months)', request: { query: WINDOWED_REPORT, variables: p.window } },
  ];
}

export function operations(p: BenchParams, deepCursor: string | null): Operation[] {
  const lookup: GqlRequest = { query: LOOKUP, variables: { q: p.alias } };
  const first = timelineRequest([p.busiest], 'ANY');
  const pair = timelineRequest(p.pair, 'ALL');
  const reportVariables = { ...p.years, suppliers: p.reportSuppliers, recipients: p.reportRecipients };
  const events: GqlRequest = { query: EVENTS, variables: { types: [p.eventType], from: p.window.from, to: p.window.to } };
  // The mix: 9 reads (the interactive operations) and 1 write in 10, the writes alternating
  // between creating an event with participants and updating a shipment.
  let writes = 0;
  let distinct = 0;
  const write = { request: createEvent(p, 0), vary: () => (writes++ % 2 === 0 ? createEvent(p, writes) : updateShipment(p, writes)) };
  return [
    { id: '1', title: 'actor lookup by alias, first 10', kind: 'lookup', requests: [{ request: lookup }] },
    { id: '2a', title: 'timeline, busiest actor, first page (50)', kind: 'timeline', requests: [{ request: first }] },
    {
      id: '2b',
      title: 'timeline, busiest actor, page after item 1,000',
      kind: 'timeline',
      requests: [{ request: timelineRequest([p.busiest], 'ANY', deepCursor) }],
    },
    {
      id: '2e',
      title: 'timeline, busiest actor, events only, first page (50)',
      kind: 'timeline',
      requests: [{ request: { query: TIMELINE_EVENTS, variables: { ids: [p.busiest], first: 50 } } }],
    },
    { id: '3', title: 'timeline match ALL, busiest pair (50)', kind: 'timeline', requests: [{ request: pair }] },
    { id: '4', title: 'events by type + 3 months, 50 with participants, citations', kind: 'list', requests: [{ request: events }] },
    {
      id: '5',
      title: 'shipmentReport monthly, 10 years, by supplier+recipient (1 supplier x 4 recipients)',
      kind: 'report',
      requests: [{ request: { query: SHIPMENT_REPORT, variables: reportVariables } }],
    },
    {
      id: '5s',
      title: 'the same report as series (each group once, figures per period in lists)',
      kind: 'report',
      requests: [{ request: { query: SHIPMENT_SERIES, variables: reportVariables } }],
    },
    {
      id: '5n',
      title: "the report at the peer's work: every recipient, START, no gap filling (fill: NONE)",
      kind: 'report',
      requests: [{ request: { query: SHIPMENT_SPARSE, variables: { ...p.years, suppliers: p.reportSuppliers } } }],
    },
    { id: '6', title: 'eventStats by type and month, 10 years', kind: 'report', requests: [{ request: { query: EVENT_STATS, variables: p.years } }] },
    {
      id: '7',
      title: 'mix: 90% reads (1, 2a, 3, 4), 10% writes (createEvent / updateShipment)',
      kind: 'mix',
      requests: [
        { request: lookup },
        { request: first },
        { request: events },
        { request: pair },
        { request: lookup },
        { request: first },
        { request: events },
        { request: lookup },
        { request: first },
        write,
      ],
    },
    {
      id: '8',
      title: 'distinct documents: 2a-like pages, each request a new document, its event fields one of 256',
      kind: 'timeline',
      requests: [{ request: distinctTimelineRequest(p.busiest, 0), vary: () => distinctTimelineRequest(p.busiest, ++distinct) }],
    },
  ];
}

/** The cursor after the `items`-th item of the actor's timeline (paging through it 50 at a time). */
export async function deepCursor(send: (r: GqlRequest) => Promise<Record<string, unknown>>, actorId: string, items: number): Promise<string | null> {
  let after: string | null = null;
  for (let seen = 0; seen < items; seen += 50) {
    const data = (await send(timelineRequest([actorId], 'ANY', after))) as { timeline: { pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
    after = data.timeline.pageInfo.endCursor;
    if (!data.timeline.pageInfo.hasNextPage) break;
  }
  return after;
}

/** Finds the benchmark's parameters in a loaded database. */
export async function discoverParams(pool: Pool): Promise<BenchParams> {
  const one = async <T>(sql: string, params: unknown[] = []): Promise<T> => {
    const { rows } = await pool.query(sql, params);
    if (!rows[0]) throw new Error(`no row for: ${sql}`);
    return rows[0] as T;
  };
  const top = (
    await pool.query<{ actor_id: string }>(
      `SELECT p.actor_id FROM event_participants p JOIN actors a ON a.id = p.actor_id AND a.deleted_at IS NULL
       GROUP BY p.actor_id ORDER BY count(*) DESC, p.actor_id LIMIT 5`,
    )
  ).rows.map((r) => r.actor_id);
  if (top.length < 2) throw new Error('the database needs events with at least two actors');
  // The busiest pair among the five busiest actors: the most events in common.
  const pair = await one<{ a: string; b: string; n: number }>(
    `SELECT x.actor_id AS a, y.actor_id AS b, count(*)::int AS n
     FROM event_participants x JOIN event_participants y ON y.event_id = x.event_id AND y.actor_id > x.actor_id
     WHERE x.actor_id = ANY($1::uuid[]) AND y.actor_id = ANY($1::uuid[])
     GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 1`,
    [top],
  );
  // An alias that is not the actor's name, of an actor in the middle of the list.
  const alias = await one<{ alias: string }>(
    `SELECT al.alias FROM actor_aliases al JOIN actors a ON a.id = al.actor_id
     WHERE a.deleted_at IS NULL AND al.alias <> a.name ORDER BY al.alias LIMIT 1 OFFSET (
       SELECT count(*) / 2 FROM actor_aliases al2 JOIN actors a2 ON a2.id = al2.actor_id WHERE al2.alias <> a2.name)`,
  );
  // The most common event type, and a 3-month window in the middle of the data.
  const type = await one<{ type: string }>(`SELECT type::text FROM events WHERE deleted_at IS NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`);
  const mid = await one<{ d: string }>(
    `SELECT to_char(date_trunc('month', percentile_disc(0.5) WITHIN GROUP (ORDER BY span_start)), 'YYYY-MM-DD') AS d FROM events`,
  );
  const end = await one<{ d: string }>(`SELECT to_char(($1::date + interval '3 months' - interval '1 day')::date, 'YYYY-MM-DD') AS d`, [mid.d]);
  const shipments = (await pool.query<{ id: string }>(`SELECT id FROM shipments WHERE deleted_at IS NULL AND unit IS NOT NULL ORDER BY id LIMIT 20`)).rows.map(
    (r) => r.id,
  );
  const participants = (await pool.query<{ id: string }>(`SELECT id FROM actors WHERE deleted_at IS NULL ORDER BY id LIMIT 20`)).rows.map((r) => r.id);
  return {
    alias: alias.alias,
    busiest: top[0],
    pair: [pair.a, pair.b],
    pairCommonEvents: pair.n,
    eventType: type.type,
    window: { from: mid.d, to: end.d },
    years: { from: '2015-01-01', to: '2024-12-31' },
    reportSuppliers: top.slice(0, 1),
    reportRecipients: top.slice(1, 5),
    shipmentIds: shipments,
    participantIds: participants,
  };
}
