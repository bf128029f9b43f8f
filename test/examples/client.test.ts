// The typed example client (examples/client/) against a live server: the pair timeline
// page by page and the monthly report, over automatic persisted queries, in the safelist
// mode, and as the command-line program an analyst runs.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createClient, GraphQLRequestError } from '../../examples/client/client';
import { PairTimelinePageDocument } from '../../examples/client/generated/graphql';
import { main, monthlyReportLines, NORTH_KOREA, RUSSIA, timelinePages } from '../../examples/client/main';
import { MANIFEST_PATH } from '../../scripts/persisted-manifest';
import { useSharedDatabase, type TestServer } from '../support/server';

const START_TIMEOUT = 120_000;
const database = useSharedDatabase(START_TIMEOUT);

const root = path.resolve(__dirname, '../..');

describe('example client, automatic persisted queries', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await database.start({});
  }, START_TIMEOUT);
  afterAll(() => server?.stop());

  test('pages through the North Korea–Russia timeline: every item once, in order, across pages', async () => {
    const client = createClient({ url: server.url });
    const pages = [];
    for await (const edges of timelinePages(client, [NORTH_KOREA, RUSSIA], 4)) pages.push(edges);
    const all = (await client.request(PairTimelinePageDocument, { ids: [NORTH_KOREA, RUSSIA], first: 500 })).timeline;
    expect(pages.length).toBe(Math.ceil(all.totalCount / 4));
    expect(pages.flat()).toEqual(all.edges);
    // The typed union: each node says what it is.
    expect(new Set(pages.flat().map((e) => e.node.__typename))).toEqual(new Set(['Event', 'Shipment']));
    // Hash first, text once per operation, hash only afterwards.
    expect(client.stats.withText).toBe(1);
    expect(client.stats.hashOnly).toBe(pages.length + 1);
  });

  test('prints the monthly report: the containers 960 in September, 40 in October', async () => {
    const lines = await monthlyReportLines(createClient({ url: server.url }), '2023-01-01', '2023-12-31');
    expect(lines).toContain('2023-09  North Korea → Russia: 960 containers');
    expect(lines).toContain('2023-10  North Korea → Russia: 40 containers');
    expect(lines).toContain('2023-09  Russia → North Korea: 1 shipment(s), quantity unknown');
  });

  test('errors come back typed, with their code', async () => {
    const client = createClient({ url: server.url });
    const err = await client.request(PairTimelinePageDocument, { ids: ['00000000-0000-0000-0000-000000000000'], first: 5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphQLRequestError);
    expect((err as GraphQLRequestError).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'actorIds[0]' });
  });

  test(
    'runs as a program: npx tsx examples/client/main.ts <url>',
    async () => {
      const { stdout } = await promisify(execFile)(path.join(root, 'node_modules/.bin/tsx'), ['examples/client/main.ts', server.url], {
        cwd: root,
        timeout: 100_000,
      });
      const lines = stdout.trim().split('\n');
      expect(lines[0]).toBe('North Korea – Russia timeline');
      expect(lines).toContain('-- page 1');
      expect(lines.some((l) => /^2023-09-07\.\.2023-10-01 +SHIPMENT +North Korea → Russia: 1000 containers MILITARY_EQUIPMENT \[REPORTED\]$/.test(l))).toBe(
        true,
      );
      expect(lines.some((l) => /^2023-09-13 +EVENT +Kim Jong Un and Vladimir Putin meet at the Vostochny Cosmodrome/.test(l))).toBe(true);
      expect(lines).toContain('Shipments per month, 2023');
      expect(lines).toContain('2023-09  North Korea → Russia: 960 containers');
    },
    START_TIMEOUT,
  );
});

describe('example client against a safelist server (PERSISTED_QUERIES=only)', () => {
  test(
    'its operations are in the manifest: it never needs to send their text',
    async () => {
      const server = await database.start({ authMode: 'required', persistedQueries: { mode: 'only', manifestPath: MANIFEST_PATH } });
      try {
        const viewer = await server.mintKey('VIEWER');
        const printed: string[] = [];
        await main(server.url, viewer.key, (line) => printed.push(line));
        expect(printed).toContain('2023-10  North Korea → Russia: 40 containers');
        const client = createClient({ url: server.url, apiKey: viewer.key });
        await monthlyReportLines(client, '2023-09-01', '2023-10-31');
        expect(client.stats).toEqual({ hashOnly: 1, withText: 0 });
        // Without the key the required-auth server refuses it.
        await expect(monthlyReportLines(createClient({ url: server.url }), '2023-09-01', '2023-10-31')).rejects.toThrow(/UNAUTHENTICATED/);
      } finally {
        await server.stop();
      }
    },
    START_TIMEOUT,
  );
});
