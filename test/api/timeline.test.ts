// The timeline feed over HTTP against a real database (TEST_DATABASE_URL's PostgreSQL or the suite's embedded one):
// the seeded DPRK–Russia pair, ANY/ALL, window edges, paging invariance (forward
// and backward, random page sizes, inserts between pages), errors and months.
import crypto from 'node:crypto';
import { dateToUtc } from '../../src/domain/dateSpan';
import { bucketByMonth, compareKeys, kindRank, UNDATED, type TimelineKey, type TimelineKind } from '../../src/domain/timeline';
import type { Actor, PrismaClient } from '../../src/generated/prisma/client';
import { rowsByIds } from '../../src/db/queries/history';
import { ACTOR_ROW } from '../../src/db/queries/rows';
import { listTimeline, type TimelineRow } from '../../src/db/queries/timeline';
import { deleteEvent } from '../../src/services/events';
import { actorId, affiliationId, eventId, shipmentId } from '../../seed/ids';
import { startTestServer, type TestServer } from '../support/server';
// A seeded PRNG, so every run pages with the same "random" sizes.
import { prng } from '../../src/ingest/synth';

let server: TestServer;
let prisma: PrismaClient;

const FEED_FIELDS = `pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  edges { cursor kind at { start end precision } node { __typename ... on Event { id title } ... on Shipment { id } ... on Affiliation { id } } }`;
const ARGS = `$ids: [ID!]!, $match: TimelineMatch, $from: Date, $to: Date, $window: TimelineWindow, $include: [TimelineKind!],
  $types: [EventType!], $minConfidence: Confidence`;
const PASS = `actorIds: $ids, match: $match, from: $from, to: $to, window: $window, include: $include, types: $types,
  minConfidence: $minConfidence`;
const FEED = `query(${ARGS}, $first: Int, $after: String, $last: Int, $before: String) {
  timeline(${PASS}, first: $first, after: $after, last: $last, before: $before) { ${FEED_FIELDS} } }`;
const FEED_COUNTED = `query(${ARGS}, $first: Int, $after: String, $last: Int, $before: String) {
  timeline(${PASS}, first: $first, after: $after, last: $last, before: $before) { totalCount ${FEED_FIELDS} } }`;
const MONTHS = `query(${ARGS}) { timelineMonths(${PASS}) { month start end total events shipments affiliations spanning } }`;

interface Filter {
  ids: string[];
  match?: 'ANY' | 'ALL';
  from?: string;
  to?: string;
  window?: 'OVERLAPS' | 'WITHIN';
  include?: TimelineKind[];
  types?: string[];
  minConfidence?: string;
}

interface Edge {
  cursor: string;
  kind: TimelineKind;
  at: { start: string; end: string; precision: string } | null;
  node: { __typename: string; id: string; title?: string };
}

interface Page {
  totalCount?: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: Edge[];
}

async function timeline(filter: Filter, page: { first?: number; after?: string; last?: number; before?: string } = {}, counted = false) {
  const res = await server.gql<{ timeline: Page }>(counted ? FEED_COUNTED : FEED, { ...filter, ...page });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!.timeline;
}

/** The whole feed in one page. */
const everything = async (filter: Filter) => (await timeline(filter, { first: 500 })).edges;
const ids = (edges: Edge[]) => edges.map((e) => e.node.id);
const keyOf = (e: Edge): TimelineKey => ({
  start: e.at?.start ?? UNDATED,
  end: e.at?.end ?? UNDATED,
  kind: kindRank(e.kind),
  id: e.node.id,
});

const randInt = (rand: () => number, lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

/** Pages through a feed forward (first/after) or backward (last/before) with the given page sizes (cycled), returning every edge in feed order. */
async function pageThrough(forward: boolean, filter: Filter, sizes: () => number): Promise<Edge[]> {
  const out: Edge[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const page = await timeline(filter, forward ? { first: sizes(), after: cursor } : { last: sizes(), before: cursor });
    if (forward) out.push(...page.edges);
    else out.unshift(...page.edges);
    // The far side has pages exactly when a cursor was given; the near side ends the walk.
    expect(forward ? page.pageInfo.hasPreviousPage : page.pageInfo.hasNextPage).toBe(cursor !== undefined);
    if (!(forward ? page.pageInfo.hasNextPage : page.pageInfo.hasPreviousPage)) return out;
    cursor = (forward ? page.pageInfo.endCursor : page.pageInfo.startCursor)!;
  }
  throw new Error('paging did not end');
}
const pageForward = (filter: Filter, sizes: () => number) => pageThrough(true, filter, sizes);
const pageBackward = (filter: Filter, sizes: () => number) => pageThrough(false, filter, sizes);

// ---------------------------------------------------------------------------------------------
// Fixtures written straight through Prisma (the mutations are tested elsewhere)

const uuid = () => crypto.randomUUID();

async function createActor(name: string): Promise<string> {
  const a = await prisma.actor.create({ data: { name: `${name} ${uuid().slice(0, 8)}`, kind: 'ORGANIZATION' } });
  return a.id;
}

interface Spec {
  start: string;
  end: string;
  id?: string;
}

async function addEvent(actors: string[], span: Spec, extra: { type?: 'MEETING' | 'STATEMENT'; confidence?: 'CONFIRMED' | 'ALLEGED' } = {}) {
  const id = span.id ?? uuid();
  await prisma.event.create({
    data: {
      id,
      type: extra.type ?? 'MEETING',
      title: `event ${span.start}..${span.end}`,
      spanStart: dateToUtc(span.start),
      spanEnd: dateToUtc(span.end),
      spanPrecision: span.start === span.end ? 'DAY' : 'RANGE',
      confidence: extra.confidence ?? 'REPORTED',
      participants: { create: actors.map((actorId) => ({ actorId, role: 'PARTICIPANT' as const })) },
    },
  });
  return id;
}

async function addShipment(supplierId: string, recipientId: string, span: Spec) {
  const id = span.id ?? uuid();
  await prisma.shipment.create({
    data: {
      id,
      supplierId,
      recipientId,
      category: 'OTHER',
      deliveryStart: dateToUtc(span.start),
      deliveryEnd: dateToUtc(span.end),
      deliveryPrecision: span.start === span.end ? 'DAY' : 'RANGE',
      status: 'REPORTED',
      confidence: 'REPORTED',
    },
  });
  return id;
}

async function addAffiliation(actorId: string, targetId: string, span: Spec | null, id = uuid()) {
  await prisma.affiliation.create({
    data: {
      id,
      actorId,
      targetId,
      role: 'MEMBER_OF',
      ...(span && {
        spanStart: dateToUtc(span.start),
        spanEnd: dateToUtc(span.end),
        spanPrecision: span.start === span.end ? 'DAY' : 'RANGE',
      }),
    },
  });
  return id;
}

beforeAll(async () => {
  server = await startTestServer({ seedOnStart: true });
  prisma = server.db.prisma;
});
afterAll(() => server.stop());

const DPRK = actorId('dprk');
const RUSSIA = actorId('russia');

// ---------------------------------------------------------------------------------------------

describe('the seeded article', () => {
  it('gives the DPRK–Russia pair (match: ALL) in the documented order', async () => {
    const page = await timeline({ ids: [DPRK, RUSSIA], match: 'ALL' }, { first: 50 }, true);
    const feed = page.edges.map((e) => `${e.at!.start}..${e.at!.end} ${e.kind} ${e.node.id}`);
    // Start, then end (narrower first), then kind (EVENT < SHIPMENT < AFFILIATION), then id.
    // Undated statements ("on or before" the publication window's end, /2023-10-31) sit on that
    // known end; the ammunition "for almost two years" (2022~/..) on 2022; the food deliveries
    // (2023-09-11/, end unknown) on their known start.
    const expected: [string, TimelineKind, string][] = [
      ['2022-01-01..2022-12-31', 'SHIPMENT', shipmentId('dprk-russia-mlrs-ammunition')],
      ['2022-01-01..2022-12-31', 'SHIPMENT', shipmentId('dprk-russia-artillery-ammunition')],
      ['2023-07-01..2023-07-31', 'EVENT', eventId('shoigu-visits-dprk')],
      ['2023-07-01..2023-07-31', 'EVENT', eventId('shoigu-meets-dprk-defence-minister')],
      ['2023-08-01..2023-08-31', 'EVENT', eventId('white-house-accuses-russia-munitions')],
      ['2023-09-07..2023-10-01', 'SHIPMENT', shipmentId('dprk-russia-1000-containers')],
      ['2023-09-11..2023-09-11', 'EVENT', eventId('kim-train-to-vladivostok')],
      ['2023-09-11..2023-09-11', 'SHIPMENT', shipmentId('russia-dprk-food')],
      ['2023-09-13..2023-09-13', 'EVENT', eventId('kim-putin-vostochny-meeting')],
      ['2023-10-06..2023-10-06', 'EVENT', eventId('rumours-artillery-transfer-start')],
      ['2023-10-07..2023-10-07', 'EVENT', eventId('satellite-border-traffic')],
      ['2023-10-13..2023-10-13', 'EVENT', eventId('white-house-1000-containers-report')],
      ['2023-10-31..2023-10-31', 'EVENT', eventId('kraiev-weapons-for-food')],
      ['2023-10-31..2023-10-31', 'EVENT', eventId('musienko-russia-turns-to-dprk-and-iran')],
      ['2023-10-31..2023-10-31', 'EVENT', eventId('hrytsenko-espreso-tv-statement')],
      ['2023-10-31..2023-10-31', 'EVENT', eventId('kirby-talks-actively-progressing')],
    ];
    expect(feed).toEqual(expected.map(([span, kind, id]) => `${span} ${kind} ${id}`));
    expect(page.totalCount).toBe(expected.length);
    expect(page.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
    // The two same-span shipments tie on start, end and kind: the id decides.
    expect(shipmentId('dprk-russia-mlrs-ammunition') < shipmentId('dprk-russia-artillery-ammunition')).toBe(true);
    // The Shoigu visit and meeting tie likewise.
    expect(eventId('shoigu-visits-dprk') < eventId('shoigu-meets-dprk-defence-minister')).toBe(true);
  });

  it('answers ANY with every item of either actor, ALL with those of both', async () => {
    const any = await everything({ ids: [DPRK, RUSSIA] });
    const all = await everything({ ids: [DPRK, RUSSIA], match: 'ALL' });
    const dprk = await everything({ ids: [DPRK] });
    const russia = await everything({ ids: [RUSSIA] });
    const union = new Set([...ids(dprk), ...ids(russia)]);
    const both = ids(dprk).filter((id) => ids(russia).includes(id));
    expect(new Set(ids(any))).toEqual(union);
    expect(ids(any)).toHaveLength(union.size); // no item twice (e.g. a DPRK→Russia shipment)
    expect(new Set(ids(all))).toEqual(new Set(both));
    expect(ids(all)).toEqual(ids(any).filter((id) => both.includes(id))); // same order
    // Items of one side only are in ANY, not in ALL.
    for (const only of [eventId('south-korea-hints-sanctions-on-russia'), eventId('us-sanctions-russian-citizens')]) {
      expect(ids(any)).toContain(only);
      expect(ids(all)).not.toContain(only);
    }
    // Undated affiliations (Putin leads Russia, Kim leads the DPRK) come last, with no span.
    const tail = any.slice(-any.filter((e) => e.kind === 'AFFILIATION').length);
    expect(tail.every((e) => e.kind === 'AFFILIATION' && e.at === null)).toBe(true);
    expect(ids(tail)).toEqual(expect.arrayContaining([affiliationId('vladimir-putin-leader-of-russia'), affiliationId('kim-jong-un-leader-of-dprk')]));
    // ALL over one actor is ANY over it; over a person, a state and another state only events can match.
    expect(ids(await everything({ ids: [DPRK], match: 'ALL' }))).toEqual(ids(dprk));
    const trio = await everything({ ids: [DPRK, RUSSIA, actorId('kim-jong-un')], match: 'ALL' });
    expect(ids(trio)).toEqual([
      eventId('kim-train-to-vladivostok'),
      eventId('kim-putin-vostochny-meeting'),
      eventId('hrytsenko-espreso-tv-statement'), // Kim is its subject
    ]);
  });

  it('narrows by kind, event type and confidence', async () => {
    const pair = { ids: [DPRK, RUSSIA], match: 'ALL' as const };
    const shipments = await everything({ ...pair, include: ['SHIPMENT'] });
    expect(shipments.map((e) => e.kind)).toEqual(['SHIPMENT', 'SHIPMENT', 'SHIPMENT', 'SHIPMENT']);
    const meetings = await everything({ ...pair, include: ['EVENT'], types: ['MEETING'] });
    expect(ids(meetings)).toEqual([eventId('shoigu-meets-dprk-defence-minister'), eventId('kim-putin-vostochny-meeting')]);
    const all = await everything(pair);
    const confirmed = await everything({ ...pair, minConfidence: 'CONFIRMED' });
    expect(confirmed.length).toBeLessThan(all.length);
    expect(ids(all)).toEqual(expect.arrayContaining(ids(confirmed)));
  });

  it("reads every kind's fields from its own rows, whichever kinds are included", async () => {
    // Each arm of the page's statement carries its nodes' columns and NULLs for the other kinds'
    // (typed by the first arm): any subset of kinds, in any order of arms, gives the same nodes.
    const RICH = `query($ids: [ID!]!, $include: [TimelineKind!]) { timeline(actorIds: $ids, include: $include, first: 500) {
      edges { kind at { start end precision text } node {
        ... on Event { id type title description confidence location { name countryCode latitude longitude } }
        ... on Shipment { id category description quantity unit status route supplier { id } recipient { id } }
        ... on Affiliation { id role affiliationTitle: title confidence actor { id } target { id } } } } } }`;
    const read = async (include?: TimelineKind[]) => {
      const res = await server.gql<{ timeline: { edges: Edge[] } }>(RICH, { ids: [DPRK, RUSSIA], include });
      if (res.errors) throw new Error(JSON.stringify(res.errors));
      return res.data!.timeline.edges;
    };
    const whole = await read();
    expect(new Set(whole.map((e) => e.kind))).toEqual(new Set(['EVENT', 'SHIPMENT', 'AFFILIATION']));
    const subsets: TimelineKind[][] = [['EVENT'], ['SHIPMENT'], ['AFFILIATION'], ['EVENT', 'SHIPMENT'], ['EVENT', 'AFFILIATION'], ['SHIPMENT', 'AFFILIATION']];
    for (const kinds of subsets) {
      expect(await read(kinds)).toEqual(whole.filter((e) => kinds.includes(e.kind)));
    }
  });

  it('counts the pair per month, each item in every month it overlaps', async () => {
    const res = await server.gql(MONTHS, { ids: [DPRK, RUSSIA], match: 'ALL', from: '2023-07-01', to: '2023-12-31' });
    const months = res.data.timelineMonths;
    // Nothing reaches November or December: the food deliveries' unknown end is not extended.
    expect(months.map((m: any) => m.month)).toEqual(['2023-07', '2023-08', '2023-09', '2023-10']);
    // July: Shoigu's visit and meeting ("In July": the month itself, no more).
    expect(months[0]).toEqual({
      month: '2023-07',
      start: '2023-07-01',
      end: '2023-07-31',
      total: 2,
      events: 2,
      shipments: 0,
      affiliations: 0,
      spanning: 0,
    });
    // October: the containers (to October 1), three dated reports and the four undated statements.
    expect(months[3]).toMatchObject({ total: 8, events: 7, shipments: 1, spanning: 1 });
    const feed = await everything({ ids: [DPRK, RUSSIA], match: 'ALL', from: '2023-07-01', to: '2023-12-31' });
    expect(months).toEqual(
      bucketByMonth(
        feed.map((e) => ({ kind: e.kind, span: e.at })),
        '2023-07-01',
        '2023-12-31',
      ),
    );
  });

  it('WITHIN a window: only what is certainly in it, never a span with an open or unknown end', async () => {
    const pair = { ids: [DPRK, RUSSIA], match: 'ALL' as const, window: 'WITHIN' as const };
    // September: Kim's train and the Vostochny meeting; not the food deliveries (from 2023-09-11, end unknown).
    expect(ids(await everything({ ...pair, from: '2023-09-01', to: '2023-09-30' }))).toEqual([
      eventId('kim-train-to-vladivostok'),
      eventId('kim-putin-vostochny-meeting'),
    ]);
    // October: the three dated reports; not the statements "on or before" 2023-10-31 (start unknown).
    expect(ids(await everything({ ...pair, from: '2023-10-01', to: '2023-10-31' }))).toEqual([
      eventId('rumours-artillery-transfer-start'),
      eventId('satellite-border-traffic'),
      eventId('white-house-1000-containers-report'),
    ]);
    // OVERLAPS (the default) still places them on their known side.
    expect(ids(await everything({ ids: [DPRK, RUSSIA], match: 'ALL', from: '2023-09-01', to: '2023-09-30' }))).toContain(shipmentId('russia-dprk-food'));
  });

  it('reads a page in one SQL statement', async () => {
    const before = server.db.statements!.count();
    await timeline({ ids: [DPRK, RUSSIA] }, { first: 5 });
    expect(server.db.statements!.count() - before).toBe(1);
  });

  it("brings the actors its shipments and affiliations name in the page's statement: each as the actor read alone", async () => {
    const ACTOR = 'id name kind countryCode description aliases';
    // Through a fragment and field aliases too, and read backwards: the selection is what the query asks.
    const query = `query($ids: [ID!]!, $first: Int, $last: Int) { timeline(actorIds: $ids, first: $first, last: $last) {
      edges { kind node { ... on Shipment { id from: supplier { ...a } to: recipient { ${ACTOR} } }
                          ... on Affiliation { id actor { ...a } target { ${ACTOR} } } } } } }
      fragment a on Actor { ${ACTOR} }`;
    type Node = Record<'from' | 'to' | 'actor' | 'target', Record<string, unknown> | undefined>;
    for (const page of [{ first: 100 }, { last: 30 }]) {
      const before = server.db.statements!.count();
      const res = await server.gql<{ timeline: { edges: { kind: string; node: Node }[] } }>(query, { ids: [DPRK], ...page });
      expect(res.errors).toBeUndefined();
      const named = res.data!.timeline.edges.flatMap(({ node }) => [node.from, node.to, node.actor, node.target].filter((a) => a !== undefined));
      expect(new Set(res.data!.timeline.edges.map((e) => e.kind))).toEqual(new Set(['EVENT', 'SHIPMENT', 'AFFILIATION']));
      expect(named.length).toBeGreaterThan(3);
      // The page (aliases: one more, through their loader).
      expect(server.db.statements!.count() - before).toBe(2);
      for (const actor of named) {
        const alone = await server.gql(`query($id: ID!) { actor(id: $id) { ${ACTOR} } }`, { id: actor!.id });
        expect(actor).toEqual(alone.data!.actor);
      }
    }
  });

  it("reads the page's actors as the actor loader reads them", async () => {
    const f = { actorIds: [DPRK], match: 'ANY' as const, window: 'OVERLAPS' as const, kinds: ['EVENT', 'SHIPMENT', 'AFFILIATION'] as TimelineKind[] };
    const refs = { SHIPMENT: ['supplierId', 'recipientId'], AFFILIATION: ['actorId', 'targetId'] };
    // Each node with the actors its id fields name, under the field's name without "Id".
    const brought = (rows: TimelineRow[]) =>
      rows.flatMap(({ node }) =>
        'supplierId' in node
          ? [
              [node.supplierId, node.supplier],
              [node.recipientId, node.recipient],
            ]
          : 'targetId' in node
            ? [
                [node.actorId, node.actor],
                [node.targetId, node.target],
              ]
            : [],
      );
    const page = brought((await listTimeline(server.db, f, { direction: 'forward', limit: 100, actors: refs })).rows);
    expect(new Set(page.map(([id]) => id)).size).toBeGreaterThan(2);
    const loaded = await rowsByIds<Actor>(
      server.db,
      { table: 'actors', alias: 'a', columns: ACTOR_ROW.columns, column: 'id' },
      page.map(([id]) => id as string),
      null,
    );
    const byId = new Map(loaded.map((a) => [a.id, a]));
    for (const [id, actor] of page) expect(actor).toEqual(byId.get(id as string));
    expect((page[0][1] as Actor).createdAt).toBeInstanceOf(Date);
    // Not asked, not read; as of an instant, left to the loaders (which read the actors as then).
    for (const asOf of [undefined, new Date().toISOString()]) {
      const rows = (await listTimeline(server.db, { ...f, asOf }, { direction: 'forward', limit: 100, actors: asOf ? refs : undefined })).rows;
      expect(brought(rows).length).toBeGreaterThan(0);
      expect(brought(rows).every(([, actor]) => actor === undefined)).toBe(true);
    }
  });
});

describe('windows', () => {
  const FROM = '2024-03-10';
  const TO = '2024-03-20';
  let actor: string;
  let other: string;
  const items: Record<string, string> = {};

  beforeAll(async () => {
    actor = await createActor('window');
    other = await createActor('window-other');
    const spans: Record<string, Spec> = {
      endsDayBeforeFrom: { start: '2024-03-01', end: '2024-03-09' },
      dayBeforeFrom: { start: '2024-03-09', end: '2024-03-09' },
      endsOnFrom: { start: '2024-03-01', end: '2024-03-10' },
      startsDayBeforeFrom: { start: '2024-03-09', end: '2024-03-12' },
      endsDayAfterTo: { start: '2024-03-18', end: '2024-03-21' },
      startsOnFrom: { start: '2024-03-10', end: '2024-03-12' },
      inside: { start: '2024-03-11', end: '2024-03-19' },
      endsOnTo: { start: '2024-03-18', end: '2024-03-20' },
      startsOnTo: { start: '2024-03-20', end: '2024-03-31' },
      dayAfterTo: { start: '2024-03-21', end: '2024-03-21' },
      startsDayAfterTo: { start: '2024-03-21', end: '2024-04-02' },
      covers: { start: '2024-02-01', end: '2024-04-30' },
      exactly: { start: FROM, end: TO },
    };
    for (const [name, span] of Object.entries(spans)) items[name] = await addEvent([actor], span);
    items.shipmentEndsOnFrom = await addShipment(actor, other, { start: '2024-03-05', end: '2024-03-10' });
    items.shipmentStartsDayAfterTo = await addShipment(other, actor, { start: '2024-03-21', end: '2024-03-22' });
    items.affiliationStartsOnTo = await addAffiliation(actor, other, { start: '2024-03-20', end: '2024-05-31' });
    items.affiliationEndsDayBeforeFrom = await addAffiliation(other, actor, { start: '2024-01-01', end: '2024-03-09' });
    items.undated = await addAffiliation(actor, other, null);
  });

  const names = (edges: Edge[]) => edges.map((e) => Object.keys(items).find((k) => items[k] === e.node.id)).sort();

  it('OVERLAPS keeps every span that shares a day with [from, to]', async () => {
    const got = await everything({ ids: [actor], from: FROM, to: TO });
    expect(names(got)).toEqual(
      [
        'affiliationStartsOnTo',
        'covers',
        'endsDayAfterTo',
        'endsOnFrom',
        'endsOnTo',
        'exactly',
        'inside',
        'shipmentEndsOnFrom',
        'startsDayBeforeFrom',
        'startsOnFrom',
        'startsOnTo',
      ].sort(),
    );
    expect(await everything({ ids: [actor], from: FROM, to: TO, window: 'OVERLAPS' })).toEqual(got);
  });

  it('WITHIN keeps only spans entirely inside [from, to]', async () => {
    const got = await everything({ ids: [actor], from: FROM, to: TO, window: 'WITHIN' });
    expect(names(got)).toEqual(['endsOnTo', 'exactly', 'inside', 'startsOnFrom'].sort());
  });

  it('applies a bound given alone', async () => {
    expect(names(await everything({ ids: [actor], from: '2024-03-21' }))).toEqual(
      ['affiliationStartsOnTo', 'covers', 'dayAfterTo', 'endsDayAfterTo', 'shipmentStartsDayAfterTo', 'startsDayAfterTo', 'startsOnTo'].sort(),
    );
    expect(names(await everything({ ids: [actor], from: FROM, window: 'WITHIN' }))).toEqual(
      [
        'affiliationStartsOnTo',
        'dayAfterTo',
        'endsDayAfterTo',
        'endsOnTo',
        'exactly',
        'inside',
        'shipmentStartsDayAfterTo',
        'startsDayAfterTo',
        'startsOnFrom',
        'startsOnTo',
      ].sort(),
    );
    expect(names(await everything({ ids: [actor], to: '2024-03-09', window: 'WITHIN' }))).toEqual(
      ['affiliationEndsDayBeforeFrom', 'dayBeforeFrom', 'endsDayBeforeFrom'].sort(),
    );
  });

  it('shows undated affiliations last without a window, never in a dated one', async () => {
    const all = await everything({ ids: [actor] });
    expect(all).toHaveLength(Object.keys(items).length);
    expect(all[all.length - 1]).toMatchObject({ kind: 'AFFILIATION', at: null, node: { id: items.undated } });
    for (const window of ['OVERLAPS', 'WITHIN'] as const) {
      expect(ids(await everything({ ids: [actor], from: '0001-01-01', window }))).not.toContain(items.undated);
      expect(ids(await everything({ ids: [actor], to: '9999-12-31', window }))).not.toContain(items.undated);
    }
  });

  it('buckets the window by month, clipped to it, items in each month they overlap', async () => {
    const res = await server.gql(MONTHS, { ids: [actor], from: '2024-02-15', to: '2024-04-15' });
    expect(res.errors).toBeUndefined();
    const feed = await everything({ ids: [actor], from: '2024-02-15', to: '2024-04-15' });
    expect(res.data.timelineMonths).toEqual(
      bucketByMonth(
        feed.map((e) => ({ kind: e.kind, span: e.at })),
        '2024-02-15',
        '2024-04-15',
      ),
    );
    expect(res.data.timelineMonths.map((m: any) => [m.month, m.total, m.spanning])).toEqual([
      ['2024-02', 2, 2], // covers, affiliationEndsDayBeforeFrom
      ['2024-03', 17, 4], // all but the undated affiliation; covers, startsDayAfterTo and both affiliations span months
      ['2024-04', 3, 3], // covers, startsDayAfterTo, affiliationStartsOnTo
    ]);
    // Without a window every month of every dated span is there; months without items are zeros.
    const unbounded = (await server.gql(MONTHS, { ids: [actor] })).data.timelineMonths;
    expect(unbounded.map((m: any) => m.month)).toEqual(['2024-01', '2024-02', '2024-03', '2024-04', '2024-05']);
    expect(unbounded).toEqual(bucketByMonth((await everything({ ids: [actor] })).map((e) => ({ kind: e.kind, span: e.at }))));
  });

  it('never shows soft-deleted items', async () => {
    const gone = await addEvent([actor], { start: '2024-03-15', end: '2024-03-15' });
    expect(ids(await everything({ ids: [actor] }))).toContain(gone);
    await deleteEvent(server.db, gone); // the service behind the deleteEvent mutation
    await prisma.shipment.update({ where: { id: items.shipmentEndsOnFrom }, data: { deletedAt: new Date() } });
    await prisma.affiliation.update({ where: { id: items.undated }, data: { deletedAt: new Date() } });
    const after = ids(await everything({ ids: [actor] }));
    for (const id of [gone, items.shipmentEndsOnFrom, items.undated]) expect(after).not.toContain(id);
    const page = await timeline({ ids: [actor] }, { first: 1 }, true);
    expect(page.totalCount).toBe(after.length);
    const months = (await server.gql(MONTHS, { ids: [actor], from: '2024-03-01', to: '2024-03-31' })).data.timelineMonths;
    expect(months[0].total).toBe((await everything({ ids: [actor], from: '2024-03-01', to: '2024-03-31' })).length);
  });
});

describe('paging', () => {
  let p: string;
  let q: string;
  let r: string;
  const filters: () => Filter[] = () => [
    { ids: [p] },
    { ids: [p, q], match: 'ALL' },
    { ids: [q, r] },
    { ids: [p], from: '2024-01-10', to: '2024-02-01', window: 'WITHIN' },
  ];

  beforeAll(async () => {
    p = await createActor('paging-p');
    q = await createActor('paging-q');
    r = await createActor('paging-r');
    // ~60 items on a few start dates, so that spans, kinds and ids all have to break ties.
    const rand = prng(20261124);
    const starts = ['2024-01-01', '2024-01-10', '2024-01-10', '2024-01-31', '2024-02-01'];
    const ends = (start: string) => [start, '2024-01-31', '2024-02-29'].filter((e) => e >= start);
    const span = () => {
      const start = starts[randInt(rand, 0, starts.length - 1)];
      const options = ends(start);
      return { start, end: options[randInt(rand, 0, options.length - 1)] };
    };
    const events = Array.from({ length: 30 }, () => ({ id: uuid(), ...span(), actors: rand() < 0.5 ? [p] : [p, q] }));
    const shipments = Array.from({ length: 18 }, () => ({ id: uuid(), ...span(), pair: rand() < 0.5 ? [p, q] : [q, r] }));
    const affiliations = Array.from({ length: 12 }, () => ({ id: uuid(), ...span(), dated: rand() < 0.75, pair: rand() < 0.5 ? [q, p] : [r, p] }));
    const day = (s: string) => dateToUtc(s);
    await prisma.event.createMany({
      data: events.map((e) => ({
        id: e.id,
        type: 'MEETING' as const,
        title: 'paging',
        spanStart: day(e.start),
        spanEnd: day(e.end),
        spanPrecision: 'RANGE' as const,
        confidence: 'REPORTED' as const,
      })),
    });
    await prisma.eventParticipant.createMany({
      data: events.flatMap((e) => e.actors.map((actorId) => ({ eventId: e.id, actorId, role: 'PARTICIPANT' as const }))),
    });
    await prisma.shipment.createMany({
      data: shipments.map((s) => ({
        id: s.id,
        supplierId: s.pair[0],
        recipientId: s.pair[1],
        category: 'OTHER' as const,
        deliveryStart: day(s.start),
        deliveryEnd: day(s.end),
        deliveryPrecision: 'RANGE' as const,
        status: 'REPORTED' as const,
        confidence: 'REPORTED' as const,
      })),
    });
    await prisma.affiliation.createMany({
      data: affiliations.map((a) => ({
        id: a.id,
        actorId: a.pair[0],
        targetId: a.pair[1],
        role: 'MEMBER_OF' as const,
        ...(a.dated && { spanStart: day(a.start), spanEnd: day(a.end), spanPrecision: 'RANGE' as const }),
      })),
    });
  });

  it('orders every feed totally by (start, end, kind, id)', async () => {
    for (const filter of filters()) {
      const all = await everything(filter);
      expect(all.length).toBeGreaterThan(5);
      for (let i = 1; i < all.length; i++) expect(compareKeys(keyOf(all[i - 1]), keyOf(all[i]))).toBeLessThan(0);
    }
  });

  /** `runs` traversals, each over one of the filters with its own seeded random page sizes, 4 at a time. */
  async function randomRuns(runs: number, seed: number, page: (f: Filter, sizes: () => number) => Promise<Edge[]>) {
    const whole = await Promise.all(filters().map(everything));
    for (let batch = 0; batch < runs; batch += 4) {
      await Promise.all(
        [0, 1, 2, 3].map(async (i) => {
          const run = batch + i;
          const rand = prng(seed + run);
          const maxSize = randInt(rand, 1, 25);
          const got = await page(filters()[run % whole.length], () => randInt(rand, 1, maxSize));
          expect(ids(got)).toEqual(ids(whole[run % whole.length]));
        }),
      );
    }
    return whole;
  }

  it('gives the same list whatever the page sizes, forward (100 random runs)', async () => {
    await randomRuns(100, 42_000, pageForward);
  });

  it('gives the same list paging backward with last/before', async () => {
    const whole = await randomRuns(24, 7_000, pageBackward);
    // last alone is the tail of the list; before a cursor, the items just before it.
    const all = whole[0];
    expect(ids((await timeline(filters()[0], { last: 5 })).edges)).toEqual(ids(all.slice(-5)));
    const page = await timeline(filters()[0], { last: 4, before: all[20].cursor });
    expect(ids(page.edges)).toEqual(ids(all.slice(16, 20)));
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    // after and before together bound the page on both sides.
    const between = await timeline(filters()[0], { first: 100, after: all[3].cursor, before: all[9].cursor });
    expect(ids(between.edges)).toEqual(ids(all.slice(4, 9)));
  });

  it('neither skips nor repeats items when rows are inserted between pages', async () => {
    const s = await createActor('inserts');
    const t = await createActor('inserts-other');
    const rand = prng(99);
    const randomSpan = () => {
      const start = `2024-05-${String(randInt(rand, 1, 6)).padStart(2, '0')}`;
      return { start, end: rand() < 0.5 ? start : '2024-05-31' };
    };
    for (let i = 0; i < 20; i++) await addEvent([s], randomSpan());
    const filter = { ids: [s] };
    const seen: Edge[] = [];
    const skippedOnPurpose = new Set<string>(); // inserted at or before the cursor: legitimately not seen
    let after: string | undefined;
    for (let guard = 0; guard < 100; guard++) {
      const page = await timeline(filter, { first: randInt(rand, 1, 6), after });
      seen.push(...page.edges);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor!;
      const cursorKey = keyOf(page.edges[page.edges.length - 1]);
      // Insert items on both sides of the cursor, some on the very same day as it.
      for (let k = 0; k < 3; k++) {
        const span = k === 0 ? { start: cursorKey.start, end: cursorKey.end } : randomSpan();
        const kind = randInt(rand, 0, 2);
        const id = kind === 0 ? await addEvent([s], span) : kind === 1 ? await addShipment(s, t, span) : await addAffiliation(t, s, span);
        const key: TimelineKey = { start: span.start, end: span.end, kind, id };
        if (compareKeys(key, cursorKey) <= 0) skippedOnPurpose.add(id);
      }
    }
    const final = await everything(filter);
    expect(new Set(ids(seen)).size).toBe(seen.length); // no duplicate
    expect(ids(seen)).toEqual(ids(final).filter((id) => !skippedOnPurpose.has(id))); // no gap, in order
    expect(skippedOnPurpose.size).toBeGreaterThan(0);
    expect(seen.length).toBeGreaterThan(20);
  });

  it('has consistent pageInfo and totalCount', async () => {
    const all = await everything(filters()[0]);
    const first = await timeline(filters()[0], { first: 3 }, true);
    expect(first.totalCount).toBe(all.length);
    expect(first.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: all[0].cursor,
      endCursor: all[2].cursor,
    });
    const last = await timeline(filters()[0], { first: 10, after: all[all.length - 3].cursor }, true);
    expect(last.totalCount).toBe(all.length);
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(ids(last.edges)).toEqual(ids(all.slice(-2)));
    // A page of zero edges is allowed and says whether there is more.
    const none = await timeline(filters()[0], { first: 0 });
    expect(none).toMatchObject({ edges: [], pageInfo: { hasNextPage: true, startCursor: null, endCursor: null } });
  });
});

describe('bad input and empty results', () => {
  it('names an unknown actor id as BAD_USER_INPUT on actorIds[i]', async () => {
    const unknown = crypto.randomUUID();
    for (const query of [FEED, MONTHS]) {
      const res = await server.gql(query, { ids: [DPRK, unknown] });
      expect(res.data).toBeNull();
      expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'actorIds[1]' });
      expect(res.errors![0].message).toContain(unknown);
    }
    const malformed = await server.gql(FEED, { ids: ['not-an-id', DPRK] });
    expect(malformed.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'actorIds[0]' });
    // A deleted actor is no longer there to have a timeline.
    const gone = await createActor('deleted');
    await prisma.actor.update({ where: { id: gone }, data: { deletedAt: new Date() } });
    expect((await server.gql(FEED, { ids: [gone] })).errors![0].extensions).toMatchObject({ field: 'actorIds[0]' });
    expect((await server.gql(FEED, { ids: [] })).errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'actorIds' });
  });

  it('rejects bad paging arguments and windows', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ first: 501 }, 'first'],
      [{ last: -1 }, 'last'],
      [{ first: 2, last: 2 }, 'last'],
      [{ after: 'nonsense' }, 'after'],
      [{ before: Buffer.from(JSON.stringify(['2024-01-01', '2023-01-01', 0, DPRK])).toString('base64url') }, 'before'],
      [{ after: Buffer.from(JSON.stringify(['2024-01-01', '2024-01-01', 7, DPRK])).toString('base64url') }, 'after'],
      [{ from: '2024-02-01', to: '2024-01-31' }, 'to'],
    ];
    for (const [args, field] of cases) {
      const res = await server.gql(FEED, { ids: [DPRK], ...args });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });

  it('gives an empty connection and no months for an actor with nothing', async () => {
    const lonely = await createActor('lonely');
    const page = await timeline({ ids: [lonely] }, {}, true);
    expect(page).toEqual({
      totalCount: 0,
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
    expect((await server.gql(MONTHS, { ids: [lonely] })).data.timelineMonths).toEqual([]);
    // ALL over three actors with shipments only can never match.
    const trio = await timeline({ ids: [DPRK, RUSSIA, lonely], match: 'ALL', include: ['SHIPMENT'] }, {}, true);
    expect(trio).toMatchObject({ totalCount: 0, edges: [] });
    expect((await server.gql(MONTHS, { ids: [DPRK, RUSSIA, lonely], match: 'ALL', include: ['SHIPMENT'] })).data.timelineMonths).toEqual([]);
  });
});
