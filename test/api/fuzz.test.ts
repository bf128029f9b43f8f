// 20,000+ generated hostile requests against a real server over a real database:
// random bytes, random JSON, deep nesting, huge lists, alias/fragment bombs, wrong
// variable types, and SQL/script injection strings in every string argument of
// reads and writes: the entities, and API keys, hard purges, claims, `asOf` reads,
// the change feed, `minSources` filters and `importRecords`. And every class of issue #27,
// item 6 and 9: forged cursors on every list, instants and dates outside the storable years,
// numbers past their range, Object.prototype names (claim fields, input keys, aliases),
// subscriptions and persisted-query extensions, the CSV endpoints' parameters, hostile URLs,
// over-long text, lone surrogates and bytes that are not UTF-8. Every answer must be a
// client error or a success — no 5xx, no INTERNAL_SERVER_ERROR, no crash — injection
// strings must be stored as plain text (and text the database cannot take never stored), and
// the server must still answer a normal query afterwards.
import { MAX_QUANTITY } from '../../src/domain/validation';
import { startTestServer, type TestServer } from '../support/server';

const CASES = 20_000;
const CONCURRENCY = 24;

/** Deterministic PRNG (mulberry32), so a failure can be replayed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  return { next, int, pick };
}

const INJECTIONS = [
  "'; DROP TABLE actors; --",
  "Robert'); DELETE FROM api_keys; --",
  '" OR 1=1 --',
  "' UNION SELECT key_hash, null FROM api_keys --",
  "1'; SELECT pg_sleep(5); --",
  '<script>alert(document.cookie)</script>',
  '<img src=x onerror=alert(1)>',
  '{{7*7}}${7*7}#{7*7}',
  '../../../../etc/passwd',
  '%00%27%22',
  "\\x00\\\\'",
  'null',
  'undefined',
  '__proto__',
  '{"$gt": ""}',
  '😀👍🏽 Ünïcødé ﷽',
  '\u202e\u200b\ufeff',
  'a'.repeat(3_000),
  '%',
  '_',
  "\\' OR '1'='1",
  'NaN',
  '-1',
  '9'.repeat(400),
  '00000000-0000-0000-0000-000000000000',
  "00000000-0000-0000-0000-000000000000' OR '1'='1",
];
const BAD_STRINGS = [
  ...INJECTIONS,
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '',
  'constructor',
  'toString',
  'hasOwnProperty',
  'b'.repeat(25_000),
  'javascript:alert(1)',
  '=HYPERLINK("http://evil.example")',
];
const PROTO_NAMES = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '__defineGetter__', 'then'];
const INSTANTS = [
  '0000-01-01T00:00:00Z',
  '+275760-09-13T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '0001-01-01T00:00:00+01:00',
  '9999-12-31T23:59:59Z',
  '10000-01-01T00:00:00Z',
  '1970-01-01T00:00:00Z',
  '2023-13-01T00:00:00Z',
];
const DATES = ['0000-01-01', '0001-01-01', '9999-12-31', '10000-01-01', '2023-02-29', '2024-02-29', '-0001-01-01', '2023-1-1'];
// eslint-disable-next-line no-loss-of-precision -- a literal past 2^53 on purpose: what a client may send
const NUMBERS = [1.7e308, -1.7e308, MAX_QUANTITY, MAX_QUANTITY * 2, 2 ** 53 + 1, -0, 0, 1e-320, 0.1, -1, 2 ** 31, 2 ** 31 - 1, 99999999999999999999999];
const UUID = '00000000-0000-4000-8000-000000000000';
/** Lists with a cursor argument, as documents taking `$a`. */
const CURSOR_LISTS = [
  'query ($a: String) { actors(after: $a) { totalCount edges { cursor } } }',
  'query ($a: String) { events(after: $a) { totalCount edges { cursor } } }',
  'query ($a: String) { shipments(after: $a) { totalCount edges { cursor } } }',
  'query ($a: String, $id: ID!) { actor(id: $id) { events(after: $a) { edges { cursor } } shipmentsSupplied(after: $a) { edges { cursor } } shipmentsReceived(after: $a) { edges { cursor } } } }',
  'query ($a: String, $id: ID!) { timeline(actorIds: [$id], after: $a) { edges { cursor } } }',
  'query ($a: String, $id: ID!) { timeline(actorIds: [$id], before: $a, last: 3) { edges { cursor } } }',
  'query ($a: String) { changes(since: "2020-01-01T00:00:00Z", after: $a) { edges { cursor } } }',
  'query ($a: String, $id: ID!) { claims(subjectId: $id, after: $a) { totalCount } }',
  'query ($a: String) { auditLog(after: $a) { totalCount } }',
  'query ($a: String) { apiKeys(after: $a) { totalCount } }',
];

/** Where a string a mutation may store ends up (table, column), to find it there verbatim afterwards. */
const STORED_IN = { actor: ['actors', 'name'], apiKey: ['api_keys', 'label'], claim: ['claims', 'value'] } as const;

interface Case {
  body: string | Uint8Array<ArrayBuffer>;
  /** A GET of this path (a CSV report) instead of a POST of `body` to /graphql. */
  get?: string;
  headers?: Record<string, string>;
  /** A hostile string a mutation may store, ending in a unique tag by which to find it afterwards. */
  stores?: Stores;
}

interface Stores {
  value: string;
  tag: string;
  in: keyof typeof STORED_IN;
  operation: string;
}

interface Ids {
  actor: string;
  /** A second actor, for shipments between two. */
  other: string;
  event: string;
  source: string;
  /** A claim (about the event's title) and a soft-deleted event, for acceptClaim and the purges. */
  claim: string;
  deletedEvent: string;
  /** A VIEWER key's id, for revokeApiKey. */
  viewerKey: string;
}

const PURGES = ['purgeEvent', 'purgeShipment', 'purgeActor', 'purgeSource', 'purgeCitation', 'purgeAffiliation'];

function generator(seed: number, ids: Ids, keys: { editor: string; admin: string }) {
  const r = prng(seed);
  const str = () => r.pick(BAD_STRINGS);
  const junkValue = (depth = 0): unknown => {
    switch (r.int(depth > 2 ? 6 : 9)) {
      case 0:
        return str();
      case 1:
        return r.next() * 1e12 - 5e11;
      case 2:
        return r.int(3) === 0 ? Number.MAX_SAFE_INTEGER : -r.int(1000);
      case 3:
        return null;
      case 4:
        return r.int(2) === 0;
      case 5:
        return r.pick([ids.actor, ids.event, 'not-an-id', '']);
      case 6:
        return Array.from({ length: r.int(5) }, () => junkValue(depth + 1));
      case 7:
        return Object.fromEntries(
          Array.from({ length: r.int(5) }, () => [r.pick(['name', 'kind', 'edtf', 'start', 'id', '__proto__', 'constructor', str()]), junkValue(depth + 1)]),
        );
      default:
        return r.pick(['STATE', 'MEETING', 'REPORTED', 'FOOD', 'DAY']);
    }
  };
  const json = (query: unknown, variables?: unknown, extra: Record<string, unknown> = {}) => JSON.stringify({ query, variables, ...extra });
  const editor = { authorization: `Bearer ${keys.editor}` };
  const admin = { authorization: `Bearer ${keys.admin}` };
  /** ADMIN operations are sent mostly with the ADMIN key, sometimes with too low a role. */
  const adminOrNot = () => r.pick([admin, admin, admin, editor, {}]);
  let tags = 0;
  /** A hostile string with a unique tag at its end, to find it by wherever it is stored. */
  const tagged = (into: Stores['in'], operation: string): Stores => {
    const tag = ` #fz${(tags += 1)}`;
    return { value: `${str().slice(0, 150)}${tag}`, tag, in: into, operation };
  };
  const instant = () =>
    r.pick([str(), '2030-02-30T00:00:00Z', '2999-01-01T00:00:00Z', '1900-01-01T00:00:00Z', new Date(Date.now() - r.int(1e7)).toISOString(), junkValue()]);
  const count = () => r.pick([-1, 0, 1, 2, 2 ** 31 - 1, 1e10, 1.5, '1', null]);

  const kinds: (() => Case)[] = [
    // random bytes
    () => {
      const bytes = new Uint8Array(r.int(2000));
      for (let i = 0; i < bytes.length; i += 1) bytes[i] = r.int(256);
      return { body: bytes };
    },
    // random JSON bodies
    () => ({ body: JSON.stringify(junkValue()) }),
    () => ({ body: json(junkValue(), junkValue()) }),
    // printable garbage as a document
    () => ({ body: json(Array.from({ length: r.int(300) }, () => String.fromCharCode(32 + r.int(95))).join('')) }),
    // GraphQL-ish token soup
    () => ({
      body: json(
        Array.from({ length: r.int(200) }, () =>
          r.pick([
            '{',
            '}',
            '(',
            ')',
            ':',
            '...',
            '@include',
            'actors',
            'edges',
            'node',
            'id',
            '$x',
            '"s"',
            '[',
            ']',
            'query',
            'mutation',
            'fragment',
            'on',
            '#',
            '\n',
          ]),
        ).join(' '),
      ),
    }),
    // deep nesting, usually far past the limit
    () => {
      const d = 1 + r.int(3000);
      return { body: json(`${'{ actors { edges { node { '.repeat(Math.ceil(d / 4))}id${' } } } }'.repeat(Math.ceil(d / 4))}`) };
    },
    () => {
      const d = 1 + r.int(5000);
      return { body: json(`${'{a'.repeat(d)}${'}'.repeat(d)}`) };
    },
    // huge lists in the document and in variables
    () => ({ body: json(`{ actors(kinds: [${Array.from({ length: r.int(8_000) }, () => 'STATE').join(',')}]) { totalCount } }`) }),
    () => ({
      body: json('query ($ids: [ID!]) { shipments(filter: { supplierIds: $ids }) { totalCount } }', {
        ids: Array.from({ length: r.int(3_000) }, () => r.pick([ids.actor, 'x'])),
      }),
    }),
    () => ({ body: json('query ($n: Int) { actors(first: $n) { edges { node { id aliases } } } }', { n: r.pick([0, 1, 500, 501, -1, 2 ** 31 - 1, 1e10]) }) }),
    // alias, directive and fragment bombs
    () => ({ body: json(`{ ${Array.from({ length: 1 + r.int(200) }, (_, i) => `a${i}: actors(first: 500) { totalCount }`).join(' ')} }`) }),
    () => ({ body: json(`{ sources { id ${'@include(if: true) '.repeat(1 + r.int(100))} } }`) }),
    () => ({ body: json('query { actors { edges { node { ...A } } } } fragment A on Actor { ...B } fragment B on Actor { ...A }') }),
    () => ({
      body: json(
        `{ actors(first: 500) { edges { node { events(first: 500) { edges { node { participants { actor { shipmentsSupplied(first: 500) { totalCount } } } } } } } } } }`,
      ),
    }),
  ];
  // Requests that reach the database (a third of the mix).
  const reachingDb: (() => Case)[] = [
    // reads with hostile strings in every string argument
    () => ({ body: json('query ($s: String) { actors(search: $s, first: 5) { totalCount edges { node { name } } } }', { s: str() }) }),
    () => ({ body: json('query ($s: String) { events(filter: { search: $s }) { totalCount } }', { s: str() }) }),
    () => ({ body: json('query ($id: ID!) { actor(id: $id) { id } event(id: $id) { id } shipment(id: $id) { id } source(id: $id) { id } }', { id: str() }) }),
    () => ({ body: json('query ($f: Date, $t: Date) { events(filter: { from: $f, to: $t }) { totalCount } }', { f: str(), t: junkValue() }) }),
    () => ({ body: json('query ($a: String) { actors(after: $a) { totalCount } events(after: $a) { totalCount } }', { a: str() }) }),
    // wrong types for every input
    () => ({ body: json('mutation ($input: CreateActorInput!) { createActor(input: $input) { id } }', { input: junkValue() }), headers: editor }),
    () => ({ body: json('mutation ($input: CreateEventInput!) { createEvent(input: $input) { id } }', { input: junkValue() }), headers: editor }),
    () => ({ body: json('mutation ($input: CreateShipmentInput!) { createShipment(input: $input) { id } }', { input: junkValue() }), headers: editor }),
    () => ({
      body: json('mutation ($id: ID!, $input: UpdateEventInput!) { updateEvent(id: $id, input: $input) { id } }', { id: junkValue(), input: junkValue() }),
      headers: editor,
    }),
    () => ({ body: json('mutation ($a: ID!, $b: ID!) { mergeActors(keepId: $a, mergeId: $b) { id } }', { a: junkValue(), b: junkValue() }), headers: editor }),
    // writes with hostile strings in every string field: stored as plain text or refused as bad input
    () => {
      const stores = tagged('actor', 'createActor');
      return {
        body: json('mutation ($input: CreateActorInput!) { createActor(input: $input) { id name } }', {
          input: { name: stores.value, kind: 'ORGANIZATION', description: str(), countryCode: r.pick([null, 'PRK', str()]), aliases: [str(), str()] },
        }),
        headers: editor,
        stores,
      };
    },
    () => ({
      body: json('mutation ($input: CreateSourceInput!) { createSource(input: $input) { id } }', {
        input: {
          publisher: str(),
          title: str(),
          url: r.pick([str(), 'javascript:alert(1)', 'https://example.org/a?b=<c>']),
          publishedAt: r.pick([str(), '2023-10-13']),
        },
      }),
      headers: editor,
    }),
    () => ({
      body: json('mutation ($input: CreateEventInput!) { createEvent(input: $input) { id } }', {
        input: {
          type: 'MEETING',
          title: str(),
          description: str(),
          date: r.pick([{ edtf: str() }, { start: str(), end: str() }, { edtf: '2023-09' }]),
          confidence: 'REPORTED',
          location: { name: str(), countryCode: str() },
          participants: [{ actorId: r.pick([ids.actor, str()]), role: 'INITIATOR' }],
        },
      }),
      headers: editor,
    }),
    () => ({ body: json('mutation ($id: ID!, $a: String!) { removeActorAlias(id: $id, alias: $a) { id } }', { id: ids.actor, a: str() }), headers: editor }),
    () => ({
      body: json('mutation ($input: CreateCitationInput!) { createCitation(input: $input) { id } }', {
        input: { sourceId: ids.source, excerpt: str(), eventId: ids.event, credibility: junkValue() },
      }),
      headers: editor,
    }),
    // API keys (ADMIN): hostile labels stored verbatim, bad roles and expiries refused
    () => ({
      body: json('query ($n: Int, $a: String, $r: Boolean) { apiKeys(first: $n, after: $a, includeRevoked: $r) { totalCount edges { node { id label } } } }', {
        n: count(),
        a: str(),
        r: junkValue(),
      }),
      headers: adminOrNot(),
    }),
    () => {
      const stores = tagged('apiKey', 'createApiKey');
      const input =
        r.int(4) === 0
          ? junkValue()
          : { role: r.pick(['VIEWER', 'EDITOR', 'ADMIN', 'ROOT', str()]), label: stores.value, expiresAt: r.pick([null, '2999-01-01T00:00:00Z', instant()]) };
      return {
        body: json('mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id label role } } }', { input }),
        headers: adminOrNot(),
        stores,
      };
    },
    () => ({
      body: json('mutation ($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }', { id: r.pick([ids.viewerKey, ids.actor, str(), junkValue()]) }),
      headers: adminOrNot(),
    }),
    // hard purges (ADMIN): of live records (refused), of the deleted event (once), of nonsense
    () => ({
      body: json(`mutation ($id: ID!) { ${r.pick(PURGES)}(id: $id) { id operation } }`, {
        id: r.pick([ids.deletedEvent, ids.actor, ids.event, ids.source, str(), junkValue()]),
      }),
      headers: adminOrNot(),
    }),
    // claims
    () => ({
      body: json(
        'query ($s: ID!, $f: String, $n: Int, $a: String) { claims(subjectId: $s, field: $f, first: $n, after: $a) { totalCount edges { node { id value } } } }',
        { s: r.pick([ids.event, ids.actor, str()]), f: r.pick([null, 'title', 'date', str()]), n: count(), a: str() },
      ),
    }),
    () => ({
      body: json('query ($id: ID!, $f: String) { event(id: $id) { claims(field: $f) { value likelihood } } }', {
        id: ids.event,
        f: r.pick([null, 'title', str()]),
      }),
    }),
    () => {
      const stores = tagged('claim', 'createClaim');
      const field = r.pick(['title', 'description', 'date', 'type', null, str()]);
      // mostly well-formed around the hostile value, so that some are stored
      const input =
        r.int(6) === 0
          ? junkValue()
          : {
              claimantId: r.pick([ids.actor, ids.actor, ids.actor, str()]),
              eventId: r.pick([ids.event, ids.event, ids.event, ids.deletedEvent, str()]),
              field,
              value: stores.value,
              statedOn: r.pick([null, null, '2023-09-13', '2030-02-30', str()]),
              likelihood: r.pick(['LIKELY', 'ALMOST_NO_CHANCE', 'LIKELY', 'SURE', str()]),
              confidence: r.pick([null, null, 'REPORTED', junkValue()]),
            };
      return { body: json('mutation ($input: CreateClaimInput!) { createClaim(input: $input) { id value } }', { input }), headers: editor, stores };
    },
    () => ({
      body: json('mutation ($id: ID!, $at: DateTime) { acceptClaim(id: $id, expectedUpdatedAt: $at) { id accepted } }', {
        id: r.pick([ids.claim, ids.event, str(), junkValue()]),
        at: r.pick([null, instant()]),
      }),
      headers: editor,
    }),
    // knowledge-time reads (asOf), the change feed, minSources filters
    () => ({
      body: json(
        'query ($id: ID!, $t: DateTime) { event(id: $id, asOf: $t) { title } shipment(id: $id, asOf: $t) { id } events(asOf: $t, first: 5) { totalCount } shipments(asOf: $t, first: 5) { totalCount } }',
        { id: r.pick([ids.event, str()]), t: instant() },
      ),
    }),
    () => ({
      body: json('query ($ids: [ID!]!, $t: DateTime, $m: Int) { timeline(actorIds: $ids, asOf: $t, minSources: $m) { totalCount } }', {
        ids: r.pick([[ids.actor], [str()], junkValue()]),
        t: r.pick([null, instant()]),
        m: count(),
      }),
    }),
    () => ({
      body: json(
        'query ($s: DateTime!, $n: Int, $a: String, $e: [ChangeEntity!]) { changes(since: $s, first: $n, after: $a, entities: $e) { settledUntil edges { cursor } } }',
        { s: instant(), n: count(), a: str(), e: r.pick([null, [], ['EVENT', 'ACTOR'], [str()], junkValue()]) },
      ),
    }),
    () => ({
      body: json('query ($m: Int) { events(filter: { minSources: $m }) { totalCount } shipments(filter: { minSources: $m }) { totalCount } }', { m: count() }),
    }),
    // importRecords: hostile names in well-formed records (stored verbatim or refused), junk data and options
    () => {
      const stores = tagged('actor', 'importRecords');
      const record = {
        kind: 'actor',
        dataset: str(),
        externalId: `${str().slice(0, 100)}${stores.tag}`,
        name: stores.value,
        actorKind: r.pick(['STATE', 'ORGANIZATION', 'STATE', str()]),
        aliases: [str()],
      };
      // half well-formed (the record as NDJSON or a JSON array), half junk in any format
      const [f, d] =
        r.int(2) === 0
          ? r.pick([
              ['NDJSON', JSON.stringify(record)],
              ['JSON', JSON.stringify([record])],
            ])
          : [r.pick(['NDJSON', 'JSON', 'CSV', 'ACLED', 'SIPRI', 'XML']), r.pick([JSON.stringify(junkValue()), str(), `kind,name\nactor,${str()}`])];
      return {
        body: json(
          'mutation ($f: ImportFormat!, $d: String!, $ds: String, $k: String, $p: Boolean, $c: Boolean, $dry: Boolean) { importRecords(format: $f, data: $d, dataset: $ds, kind: $k, partial: $p, createMissingActors: $c, dryRun: $dry) { committed records } }',
          {
            f,
            d,
            ds: r.pick([null, null, str()]),
            k: r.pick([null, null, 'actor', str()]),
            p: junkValue(),
            c: r.int(2) === 0,
            dry: r.int(4) === 0,
          },
        ),
        headers: editor,
        stores,
      };
    },
  ];
  const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v), 'utf8').toString('base64url');
  /** A forged cursor: a key of junk parts, of the right length or not, or a real-looking one broken in one place. */
  const cursor = () => {
    const part = () =>
      r.pick<unknown>([
        str(),
        r.pick(DATES),
        r.pick(INSTANTS),
        r.pick(NUMBERS),
        r.int(3),
        1.5,
        -1,
        null,
        true,
        [],
        {},
        UUID,
        'not-uuid',
        '99999999999999999999',
        '2023-01-01T00:00:00.000Z',
        junkValue(),
      ]);
    switch (r.int(4)) {
      case 0:
        return b64(Array.from({ length: 1 + r.int(4) }, part));
      case 1:
        return b64(
          [r.pick(['2023-01-01', '2023-02-30', '0000-01-01', 1]), r.pick(['2023-01-02', 'x', 'infinity']), r.pick([UUID, 'not-uuid', 0, 2])].concat(
            r.int(2) ? [UUID] : [],
          ),
        );
      case 2:
        return b64(str());
      default:
        return r.pick([str(), '', '!!!', 'eyJ', b64('[1,"x","not-uuid"]'), b64([1.5, 'x', UUID]), b64(['2023-02-30', '2023-01-02', UUID])]);
    }
  };
  /** A JSON object whose keys are Object.prototype names (JSON.parse makes them own keys, "__proto__" included). */
  const protoObject = (base: Record<string, unknown>) =>
    `{${[...Object.entries(base).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`), ...Array.from({ length: 1 + r.int(3) }, () => `${JSON.stringify(r.pick(PROTO_NAMES))}:${JSON.stringify(junkValue())}`)].join(',')}}`;
  /** Percent-encoded for a URL (a lone surrogate has no UTF-8 form: it goes as U+FFFD, as browsers send it). */
  const enc = (v: string) => encodeURIComponent(Buffer.from(v, 'utf8').toString('utf8'));
  const reportParams = () => {
    const params: string[] = [`from=${r.pick(['2023-01-01', ...DATES, enc(str())])}`, `to=${r.pick(['2023-12-31', ...DATES])}`];
    const extra = [
      () => `search=${r.pick(['%00', '%ED%A0%80', '%FF', '%C3', enc(str()), '%E0%A4%A'])}`,
      () => `asOf=${enc(r.pick([...INSTANTS, str(), new Date(Date.now() - 60_000).toISOString()]))}`,
      () => `minSources=${r.pick(['99999999999999999999999', '2147483648', '-1', '1.5', '1e3', '0', '3', enc(str())])}`,
      () =>
        `${r.pick(['types', 'categories', 'statuses', 'groupBy', 'minConfidence', 'granularity', 'attribution'])}=${enc(r.pick([...PROTO_NAMES, str(), 'MONTH', 'SUPPLIER', 'REPORTED', 'FOOD']))}`,
      () => `${r.pick(['supplierIds', 'recipientIds', 'actorIds'])}=${enc(r.pick([ids.actor, str(), `${ids.actor},x`]))}`,
      () => `bom=${r.pick(['false', 'true', 'x', ''])}`,
      () => `${r.pick(['from', 'to', 'search'])}[${r.pick(['0', 'a', '__proto__'])}]=x`,
      () => `${enc(r.pick([...PROTO_NAMES, str()]))}=1`,
    ];
    for (let i = 0; i < r.int(4); i += 1) params.push(r.pick(extra)());
    return params.join('&');
  };
  const classes: (() => Case)[] = [
    // forged cursors on every list
    () => ({ body: json(r.pick(CURSOR_LISTS), { a: cursor(), id: r.pick([ids.actor, ids.event]) }), headers: adminOrNot() }),
    // instants and dates outside the storable years, as variables and in the document
    () => ({
      body: json('query ($t: DateTime, $d: Date, $id: ID!) { events(asOf: $t, filter: { from: $d }) { totalCount } actor(id: $id, asOf: $t) { name } }', {
        t: r.pick(INSTANTS),
        d: r.pick(DATES),
        id: ids.actor,
      }),
    }),
    () => ({ body: json(`{ changes(since: "${r.pick(INSTANTS)}") { settledUntil } shipments(asOf: "${r.pick(INSTANTS)}") { totalCount } }`) }),
    () => ({
      body: json('query ($t: DateTime!, $id: ID!) { timeline(actorIds: [$id], asOf: $t) { totalCount } changes(since: $t) { settledUntil } }', {
        t: r.pick(INSTANTS),
        id: ids.actor,
      }),
    }),
    () => ({
      body: json('mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } } }', {
        input: { role: 'VIEWER', label: 'fuzz', expiresAt: r.pick(INSTANTS) },
      }),
      headers: adminOrNot(),
    }),
    // numbers past their range
    () => ({
      body: json(
        'mutation ($q: Float, $u: String) { createShipment(input: { supplierId: "' +
          ids.actor +
          '", recipientId: "' +
          ids.other +
          '", category: FOOD, quantity: $q, unit: $u, deliverySpan: { edtf: "2031" }, status: REPORTED, confidence: REPORTED }) { id quantity } }',
        { q: r.pick(NUMBERS), u: r.pick(['t', str()]) },
      ),
      headers: editor,
    }),
    () => ({
      body: json(
        `mutation { createShipment(input: { supplierId: "${ids.actor}", recipientId: "${ids.other}", category: FOOD, quantity: ${r.pick(['1e400', '-1e400', '1.7e308', '1e15', '1e16', '0e0'])}, unit: "t", deliverySpan: { edtf: "2031" }, status: REPORTED, confidence: REPORTED }) { id } }`,
      ),
      headers: editor,
    }),
    () => ({
      body: json('query ($m: Int, $n: Int) { events(filter: { minSources: $m }, first: $n) { totalCount } }', { m: r.pick(NUMBERS), n: r.pick(NUMBERS) }),
    }),
    () => ({
      body: json(
        `{ shipmentReport(from: "2031-01-01", to: "2031-12-31", granularity: ${r.pick(['YEAR', 'MONTH', 'DAY'])}, attribution: ${r.pick(['PRO_RATA', 'START', 'END'])}) { totals { quantity } } }`,
      ),
    }),
    // Object.prototype names: claim fields (API and import), input keys, aliases
    () => ({
      body: json(
        'mutation ($f: String, $v: String) { createClaim(input: { claimantId: "' +
          ids.actor +
          '", eventId: "' +
          ids.event +
          '", field: $f, value: $v, likelihood: LIKELY }) { id } }',
        { f: r.pick(PROTO_NAMES), v: r.pick(['x', str()]) },
      ),
      headers: editor,
    }),
    () => ({ body: json('query ($f: String) { claims(subjectId: "' + ids.event + '", field: $f) { totalCount } }', { f: r.pick(PROTO_NAMES) }) }),
    () => ({
      body: `{"query":"mutation ($input: CreateActorInput!) { createActor(input: $input) { id } }","variables":{"input":${protoObject({ name: `Proto ${r.int(1e6)}`, kind: 'STATE' })}}}`,
      headers: editor,
    }),
    () => ({ body: protoObject({ query: '{ sources { id } }' }) }),
    () => ({ body: json(`{ ${r.pick(PROTO_NAMES)}: actors(first: 1) { ${r.pick(PROTO_NAMES)}: edges { node { ${r.pick(PROTO_NAMES)}: id } } } }`) }),
    () => {
      const data = [
        {
          kind: 'event',
          dataset: 'fz',
          externalId: `pe${r.int(1e6)}`,
          type: 'MEETING',
          title: 'Proto',
          date: r.pick(['9999-12', '0001', '9999', '2023-05', ...DATES]),
          confidence: 'REPORTED',
        },
        {
          kind: 'claim',
          dataset: 'fz',
          externalId: `pc${r.int(1e6)}`,
          claimant: 'Fuzz target',
          event: { dataset: 'fz', externalId: 'none' },
          field: r.pick(PROTO_NAMES),
          value: 'x',
          likelihood: 'LIKELY',
        },
        {
          kind: 'shipment',
          dataset: 'fz',
          externalId: `ps${r.int(1e6)}`,
          supplier: 'Fuzz target',
          recipient: 'Fuzz other',
          category: 'FOOD',
          quantity: r.pick(NUMBERS),
          unit: 't',
          delivery: r.pick(['9999-12', '2023']),
          status: 'REPORTED',
          confidence: 'REPORTED',
        },
        {
          kind: 'source',
          dataset: 'fz',
          externalId: `pu${r.int(1e6)}`,
          publisher: 'P',
          title: 'T',
          url: r.pick(['javascript:alert(1)', 'data:,x', 'https://example.org', str()]),
        },
      ].filter(() => r.int(2) === 0);
      return {
        body: json('mutation ($d: String!, $p: Boolean) { importRecords(format: NDJSON, data: $d, partial: $p) { committed errors { field } } }', {
          d: data.map((x) => JSON.stringify(x)).join('\n'),
          p: r.int(2) === 0,
        }),
        headers: editor,
      };
    },
    // operations not run, persisted-query extensions
    () => ({ body: json(r.pick(['subscription { events { totalCount } }', 'subscription S { x }', 'subscription { __typename }'])) }),
    () => ({
      body: json(r.pick(['{ sources { id } }', undefined]), undefined, {
        extensions: {
          persistedQuery: r.pick([
            { version: 1, sha256Hash: r.pick(['abc', 'f'.repeat(64), str()]) },
            { version: r.pick([2, '1', 0, null]), sha256Hash: 'abc' },
            { sha256Hash: 'abc' },
            str(),
            junkValue(),
          ]),
        },
      }),
    }),
    // hostile URLs and lengths, lone surrogates, bytes that are not UTF-8
    () => ({
      body: json('mutation ($input: CreateSourceInput!) { createSource(input: $input) { id } }', {
        input: {
          publisher: r.pick(['P', str()]),
          title: r.pick(['T', 't'.repeat(1_001), str()]),
          url: r.pick([
            'javascript:alert(1)',
            'JAVASCRIPT:x',
            'data:text/html,x',
            'file:///etc/passwd',
            'vbscript:x',
            'http://',
            'https://e.org/' + 'p'.repeat(3_000),
            str(),
          ]),
        },
      }),
      headers: editor,
    }),
    () => ({
      body: json('mutation ($input: CreateActorInput!) { createActor(input: $input) { id } }', {
        input: {
          name: r.pick(['n'.repeat(10_000), '😀'.repeat(501), 'ok \ud800', str()]),
          kind: 'STATE',
          description: r.pick(['d'.repeat(20_001), str(), null]),
          aliases: [r.pick(['a'.repeat(501), str()])],
        },
      }),
      headers: editor,
    }),
    () => {
      const [before, after] = json('mutation ($input: CreateActorInput!) { createActor(input: $input) { id } }', {
        input: { name: 'XX', kind: 'STATE' },
      }).split('XX');
      const bad = new Uint8Array(1 + r.int(4)).map(() => 0x80 + r.int(128));
      const bytes = Buffer.concat([Buffer.from(before), Buffer.from('Bad '), bad, Buffer.from(after)]);
      return { body: new Uint8Array(r.int(3) === 0 ? Buffer.concat([bytes.subarray(0, 10), bad, bytes.subarray(10)]) : bytes), headers: editor };
    },
    // the CSV endpoints' parameters
    () => ({ body: '', get: `/reports/${r.pick(['shipments', 'events'])}.csv?${reportParams()}` }),
  ];
  const more: (() => Case)[] = [
    // hostile headers
    // (only what an HTTP client can send: visible ASCII)
    () => ({
      body: json('{ sources { id } }'),
      headers: {
        authorization: r.pick([
          'Bearer',
          `Bearer ${
            str()
              .slice(0, 500)
              .replace(/[^\x21-\x7e]/g, '') || 'x'
          }`,
          'Basic Og==',
          `Bearer att_${'x'.repeat(43)}`,
          `Bearer ${'A'.repeat(5000)}`,
          "Bearer ' OR 1=1 --",
        ]),
      },
    }),
    () => ({
      body: json('{ sources { id } }'),
      headers: {
        'content-type': r.pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16']),
      },
    }),
    () => ({ body: json('{ sources { id } }', undefined, { operationName: str(), extensions: junkValue() }) }),
  ];
  const cheap = [...kinds, ...more];
  const roll = () => r.next();
  return () => {
    const x = roll();
    return (x < 0.25 ? r.pick(reachingDb) : x < 0.55 ? r.pick(classes) : r.pick(cheap))();
  };
}

let server: TestServer;
let ids: Ids;
let adminKey: string;
beforeAll(async () => {
  server = await startTestServer({ seedOnStart: false, limits: { ratePoints: 0 } });
  adminKey = (await server.mintKey('ADMIN')).key;
  const actor = (await server.gql('mutation { createActor(input: { name: "Fuzz target", kind: STATE }) { id } }')).data.createActor.id;
  const other = (await server.gql('mutation { createActor(input: { name: "Fuzz other", kind: STATE }) { id } }')).data.createActor.id;
  const event = (await server.gql('mutation { createEvent(input: { type: MEETING, title: "Fuzz", date: { edtf: "2023" }, confidence: REPORTED }) { id } }'))
    .data.createEvent.id;
  const source = await server.gql('mutation { createSource(input: { publisher: "Fuzz", title: "Fuzz" }) { id } }');
  const claim = await server.gql(
    `mutation { createClaim(input: { claimantId: "${actor}", eventId: "${event}", field: "title", value: "Fuzz claimed", likelihood: LIKELY }) { id } }`,
  );
  const deleted = (
    await server.gql('mutation { createEvent(input: { type: MEETING, title: "Fuzz deleted", date: { edtf: "2023" }, confidence: REPORTED }) { id } }')
  ).data.createEvent.id;
  expect((await server.gql(`mutation { deleteEvent(id: "${deleted}") { id } }`)).errors).toBeUndefined();
  ids = {
    actor,
    other,
    event,
    source: source.data.createSource.id,
    claim: claim.data.createClaim.id,
    deletedEvent: deleted,
    viewerKey: (await server.mintKey('VIEWER')).id,
  };
}, 180_000);
afterAll(() => server?.stop(), 180_000);

it(`answers ${CASES} hostile requests with no 5xx and no crash, stores injections as plain text, and still works`, async () => {
  const next = generator(20261124, ids, { editor: server.editorKey, admin: adminKey });
  const failures: string[] = [];
  /** Hostile strings sent by mutations that succeeded (HTTP 200), some stored, some refused as bad input. */
  const accepted: Stores[] = [];
  let done = 0;
  const statuses: Record<number, number> = {};
  async function worker() {
    while (done < CASES) {
      done += 1;
      const c = next();
      let status = 0;
      let text = '';
      try {
        const res = c.get
          ? await fetch(server.url.replace(/\/graphql$/, c.get), { headers: c.headers })
          : await fetch(server.url, {
              method: 'POST',
              headers: { 'content-type': 'application/json', ...c.headers },
              body: typeof c.body === 'string' ? c.body : new Blob([c.body]),
            });
        status = res.status;
        text = await res.text();
      } catch (err) {
        failures.push(`request failed: ${(err as Error).message}`);
        continue;
      }
      statuses[status] = (statuses[status] ?? 0) + 1;
      const sent = c.get ?? String(c.body).slice(0, 200);
      if (status >= 500) failures.push(`${status}: ${text.slice(0, 300)} <- ${sent}`);
      else if (/INTERNAL_SERVER_ERROR/.test(text)) failures.push(`internal error: ${text.slice(0, 300)} <- ${sent}`);
      if (c.stores && status === 200) accepted.push(c.stores);
    }
  }
  const started = Date.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  console.log(`fuzz: ${done} requests in ${((Date.now() - started) / 1000).toFixed(1)} s; statuses ${JSON.stringify(statuses)}`);
  expect(failures.length === 0 ? [] : [`${failures.length} failures`, ...new Set(failures.map((f) => f.slice(0, 400)))].slice(0, 8)).toEqual([]);
  expect(done).toBeGreaterThanOrEqual(CASES);
  // Most requests were refused, some went through: the mix reached both sides.
  expect(
    Object.keys(statuses)
      .map(Number)
      .some((s) => s === 200),
  ).toBe(true);
  expect(
    Object.keys(statuses)
      .map(Number)
      .some((s) => s >= 400),
  ).toBe(true);

  // No stored injection: every table is there, the keys untouched (the ADMIN one still works below),
  // and each hostile string found where it went is stored and read back verbatim.
  const tables = await server.db.pool.query(
    "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('actors','events','shipments','sources','citations','api_keys','audit_log','claims')",
  );
  expect(tables.rows[0].n).toBe(8);
  expect((await server.db.pool.query('SELECT count(*)::int AS n FROM api_keys WHERE revoked_at IS NULL')).rows[0].n).toBeGreaterThanOrEqual(2);
  const found: Record<string, number> = {};
  const createdActors: string[] = [];
  for (const s of accepted) {
    const [table, column] = STORED_IN[s.in];
    const { rows } = await server.db.pool.query(`SELECT id, ${column} AS v FROM ${table} WHERE right(${column}, length($1)) = $1`, [s.tag]);
    // (text the database cannot take, a lone surrogate, is refused: never stored with U+FFFD in its place)
    if (/\p{Cs}/u.test(s.value)) expect(rows).toEqual([]);
    expect(rows.map((row) => row.v)).toEqual(rows.length ? [s.value.trim()] : []);
    if (rows.length) found[s.operation] = (found[s.operation] ?? 0) + 1;
    if (rows.length && s.operation === 'createActor') createdActors.push(rows[0].id);
  }
  console.log(`fuzz: hostile strings stored verbatim, by operation: ${JSON.stringify(found)}`);
  // Each way of storing one was taken (refused ones are BAD_USER_INPUT, counted among the 200s).
  expect(Object.keys(found).sort()).toEqual(['createActor', 'createApiKey', 'createClaim', 'importRecords']);
  for (const id of createdActors.slice(0, 50)) {
    const res = await server.gql('query ($id: ID!) { actor(id: $id) { name } }', { id });
    const row = await server.db.pool.query('SELECT name FROM actors WHERE id = $1', [id]);
    expect(res.data.actor.name).toBe(row.rows[0].name);
  }
  // every acknowledged write has its audit row
  const audit = await server.db.pool.query("SELECT count(*)::int AS n FROM audit_log WHERE operation = 'createActor'");
  expect(audit.rows[0].n).toBeGreaterThanOrEqual(createdActors.length + 1);

  // and it still answers normally
  const after = await server.gql('{ actor(id: "' + ids.actor + '") { name } sources { id } }');
  expect(after.status).toBe(200);
  expect(after.data.actor.name).toBe('Fuzz target');
  const keys = await server.gql('{ apiKeys(first: 1) { totalCount } }', undefined, { authorization: `Bearer ${adminKey}` });
  expect(keys.errors).toBeUndefined();
  expect(keys.data.apiKeys.totalCount).toBeGreaterThanOrEqual(3);
  const ready = await fetch(server.url.replace(/\/graphql$/, '/ready'));
  expect(ready.status).toBe(200);
}, 600_000); // generous: thousands of requests, on a machine that may be shared
