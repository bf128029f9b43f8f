// Abuse limits over real HTTP, each just under and just over: depth, aliases,
// directives, tokens (document size), cost (first × nesting), body size, rate
// limit; introspection and field suggestions in production; statement timeout.
import { parse } from 'graphql';
import { databaseFault } from '../../src/db/faults';
import { toGraphQLError } from '../../src/graphql/errors';
import { costVariables } from '../../src/graphql/limits';
import { startTestServer, type TestServer } from '../support/server';

const LIMITS = { maxDepth: 6, maxAliases: 3, maxDirectives: 3, maxTokens: 300, maxCost: 1000, maxBodyBytes: 4096 };

/** `{ actors { edges { node { affiliations { actor { affiliations { … id } } } } } } }` with `levels` field levels. */
function nested(levels: number): string {
  // actors > edges > node = 3 levels, then affiliations/actor pairs, then id.
  let inner = 'id';
  let depth = 4; // actors, edges, node, id
  const parts: string[] = [];
  while (depth < levels) {
    parts.push(parts.length % 2 === 0 ? 'affiliations' : 'actor');
    depth += 1;
  }
  // the innermost field must be a leaf on whatever type the chain ends on
  for (const p of parts.reverse()) inner = `${p} { ${inner} }`;
  return `{ actors(first: 1) { edges { node { ${inner} } } } }`;
}

const codeOf = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code;

describe('query limits', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ seedOnStart: false, limits: LIMITS });
  }, 180_000);
  afterAll(() => server?.stop(), 180_000);

  it('depth: at the limit runs, one more level is QUERY_TOO_DEEP (400)', async () => {
    const ok = await server.gql(nested(LIMITS.maxDepth));
    expect(ok.errors).toBeUndefined();
    const over = await server.gql(nested(LIMITS.maxDepth + 1));
    expect(over.status).toBe(400);
    expect(codeOf(over)).toBe('QUERY_TOO_DEEP');
    expect(over.errors![0].message).toMatch(/depth/i);
  });

  it('aliases: at the limit runs, one more is TOO_MANY_ALIASES', async () => {
    const doc = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: sources { id }`).join(' ')} }`;
    expect((await server.gql(doc(LIMITS.maxAliases))).errors).toBeUndefined();
    const over = await server.gql(doc(LIMITS.maxAliases + 1));
    expect(over.status).toBe(400);
    expect(codeOf(over)).toBe('TOO_MANY_ALIASES');
  });

  it('directives: at the limit runs, one more is TOO_MANY_DIRECTIVES', async () => {
    const fields = ['id', 'publisher', 'title', 'url', 'publishedAt', 'reliability'];
    const doc = (n: number) => `{ sources { ${fields.map((f, i) => (i < n ? `${f} @include(if: true)` : f)).join(' ')} } }`;
    expect((await server.gql(doc(LIMITS.maxDirectives))).errors).toBeUndefined();
    const over = await server.gql(doc(LIMITS.maxDirectives + 1));
    expect(over.status).toBe(400);
    expect(codeOf(over)).toBe('TOO_MANY_DIRECTIVES');
  });

  it('tokens (document size): at the limit runs, one more token is QUERY_TOO_LARGE (400)', async () => {
    // `{ actor(id: "…") { id id … } }`: 10 tokens around n ids (a single record: the cost stays low).
    const doc = (ids: number) => `{ actor(id: "00000000-0000-0000-0000-000000000000") { ${'id '.repeat(ids)}} }`;
    let ids = LIMITS.maxTokens - 20;
    while ((await server.gql(doc(ids + 1))).errors === undefined) ids += 1;
    const over = await server.gql(doc(ids + 1));
    expect(over.status).toBe(400);
    expect(over.errors![0]).toMatchObject({ message: expect.stringMatching(/more than 300 tokens/), extensions: { code: 'QUERY_TOO_LARGE' } });
    expect(ids + 10).toBe(LIMITS.maxTokens); // exactly maxTokens tokens pass
    expect((await server.gql(doc(ids))).errors).toBeUndefined();
  });

  it('cost: first × nesting at the limit runs, one more item is QUERY_TOO_COMPLEX', async () => {
    // actors(first: N) { edges { node { id } } } costs 1 + 3N.
    const doc = (n: number) => `{ actors(first: ${n}) { edges { node { id } } } }`;
    const atLimit = Math.floor((LIMITS.maxCost - 1) / 3);
    expect((await server.gql(doc(atLimit))).errors).toBeUndefined();
    const over = await server.gql(doc(atLimit + 1));
    expect(over.status).toBe(400);
    expect(codeOf(over)).toBe('QUERY_TOO_COMPLEX');
    expect(over.errors![0].message).toMatch(/cost 100\d exceeds the limit of 1000/);
    // the same through a variable
    const viaVariable = await server.gql('query ($n: Int) { actors(first: $n) { edges { node { id } } } }', { n: atLimit + 1 });
    expect(codeOf(viaVariable)).toBe('QUERY_TOO_COMPLEX');
    // nested lists multiply: 50 actors cost 151 alone, 1201 with their (assumed 10) affiliations each
    expect((await server.gql('{ actors(first: 50) { edges { node { id } } } }')).errors).toBeUndefined();
    const nestedLists = await server.gql('{ actors(first: 50) { edges { node { aliases affiliations { id title } } } } }');
    expect(codeOf(nestedLists)).toBe('QUERY_TOO_COMPLEX');
    expect(nestedLists.errors![0].message).toMatch(/cost 1201/);
  });

  it('cost: a backward page (`last`) costs as much as a forward one', async () => {
    const ids = '["00000000-0000-0000-0000-000000000000"]';
    const doc = (n: number) => `{ timeline(actorIds: ${ids}, last: ${n}) { edges { cursor } } }`;
    const atLimit = Math.floor((LIMITS.maxCost - 1) / 2);
    expect(codeOf(await server.gql(doc(atLimit)))).not.toBe('QUERY_TOO_COMPLEX');
    expect(codeOf(await server.gql(doc(atLimit + 1)))).toBe('QUERY_TOO_COMPLEX');
    // through a variable, and with a small `first` sent alongside (the larger counts)
    const viaVariable = await server.gql(`query ($n: Int) { timeline(actorIds: ${ids}, last: $n) { edges { cursor } } }`, { n: atLimit + 1 });
    expect(codeOf(viaVariable)).toBe('QUERY_TOO_COMPLEX');
    const both = await server.gql(`{ timeline(actorIds: ${ids}, first: 1, last: ${atLimit + 1}) { edges { cursor } } }`);
    expect(codeOf(both)).toBe('QUERY_TOO_COMPLEX');
    // nested lists multiply the same way: `last: N` costs exactly what `first: N` costs
    const nestedDoc = (arg: string) => `{ timeline(actorIds: ${ids}, ${arg}: 90) { edges { node { ... on Event { citations { excerpt } } } } } }`;
    const [forward, backward] = [await server.gql(nestedDoc('first')), await server.gql(nestedDoc('last'))];
    expect(codeOf(backward)).toBe('QUERY_TOO_COMPLEX');
    expect(backward.errors![0].message).toBe(forward.errors![0].message);
    expect(backward.errors![0].message).toMatch(/cost 1171 exceeds/);
  });

  it('cost: a document is costed once per value of the variables that set it (first/last, @include/@skip)', async () => {
    const doc = 'query ($n: Int, $other: String) { actors(first: $n, search: $other) { edges { node { id } } } }';
    const atLimit = Math.floor((LIMITS.maxCost - 1) / 3);
    // Alternating values of the same document: each answer is its own value's, not the previous one's.
    for (const n of [atLimit, atLimit + 1, atLimit, atLimit + 1]) {
      const res = await server.gql(doc, { n, other: `x${n}` });
      expect(codeOf(res)).toBe(n > atLimit ? 'QUERY_TOO_COMPLEX' : undefined);
    }
    const included = 'query ($a: Boolean!) { actors(first: 50) { edges { node { id affiliations @include(if: $a) { id title } } } } }';
    for (const a of [false, true, false, true]) expect(codeOf(await server.gql(included, { a }))).toBe(a ? 'QUERY_TOO_COMPLEX' : undefined);
    expect(costVariables(parse(doc))).toEqual(['n']);
    expect(costVariables(parse(included))).toEqual(['a']);
  });

  it('an out-of-range first is still bad input on `first`, not a cost error', async () => {
    const res = await server.gql('{ actors(first: -5) { edges { node { id } } } }');
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
  });

  it('body size: just under the limit is read, just over is 413 PAYLOAD_TOO_LARGE', async () => {
    const body = (size: number) => {
      const base = JSON.stringify({ query: '{ sources { id } }', variables: { pad: '' } });
      return JSON.stringify({ query: '{ sources { id } }', variables: { pad: 'x'.repeat(size - base.length) } });
    };
    const post = (b: string) => fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: b });
    const under = await post(body(LIMITS.maxBodyBytes));
    expect(under.status).toBe(200);
    const over = await post(body(LIMITS.maxBodyBytes + 1));
    expect(over.status).toBe(413);
    expect(await over.json()).toMatchObject({ errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
  });

  it('batched requests are refused', async () => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ sources { id } }' }, { query: '{ sources { id } }' }]),
    });
    expect(res.status).toBe(400);
  });
});

describe('rate limit', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ seedOnStart: false, limits: { ratePoints: 5, rateWindowSeconds: 60 } });
  }, 180_000);
  afterAll(() => server?.stop(), 180_000);

  it('per address without a key: the 5th request passes, the 6th is 429 RATE_LIMITED with Retry-After', async () => {
    for (let i = 0; i < 5; i += 1) expect((await server.gql('{ sources { id } }')).status).toBe(200);
    const res = await server.gql('{ sources { id } }');
    expect(res.status).toBe(429);
    expect(codeOf(res)).toBe('RATE_LIMITED');
    const retry = Number(res.headers!.get('retry-after'));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
  });

  it('per key: a key has its own budget, and another key is not affected', async () => {
    const a = (await server.mintKey('VIEWER')).key;
    const b = (await server.mintKey('VIEWER')).key;
    for (let i = 0; i < 5; i += 1) expect((await server.gql('{ sources { id } }', undefined, { authorization: `Bearer ${a}` })).status).toBe(200);
    expect((await server.gql('{ sources { id } }', undefined, { authorization: `Bearer ${a}` })).status).toBe(429);
    expect((await server.gql('{ sources { id } }', undefined, { authorization: `Bearer ${b}` })).status).toBe(200);
  });

  it('counts /graphql and the CSV reports in one budget, and refuses both alike', async () => {
    const headers = { authorization: `Bearer ${(await server.mintKey('VIEWER')).key}` };
    const csv = () => fetch(`${server.url.replace(/\/graphql$/, '')}/reports/shipments.csv?from=2023-01-01&to=2023-12-31`, { headers });
    for (let i = 0; i < 3; i += 1) expect((await server.gql('{ sources { id } }', undefined, headers)).status).toBe(200);
    expect([(await csv()).status, (await csv()).status]).toEqual([200, 200]);
    const refused = await csv();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({ errors: [{ extensions: { code: 'RATE_LIMITED' } }] });
    expect((await server.gql('{ sources { id } }', undefined, headers)).status).toBe(429);
  });
});

describe('production', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ seedOnStart: false, production: true, env: 'production', introspection: false });
  }, 180_000);
  afterAll(() => server?.stop(), 180_000);

  it('turns introspection off and does not suggest field names', async () => {
    const intro = await server.gql('{ __schema { types { name } } }');
    expect(intro.status).toBe(400);
    const typo = await server.gql('{ sourcez { id } }');
    expect(typo.status).toBe(400);
    expect(JSON.stringify(typo.errors)).not.toMatch(/Did you mean/);
  });
});

describe('development', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ seedOnStart: false, statementTimeoutMs: 250 });
  }, 180_000);
  afterAll(() => server?.stop(), 180_000);

  it('suggests field names where introspection is on', async () => {
    const typo = await server.gql('{ sourcez { id } }');
    expect(JSON.stringify(typo.errors)).toMatch(/Did you mean/);
  });

  it('sets statement_timeout on every pooled connection', async () => {
    const res = await server.db.pool.query('SHOW statement_timeout');
    expect(res.rows[0].statement_timeout).toBe('250ms');
  });

  it('cancels a statement that runs past it, and says so as a fault of the database', async () => {
    const err = await server.db.prisma.$queryRawUnsafe('SELECT pg_sleep(2)').catch((e: unknown) => e);
    expect(databaseFault(err)).toBe('timeout');
    expect(toGraphQLError(err)?.extensions.code).toBe('QUERY_TIMEOUT');
    // the connection is fine afterwards
    expect(await server.db.prisma.$queryRawUnsafe('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('a transaction that cannot get a pooled connection in time is SERVICE_UNAVAILABLE (try again), not an internal error', async () => {
    // Every connection of the server's pool held by an open transaction...
    const size = 4;
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let opened = 0;
    const holders = Array.from({ length: size }, () =>
      server.db.prisma.$transaction(
        async (tx) => {
          await tx.$queryRawUnsafe('SELECT 1');
          opened += 1;
          await held;
        },
        { timeout: 30_000 },
      ),
    );
    try {
      while (opened < size) await new Promise((r) => setTimeout(r, 20));
      // ...so one more waits past its (here short) maxWait.
      const err = await server.db.prisma.$transaction(async (tx) => tx.$queryRawUnsafe('SELECT 1'), { maxWait: 200 }).catch((e: unknown) => e);
      expect(String(err)).toMatch(/Unable to start a transaction in the given time/);
      expect(databaseFault(err)).toBe('unavailable');
      expect(toGraphQLError(err)?.extensions.code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      release();
      await Promise.all(holders);
    }
  });
});
