// The chart page (/reports/shipments): the shipment report drawn as stacked bars, one
// chart per unit (units are never added together), the table below, a CSV link. It is
// fed by the GraphQL query shown at the bottom of the page, the one an analyst can copy.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
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
}
interface Report {
  start: string;
  end: string;
  granularity: string;
  attribution: string;
  periods: Period[];
  series: Series[];
}

const DEFAULTS: Params = { from: '2023-01-01', to: '2023-12-31', granularity: 'MONTH', groupBy: ['CATEGORY'], attribution: 'PRO_RATA' };
const DIMENSIONS: Dimension[] = ['SUPPLIER', 'RECIPIENT', 'CATEGORY', 'STATUS', 'CONFIDENCE'];
const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#4b5563', '#ea580c'];

/** The charts drawn, by unit (read by the browser tests). */
declare global {
  interface Window {
    shipmentCharts: { unit: string | null; chart: Chart }[];
  }
}
window.shipmentCharts = [];

const form = document.getElementById('report-form') as HTMLFormElement;
const status = document.getElementById('status')!;
const csvLink = document.getElementById('csv-link') as HTMLAnchorElement;

function paramsFromUrl(): Params {
  const q = new URLSearchParams(location.search);
  const groupBy = q.has('groupBy') ? (q.get('groupBy') ?? '').split(',').filter((d): d is Dimension => DIMENSIONS.includes(d as Dimension)) : DEFAULTS.groupBy;
  return {
    from: q.get('from') || DEFAULTS.from,
    to: q.get('to') || DEFAULTS.to,
    granularity: q.get('granularity') || DEFAULTS.granularity,
    groupBy,
    attribution: q.get('attribution') || DEFAULTS.attribution,
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
  };
}

function fillForm(p: Params): void {
  (form.elements.namedItem('from') as HTMLInputElement).value = p.from;
  (form.elements.namedItem('to') as HTMLInputElement).value = p.to;
  (form.elements.namedItem('granularity') as HTMLSelectElement).value = p.granularity;
  (form.elements.namedItem('attribution') as HTMLSelectElement).value = p.attribution;
  form.querySelectorAll<HTMLInputElement>('input[name="groupBy"]').forEach((box) => {
    box.checked = p.groupBy.includes(box.value as Dimension);
  });
}

function searchOf(p: Params): string {
  const q = new URLSearchParams({ from: p.from, to: p.to, granularity: p.granularity, attribution: p.attribution });
  q.set('groupBy', p.groupBy.join(','));
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

function drawCharts(report: Report, groupBy: Dimension[]): void {
  window.shipmentCharts.forEach(({ chart }) => chart.destroy());
  window.shipmentCharts = [];
  const box = document.getElementById('charts')!;
  box.replaceChildren();
  const periods = report.periods.map((p) => p.label);
  const units = [...new Set(report.series.map((s) => s.unit))].sort((a, b) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)));
  for (const unit of units) {
    const series = report.series.filter((s) => s.unit === unit);
    if (!series.some((s) => s.shipments.some((n) => n > 0))) continue;
    // Shipments with no unit have no quantity: their chart counts shipments instead.
    const values = (s: Series) => (unit === null ? s.shipments : s.quantity.map((q) => q ?? 0));
    const section = el('section', undefined, 'chart');
    section.dataset.unit = unit ?? '';
    const title = unit === null ? 'Shipments with no quantity (number of shipments)' : `Quantity in ${unit}`;
    section.append(el('h2', title));
    const canvasBox = el('div', undefined, 'canvas-box');
    const canvas = el('canvas');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', title);
    canvasBox.append(canvas);
    section.append(canvasBox);
    box.append(section);
    const chart = new Chart(canvas, {
      type: 'bar',
      data: {
        labels: periods,
        // One dataset per series: a group is one series per unit.
        datasets: series.map((s, i) => ({
          label: groupLabel(s, groupBy),
          data: values(s),
          backgroundColor: COLORS[i % COLORS.length],
          stack: 'all',
        })),
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, title: { display: true, text: unit ?? 'shipments' } } },
        plugins: { legend: { position: 'bottom' } },
      },
    });
    window.shipmentCharts.push({ unit, chart });
  }
  if (!window.shipmentCharts.length) box.append(el('p', 'No shipments in this window.'));
}

function drawTable(report: Report, groupBy: Dimension[]): void {
  const table = document.getElementById('report-table') as HTMLTableElement;
  const dimHeaders: Record<Dimension, string> = { SUPPLIER: 'supplier', RECIPIENT: 'recipient', CATEGORY: 'category', STATUS: 'status', CONFIDENCE: 'confidence' };
  const head = el('tr');
  for (const h of ['period', ...groupBy.map((d) => dimHeaders[d]), 'unit', 'shipments', 'quantity', 'unknown quantity']) head.append(el('th', h));
  table.tHead!.replaceChildren(head);
  // A row per period and group, period by period (the order of the report's buckets).
  const rows = report.periods.flatMap((period, i) =>
    report.series.map((s) => {
      const quantity = s.quantity[i];
      const tr = el('tr', undefined, s.shipments[i] === 0 ? 'empty' : undefined);
      tr.dataset.period = period.label;
      const dims: Record<Dimension, string> = {
        SUPPLIER: s.supplier?.name ?? '',
        RECIPIENT: s.recipient?.name ?? '',
        CATEGORY: s.category ?? '',
        STATUS: s.status ?? '',
        CONFIDENCE: s.confidence ?? '',
      };
      tr.append(el('td', period.label), ...groupBy.map((d) => el('td', dims[d])), el('td', s.unit ?? '—'));
      tr.append(el('td', String(s.shipments[i]), 'num'), el('td', quantity === null ? '—' : quantity.toLocaleString('en'), 'num'), el('td', String(s.unknownQuantity[i]), 'num'));
      return tr;
    }),
  );
  table.tBodies[0].replaceChildren(...rows);
}

async function run(p: Params): Promise<void> {
  document.body.dataset.state = 'loading';
  status.textContent = 'Loading…';
  const variables = { from: p.from, to: p.to, granularity: p.granularity, groupBy: p.groupBy, attribution: p.attribution };
  document.getElementById('query-text')!.textContent = QUERY;
  document.getElementById('variables-text')!.textContent = JSON.stringify(variables, null, 2);
  csvLink.href = `/reports/shipments.csv?${searchOf(p)}`;
  try {
    const result = await postGraphQL<{ shipmentReport: Report }>({ operationName: 'ShipmentReportChart', query: QUERY, variables });
    if (result.errors?.length || !result.data) throw new Error(result.errors?.map((e) => e.message).join('; ') || 'No data');
    const report = result.data.shipmentReport;
    drawCharts(report, p.groupBy);
    drawTable(report, p.groupBy);
    const buckets = report.periods.length * report.series.length;
    const total = report.series.reduce((n, s) => n + s.shipments.filter((x) => x > 0).length, 0);
    status.textContent = `${report.start} to ${report.end}, ${report.granularity.toLowerCase()} periods, attribution ${report.attribution}: ${buckets} buckets, ${total} with shipments.`;
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
csvLink.addEventListener('click', async (ev) => {
  const headers = requestHeaders();
  if (!headers.authorization) return;
  ev.preventDefault();
  const res = await fetch(csvLink.href, { headers });
  if (!res.ok) {
    status.textContent = `CSV download failed: HTTP ${res.status}`;
    return;
  }
  const url = URL.createObjectURL(await res.blob());
  const a = el('a');
  a.href = url;
  a.download = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'shipments.csv';
  a.click();
  URL.revokeObjectURL(url);
});

bindKeyField();
const initial = paramsFromUrl();
fillForm(initial);
void run(initial);
