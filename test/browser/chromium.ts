// Browser tests drive Debian's Chromium (apt-get install chromium) with playwright-core;
// Playwright's own browser downloads are not needed (nor possible offline). Without a
// Chromium on this machine the browser tests are skipped with a message saying so;
// .ci/run installs it, so CI always runs them.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export const chromiumPath: string | undefined = CANDIDATES.find((p) => fs.existsSync(p));

/** Starting a server (and a browser) is slow on a busy machine. */
export const START_TIMEOUT = 120_000;

export const ARTIFACTS = path.resolve(__dirname, '../artifacts');

/** `describe` when Chromium is installed; otherwise a skipped block, with a warning naming the fix. */
export function describeInBrowser(name: string, fn: () => void): void {
  if (chromiumPath) {
    describe(name, fn);
    return;
  }
  console.warn(`SKIPPED "${name}": no Chromium at ${CANDIDATES.join(', ')}; install it (apt-get install -y chromium) to run the browser tests`);
  describe.skip(name, fn);
}

export async function launchChromium(): Promise<Browser> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
