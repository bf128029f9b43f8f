// The browser pages over plain HTTP: which page a browser gets at GET /graphql and / in each
// PLAYGROUND mode, that GraphQL GETs still reach Apollo, and that the pages load nothing
// from other hosts. (The pages themselves run in Chromium in test/browser/.)
import { useSharedDatabase, type TestConfig, type TestServer } from '../support/server';

// One database for the file; each mode's server starts on it in turn (slow on a busy machine).
const START_TIMEOUT = 120_000;
const database = useSharedDatabase(START_TIMEOUT);

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/** Runs `use` on a server started on the file's database with `overrides`, given its origin; stops the server after. */
async function onServer(overrides: TestConfig, use: (base: string) => Promise<void>): Promise<void> {
  const server = await database.start(overrides);
  try {
    await use(new URL(server.url).origin);
  } finally {
    await server.stop();
  }
}

describe('PLAYGROUND=graphiql (the default outside production)', () => {
  let server: TestServer;
  let base: string;
  beforeAll(async () => {
    server = await database.start({});
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

  test("GET /timeline is the timeline page (no key needed to load it), with the pages' security headers", async () => {
    const res = await fetch(`${base}/timeline`, { headers: { accept: HTML } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain('<script src="/assets/timeline.js"></script>');
    expect(html).toContain('<a href="/timeline" aria-current="page">Timeline</a>');
    expect((await fetch(`${base}/assets/timeline.js`)).status).toBe(200);
  });
});

describe('PLAYGROUND=sandbox and PLAYGROUND=off', () => {
  test(
    'sandbox: GET /graphql is Apollo Sandbox, GET / redirects there',
    () =>
      onServer({ playground: 'sandbox' }, async (base) => {
        const page = await fetch(`${base}/graphql`, { headers: { accept: HTML } });
        expect(page.status).toBe(200);
        const html = await page.text();
        expect(html).toMatch(/sandbox/i);
        expect(html).not.toContain('/assets/playground.js');
        const root = await fetch(`${base}/`, { headers: { accept: HTML }, redirect: 'manual' });
        expect(root.status).toBe(302);
        expect(root.headers.get('location')).toBe('/graphql');
      }),
    START_TIMEOUT,
  );

  test(
    'off: no playground page (the chart and timeline pages stay)',
    () =>
      onServer({ playground: 'off' }, async (base) => {
        const page = await fetch(`${base}/graphql`, { headers: { accept: HTML } });
        expect(await page.text()).not.toContain('/assets/playground.js');
        expect((await fetch(`${base}/`, { headers: { accept: HTML } })).status).toBe(404);
        expect((await fetch(`${base}/reports/shipments`, { headers: { accept: HTML } })).status).toBe(200);
        expect((await fetch(`${base}/timeline`, { headers: { accept: HTML } })).status).toBe(200);
      }),
    START_TIMEOUT,
  );
});

describe('source maps', () => {
  const MAPS = ['/assets/playground.js.map', '/assets/reports.js.map', '/assets/reports.css.map'];

  test(
    'served outside production (for the browser developer tools)',
    () =>
      onServer({}, async (base) => {
        for (const m of MAPS) expect([m, (await fetch(`${base}${m}`)).status]).toEqual([m, 200]);
      }),
    START_TIMEOUT,
  );

  test(
    'not served in production (the bundles they map still are)',
    () =>
      onServer({ env: 'production', production: true, playground: 'graphiql' }, async (base) => {
        for (const m of MAPS) expect([m, (await fetch(`${base}${m}`)).status]).toEqual([m, 404]);
        expect((await fetch(`${base}/assets/reports.js`)).status).toBe(200);
        expect((await fetch(`${base}/assets/playground.js`)).status).toBe(200);
      }),
    START_TIMEOUT,
  );
});
