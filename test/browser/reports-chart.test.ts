/// <reference lib="dom" />
// The chart page in a real browser: the seed's monthly shipment report as stacked bars per
// unit (the 1,000 containers: 960 in 2023-09, 40 in 2023-10 pro rata), the table, the CSV
// link, and the form's controls (attribution START puts all 1,000 in September).
import path from 'node:path';
import type { Page } from 'playwright-core';
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

    // Shipments without a quantity get their own chart, counting shipments.
    const counted = await bars(page, null);
    expect(counted.find((b) => b.period === '2023-09')!.value).toBe(3);

    // The table: one row per bucket, the containers' September row with its 960.
    const sepRow = await page.locator('#report-table tbody tr[data-period="2023-09"]', { hasText: 'containers' }).innerText();
    expect(sepRow.split('\t').map((c) => c.trim())).toEqual(['2023-09', 'MILITARY_EQUIPMENT', 'containers', '1', '960', '0']);

    // The CSV link asks the CSV endpoint for the same report.
    const href = await page.getAttribute('#csv-link', 'href');
    expect(href).toBe('/reports/shipments.csv?from=2023-01-01&to=2023-12-31&granularity=MONTH&attribution=PRO_RATA&groupBy=CATEGORY');
    const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href!);
    expect(csv.split('\n')).toContain('2023-09,2023-09-01,2023-09-30,MILITARY_EQUIPMENT,containers,1,960,0');

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
    await expect(page.locator('.chart[data-unit="containers"]').innerText()).resolves.toContain('Quantity in containers');
    expect(new URL(page.url()).searchParams.get('attribution')).toBe('START');
    expect(new URL(page.url()).searchParams.get('groupBy')).toBe('SUPPLIER,RECIPIENT');

    // Reloading the URL draws the same report.
    await page.reload();
    await page.waitForSelector('body[data-state="ready"]');
    expect((await bars(page, 'containers')).find((b) => b.period === '2023-09')!.value).toBe(1000);
    await page.close();
  });

  test('with AUTH_MODE=required the page needs the key: without one it says so, with one it draws', async () => {
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
  }, START_TIMEOUT);
});
