// npm run bench:timeline [-- --runs 3 --server postgresql://postgres@127.0.0.1:5432/postgres --keep]
//
// The timeline page in Chromium over the 5,000-item generated feed (bench/timeline-feed.ts):
// how soon it paints, how soon the first items and all of them are drawn, and how long the
// frames take while an analyst zooms and pans — read with the browser's performance API
// (paint timing, the page's own marks, requestAnimationFrame timestamps, long tasks), at a
// laptop's 1366×768 and a wall screen's 3840×2160. Target: frames under 50 ms.
//
// It creates the database att_bench_timeline_page on the given PostgreSQL (dropped at the
// end unless --keep), imports the feed, starts the server in this process and drives a
// headless Chromium (software rendering, --disable-gpu: the slow case). Prints a table and
// writes bench/results/<date>-timeline-page.json.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig, type Config } from '../src/config';
import { startServer } from '../src/server';
import { loadTimelineFeed, TIMELINE_FEED_ITEMS } from './timeline-feed';
import type {} from '../web/timeline/page-api';

const DATABASE = 'att_bench_timeline_page';
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => fs.existsSync(p));
const VIEWPORTS = [
  { name: 'laptop 1366×768', width: 1366, height: 768 },
  { name: 'wall 3840×2160', width: 3840, height: 2160 },
];

interface Stats {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

interface Run {
  viewport: string;
  /** ms from navigation start. */
  firstContentfulPaint: number;
  firstItems: number;
  allItems: number;
  items: number;
  /** Time between frames drawn while zooming and panning (requestAnimationFrame timestamps), ms. */
  frames: Stats;
  /** Of which the page's drawing (view.drawNow), ms. */
  draw: Stats;
  /** The same by phase: wheel zoom over the axis, drag over the lanes, keyboard zoom and pan. */
  byPhase: Record<Phase, Stats>;
  /** Long tasks (> 50 ms) during the interaction: how long, in which phase. */
  longTasks: { phase: string; duration: number }[];
}

function stats(values: number[]): Stats {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return { n: s.length, p50: at(0.5), p95: at(0.95), max: s[s.length - 1] ?? NaN };
}

async function createDatabase(server: string): Promise<string> {
  const admin = new Client({ connectionString: server });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${DATABASE}"`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${DATABASE}`;
  return url.toString();
}

async function dropDatabase(server: string): Promise<void> {
  const admin = new Client({ connectionString: server });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
  await admin.end();
}

type Phase = 'wheel' | 'drag' | 'keys';
const PHASES: Phase[] = ['wheel', 'drag', 'keys'];

interface Recorded {
  /** Frame times (ms) by phase of the interaction. */
  frames: Record<Phase, number[]>;
  draws: number[];
  longTasks: { phase: string; duration: number }[];
}

/** Zooms and pans the way an analyst does — wheel over the axis, drag over the lanes, keys — and records the frames. */
async function interact(page: Page): Promise<Recorded> {
  await page.evaluate(() => {
    const w = window as unknown as {
      __bench: { stamps: number[]; counts: number[]; phases: string[]; phase: string; longTasks: { phase: string; duration: number }[]; on: boolean };
    };
    w.__bench = { stamps: [], counts: [], phases: [], phase: 'wheel', longTasks: [], on: true };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__bench.longTasks.push({ phase: w.__bench.phase, duration: e.duration });
    }).observe({ type: 'longtask' });
    const tick = (t: number) => {
      w.__bench.stamps.push(t);
      w.__bench.counts.push(window.timelineView.view.frameCount);
      w.__bench.phases.push(w.__bench.phase);
      if (w.__bench.on) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const phase = (name: Phase) => page.evaluate((p) => ((window as unknown as { __bench: { phase: string } }).__bench.phase = p), name);
  const drawsBefore = await page.evaluate(() => window.timelineView.view.drawTimes.length);
  const head = (await page.locator('#tl-head').boundingBox())!;
  // From the whole decade down to a few days, and back out, around the middle of the axis.
  await page.mouse.move(head.x + head.width * 0.55, head.y + head.height / 2);
  for (let i = 0; i < 40; i += 1) await page.mouse.wheel(0, -120);
  for (let i = 0; i < 40; i += 1) await page.mouse.wheel(0, 120);
  // Drag the lanes sideways.
  await phase('drag');
  const lanes = (await page.locator('#tl-lanes').boundingBox())!;
  const y = lanes.y + Math.min(lanes.height / 2, 200);
  await page.mouse.move(lanes.x + lanes.width * 0.8, y);
  await page.mouse.down();
  await page.mouse.move(lanes.x + lanes.width * 0.2, y, { steps: 40 });
  await page.mouse.move(lanes.x + lanes.width * 0.8, y, { steps: 40 });
  await page.mouse.up();
  // The keyboard: zoom in and pan through the lanes.
  await phase('keys');
  await page.focus('#tl-scroller');
  for (let i = 0; i < 6; i += 1) await page.keyboard.press('+');
  for (let i = 0; i < 20; i += 1) await page.keyboard.press('Shift+ArrowRight');
  for (let i = 0; i < 6; i += 1) await page.keyboard.press('-');
  return page.evaluate((before) => {
    const w = window as unknown as {
      __bench: { stamps: number[]; counts: number[]; phases: string[]; longTasks: { phase: string; duration: number }[]; on: boolean };
    };
    w.__bench.on = false;
    const { stamps, counts, phases } = w.__bench;
    // A frame's time: from the previous frame to the one that showed a new drawing.
    const frames: Record<string, number[]> = { wheel: [], drag: [], keys: [] };
    for (let i = 1; i < stamps.length; i += 1) if (counts[i] !== counts[i - 1]) frames[phases[i]].push(stamps[i] - stamps[i - 1]);
    return {
      frames: frames as Record<'wheel' | 'drag' | 'keys', number[]>,
      draws: window.timelineView.view.drawTimes.slice(before),
      longTasks: w.__bench.longTasks,
    };
  }, drawsBefore);
}

async function measure(browser: Browser, base: string, actors: string[], viewport: (typeof VIEWPORTS)[number]): Promise<Run> {
  const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
  // tsx compiles this file keeping function names (esbuild's keepNames): the functions handed
  // to page.evaluate call its __name helper, which the page must have.
  await context.addInitScript('window.__name = (fn) => fn');
  const page = await context.newPage();
  await page.goto(`${base}/timeline?actors=${actors.join(',')}`);
  await page.waitForFunction(() => ['ready', 'error'].includes(document.body.dataset.state ?? ''), null, { timeout: 120_000 });
  if ((await page.evaluate(() => document.body.dataset.state)) !== 'ready') throw new Error(`page: ${await page.textContent('#status')}`);
  const load = await page.evaluate(() => {
    const mark = (name: string) => performance.getEntriesByName(name, 'mark')[0]?.startTime ?? NaN;
    return {
      firstContentfulPaint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
      firstItems: mark('timeline:first-items'),
      allItems: mark('timeline:all-items'),
      items: window.timelineView.items().length,
    };
  });
  if (load.items !== TIMELINE_FEED_ITEMS) throw new Error(`drew ${load.items} items, expected ${TIMELINE_FEED_ITEMS}`);
  await page.locator('#tl-head').scrollIntoViewIfNeeded();
  const { frames, draws, longTasks } = await interact(page);
  await context.close();
  const byPhase = Object.fromEntries(PHASES.map((p) => [p, stats(frames[p])])) as Record<Phase, Stats>;
  return { viewport: viewport.name, ...load, frames: stats(PHASES.flatMap((p) => frames[p])), draw: stats(draws), byPhase, longTasks };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      server: { type: 'string', default: process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres' },
      keep: { type: 'boolean', default: false },
    },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a whole number ≥ 1');
  if (!CHROMIUM) throw new Error('no Chromium installed (apt-get install -y chromium)');
  const server = values.server!;

  const url = await createDatabase(server);
  const base = loadConfig({ NODE_ENV: 'production' });
  const config: Config = {
    ...base,
    port: 0,
    host: '127.0.0.1',
    databaseUrl: url,
    seedOnStart: false,
    logLevel: 'silent',
    authMode: 'open',
    limits: { ...base.limits, ratePoints: 0, rateStore: 'memory' },
  };
  const api = await startServer(config);
  let browser: Browser | undefined;
  try {
    const actors = await loadTimelineFeed(api.db.pool);
    const origin = new URL(api.url).origin;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    const results: Run[] = [];
    for (const viewport of VIEWPORTS) {
      // The first load registers the page's operations in the server's APQ cache and warms it: not counted.
      await measure(browser, origin, actors, viewport);
      for (let i = 0; i < runs; i += 1) results.push(await measure(browser, origin, actors, viewport));
    }
    const f = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '—');
    console.log(`timeline page, ${TIMELINE_FEED_ITEMS.toLocaleString('en')} items, ${runs} runs per viewport (after one warm-up)`);
    const s3 = (x: Stats) => `${f(x.p50)}/${f(x.p95)}/${f(x.max)}`;
    console.log(
      'viewport           FCP ms  first items ms  all items ms  frames p50/p95/max ms (n)  wheel max  drag max  keys max  draw p50/p95/max ms  long tasks',
    );
    for (const r of results) {
      console.log(
        `${r.viewport.padEnd(18)} ${f(r.firstContentfulPaint).padStart(6)}  ${f(r.firstItems).padStart(14)}  ${f(r.allItems).padStart(12)}  ` +
          `${`${s3(r.frames)} (${r.frames.n})`.padStart(25)}  ${f(r.byPhase.wheel.max).padStart(9)}  ${f(r.byPhase.drag.max).padStart(8)}  ${f(r.byPhase.keys.max).padStart(8)}  ` +
          `${s3(r.draw).padStart(18)}  ${r.longTasks.map((t) => `${t.phase} ${f(t.duration)}`).join(', ') || 'none'}`,
      );
    }
    const out = path.resolve(__dirname, 'results', `${new Date().toISOString().replace(/[:.]/g, '-')}-timeline-page.json`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const machine = { cpus: (await import('node:os')).cpus().length, loadavg: (await import('node:os')).loadavg(), chromium: browser.version() };
    fs.writeFileSync(out, `${JSON.stringify({ items: TIMELINE_FEED_ITEMS, runs, machine, results }, null, 2)}\n`);
    console.log(`written ${path.relative(process.cwd(), out)}`);
  } finally {
    await browser?.close();
    await api.stop();
    if (!values.keep) await dropDatabase(server);
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
