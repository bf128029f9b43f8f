// The HTTP surface: health and readiness, malformed requests, and what
// production mode keeps from clients.
import { startTestServer, type TestServer } from '../support/server';

describe('development server', () => {
  let server: TestServer;
  let base: string;
  beforeAll(async () => {
    server = await startTestServer({ seedOnStart: false });
    base = server.url.replace(/\/graphql$/, '');
  });
  afterAll(() => server.stop());

  it('reports health and readiness', async () => {
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', database: 'up', pendingMigrations: [] });
  });

  it('answers malformed JSON with 400, not 500', async () => {
    const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(res.status).toBe(400);
  });

  it('answers a query that is not valid GraphQL with a coded 400', async () => {
    const res = await server.gql('{ actors { edges { node { nonsense } } } }');
    expect(res.status).toBe(400);
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it("gives every request an id: the client's when it is a plain token, else a new one", async () => {
    const query = JSON.stringify({ query: '{ __typename }' });
    const post = (headers: Record<string, string> = {}) =>
      fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: query });
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect((await post({ 'x-request-id': 'trace-42.a_b' })).headers.get('x-request-id')).toBe('trace-42.a_b');
    expect((await post({ 'x-request-id': 'not a token; <script>' })).headers.get('x-request-id')).toMatch(uuid);
    const [a, b] = await Promise.all([post(), post()]);
    expect(a.headers.get('x-request-id')).toMatch(uuid);
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
    // the parts express answers: a GraphQL GET, the health check, an unknown path
    const get = await fetch(`${server.url}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { 'apollo-require-preflight': 'true', 'x-request-id': 'get-1' },
    });
    expect([get.status, get.headers.get('x-request-id')]).toEqual([200, 'get-1']);
    expect((await fetch(`${base}/health`, { headers: { 'x-request-id': 'health-1' } })).headers.get('x-request-id')).toBe('health-1');
    expect((await fetch(`${base}/nowhere`)).headers.get('x-request-id')).toMatch(uuid);
  });

  it('answers /graphql as GraphQL whatever the method or spelling of the path', async () => {
    const put = await fetch(server.url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toMatch(/GET.*POST/);
    const preflight = await fetch(server.url, { method: 'OPTIONS', headers: { origin: 'https://analyst.example', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://analyst.example');
    for (const path of ['/graphql/', '/GraphQL', '/graphql?x=1']) {
      const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      expect([path, res.status, await res.json()]).toEqual([path, 200, { data: { __typename: 'Query' } }]);
    }
  });

  it('keeps Apollo CSRF prevention on: a simple GET without a preflight header is refused', async () => {
    const res = await fetch(`${server.url}?query=${encodeURIComponent('{ sources { id } }')}`);
    expect(res.status).toBe(400);
    const ok = await fetch(`${server.url}?query=${encodeURIComponent('{ sources { id } }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(ok.status).toBe(200);
  });
});

describe('production server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ seedOnStart: false, production: true, env: 'production', introspection: false });
  });
  afterAll(() => server.stop());

  it('turns introspection off', async () => {
    const res = await server.gql('{ __schema { types { name } } }');
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('gives validation errors their code and field, without stack traces', async () => {
    const res = await server.gql(`mutation { createShipment(input: {
      supplierId: "00000000-0000-0000-0000-000000000001", recipientId: "00000000-0000-0000-0000-000000000001",
      category: FOOD, deliverySpan: { edtf: "2023-09" }, status: REPORTED, confidence: REPORTED }) { id } }`);
    expect(res.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.recipientId' });
    expect(JSON.stringify(res)).not.toMatch(/stacktrace|\.ts:/);
  });

  it('hides unexpected errors (here: the database is gone) behind INTERNAL_SERVER_ERROR, never leaking SQL', async () => {
    await server.db.pool.query('ALTER TABLE sources RENAME TO sources_gone');
    try {
      const res = await server.gql('{ sources { id } }');
      expect(res.errors?.[0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      expect(JSON.stringify(res)).not.toMatch(/sources_gone|relation|SELECT/i);
    } finally {
      await server.db.pool.query('ALTER TABLE sources_gone RENAME TO sources');
    }
  });
});
