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
