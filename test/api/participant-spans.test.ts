// The event span copied onto event_participants (migration 20261201160000_participant_spans),
// which the timeline reads its events from: the triggers keep it equal to the event's span
// through every kind of write, an actor in two roles still gets one item, and the events
// and shipments lists' windows find every span that reaches into them, read in arms by length.
import type { PrismaClient } from '../../src/generated/prisma/client';
import { startTestServer, type TestServer } from '../support/server';

let server: TestServer;
let prisma: PrismaClient;

beforeAll(async () => {
  server = await startTestServer({ seedOnStart: true });
  prisma = server.db.prisma;
});

afterAll(() => server.stop());

function ok<T>(res: { data?: T; errors?: unknown[] }): T {
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!;
}

let counter = 0;
async function createActor(): Promise<string> {
  const res = await server.gql<{ createActor: { id: string } }>(`mutation ($input: CreateActorInput!) { createActor(input: $input) { id } }`, {
    input: { name: `Span actor ${++counter} ${Math.random().toString(36).slice(2, 8)}`, kind: 'ORGANIZATION' },
  });
  return ok(res).createActor.id;
}

async function createEvent(date: Record<string, unknown>, participants: { actorId: string; role: string }[], type = 'MEETING'): Promise<string> {
  const res = await server.gql<{ createEvent: { id: string } }>(`mutation ($input: CreateEventInput!) { createEvent(input: $input) { id } }`, {
    input: { type, title: `Span event ${++counter}`, date, confidence: 'REPORTED', participants },
  });
  return ok(res).createEvent.id;
}

/** Participations whose copied span differs from their event's (none, if the triggers work). */
async function stale(): Promise<{ event_id: string; actor_id: string }[]> {
  return prisma.$queryRaw`SELECT p.event_id::text, p.actor_id::text FROM event_participants p JOIN events e ON e.id = p.event_id
    WHERE (p.span_start, p.span_end) IS DISTINCT FROM (e.span_start, e.span_end)`;
}

async function spansOf(eventId: string): Promise<{ start: string; end: string }[]> {
  return prisma.$queryRaw`SELECT to_char(span_start, 'YYYY-MM-DD') AS start, to_char(span_end, 'YYYY-MM-DD') AS "end"
    FROM event_participants WHERE event_id = ${eventId}::uuid ORDER BY actor_id, role`;
}

describe('event_participants carries its event span', () => {
  it('is backfilled for the seeded events and copied on every insert', async () => {
    expect(await prisma.eventParticipant.count()).toBeGreaterThan(0);
    const a = await createActor();
    const b = await createActor();
    const id = await createEvent({ edtf: '2021-05' }, [
      { actorId: a, role: 'INITIATOR' },
      { actorId: b, role: 'TARGET' },
    ]);
    expect(await spansOf(id)).toEqual([
      { start: '2021-05-01', end: '2021-05-31' },
      { start: '2021-05-01', end: '2021-05-31' },
    ]);
    expect(await stale()).toEqual([]);
  });

  it('follows updateEvent, a multi-row UPDATE of events and a participation moved to another event', async () => {
    const a = await createActor();
    const first = await createEvent({ edtf: '2020-01' }, [{ actorId: a, role: 'PARTICIPANT' }]);
    const second = await createEvent({ edtf: '2020-02' }, [{ actorId: a, role: 'PARTICIPANT' }]);

    const res = await server.gql(`mutation ($id: ID!, $input: UpdateEventInput!) { updateEvent(id: $id, input: $input) { id } }`, {
      id: first,
      input: { date: { edtf: '2019-07-04' } },
    });
    ok(res);
    expect(await spansOf(first)).toEqual([{ start: '2019-07-04', end: '2019-07-04' }]);

    // One statement over several events: the statement-level trigger updates them all.
    await prisma.$executeRaw`UPDATE events SET span_start = span_start - 10, span_end = span_end + 10 WHERE id IN (${first}::uuid, ${second}::uuid)`;
    expect(await spansOf(first)).toEqual([{ start: '2019-06-24', end: '2019-07-14' }]);
    expect(await spansOf(second)).toEqual([{ start: '2020-01-22', end: '2020-03-10' }]);

    const b = await createActor();
    await prisma.$executeRaw`INSERT INTO event_participants (event_id, actor_id, role) VALUES (${first}::uuid, ${b}::uuid, 'TARGET')`;
    await prisma.$executeRaw`UPDATE event_participants SET event_id = ${second}::uuid WHERE event_id = ${first}::uuid AND actor_id = ${b}::uuid`;
    expect(await spansOf(second)).toEqual([
      { start: '2020-01-22', end: '2020-03-10' },
      { start: '2020-01-22', end: '2020-03-10' },
    ]);
    // A direct write of the copy is overwritten from the event.
    await prisma.$executeRaw`UPDATE event_participants SET span_start = '1900-01-01' WHERE event_id = ${second}::uuid`;
    expect(await stale()).toEqual([]);
  });
});

const FEED = `query ($ids: [ID!]!, $match: TimelineMatch) {
  timeline(actorIds: $ids, match: $match, include: [EVENT], first: 50) { totalCount edges { node { ... on Event { id } } } } }`;
const MONTHS = `query ($ids: [ID!]!, $match: TimelineMatch) { timelineMonths(actorIds: $ids, match: $match, include: [EVENT]) { month events } }`;

describe('timeline events from the participations', () => {
  it('lists an event once when an actor takes part in several roles (ANY, ALL, counts and months)', async () => {
    const a = await createActor();
    const b = await createActor();
    const both = await createEvent({ edtf: '2022-03-15' }, [
      { actorId: a, role: 'INITIATOR' },
      { actorId: a, role: 'PARTICIPANT' },
      { actorId: b, role: 'TARGET' },
      { actorId: b, role: 'PARTICIPANT' },
    ]);
    const onlyA = await createEvent({ edtf: '2022-03-01' }, [{ actorId: a, role: 'INITIATOR' }]);
    const onlyB = await createEvent({ edtf: '2022-04-01' }, [{ actorId: b, role: 'TARGET' }]);
    type Feed = { timeline: { totalCount: number; edges: { node: { id: string } }[] } };
    type Months = { timelineMonths: { month: string; events: number }[] };

    const any = ok(await server.gql<Feed>(FEED, { ids: [a, b], match: 'ANY' })).timeline;
    expect(any.edges.map((e) => e.node.id)).toEqual([onlyA, both, onlyB]);
    expect(any.totalCount).toBe(3);
    const all = ok(await server.gql<Feed>(FEED, { ids: [b, a], match: 'ALL' })).timeline;
    expect(all.edges.map((e) => e.node.id)).toEqual([both]);
    expect(all.totalCount).toBe(1);
    const one = ok(await server.gql<Feed>(FEED, { ids: [a, a], match: 'ANY' })).timeline;
    expect(one.edges.map((e) => e.node.id)).toEqual([onlyA, both]);

    const months = ok(await server.gql<Months>(MONTHS, { ids: [a, b], match: 'ANY' })).timelineMonths;
    expect(months.filter((m) => m.events > 0).map((m) => [m.month, m.events])).toEqual([
      ['2022-03', 2],
      ['2022-04', 1],
    ]);
  });

  it('follows an event moved in time (the page order comes from the copies)', async () => {
    const a = await createActor();
    const early = await createEvent({ edtf: '2018-01-10' }, [{ actorId: a, role: 'INITIATOR' }]);
    const late = await createEvent({ edtf: '2018-06-10' }, [{ actorId: a, role: 'INITIATOR' }]);
    ok(
      await server.gql(`mutation ($id: ID!, $input: UpdateEventInput!) { updateEvent(id: $id, input: $input) { id } }`, {
        id: late,
        input: { date: { edtf: '2017-12-31' } },
      }),
    );
    const feed = ok(await server.gql<{ timeline: { edges: { node: { id: string } }[] } }>(FEED, { ids: [a], match: 'ANY' })).timeline;
    expect(feed.edges.map((e) => e.node.id)).toEqual([late, early]);
  });
});

describe('events in a window', () => {
  const EVENTS = `query ($from: Date, $to: Date, $types: [EventType!], $first: Int, $after: String) {
    events(filter: { from: $from, to: $to, types: $types }, first: $first, after: $after) {
      totalCount edges { cursor node { id date { start end } } } pageInfo { hasNextPage endCursor } } }`;
  type Events = {
    events: {
      totalCount: number;
      edges: { cursor: string; node: { id: string; date: { start: string; end: string } } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string };
    };
  };

  // The window 2010-12-01 – 2011-03-31 and, for each arm of the list's query (lists.ts,
  // windowArms: spans read by length from 31, 92 and 366 days before `from`, and longer), spans that
  // reach into it from that arm's dates, one on each side of each bound, and spans that end before it.
  const FROM = '2010-12-01';
  const reaching: [string, Record<string, unknown>][] = [
    ['decade', { start: '2001-01-01', end: '2012-12-31', precision: 'RANGE' }], // > 366 days
    ['two years', { start: '2009-06-01', end: '2011-05-31', precision: 'RANGE' }],
    ['the year 2010', { edtf: '2010' }], // 93-366 days, starts 334 days before
    ['200 days', { start: '2010-05-15', end: '2010-12-01', precision: 'RANGE' }],
    ['93 days, from 93 days before', { start: '2010-08-30', end: '2010-12-01', precision: 'RANGE' }],
    ['Q4 2010', { start: '2010-10-01', precision: 'QUARTER' }], // 32-92 days, starts 61 days before
    ['92 days, from 92 days before', { start: '2010-08-31', end: '2010-12-01', precision: 'RANGE' }],
    ['32 days, from 32 days before', { start: '2010-10-30', end: '2010-12-01', precision: 'RANGE' }],
    ['31 days, from 31 days before', { start: '2010-10-31', end: '2010-12-01', precision: 'RANGE' }], // first arm
    ['November 2010 into December', { start: '2010-11-05', end: '2010-12-04', precision: 'RANGE' }],
    ['inside', { edtf: '2011-02-03' }],
  ];
  const ending: Record<string, unknown>[] = [
    { edtf: '2010-06' },
    { start: '2010-10-01', end: '2010-11-30', precision: 'RANGE' }, // 60 days, a day short
    { start: '2009-11-01', end: '2010-11-30', precision: 'RANGE' }, // 394 days, a day short
    { start: '1990-01-01', end: '2000-12-31', precision: 'RANGE' }, // long, but before
  ];
  const byStart = (spans: { start: string; end: string; id: string }[]) =>
    [...spans].sort((a, b) => a.start.localeCompare(b.start) || a.end.localeCompare(b.end) || a.id.localeCompare(b.id)).map((s) => s.id);

  it('includes every span that reaches into the window, whatever its length and start, in order, across pages', async () => {
    const a = await createActor();
    // Type AGREEMENT is not in the seed: only these events match.
    for (const date of ending) await createEvent(date, [{ actorId: a, role: 'TARGET' }], 'AGREEMENT');
    const expected: { start: string; end: string; id: string }[] = [];
    for (const [, date] of reaching) {
      const id = await createEvent(date, [{ actorId: a, role: 'TARGET' }], 'AGREEMENT');
      const [span] = await spansOf(id);
      expected.push({ ...span, id });
    }
    const order = byStart(expected);

    const window = { from: FROM, to: '2011-03-31', types: ['AGREEMENT'] };
    const whole = ok(await server.gql<Events>(EVENTS, { ...window, first: 50 })).events;
    expect(whole.edges.map((e) => e.node.id)).toEqual(order);
    expect(whole.totalCount).toBe(order.length);

    const ids: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page: Events['events'] = ok(await server.gql<Events>(EVENTS, { ...window, first: 3, after })).events;
      ids.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(ids).toEqual(order);
  });

  it('lists shipments in a window the same way', async () => {
    const [supplier, recipient] = [await createActor(), await createActor()];
    const SHIPMENTS = `query ($from: Date, $to: Date, $ids: [ID!], $first: Int, $after: String) {
      shipments(filter: { from: $from, to: $to, supplierIds: $ids }, first: $first, after: $after) {
        totalCount edges { node { id deliverySpan { start end } } } pageInfo { hasNextPage endCursor } } }`;
    type Shipments = {
      shipments: {
        totalCount: number;
        edges: { node: { id: string; deliverySpan: { start: string; end: string } } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    };
    const create = async (deliverySpan: Record<string, unknown>) => {
      const res = await server.gql<{ createShipment: { id: string; deliverySpan: { start: string; end: string } } }>(
        `mutation ($input: CreateShipmentInput!) { createShipment(input: $input) { id deliverySpan { start end } } }`,
        { input: { supplierId: supplier, recipientId: recipient, category: 'ARTILLERY_AMMUNITION', deliverySpan, status: 'REPORTED', confidence: 'REPORTED' } },
      );
      const s = ok(res).createShipment;
      return { id: s.id, start: s.deliverySpan.start, end: s.deliverySpan.end };
    };
    for (const span of ending) await create(span);
    const expected = [];
    for (const [, span] of reaching) expected.push(await create(span));
    const order = byStart(expected);

    const ids: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page: Shipments['shipments'] = ok(
        await server.gql<Shipments>(SHIPMENTS, { from: FROM, to: '2011-03-31', ids: [supplier], first: 4, after }),
      ).shipments;
      ids.push(...page.edges.map((e) => e.node.id));
      expect(page.totalCount).toBe(order.length);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(ids).toEqual(order);
  });

  it('still answers without a lower bound, and with seeded data in the window', async () => {
    const before = ok(await server.gql<Events>(EVENTS, { to: '2000-01-01', first: 5 })).events;
    expect(before.edges.every((e) => e.node.date.start <= '2000-01-01')).toBe(true);
    const seeded = await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM events e
      WHERE e.deleted_at IS NULL AND e.span_end >= '2023-01-01' AND e.span_start <= '2023-12-31'`;
    const listed = ok(await server.gql<Events>(EVENTS, { from: '2023-01-01', to: '2023-12-31', first: 500 })).events;
    expect(listed.edges).toHaveLength(seeded[0].n);
    expect(listed.totalCount).toBe(seeded[0].n);
    expect(ok(await server.gql<Events>(EVENTS, { to: '2023-12-31', first: 1 })).events.totalCount).toBeGreaterThanOrEqual(seeded[0].n);
    expect(seeded[0].n).toBeGreaterThan(0);
  });
});
