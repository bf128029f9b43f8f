/// <reference lib="dom" />
// The self-hosted GraphiQL in a real browser: it loads from this server alone, opens with
// the example tabs and the docs explorer, runs an example and a typed query, and sends the
// key from its key field (kept in localStorage) and the CSRF-prevention header.
import path from 'node:path';
import type { Page, Request } from 'playwright-core';
import { ARTIFACTS, recordProblems, useBrowserFixture } from './chromium';

describe('GraphiQL playground (Chromium)', () => {
  const fx = useBrowserFixture();

  /** A fresh page that records what it asks for and any page error or failed request. */
  async function openPage(url: string) {
    const context = await fx.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const requests: Request[] = [];
    page.on('request', (r) => requests.push(r));
    const problems = recordProblems(page);
    await page.goto(url);
    await page.waitForSelector('.graphiql-container .graphiql-query-editor .CodeMirror');
    return { page, requests, problems };
  }

  /** The response editor's text, once it holds JSON containing `expected`. */
  async function responseText(page: Page, expected: string): Promise<string> {
    const handle = await page.waitForFunction(
      (needle) => {
        const cm = (document.querySelector('.graphiql-response .CodeMirror') as unknown as { CodeMirror?: { getValue(): string } } | null)?.CodeMirror;
        const text = cm?.getValue() ?? '';
        return text.includes(needle) ? text : false;
      },
      expected,
      { timeout: 20_000 },
    );
    return (await handle.jsonValue()) as string;
  }

  test('GET /graphql in a browser: the example tabs, the docs explorer, every asset from this server, the Examples pane', async () => {
    const { page, requests, problems } = await openPage(`${fx.base}/graphql`);
    const tabs = page.locator('.graphiql-tab');
    await expect(tabs.allInnerTexts()).resolves.toEqual(['DprkRussiaTimeline', 'ShipmentsByMonth2023', 'WhoSaidWhatAboutTheContainers']);
    // The docs explorer is open and shows the schema (fetched by introspection through the fetcher).
    await page.waitForSelector('.graphiql-doc-explorer :text("Root Types")', { timeout: 20_000 });
    await expect(page.locator('.graphiql-doc-explorer').innerText()).resolves.toMatch(/query:\s*Query/);
    expect(requests.map((r) => new URL(r.url()).origin).filter((o) => o !== fx.base)).toEqual([]);

    // The Examples pane opens a saved example in a new tab, ready to run.
    await page.click('.graphiql-sidebar button[aria-label="Show Examples"]');
    await page.click('.examples-pane button:has-text("Who said what about the containers")');
    await page.waitForSelector('.graphiql-tab-active :text("WhoSaidWhatAboutTheContainers")');
    await expect(tabs.count()).resolves.toBe(4);
    await page.click('.graphiql-execute-button');
    const answer = JSON.parse(await responseText(page, '"shipments"')) as {
      data: { shipments: { edges: { node: { quantity: number; unit: string; citations: { excerpt: string }[] } }[] } };
    };
    const containers = answer.data.shipments.edges[0].node;
    expect([containers.quantity, containers.unit]).toEqual([1000, 'containers']);
    expect(containers.citations.some((c) => c.excerpt.includes('1,000 containers'))).toBe(true);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  test('runs the DPRK–Russia timeline example and an operation typed into the editor, with the key and CSRF header', async () => {
    const viewer = await fx.server.mintKey('VIEWER', { label: 'browser test' });
    const { page, requests, problems } = await openPage(`${fx.base}/`);

    // The key typed into the key field is remembered in localStorage and sent with every request.
    await page.fill('#api-key', viewer.key);
    await expect(page.evaluate(() => localStorage.getItem('att.apiKey'))).resolves.toBe(viewer.key);

    // The first tab holds the timeline example: run it.
    await page.click('.graphiql-execute-button');
    const timeline = JSON.parse(await responseText(page, '"timeline"')) as {
      data: { timeline: { totalCount: number; edges: { kind: string }[] }; timelineMonths: { month: string; total: number }[] };
    };
    expect(timeline.data.timeline.totalCount).toBeGreaterThanOrEqual(8);
    expect(timeline.data.timelineMonths.map((m) => m.month)).toEqual(['2023-07', '2023-08', '2023-09', '2023-10']);

    // A new tab: type an operation key by key, run it, read the answer from the page.
    await page.click('.graphiql-tab-add');
    await page.click('.graphiql-query-editor .CodeMirror');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type('query WhoIsDprk { actors(search: "DPRK", first: 2) { totalCount edges { node { name countryCode } } } }', { delay: 5 });
    await page.keyboard.press('Escape');
    // GraphiQL names the tab after the operation once it has read the editor.
    await page.waitForSelector('.graphiql-tab-active :text("WhoIsDprk")');
    await page.click('.graphiql-execute-button');
    const actors = JSON.parse(await responseText(page, '"actors"')) as {
      data: { actors: { totalCount: number; edges: { node: { name: string; countryCode: string } }[] } };
    };
    // North Korea alone: Shoigu's counterpart is recorded by the article's words, "North Korean counterpart".
    expect(actors.data.actors.totalCount).toBe(1);
    expect(actors.data.actors.edges[0].node).toEqual({ name: 'North Korea', countryCode: 'PRK' });

    const posts = requests.filter((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/graphql');
    const run = posts.find((r) => (r.postData() ?? '').includes('WhoIsDprk'));
    expect(run).toBeDefined();
    const headers = await run!.allHeaders();
    expect(headers.authorization).toBe(`Bearer ${viewer.key}`);
    expect(headers['apollo-require-preflight']).toBe('true');

    await page.screenshot({ path: path.join(ARTIFACTS, 'playground.png') });

    // The key survives a reload (localStorage), and the field shows it again.
    await page.reload();
    await page.waitForSelector('.graphiql-query-editor .CodeMirror');
    await expect(page.inputValue('#api-key')).resolves.toBe(viewer.key);

    expect(problems).toEqual([]);
    await page.context().close();
  });

  test('a wrong key in the key field reaches the server and comes back as UNAUTHENTICATED in the page', async () => {
    const { page } = await openPage(`${fx.base}/graphql`);
    await page.fill('#api-key', 'att_not-a-real-key');
    await page.click('.graphiql-execute-button');
    const text = await responseText(page, 'UNAUTHENTICATED');
    expect(JSON.parse(text).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    await page.context().close();
  });
});
