// Claims, evidence types and corroboration through real HTTP over a fresh, seeded database:
// the seed article's claims; competing claims on a shipment's quantity and accepting one
// (the record changes, audited, the other stays listed); bad input naming its field;
// corroboration counting distinct publishers with repeated stories; minSources on the
// lists, the timeline and the reports; who may write; batching of the nested fields.
import { actors as seedActors, claims as seedClaims } from '../../seed/article';
import { claimId, shipmentId } from '../../seed/ids';
import { useBeforeAll } from '../support/hooks';
import { ok, startTestServer, type TestServer } from '../support/server';

let server: TestServer;
let viewer: { key: string; id: string };

beforeAll(async () => {
  server = await startTestServer({ seedOnStart: true });
  viewer = await server.mintKey('VIEWER', { label: 'claims viewer' });
}, 180_000);
afterAll(() => server?.stop(), 180_000);

/** The single root field of a successful operation. */
async function run(doc: string, variables?: Record<string, unknown>): Promise<any> {
  return Object.values(ok(await server.gql(doc, variables)) as object)[0];
}

/** The one error of a failed operation. */
async function failure(doc: string, variables?: Record<string, unknown>, headers?: Record<string, string>) {
  const res = await server.gql(doc, variables, headers);
  expect(res).toMatchObject({ errors: [expect.anything()] });
  return res.errors![0];
}

async function count(table: string): Promise<number> {
  const { rows } = await server.db.pool.query(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0].n;
}

const CLAIM_FIELDS = `id field value likelihood likelihoodRange { min max } confidence accepted statedOn updatedAt
  claimant { name } citation { excerpt evidenceType source { publisher } }`;

async function actor(name: string): Promise<string> {
  return (await run(`mutation ($name: String!) { createActor(input: { name: $name, kind: STATE }) { id } }`, { name })).id;
}

async function source(publisher: string, derivedFromId?: string): Promise<string> {
  return (
    await run(`mutation ($p: String!, $d: ID) { createSource(input: { publisher: $p, title: "A story", derivedFromId: $d }) { id } }`, {
      p: publisher,
      d: derivedFromId,
    })
  ).id;
}

async function cite(sourceId: string, subject: { eventId?: string; shipmentId?: string }, evidenceType = 'MEDIA_REPORT'): Promise<string> {
  return (
    await run(`mutation ($input: CreateCitationInput!) { createCitation(input: $input) { id evidenceType } }`, {
      input: { sourceId, excerpt: 'quoted', evidenceType, ...subject },
    })
  ).id;
}

async function shipment(supplierId: string, recipientId: string, extra: Record<string, unknown> = {}): Promise<string> {
  return (
    await run(`mutation ($input: CreateShipmentInput!) { createShipment(input: $input) { id } }`, {
      input: {
        supplierId,
        recipientId,
        category: 'ARTILLERY_AMMUNITION',
        deliverySpan: { edtf: '2030-03' },
        status: 'REPORTED',
        confidence: 'REPORTED',
        ...extra,
      },
    })
  ).id;
}

async function event(title: string, actorIds: string[], date = '2030-05-01'): Promise<string> {
  return (
    await run(`mutation ($input: CreateEventInput!) { createEvent(input: $input) { id } }`, {
      input: {
        type: 'STATEMENT',
        title,
        date: { edtf: date },
        confidence: 'REPORTED',
        participants: actorIds.map((actorId) => ({ actorId, role: 'SPEAKER' })),
      },
    })
  ).id;
}

const CREATE_CLAIM = `mutation ($input: CreateClaimInput!) { createClaim(input: $input) { ${CLAIM_FIELDS} } }`;

describe('the seed article', () => {
  it('has every claim of the article, each with claimant, citation and the likelihood its words carry (or none)', async () => {
    const { rows } = await server.db.pool.query(`SELECT DISTINCT coalesce(event_id, shipment_id)::text AS id FROM claims`);
    const byId = new Map<string, any>();
    for (const { id } of rows) {
      const page = await run(
        `query ($id: ID!) { claims(subjectId: $id) { totalCount edges { node { ${CLAIM_FIELDS} statedLikelihood subject { __typename } } } } }`,
        { id },
      );
      expect(page.edges).toHaveLength(page.totalCount);
      for (const { node } of page.edges) byId.set(node.id, node);
    }
    expect(byId.size).toBe(Object.keys(seedClaims).length);
    for (const [slug, c] of Object.entries(seedClaims)) {
      const got = byId.get(claimId(slug));
      expect([slug, got.claimant.name, got.subject.__typename, got.field, got.statedLikelihood, got.citation.source.publisher]).toEqual([
        slug,
        seedActors[c.claimant].name,
        'event' in c.subject ? 'Event' : 'Shipment',
        c.field,
        c.likelihood,
        'News',
      ]);
    }
    // "Most likely" is LIKELY (55–80 %), quoted verbatim, relayed as an expert's assessment.
    const hrytsenko = byId.get(claimId('hrytsenko-will-continue-to-supply'));
    expect(hrytsenko.likelihoodRange).toEqual({ min: 55, max: 80 });
    expect(hrytsenko.citation.excerpt).toContain('Most likely, North Korea will continue to supply Russia');
    expect(hrytsenko.citation.evidenceType).toBe('EXPERT_ASSESSMENT');
    // "Must be prepared for" carries no probability: none is read into it.
    const musienko = byId.get(claimId('musienko-prepare-for-dprk-supplies'));
    expect(musienko).toMatchObject({ statedLikelihood: null, likelihood: 'ALMOST_CERTAIN' });
    expect(musienko.citation.excerpt).toBe('According to him, Ukraine must be prepared for North Korea to supply weapons to Russia.');
    expect(byId.get(claimId('kirby-talks-actively-progressing')).citation.excerpt).toContain('"actively progressing."');
  });

  it("the White House claim on the 1,000 containers is accepted and is the shipment's quantity", async () => {
    const s = await run(`query ($id: ID!) { shipment(id: $id) { quantity unit sourceCount claims(field: "quantity") { ${CLAIM_FIELDS} } } }`, {
      id: shipmentId('dprk-russia-1000-containers'),
    });
    expect(s).toMatchObject({ quantity: 1000, unit: 'containers', sourceCount: 1 });
    expect(s.claims).toEqual([
      expect.objectContaining({
        id: claimId('white-house-1000-containers'),
        value: '1000',
        accepted: true,
        statedOn: '2023-10-13',
        likelihoodRange: { min: 95, max: 99 },
      }),
    ]);
    expect(s.claims[0].citation).toMatchObject({ evidenceType: 'OFFICIAL_STATEMENT' });
    expect(s.claims[0].citation.excerpt).toContain('1,000 containers');
  });
});

describe('competing claims on a quantity', () => {
  const given = useBeforeAll(async () => {
    const supplier = await actor('Claims Supplier');
    const recipient = await actor('Claims Recipient');
    const shipmentId = await shipment(supplier, recipient, { quantity: 1000, unit: 'containers' });
    const citation = await cite(await source('Claims Wire'), { shipmentId }, 'OFFICIAL_STATEMENT');
    const claimant = await actor('Claims Ministry');
    const base = { claimantId: claimant, shipmentId, field: 'quantity', citationId: citation };
    const low = await run(CREATE_CLAIM, { input: { ...base, value: '1000', likelihood: 'LIKELY', statedOn: '2030-04-01' } });
    const high = await run(CREATE_CLAIM, { input: { ...base, value: ' 2e3 ', likelihood: 'VERY_LIKELY', confidence: 'ALLEGED' } });
    return { supplier, recipient, shipmentId, citation, low, high };
  });

  const current = async () =>
    run(`query ($id: ID!) { shipment(id: $id) { quantity updatedAt claims(field: "quantity") { id value accepted } } }`, { id: given.shipmentId });

  it('coexist, the value written canonically; with none accepted the record keeps its value', async () => {
    expect(given.high).toMatchObject({
      value: '2000',
      accepted: false,
      confidence: 'ALLEGED',
      statedOn: null,
      citation: { evidenceType: 'OFFICIAL_STATEMENT' },
    });
    expect(given.low).toMatchObject({ value: '1000', accepted: false, confidence: 'REPORTED', statedOn: '2030-04-01' });
    const s = await current();
    expect(s.quantity).toBe(1000);
    expect(s.claims.map((c: any) => c.value).sort()).toEqual(['1000', '2000']);
  });

  it('accepting one writes its value to the shipment, audited, in one transaction; the other stays listed', async () => {
    const since = (await server.db.pool.query('SELECT max(id)::int AS id FROM audit_log')).rows[0].id;
    const accepted = await run(`mutation ($id: ID!, $at: DateTime) { acceptClaim(id: $id, expectedUpdatedAt: $at) { id accepted } }`, {
      id: given.high.id,
      at: given.high.updatedAt,
    });
    expect(accepted).toEqual({ id: given.high.id, accepted: true });
    const s = await current();
    expect(s.quantity).toBe(2000);
    expect(s.claims).toEqual(
      expect.arrayContaining([
        { id: given.high.id, value: '2000', accepted: true },
        { id: given.low.id, value: '1000', accepted: false },
      ]),
    );

    const { rows } = await server.db.pool.query('SELECT operation, entity, entity_id, before, after FROM audit_log WHERE id > $1 ORDER BY id', [since]);
    expect(rows.map((r) => [r.operation, r.entity, r.entity_id])).toEqual([
      ['acceptClaim', 'SHIPMENT', given.shipmentId],
      ['acceptClaim', 'CLAIM', given.high.id],
    ]);
    expect(rows[0].before.quantity).toBe(1000);
    expect(rows[0].after.quantity).toBe(2000);
    expect([rows[1].before.accepted, rows[1].after.accepted]).toEqual([false, true]);

    // Accepting the other un-accepts this one (audited too) and restores 1000.
    await run(`mutation ($id: ID!) { acceptClaim(id: $id) { id } }`, { id: given.low.id });
    const again = await current();
    expect(again.quantity).toBe(1000);
    expect(Object.fromEntries(again.claims.map((c: any) => [c.value, c.accepted]))).toEqual({ '1000': true, '2000': false });
    const page = await run(
      `query ($id: ID!) { claims(subjectId: $id, field: "quantity", first: 1) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
      { id: given.shipmentId },
    );
    expect(page.totalCount).toBe(2);
    const next = await run(
      `query ($id: ID!, $after: String) { claims(subjectId: $id, field: "quantity", after: $after) { edges { node { id } } pageInfo { hasNextPage } } }`,
      {
        id: given.shipmentId,
        after: page.pageInfo.endCursor,
      },
    );
    expect([...page.edges, ...next.edges].map((e: any) => e.node.id).sort()).toEqual([given.high.id, given.low.id].sort());
    expect(next.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses an accept based on a stale version (CONFLICT) and changes nothing', async () => {
    const err = await failure(`mutation ($id: ID!, $at: DateTime) { acceptClaim(id: $id, expectedUpdatedAt: $at) { id } }`, {
      id: given.high.id,
      at: given.high.updatedAt,
    });
    expect(err.extensions).toMatchObject({ code: 'CONFLICT', field: 'expectedUpdatedAt' });
    expect((await current()).quantity).toBe(1000);
  });

  it("correcting an accepted claim's value corrects the record; deleting it keeps the value; restored, it is not accepted", async () => {
    await run(`mutation ($id: ID!) { updateClaim(id: $id, input: { value: "1200", likelihood: ALMOST_CERTAIN }) { id } }`, { id: given.low.id });
    expect((await current()).quantity).toBe(1200);
    const deleted = await run(`mutation ($id: ID!) { deleteClaim(id: $id) { id accepted } }`, { id: given.low.id });
    expect(deleted.accepted).toBe(false);
    const s = await current();
    expect(s.quantity).toBe(1200);
    expect(s.claims.map((c: any) => c.id)).toEqual([given.high.id]);
    const restored = await run(`mutation ($id: ID!) { restoreClaim(id: $id) { id accepted likelihood } }`, { id: given.low.id });
    expect(restored).toEqual({ id: given.low.id, accepted: false, likelihood: 'ALMOST_CERTAIN' });
  });

  it('a value the record cannot take is refused on the claim, and nothing is written', async () => {
    const unitless = await shipment(given.supplier, given.recipient);
    const claimant = await actor('Claims Unitless Claimant');
    const claim = await run(CREATE_CLAIM, { input: { claimantId: claimant, shipmentId: unitless, field: 'quantity', value: '5', likelihood: 'LIKELY' } });
    const audits = await count('audit_log');
    const err = await failure(`mutation ($id: ID!) { acceptClaim(id: $id) { id } }`, { id: claim.id });
    expect(err.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(err.message).toMatch(/unit/);
    expect(await count('audit_log')).toBe(audits);
    const s = await run(`query ($id: ID!) { shipment(id: $id) { quantity claims { accepted } } }`, { id: unitless });
    expect(s).toEqual({ quantity: null, claims: [{ accepted: false }] });
  });

  it('a claim about the supplier names an existing actor; accepting it changes the supplier', async () => {
    const other = await actor('Claims Other Supplier');
    const claimant = await actor('Claims Supplier Claimant');
    const claim = await run(CREATE_CLAIM, {
      input: { claimantId: claimant, shipmentId: given.shipmentId, field: 'supplier', value: other.toUpperCase(), likelihood: 'UNLIKELY' },
    });
    expect(claim.value).toBe(other);
    await run(`mutation ($id: ID!) { acceptClaim(id: $id) { id } }`, { id: claim.id });
    expect((await run(`query ($id: ID!) { shipment(id: $id) { supplier { id } } }`, { id: given.shipmentId })).supplier.id).toBe(other);
  });
});

describe('bad input is BAD_USER_INPUT naming the field, and writes nothing', () => {
  let claimantId: string;
  let shipmentId: string;
  let eventId: string;
  beforeAll(async () => {
    claimantId = await actor('Claims Validator');
    shipmentId = await shipment(claimantId, await actor('Claims Validator Recipient'), { quantity: 3, unit: 'rounds' });
    eventId = await event('Claims validation event', [claimantId]);
  });

  it.each([
    ['an unknown field', { field: 'colour', value: 'red' }, 'input.field'],
    ['a shipment field on an event', { eventId: 'EVENT', shipmentId: undefined, field: 'quantity', value: '3' }, 'input.field'],
    ['a quantity that is not a number', { field: 'quantity', value: 'lots' }, 'input.value'],
    ['a negative quantity', { field: 'quantity', value: '-1' }, 'input.value'],
    ['a status that is not one', { field: 'status', value: 'SHIPPED' }, 'input.value'],
    ['a span that is not EDTF', { field: 'deliverySpan', value: 'next spring' }, 'input.value'],
    ['a field without a value', { field: 'unit' }, 'input.value'],
    ['a value PostgreSQL cannot store', { value: 'nul \u0000 inside' }, 'input.value'],
    ['a supplier that is no actor', { field: 'supplier', value: '00000000-0000-4000-8000-000000000000' }, 'input.value'],
    ['no subject', { shipmentId: undefined }, 'input.eventId'],
    ['two subjects', { eventId: 'EVENT' }, 'input.shipmentId'],
    ['an unknown subject', { shipmentId: '00000000-0000-4000-8000-000000000000' }, 'input.shipmentId'],
    ['an unknown claimant', { claimantId: '00000000-0000-4000-8000-000000000000' }, 'input.claimantId'],
  ])('%s', async (_, patch, field) => {
    const input: Record<string, unknown> = { claimantId, shipmentId, likelihood: 'LIKELY', ...patch };
    if (input.eventId === 'EVENT') input.eventId = eventId;
    const before = await count('claims');
    const err = await failure(CREATE_CLAIM, { input });
    expect(err.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await count('claims')).toBe(before);
  });

  it('a citation of another record', async () => {
    const other = await cite(await source('Claims Elsewhere'), { eventId });
    const err = await failure(CREATE_CLAIM, { input: { claimantId, shipmentId, likelihood: 'LIKELY', citationId: other } });
    expect(err.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.citationId' });
  });

  it('an unknown field to list, a negative minSources, an unknown claim', async () => {
    expect((await failure(`{ claims(subjectId: "${shipmentId}", field: "colour") { totalCount } }`)).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'field',
    });
    expect((await failure(`{ events(filter: { minSources: -1 }) { totalCount } }`)).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'filter.minSources',
    });
    expect((await failure(`{ shipment(id: "${shipmentId}") { claims(field: "date") { id } } }`)).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'field',
    });
    expect((await failure(`mutation { acceptClaim(id: "00000000-0000-4000-8000-000000000000") { id } }`)).extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect((await failure(`mutation { updateClaim(id: "00000000-0000-4000-8000-000000000000", input: { value: "1" }) { id } }`)).extensions).toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('corroboration: distinct publishers, a repeated story counting as its origin', () => {
  let a: string;
  let b: string;
  let corroborated: string;
  let single: string;
  let shipped: string;
  let lone: string;
  let origin: string;

  beforeAll(async () => {
    a = await actor('Corroboration A');
    b = await actor('Corroboration B');
    corroborated = await event('Corroborated meeting', [a, b], '2031-02-01');
    single = await event('Single-source meeting', [a, b], '2031-02-02');
    const reuters1 = await source('Reuters');
    const reuters2 = await source(' reuters ');
    origin = await source('Associated Press');
    const syndicated = await source('Daily Echo', origin);
    for (const s of [reuters1, reuters2, origin, syndicated]) await cite(s, { eventId: corroborated });
    await cite(reuters1, { eventId: single });
    await cite(syndicated, { eventId: single });
    shipped = await shipment(a, b, { quantity: 10, unit: 'tonnes', deliverySpan: { edtf: '2031-03' } });
    lone = await shipment(a, b, { quantity: 7, unit: 'tonnes', deliverySpan: { edtf: '2031-03' } });
    await cite(reuters1, { shipmentId: shipped });
    await cite(origin, { shipmentId: shipped });
    await cite(reuters2, { shipmentId: lone });
  });

  const counts = async () => {
    const res = await run(`{ events(filter: { from: "2031-01-01", to: "2031-12-31" }) { edges { node { title sourceCount } } } }`);
    return Object.fromEntries(res.edges.map((e: any) => [e.node.title, e.node.sourceCount]));
  };

  it('counts Reuters once whatever the spelling, and the Daily Echo as the AP it repeats', async () => {
    expect(await counts()).toEqual({ 'Corroborated meeting': 2, 'Single-source meeting': 2 });
    const s = await run(`{ shipments(filter: { from: "2031-01-01", to: "2031-12-31" }) { edges { node { id sourceCount } } } }`);
    expect(Object.fromEntries(s.edges.map((e: any) => [e.node.id, e.node.sourceCount]))).toEqual({ [shipped]: 2, [lone]: 1 });
  });

  it('a repeat of a repeat is stored as a repeat of the first story; an independent outlet adds one', async () => {
    const echo = await run(`{ sources { id publisher derivedFrom { id } } }`);
    const dailyEcho = echo.find((s: any) => s.publisher === 'Daily Echo');
    const reprint = await run(
      `mutation ($d: ID!) { createSource(input: { publisher: "Weekly Reprint", title: "Reprint", derivedFromId: $d }) { id derivedFrom { id publisher } } }`,
      {
        d: dailyEcho.id,
      },
    );
    expect(reprint.derivedFrom).toEqual({ id: origin, publisher: 'Associated Press' });
    await cite(reprint.id, { eventId: corroborated });
    await cite(await source('Kyiv Independent'), { eventId: corroborated });
    expect(await counts()).toEqual({ 'Corroborated meeting': 3, 'Single-source meeting': 2 });
    const err = await failure(`mutation ($id: ID!, $d: ID!) { updateSource(id: $id, input: { derivedFromId: $d }) { id } }`, { id: origin, d: reprint.id });
    expect(err.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.derivedFromId' });
  });

  it('minSources filters events, shipments, the timeline and both reports in SQL', async () => {
    const titles = async (n: number) =>
      (
        await run(`query ($n: Int) { events(filter: { minSources: $n, from: "2031-01-01", to: "2031-12-31" }) { totalCount edges { node { title } } } }`, { n })
      ).edges.map((e: any) => e.node.title);
    expect(await titles(3)).toEqual(['Corroborated meeting']);
    expect(await titles(2)).toEqual(['Corroborated meeting', 'Single-source meeting']);
    expect(await titles(4)).toEqual([]);

    const ships = await run(`{ shipments(filter: { minSources: 2, from: "2031-01-01", to: "2031-12-31" }) { totalCount edges { node { id } } } }`);
    expect(ships.totalCount).toBe(1);
    expect(ships.edges[0].node.id).toBe(shipped);

    const timeline = await run(
      `query ($a: ID!) { timeline(actorIds: [$a], minSources: 3, from: "2031-01-01") { edges { kind node { ... on Event { title } } } } }`,
      { a },
    );
    expect(timeline.edges).toEqual([{ kind: 'EVENT', node: { title: 'Corroborated meeting' } }]);

    const report = async (n: number | null) =>
      (
        await run(
          `query ($n: Int) { shipmentReport(filter: { minSources: $n, supplierIds: ["${a}"] }, from: "2031-01-01", to: "2031-12-31", granularity: YEAR) { totals { shipments quantity unit } } }`,
          { n },
        )
      ).totals;
    expect(await report(null)).toEqual([{ shipments: 2, quantity: 17, unit: 'tonnes' }]);
    expect(await report(2)).toEqual([{ shipments: 1, quantity: 10, unit: 'tonnes' }]);
    const stats = await run(
      `{ eventStats(filter: { minSources: 3, actorIds: ["${a}"] }, from: "2031-01-01", to: "2031-12-31", granularity: YEAR) { events } }`,
    );
    expect(stats).toEqual([{ events: 1 }]);

    // The CSV report takes the same filter.
    const csv = async (minSources: string) => {
      const url = new URL(server.url.replace(/\/graphql$/, '/reports/shipments.csv'));
      for (const [k, v] of Object.entries({ from: '2031-01-01', to: '2031-12-31', granularity: 'YEAR', supplierIds: a, minSources }))
        url.searchParams.set(k, v);
      const res = await fetch(url);
      return { status: res.status, body: await res.text() };
    };
    // shipments, quantity, unknown_quantity, read by their headers (later columns follow them).
    const [header, ...rows] = (await csv('2')).body
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    const at = header.indexOf('shipments');
    expect(rows.map((r) => r.slice(at, at + 3))).toEqual([['1', '10', '0']]);
    expect(await csv('two')).toMatchObject({ status: 400, body: expect.stringContaining('"field":"minSources"') });
  });

  it('deleted citations and deleted sources do not count', async () => {
    const ap = await run(`{ sources { id publisher } }`);
    const kyiv = ap.find((s: any) => s.publisher === 'Kyiv Independent');
    // its citations go with it (a source is not deleted while live citations quote it)
    await run(`mutation ($id: ID!) { deleteSource(id: $id, cascade: true) { id } }`, { id: kyiv.id });
    expect((await counts())['Corroborated meeting']).toBe(2);
  });
});

describe('access', () => {
  it('a VIEWER may read claims but not write them; without a key nothing is written', async () => {
    const { rows } = await server.db.pool.query(`SELECT id::text FROM claims WHERE deleted_at IS NULL LIMIT 1`);
    const asViewer = { authorization: `Bearer ${viewer.key}` };
    const claimant = (await server.db.pool.query(`SELECT id::text FROM actors LIMIT 1`)).rows[0].id;
    const input = { claimantId: claimant, shipmentId: shipmentId('dprk-russia-1000-containers'), likelihood: 'LIKELY' };
    const before = await count('claims');
    for (const doc of [
      [CREATE_CLAIM, { input }],
      [`mutation ($id: ID!) { acceptClaim(id: $id) { id } }`, { id: rows[0].id }],
      [`mutation ($id: ID!) { updateClaim(id: $id, input: { likelihood: UNLIKELY }) { id } }`, { id: rows[0].id }],
      [`mutation ($id: ID!) { deleteClaim(id: $id) { id } }`, { id: rows[0].id }],
      [`mutation ($id: ID!) { restoreClaim(id: $id) { id } }`, { id: rows[0].id }],
    ] as const) {
      expect((await failure(doc[0], doc[1], asViewer)).extensions?.code).toBe('FORBIDDEN');
      expect((await failure(doc[0], doc[1], { authorization: '' })).extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect(await count('claims')).toBe(before);
    const read = ok(
      await server.gql(`query ($id: ID!) { claims(subjectId: $id) { totalCount } }`, { id: shipmentId('dprk-russia-1000-containers') }, asViewer),
    );
    expect(read.claims.totalCount).toBe(1);
  });
});

describe('batching', () => {
  it('claims and sourceCount of a page of events cost the same statements for 5 and for 50 events', async () => {
    const { prisma } = server.db;
    const claimant = await prisma.actor.create({ data: { name: 'Batching Claimant', kind: 'PERSON', aliases: { create: { alias: 'Batching Claimant' } } } });
    const src = await prisma.source.create({ data: { publisher: 'Batching wire', title: 'Batching' } });
    for (let i = 0; i < 50; i++) {
      const day = new Date(Date.UTC(2040, 0, 1 + i));
      await prisma.event.create({
        data: {
          type: 'STATEMENT',
          title: `Batch ${i}`,
          spanStart: day,
          spanEnd: day,
          spanPrecision: 'DAY',
          confidence: 'REPORTED',
          citations: { create: { sourceId: src.id, excerpt: `e${i}` } },
          claims: { create: { claimantId: claimant.id, likelihood: 'LIKELY' } },
        },
      });
    }
    const statements = async (first: number) => {
      const before = server.db.statements!.count();
      const res = ok(
        await server.gql(
          `query ($first: Int) { events(first: $first, filter: { from: "2040-01-01" }) { edges { node {
        sourceCount claims { likelihood claimant { name } citation { excerpt } } } } } }`,
          { first },
        ),
      );
      expect(res.events.edges).toHaveLength(first);
      expect(res.events.edges[first - 1].node).toMatchObject({ sourceCount: 1, claims: [{ likelihood: 'LIKELY', claimant: { name: 'Batching Claimant' } }] });
      return server.db.statements!.count() - before;
    };
    const small = await statements(5);
    expect(await statements(50)).toBe(small);
  });
});
