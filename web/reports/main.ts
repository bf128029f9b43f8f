// The chart page (/reports/shipments): the shipment report drawn as stacked bars, one
// chart per unit (units are never added together), the table below, a CSV link. It is
// fed by the GraphQL query shown at the bottom of the page, the one an analyst can copy.
// Estimates (pro-rata shares, approximate quantities, open-ended deliveries) are drawn
// hatched and lighter, with a whisker for their range, and a legend says in words how a
// delivery spanning several periods was placed; figures are printed by the display rule
// (src/domain/display.ts): estimates with ≈ and two significant figures.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip, type Plugin } from 'chart.js';
import { printFigure, printRange } from '../../src/domain/display';
import '../shared/header.css';
import { bindKeyField, postGraphQL, requestHeaders } from '../shared/session';
import QUERY from './shipment-report.graphql';
import './reports.css';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

type Dimension = 'SUPPLIER' | 'RECIPIENT' | 'CATEGORY' | 'STATUS' | 'CONFIDENCE';
interface Params {
  from: string;
  to: string;
  granularity: string;
  groupBy: Dimension[];
  attribution: string;
  estimates: string;
}
interface Period {
  label: string;
  start: string;
  end: string;
}
/** One group's figures, per period at the positions of `Report.periods`. */
interface Series {
  supplier: { id: string; name: string } | null;
  recipient: { id: string; name: string } | null;
  category: string | null;
  status: string | null;
  confidence: string | null;
  unit: string | null;
  shipments: number[];
  quantity: (number | null)[];
  unknownQuantity: number[];
  quantityLow: (number | null)[];
  quantityHigh: (number | null)[];
  unknownQuantityLow: number[];
  unknownQuantityHigh: number[];
  estimated: number[];
  exact: boolean[];
}
interface Report {
  start: string;
  end: string;
  granularity: string;
  attribution: string;
  estimates: string;
  periods: Period[];
  series: Series[];
}

/** A period's range over a chart's stacked groups: the sums of their low and high bounds (null: a bound unknown). */
interface Range {
  period: string;
  low: number | null;
  high: number | null;
  /** How it is drawn: a whisker from low to high, "?" (a bound unknown), or nothing (exact, or nothing there). */
  drawn: 'whisker' | 'unknown' | null;
}

const DEFAULTS: Params = {
  from: '2023-01-01',
  to: '2023-12-31',
  granularity: 'MONTH',
  groupBy: ['CATEGORY'],
  attribution: 'PRO_RATA',
  estimates: 'INCLUDE',
};
const DIMENSIONS: Dimension[] = ['SUPPLIER', 'RECIPIENT', 'CATEGORY', 'STATUS', 'CONFIDENCE'];
const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#4b5563', '#ea580c'];

/** The charts drawn, by unit, with the ranges drawn on them (read by the browser tests). */
declare global {
  interface Window {
    shipmentCharts: { unit: string | null; chart: Chart; ranges: Range[] }[];
  }
}
window.shipmentCharts = [];

const form = document.getElementById('report-form') as HTMLFormElement;
const status = document.getElementById('status')!;
const csvLink = document.getElementById('csv-link') as HTMLAnchorElement;
const xlsxLink = document.getElementById('xlsx-link') as HTMLAnchorElement;

function paramsFromUrl(): Params {
  const q = new URLSearchParams(location.search);
  const groupBy = q.has('groupBy') ? (q.get('groupBy') ?? '').split(',').filter((d): d is Dimension => DIMENSIONS.includes(d as Dimension)) : DEFAULTS.groupBy;
  return {
    from: q.get('from') || DEFAULTS.from,
    to: q.get('to') || DEFAULTS.to,
    granularity: q.get('granularity') || DEFAULTS.granularity,
    groupBy,
    attribution: q.get('attribution') || DEFAULTS.attribution,
    estimates: q.get('estimates') || DEFAULTS.estimates,
  };
}

function paramsFromForm(): Params {
  const data = new FormData(form);
  return {
    from: String(data.get('from')),
    to: String(data.get('to')),
    granularity: String(data.get('granularity')),
    groupBy: data.getAll('groupBy').map(String) as Dimension[],
    attribution: String(data.get('attribution')),
    estimates: String(data.get('estimates')),
  };
}

function fillForm(p: Params): void {
  (form.elements.namedItem('from') as HTMLInputElement).value = p.from;
  (form.elements.namedItem('to') as HTMLInputElement).value = p.to;
  (form.elements.namedItem('granularity') as HTMLSelectElement).value = p.granularity;
  (form.elements.namedItem('attribution') as HTMLSelectElement).value = p.attribution;
  (form.elements.namedItem('estimates') as HTMLSelectElement).value = p.estimates;
  form.querySelectorAll<HTMLInputElement>('input[name="groupBy"]').forEach((box) => {
    box.checked = p.groupBy.includes(box.value as Dimension);
  });
}

function searchOf(p: Params): string {
  const q = new URLSearchParams({ from: p.from, to: p.to, granularity: p.granularity, attribution: p.attribution });
  q.set('groupBy', p.groupBy.join(','));
  // Only when not the default, so that the usual link stays as it was.
  if (p.estimates !== DEFAULTS.estimates) q.set('estimates', p.estimates);
  return q.toString();
}

/** A series' group in words ("from North Korea · to Russia · MILITARY_EQUIPMENT"). */
function groupLabel(b: Series, groupBy: Dimension[]): string {
  const parts = groupBy.map((d) => {
    switch (d) {
      case 'SUPPLIER':
        return `from ${b.supplier?.name ?? '?'}`;
      case 'RECIPIENT':
        return `to ${b.recipient?.name ?? '?'}`;
      case 'CATEGORY':
        return b.category ?? '?';
      case 'STATUS':
        return `status ${b.status ?? '?'}`;
      case 'CONFIDENCE':
        return `${b.confidence ?? '?'}`;
    }
  });
  return parts.length ? parts.join(' · ') : 'all shipments';
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

/** A lighter, hatched fill of `color`: how an estimate is drawn. */
function hatch(color: string): CanvasPattern {
  const tile = document.createElement('canvas');
  tile.width = tile.height = 8;
  const g = tile.getContext('2d')!;
  g.fillStyle = color;
  g.globalAlpha = 0.3;
  g.fillRect(0, 0, 8, 8);
  g.globalAlpha = 1;
  g.strokeStyle = color;
  g.lineWidth = 2;
  g.beginPath();
  for (const [x0, y0, x1, y1] of [
    [-2, 2, 2, -2],
    [0, 8, 8, 0],
    [6, 10, 10, 6],
  ]) {
    g.moveTo(x0, y0);
    g.lineTo(x1, y1);
  }
  g.stroke();
  return g.createPattern(tile, 'repeat')!;
}

/** The period nouns of each granularity, for the legend's words. */
const PERIOD_NOUN: Record<string, [string, string]> = {
  DAY: ['day', 'days'],
  WEEK: ['week', 'weeks'],
  MONTH: ['month', 'months'],
  QUARTER: ['quarter', 'quarters'],
  YEAR: ['year', 'years'],
};

/** The legend's words: how a delivery spanning several periods was placed, and what is an estimate. */
function legendText(report: Report): string {
  const [one, many] = PERIOD_NOUN[report.granularity] ?? ['period', 'periods'];
  const placed: Record<string, string> = {
    PRO_RATA:
      `A delivery spanning several ${many} is split between them pro rata by its days: each ${one} gets the quantity × ` +
      `its days of the delivery ÷ the delivery's days (1,000 delivered from 7 September to 1 October: 24 of 25 days ` +
      `in September, ≈960; 1 in October, ≈40). Such shares are estimates.`,
    START: `A delivery spanning several ${many} counts whole in the ${one} of its first day (not split).`,
    END: `A delivery spanning several ${many} counts whole in the ${one} of its last day (not split).`,
  };
  const estimates =
    report.estimates === 'EXCLUDE'
      ? 'Estimated parts are left out: every figure drawn is an exact quantity placed whole.'
      : 'Estimates are drawn hatched and lighter: shares of split deliveries, quantities that are not exact ' +
        '("about 500", "at least 1,000") and deliveries with an open end (placed at their known end). ' +
        'A whisker shows the range from the low to the high sum; "?" marks a range with an unknown bound. ' +
        'Figures marked ≈ are rounded to 2 significant figures; the API and the CSV keep the exact values.';
  return `${placed[report.attribution] ?? ''} ${estimates}`;
}

/** Per period, the sums of the stacked groups' low and high bounds, and how their range is drawn. */
function rangesOf(report: Report, series: Series[]): Range[] {
  return report.periods.map((p, i) => {
    const sum = (values: (s: Series) => number | null) =>
      series.reduce<number | null>((acc, s) => (acc === null || values(s) === null ? null : acc + values(s)!), 0);
    const low = sum((s) => s.quantityLow[i]);
    const high = sum((s) => s.quantityHigh[i]);
    const estimated = series.some((s) => s.estimated[i] > 0);
    const present = series.some((s) => s.shipments[i] > 0);
    let drawn: Range['drawn'] = null;
    if (present && (low === null || high === null)) drawn = 'unknown';
    else if (present && estimated && low !== high) drawn = 'whisker';
    return { period: p.label, low, high, drawn };
  });
}

/** Draws each period's range above its stacked bar: a whisker from low to high, or "?" when a bound is unknown. */
function rangePlugin(ranges: Range[]): Plugin<'bar'> {
  return {
    id: 'ranges',
    afterDatasetsDraw(chart) {
      const { ctx, scales } = chart;
      const last = chart.getDatasetMeta(chart.data.datasets.length - 1);
      ctx.save();
      ctx.strokeStyle = '#111827';
      ctx.fillStyle = '#111827';
      ctx.lineWidth = 1.5;
      ctx.font = 'bold 13px system-ui, sans-serif';
      ctx.textAlign = 'center';
      ranges.forEach((r, i) => {
        const bar = last.data[i] as unknown as { x: number; y: number; width: number } | undefined;
        if (!bar || !r.drawn) return;
        if (r.drawn === 'unknown') {
          // The top of the stack: the smallest y of the period's bars.
          const top = Math.min(...chart.data.datasets.map((_, d) => (chart.getDatasetMeta(d).data[i] as unknown as { y: number }).y));
          ctx.fillText('?', bar.x, top - 4);
          return;
        }
        const y0 = scales.y.getPixelForValue(r.low!);
        const y1 = scales.y.getPixelForValue(r.high!);
        const w = Math.min(12, bar.width / 3);
        ctx.beginPath();
        ctx.moveTo(bar.x, y0);
        ctx.lineTo(bar.x, y1);
        ctx.moveTo(bar.x - w, y0);
        ctx.lineTo(bar.x + w, y0);
        ctx.moveTo(bar.x - w, y1);
        ctx.lineTo(bar.x + w, y1);
        ctx.stroke();
      });
      ctx.restore();
    },
  };
}

function drawCharts(report: Report, groupBy: Dimension[]): void {
  window.shipmentCharts.forEach(({ chart }) => chart.destroy());
  window.shipmentCharts = [];
  const box = document.getElementById('charts')!;
  box.replaceChildren();
  const legend = document.getElementById('estimate-legend')!;
  legend.hidden = false;
  legend.querySelector('.legend-text')!.textContent = legendText(report);
  const periods = report.periods.map((p) => p.label);
  const units = [...new Set(report.series.map((s) => s.unit))].sort((a, b) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)));
  for (const unit of units) {
    const series = report.series.filter((s) => s.unit === unit);
    if (!series.some((s) => s.shipments.some((n) => n > 0))) continue;
    // Shipments with no unit have no quantity: their chart counts shipments instead (exact counts).
    const counts = unit === null;
    const values = (s: Series) => (counts ? s.shipments : s.quantity.map((q) => q ?? 0));
    const estimatedAt = (s: Series) => (counts ? s.shipments.map(() => false) : s.estimated.map((n) => n > 0));
    const section = el('section', undefined, 'chart');
    section.dataset.unit = unit ?? '';
    const title = counts ? 'Shipments with no quantity (number of shipments)' : `Quantity in ${unit}`;
    section.append(el('h2', title));
    const canvasBox = el('div', undefined, 'canvas-box');
    const canvas = el('canvas');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', title);
    canvasBox.append(canvas);
    section.append(canvasBox);
    box.append(section);
    const ranges = counts ? [] : rangesOf(report, series);
    const chart = new Chart(canvas, {
      type: 'bar',
      data: {
        labels: periods,
        // One dataset per series: a group is one series per unit. An estimated bar is hatched.
        datasets: series.map((s, i) => {
          const color = COLORS[i % COLORS.length];
          const estimated = estimatedAt(s);
          const pattern = estimated.some(Boolean) ? hatch(color) : null;
          return {
            label: groupLabel(s, groupBy),
            data: values(s),
            backgroundColor: estimated.map((e) => (e ? pattern! : color)),
            borderColor: color,
            borderWidth: estimated.map((e) => (e ? 1 : 0)),
            estimated,
            stack: 'all',
          };
        }),
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: {
          x: { stacked: true },
          // Room above the bars for the whiskers and "?" marks.
          y: {
            stacked: true,
            beginAtZero: true,
            grace: '8%',
            suggestedMax: Math.max(0, ...ranges.map((r) => (r.drawn === 'whisker' ? r.high! : 0))),
            title: { display: true, text: unit ?? 'shipments' },
          },
        },
        plugins: {
          legend: {
            position: 'bottom',
            // Each group's swatch in its plain colour (its bars may be hatched).
            labels: {
              generateLabels: (c) =>
                Chart.defaults.plugins.legend.labels.generateLabels(c).map((item, i) => ({ ...item, fillStyle: COLORS[i % COLORS.length], lineWidth: 0 })),
            },
          },
          tooltip: {
            callbacks: {
              label: (item) => {
                const s = series[item.datasetIndex];
                const i = item.dataIndex;
                if (counts) return `${item.dataset.label}: ${s.shipments[i]} shipment(s) of unknown quantity`;
                const estimated = s.estimated[i] > 0;
                const q = s.quantity[i];
                const figure = q === null ? 'unknown' : `${printFigure(q, estimated)} ${unit}`;
                const range = printRange(s.quantityLow[i], s.quantityHigh[i], estimated) ?? '?';
                return `${item.dataset.label}: ${figure}${estimated ? ` (estimate; range ${range})` : ''}`;
              },
            },
          },
        },
      },
      plugins: [rangePlugin(ranges)],
    });
    window.shipmentCharts.push({ unit, chart, ranges });
  }
  if (!window.shipmentCharts.length) {
    legend.hidden = true;
    box.append(el('p', 'No shipments in this window.'));
  }
}

function drawTable(report: Report, groupBy: Dimension[]): void {
  const table = document.getElementById('report-table') as HTMLTableElement;
  const dimHeaders: Record<Dimension, string> = {
    SUPPLIER: 'supplier',
    RECIPIENT: 'recipient',
    CATEGORY: 'category',
    STATUS: 'status',
    CONFIDENCE: 'confidence',
  };
  const head = el('tr');
  const figures = ['shipments', 'quantity', 'low–high', 'unknown quantity', 'estimated'];
  for (const h of ['period', ...groupBy.map((d) => dimHeaders[d]), 'unit', ...figures]) head.append(el('th', h));
  table.tHead!.replaceChildren(head);
  // A row per period and group, period by period (the order of the report's buckets).
  const rows = report.periods.flatMap((period, i) =>
    report.series.map((s) => {
      const quantity = s.quantity[i];
      const estimated = s.estimated[i] > 0;
      const classes = [s.shipments[i] === 0 ? 'empty' : '', estimated ? 'estimate' : ''].filter(Boolean).join(' ');
      const tr = el('tr', undefined, classes || undefined);
      tr.dataset.period = period.label;
      const dims: Record<Dimension, string> = {
        SUPPLIER: s.supplier?.name ?? '',
        RECIPIENT: s.recipient?.name ?? '',
        CATEGORY: s.category ?? '',
        STATUS: s.status ?? '',
        CONFIDENCE: s.confidence ?? '',
      };
      tr.append(el('td', period.label), ...groupBy.map((d) => el('td', dims[d])), el('td', s.unit ?? '—'));
      tr.append(
        el('td', String(s.shipments[i]), 'num'),
        el('td', quantity === null ? '—' : printFigure(quantity, estimated), 'num'),
        el('td', printRange(s.quantityLow[i], s.quantityHigh[i], estimated) ?? (s.unit === null ? '—' : '?'), 'num'),
        el('td', String(s.unknownQuantity[i]), 'num'),
        el('td', String(s.estimated[i]), 'num'),
      );
      return tr;
    }),
  );
  table.tBodies[0].replaceChildren(...rows);
}

async function run(p: Params): Promise<void> {
  document.body.dataset.state = 'loading';
  status.textContent = 'Loading…';
  const variables = { from: p.from, to: p.to, granularity: p.granularity, groupBy: p.groupBy, attribution: p.attribution, estimates: p.estimates };
  document.getElementById('query-text')!.textContent = QUERY;
  document.getElementById('variables-text')!.textContent = JSON.stringify(variables, null, 2);
  csvLink.href = `/reports/shipments.csv?${searchOf(p)}`;
  xlsxLink.href = `/reports/shipments.xlsx?${searchOf(p)}`;
  try {
    const result = await postGraphQL<{ shipmentReport: Report }>({ operationName: 'ShipmentReportChart', query: QUERY, variables });
    if (result.errors?.length || !result.data) throw new Error(result.errors?.map((e) => e.message).join('; ') || 'No data');
    const report = result.data.shipmentReport;
    drawCharts(report, p.groupBy);
    drawTable(report, p.groupBy);
    const buckets = report.periods.length * report.series.length;
    const total = report.series.reduce((n, s) => n + s.shipments.filter((x) => x > 0).length, 0);
    const estimated = report.series.reduce((n, s) => n + s.estimated.filter((x) => x > 0).length, 0);
    status.textContent =
      `${report.start} to ${report.end}, ${report.granularity.toLowerCase()} periods, attribution ${report.attribution}` +
      `${report.estimates === 'EXCLUDE' ? ', estimates left out' : ''}: ${buckets} buckets, ${total} with shipments, ${estimated} with estimates.`;
    document.body.dataset.state = 'ready';
  } catch (err) {
    status.textContent = `Could not load the report: ${(err as Error).message}`;
    document.body.dataset.state = 'error';
  }
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const p = paramsFromForm();
  history.replaceState(null, '', `${location.pathname}?${searchOf(p)}`);
  void run(p);
});

// A plain link cannot carry the key: with a key set, download through fetch instead.
for (const [link, kind] of [
  [csvLink, 'CSV'],
  [xlsxLink, 'XLSX'],
] as const) {
  link.addEventListener('click', async (ev) => {
    const headers = requestHeaders();
    if (!headers.authorization) return;
    ev.preventDefault();
    const res = await fetch(link.href, { headers });
    if (!res.ok) {
      status.textContent = `${kind} download failed: HTTP ${res.status}`;
      return;
    }
    const url = URL.createObjectURL(await res.blob());
    const a = el('a');
    a.href = url;
    a.download = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `shipments.${kind.toLowerCase()}`;
    a.click();
    URL.revokeObjectURL(url);
  });
}

bindKeyField();
const initial = paramsFromUrl();
fillForm(initial);
void run(initial);
