// Issue #26, uncertainty kept end to end, over HTTP on a real server and database: EDTF
// qualifiers and open or unknown ends on every span input and every read path (single records,
// lists, timeline nodes and `at`, affiliations, sources, as of an instant, the change feed);
// qualifiers never move bounds; an open end bounded by the known one (windows included);
// quantities with each qualifier through create, update and claims; bad input refused on its
// field; and round trips API → database → export (NDJSON, CSV) → import (fresh database) → API.
import { expectData, instant } from '../support/knowledge-time';
import { csvPerKind, exportedRecords, IMPORT_RECORDS, ndjsonOf } from '../support/records';
import { useServer, useServersPerTest, type TestServer } from '../support/server';

const server = useServer({});

const ok = <T = any>(query: string, variables?: Record<string, unknown>, on: TestServer = server) => expectData<T>(on, query, variables);

/** The error of a request that must fail: its code and field. */
async function refused(query: string, variables?: Record<string, unknown>): Promise<{ code?: string; field?: string; message: string }> {
  const res = await server.gql(query, variables);
  expect(res.data ?? null).toBeNull();
  expect(res.errors).toHaveLength(1);
  const [e] = res.errors!;
  return { code: e.extensions?.code, field: e.extensions?.field as string | undefined, message: e.message };
}

const SPAN = `start end precision text edtf startDate endDate startBound endBound startQualifier endQualifier uncertain approximate`;
const QUANTITY = `quantity quantityLow quantityHigh quantityQualifier quantityText unit`;

/** What DateSpan answers for a span, its bounds first. */
function span(start: string, end: string, precision: string, edtf: string, more: Record<string, unknown> = {}, text: string | null = null) {
  return {
    start,
    end,
    precision,
    text,
    edtf,
    startDate: start,
    endDate: end,
    startBound: 'KNOWN',
    endBound: 'KNOWN',
    startQualifier: null,
    endQualifier: null,
    uncertain: false,
    approximate: false,
    ...more,
  };
}

async function actor(name: string, on: TestServer = server): Promise<string> {
  return (await ok(`mutation ($name: String!) { createActor(input: { name: $name, kind: STATE }) { id } }`, { name }, on)).createActor.id;
}

const CREATE_SHIPMENT = `mutation ($input: CreateShipmentInput!) { createShipment(input: $input) { id ${QUANTITY} deliverySpan { ${SPAN} } } }`;

describe('date spans: every input takes qualifiers and open ends, every read path answers them', () => {
  let a: string;
  let b: string;
  let eventId: string;
  let shipmentId: string;
  let sourceId: string;

  const about = span(
    '2023-11-01',
    '2023-11-30',
    'MONTH',
    '2023-11~',
    { startQualifier: 'APPROXIMATE', endQualifier: 'APPROXIMATE', approximate: true },
    'about November (year assumed: 2023)',
  );
  const fromSept11 = span('2023-09-11', '2023-09-11', 'RANGE', '2023-09-11/', { endDate: null, endBound: 'UNKNOWN' }, 'from 11 September, end not known');
  const fromSeptOn = span('2023-09-01', '2023-09-30', 'RANGE', '2023-09~/..', {
    endDate: null,
    endBound: 'OPEN',
    startQualifier: 'APPROXIMATE',
    approximate: true,
  });
  const window = span('2023-10-13', '2023-10-31', 'RANGE', '2023-10-13/2023-10-31');
  let t0: string;

  beforeAll(async () => {
    t0 = await instant();
    a = await actor('Spanland');
    b = await actor('Boundaria');
    const event = await ok(
      `mutation ($a: ID!, $b: ID!) { createEvent(input: { type: MEETING, title: "Talks", confidence: REPORTED,
         date: { edtf: "2023-11~", text: "about November (year assumed: 2023)" },
         participants: [{ actorId: $a, role: INITIATOR }, { actorId: $b, role: TARGET }] }) { id date { ${SPAN} } } }`,
      { a, b },
    );
    eventId = event.createEvent.id;
    expect(event.createEvent.date).toEqual(about);
    const shipment = await ok(CREATE_SHIPMENT, {
      input: {
        supplierId: a,
        recipientId: b,
        category: 'FOOD',
        status: 'REPORTED',
        confidence: 'ASSESSED',
        eventIds: [eventId],
        deliverySpan: { edtf: '2023-09-11/', text: 'from 11 September, end not known' },
      },
    });
    shipmentId = shipment.createShipment.id;
    expect(shipment.createShipment.deliverySpan).toEqual(fromSept11);
    const affiliation = await ok(
      `mutation ($a: ID!, $b: ID!) { createAffiliation(input: { actorId: $a, targetId: $b, role: MEMBER_OF, span: { edtf: "2023-09~/.." } }) { span { ${SPAN} } } }`,
      { a, b },
    );
    expect(affiliation.createAffiliation.span).toEqual(fromSeptOn);
    const source = await ok(
      `mutation { createSource(input: { publisher: "Espreso", title: "DPRK will continue", published: { edtf: "2023-10-13/2023-10-31" } }) {
         id publishedAt published { ${SPAN} } } }`,
    );
    sourceId = source.createSource.id;
    expect(source.createSource).toMatchObject({ publishedAt: '2023-10-13', published: window });
    await ok(`mutation ($s: ID!, $e: ID!) { createCitation(input: { sourceId: $s, eventId: $e, excerpt: "talks" }) { id } }`, { s: sourceId, e: eventId });
  }, 60_000);

  it("single records, lists, an actor's affiliations, a citation's source", async () => {
    const data = await ok(
      `query ($e: ID!, $s: ID!, $a: ID!, $src: ID!) {
         event(id: $e) { date { ${SPAN} } }
         events(filter: { actorIds: [$a] }) { edges { node { date { ${SPAN} } citations { source { publishedAt published { ${SPAN} } } } } } }
         shipment(id: $s) { deliverySpan { ${SPAN} } events { date { edtf } } }
         shipments(filter: { supplierIds: [$a] }) { edges { node { deliverySpan { ${SPAN} } } } }
         actor(id: $a) { affiliations { span { ${SPAN} } } }
         source(id: $src) { publishedAt published { ${SPAN} } }
         sources { id published { edtf } } }`,
      { e: eventId, s: shipmentId, a, src: sourceId },
    );
    expect(data.event.date).toEqual(about);
    expect(data.events.edges).toEqual([{ node: { date: about, citations: [{ source: { publishedAt: '2023-10-13', published: window } }] } }]);
    expect(data.shipment).toEqual({ deliverySpan: fromSept11, events: [{ date: { edtf: '2023-11~' } }] });
    expect(data.shipments.edges).toEqual([{ node: { deliverySpan: fromSept11 } }]);
    expect(data.actor.affiliations).toEqual([{ span: fromSeptOn }]);
    expect(data.source).toEqual({ publishedAt: '2023-10-13', published: window });
    expect(data.sources.filter((x: { id: string }) => x.id === sourceId)).toEqual([{ id: sourceId, published: { edtf: '2023-10-13/2023-10-31' } }]);
  });

  it('timeline nodes and their `at`, whatever else the page selects', async () => {
    const page = await ok(
      `query ($ids: [ID!]!) { timeline(actorIds: $ids) { edges { kind at { ${SPAN} }
         node { ... on Event { date { ${SPAN} } } ... on Shipment { deliverySpan { ${SPAN} } } ... on Affiliation { span { ${SPAN} } } } } } }`,
      { ids: [a] },
    );
    expect(page.timeline.edges).toEqual([
      { kind: 'AFFILIATION', at: fromSeptOn, node: { span: fromSeptOn } },
      { kind: 'SHIPMENT', at: fromSept11, node: { deliverySpan: fromSept11 } },
      { kind: 'EVENT', at: about, node: { date: about } },
    ]);
    // Only `at`'s EDTF, no node field; only the nodes' bounds: the page reads what it answers.
    const at = await ok(`query ($ids: [ID!]!) { timeline(actorIds: $ids) { edges { at { edtf endBound } node { __typename } } } }`, { ids: [a] });
    expect(at.timeline.edges.map((e: { at: unknown }) => e.at)).toEqual([
      { edtf: '2023-09~/..', endBound: 'OPEN' },
      { edtf: '2023-09-11/', endBound: 'UNKNOWN' },
      { edtf: '2023-11~', endBound: 'KNOWN' },
    ]);
    const bounds = await ok(`query ($ids: [ID!]!) { timeline(actorIds: $ids) { edges { node { ... on Event { date { start end } } } } } }`, { ids: [a] });
    expect(bounds.timeline.edges[2].node).toEqual({ date: { start: '2023-11-01', end: '2023-11-30' } });
  });

  it('as of an instant, and in the change feed', async () => {
    const at = await instant();
    await ok(`mutation ($id: ID!) { updateEvent(id: $id, input: { date: { edtf: "2023-11-05?" } }) { id } }`, { id: eventId });
    const past = await ok(
      `query ($at: DateTime, $e: ID!, $s: ID!, $a: ID!) { event(id: $e, asOf: $at) { date { ${SPAN} } }
         shipment(id: $s, asOf: $at) { deliverySpan { ${SPAN} } ${QUANTITY} }
         timeline(actorIds: [$a], asOf: $at) { edges { at { edtf } } } }`,
      { at, e: eventId, s: shipmentId, a },
    );
    expect(past.event.date).toEqual(about);
    expect(past.shipment.deliverySpan).toEqual(fromSept11);
    expect(past.timeline.edges.map((e: { at: { edtf: string } }) => e.at.edtf)).toEqual(['2023-09~/..', '2023-09-11/', '2023-11~']);
    const now = await ok(`query ($e: ID!) { event(id: $e) { date { ${SPAN} } } }`, { e: eventId });
    expect(now.event.date).toEqual(
      span('2023-11-05', '2023-11-05', 'DAY', '2023-11-05?', { startQualifier: 'UNCERTAIN', endQualifier: 'UNCERTAIN', uncertain: true }),
    );
    const feed = await ok(
      `query ($since: DateTime!) { changes(since: $since, entities: [SHIPMENT, EVENT], first: 500) { edges { node { entity values } } } }`,
      {
        since: t0,
      },
    );
    const values = feed.changes.edges.map((e: { node: { entity: string; values: Record<string, unknown> } }) => e.node);
    expect(values).toContainEqual({
      entity: 'SHIPMENT',
      values: expect.objectContaining({ delivery_edtf: '2023-09-11/', delivery_open: true, quantity_qualifier: null }),
    });
    expect(values).toContainEqual({ entity: 'EVENT', values: expect.objectContaining({ span_edtf: '2023-11-05?' }) });
    // Put back for the other tests.
    await ok(`mutation ($id: ID!) { updateEvent(id: $id, input: { date: { edtf: "2023-11~", text: "about November (year assumed: 2023)" } }) { id } }`, {
      id: eventId,
    });
  });

  it("a claim about a date may have an open end; accepted, it is the record's", async () => {
    const claim = await ok(
      `mutation ($c: ID!, $s: ID!) { createClaim(input: { claimantId: $c, shipmentId: $s, field: "deliverySpan", value: "2023-09-11/..", likelihood: LIKELY }) { id value } }`,
      { c: a, s: shipmentId },
    );
    expect(claim.createClaim.value).toBe('2023-09-11/..');
    // Stored in canonical EDTF, as the span would be.
    const level2 = await ok(
      `mutation ($c: ID!, $s: ID!) { createClaim(input: { claimantId: $c, shipmentId: $s, field: "deliverySpan", value: " ?2023-09-11/..", likelihood: UNLIKELY }) { value } }`,
      { c: a, s: shipmentId },
    );
    expect(level2.createClaim.value).toBe('2023?-09-11/..');
    const accepted = await ok(`mutation ($id: ID!) { acceptClaim(id: $id) { subject { ... on Shipment { deliverySpan { edtf endBound end } } } } }`, {
      id: claim.createClaim.id,
    });
    expect(accepted.acceptClaim.subject.deliverySpan).toEqual({ edtf: '2023-09-11/..', endBound: 'OPEN', end: '2023-09-11' });
    await ok(
      `mutation ($id: ID!) { updateShipment(id: $id, input: { deliverySpan: { edtf: "2023-09-11/", text: "from 11 September, end not known" } }) { id } }`,
      { id: shipmentId },
    );
  });

  it('an open end is bounded by the known end alone: a window after it does not hold the span', async () => {
    const shipments = async (from: string, to: string) =>
      (await ok(`query ($a: ID!, $from: Date, $to: Date) { shipments(filter: { supplierIds: [$a], from: $from, to: $to }) { totalCount } }`, { a, from, to }))
        .shipments.totalCount;
    expect(await shipments('2023-09-01', '2023-09-30')).toBe(1);
    expect(await shipments('2023-09-12', '2023-12-31')).toBe(0);
    const timeline = async (from: string, to: string, window: string) =>
      (
        await ok(
          `query ($a: ID!, $from: Date, $to: Date) { timeline(actorIds: [$a], from: $from, to: $to, window: ${window}, include: [SHIPMENT, AFFILIATION]) { edges { kind } } }`,
          { a, from, to },
        )
      ).timeline.edges.map((e: { kind: string }) => e.kind);
    // WITHIN means certainly inside: never a span whose end is open or unknown.
    expect(await timeline('2023-09-11', '2023-09-11', 'WITHIN')).toEqual([]);
    // The affiliation, "2023-09~/..", is open-ended too.
    expect(await timeline('2023-09-01', '2023-09-30', 'WITHIN')).toEqual([]);
    expect(await timeline('2023-09-01', '2023-09-30', 'OVERLAPS')).toEqual(['AFFILIATION', 'SHIPMENT']);
    expect(await timeline('2023-10-01', '2023-10-31', 'OVERLAPS')).toEqual([]);
  });

  it('qualifiers never move bounds', async () => {
    for (const edtf of ['2023-11', '2023-11~', '2023-11?', '2023-11%', '2023?-11', '2023-~11']) {
      const made = await ok(
        `mutation ($d: String!) { createEvent(input: { type: OTHER, title: "Q", confidence: ALLEGED, date: { edtf: $d } }) { id date { start end precision edtf } } }`,
        {
          d: edtf,
        },
      );
      expect(made.createEvent.date).toEqual({ start: '2023-11-01', end: '2023-11-30', precision: 'MONTH', edtf });
      await ok(`mutation ($id: ID!) { deleteEvent(id: $id) { id } }`, { id: made.createEvent.id });
    }
  });

  it('refuses spans EDTF cannot store, on their field, writing nothing', async () => {
    const before = (await ok(`{ events { totalCount } }`)).events.totalCount;
    const createEvent = (edtf: string) =>
      refused(`mutation ($d: String!) { createEvent(input: { type: OTHER, title: "Bad", confidence: ALLEGED, date: { edtf: $d } }) { id } }`, { d: edtf });
    expect(await createEvent('../..')).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.date.edtf',
      message: expect.stringMatching(/at least one known end/),
    });
    expect(await createEvent('2023-35~')).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.date.edtf',
      message: expect.stringMatching(/seasons and quarters/),
    });
    expect(await createEvent('2023-11?~')).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.date.edtf' });
    expect(await refused(`mutation ($id: ID!) { updateShipment(id: $id, input: { deliverySpan: { edtf: "/" } }) { id } }`, { id: shipmentId })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.deliverySpan.edtf',
    });
    expect(
      await refused(`mutation ($id: ID!) { updateSource(id: $id, input: { publishedAt: "2023-10-12", published: { edtf: "2023-10~" } }) { id } }`, {
        id: sourceId,
      }),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.publishedAt', message: expect.stringMatching(/not the first day of published/) });
    expect((await ok(`{ events { totalCount } }`)).events.totalCount).toBe(before);
    // publishedAt alone still sets a day; published a window; null clears both.
    const day = await ok(`mutation ($id: ID!) { updateSource(id: $id, input: { publishedAt: "2023-10-14" }) { publishedAt published { edtf precision } } }`, {
      id: sourceId,
    });
    expect(day.updateSource).toEqual({ publishedAt: '2023-10-14', published: { edtf: '2023-10-14', precision: 'DAY' } });
    const none = await ok(`mutation ($id: ID!) { updateSource(id: $id, input: { published: null }) { publishedAt published { edtf } } }`, { id: sourceId });
    expect(none.updateSource).toEqual({ publishedAt: null, published: null });
    await ok(`mutation ($id: ID!) { updateSource(id: $id, input: { published: { edtf: "2023-10-13/2023-10-31" } }) { id } }`, { id: sourceId });
  });
});

describe('quantities', () => {
  let a: string;
  let b: string;
  beforeAll(async () => {
    a = await actor('Quantland');
    b = await actor('Countria');
  });

  const base = () => ({
    supplierId: a,
    recipientId: b,
    category: 'MILITARY_EQUIPMENT',
    unit: 'containers',
    status: 'REPORTED',
    confidence: 'REPORTED',
    deliverySpan: { edtf: '2023-09' },
  });
  const q = (
    quantity: number | null,
    quantityLow: number | null,
    quantityHigh: number | null,
    quantityQualifier: string | null,
    quantityText: string | null,
  ) => ({
    quantity,
    quantityLow,
    quantityHigh,
    quantityQualifier,
    quantityText,
    unit: 'containers',
  });

  it.each<[string, Record<string, unknown>, ReturnType<typeof q>]>([
    ['a lone number: EXACT', { quantity: 1000 }, q(1000, 1000, 1000, 'EXACT', '1000')],
    ['about 500', { quantityText: 'roughly 500' }, q(500, null, null, 'APPROXIMATE', 'about 500')],
    ['at least 1,000', { quantityText: 'at least 1,000' }, q(1000, 1000, null, 'AT_LEAST', '≥ 1000')],
    ['more than 1000 (kept as at least)', { quantityText: 'more than 1000' }, q(1000, 1000, null, 'AT_LEAST', '≥ 1000')],
    ['up to 50: no made-up low of 0', { quantityText: 'up to 50' }, q(50, null, 50, 'AT_MOST', '≤ 50')],
    ['300–500: no best value', { quantityText: '300-500' }, q(null, 300, 500, 'APPROXIMATE', '300–500')],
    ['an estimate (SIPRI brackets)', { quantityText: '(50)' }, q(50, null, null, 'ESTIMATE', 'estimated 50')],
    ['a best value with its range', { quantityText: 'about 400 (300–500)' }, q(400, 300, 500, 'APPROXIMATE', 'about 400 (300–500)')],
    ['numeric fields', { quantity: 1000, quantityQualifier: 'AT_LEAST', quantityHigh: 5000 }, q(1000, 1000, 5000, 'AT_LEAST', '≥ 1000 (≤ 5000)')],
    ['bounds without a qualifier: APPROXIMATE', { quantityLow: 3, quantityHigh: 4 }, q(null, 3, 4, 'APPROXIMATE', '3–4')],
  ])('%s', async (_name, fields, expected) => {
    const made = (await ok(CREATE_SHIPMENT, { input: { ...base(), ...fields } })).createShipment;
    expect(made).toMatchObject(expected);
    const read = await ok(
      `query ($id: ID!) { shipment(id: $id) { ${QUANTITY} } shipments(filter: { supplierIds: ["${a}"] }, first: 500) { edges { node { id ${QUANTITY} } } } }`,
      {
        id: made.id,
      },
    );
    expect(read.shipment).toEqual(expected);
    expect(read.shipments.edges.find((e: { node: { id: string } }) => e.node.id === made.id).node).toEqual({ id: made.id, ...expected });
    const page = await ok(
      `query ($ids: [ID!]!) { timeline(actorIds: $ids, first: 500) { edges { node { ... on Shipment { id quantityText quantityQualifier } } } } }`,
      { ids: [a] },
    );
    expect(page.timeline.edges.map((e: { node: unknown }) => e.node)).toContainEqual({
      id: made.id,
      quantityText: expected.quantityText,
      quantityQualifier: expected.quantityQualifier,
    });
  });

  it('an update replaces the whole quantity, or leaves it; quantity alone is EXACT again', async () => {
    const { id } = (await ok(CREATE_SHIPMENT, { input: { ...base(), quantityText: 'about 400 (300–500)' } })).createShipment;
    const update = async (input: Record<string, unknown>) =>
      (await ok(`mutation ($id: ID!, $input: UpdateShipmentInput!) { updateShipment(id: $id, input: $input) { ${QUANTITY} } }`, { id, input })).updateShipment;
    expect(await update({ route: 'Rason' })).toEqual(q(400, 300, 500, 'APPROXIMATE', 'about 400 (300–500)'));
    expect(await update({ quantityText: '≥ 1000' })).toEqual(q(1000, 1000, null, 'AT_LEAST', '≥ 1000'));
    expect(await update({ quantity: 7 })).toEqual(q(7, 7, 7, 'EXACT', '7'));
    expect(await update({ quantity: null })).toEqual({ ...q(null, null, null, null, null) });
  });

  it('claims: "roughly 500" is accepted, stored canonically, and accepting it sets the quantity; exact numbers as before', async () => {
    const { id: shipmentId } = (await ok(CREATE_SHIPMENT, { input: { ...base(), quantity: 1000 } })).createShipment;
    const claim = async (value: string) =>
      (
        await ok(
          `mutation ($c: ID!, $s: ID!, $v: String!) { createClaim(input: { claimantId: $c, shipmentId: $s, field: "quantity", value: $v, likelihood: LIKELY }) { id value } }`,
          {
            c: a,
            s: shipmentId,
            v: value,
          },
        )
      ).createClaim;
    const rough = await claim('roughly 500');
    expect(rough.value).toBe('about 500');
    const exact = await claim('1,200');
    expect(exact.value).toBe('1200');
    const accept = async (id: string) =>
      (await ok(`mutation ($id: ID!) { acceptClaim(id: $id) { subject { ... on Shipment { ${QUANTITY} } } } }`, { id })).acceptClaim.subject;
    expect(await accept(rough.id)).toEqual(q(500, null, null, 'APPROXIMATE', 'about 500'));
    expect(await accept(exact.id)).toEqual(q(1200, 1200, 1200, 'EXACT', '1200'));
  });

  it('refuses bad quantities with BAD_USER_INPUT on the field at fault, writing nothing', async () => {
    const before = (await ok(`{ shipments { totalCount } }`)).shipments.totalCount;
    const create = (fields: Record<string, unknown>) => refused(CREATE_SHIPMENT, { input: { ...base(), ...fields } });
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ quantityText: 'lots' }, 'input.quantityText', /"lots" is not a quantity/],
      [{ quantityText: '500 containers' }, 'input.quantityText', /the unit goes in its own field/],
      [{ quantityText: 'about 5', quantity: 5 }, 'input.quantityText', /either quantityText or quantity/],
      [{ quantityLow: 500, quantityHigh: 300 }, 'input.quantityLow', /above quantityHigh/],
      [{ quantityQualifier: 'AT_LEAST' }, 'input.quantityQualifier', /needs a value/],
      [{ quantity: -1 }, 'input.quantity', /must not be negative/],
      [{ quantity: 5, quantityLow: 4, quantityQualifier: 'EXACT' }, 'input.quantityLow', /no other bounds/],
      [{ quantityLow: 300, quantityQualifier: 'APPROXIMATE' }, 'input.quantityHigh', /a lone lower bound is AT_LEAST/],
      [{ quantityLow: 1, quantityHigh: 2, unit: null }, 'input.unit', /needs a unit/],
    ];
    for (const [fields, field, message] of cases) {
      expect([fields, await create(fields)]).toEqual([fields, { code: 'BAD_USER_INPUT', field, message: expect.stringMatching(message) }]);
    }
    const { id } = (await ok(CREATE_SHIPMENT, { input: { ...base(), quantity: 3 } })).createShipment;
    const claim = await refused(
      `mutation ($c: ID!, $s: ID!) { createClaim(input: { claimantId: $c, shipmentId: $s, field: "quantity", value: "lots", likelihood: LIKELY }) { id } }`,
      { c: a, s: id },
    );
    expect(claim).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.value', message: expect.stringMatching(/quantity: "lots" is not a quantity/) });
    expect((await ok(`{ shipments { totalCount } }`)).shipments.totalCount).toBe(before + 1);
  });
});

describe('round trips: API → database → export → import into a fresh database → API', () => {
  /** Every node of a connection, page by page (the query cost limit keeps pages small). */
  async function all(on: TestServer, field: string, node: string): Promise<{ id: string }[]> {
    const out: { id: string }[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = (
        await ok(
          `query ($after: String) { ${field}(first: 50, after: $after) { edges { node { id ${node} } } pageInfo { hasNextPage endCursor } } }`,
          { after },
          on,
        )
      )[field];
      out.push(...page.edges.map((e: { node: { id: string } }) => e.node));
      if (!page.pageInfo.hasNextPage) return out;
      after = page.pageInfo.endCursor;
    }
  }
  const sorted = <T extends { id: string }>(rows: T[]) => [...rows].sort((x, y) => x.id.localeCompare(y.id));
  /** Everything the API answers of the exported records (the seed's and this file's), by id. */
  const answers = async (on: TestServer) => ({
    events: sorted(await all(on, 'events', `title date { ${SPAN} }`)),
    shipments: sorted(await all(on, 'shipments', `${QUANTITY} deliverySpan { ${SPAN} } status confidence`)),
    affiliations: sorted(await all(on, 'actors', `name affiliations { id span { ${SPAN} } }`)),
    sources: sorted((await ok(`{ sources { id publishedAt published { ${SPAN} } } }`, undefined, on)).sources),
  });

  const startFresh = useServersPerTest();

  it('as NDJSON: qualifiers, open ends, quantities and publication spans come back equal', async () => {
    const records = await exportedRecords(server.database.url);
    // The records this file made carry what they hold (a spot check of the export itself).
    expect(records.map((r) => r.record)).toContainEqual(
      expect.objectContaining({ kind: 'shipment', delivery: expect.objectContaining({ edtf: '2023-09-11/' }) }),
    );
    expect(records.map((r) => r.record)).toContainEqual(expect.objectContaining({ kind: 'shipment', quantityQualifier: 'AT_MOST', quantityHigh: 50 }));
    const fresh = await startFresh();
    const result = await ok(IMPORT_RECORDS, { format: 'NDJSON', data: ndjsonOf(records) }, fresh);
    expect(result.importRecords).toEqual({ committed: true, errors: [] });
    expect(await answers(fresh)).toEqual(await answers(server));
  }, 120_000);

  it('as CSV, one file per kind: the same', async () => {
    const records = await exportedRecords(server.database.url);
    const fresh = await startFresh();
    for (const { kind, data } of csvPerKind(records)) {
      const result = await ok(IMPORT_RECORDS, { format: 'CSV', data, kind }, fresh);
      expect([kind, result.importRecords]).toEqual([kind, { committed: true, errors: [] }]);
    }
    expect(await answers(fresh)).toEqual(await answers(server));
  }, 120_000);

  it('a file written before these fields existed still imports: a bare quantity EXACT, publishedAt a day', async () => {
    const fresh = await startFresh();
    const old = [
      { kind: 'actor', externalId: 'a', name: 'Oldland', actorKind: 'STATE' },
      { kind: 'actor', externalId: 'b', name: 'Olderland', actorKind: 'STATE' },
      { kind: 'source', externalId: 's', publisher: 'P', title: 'T', publishedAt: '2023-10-13' },
      {
        kind: 'shipment',
        externalId: 'x',
        supplier: { externalId: 'a' },
        recipient: { externalId: 'b' },
        category: 'OTHER',
        quantity: 1000,
        unit: 'containers',
        delivery: { start: '2023-09-07', end: '2023-10-01', precision: 'RANGE', text: null },
        status: 'REPORTED',
        confidence: 'REPORTED',
      },
    ];
    const result = await ok(IMPORT_RECORDS, { format: 'NDJSON', data: old.map((r) => JSON.stringify(r)).join('\n') }, fresh);
    expect(result.importRecords).toEqual({ committed: true, errors: [] });
    const read = await ok(
      `{ shipments { edges { node { ${QUANTITY} deliverySpan { edtf } } } } sources { publishedAt published { edtf precision } } }`,
      undefined,
      fresh,
    );
    expect(read.shipments.edges[0].node).toEqual({ ...q0(1000, 1000, 1000, 'EXACT', '1000'), deliverySpan: { edtf: '2023-09-07/2023-10-01' } });
    expect(read.sources).toEqual([{ publishedAt: '2023-10-13', published: { edtf: '2023-10-13', precision: 'DAY' } }]);
  }, 120_000);
});

function q0(quantity: number | null, quantityLow: number | null, quantityHigh: number | null, quantityQualifier: string | null, quantityText: string | null) {
  return { quantity, quantityLow, quantityHigh, quantityQualifier, quantityText, unit: 'containers' };
}
