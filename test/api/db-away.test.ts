// The database away (issue #27 item 6 and its fuzz criterion): GraphQL answers
// SERVICE_UNAVAILABLE and the CSV endpoints 503 with Retry-After, whether the database is gone
// (a TCP proxy in front of it cut) or its backends are being terminated under load
// (pg_terminate_backend on the server's connections, as an operator or a failover does). Never
// INTERNAL_SERVER_ERROR, never HTTP 500. Then it recovers without a restart.
import { Client } from 'pg';
import { loadConfig, type Config } from '../../src/config';
import { startServer } from '../../src/server';
import { createTestDatabase } from '../support/database';
import { eventually } from '../support/eventually';
import { useBeforeAll } from '../support/hooks';
import { createDbProxy } from '../support/proxy';

const file = useBeforeAll(async (cleanup) => {
  const database = await createTestDatabase();
  cleanup(() => database.drop());
  const proxy = await createDbProxy(database.url);
  cleanup(() => proxy.close());
  await proxy.up();
  const config: Config = {
    ...loadConfig({ NODE_ENV: 'test' }),
    port: 0,
    host: '127.0.0.1',
    databaseUrl: proxy.url,
    poolSize: 4,
    logLevel: 'silent',
    authMode: 'open',
    seedOnStart: true,
    shutdownTimeoutMs: 1000,
  };
  const server = await startServer(config);
  cleanup(() => server.stop());
  return { database, proxy, server, base: server.url.replace(/\/graphql$/, '') };
}, 180_000);

const REPORT = '/reports/shipments.csv?from=2023-01-01&to=2023-12-31&groupBy=SUPPLIER,RECIPIENT';
const EVENTS = '/reports/events.csv?from=2023-01-01&to=2023-12-31&groupBy=ACTOR&search=Russia';
const QUERIES = [
  '{ events(first: 5) { totalCount edges { node { title participants { actor { name } } } } } }',
  '{ shipmentReport(from: "2023-01-01", to: "2023-12-31", groupBy: [SUPPLIER]) { totals { quantity } } }',
  '{ actors(search: "Rus", first: 3) { edges { node { name aliases } } } }',
];

interface Answer {
  status: number;
  body: string;
}

async function graphql(query: string): Promise<Answer> {
  const res = await fetch(file.server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return { status: res.status, body: await res.text() };
}

async function csv(path: string): Promise<Answer & { retryAfter: string | null }> {
  const res = await fetch(`${file.base}${path}`);
  return { status: res.status, body: await res.text(), retryAfter: res.headers.get('retry-after') };
}

/** What went wrong in an answer, if it is neither a success nor "the database is unavailable". */
function misfit(a: Answer, kind: 'graphql' | 'csv'): string | undefined {
  if (a.status >= 500 && !(kind === 'csv' && a.status === 503)) return `${a.status}: ${a.body.slice(0, 300)}`;
  if (/INTERNAL_SERVER_ERROR/.test(a.body)) return `internal error: ${a.body.slice(0, 300)}`;
  if (kind === 'csv' && a.status !== 200 && a.status !== 503) return `${a.status}: ${a.body.slice(0, 300)}`;
  const codes = kind === 'graphql' ? [...a.body.matchAll(/"code":"(\w+)"/g)].map((m) => m[1]) : [];
  const other = codes.filter((c) => c !== 'SERVICE_UNAVAILABLE');
  return other.length ? `codes ${other.join(', ')}: ${a.body.slice(0, 300)}` : undefined;
}

it('with the database gone: SERVICE_UNAVAILABLE for GraphQL, 503 with Retry-After for the CSV reports', async () => {
  await file.proxy.down();
  try {
    for (const q of QUERIES) {
      const a = await graphql(q);
      expect(misfit(a, 'graphql')).toBeUndefined();
      expect(JSON.parse(a.body).errors?.[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
    }
    for (const path of [REPORT, EVENTS]) {
      const a = await csv(path);
      expect([a.status, JSON.parse(a.body)]).toEqual([503, { error: 'SERVICE_UNAVAILABLE', message: expect.any(String) }]);
      expect(Number(a.retryAfter)).toBeGreaterThan(0);
    }
  } finally {
    await file.proxy.up();
  }
  const back = await eventually(
    () => csv(REPORT),
    (a) => a.status === 200,
  );
  expect(back.status).toBe(200);
});

it("with the server's backends being terminated under load: only successes and SERVICE_UNAVAILABLE / 503", async () => {
  const admin = new Client({ connectionString: file.database.url });
  await admin.connect();
  const problems: string[] = [];
  const seen: Record<string, number> = {};
  let terminated = 0;
  let stop = false;
  try {
    const killer = (async () => {
      while (!stop) {
        const { rows } = await admin.query(
          'SELECT count(*)::int AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()) t',
        );
        terminated += rows[0].n;
        await new Promise((r) => setTimeout(r, 15));
      }
    })();
    const worker = async (w: number) => {
      for (let i = 0; i < 40; i += 1) {
        const isCsv = (i + w) % 3 === 0;
        const a = isCsv ? await csv(i % 2 ? REPORT : EVENTS) : await graphql(QUERIES[(i + w) % QUERIES.length]);
        const label = `${isCsv ? 'csv' : 'graphql'} ${a.status}${/SERVICE_UNAVAILABLE/.test(a.body) ? ' unavailable' : ''}`;
        seen[label] = (seen[label] ?? 0) + 1;
        const wrong = misfit(a, isCsv ? 'csv' : 'graphql');
        if (wrong) problems.push(wrong);
      }
    };
    await Promise.all(Array.from({ length: 6 }, (_, w) => worker(w)));
    stop = true;
    await killer;
  } finally {
    stop = true;
    await admin.end();
  }
  expect(terminated).toBeGreaterThan(0);
  expect([...new Set(problems)].slice(0, 5)).toEqual([]);
  // the cut was felt: some requests were refused as unavailable, and some still went through
  expect(Object.keys(seen).some((k) => k.includes('unavailable') || k.includes('503'))).toBe(true);
  expect(Object.keys(seen).some((k) => k.endsWith(' 200'))).toBe(true);
  // and once it stops, everything answers again
  const after = await eventually(
    () => csv(REPORT),
    (a) => a.status === 200,
  );
  expect(after.status).toBe(200);
  expect(misfit(await graphql(QUERIES[0]), 'graphql')).toBeUndefined();
}, 180_000);
