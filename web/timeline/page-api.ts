// What the timeline page exposes on `window.timelineView`: the items it drew and where, for
// the browser tests (test/browser/timeline.test.ts) and the benchmark (bench/timeline-page.ts).
import type { FeedEdge } from './layout';
import type { Geometry, TimelineView } from './view';

export interface DrawnItem {
  id: string;
  kind: string;
  title: string;
  /** 'point', 'bar', or 'undated' (in the band of its own). */
  shape: string;
  first: string | null;
  last: string | null;
  lane: string;
  row: number;
}

export interface TimelinePageApi {
  view: TimelineView;
  /** Every item loaded, dated ones in feed order, then the undated. */
  items(): DrawnItem[];
  /** Where an item's mark is drawn now (CSS px of the lanes canvas); null: no such item. */
  geometry(id: string): Geometry | null;
  /** The id of the item drawn at (x, y) of the lanes canvas; null: none. */
  hitTest(x: number, y: number): string | null;
  /** x of the midnight starting a YYYY-MM-DD day. */
  xOf(day: string): number;
  /** The visible stretch of the axis, as whole days. */
  visibleDays(): { from: string; to: string };
  /** Draws edges as if a page of the feed had brought them (lanes, list, band): for spans the API does not send yet. */
  addEdges(edges: FeedEdge[]): void;
}

declare global {
  interface Window {
    timelineView: TimelinePageApi;
  }
}
