// Browser tests drive Debian's Chromium (apt-get install chromium) with playwright-core;
// Playwright's own browser downloads are not needed (nor possible offline). Without a
// Chromium, jest.config.js leaves test/browser out with a warning naming the fix;
// .ci/run installs it, so CI always runs them.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/server';
import { chromiumPath } from './find-chromium';

/** Starting a server (and a browser) is slow on a busy machine. */
export const START_TIMEOUT = 120_000;

export const ARTIFACTS = path.resolve(__dirname, '../artifacts');

export async function launchChromium(): Promise<Browser> {
  if (!chromiumPath) throw new Error('no Chromium installed (apt-get install -y chromium)');
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface BrowserFixture {
  server: TestServer;
  browser: Browser;
  /** The server's origin, e.g. http://127.0.0.1:41234 */
  base: string;
}

/** A seeded test server and Chromium for the enclosing describe block (filled in by beforeAll). */
export function useBrowserFixture(): BrowserFixture {
  const fixture = {} as BrowserFixture;
  beforeAll(async () => {
    fixture.server = await startTestServer();
    fixture.base = new URL(fixture.server.url).origin;
    fixture.browser = await launchChromium();
  }, START_TIMEOUT);
  afterAll(async () => {
    await fixture.browser?.close();
    await fixture.server?.stop();
  });
  return fixture;
}

/** Collects the page's errors, console errors, failed requests and HTTP errors: a clean page leaves it empty. */
export function recordProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  return problems;
}
