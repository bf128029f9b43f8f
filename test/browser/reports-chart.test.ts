/// <reference lib="dom" />
// The chart page in a real browser: the seed's monthly shipment report as stacked bars per
// unit (the 1,000 containers: 960 in 2023-09, 40 in 2023-10 pro rata), the table, the CSV
// link, and the form's controls (attribution START puts all 1,000 in September). Estimates
// are drawn hatched and lighter (read from the canvas and from the chart's datasets), with
// their range, and the legend says in words how a delivery over several months was placed.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { actorId } from '../../seed/ids';
import { createShipment } from '../../src/services/shipments';
import { startTestServer } from '../support/server';
import { ARTIFACTS, recordProblems, START_TIMEOUT, useBrowserFixture } from './chromium';

interface DrawnBar {
  period: string;
  value: number;
  /** Bar height in CSS pixels, as Chart.js laid it out. */
  height: number;
  /** Whether the canvas has paint at the bar's centre (not the blank background). */
  painted: boolean;
}

/** The bars Chart.js drew for one unit, summed over the stacked groups, per period. */
async function bars(page: Page, unit: string | null): Promise<DrawnBar[]> {
  return page.evaluate((u) => {
    type Meta = { data: { x: number; y: number; base: number; height: number }[] };
    type ChartLike = { canvas: HTMLCanvasElement; data: { labels: string[]; datasets: { data: number[] }[] }; getDatasetMeta(i: number): Meta };
    const entry = (window as unknown as { shipmentCharts: { unit: string | null; chart: ChartLike }[] }).shipmentCharts.find((c) => c.unit === u);
    if (!entry) return [];
    const { chart } = entry;
    const ctx = chart.canvas.getContext('2d')!;
    const ratio = chart.canvas.width / chart.canvas.clientWidth;
    return chart.data.labels.map((period, i) => {
      let value = 0;
      let height = 0;
      let painted = false;
      chart.data.datasets.forEach((ds, d) => {
        value += ds.data[i];
        const bar = chart.getDatasetMeta(d).data[i];
        const h = Math.abs(bar.base - bar.y);
        height += h;
        if (h >= 2) {
          const pixel = ctx.getImageData(Math.round(bar.x * ratio), Math.round(((bar.y + bar.base) / 2) * ratio), 1, 1).data;
          painted ||= pixel[3] > 0;
        }
      });
      return { period, value, height, painted };
    });
  }, unit);
}

/**
 * How one period's bar of one unit chart is drawn: for each stacked group with a bar there,
 * whether its dataset gives it a pattern (a CanvasPattern: hatched) or a plain colour, the
 * chart's own estimated flag, and what the canvas holds inside the bar: the alpha values of an
 * 8 × 8 block at its centre (a plain bar is opaque throughout; a hatched one has its lighter
 * ground, alpha ≈ 0.3, between opaque lines).
 */
async function drawnStyle(page: Page, unit: string | null, period: string) {
  return page.evaluate(
    ([u, p]) => {
      type Bar = { x: number; y: number; base: number; width: number };
      type ChartLike = {
        canvas: HTMLCanvasElement;
        data: { labels: string[]; datasets: { label: string; data: number[]; backgroundColor: unknown[]; estimated: boolean[] }[] };
        getDatasetMeta(i: number): { data: Bar[] };
      };
      const entry = (window as unknown as { shipmentCharts: { unit: string | null; chart: ChartLike }[] }).shipmentCharts.find((c) => c.unit === u)!;
      const { chart } = entry;
      const i = chart.data.labels.indexOf(p);
      const ctx = chart.canvas.getContext('2d')!;
      const ratio = chart.canvas.width / chart.canvas.clientWidth;
      return chart.data.datasets
        .map((ds, d) => ({ ds, bar: chart.getDatasetMeta(d).data[i] }))
        .filter(({ ds }) => ds.data[i] > 0)
        .map(({ ds, bar }) => {
          const cx = Math.round(bar.x * ratio) - 4;
          const cy = Math.round(((bar.y + bar.base) / 2) * ratio) - 4;
          const pixels = ctx.getImageData(cx, cy, 8, 8).data;
          const alphas = new Set<number>();
          for (let k = 3; k < pixels.length; k += 4) alphas.add(pixels[k]);
          return {
            group: ds.label,
            value: ds.data[i],
            pattern: ds.backgroundColor[i] instanceof CanvasPattern,
            estimated: ds.estimated[i],
            alphas: [...alphas].sort((a, b) => a - b),
          };
        });
    },
    [unit, period] as const,
  );
}

/** The ranges the page drew on a unit's chart (window.shipmentCharts[].ranges). */
async function ranges(page: Page, unit: string) {
  return page.evaluate(
    (u) =>
      (
        window as unknown as {
          shipmentCharts: { unit: string | null; ranges: { period: string; low: number | null; high: number | null; drawn: string | null }[] }[];
        }
      ).shipmentCharts.find((c) => c.unit === u)!.ranges,
    unit,
  );
}

describe('shipments chart page (Chromium)', () => {
  const fx = useBrowserFixture();

  test('draws the 2023 monthly report: containers bars for 2023-09 and 2023-10, the table, the CSV link', async () => {
    const page = await fx.browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const problems = recordProblems(page);
    await page.goto(`${fx.base}/reports/shipments`);
    await page.waitForSelector('body[data-state="ready"]');

    const containers = await bars(page, 'containers');
    expect(containers.map((b) => b.period)).toEqual(Array.from({ length: 12 }, (_, i) => `2023-${String(i + 1).padStart(2, '0')}`));
    const sep = containers.find((b) => b.period === '2023-09')!;
    const oct = containers.find((b) => b.period === '2023-10')!;
    expect([sep.value, oct.value]).toEqual([960, 40]);
    expect(sep.height).toBeGreaterThan(100);
    expect(oct.height).toBeGreaterThan(1);
    // 960 / 40 = 24, give or take the pixel rounding of a short bar.
    expect(Math.abs(sep.height / oct.height - 24)).toBeLessThan(2);
    expect(sep.painted).toBe(true);
    expect(containers.filter((b) => !['2023-09', '2023-10'].includes(b.period)).every((b) => b.height === 0)).toBe(true);

    // Shipments without a quantity get their own chart, counting shipments: in September the
    // food deliveries (from 2023-09-11, end unknown; the ammunition is placed in 2022).
    const counted = await bars(page, null);
    expect(counted.find((b) => b.period === '2023-09')!.value).toBe(1);

    // The shares are estimates: drawn with a pattern, lighter (a translucent ground) between opaque hatching.
    for (const period of ['2023-09', '2023-10']) {
      const [bar] = await drawnStyle(page, 'containers', period);
      expect([period, bar.pattern, bar.estimated]).toEqual([period, true, true]);
      expect(bar.alphas.some((a) => a > 40 && a < 160)).toBe(true);
      expect(bar.alphas).toContain(255);
    }
    // The legend says in words how the delivery was split, and that the shares are estimates.
    const legend = await page.locator('#estimate-legend').innerText();
    expect(legend).toContain('A delivery spanning several months is split between them pro rata by its days');
    expect(legend).toContain('24 of 25 days in September, ≈960; 1 in October, ≈40). Such shares are estimates.');
    expect(legend).toMatch(/Estimates are drawn hatched and lighter/);
    expect(legend).toContain('Figures marked ≈ are rounded to 2 significant figures');
    // An exact 1000 × 24/25 share has an exact range (its low and high are its best): no whisker.
    expect((await ranges(page, 'containers')).find((r) => r.period === '2023-09')).toEqual({ period: '2023-09', low: 960, high: 960, drawn: null });

    // The table: one row per bucket, the containers' September row with its 960, printed as the estimate it is.
    const sepRow = await page.locator('#report-table tbody tr[data-period="2023-09"]', { hasText: 'containers' }).innerText();
    expect(sepRow.split('\t').map((c) => c.trim())).toEqual(['2023-09', 'MILITARY_EQUIPMENT', 'containers', '1', '≈960', '≈960', '0', '1']);

    // The CSV link asks the CSV endpoint for the same report.
    const href = await page.getAttribute('#csv-link', 'href');
    expect(href).toBe('/reports/shipments.csv?from=2023-01-01&to=2023-12-31&granularity=MONTH&attribution=PRO_RATA&groupBy=CATEGORY');
    const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href!);
    // The CSV keeps the values (a spreadsheet sums them) and says which are estimates.
    expect(csv.split('\n')).toContain('2023-09,2023-09-01,2023-09-30,MILITARY_EQUIPMENT,containers,1,960,0,960,960,0,0,1,false');

    // The copyable query is the one the page runs.
    await expect(page.locator('#query-text').textContent()).resolves.toContain('query ShipmentReportChart');

    await page.screenshot({ path: path.join(ARTIFACTS, 'reports-chart.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  test('the controls: attribution START by supplier and recipient puts all 1,000 containers in September, and the URL keeps the choice', async () => {
    const page = await fx.browser.newPage();
    await page.goto(`${fx.base}/reports/shipments`);
    await page.waitForSelector('body[data-state="ready"]');
    await page.selectOption('select[name="attribution"]', 'START');
    await page.uncheck('input[name="groupBy"][value="CATEGORY"]');
    await page.check('input[name="groupBy"][value="SUPPLIER"]');
    await page.check('input[name="groupBy"][value="RECIPIENT"]');
    await page.fill('input[name="from"]', '2023-07-01');
    await page.click('button[type="submit"]');
    await page.waitForFunction(() => document.body.dataset.state === 'ready' && /START/.test(document.getElementById('status')!.textContent ?? ''));
    const containers = await bars(page, 'containers');
    expect(containers.map((b) => [b.period, b.value])).toEqual([
      ['2023-07', 0],
      ['2023-08', 0],
      ['2023-09', 1000],
      ['2023-10', 0],
      ['2023-11', 0],
      ['2023-12', 0],
    ]);
    expect(containers[2].height).toBeGreaterThan(100);
    expect(containers[3].height).toBe(0);
    // Placed whole, the exact 1,000 is exact: a plain, opaque bar.
    const [whole] = await drawnStyle(page, 'containers', '2023-09');
    expect(whole).toMatchObject({ value: 1000, pattern: false, estimated: false, alphas: [255] });
    await expect(page.locator('#estimate-legend').innerText()).resolves.toContain(
      'A delivery spanning several months counts whole in the month of its first day (not split).',
    );
    await expect(page.locator('.chart[data-unit="containers"]').innerText()).resolves.toContain('Quantity in containers');
    expect(new URL(page.url()).searchParams.get('attribution')).toBe('START');
    expect(new URL(page.url()).searchParams.get('groupBy')).toBe('SUPPLIER,RECIPIENT');

    // Reloading the URL draws the same report.
    await page.reload();
    await page.waitForSelector('body[data-state="ready"]');
    expect((await bars(page, 'containers')).find((b) => b.period === '2023-09')!.value).toBe(1000);
    await page.close();
  });

  test('draws the range of bounded estimates as whiskers, "?" where a bound is unknown, and leaves estimates out on request', async () => {
    // 2023-02-20..2023-03-11: 9 days in February, 11 in March (20 days).
    const delivery = { edtf: '2023-02-20/2023-03-11' };
    const parties = {
      supplierId: actorId('dprk'),
      recipientId: actorId('russia'),
      category: 'VEHICLES' as const,
      status: 'REPORTED' as const,
      confidence: 'ALLEGED' as const,
    };
    await createShipment(fx.server.db, { ...parties, quantityText: 'about 500 (400–600)', unit: 'trucks', deliverySpan: delivery });
    await createShipment(fx.server.db, { ...parties, quantityText: 'about 80', unit: 'tanks', deliverySpan: delivery });
    const page = await fx.browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const problems = recordProblems(page);
    await page.goto(`${fx.base}/reports/shipments?from=2023-01-01&to=2023-04-30&granularity=MONTH&attribution=PRO_RATA&groupBy=`);
    await page.waitForSelector('body[data-state="ready"]');
    // February: 500 × 9/20 = 225 (printed ≈230), low 400 × 9/20 = 180, high 600 × 9/20 = 270; March 275 (220–330).
    const trucks = await ranges(page, 'trucks');
    expect(trucks.map((r) => [r.period, r.low, r.high, r.drawn])).toEqual([
      ['2023-01', 0, 0, null],
      ['2023-02', 180, 270, 'whisker'],
      ['2023-03', 220, 330, 'whisker'],
      ['2023-04', 0, 0, null],
    ]);
    const [feb] = await drawnStyle(page, 'trucks', '2023-02');
    expect(feb).toMatchObject({ value: 225, pattern: true, estimated: true });
    // "about 80" states no bounds: its range is unknown, marked "?".
    expect((await ranges(page, 'tanks')).map((r) => r.drawn)).toEqual([null, 'unknown', 'unknown', null]);
    const febRow = await page.locator('#report-table tbody tr[data-period="2023-02"]', { hasText: 'trucks' }).innerText();
    expect(febRow.split('\t').map((c) => c.trim())).toEqual(['2023-02', 'trucks', '1', '≈230', '≈180–270', '0', '1']);
    await page.screenshot({ path: path.join(ARTIFACTS, 'reports-chart-ranges.png'), fullPage: true });

    // Left out, the estimates leave no trucks or tanks chart; the legend says so, the URL keeps it.
    await page.selectOption('select[name="estimates"]', 'EXCLUDE');
    await page.click('button[type="submit"]');
    await page.waitForFunction(() => document.body.dataset.state === 'ready' && /left out/.test(document.getElementById('status')!.textContent ?? ''));
    const units = await page.evaluate(() => (window as unknown as { shipmentCharts: { unit: string | null }[] }).shipmentCharts.map((c) => c.unit));
    expect(units).not.toContain('trucks');
    expect(units).not.toContain('tanks');
    await expect(page.locator('#estimate-legend').innerText()).resolves.toContain('Estimated parts are left out');
    expect(new URL(page.url()).searchParams.get('estimates')).toBe('EXCLUDE');
    expect(problems).toEqual([]);
    await page.close();
  });

  test(
    'with AUTH_MODE=required the page needs the key: without one it says so, with one it draws',
    async () => {
      const strict = await startTestServer({ authMode: 'required' });
      try {
        const origin = new URL(strict.url).origin;
        const viewer = await strict.mintKey('VIEWER');
        const page = await fx.browser.newPage();
        await page.goto(`${origin}/reports/shipments`);
        await page.waitForSelector('body[data-state="error"]');
        await expect(page.locator('#status').innerText()).resolves.toMatch(/key/i);
        await page.fill('#api-key', viewer.key);
        await page.click('button[type="submit"]');
        await page.waitForSelector('body[data-state="ready"]');
        expect((await bars(page, 'containers')).find((b) => b.period === '2023-09')!.value).toBe(960);
        await page.close();
      } finally {
        await strict.stop();
      }
    },
    START_TIMEOUT,
  );
});
