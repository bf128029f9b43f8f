// Knowledge time for provenance: sources, citations and claims are versioned, so nested
// citations/sources/claims, corroboration (sourceCount, minSources), an actor's affiliations,
// actor(id, asOf) and claims(asOf) answer as the database stood at an instant — before and
// after an edit and a delete; the change feed reports them; the CSV reports and
// `npm run report` take the same asOf as GraphQL.
import { parse } from 'csv-parse/sync';
import { options, produce } from '../../src/cli/report';
import { instant, useUnseededServer } from '../support/knowledge-time';

const unseeded = useUnseededServer();
const { ok, byId } = unseeded;

async function create(mutation: string, input: Record<string, unknown>): Promise<string> {
  const type = mutation.charAt(0).toUpperCase() + mutation.slice(1);
  const data = await ok(`mutation ($input: ${type}Input!) { ${mutation}(input: $input) { id } }`, { input });
  return data[mutation].id;
}

const actor = (name: string) => create('createActor', { name, kind: 'STATE' });

function csvUrl(file: string, params: Record<string, string>): string {
  const url = new URL(unseeded.server.url.replace(/\/graphql$/, `/reports/${file}`));
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

// Ids and instants of one story, told in three steps:
//   t0 | created: a shipment and an event cited by "Wire A", a claim of 1,000 containers,
//        an affiliation of the claimant
//   t1 | edited: "Paper B" cited too (a second publisher), the first citation and its source
//        corrected, a competing claim of 1,200 accepted, the claimant renamed
//   t2 | deleted: the first citation, the first claim, the affiliation
//   t3
let supplier: string;
let recipient: string;
let claimant: string;
let group: string;
let shipmentId: string;
let eventId: string;
let wireA: string;
let paperB: string;
let firstCitation: string;
let firstClaim: string;
let secondClaim: string;
let affiliation: string;
let t0: string;
let t1: string;
let t2: string;
let t3: string;

beforeAll(async () => {
  t0 = await instant();
  supplier = await actor('Provenland');
  recipient = await actor('Recipia');
  claimant = await actor('Spokesperson Kirbo');
  group = await actor('Provenland Council');
  shipmentId = await create('createShipment', {
    supplierId: supplier,
    recipientId: recipient,
    category: 'MILITARY_EQUIPMENT',
    quantity: 1000,
    unit: 'containers',
    deliverySpan: { edtf: '2023-09' },
    status: 'REPORTED',
    confidence: 'REPORTED',
  });
  eventId = await create('createEvent', {
    type: 'MEETING',
    title: 'Handover',
    date: { edtf: '2023-09-13' },
    confidence: 'REPORTED',
    participants: [{ actorId: supplier, role: 'INITIATOR' }],
  });
  wireA = await create('createSource', { publisher: 'Wire A', title: 'Containers seen' });
  firstCitation = await create('createCitation', { sourceId: wireA, excerpt: 'first', shipmentId, evidenceType: 'MEDIA_REPORT' });
  await create('createCitation', { sourceId: wireA, excerpt: 'event, first', eventId });
  firstClaim = await create('createClaim', {
    claimantId: claimant,
    shipmentId,
    field: 'quantity',
    value: '1000',
    likelihood: 'LIKELY',
    citationId: firstCitation,
  });
  affiliation = await create('createAffiliation', { actorId: claimant, role: 'HEAD_OF', targetId: group });
  t1 = await instant();

  paperB = await create('createSource', { publisher: 'Paper B', title: 'Second look' });
  await create('createCitation', { sourceId: paperB, excerpt: 'second', shipmentId, evidenceType: 'SATELLITE_IMAGERY' });
  await create('createCitation', { sourceId: paperB, excerpt: 'event, second', eventId });
  await byId('updateCitation', firstCitation, 'input: { excerpt: "first (corrected)" }');
  await byId('updateSource', wireA, 'input: { title: "Containers seen (updated)" }');
  secondClaim = await create('createClaim', { claimantId: claimant, shipmentId, field: 'quantity', value: '1200', likelihood: 'VERY_LIKELY' });
  await byId('acceptClaim', secondClaim);
  await byId('updateActor', claimant, 'input: { name: "Spokesperson Kirby" }');
  t2 = await instant();

  // the first claim is made in the first citation: deleted with it, by its cascade
  await byId('deleteCitation', firstCitation, 'cascade: true');
  await byId('deleteAffiliation', affiliation);
  t3 = await instant();
}, 120_000);

describe('nested provenance as of an instant', () => {
  const SHIPMENT = `query ($id: ID!, $at: DateTime) { shipment(id: $id, asOf: $at) {
    quantity sourceCount
    citations { excerpt evidenceType source { publisher title } }
    claims { value likelihood accepted claimant { name } citation { excerpt } subject { ... on Shipment { quantity } } } } }`;
  const read = async (at: string | null) => (await ok(SHIPMENT, { id: shipmentId, at })).shipment;

  it('Shipment.citations, Citation.source, Shipment.claims and sourceCount: before, after the edit, after the delete', async () => {
    expect(await read(t0)).toBeNull();
    const claim1 = { value: '1000', likelihood: 'LIKELY', claimant: { name: 'Spokesperson Kirbo' } };
    expect(await read(t1)).toEqual({
      quantity: 1000,
      sourceCount: 1,
      citations: [{ excerpt: 'first', evidenceType: 'MEDIA_REPORT', source: { publisher: 'Wire A', title: 'Containers seen' } }],
      claims: [{ ...claim1, accepted: false, citation: { excerpt: 'first' }, subject: { quantity: 1000 } }],
    });
    const claim2 = {
      value: '1200',
      likelihood: 'VERY_LIKELY',
      accepted: true,
      claimant: { name: 'Spokesperson Kirby' },
      citation: null,
      subject: { quantity: 1200 },
    };
    expect(await read(t2)).toEqual({
      quantity: 1200,
      sourceCount: 2,
      citations: [
        { excerpt: 'first (corrected)', evidenceType: 'MEDIA_REPORT', source: { publisher: 'Wire A', title: 'Containers seen (updated)' } },
        { excerpt: 'second', evidenceType: 'SATELLITE_IMAGERY', source: { publisher: 'Paper B', title: 'Second look' } },
      ],
      // the accepted one first within a field; the claimant under its name of then
      claims: [
        claim2,
        { ...claim1, claimant: { name: 'Spokesperson Kirby' }, accepted: false, citation: { excerpt: 'first (corrected)' }, subject: { quantity: 1200 } },
      ],
    });
    const after = {
      quantity: 1200,
      sourceCount: 1,
      citations: [{ excerpt: 'second', evidenceType: 'SATELLITE_IMAGERY', source: { publisher: 'Paper B', title: 'Second look' } }],
      claims: [claim2],
    };
    expect(await read(t3)).toEqual(after);
    expect(await read(null)).toEqual(after); // the live tables agree with the latest instant
  });

  it('Event.citations, Event.claims and sourceCount', async () => {
    const q = `query ($id: ID!, $at: DateTime) { event(id: $id, asOf: $at) { sourceCount citations { excerpt source { publisher } } claims { value } } }`;
    const at = async (t: string | null) => (await ok(q, { id: eventId, at: t })).event;
    expect(await at(t0)).toBeNull();
    expect(await at(t1)).toEqual({ sourceCount: 1, citations: [{ excerpt: 'event, first', source: { publisher: 'Wire A' } }], claims: [] });
    expect((await at(t2)).sourceCount).toBe(2);
    expect((await at(t3)).citations.map((c: any) => c.excerpt)).toEqual(['event, first', 'event, second']);
  });

  it('claims(subjectId, field, asOf): the list and its total as of each instant', async () => {
    const q = `query ($id: ID!, $at: DateTime) { claims(subjectId: $id, field: "quantity", asOf: $at, first: 1) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { value accepted } } } }`;
    const page = async (at: string | null) => (await ok(q, { id: shipmentId, at })).claims;
    expect((await page(t0)).totalCount).toBe(0);
    expect((await page(t1)).edges.map((e: any) => e.node)).toEqual([{ value: '1000', accepted: false }]);
    const t2Page = await page(t2);
    expect(t2Page.totalCount).toBe(2);
    expect(t2Page.pageInfo.hasNextPage).toBe(true);
    const next = await ok(
      `query ($id: ID!, $at: DateTime, $after: String) { claims(subjectId: $id, asOf: $at, after: $after) { edges { node { value accepted } } } }`,
      { id: shipmentId, at: t2, after: t2Page.pageInfo.endCursor },
    );
    expect([...t2Page.edges, ...next.claims.edges].map((e: any) => e.node)).toEqual([
      { value: '1000', accepted: false },
      { value: '1200', accepted: true },
    ]);
    expect((await page(t3)).edges.map((e: any) => e.node)).toEqual([{ value: '1200', accepted: true }]);
    expect(await page(t3)).toEqual(await page(null));
  });

  it('actor(id, asOf) with its affiliations as of the same instant', async () => {
    const q = `query ($id: ID!, $at: DateTime) { actor(id: $id, asOf: $at) { name affiliations { role target { name } } } }`;
    const at = async (t: string | null) => (await ok(q, { id: claimant, at: t })).actor;
    expect(await at(t0)).toBeNull();
    expect(await at(t1)).toEqual({ name: 'Spokesperson Kirbo', affiliations: [{ role: 'HEAD_OF', target: { name: 'Provenland Council' } }] });
    expect(await at(t2)).toEqual({ name: 'Spokesperson Kirby', affiliations: [{ role: 'HEAD_OF', target: { name: 'Provenland Council' } }] });
    expect(await at(t3)).toEqual({ name: 'Spokesperson Kirby', affiliations: [] });
    expect(await at(null)).toEqual(await at(t3));
  });

  it('refuses an asOf in the future on actor and claims, naming the argument', async () => {
    const future = new Date(Date.now() + 60_000).toISOString();
    for (const query of [
      `query ($at: DateTime) { actor(id: "${claimant}", asOf: $at) { id } }`,
      `query ($at: DateTime) { claims(subjectId: "${shipmentId}", asOf: $at) { totalCount } }`,
    ]) {
      const res = await unseeded.server.gql(query, { at: future });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'asOf' });
    }
  });
});

describe('minSources as of an instant: corroboration counts the citations of then', () => {
  it('lists, timeline (as-of and live event branches), timelineMonths and reports: before and after the second publisher, after the delete', async () => {
    const q = `query ($at: DateTime, $ids: [ID!]!) {
      shipments(asOf: $at, filter: { supplierIds: $ids, minSources: 2 }) { totalCount }
      events(asOf: $at, filter: { actorIds: $ids, minSources: 2 }) { totalCount }
      timeline(actorIds: $ids, minSources: 2, asOf: $at) { edges { kind } }
      timelineMonths(actorIds: $ids, minSources: 2, asOf: $at) { month events shipments }
      shipmentReport(from: "2023-09-01", to: "2023-09-30", filter: { supplierIds: $ids, minSources: 2 }, asOf: $at) { totals { shipments quantity } }
      eventStats(from: "2023-09-01", to: "2023-09-30", filter: { actorIds: $ids, minSources: 2 }, asOf: $at) { events } }`;
    const read = (at: string | null) => ok(q, { at, ids: [supplier] });

    // one publisher only: nothing has two sources yet
    const before = await read(t1);
    expect(before.shipments.totalCount).toBe(0);
    expect(before.events.totalCount).toBe(0);
    expect(before.timeline.edges).toEqual([]);
    expect(before.timelineMonths).toEqual([]);
    expect(before.shipmentReport.totals).toEqual([]);
    expect(before.eventStats).toEqual([]);

    // Paper B cited: both are corroborated
    const corroborated = await read(t2);
    expect(corroborated.shipments.totalCount).toBe(1);
    expect(corroborated.events.totalCount).toBe(1);
    expect(corroborated.timeline.edges).toEqual([{ kind: 'SHIPMENT' }, { kind: 'EVENT' }]);
    expect(corroborated.timelineMonths).toEqual([{ month: '2023-09', events: 1, shipments: 1 }]);
    expect(corroborated.shipmentReport.totals).toEqual([{ shipments: 1, quantity: 1200 }]);
    expect(corroborated.eventStats).toEqual([{ events: 1 }]);

    // the shipment's Wire A citation deleted: only the event keeps two publishers; live agrees
    const later = await read(t3);
    expect(later.shipments.totalCount).toBe(0);
    expect(later.timeline.edges).toEqual([{ kind: 'EVENT' }]);
    expect(later.shipmentReport.totals).toEqual([]);
    expect(later.eventStats).toEqual([{ events: 1 }]);
    expect(await read(null)).toEqual(later);
  });

  it('a repeat of the same story (derived source) does not corroborate, as of any instant', async () => {
    const repeat = await create('createSource', { publisher: 'Reprint Weekly', title: 'Containers seen, again', derivedFromId: paperB });
    const citation = await create('createCitation', { sourceId: repeat, excerpt: 'reprinted', shipmentId });
    const at = await instant();
    const q = `query ($id: ID!, $at: DateTime) { shipment(id: $id, asOf: $at) { sourceCount citations { excerpt } } }`;
    expect((await ok(q, { id: shipmentId, at })).shipment).toEqual({ sourceCount: 1, citations: [{ excerpt: 'second' }, { excerpt: 'reprinted' }] });
    await byId('deleteCitation', citation);
    expect((await ok(q, { id: shipmentId, at })).shipment.citations).toHaveLength(2); // still, as of then
  });
});

describe('the change feed reports sources, citations and claims', () => {
  it('creates, updates and deletes, in order', async () => {
    const FEED = `query ($since: DateTime!, $after: String, $entities: [ChangeEntity!]) {
      changes(since: $since, after: $after, first: 100, entities: $entities) { edges { node { entity id operation values } } } }`;
    const feed = async (since: string, entities: string[]) =>
      (await ok(FEED, { since, entities })).changes.edges.map((e: any) => e.node) as { entity: string; id: string; operation: string; values: any }[];
    const line = (c: { entity: string; operation: string; values: any }) =>
      `${c.entity} ${c.operation} ${c.values.excerpt ?? c.values.value ?? c.values.publisher}${c.entity === 'CLAIM' ? ` ${c.values.accepted}` : ''}`;

    // the story's changes from t1 (later tests' changes follow them)
    expect((await feed(t1, ['SOURCE', 'CITATION', 'CLAIM'])).slice(0, 9).map(line)).toEqual([
      'SOURCE CREATE Paper B',
      'CITATION CREATE second',
      'CITATION CREATE event, second',
      'CITATION UPDATE first (corrected)',
      'SOURCE UPDATE Wire A',
      'CLAIM CREATE 1200 false',
      'CLAIM UPDATE 1200 true', // accepting a claim
      'CITATION DELETE first (corrected)',
      'CLAIM DELETE 1000 false',
    ]);
    const between = await feed(t0, ['CLAIM']);
    expect(between.filter((c) => c.operation === 'CREATE').map((c) => c.id)).toEqual([firstClaim, secondClaim]);
    expect(between.find((c) => c.operation === 'DELETE')?.values).toMatchObject({ id: firstClaim, deleted_at: expect.any(String), accepted: false });
  });
});

describe('asOf on the CSV reports and npm run report', () => {
  it('/reports/shipments.csv and /reports/events.csv as of an instant equal GraphQL as of it', async () => {
    for (const at of [t1, t2, t3]) {
      const gql = await ok(
        `query ($at: DateTime, $ids: [ID!]!) {
          shipmentReport(from: "2023-09-01", to: "2023-09-30", groupBy: [SUPPLIER], filter: { supplierIds: $ids }, asOf: $at) {
            buckets { period supplier { id name } unit shipments quantity } }
          eventStats(from: "2023-09-01", to: "2023-09-30", groupBy: [ACTOR], filter: { actorIds: $ids, minSources: 2 }, asOf: $at) { period actor { name } events } }`,
        { at, ids: [supplier] },
      );
      const res = await fetch(csvUrl('shipments.csv', { from: '2023-09-01', to: '2023-09-30', groupBy: 'SUPPLIER', supplierIds: supplier, asOf: at }));
      expect(res.status).toBe(200);
      const rows = parse(await res.text(), { columns: true }) as Record<string, string>[];
      expect(
        rows.map((r) => ({
          period: r.period,
          supplier: { id: r.supplier_id, name: r.supplier },
          unit: r.unit,
          shipments: Number(r.shipments),
          quantity: Number(r.quantity),
        })),
      ).toEqual(gql.shipmentReport.buckets);
      const events = await fetch(
        csvUrl('events.csv', { from: '2023-09-01', to: '2023-09-30', groupBy: 'ACTOR', actorIds: supplier, minSources: '2', asOf: at }),
      );
      expect(events.status).toBe(200);
      const eventRows = parse(await events.text(), { columns: true }) as Record<string, string>[];
      expect(eventRows.map((r) => ({ period: r.period, actor: r.actor ? { name: r.actor } : null, events: Number(r.events) }))).toEqual(gql.eventStats);
    }
    // the quantity as of t1 is the claim of then, not today's
    const t1Csv = parse(await (await fetch(csvUrl('shipments.csv', { from: '2023-09-01', to: '2023-09-30', supplierIds: supplier, asOf: t1 }))).text(), {
      columns: true,
    }) as Record<string, string>[];
    expect(t1Csv.map((r) => r.quantity)).toEqual(['1000']);
  });

  it('refuses a future or malformed asOf with a 400 naming asOf', async () => {
    const future = new Date(Date.now() + 60_000).toISOString();
    for (const [file, asOf, message] of [
      ['shipments.csv', future, /in the future/],
      ['events.csv', future, /in the future/],
      ['shipments.csv', 'yesterday', /date-time/],
      ['events.csv', '2023-10-13', /date-time/],
    ] as const) {
      const res = await fetch(csvUrl(file, { from: '2023-09-01', to: '2023-09-30', asOf }));
      expect(res.status).toBe(400);
      const body = (await res.json()) as { message: string };
      expect(body).toMatchObject({ error: 'BAD_USER_INPUT', field: 'asOf' });
      expect(body.message).toMatch(message);
    }
  });

  it('npm run report -- --as-of prints the CSV of the same instant', async () => {
    const args = ['--from', '2023-09-01', '--to', '2023-09-30', '--group-by', 'SUPPLIER', '--csv', '--as-of', t1];
    const cli = await produce(unseeded.server.db, options(args)!);
    // (the bytes as sent: Response.text() would drop the byte-order mark both start with)
    const http = Buffer.from(
      await (await fetch(csvUrl('shipments.csv', { from: '2023-09-01', to: '2023-09-30', groupBy: 'SUPPLIER', asOf: t1 }))).arrayBuffer(),
    ).toString('utf8');
    expect(cli).toBe(http);
    expect(cli).toContain('Provenland');
    await expect(produce(unseeded.server.db, options([...args.slice(0, -1), 'soon'])!)).rejects.toMatchObject({ field: 'asOf' });
  });
});

describe('nested provenance as of an instant is batched', () => {
  it('costs the same number of SQL statements for 3 and for 12 events', async () => {
    const x = await actor('Citeland');
    const source = await create('createSource', { publisher: 'Batch Wire', title: 'Batch' });
    for (let i = 0; i < 12; i++) {
      const id = await create('createEvent', {
        type: 'MEETING',
        title: `Cited ${i}`,
        date: { edtf: `2025-04-0${(i % 9) + 1}` },
        confidence: 'REPORTED',
        participants: [{ actorId: x, role: 'PARTICIPANT' }],
      });
      await create('createCitation', { sourceId: source, excerpt: `excerpt ${i}`, eventId: id });
      await create('createClaim', { claimantId: x, eventId: id, likelihood: 'LIKELY' });
    }
    const at = await instant();
    const page = `query ($first: Int, $at: DateTime) { events(first: $first, asOf: $at, filter: { from: "2025-04-01", to: "2025-04-30" }) {
      edges { node { sourceCount citations { excerpt source { publisher } } claims { likelihood claimant { name affiliations { role } } } } } } }`;
    const statementsFor = async (first: number) => {
      const before = unseeded.server.db.statements!.count();
      const res = await ok(page, { first, at });
      expect(res.events.edges).toHaveLength(first);
      expect(res.events.edges[first - 1].node).toMatchObject({
        sourceCount: 1,
        citations: [{ source: { publisher: 'Batch Wire' } }],
        claims: [{ claimant: { name: 'Citeland' } }],
      });
      return unseeded.server.db.statements!.count() - before;
    };
    const small = await statementsFor(3);
    expect(await statementsFor(12)).toBe(small);
  });
});
