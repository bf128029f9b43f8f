// Reads against the seeded article: lookups, filters, keyset pagination.
import { listEvents, listShipments } from '../../src/db/queries/lists';
import { createLoaders } from '../../src/graphql/loaders';
import { startTestServer, type TestServer } from '../support/server';

let server: TestServer;
let dprk: string;
let russia: string;

beforeAll(async () => {
  server = await startTestServer({ seedOnStart: true });
  const ids = await server.gql(`{
    dprk: actors(search: "democratic people") { edges { node { id } } }
    russia: actors(search: "russian federation") { edges { node { id } } } }`);
  dprk = ids.data.dprk.edges[0].node.id;
  russia = ids.data.russia.edges[0].node.id;
});
afterAll(() => server.stop());

const EVENTS = `query ($filter: EventFilter, $first: Int, $after: String) {
  events(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id title type confidence date { start end precision text } } }
  } }`;

describe('actors', () => {
  it('resolves every alias of an actor to the same actor, case-insensitively', async () => {
    const res = await server.gql(`{
      a: actors(search: "north korea") { edges { node { id } } }
      b: actors(search: "democratic people's republic") { edges { node { id } } }
      c: actors(search: "dPrK") { edges { node { id name aliases } } } }`);
    expect(res.data.a.edges.map((e: any) => e.node.id)).toContain(dprk);
    expect(res.data.b.edges.map((e: any) => e.node.id)).toEqual([dprk]);
    const node = res.data.c.edges[0].node;
    expect(node.name).toBe('North Korea');
    expect(node.aliases).toEqual(expect.arrayContaining(['DPRK', 'North Korea', "Democratic People's Republic of Korea"]));
  });

  it("reads a page's aliases in the page's statement: the same aliases, in the same order, as each actor read alone", async () => {
    const statementsOf = async (query: string) => {
      const before = server.db.statements!.count();
      const res = await server.gql(query);
      expect(res.errors).toBeUndefined();
      return { data: res.data, statements: server.db.statements!.count() - before };
    };
    // Through a fragment and a field alias too: the selection is what the query asks, however written.
    const page = await statementsOf(`{ actors(search: "kor", first: 20) { edges { node { id ...names } } } }
      fragment names on Actor { names: aliases }`);
    const nodes = page.data.actors.edges.map((e: any) => e.node);
    expect(nodes.length).toBeGreaterThan(1);
    expect(page.statements).toBe(1);
    // Without aliases the page is one statement as well; the loader's reading (one more statement) is the reference.
    expect((await statementsOf(`{ actors(search: "kor", first: 20) { edges { node { id } } } }`)).statements).toBe(1);
    for (const node of nodes) {
      const alone = await statementsOf(`{ actor(id: "${node.id}") { aliases } }`);
      expect(alone.statements).toBe(2);
      expect(node.names.length).toBeGreaterThan(0);
      expect(node.names).toEqual(alone.data.actor.aliases);
    }
  });

  it('matches part of a name and filters by kind', async () => {
    const res = await server.gql(`{ actors(search: "kor", kinds: [STATE]) { totalCount edges { node { name kind } } } }`);
    expect(res.data.actors.totalCount).toBe(2);
    expect(res.data.actors.edges.every((e: any) => e.node.kind === 'STATE')).toBe(true);
  });

  it('treats LIKE wildcards in the search text literally', async () => {
    const res = await server.gql(`{ actors(search: "%") { totalCount } }`);
    expect(res.data.actors.totalCount).toBe(0);
  });

  it('gives an actor its affiliations, events and shipments', async () => {
    const res = await server.gql(
      `query ($id: ID!) { actor(id: $id) { name countryCode
        affiliations { role actor { name } target { name } }
        events(first: 100) { totalCount }
        shipmentsSupplied { totalCount edges { node { recipient { name } } } }
        shipmentsReceived { totalCount } } }`,
      { id: dprk },
    );
    const actor = res.data.actor;
    expect(actor.countryCode).toBe('PRK');
    expect(actor.affiliations).toContainEqual({ role: 'LEADER_OF', actor: { name: 'Kim Jong Un' }, target: { name: 'North Korea' } });
    expect(actor.events.totalCount).toBeGreaterThan(5);
    expect(actor.shipmentsSupplied.totalCount).toBe(3);
    expect(actor.shipmentsSupplied.edges.every((e: any) => e.node.recipient.name === 'Russia')).toBe(true);
    expect(actor.shipmentsReceived.totalCount).toBe(1);
  });

  it('answers null for an unknown or malformed id', async () => {
    const res = await server.gql(`{ a: actor(id: "00000000-0000-0000-0000-000000000000") { id } b: actor(id: "nope") { id } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ a: null, b: null });
  });
});

describe('shipments', () => {
  it("reads a page's suppliers and recipients in the page's statement: as each shipment read alone", async () => {
    const ACTOR = 'id name kind countryCode description';
    const before = server.db.statements!.count();
    // Through a fragment and a field alias too.
    const res = await server.gql(`{ shipments(first: 100) { edges { node { id from: supplier { ...a } recipient { ${ACTOR} } } } } }
      fragment a on Actor { ${ACTOR} }`);
    expect(res.errors).toBeUndefined();
    expect(server.db.statements!.count() - before).toBe(1);
    const nodes = res.data.shipments.edges.map((e: any) => e.node);
    expect(nodes.length).toBeGreaterThan(2);
    for (const node of nodes) {
      const alone = await server.gql(`query($id: ID!) { shipment(id: $id) { id from: supplier { ${ACTOR} } recipient { ${ACTOR} } } }`, { id: node.id });
      expect(node).toEqual(alone.data.shipment);
    }
    // Without them the page is one statement too, and brings no actors.
    const rows = await listShipments(server.db, {}, 100);
    expect(rows[0]).not.toHaveProperty('supplier');
    expect(rows[0]).not.toHaveProperty('recipient');
    const loaders = createLoaders(server.db);
    for (const s of await listShipments(server.db, {}, 100, undefined, { actors: 'all' })) {
      expect(s.supplier).toEqual(await loaders.actor.load(s.supplierId));
      expect(s.recipient).toEqual(await loaders.actor.load(s.recipientId));
    }
  });
});

describe('events', () => {
  it("reads a page's participants, citations, their actors and sources in the page's statement: as each event read alone", async () => {
    const NESTED = `participants { role actor { id name kind countryCode } }
      citations { id excerpt credibility evidenceType updatedAt source { id publisher title url publishedAt reliability updatedAt } }`;
    const before = server.db.statements!.count();
    // Through a fragment and field aliases too: the selection is what the query asks, however written.
    const res = await server.gql(`{ events(first: 100) { edges { node { id ...nested who: participants { actor { name } } } } } }
      fragment nested on Event { ${NESTED} }`);
    expect(res.errors).toBeUndefined();
    expect(server.db.statements!.count() - before).toBe(1);
    const nodes = res.data.events.edges.map((e: any) => e.node);
    expect(nodes.filter((n: any) => n.participants.length > 1 && n.citations.length > 0).length).toBeGreaterThan(3);
    for (const node of nodes) {
      const alone = await server.gql(`query($id: ID!) { event(id: $id) { id ${NESTED} who: participants { actor { name } } } }`, { id: node.id });
      expect(node).toEqual(alone.data.event);
    }
  });

  it("reads a page's related rows as the loaders read them", async () => {
    const include = { participants: 'all', actors: 'all', citations: 'all', sources: 'all' } as const;
    const events = await listEvents(server.db, {}, 100, undefined, include);
    const loaders = createLoaders(server.db);
    expect(events.some((e) => e.citations!.length > 0)).toBe(true);
    for (const e of events) {
      // Each participant with its actor, each citation with its source.
      expect(e.participants!.map(({ actor, ...p }) => p)).toEqual(await loaders.participants.load(e.id));
      expect(e.citations!.map(({ source, ...c }) => c)).toEqual(await loaders.eventCitations.load(e.id));
      expect(e.participants!.map((p) => p.actor)).toEqual(await loaders.actor.loadMany(e.participants!.map((p) => p.actorId)));
      expect(e.citations!.map((c) => c.source)).toEqual(await loaders.source.loadMany(e.citations!.map((c) => c.sourceId)));
    }
    // Not asked, not read.
    expect((await listEvents(server.db, {}, 100))[0]).not.toHaveProperty('participants');
    const bare = await listEvents(server.db, {}, 100, undefined, { participants: 'all', citations: 'all' });
    expect(bare.flatMap((e) => [...e.participants!, ...e.citations!]).length).toBeGreaterThan(0);
    for (const e of bare) {
      for (const p of e.participants!) expect(p).not.toHaveProperty('actor');
      for (const c of e.citations!) expect(c).not.toHaveProperty('source');
    }
  });

  it('lists events in span order (start, end, id)', async () => {
    const res = await server.gql(EVENTS, { first: 500 });
    const spans = res.data.events.edges.map((e: any) => e.node.date);
    expect(spans.length).toBe(res.data.events.totalCount);
    const sorted = [...spans].sort((x: any, y: any) => x.start.localeCompare(y.start) || x.end.localeCompare(y.end));
    expect(spans.map((s: any) => [s.start, s.end])).toEqual(sorted.map((s: any) => [s.start, s.end]));
  });

  it('keeps events whose span overlaps the window, by one day at either edge', async () => {
    // The Kim–Putin meeting is on 2023-09-13 exactly.
    const on = await server.gql(EVENTS, { filter: { from: '2023-09-13', to: '2023-09-13', types: ['MEETING'] } });
    expect(on.data.events.edges.map((e: any) => e.node.title)).toEqual([expect.stringMatching(/Vostochny/)]);
    const before = await server.gql(EVENTS, { filter: { from: '2023-09-14', to: '2023-09-20', types: ['MEETING'] } });
    expect(before.data.events.totalCount).toBe(0);
  });

  it('filters by type, actor and confidence', async () => {
    const res = await server.gql(EVENTS, {
      filter: { actorIds: [dprk, russia], types: ['TRANSFER_REPORT', 'MEETING'], minConfidence: 'REPORTED' },
      first: 100,
    });
    const nodes = res.data.events.edges.map((e: any) => e.node);
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every((n: any) => ['TRANSFER_REPORT', 'MEETING'].includes(n.type))).toBe(true);
    expect(nodes.every((n: any) => ['CONFIRMED', 'REPORTED'].includes(n.confidence))).toBe(true);
  });

  it('searches title and description with PostgreSQL full-text search', async () => {
    const res = await server.gql(EVENTS, { filter: { search: 'containers' } });
    expect(res.data.events.edges.map((e: any) => e.node.title).join(' ')).toMatch(/1,000 containers/);
  });

  it('pages with keyset cursors: the pages concatenate to the full list', async () => {
    const all = (await server.gql(EVENTS, { first: 500 })).data.events.edges.map((e: any) => e.node.id);
    const paged: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = (await server.gql(EVENTS, { first: 4, after })).data.events;
      paged.push(...page.edges.map((e: any) => e.node.id));
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(paged).toEqual(all);
  });

  it('gives nested participants, citations with their source, and reported shipments', async () => {
    const res = await server.gql(`{ events(filter: { search: "containers" }) { edges { node {
      participants { role actor { name } } citations { excerpt credibility source { title publishedAt reliability } }
      shipments { quantity unit deliverySpan { start end precision } } } } } }`);
    const node = res.data.events.edges[0].node;
    expect(node.citations[0].source.publishedAt).toBe('2023-10-13');
    expect(node.shipments).toContainEqual({
      quantity: 1000,
      unit: 'containers',
      deliverySpan: { start: '2023-09-07', end: '2023-10-01', precision: 'RANGE' },
    });
  });

  it.each([
    [{ first: 501 }, 'first'],
    [{ first: -1 }, 'first'],
    [{ after: 'not-a-cursor' }, 'after'],
    [{ filter: { actorIds: ['x'] } }, 'filter.actorIds[0]'],
  ])('rejects bad paging or filter input %j with BAD_USER_INPUT on %s', async (variables, field) => {
    const res = await server.gql(EVENTS, variables);
    expect(res.status).toBe(200);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('rejects text with a NUL character in searches as bad input, not a database error', async () => {
    const events = await server.gql(EVENTS, { filter: { search: 'a\u0000b' } });
    expect(events.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.search' });
    const actors = await server.gql(`query ($q: String) { actors(search: $q) { totalCount } }`, { q: 'a\u0000' });
    expect(actors.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'search' });
  });

  it('rejects a malformed date in a filter before running anything', async () => {
    const res = await server.gql(EVENTS, { filter: { from: '2023-02-30' } });
    expect(res.status).toBe(400);
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('shipments', () => {
  const SHIPMENTS = `query ($filter: ShipmentFilter) { shipments(filter: $filter) { totalCount edges { node {
    category quantity unit status confidence supplier { name } recipient { name } deliverySpan { start end } events { title } } } } }`;

  it('filters by supplier, recipient, category, status, confidence and window', async () => {
    const res = await server.gql(SHIPMENTS, {
      filter: { supplierIds: [dprk], recipientIds: [russia], from: '2023-10-01', to: '2023-10-01', categories: ['MILITARY_EQUIPMENT'] },
    });
    expect(res.data.shipments.totalCount).toBe(1);
    const s = res.data.shipments.edges[0].node;
    expect(s).toMatchObject({ quantity: 1000, unit: 'containers', supplier: { name: 'North Korea' }, recipient: { name: 'Russia' } });
    expect(s.events.map((e: any) => e.title).join(' ')).toMatch(/1,000 containers/);
    const after = await server.gql(SHIPMENTS, { filter: { supplierIds: [dprk], from: '2023-10-02', categories: ['MILITARY_EQUIPMENT'] } });
    expect(after.data.shipments.totalCount).toBe(0);
  });

  it('keeps unknown quantities null, never zero', async () => {
    const res = await server.gql(SHIPMENTS, { filter: { categories: ['FOOD'] } });
    expect(res.data.shipments.edges[0].node).toMatchObject({ quantity: null, unit: null, supplier: { name: 'Russia' } });
  });

  it('filters by status and minimum confidence', async () => {
    const res = await server.gql(SHIPMENTS, { filter: { statuses: ['PLANNED'], minConfidence: 'CONFIRMED' } });
    expect(res.data.shipments.totalCount).toBe(0);
    const planned = await server.gql(SHIPMENTS, { filter: { statuses: ['PLANNED'] } });
    expect(planned.data.shipments.totalCount).toBe(1);
  });
});

describe('actor paging', () => {
  it('pages a ranked search without duplicates or gaps', async () => {
    const QUERY = `query ($after: String) { actors(search: "o", first: 3, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`;
    const ids: string[] = [];
    let after: string | null = null;
    let total = 0;
    for (;;) {
      const page: any = (await server.gql(QUERY, { after })).data.actors;
      total = page.totalCount;
      ids.push(...page.edges.map((e: any) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(ids.length).toBe(total);
    expect(new Set(ids).size).toBe(total);
  });
});
