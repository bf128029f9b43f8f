// The browser pages over plain HTTP: which page a browser gets at GET /graphql and / in each
// PLAYGROUND mode, that GraphQL GETs still reach Apollo, and that the pages load nothing
// from other hosts. (The pages themselves run in Chromium in test/browser/.)
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';

// One database for the file; each mode's server starts on it in turn (slow on a busy machine).
const START_TIMEOUT = 120_000;
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
}, START_TIMEOUT);
afterAll(() => database?.drop());

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('PLAYGROUND=graphiql (the default outside production)', () => {
  let server: TestServer;
  let base: string;
  beforeAll(async () => {
    server = await startTestServer({}, { database });
    base = new URL(server.url).origin;
  }, START_TIMEOUT);
  afterAll(() => server?.stop());

  test.each(['/graphql', '/'])('GET %s from a browser is the self-hosted GraphiQL, scripts from this server only', async (p) => {
    const res = await fetch(`${base}${p}`, { headers: { accept: HTML } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain('<script src="/assets/playground.js"></script>');
    expect(html).toContain('id="api-key"');
    expect(html).not.toMatch(/https?:\/\//);
  });

  test('the bundle carries GraphiQL and the example operations, and no CDN address', async () => {
    const res = await fetch(`${base}/assets/playground.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    const js = await res.text();
    expect(js).toContain('query DprkRussiaTimeline');
    expect(js).toContain('query ShipmentsByMonth2023');
    expect(js).toContain('query WhoSaidWhatAboutTheContainers');
    expect(js).not.toMatch(/unpkg\.com|jsdelivr|esm\.sh|cdnjs|embeddable-sandbox/);
    expect((await fetch(`${base}/assets/nothing.js`)).status).toBe(404);
  });

  test('GraphQL requests at GET /graphql still reach Apollo (with its CSRF prevention)', async () => {
    const url = `${base}/graphql?query=${encodeURIComponent('{ sources { title } }')}`;
    const blocked = await fetch(url, { headers: { accept: HTML } });
    expect(blocked.status).toBe(400);
    expect(await blocked.text()).toMatch(/apollo-require-preflight/);
    const ok = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { data: { sources: unknown[] } }).data.sources).toHaveLength(1);
    // A JSON client without a query gets Apollo's answer, not the page.
    const noQuery = await fetch(`${base}/graphql`, { headers: { accept: 'application/json' } });
    expect(noQuery.headers.get('content-type')).toMatch(/json/);
  });

  test('GET /reports/shipments is the chart page (no key needed to load it)', async () => {
    const res = await fetch(`${base}/reports/shipments`, { headers: { accept: HTML } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<script src="/assets/reports.js"></script>');
    expect(html).toContain('id="csv-link"');
  });
});

describe('PLAYGROUND=sandbox and PLAYGROUND=off', () => {
  test('sandbox: GET /graphql is Apollo Sandbox, GET / redirects there', async () => {
    const server = await startTestServer({ playground: 'sandbox' }, { database });
    try {
      const base = new URL(server.url).origin;
      const page = await fetch(`${base}/graphql`, { headers: { accept: HTML } });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toMatch(/sandbox/i);
      expect(html).not.toContain('/assets/playground.js');
      const root = await fetch(`${base}/`, { headers: { accept: HTML }, redirect: 'manual' });
      expect(root.status).toBe(302);
      expect(root.headers.get('location')).toBe('/graphql');
    } finally {
      await server.stop();
    }
  }, START_TIMEOUT);

  test('off: no playground page (the chart page stays)', async () => {
    const server = await startTestServer({ playground: 'off' }, { database });
    try {
      const base = new URL(server.url).origin;
      const page = await fetch(`${base}/graphql`, { headers: { accept: HTML } });
      expect(await page.text()).not.toContain('/assets/playground.js');
      expect((await fetch(`${base}/`, { headers: { accept: HTML } })).status).toBe(404);
      expect((await fetch(`${base}/reports/shipments`, { headers: { accept: HTML } })).status).toBe(200);
    } finally {
      await server.stop();
    }
  }, START_TIMEOUT);
});
