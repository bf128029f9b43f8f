// The timeline drawn on two canvases: above, the month histogram and the time axis; below,
// the lanes (events by type, shipments, affiliations), scrolled vertically by a native
// scroller. Canvas, not SVG: thousands of marks redrawn on every zoom or pan frame cost a
// few milliseconds as batched canvas paths, where as many SVG elements would each be
// restyled and relaid (docs/decisions/timeline-page.md). What the canvas shows is also in
// the DOM: the list mirror (list.ts) and the geometry/hit-test API (window.timelineView).
//
// Marks follow shape.ts: a point for a day, a bar over a span; fading edges, dashed outlines,
// trailing tails and "?"/"~" markers for vague dates. Fill opacity says the confidence, mark
// thickness the number of independent sources.
import { scaleUtc } from 'd3-scale';
import type { Item, Lane, Layout } from './layout';
import { DAY_MS, dayMs, isoDay, type Shape } from './shape';

export interface MonthCount {
  month: string;
  start: string;
  end: string;
  total: number;
  events: number;
  shipments: number;
  affiliations: number;
  spanning: number;
}

export interface Geometry {
  /** Left and right edge of the mark (CSS px in the lanes canvas; a point's are its circle's). */
  x1: number;
  x2: number;
  /** Centre of the mark. */
  cx: number;
  cy: number;
  /** Top and height of the mark. */
  y: number;
  h: number;
  /** Whether any of it is inside the plot area as scrolled now. */
  visible: boolean;
}

export interface ViewCallbacks {
  /** Enter, Space or a click on an item: open its details. */
  onOpen(item: Item): void;
  /** The item under the keyboard (or pointer) focus changed. */
  onActive(item: Item | null, how: 'keyboard' | 'pointer'): void;
  /** Zoom or pan changed the visible stretch of the axis. */
  onDomain(from: number, to: number): void;
}

export const LANE_COLORS: Record<string, string> = {
  'EVENT:MEETING': '#2563eb',
  'EVENT:VISIT': '#7c3aed',
  'EVENT:STATEMENT': '#0e7490',
  'EVENT:ACCUSATION': '#be185d',
  'EVENT:SANCTION': '#b91c1c',
  'EVENT:TRANSFER_REPORT': '#4338ca',
  'EVENT:OBSERVATION': '#0f766e',
  'EVENT:BATTLEFIELD_FINDING': '#9333ea',
  'EVENT:AGREEMENT': '#1d4ed8',
  'EVENT:OTHER': '#4b5563',
  SHIPMENT: '#c2410c',
  AFFILIATION: '#15803d',
};

/** Fill opacity by confidence: the less certain, the paler. */
export const CONFIDENCE_ALPHA: Record<string, number> = { CONFIRMED: 1, REPORTED: 0.78, ALLEGED: 0.55, ASSESSED: 0.38 };

/** Mark thickness (share of the row) by independent sources: one, two, three or more; unknown in between. */
export function thickness(sources: number | null): number {
  if (sources === null) return 0.5;
  return sources <= 1 ? 0.42 : sources === 2 ? 0.6 : 0.78;
}

const MIN_SPAN = 2 * DAY_MS;
const MAX_SPAN = 400 * 365 * DAY_MS;
const HIST_COLORS = { events: '#60a5fa', shipments: '#fb923c', affiliations: '#4ade80' };

interface Metrics {
  /** The UI font size (px): everything scales with it, so a wall screen's larger font draws a larger timeline. */
  unit: number;
  rowH: number;
  lanePad: number;
  gutter: number;
  histH: number;
  axisH: number;
}

export class TimelineView {
  layout: Layout;
  months: MonthCount[] = [];
  /** The visible stretch: [t0, t1) in ms. */
  t0 = Date.UTC(2023, 0, 1);
  t1 = Date.UTC(2024, 0, 1);
  active: Item | null = null;
  hover: Item | null = null;
  /** Milliseconds each frame's drawing took (the latest 1,000). */
  readonly drawTimes: number[] = [];
  /** How many frames have been drawn. */
  frameCount = 0;

  private m: Metrics = { unit: 14, rowH: 18, lanePad: 5, gutter: 130, histH: 48, axisH: 28 };
  private laneTops = new Map<string, number>();
  private laneHeights = new Map<string, number>();
  private contentH = 0;
  private width = 0;
  private lanesH = 0;
  private dpr = 1;
  private pending = 0;
  private readonly headCtx: CanvasRenderingContext2D;
  private readonly lanesCtx: CanvasRenderingContext2D;
  private drag: { x: number; t0: number; t1: number; moved: boolean; id: number } | null = null;

  constructor(
    layout: Layout,
    private readonly head: HTMLCanvasElement,
    private readonly lanes: HTMLCanvasElement,
    private readonly scroller: HTMLElement,
    private readonly spacer: HTMLElement,
    private readonly cb: ViewCallbacks,
  ) {
    this.layout = layout;
    this.headCtx = head.getContext('2d')!;
    this.lanesCtx = lanes.getContext('2d')!;
    // A new width may bring a new type size (it grows with the screen): lay out again.
    new ResizeObserver(() => this.relayout()).observe(scroller);
    scroller.addEventListener('scroll', () => this.schedule(), { passive: true });
    this.bindPointer();
    this.bindKeys();
    this.relayout();
  }

  // ---- scale

  /** x (CSS px) of an instant. */
  x(t: number): number {
    return this.m.gutter + ((t - this.t0) / (this.t1 - this.t0)) * this.plotW;
  }

  /** The instant at x (CSS px). */
  t(x: number): number {
    return this.t0 + ((x - this.m.gutter) / this.plotW) * (this.t1 - this.t0);
  }

  /** x of the start of a YYYY-MM-DD day. */
  xOf(day: string): number {
    return this.x(dayMs(day));
  }

  private get plotW(): number {
    return Math.max(1, this.width - this.m.gutter);
  }

  /** Shows [from, to) (ms), within the zoom limits; tells onDomain unless told not to. */
  setDomain(from: number, to: number, notify = true): void {
    let span = Math.min(MAX_SPAN, Math.max(MIN_SPAN, to - from));
    const mid = (from + to) / 2;
    if (!Number.isFinite(span)) span = MAX_SPAN;
    this.t0 = mid - span / 2;
    this.t1 = mid + span / 2;
    this.schedule();
    if (notify) this.cb.onDomain(this.t0, this.t1);
  }

  /** Zooms by `factor` (> 1: in) keeping the instant `at` (default: the middle) where it is. */
  zoom(factor: number, at = (this.t0 + this.t1) / 2): void {
    const span = Math.min(MAX_SPAN, Math.max(MIN_SPAN, (this.t1 - this.t0) / factor));
    const share = (at - this.t0) / (this.t1 - this.t0);
    this.setDomain(at - share * span, at - share * span + span);
  }

  /** Pans by a share of the visible span (negative: earlier). */
  pan(share: number): void {
    const d = (this.t1 - this.t0) * share;
    this.setDomain(this.t0 + d, this.t1 + d);
  }

  /** Fits the view to [from, to) with a little room on both sides. */
  fit(from: number, to: number, notify = true): void {
    const pad = Math.max(DAY_MS, (to - from) * 0.03);
    this.setDomain(from - pad, to + pad, notify);
  }

  /** The visible stretch as whole days, YYYY-MM-DD, inclusive. */
  visibleDays(): { from: string; to: string } {
    return { from: isoDay(this.t0 + DAY_MS / 2), to: isoDay(this.t1 - DAY_MS / 2) };
  }

  // ---- layout

  /** Re-reads sizes and lane positions after items arrived or the window changed size. */
  relayout(): void {
    const style = getComputedStyle(this.scroller);
    const unit = parseFloat(style.fontSize) || 14;
    const rowH = Math.round(unit * 1.3);
    this.m = { unit, rowH, lanePad: Math.round(rowH * 0.35), gutter: Math.round(unit * 9.5), histH: Math.round(unit * 3.6), axisH: Math.round(unit * 2.1) };
    let top = 0;
    this.laneTops.clear();
    this.laneHeights.clear();
    for (const lane of this.layout.lanes) {
      const h = this.m.lanePad * 2 + Math.max(1, lane.rows.length) * rowH;
      this.laneTops.set(lane.key, top);
      this.laneHeights.set(lane.key, h);
      top += h;
    }
    this.contentH = Math.max(top, rowH * 3);
    const maxH = Math.max(rowH * 6, Math.round(window.innerHeight * 0.58));
    const h = Math.min(this.contentH, maxH);
    if (this.scroller.style.height !== `${h}px`) this.scroller.style.height = `${h}px`;
    this.resize();
  }

  private resize(): void {
    this.dpr = window.devicePixelRatio || 1;
    this.width = this.scroller.clientWidth;
    this.lanesH = this.scroller.clientHeight;
    const headH = this.m.histH + this.m.axisH;
    for (const [canvas, h] of [
      [this.head, headH],
      [this.lanes, this.lanesH],
    ] as const) {
      canvas.style.width = `${this.width}px`;
      canvas.style.height = `${h}px`;
      canvas.width = Math.round(this.width * this.dpr);
      canvas.height = Math.round(h * this.dpr);
    }
    this.spacer.style.height = `${Math.max(0, this.contentH - this.lanesH)}px`;
    this.drawNow();
  }

  // ---- drawing

  /** Draws on the next animation frame (once, however often asked). */
  schedule(): void {
    if (this.pending) return;
    this.pending = requestAnimationFrame(() => {
      this.pending = 0;
      this.drawNow();
    });
  }

  drawNow(): void {
    const started = performance.now();
    this.drawHead();
    this.drawLanes();
    const took = performance.now() - started;
    this.drawTimes.push(took);
    if (this.drawTimes.length > 1000) this.drawTimes.shift();
    this.frameCount += 1;
  }

  private ticks(): { t: number; label: string }[] {
    const scale = scaleUtc().domain([this.t0, this.t1]).range([this.m.gutter, this.width]);
    const count = Math.max(2, Math.floor(this.plotW / (this.m.unit * 7)));
    const format = scale.tickFormat(count);
    return scale.ticks(count).map((d) => ({ t: d.getTime(), label: format(d) }));
  }

  private drawHead(): void {
    const ctx = this.headCtx;
    const { unit, gutter, histH, axisH } = this.m;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.clearRect(0, 0, this.width, histH + axisH);
    ctx.font = `${unit * 0.85}px system-ui, sans-serif`;
    ctx.textBaseline = 'middle';
    ctx.fillStyle = '#4b5563';
    ctx.fillText('Items per month', 4, histH * 0.35);

    // Histogram: each month's items stacked by kind, as timelineMonths counts them.
    const max = this.months.reduce((n, m) => Math.max(n, m.total), 0);
    if (max > 0) {
      ctx.save();
      ctx.beginPath();
      ctx.rect(gutter, 0, this.plotW, histH);
      ctx.clip();
      const usable = histH - 4;
      for (const m of this.months) {
        const a = this.x(dayMs(m.start));
        const b = this.x(dayMs(m.end) + DAY_MS);
        if (b < gutter || a > this.width) continue;
        const w = Math.max(1, b - a - (b - a > 4 ? 1 : 0));
        let y = histH;
        for (const kind of ['events', 'shipments', 'affiliations'] as const) {
          const h = (m[kind] / max) * usable;
          if (h <= 0) continue;
          ctx.fillStyle = HIST_COLORS[kind];
          ctx.fillRect(a, y - h, w, h);
          y -= h;
        }
      }
      ctx.restore();
      ctx.fillStyle = '#6b7280';
      ctx.fillText(`max ${max}`, 4, histH * 0.75);
    }

    // Axis: a baseline, ticks and their labels.
    ctx.strokeStyle = '#9ca3af';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(gutter, histH + 0.5);
    ctx.lineTo(this.width, histH + 0.5);
    ctx.stroke();
    ctx.fillStyle = '#111827';
    ctx.textAlign = 'center';
    for (const { t, label } of this.ticks()) {
      const x = Math.round(this.x(t)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, histH);
      ctx.lineTo(x, histH + axisH * 0.3);
      ctx.stroke();
      ctx.fillText(label, x, histH + axisH * 0.62);
    }
    ctx.textAlign = 'start';
  }

  private drawLanes(): void {
    const ctx = this.lanesCtx;
    const { unit, rowH, lanePad, gutter } = this.m;
    const top = this.scroller.scrollTop;
    const H = this.lanesH;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.clearRect(0, 0, this.width, H);

    // Grid lines at the axis ticks.
    ctx.strokeStyle = '#eef0f3';
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (const { t } of this.ticks()) {
      const x = Math.round(this.x(t)) + 0.5;
      ctx.moveTo(x, 0);
      ctx.lineTo(x, H);
    }
    ctx.stroke();

    // Simple marks are batched per colour and opacity: a few fills for thousands of marks.
    const batches = new Map<string, { color: string; alpha: number; path: Path2D }>();
    const vague: { item: Item; x1: number; x2: number; cy: number; h: number; color: string; alpha: number }[] = [];
    const labels: { text: string; x: number; y: number; max: number }[] = [];
    const clipped: { x: number; cy: number; dir: number }[] = [];
    const font = unit * 0.82;
    const charW = font * 0.52;
    const tailW = unit * 2.5;

    ctx.font = `600 ${font}px system-ui, sans-serif`;
    ctx.textBaseline = 'middle';
    this.layout.lanes.forEach((lane, li) => {
      const laneTop = this.laneTops.get(lane.key)! - top;
      const laneH = this.laneHeights.get(lane.key)!;
      if (laneTop > H || laneTop + laneH < 0) return;
      ctx.fillStyle = li % 2 ? '#f9fafb' : '#ffffff';
      ctx.fillRect(0, laneTop, this.width, laneH);
      ctx.fillStyle = LANE_COLORS[lane.key] ?? '#374151';
      const count = lane.rows.reduce((n, r) => n + r.length, 0);
      ctx.fillText(truncate(`${lane.label} (${count})`, Math.floor((gutter - 8) / charW)), 4, Math.max(laneTop, 0) + lanePad + rowH / 2);
      this.collectLane(lane, laneTop, H, batches, vague, labels, clipped, { charW, tailW });
    });
    // The lane boundaries.
    ctx.strokeStyle = '#e5e7eb';
    ctx.beginPath();
    for (const lane of this.layout.lanes) {
      const y = Math.round(this.laneTops.get(lane.key)! - top) + 0.5;
      ctx.moveTo(0, y);
      ctx.lineTo(this.width, y);
    }
    ctx.stroke();

    ctx.save();
    ctx.beginPath();
    ctx.rect(gutter, 0, this.plotW, H);
    ctx.clip();
    for (const b of batches.values()) {
      ctx.globalAlpha = b.alpha;
      ctx.fillStyle = b.color;
      ctx.fill(b.path);
    }
    ctx.globalAlpha = 1;
    for (const v of vague) this.drawVague(ctx, v.item, v.x1, v.x2, v.cy, v.h, v.color, v.alpha, tailW);
    ctx.strokeStyle = '#ffffff';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    for (const c of clipped) {
      const k = rowH * 0.22;
      ctx.moveTo(c.x - c.dir * k, c.cy - k);
      ctx.lineTo(c.x - c.dir * k * 0.1, c.cy);
      ctx.lineTo(c.x - c.dir * k, c.cy + k);
    }
    ctx.stroke();
    ctx.font = `${font}px system-ui, sans-serif`;
    ctx.fillStyle = '#1f2937';
    for (const l of labels) ctx.fillText(truncate(l.text, Math.floor(l.max / charW)), l.x, l.y);
    for (const [item, color, width] of [
      [this.hover, '#6b7280', 1.5],
      [this.active, '#111827', 2.5],
    ] as const) {
      if (!item?.shape) continue;
      const g = this.geometry(item);
      if (!g.visible) continue;
      ctx.strokeStyle = color;
      ctx.lineWidth = width;
      ctx.setLineDash([]);
      const pad = 3;
      ctx.strokeRect(g.x1 - pad, g.y - pad, g.x2 - g.x1 + pad * 2, g.h + pad * 2);
    }
    ctx.restore();
  }

  /** The marks of one lane's visible rows: simple ones into batches, vague ones listed, labels where there is room. */
  private collectLane(
    lane: Lane,
    laneTop: number,
    H: number,
    batches: Map<string, { color: string; alpha: number; path: Path2D }>,
    vague: { item: Item; x1: number; x2: number; cy: number; h: number; color: string; alpha: number }[],
    labels: { text: string; x: number; y: number; max: number }[],
    clipped: { x: number; cy: number; dir: number }[],
    o: { charW: number; tailW: number },
  ): void {
    const { rowH, lanePad, gutter } = this.m;
    const color = LANE_COLORS[lane.key] ?? '#374151';
    const first = Math.max(0, Math.floor((0 - laneTop - lanePad) / rowH));
    const last = Math.min(lane.rows.length - 1, Math.floor((H - laneTop - lanePad) / rowH));
    for (let r = first; r <= last; r += 1) {
      const row = lane.rows[r];
      const cy = laneTop + lanePad + r * rowH + rowH / 2;
      // Marks of a row do not overlap and are in time order: skip those ending before the view.
      // (A little before: a point's circle and a mark's fading edge reach past its days.)
      const skipBefore = this.t0 - (this.t1 - this.t0) * 0.02;
      let i = lowerBound(row, (it) => it.shape!.to > skipBefore);
      for (; i < row.length; i += 1) {
        const item = row[i];
        const s = item.shape!;
        let x1 = this.x(s.from);
        let x2 = this.x(s.to);
        if (x1 > this.width + o.tailW) break;
        const h = Math.max(3, rowH * thickness(item.sourceCount));
        const alpha = CONFIDENCE_ALPHA[item.confidence] ?? 0.6;
        if (s.kind === 'point') {
          // A day is a point at any zoom: a circle at the middle of its day.
          const c = (x1 + x2) / 2;
          x1 = c - (h / 2 + 1);
          x2 = c + (h / 2 + 1);
        } else if (x2 - x1 < 2) x2 = x1 + 2;
        const simple = s.startEdge === 'firm' && s.endEdge === 'firm' && !s.dashed;
        if (simple) {
          const key = `${color}|${alpha}`;
          let b = batches.get(key);
          if (!b) batches.set(key, (b = { color, alpha, path: new Path2D() }));
          if (s.kind === 'point') {
            const rad = (x2 - x1) / 2;
            b.path.moveTo(x1 + 2 * rad, cy);
            b.path.arc(x1 + rad, cy, rad, 0, Math.PI * 2);
          } else {
            b.path.rect(Math.max(x1, gutter - 4), cy - h / 2, Math.min(x2, this.width + 4) - Math.max(x1, gutter - 4), h);
          }
        } else vague.push({ item, x1, x2, cy, h, color, alpha });
        // A bar cut by the edge of the view goes on past it: a chevron says so.
        if (s.kind === 'bar' && x1 < gutter) clipped.push({ x: gutter + 1, cy, dir: -1 });
        if (s.kind === 'bar' && x2 > this.width) clipped.push({ x: this.width - 1, cy, dir: 1 });
        // A label where the row has room before its next mark.
        const next = row[i + 1];
        const labelX = Math.max(x2, gutter) + this.afterMark(s, x1, x2, o.tailW) + 4 + (s.marker ? o.charW * (s.marker.length + 1) : 0);
        // The next mark may reach left of its first day: a point's circle or halo, a faded or trailing start.
        const ns = next?.shape;
        const nextLeft = ns
          ? this.x(ns.from) -
            (ns.kind === 'point' || ns.startEdge !== 'firm' ? Math.max(rowH, o.tailW * (ns.startEdge === 'open' || ns.startEdge === 'unknown' ? 1.5 : 0)) : 0)
          : this.width;
        const room = nextLeft - labelX - 6;
        if (room > o.charW * 6 && labelX < this.width) {
          const sources = item.sourceCount === null ? '' : ` · ${item.sourceCount} src`;
          labels.push({ text: `${item.title}${sources}`, x: labelX, y: cy, max: room });
        }
      }
    }
  }

  /** How far a faded edge reaches past its bound (px). */
  private fadeWidth(x1: number, x2: number): number {
    return Math.min(this.m.unit * 1.2, Math.max(3, (x2 - x1) / 3));
  }

  /** How far past x2 the mark reaches: a faded end, or a tail (with its "?" or arrow). */
  private afterMark(s: Shape, x1: number, x2: number, tailW: number): number {
    if (s.endEdge === 'open' || s.endEdge === 'unknown') return tailW + this.m.unit * 0.8;
    return s.endEdge === 'fade' ? (s.kind === 'point' ? (x2 - x1) * 0.6 : this.fadeWidth(x1, x2)) : 0;
  }

  /** A mark with a vague end or date (see shape.ts): fading edges, tails, dashes, markers. */
  private drawVague(
    ctx: CanvasRenderingContext2D,
    item: Item,
    x1: number,
    x2: number,
    cy: number,
    h: number,
    color: string,
    alpha: number,
    tailW: number,
  ): void {
    const s = item.shape!;
    const fade = this.fadeWidth(x1, x2);
    ctx.globalAlpha = s.dashed ? alpha * 0.55 : alpha;
    if (s.kind === 'point') {
      const c = (x1 + x2) / 2;
      const rad = (x2 - x1) / 2;
      if (s.startEdge === 'fade' || s.endEdge === 'fade') {
        const g = ctx.createRadialGradient(c, cy, rad * 0.6, c, cy, rad * 2.2);
        g.addColorStop(0, color);
        g.addColorStop(1, transparent(color));
        ctx.fillStyle = g;
        ctx.beginPath();
        ctx.arc(c, cy, rad * 2.2, 0, Math.PI * 2);
        ctx.fill();
      } else {
        ctx.fillStyle = color;
        ctx.beginPath();
        ctx.arc(c, cy, rad, 0, Math.PI * 2);
        ctx.fill();
      }
      if (s.dashed) {
        ctx.globalAlpha = 1;
        ctx.strokeStyle = color;
        ctx.lineWidth = 1.5;
        ctx.setLineDash([3, 2]);
        ctx.beginPath();
        ctx.arc(c, cy, rad + 1, 0, Math.PI * 2);
        ctx.stroke();
        ctx.setLineDash([]);
      }
    } else {
      const a = s.startEdge === 'fade' ? x1 - fade : x1;
      const b = s.endEdge === 'fade' ? x2 + fade : x2;
      if (s.startEdge === 'fade' || s.endEdge === 'fade') {
        const g = ctx.createLinearGradient(a, 0, b, 0);
        const w = b - a;
        g.addColorStop(0, s.startEdge === 'fade' ? transparent(color) : color);
        g.addColorStop(Math.min(0.49, (s.startEdge === 'fade' ? 2 * fade : 0) / w), color);
        g.addColorStop(Math.max(0.51, 1 - (s.endEdge === 'fade' ? 2 * fade : 0) / w), color);
        g.addColorStop(1, s.endEdge === 'fade' ? transparent(color) : color);
        ctx.fillStyle = g;
      } else ctx.fillStyle = color;
      ctx.fillRect(a, cy - h / 2, b - a, h);
      if (s.dashed) {
        ctx.globalAlpha = 1;
        ctx.strokeStyle = color;
        ctx.lineWidth = 1.5;
        ctx.setLineDash([4, 3]);
        ctx.strokeRect(a + 0.75, cy - h / 2 + 0.75, b - a - 1.5, h - 1.5);
        ctx.setLineDash([]);
      }
      // Open ends trail off; unknown ends are a dashed line to a "?".
      for (const [edge, from, dir] of [
        [s.startEdge, x1, -1],
        [s.endEdge, x2, 1],
      ] as const) {
        if (edge === 'open') {
          const g = ctx.createLinearGradient(from, 0, from + dir * tailW, 0);
          g.addColorStop(0, color);
          g.addColorStop(1, transparent(color));
          ctx.globalAlpha = alpha;
          ctx.fillStyle = g;
          ctx.fillRect(Math.min(from, from + dir * tailW), cy - h / 4, tailW, h / 2);
          ctx.strokeStyle = color;
          ctx.lineWidth = 1.5;
          ctx.beginPath();
          const tip = from + dir * tailW;
          ctx.moveTo(tip - dir * 5, cy - 4);
          ctx.lineTo(tip, cy);
          ctx.lineTo(tip - dir * 5, cy + 4);
          ctx.stroke();
        } else if (edge === 'unknown') {
          ctx.globalAlpha = 1;
          ctx.strokeStyle = color;
          ctx.lineWidth = 1.5;
          ctx.setLineDash([3, 3]);
          ctx.beginPath();
          ctx.moveTo(from, cy);
          ctx.lineTo(from + dir * tailW, cy);
          ctx.stroke();
          ctx.setLineDash([]);
          ctx.fillStyle = color;
          ctx.textAlign = dir > 0 ? 'start' : 'end';
          ctx.fillText('?', from + dir * (tailW + 2), cy);
          ctx.textAlign = 'start';
        }
      }
    }
    if (s.marker) {
      ctx.globalAlpha = 1;
      ctx.fillStyle = '#111827';
      ctx.font = `700 ${this.m.unit * 0.85}px system-ui, sans-serif`;
      ctx.fillText(s.marker, x2 + this.afterMark(s, x1, x2, tailW) + 3, cy);
    }
    ctx.globalAlpha = 1;
  }

  // ---- geometry and hit-testing (also the test API)

  /** Where an item's mark is drawn now, in CSS px of the lanes canvas. */
  geometry(item: Item): Geometry {
    const s = item.shape;
    if (!s) return { x1: NaN, x2: NaN, cx: NaN, cy: NaN, y: NaN, h: 0, visible: false };
    const { rowH, lanePad } = this.m;
    const cy = (this.laneTops.get(item.lane) ?? 0) - this.scroller.scrollTop + lanePad + item.row * rowH + rowH / 2;
    const h = Math.max(3, rowH * thickness(item.sourceCount));
    let x1 = this.x(s.from);
    let x2 = this.x(s.to);
    if (s.kind === 'point') {
      const c = (x1 + x2) / 2;
      x1 = c - (h / 2 + 1);
      x2 = c + (h / 2 + 1);
    } else if (x2 - x1 < 2) x2 = x1 + 2;
    const visible = x2 > this.m.gutter && x1 < this.width && cy + h / 2 > 0 && cy - h / 2 < this.lanesH;
    return { x1, x2, cx: (Math.max(x1, this.m.gutter) + Math.min(x2, this.width)) / 2, cy, y: cy - h / 2, h, visible };
  }

  /** The item drawn at (x, y), CSS px of the lanes canvas; null: none. */
  hitTest(x: number, y: number): Item | null {
    if (x < this.m.gutter) return null;
    const { rowH, lanePad } = this.m;
    const yy = y + this.scroller.scrollTop;
    const lane = this.layout.lanes.find((l) => {
      const t = this.laneTops.get(l.key)!;
      return yy >= t && yy < t + this.laneHeights.get(l.key)!;
    });
    if (!lane) return null;
    const r = Math.floor((yy - this.laneTops.get(lane.key)! - lanePad) / rowH);
    const row = lane.rows[r];
    if (!row) return null;
    const slop = 3;
    let best: Item | null = null;
    let bestD = Infinity;
    for (const item of row) {
      const g = this.geometry(item);
      if (x < g.x1 - slop || x > g.x2 + slop) continue;
      const d = Math.abs(x - (g.x1 + g.x2) / 2);
      if (d < bestD) {
        best = item;
        bestD = d;
      }
    }
    return best;
  }

  /** Pans and scrolls so that the item's mark is in view (unless it already is). */
  ensureVisible(item: Item): void {
    const s = item.shape;
    if (!s) return;
    const span = this.t1 - this.t0;
    if (s.to - s.from > span * 0.9) {
      if (s.to < this.t0 || s.from > this.t1) this.fit(s.from, s.to);
    } else if (s.from < this.t0 || s.to > this.t1) {
      const mid = (s.from + s.to) / 2;
      this.setDomain(mid - span / 2, mid + span / 2);
    }
    const g = this.geometry(item);
    if (g.y < 0) this.scroller.scrollTop += g.y - this.m.rowH;
    else if (g.y + g.h > this.lanesH) this.scroller.scrollTop += g.y + g.h - this.lanesH + this.m.rowH;
    this.schedule();
  }

  /** Makes an item the active one (outlined; the one Enter opens). */
  setActive(item: Item | null, how: 'keyboard' | 'pointer' = 'keyboard'): void {
    this.active = item;
    if (item) this.ensureVisible(item);
    this.schedule();
    this.cb.onActive(item, how);
  }

  // ---- input

  private bindPointer(): void {
    const local = (ev: MouseEvent) => {
      const r = this.lanes.getBoundingClientRect();
      return { x: ev.clientX - r.left, y: ev.clientY - r.top };
    };
    const wheel = (ev: WheelEvent, zoomAlways: boolean) => {
      const horizontal = Math.abs(ev.deltaX) > Math.abs(ev.deltaY);
      if (ev.ctrlKey || (zoomAlways && !horizontal && !ev.shiftKey)) {
        ev.preventDefault();
        const { x } = local(ev);
        this.zoom(Math.exp(-ev.deltaY * (ev.deltaMode === 1 ? 0.05 : 0.0015)), this.t(Math.max(x, this.m.gutter)));
      } else if (ev.shiftKey || horizontal) {
        ev.preventDefault();
        const d = horizontal ? ev.deltaX : ev.deltaY;
        this.pan((d * (ev.deltaMode === 1 ? 16 : 1)) / this.plotW);
      }
    };
    this.head.addEventListener('wheel', (ev) => wheel(ev, true), { passive: false });
    this.lanes.addEventListener('wheel', (ev) => wheel(ev, false), { passive: false });

    const down = (ev: PointerEvent) => {
      if (ev.button !== 0) return;
      this.drag = { x: ev.clientX, t0: this.t0, t1: this.t1, moved: false, id: ev.pointerId };
    };
    const move = (ev: PointerEvent, canvas: HTMLCanvasElement) => {
      if (this.drag && this.drag.id === ev.pointerId && ev.buttons & 1) {
        const dx = ev.clientX - this.drag.x;
        if (!this.drag.moved && Math.abs(dx) < 4) return;
        if (!this.drag.moved) canvas.setPointerCapture(ev.pointerId);
        this.drag.moved = true;
        const dt = (dx / this.plotW) * (this.drag.t1 - this.drag.t0);
        this.setDomain(this.drag.t0 - dt, this.drag.t1 - dt);
        return;
      }
      if (canvas !== this.lanes) return;
      const { x, y } = local(ev);
      const hit = this.hitTest(x, y);
      if (hit !== this.hover) {
        this.hover = hit;
        this.lanes.style.cursor = hit ? 'pointer' : 'grab';
        this.schedule();
        this.cb.onActive(hit ?? this.active, 'pointer');
      }
    };
    const up = (ev: PointerEvent, canvas: HTMLCanvasElement) => {
      const drag = this.drag;
      this.drag = null;
      if (!drag || drag.id !== ev.pointerId) return;
      if (drag.moved) {
        canvas.releasePointerCapture(ev.pointerId);
        return;
      }
      if (canvas !== this.lanes) return;
      const { x, y } = local(ev);
      const hit = this.hitTest(x, y);
      if (hit) {
        this.active = hit;
        this.schedule();
        this.cb.onActive(hit, 'pointer');
        this.cb.onOpen(hit);
      }
    };
    for (const canvas of [this.head, this.lanes]) {
      canvas.addEventListener('pointerdown', down);
      canvas.addEventListener('pointermove', (ev) => move(ev, canvas));
      canvas.addEventListener('pointerup', (ev) => up(ev, canvas));
      canvas.addEventListener('pointercancel', () => (this.drag = null));
      canvas.addEventListener('dblclick', (ev) => this.zoom(2, this.t(Math.max(local(ev).x, this.m.gutter))));
    }
    this.lanes.addEventListener('pointerleave', () => {
      if (!this.hover) return;
      this.hover = null;
      this.schedule();
      this.cb.onActive(this.active, 'pointer');
    });
  }

  /** The lanes' keyboard: ←/→ previous/next item, Home/End, Enter/Space open, +/−/0 zoom, Shift+←/→ pan. */
  private bindKeys(): void {
    this.scroller.addEventListener('keydown', (ev) => {
      if (ev.altKey || ev.metaKey || ev.ctrlKey) return;
      const items = this.layout.items;
      const at = this.active ? items.indexOf(this.active) : -1;
      const go = (i: number) => items.length && this.setActive(items[Math.max(0, Math.min(items.length - 1, i))]);
      switch (ev.key) {
        case 'ArrowRight':
          if (ev.shiftKey) this.pan(0.2);
          else go(at < 0 ? this.firstVisibleIndex() : at + 1);
          break;
        case 'ArrowLeft':
          if (ev.shiftKey) this.pan(-0.2);
          else go(at < 0 ? this.firstVisibleIndex() : at - 1);
          break;
        case 'Home':
          go(0);
          break;
        case 'End':
          go(items.length - 1);
          break;
        case '+':
        case '=':
          this.zoom(1.6);
          break;
        case '-':
        case '_':
          this.zoom(1 / 1.6);
          break;
        case 'Enter':
        case ' ':
          if (!this.active) {
            if (ev.key === ' ') return;
            go(this.firstVisibleIndex());
          } else this.cb.onOpen(this.active);
          break;
        default:
          return;
      }
      ev.preventDefault();
    });
    this.scroller.addEventListener('focus', () => this.schedule());
    this.scroller.addEventListener('blur', () => this.schedule());
  }

  /** The first item (in feed order) whose mark is in the visible stretch. */
  private firstVisibleIndex(): number {
    const i = this.layout.items.findIndex((it) => it.shape!.to > this.t0 && it.shape!.from < this.t1);
    return Math.max(0, i);
  }
}

function lowerBound<T>(arr: readonly T[], pred: (x: T) => boolean): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pred(arr[mid])) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function truncate(text: string, chars: number): string {
  if (chars <= 1) return '';
  return text.length <= chars ? text : `${text.slice(0, chars - 1)}…`;
}

/** A #rrggbb colour with zero opacity (for gradients fading to nothing). */
function transparent(hex: string): string {
  return `${hex}00`;
}
