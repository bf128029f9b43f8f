/// <reference lib="dom" />
// The timeline page in a real browser: the seed's DPRK–Russia view drawn on the axis (the
// Shoigu visit a month bar, the 13 September meeting a point, the 1,000 containers a bar from
// 7 September to 1 October — read from the list's data attributes, the geometry the page
// drew and the canvas's own pixels), a click to the shipment's citation and claim, a URL
// that reproduces the view, the page driven by the keyboard alone, the undated band, a
// 5,000-item generated feed paged in completely, and a safelisting server with a key.
import fs from 'node:fs';
import path from 'node:path';
import type { Page, Request } from 'playwright-core';
import { loadTimelineFeed, TIMELINE_FEED_ITEMS } from '../../bench/timeline-feed';
import { MANIFEST_PATH } from '../../scripts/persisted-manifest';
import { actorId, affiliationId, eventId, shipmentId } from '../../seed/ids';
import type {} from '../../web/timeline/page-api';
import { startTestServer } from '../support/server';
import { ARTIFACTS, recordProblems, START_TIMEOUT, useBrowserFixture } from './chromium';

const DPRK = actorId('dprk');
const RUSSIA = actorId('russia');
const SHOIGU_VISIT = eventId('shoigu-visits-dprk');
const VOSTOCHNY_MEETING = eventId('kim-putin-vostochny-meeting');
const CONTAINERS = shipmentId('dprk-russia-1000-containers');
const KIM_LEADS_DPRK = affiliationId('kim-jong-un-leader-of-dprk');
const SEED_VIEW = `/timeline?actors=${DPRK},${RUSSIA}&match=ALL&from=2023-07-01&to=2023-10-31`;

const manifest = JSON.parse(fs.readFileSync(MANIFEST_PATH, 'utf8')) as { operations: { id: string; name: string }[] };
const registeredId = (name: string) => manifest.operations.find((o) => o.name === name)!.id;

interface Drawn {
  /** From the list mirror's data attributes. */
  shape: string;
  first: string;
  last: string;
  precision: string;
  /** Where the page drew it (CSS px in the lanes canvas). */
  x1: number;
  x2: number;
  cx: number;
  cy: number;
  visible: boolean;
  /** The x of the midnights starting `first` and following `last`, by the page's own scale. */
  dayStart: number;
  dayAfter: number;
  /** Canvas pixels: at the mark's centre, and 3 px left and right of it. */
  centre: number[];
  before: number[];
  after: number[];
  hit: string | null;
}

/** One item as drawn: its list row's attributes, its geometry, and the canvas pixels there. */
async function drawn(page: Page, id: string): Promise<Drawn> {
  return page.evaluate((itemId) => {
    const row = document.querySelector<HTMLElement>(`#tl-list [role="option"][data-id="${itemId}"]`);
    if (!row) throw new Error(`no list row for ${itemId}`);
    const { shape, first, last, precision } = row.dataset as Record<string, string>;
    const tv = window.timelineView;
    const g = tv.geometry(itemId)!;
    const canvas = document.getElementById('tl-lanes') as HTMLCanvasElement;
    const ratio = canvas.width / canvas.clientWidth;
    const px = (x: number, y: number) => Array.from(canvas.getContext('2d')!.getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data);
    const next = new Date(`${last}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    return {
      shape,
      first,
      last,
      precision,
      x1: g.x1,
      x2: g.x2,
      cx: g.cx,
      cy: g.cy,
      visible: g.visible,
      dayStart: tv.xOf(first),
      dayAfter: tv.xOf(next.toISOString().slice(0, 10)),
      centre: px(g.cx, g.cy),
      before: px(g.x1 - 3, g.cy),
      after: px(g.x2 + 3, g.cy),
      hit: tv.hitTest(g.cx, g.cy),
    };
  }, id);
}

/** The lane backgrounds are near-white: a mark's pixel is not. */
const painted = (rgba: number[]) => rgba[3] > 0 && !(rgba[0] > 235 && rgba[1] > 235 && rgba[2] > 235);

async function openView(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => ['ready', 'error'].includes(document.body.dataset.state ?? ''), null, { timeout: 60_000 });
  const state = await page.evaluate(() => document.body.dataset.state);
  if (state !== 'ready') throw new Error(`page: ${await page.textContent('#status')}`);
}

/** Presses Tab until the focused element matches `selector` (at most `max` presses); returns the presses. */
async function tabTo(page: Page, selector: string, max = 60): Promise<number> {
  for (let i = 1; i <= max; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return i;
  }
  throw new Error(`Tab never reached ${selector}`);
}

const itemIds = (page: Page) => page.evaluate(() => window.timelineView.items().map((i) => i.id));

describe('timeline page (Chromium)', () => {
  const fx = useBrowserFixture();

  test('the seed DPRK–Russia view: the Shoigu visit a month bar, the 13 September meeting a point, the containers a bar 7 Sep – 1 Oct', async () => {
    const page = await fx.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const problems = recordProblems(page);
    const origins = new Set<string>();
    page.on('request', (r) => origins.add(new URL(r.url()).origin));
    await openView(page, `${fx.base}${SEED_VIEW}`);
    await page.locator('#tl-lanes').scrollIntoViewIfNeeded();
    // Everything from this server: no CDN.
    expect([...origins]).toEqual([fx.base]);

    // The window's items, from the API (ALL: involving both), in the list and on the canvas.
    const ids = await itemIds(page);
    expect(ids).toEqual(expect.arrayContaining([SHOIGU_VISIT, VOSTOCHNY_MEETING, CONTAINERS]));
    await expect(page.evaluate(() => document.body.dataset.total)).resolves.toBe(String(ids.length));
    await expect(page.locator('#tl-list [role="option"]').count()).resolves.toBe(ids.length);

    const visit = await drawn(page, SHOIGU_VISIT);
    expect([visit.shape, visit.first, visit.last, visit.precision]).toEqual(['bar', '2023-07-01', '2023-07-31', 'MONTH']);
    // The bar runs from the first midnight of July to the first of August, and is painted there.
    expect(Math.abs(visit.x1 - visit.dayStart)).toBeLessThan(1);
    expect(Math.abs(visit.x2 - visit.dayAfter)).toBeLessThan(1);
    expect(visit.x2 - visit.x1).toBeGreaterThan(40);
    expect(visit.visible).toBe(true);
    expect([painted(visit.centre), painted(visit.before), painted(visit.after)]).toEqual([true, false, false]);
    expect(visit.hit).toBe(SHOIGU_VISIT);

    const meeting = await drawn(page, VOSTOCHNY_MEETING);
    expect([meeting.shape, meeting.first, meeting.last, meeting.precision]).toEqual(['point', '2023-09-13', '2023-09-13', 'DAY']);
    // A point: a small circle centred on its day.
    expect(Math.abs(meeting.cx - (meeting.dayStart + meeting.dayAfter) / 2)).toBeLessThan(1);
    expect(meeting.x2 - meeting.x1).toBeLessThan(20);
    expect([painted(meeting.centre), painted(meeting.before), painted(meeting.after)]).toEqual([true, false, false]);
    expect(meeting.hit).toBe(VOSTOCHNY_MEETING);

    const containers = await drawn(page, CONTAINERS);
    expect([containers.shape, containers.first, containers.last, containers.precision]).toEqual(['bar', '2023-09-07', '2023-10-01', 'RANGE']);
    expect(Math.abs(containers.x1 - containers.dayStart)).toBeLessThan(1);
    expect(Math.abs(containers.x2 - containers.dayAfter)).toBeLessThan(1);
    expect([painted(containers.centre), painted(containers.before)]).toEqual([true, false]);
    expect(containers.hit).toBe(CONTAINERS);

    // The month histogram above the axis: timelineMonths over the window.
    await expect(page.locator('#tl-months-body tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.month))).resolves.toEqual([
      '2023-07',
      '2023-08',
      '2023-09',
      '2023-10',
    ]);
    await expect(page.locator('#tl-undated').getAttribute('data-count')).resolves.toBe('0');

    await page.screenshot({ path: path.join(ARTIFACTS, 'timeline-seed.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  test('clicking the containers on the canvas shows their citation (the White House, 13 October) and the White House claim', async () => {
    const page = await fx.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const problems = recordProblems(page);
    await openView(page, `${fx.base}${SEED_VIEW}`);
    await page.locator('#tl-lanes').scrollIntoViewIfNeeded();
    const g = await drawn(page, CONTAINERS);
    const box = (await page.locator('#tl-lanes').boundingBox())!;
    await page.mouse.click(box.x + g.cx, box.y + g.cy);

    const details = page.locator('#tl-details');
    await page.waitForSelector('#tl-details[data-state="ready"]');
    await expect(details.getAttribute('data-id')).resolves.toBe(CONTAINERS);
    const citation = details.locator('.tl-citation').first();
    await expect(citation.locator('.tl-excerpt').innerText()).resolves.toContain(
      'On October 13, the White House reported that North Korea had supplied 1,000 containers',
    );
    const source = await citation.innerText();
    expect(source).toContain('News: DPRK will continue to supply arms to Russia despite famine in country');
    expect(source).toMatch(/Source reliability\s+F — reliability cannot be judged/);
    expect(source).toMatch(/Published\s+2023-10-13\/2023-10-31 — Undated/);

    const claim = details.locator('.tl-claim');
    await expect(claim.count()).resolves.toBe(1);
    const claimText = await claim.innerText();
    expect(claimText).toContain('White House');
    expect(claimText).toMatch(/on quantity:\s+“?1000/);
    expect(claimText).toMatch(/Likelihood\s+none stated \(no estimative language\)/);
    expect(claimText).toMatch(/Accepted\s+yes/);
    await expect(claim.getAttribute('data-accepted')).resolves.toBe('true');
    // The drawn span in words, and the source's wording.
    const facts = await details.locator('.tl-facts').first().innerText();
    expect(facts).toMatch(/Delivery\s+7 Sep – 1 Oct 2023 \(range, drawn as a bar\)/);
    expect(facts).toContain('between September 7 and October 1');

    // The URL names the open item.
    expect(new URL(page.url()).searchParams.get('item')).toBe(CONTAINERS);
    await page.screenshot({ path: path.join(ARTIFACTS, 'timeline-details.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  test('the URL reproduces the view: same items, same stretch of the axis, same item open', async () => {
    const page = await fx.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await openView(page, `${fx.base}/timeline?actors=${DPRK},${RUSSIA}&match=ALL&kinds=EVENT,SHIPMENT&minConfidence=REPORTED`);
    await page.click('#tl-toolbar button[data-action="zoom-in"]');
    await page.click('#tl-toolbar button[data-action="later"]');
    await page.click(`#tl-list [role="option"][data-id="${CONTAINERS}"]`);
    await page.waitForSelector('#tl-details[data-state="ready"]');
    // The URL follows zoom and pan once they settle.
    await page.waitForFunction(() => {
      const d = window.timelineView.visibleDays();
      return new URL(location.href).searchParams.get('view') === `${d.from}/${d.to}`;
    });
    const url = page.url();
    const q = new URL(url).searchParams;
    expect(q.get('match')).toBe('ALL');
    expect(q.get('kinds')).toBe('EVENT,SHIPMENT');
    expect(q.get('minConfidence')).toBe('REPORTED');
    expect(q.get('item')).toBe(CONTAINERS);
    const ids = await itemIds(page);
    // minConfidence REPORTED leaves out the ASSESSED shipments.
    expect(ids).toContain(CONTAINERS);
    expect(ids).not.toContain(shipmentId('dprk-russia-artillery-ammunition'));
    const days = await page.evaluate(() => window.timelineView.visibleDays());
    expect(q.get('view')).toBe(`${days.from}/${days.to}`);

    const again = await fx.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await openView(again, url);
    await expect(itemIds(again)).resolves.toEqual(ids);
    await expect(again.evaluate(() => window.timelineView.visibleDays())).resolves.toEqual(days);
    await again.waitForSelector('#tl-details[data-state="ready"]');
    await expect(again.locator('#tl-details').getAttribute('data-id')).resolves.toBe(CONTAINERS);
    await expect(again.locator('#actor-chips .chip').allInnerTexts()).resolves.toEqual(['North Korea ×', 'Russia ×']);
    await expect(again.locator('input[name="kinds"][value="AFFILIATION"]').isChecked()).resolves.toBe(false);
    await expect(again.locator('select[name="minConfidence"]').inputValue()).resolves.toBe('REPORTED');
    await page.close();
    await again.close();
  });

  test('reportedBy in the link: what had been reported by that day — the containers only once the article was out', async () => {
    const page = await fx.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await openView(page, `${fx.base}${SEED_VIEW}&reportedBy=2023-10-01`);
    await expect(page.locator('#reported-by-field').isHidden()).resolves.toBe(false);
    await expect(page.locator('input[name="reportedBy"]').inputValue()).resolves.toBe('2023-10-01');
    // The seed's one source was published 2023-10-13/2023-10-31: nothing of it counts on 1 October.
    await expect(itemIds(page)).resolves.toEqual([]);
    await openView(page, `${fx.base}${SEED_VIEW}&reportedBy=2023-10-31`);
    await expect(itemIds(page)).resolves.toEqual(expect.arrayContaining([SHOIGU_VISIT, VOSTOCHNY_MEETING, CONTAINERS]));
    await page.close();
  });

  test("a link with a bad date or asOf says which field is wrong (the API's message), and one it cannot read names what it ignored", async () => {
    const page = await fx.browser.newPage();
    await page.goto(`${fx.base}/timeline?actors=${DPRK}&from=garbage&to=2023-10-31&asOf=yesterday`);
    await page.waitForSelector('body[data-state="error"]');
    const status = await page.locator('#status').innerText();
    expect(status).toMatch(/\(field from\)/);
    expect(status).toMatch(/\(field asOf\)/);
    await openView(page, `${fx.base}/timeline?actors=${DPRK}&match=SOME&minConfidence=SURE`);
    await expect(page.locator('#status').innerText()).resolves.toContain('Ignored in the link: match=SOME; minConfidence=SURE.');
    await page.close();
  });

  test('the keyboard alone: pick two actors by alias, change filters, zoom, open an item from the lanes and from the list', async () => {
    const page = await fx.browser.newPage({ viewport: { width: 1366, height: 768 } });
    const problems = recordProblems(page);
    await page.goto(`${fx.base}/timeline`);
    await page.waitForFunction(() => document.body.dataset.state === 'idle' && document.getElementById('status')!.textContent!.includes('Pick'));

    // The actor search, by Tab; "DPRK" is an alias of North Korea; Enter picks the first match.
    await tabTo(page, '#actor-search');
    await page.keyboard.type('DPRK');
    await page.waitForSelector('#actor-options li[aria-selected="true"]');
    await expect(page.locator('#actor-options li').first().innerText()).resolves.toContain('North Korea');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Russian Federation');
    await page.waitForSelector('#actor-options li[aria-selected="true"]');
    await page.keyboard.press('Enter');
    await expect(page.locator('#actor-chips .chip').allInnerTexts()).resolves.toEqual(['North Korea ×', 'Russia ×']);

    // "All of them together" by Space; affiliations off by Space; then Show by Enter.
    await tabTo(page, 'input[name="match"]');
    await page.keyboard.press('ArrowRight');
    await expect(page.locator('input[name="match"][value="ALL"]').isChecked()).resolves.toBe(true);
    await tabTo(page, 'input[name="kinds"][value="AFFILIATION"]');
    await page.keyboard.press('Space');
    await expect(page.locator('input[name="kinds"][value="AFFILIATION"]').isChecked()).resolves.toBe(false);
    await tabTo(page, 'button.tl-show');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.body.dataset.state === 'ready');
    const q = new URL(page.url()).searchParams;
    expect([q.get('actors'), q.get('match'), q.get('kinds')]).toEqual([`${DPRK},${RUSSIA}`, 'ALL', 'EVENT,SHIPMENT']);
    expect(await itemIds(page)).toContain(SHOIGU_VISIT);

    // The toolbar: Zoom in by Enter, Fit all by Space.
    const before = await page.evaluate(() => window.timelineView.visibleDays());
    await tabTo(page, 'button[data-action="zoom-in"]');
    await page.keyboard.press('Enter');
    const zoomed = await page.evaluate(() => window.timelineView.visibleDays());
    expect(zoomed).not.toEqual(before);
    await tabTo(page, 'button[data-action="fit"]');
    await page.keyboard.press('Space');
    await expect(page.evaluate(() => window.timelineView.visibleDays())).resolves.not.toEqual(zoomed);

    // The lanes: → to the first item, → again, Enter opens its details (focus moves there), Escape comes back.
    await tabTo(page, '#tl-scroller');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    const active = await page.evaluate(() => window.timelineView.view.active?.id);
    expect(active).toBeTruthy();
    await expect(page.locator('#tl-active').innerText()).resolves.toContain('Enter opens the details');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#tl-details[data-state="ready"]');
    await expect(page.locator('#tl-details').getAttribute('data-id')).resolves.toBe(active);
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('tl-details-title');
    await page.screenshot({ path: path.join(ARTIFACTS, 'timeline-keyboard.png') });
    await page.keyboard.press('Escape');
    await expect(page.locator('#tl-details').isHidden()).resolves.toBe(true);
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('tl-scroller');

    // The list mirror: Tab to it, End to the last item, Space opens it.
    await tabTo(page, '#tl-list');
    await page.keyboard.press('End');
    await page.keyboard.press('Space');
    await page.waitForSelector('#tl-details[data-state="ready"]');
    const ids = await itemIds(page);
    await expect(page.locator('#tl-details').getAttribute('data-id')).resolves.toBe(ids[ids.length - 1]);
    // Its close button is reachable too, and Enter closes.
    await tabTo(page, '#tl-details button[data-action="close-details"]', 5);
    await page.keyboard.press('Enter');
    await expect(page.locator('#tl-details').isHidden()).resolves.toBe(true);

    // Focus is visible: the focused control has an outline.
    await tabTo(page, 'button[data-action="zoom-in"]');
    await expect(page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).resolves.toBe('solid');
    expect(problems).toEqual([]);
    await page.close();
  });

  test('vague spans, as the uncertainty fields will describe them, are drawn vague: fading, dashed, trailing, marked', async () => {
    // The API does not send the uncertainty fields yet: these DateSpans, shaped as it will, go
    // straight into the page's layout, to check the drawing the fields will drive.
    const page = await fx.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await openView(page, `${fx.base}${SEED_VIEW}&kinds=EVENT`);
    await page.evaluate(() => {
      const known = { startBound: 'KNOWN', endBound: 'KNOWN', startQualifier: null, endQualifier: null, uncertain: false, approximate: false };
      const ev = (id: string, at: object) => ({ kind: 'EVENT', at, node: { id, type: 'OTHER', title: id, confidence: 'CONFIRMED', sourceCount: 3 } });
      window.timelineView.addEdges([
        ev('about-august', {
          ...known,
          start: '2023-08-01',
          end: '2023-08-31',
          precision: 'MONTH',
          edtf: '2023-08~',
          startQualifier: 'APPROXIMATE',
          endQualifier: 'APPROXIMATE',
          approximate: true,
        }),
        ev('open-from-7-sep', { ...known, start: '2023-09-07', end: '2023-09-07', precision: 'RANGE', edtf: '2023-09-07/..', endBound: 'OPEN', endDate: null }),
        ev('unknown-until-1-oct', {
          ...known,
          start: '2023-10-01',
          end: '2023-10-01',
          precision: 'RANGE',
          edtf: '/2023-10-01',
          startBound: 'UNKNOWN',
          startDate: null,
        }),
        ev('perhaps-13-sep', {
          ...known,
          start: '2023-09-13',
          end: '2023-09-13',
          precision: 'DAY',
          edtf: '2023-09-13?',
          startQualifier: 'UNCERTAIN',
          endQualifier: 'UNCERTAIN',
          uncertain: true,
        }),
        ev('surely-20-oct', { ...known, start: '2023-10-20', end: '2023-10-20', precision: 'DAY', edtf: '2023-10-20' }),
      ] as never);
    });
    await page.locator('#tl-lanes').scrollIntoViewIfNeeded();
    const marks = await page.evaluate(() => {
      const canvas = document.getElementById('tl-lanes') as HTMLCanvasElement;
      const ratio = canvas.width / canvas.clientWidth;
      const ctx = canvas.getContext('2d')!;
      /** Darkness of a pixel: 0 white … 765 black. */
      const dark = (x: number, y: number) => {
        const [r, g, b] = ctx.getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data;
        return 765 - r - g - b;
      };
      const tv = window.timelineView;
      const at = (id: string) => {
        const g = tv.geometry(id)!;
        const row = document.querySelector<HTMLElement>(`#tl-list [data-id="${id}"]`)!.dataset;
        return { g, marker: row.marker, edges: `${row.startEdge}/${row.endEdge}`, shape: row.shape };
      };
      const august = at('about-august');
      const open = at('open-from-7-sep');
      const unknown = at('unknown-until-1-oct');
      const perhaps = at('perhaps-13-sep');
      const surely = at('surely-20-oct');
      // The darkest pixel along a stretch of the centre line.
      const darkest = (y: number, from: number, to: number) => Math.max(...Array.from({ length: Math.round(to - from) }, (_, i) => dark(from + i, y)));
      return {
        rows: [august, open, unknown, perhaps, surely].map((m) => [m.shape, m.edges, m.marker]),
        august: { centre: dark(august.g.cx, august.g.cy), nearStart: dark(august.g.x1 + 1, august.g.cy), nearEnd: dark(august.g.x2 - 1, august.g.cy) },
        openTail: darkest(open.g.cy, open.g.x2 + 3, open.g.x2 + 20),
        unknownTail: darkest(unknown.g.cy, unknown.g.x1 - 20, unknown.g.x1 - 3),
        perhaps: dark(perhaps.g.cx, perhaps.g.cy),
        surely: dark(surely.g.cx, surely.g.cy),
      };
    });
    expect(marks.rows).toEqual([
      ['bar', 'fade/fade', '~'],
      ['bar', 'firm/open', ''],
      ['bar', 'unknown/firm', ''],
      ['point', 'firm/firm', '?'],
      ['point', 'firm/firm', ''],
    ]);
    // Approximate: fading at both ends.
    expect(marks.august.centre).toBeGreaterThan(marks.august.nearStart + 60);
    expect(marks.august.centre).toBeGreaterThan(marks.august.nearEnd + 60);
    // Open and unknown ends: something drawn past the known end (a tail, a dashed line).
    expect(marks.openTail).toBeGreaterThan(60);
    expect(marks.unknownTail).toBeGreaterThan(60);
    // Uncertain: paler than a certain point of the same lane and confidence.
    expect(marks.surely).toBeGreaterThan(marks.perhaps + 60);
    await page.locator('.tl-plot').screenshot({ path: path.join(ARTIFACTS, 'timeline-vague.png') });
    await page.close();
  });

  test('undated affiliations are never hidden: in their own band with a window, at the end of the feed without', async () => {
    const page = await fx.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await openView(page, `${fx.base}/timeline?actors=${DPRK}&from=2023-09-01&to=2023-09-30`);
    const band = page.locator(`#tl-undated .tl-undated-item[data-id="${KIM_LEADS_DPRK}"]`);
    await expect(band.innerText()).resolves.toBe('Kim Jong Un leader of North Korea (Leader)');
    const windowed = await page.evaluate(() =>
      window.timelineView
        .items()
        .filter((i) => i.shape === 'undated')
        .map((i) => i.id),
    );
    expect(windowed).toContain(KIM_LEADS_DPRK);

    // Without a window the API lists them last; the same band shows the same ones.
    await openView(page, `${fx.base}/timeline?actors=${DPRK}`);
    const whole = await page.evaluate(() =>
      window.timelineView
        .items()
        .filter((i) => i.shape === 'undated')
        .map((i) => i.id),
    );
    expect(whole.sort()).toEqual(windowed.sort());

    await band.click();
    await page.waitForSelector('#tl-details[data-state="ready"]');
    await expect(page.locator('#tl-details .tl-excerpt').first().innerText()).resolves.toBe('North Korean leader Kim Jong Un');
    await expect(page.locator('#tl-details .tl-facts').first().innerText()).resolves.toMatch(/When\s+undated/);
    await page.close();
  });

  test('a 5,000-item generated feed pages in completely with the API cursors, by hash', async () => {
    const actors = await loadTimelineFeed(fx.server.db.pool);
    expect(actors).toHaveLength(2);
    const page = await fx.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const problems = recordProblems(page);
    const requests: Request[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/graphql') requests.push(r);
    });
    await openView(page, `${fx.base}/timeline?actors=${actors.join(',')}`);
    await expect(page.evaluate(() => [document.body.dataset.loaded, document.body.dataset.total])).resolves.toEqual([
      String(TIMELINE_FEED_ITEMS),
      String(TIMELINE_FEED_ITEMS),
    ]);
    const items = await page.evaluate(() => window.timelineView.items());
    expect(items).toHaveLength(TIMELINE_FEED_ITEMS);
    expect(new Set(items.map((i) => i.id)).size).toBe(TIMELINE_FEED_ITEMS);
    expect(items.filter((i) => i.shape === 'point').length).toBeGreaterThan(1000);
    await expect(page.locator('#tl-list').getAttribute('aria-setsize')).resolves.toBe(String(TIMELINE_FEED_ITEMS));
    // The list stays virtual: a few dozen rows in the DOM for 5,000 items.
    expect(await page.locator('#tl-list [role="option"]').count()).toBeLessThan(200);

    // Pages: 100 first, then 500 each, each after the previous page's end cursor; all by hash
    // (the text sent once, when this server's APQ cache did not know the operation).
    const feed = requests.map(
      (r) =>
        r.postDataJSON() as {
          operationName: string;
          query?: string;
          variables: Record<string, unknown>;
          extensions: { persistedQuery: { sha256Hash: string } };
        },
    );
    const pages = feed.filter((b) => b.operationName === 'TimelinePage');
    // A page asked for by its hash alone, then (once) with its text: one page, keyed by its cursor.
    const logical = new Map(pages.map((b) => [String(b.variables.after ?? ''), b.variables.first]));
    expect(logical.size).toBe(1 + Math.ceil((TIMELINE_FEED_ITEMS - 100) / 500));
    expect(logical.get('')).toBe(100);
    expect([...logical.entries()].filter(([after]) => after).every(([, first]) => first === 500)).toBe(true);
    expect(new Set(pages.map((b) => b.extensions.persistedQuery.sha256Hash))).toEqual(new Set([registeredId('TimelinePage')]));
    expect(pages.filter((b) => b.query).length).toBeLessThanOrEqual(1);

    // Zooming and panning the whole feed keeps drawing (frame times are the benchmark's: bench/timeline-page.ts).
    const frames = await page.evaluate(() => window.timelineView.view.frameCount);
    await page.locator('#tl-head').scrollIntoViewIfNeeded();
    const head = (await page.locator('#tl-head').boundingBox())!;
    await page.mouse.move(head.x + head.width / 2, head.y + head.height / 2);
    for (let i = 0; i < 5; i += 1) await page.mouse.wheel(0, -300);
    await page.click('#tl-toolbar button[data-action="later"]');
    await expect(page.evaluate(() => window.timelineView.view.frameCount)).resolves.toBeGreaterThan(frames);
    await page.screenshot({ path: path.join(ARTIFACTS, 'timeline-5000.png') });
    expect(problems).toEqual([]);
    await page.close();
  }, 240_000);

  test('readable on a laptop (1366×768) and a wall screen (3840×2160): no sideways scrolling, larger type on the larger screen', async () => {
    const sizes: Record<string, number> = {};
    for (const [name, width, height] of [
      ['laptop', 1366, 768],
      ['wall', 3840, 2160],
    ] as const) {
      const page = await fx.browser.newPage({ viewport: { width, height } });
      await openView(page, `${fx.base}${SEED_VIEW}&item=${CONTAINERS}`);
      await page.waitForSelector('#tl-details[data-state="ready"]');
      const fit = await page.evaluate(() => ({
        overflow: document.documentElement.scrollWidth - window.innerWidth,
        font: parseFloat(getComputedStyle(document.documentElement).fontSize),
        canvas: document.getElementById('tl-lanes')!.clientWidth,
      }));
      expect(fit.overflow).toBeLessThanOrEqual(0);
      expect(fit.canvas).toBeGreaterThan(width * 0.5);
      sizes[name] = fit.font;
      await page.screenshot({ path: path.join(ARTIFACTS, `timeline-${name}.png`) });
      await page.close();
    }
    expect(sizes.laptop).toBe(14);
    expect(sizes.wall).toBeGreaterThanOrEqual(20);
  });

  test(
    'a safelisting server (PERSISTED_QUERIES=only) with AUTH_MODE=required: the key from the box, registered operations only',
    async () => {
      const strict = await startTestServer({ authMode: 'required', persistedQueries: { mode: 'only', manifestPath: MANIFEST_PATH } });
      try {
        const origin = new URL(strict.url).origin;
        const viewer = await strict.mintKey('VIEWER');
        const page = await fx.browser.newPage({ viewport: { width: 1400, height: 1000 } });
        const posts: Request[] = [];
        page.on('request', (r) => r.method() === 'POST' && posts.push(r));
        await page.goto(`${origin}${SEED_VIEW}`);
        await page.waitForSelector('body[data-state="error"]');
        await expect(page.locator('#status').innerText()).resolves.toMatch(/key/i);
        await page.fill('#api-key', viewer.key);
        await page.click('button.tl-show');
        await page.waitForSelector('body[data-state="ready"]');
        expect(await itemIds(page)).toEqual(expect.arrayContaining([SHOIGU_VISIT, VOSTOCHNY_MEETING, CONTAINERS]));
        const withKey = posts.filter((r) => r.headers().authorization === `Bearer ${viewer.key}`);
        expect(withKey.length).toBeGreaterThan(0);
        // Hash only, never the text: the server holds every operation the page sends.
        expect(withKey.every((r) => !('query' in (r.postDataJSON() as object)))).toBe(true);
        await page.close();
      } finally {
        await strict.stop();
      }
    },
    START_TIMEOUT,
  );
});
