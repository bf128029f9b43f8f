// reportedBy: what had been reported by a day, through real HTTP over a fresh seeded database.
// A record counts once one of its citations comes from a source published by then (a
// publication span from its end, undated sources never); its values are those claimed by then
// (statedOn, else the citation's source date; the accepted claim, else the latest); combinable
// with asOf. Also: timeline(asOf) before an actor was recorded is an empty feed. Test data is
// written through the services (as test/api/reports.test.ts does); reads go over HTTP.
import { parse } from 'csv-parse/sync';
import { actorId, shipmentId, sourceId } from '../../seed/ids';
import * as actors from '../../src/services/actors';
import * as affiliations from '../../src/services/affiliations';
import * as claims from '../../src/services/claims';
import * as events from '../../src/services/events';
import * as shipments from '../../src/services/shipments';
import * as sources from '../../src/services/sources';
import { useBeforeAll } from '../support/hooks';
import { instant } from '../support/knowledge-time';
import { ok, useServer } from '../support/server';

const server = useServer({ seedOnStart: true });

const CONTAINERS = shipmentId('dprk-russia-1000-containers');
const DPRK = actorId('dprk');
const RUSSIA = actorId('russia');

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

let counter = 0;
async function actor(label: string): Promise<string> {
  counter += 1;
  return (await actors.createActor(server.db, { name: `ReportedBy ${label} ${counter}`, kind: 'STATE' })).id;
}

async function source(title: string, published: string | null): Promise<string> {
  return (await sources.createSource(server.db, { publisher: `Publisher ${title}`, title, published: published ? { edtf: published } : null })).id;
}

async function cite(sourceIdValue: string, subject: { shipmentId?: string; eventId?: string }): Promise<string> {
  return (await sources.createCitation(server.db, { sourceId: sourceIdValue, excerpt: 'As reported.', ...subject })).id;
}

async function shipment(supplierId: string, recipientId: string, quantity: number, edtf = '2023-09-05/2023-09-20'): Promise<string> {
  const s = await shipments.createShipment(server.db, {
    supplierId,
    recipientId,
    category: 'VEHICLES',
    quantity,
    unit: 'trucks',
    deliverySpan: { edtf },
    status: 'REPORTED',
    confidence: 'REPORTED',
  });
  return s.id;
}

const SHIPMENTS = `query ($filter: ShipmentFilter, $by: Date, $at: DateTime) {
  shipments(filter: $filter, reportedBy: $by, asOf: $at, first: 100) { totalCount edges { node { id quantity quantityText unit
    deliverySpan { edtf } category } } } }`;

async function shipmentsBy(by: string | null, filter: object, at: string | null = null): Promise<any[]> {
  return ok(await server.gql(SHIPMENTS, { filter, by, at })).shipments.edges.map((e: any) => e.node);
}

// ------------------------------------------------------------------ the seed

describe("the seed: the article's 1,000 containers", () => {
  let publishedEnd: string;
  beforeAll(async () => {
    // The article's publication span as the database holds it (a day today, a window once the seed says so).
    const rows = await server.db.prisma.$queryRaw<{ end: string }[]>`
      SELECT to_char(published_end, 'YYYY-MM-DD') AS "end" FROM sources WHERE id = ${sourceId('seed-article')}::uuid`;
    publishedEnd = rows[0].end;
  });
  const filter = { categories: ['MILITARY_EQUIPMENT'], supplierIds: [DPRK] };

  it('is absent as reported by 2023-10-01, and by the day before the publication span ends; present from its end', async () => {
    expect(await shipmentsBy('2023-10-01', filter)).toEqual([]);
    expect(await shipmentsBy(addDays(publishedEnd, -1), filter)).toEqual([]);
    const atEnd = await shipmentsBy(publishedEnd, filter);
    expect(atEnd.map((s) => [s.id, s.quantity])).toEqual([[CONTAINERS, 1000]]);
    expect((await shipmentsBy('2024-01-01', filter)).map((s) => s.id)).toEqual([CONTAINERS]);
    // Without the argument, as before.
    expect((await shipmentsBy(null, filter)).map((s) => s.id)).toEqual([CONTAINERS]);
  });

  it('reports nothing of the seed by 2023-10-01, and its figures once the article is out', async () => {
    const q = `query ($by: Date) { shipmentReport(from: "2023-09-01", to: "2023-10-31", filter: { supplierIds: ["${DPRK}"], categories: [MILITARY_EQUIPMENT] }, reportedBy: $by) {
      buckets { period quantity } totals { quantity } } }`;
    expect(ok(await server.gql(q, { by: '2023-10-01' })).shipmentReport).toEqual({ buckets: [], totals: [] });
    expect(ok(await server.gql(q, { by: publishedEnd })).shipmentReport).toEqual({
      buckets: [
        { period: '2023-09', quantity: 960 },
        { period: '2023-10', quantity: 40 },
      ],
      totals: [{ quantity: 1000 }],
    });
  });
});

// ------------------------------------------------------------------ sources told apart

describe('sources told apart: an earlier source, a publication window, an undated source', () => {
  const given = useBeforeAll(async () => {
    const supplier = await actor('sources supplier');
    const recipient = await actor('sources recipient');
    const ids: Record<string, string> = {};
    const early = await source('Early wire', '2023-09-20');
    const window = await source('Weekly digest', '2023-09-15/2023-09-25');
    const undated = await source('Undated leaflet', null);
    const seedArticle = sourceId('seed-article');
    // Cited by the early wire and the seed article: reported from 2023-09-20.
    ids.early = await shipment(supplier, recipient, 10);
    await cite(seedArticle, { shipmentId: ids.early });
    await cite(early, { shipmentId: ids.early });
    // Cited by the weekly digest only: reported from the end of its window, 2023-09-25.
    ids.window = await shipment(supplier, recipient, 20);
    await cite(window, { shipmentId: ids.window });
    // Cited by the seed article only: reported from the article's publication.
    ids.article = await shipment(supplier, recipient, 30);
    await cite(seedArticle, { shipmentId: ids.article });
    // Cited by an undated source only: never, under reportedBy.
    ids.undated = await shipment(supplier, recipient, 40);
    await cite(undated, { shipmentId: ids.undated });
    // Not cited at all: never, under reportedBy.
    ids.uncited = await shipment(supplier, recipient, 50);
    return { supplier };
  });
  const quantities = async (by: string | null) => (await shipmentsBy(by, { supplierIds: [given.supplier] })).map((s) => s.quantity).sort((a, b) => a - b);

  it('counts a record once one of its citations comes from a source published by then', async () => {
    expect(await quantities('2023-09-19')).toEqual([]);
    expect(await quantities('2023-09-20')).toEqual([10]);
    // The window counts from its end: not on 2023-09-24, though it began on the 15th.
    expect(await quantities('2023-09-24')).toEqual([10]);
    expect(await quantities('2023-09-25')).toEqual([10, 20]);
    expect(await quantities('2024-12-31')).toEqual([10, 20, 30]);
    // Undated and uncited shipments are never reported by a day; without the argument all are listed.
    expect(await quantities(null)).toEqual([10, 20, 30, 40, 50]);
  });

  it('counts only sources published by then as corroboration (minSources)', async () => {
    const two = (by: string) => shipmentsBy(by, { supplierIds: [given.supplier], minSources: 2 });
    // The early wire alone by 2023-10-01; with the seed article (another publisher) once it is out.
    expect(await two('2023-10-01')).toEqual([]);
    expect((await two('2024-12-31')).map((s) => s.quantity)).toEqual([10]);
  });
});

// ------------------------------------------------------------------ claimed values

describe('values claimed by then replace the record’s own', () => {
  const given = useBeforeAll(async () => {
    const supplier = await actor('claims supplier');
    const recipient = await actor('claims recipient');
    const claimant = await actor('claims claimant');
    const early = await source('Claims wire', '2023-09-01');
    const later = await source('Claims weekly', '2023-10-01/2023-10-05');
    const id = await shipment(supplier, recipient, 1200, '2023-09-05/2023-09-20');
    const earlyCitation = await cite(early, { shipmentId: id });
    const laterCitation = await cite(later, { shipmentId: id });
    const claim = (input: Partial<claims.ClaimInput>) =>
      claims.createClaim(server.db, { claimantId: claimant, shipmentId: id, likelihood: 'LIKELY', citationId: earlyCitation, ...input });
    await claim({ field: 'quantity', value: '800', statedOn: '2023-09-10' });
    await claim({ field: 'quantity', value: 'about 900', statedOn: '2023-09-20' });
    await claim({ field: 'deliverySpan', value: '2023-08', statedOn: '2023-09-12' });
    // No statedOn: dated by its citation's source, the weekly, from the end of its window (2023-10-05).
    const accepted = (await claim({ field: 'quantity', value: '1,000', statedOn: null, citationId: laterCitation })).id;
    await claims.acceptClaim(server.db, accepted, null);
    // After the accepted claim wrote 1,000, an editor sets 1,200: the record and its accepted claim disagree.
    await shipments.updateShipment(server.db, id, { quantity: 1200 });
    return { supplier, recipient, id };
  });
  const read = async (by: string | null) => {
    const [s] = await shipmentsBy(by, { supplierIds: [given.supplier] });
    return s && [s.quantity, s.quantityText, s.deliverySpan.edtf];
  };

  it('takes, per field, the accepted claim, else the latest, among those dated by then', async () => {
    expect(await read('2023-08-31')).toBeUndefined(); // no source out yet
    expect(await read('2023-09-05')).toEqual([1200, '1200', '2023-09-05/2023-09-20']); // reported; nothing claimed yet
    expect(await read('2023-09-10')).toEqual([800, '800', '2023-09-05/2023-09-20']);
    expect(await read('2023-09-15')).toEqual([800, '800', '2023-08']); // the span claimed on the 12th
    expect(await read('2023-09-25')).toEqual([900, 'about 900', '2023-08']); // the latest
    expect(await read('2023-10-04')).toEqual([900, 'about 900', '2023-08']); // the weekly's window has not ended
    expect(await read('2023-10-05')).toEqual([1000, '1000', '2023-08']); // the accepted one wins
    // Today's record (1,200 after the edit) without the argument; what had been claimed with it.
    expect(await read(null)).toEqual([1200, '1200', '2023-09-05/2023-09-20']);
    expect(await read('2030-01-01')).toEqual([1000, '1000', '2023-08']);
  });

  it('sums the claimed quantity and places it by the claimed span in the reports', async () => {
    const q = `query ($by: Date) { shipmentReport(from: "2023-08-01", to: "2023-09-30", filter: { supplierIds: ["${given.supplier}"] }, reportedBy: $by) {
      buckets { period shipments quantity quantityLow quantityHigh estimated exact } } }`;
    const buckets = async (by: string | null) => ok(await server.gql(q, { by })).shipmentReport.buckets;
    // Claimed by 2023-09-25: about 900, delivered in August 2023 (the claimed span), whole in August.
    expect(await buckets('2023-09-25')).toEqual([
      { period: '2023-08', shipments: 1, quantity: 900, quantityLow: null, quantityHigh: null, estimated: 1, exact: false },
      { period: '2023-09', shipments: 0, quantity: 0, quantityLow: 0, quantityHigh: 0, estimated: 0, exact: true },
    ]);
    // The record's own, today: 1,200 in September (from the rollups).
    expect(await buckets(null)).toEqual([
      { period: '2023-08', shipments: 0, quantity: 0, quantityLow: 0, quantityHigh: 0, estimated: 0, exact: true },
      { period: '2023-09', shipments: 1, quantity: 1200, quantityLow: 1200, quantityHigh: 1200, estimated: 0, exact: true },
    ]);
  });

  it('windows the list by the claimed span', async () => {
    const inSeptember = (by: string) => shipmentsBy(by, { supplierIds: [given.supplier], from: '2023-09-01', to: '2023-09-30' });
    expect(await inSeptember('2023-09-11')).toHaveLength(1);
    expect(await inSeptember('2023-09-15')).toEqual([]); // claimed: August
  });

  it('combines with asOf: claims and citations recorded later are not seen', async () => {
    const before = await instant();
    // Recorded now: a claim stated long ago, and a new shipment cited by a source published long ago.
    const claimant = await actor('asOf claimant');
    const early = await source('Backdated gazette', '2023-01-15');
    const cited = await cite(early, { shipmentId: given.id });
    await claims.createClaim(server.db, {
      claimantId: claimant,
      shipmentId: given.id,
      likelihood: 'LIKELY',
      citationId: cited,
      field: 'unit',
      value: 'lorries',
      statedOn: '2023-09-11',
    });
    const other = await shipment(given.supplier, given.recipient, 7);
    await cite(early, { shipmentId: other });
    const after = await instant();
    const units = async (at: string | null) =>
      (await shipmentsBy('2023-09-15', { supplierIds: [given.supplier] }, at)).map((s) => [s.quantity, s.unit]).sort((a, b) => a[0] - b[0]);
    expect(await units(before)).toEqual([[800, 'trucks']]);
    expect(await units(after)).toEqual([
      [7, 'trucks'],
      [800, 'lorries'],
    ]);
    expect(await units(null)).toEqual([
      [7, 'trucks'],
      [800, 'lorries'],
    ]);
  });
});

// ------------------------------------------------------------------ every endpoint

describe('every list, timeline, report and CSV endpoint takes reportedBy', () => {
  // The seed's records are all cited by the article alone: nothing of it by 2023-10-01, all of it by 2024.
  // Shipments are read of the seed's suppliers (the tests above add others, reported earlier).
  const ids = [DPRK, RUSSIA];
  const seed = `filter: { supplierIds: ["${DPRK}", "${RUSSIA}"] }`;
  const seedEvents = `filter: { actorIds: ["${DPRK}", "${RUSSIA}"] }`;
  const cases: [string, string, (data: any) => number][] = [
    ['events', `query ($by: Date) { events(${seedEvents}, reportedBy: $by) { totalCount } }`, (d) => d.events.totalCount],
    ['shipments', `query ($by: Date) { shipments(${seed}, reportedBy: $by) { totalCount } }`, (d) => d.shipments.totalCount],
    ['timeline', `query ($by: Date, $ids: [ID!]!) { timeline(actorIds: $ids, reportedBy: $by) { totalCount } }`, (d) => d.timeline.totalCount],
    [
      'timelineMonths',
      `query ($by: Date, $ids: [ID!]!) { timelineMonths(actorIds: $ids, reportedBy: $by) { total } }`,
      (d) => d.timelineMonths.reduce((n: number, m: any) => n + m.total, 0),
    ],
    [
      'shipmentReport buckets',
      `query ($by: Date) { shipmentReport(from: "2022-01-01", to: "2023-12-31", ${seed}, reportedBy: $by) { buckets { shipments } } }`,
      (d) => d.shipmentReport.buckets.reduce((n: number, b: any) => n + b.shipments, 0),
    ],
    [
      'shipmentReport totals',
      `query ($by: Date) { shipmentReport(from: "2022-01-01", to: "2023-12-31", granularity: YEAR, ${seed}, reportedBy: $by) { totals { shipments } } }`,
      (d) => d.shipmentReport.totals.reduce((n: number, t: any) => n + t.shipments, 0),
    ],
    [
      'shipmentReport series',
      `query ($by: Date) { shipmentReport(from: "2022-01-01", to: "2023-12-31", granularity: QUARTER, ${seed}, reportedBy: $by) { series { shipments } } }`,
      (d) => d.shipmentReport.series.flatMap((s: any) => s.shipments).reduce((n: number, x: number) => n + x, 0),
    ],
    [
      'eventStats',
      `query ($by: Date) { eventStats(from: "2022-01-01", to: "2023-12-31", ${seedEvents}, reportedBy: $by) { events } }`,
      (d) => d.eventStats.reduce((n: number, b: any) => n + b.events, 0),
    ],
  ];

  it.each(cases)('%s: nothing of the seed by 2023-10-01, all of it by 2024-06-30', async (_, query, count) => {
    const seedOnly = ok(await server.gql(query, { by: '2024-06-30', ids }));
    const none = ok(await server.gql(query, { by: '2023-10-01', ids }));
    expect(count(none)).toBe(0);
    expect(count(seedOnly)).toBeGreaterThan(0);
  });

  it.each(cases)('%s: a bad date is BAD_USER_INPUT on reportedBy', async (_, query) => {
    for (const by of ['2023-02-30', '2023-10', 'yesterday']) {
      const res = await server.gql(query, { by, ids });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reportedBy' });
    }
  });

  it.each(['shipments.csv', 'events.csv'])('GET /reports/%s takes reportedBy, and refuses a bad date on it', async (file) => {
    const url = (params: Record<string, string>) => {
      const u = new URL(server.url.replace(/\/graphql$/, `/reports/${file}`));
      const only = file === 'shipments.csv' ? { supplierIds: `${DPRK},${RUSSIA}` } : { actorIds: `${DPRK},${RUSSIA}` };
      for (const [k, v] of Object.entries({ from: '2022-01-01', to: '2023-12-31', granularity: 'YEAR', ...only, ...params })) u.searchParams.set(k, v);
      return u;
    };
    const column = file === 'shipments.csv' ? 'shipments' : 'events';
    const total = async (by: string) => {
      const res = await fetch(url({ reportedBy: by }));
      expect(res.status).toBe(200);
      const [header, ...rows] = parse(await res.text()) as string[][];
      return rows.reduce((n, r) => n + Number(r[header.indexOf(column)]), 0);
    };
    expect(await total('2023-10-01')).toBe(0);
    expect(await total('2024-06-30')).toBeGreaterThan(0);
    const bad = await fetch(url({ reportedBy: '2023-02-30' }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'BAD_USER_INPUT', field: 'reportedBy' });
  });

  it('eventStats counts an event by its claimed date', async () => {
    const a = await actor('event actor');
    const claimant = await actor('event claimant');
    const wire = await source('Event wire', '2023-06-01');
    const e = await events.createEvent(server.db, {
      type: 'MEETING',
      title: 'A meeting',
      confidence: 'REPORTED',
      date: { edtf: '2023-05-10' },
      participants: [{ actorId: a, role: 'PARTICIPANT' }],
    });
    const c = await cite(wire, { eventId: e.id });
    await claims.createClaim(server.db, {
      claimantId: claimant,
      eventId: e.id,
      citationId: c,
      likelihood: 'LIKELY',
      field: 'date',
      value: '2023-04',
      statedOn: '2023-06-02',
    });
    const q = `query ($by: Date) { eventStats(from: "2023-04-01", to: "2023-05-31", filter: { actorIds: ["${a}"] }, reportedBy: $by) { period events } }`;
    expect(ok(await server.gql(q, { by: '2023-06-01' })).eventStats).toEqual([
      { period: '2023-04', events: 0 },
      { period: '2023-05', events: 1 },
    ]);
    expect(ok(await server.gql(q, { by: '2023-06-02' })).eventStats).toEqual([
      { period: '2023-04', events: 1 },
      { period: '2023-05', events: 0 },
    ]);
    const timeline = `query ($by: Date) { timeline(actorIds: ["${a}"], reportedBy: $by) { edges { at { edtf } node { ... on Event { title date { edtf } } } } } }`;
    expect(ok(await server.gql(timeline, { by: '2023-06-02' })).timeline.edges).toEqual([
      { at: { edtf: '2023-04' }, node: { title: 'A meeting', date: { edtf: '2023-04' } } },
    ]);
  });
});

// ------------------------------------------------------------------ nested fields

describe('nested fields as reported by the day: citations, claims, sourceCount, linked records, affiliations', () => {
  const given = useBeforeAll(async () => {
    const supplier = await actor('nested supplier');
    const recipient = await actor('nested recipient');
    const unit = await actor('nested unit');
    const early = await source('Nested wire', '2023-09-20');
    const late = await source('Nested monthly', '2023-11-15');
    // A shipment cited early and late, with a claim of each date.
    const known = await shipment(supplier, recipient, 700);
    const earlyCitation = await cite(early, { shipmentId: known });
    const lateCitation = await cite(late, { shipmentId: known });
    const claim = (citationId: string, value: string) =>
      claims.createClaim(server.db, { claimantId: supplier, shipmentId: known, likelihood: 'LIKELY', citationId, field: 'quantity', value });
    const earlyClaim = (await claim(earlyCitation, 'about 500')).id;
    await claim(lateCitation, '700');
    // A shipment only the late source reports; both linked to an event the early wire reports.
    const later = await shipment(supplier, recipient, 90);
    await cite(late, { shipmentId: later });
    const event = await events.createEvent(server.db, {
      type: 'MEETING',
      title: 'Nested handover',
      date: { edtf: '2023-09-10' },
      confidence: 'REPORTED',
      participants: [{ actorId: supplier, role: 'PARTICIPANT' }],
    });
    await cite(early, { eventId: event.id });
    await shipments.updateShipment(server.db, known, { eventIds: [event.id] });
    await shipments.updateShipment(server.db, later, { eventIds: [event.id] });
    // The supplier's affiliations: one reported early, one late.
    const affiliation = async (role: 'MEMBER_OF' | 'OFFICIAL_OF', sourceIdValue: string) => {
      const f = await affiliations.createAffiliation(server.db, { actorId: unit, role, targetId: supplier });
      await sources.createCitation(server.db, { sourceId: sourceIdValue, excerpt: 'As reported.', affiliationId: f.id });
      return f.id;
    };
    const earlyAffiliation = await affiliation('MEMBER_OF', early);
    const lateAffiliation = await affiliation('OFFICIAL_OF', late);
    return { supplier, known, later, event: event.id, earlyCitation, lateCitation, earlyClaim, earlyAffiliation, lateAffiliation };
  });

  const SHIPMENT = `query ($filter: ShipmentFilter, $by: Date) { shipments(filter: $filter, reportedBy: $by, first: 10) { edges { node { id quantity
    citations { id } sourceCount claims { id value } events { id shipments { id quantity } } supplier { affiliations { id } } } } } }`;
  const read = async (by: string | null) =>
    ok(await server.gql(SHIPMENT, { filter: { supplierIds: [given.supplier] }, by })).shipments.edges.map((e: any) => e.node);

  it('answer as of the day: only what sources published by then say', async () => {
    expect(await read('2023-10-01')).toEqual([
      {
        id: given.known,
        quantity: 500,
        citations: [{ id: given.earlyCitation }],
        sourceCount: 1,
        claims: [{ id: given.earlyClaim, value: 'about 500' }],
        // The event's other shipment was not reported yet; this one carries the value claimed by then.
        events: [{ id: given.event, shipments: [{ id: given.known, quantity: 500 }] }],
        supplier: { affiliations: [{ id: given.earlyAffiliation }] },
      },
    ]);
  });

  it('answer in full once every source is out, and without the argument', async () => {
    for (const by of ['2023-12-01', null]) {
      const nodes = await read(by);
      expect(nodes.map((n: any) => n.id).sort()).toEqual([given.known, given.later].sort());
      const node = nodes.find((n: any) => n.id === given.known);
      expect(node.citations.map((c: any) => c.id)).toEqual([given.earlyCitation, given.lateCitation]);
      expect(node.sourceCount).toBe(2);
      expect(node.claims).toHaveLength(2);
      expect(node.events[0].shipments.map((s: any) => s.id).sort()).toEqual([given.known, given.later].sort());
      expect(node.supplier.affiliations.map((f: any) => f.id).sort()).toEqual([given.earlyAffiliation, given.lateAffiliation].sort());
    }
  });

  it("hold on the events list and the timeline too (an event's citations and shipments)", async () => {
    const q = `query ($by: Date) { events(filter: { search: "Nested handover" }, reportedBy: $by) { edges { node { citations { id } shipments { id } } } }
      timeline(actorIds: ["${given.supplier}"], reportedBy: $by, include: [EVENT]) { edges { node { ... on Event { shipments { id } } } } } }`;
    const data = ok(await server.gql(q, { by: '2023-10-01' }));
    expect(data.events.edges).toHaveLength(1);
    expect(data.events.edges[0].node.shipments).toEqual([{ id: given.known }]);
    expect(data.events.edges[0].node.citations).toHaveLength(1);
    expect(data.timeline.edges).toEqual([{ node: { shipments: [{ id: given.known }] } }]);
  });
});

// ------------------------------------------------------------------ timeline(asOf) before an actor was recorded

describe('timeline as of an instant before an actor was recorded', () => {
  it('is an empty feed for an actor recorded later, and BAD_USER_INPUT for an id that never existed', async () => {
    const before = await instant();
    const late = await actor('late');
    const q = `query ($ids: [ID!]!, $at: DateTime) { timeline(actorIds: $ids, asOf: $at) { totalCount edges { kind } }
      timelineMonths(actorIds: $ids, asOf: $at) { month } }`;
    expect(ok(await server.gql(q, { ids: [late], at: before }))).toEqual({ timeline: { totalCount: 0, edges: [] }, timelineMonths: [] });
    // With a known actor beside it, the feed is the known actor's.
    const both = ok(await server.gql(q, { ids: [DPRK, late], at: before }));
    expect(both.timeline.totalCount).toBeGreaterThan(0);
    const never = await server.gql(q, { ids: [DPRK, '00000000-0000-4000-8000-000000000000'], at: before });
    expect(never.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'actorIds[1]' });
    expect(never.errors?.[0].message).toMatch(/No actor with id/);
  });
});
