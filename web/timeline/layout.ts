// Where each item of the feed goes: its lane (events by type, shipments, affiliations) and
// its row inside the lane, so that no two marks of a row overlap in time. Pure (no DOM),
// unit-tested in test/web/timeline-layout.test.ts.
//
// Items arrive page by page in the API's order — span start, then span end — which is the
// order greedy interval packing needs to be optimal: each item takes the first row whose
// last mark has ended, so appending a page never moves an item already placed.
import { EVENT_TYPES, type Kind } from './params';
import { spanShape, type Shape, type SpanInput } from './shape';

export interface ActorRef {
  id: string;
  name: string;
}

/** A feed item as the TimelinePage operation returns it (its edge's kind and span, its node's fields). */
export interface FeedEdge {
  kind: Kind;
  at: SpanInput | null;
  node: {
    id: string;
    // Event
    type?: string;
    title?: string;
    // Shipment
    category?: string;
    quantity?: number | null;
    unit?: string | null;
    status?: string;
    supplier?: ActorRef;
    recipient?: ActorRef;
    // Affiliation
    role?: string;
    affiliationTitle?: string | null;
    actor?: ActorRef;
    target?: ActorRef;
    // All
    confidence: string;
    sourceCount?: number;
  };
}

export interface Item {
  id: string;
  kind: Kind;
  /** Position in the feed's order. */
  index: number;
  /** One line saying what it is. */
  title: string;
  /** The event type, the shipment category, the affiliation role. */
  type: string;
  confidence: string;
  /** Independent sources (events and shipments; the API does not count them for affiliations). */
  sourceCount: number | null;
  span: SpanInput | null;
  /** null: undated (an affiliation without a span), drawn in the band of its own. */
  shape: Shape | null;
  /** Lane key (see laneKey) and row inside the lane; -1 for undated items. */
  lane: string;
  row: number;
  /** For affiliations: the actor holding the role (their details are read through it). */
  actorId?: string;
}

export interface Lane {
  key: string;
  label: string;
  kind: Kind;
  /** The instant each row's last mark ends (ms), one entry per row. */
  rowEnds: number[];
  /** Each row's items, in time order (marks of a row never overlap). */
  rows: Item[][];
}

/** Events by type, then shipments, then dated affiliations. */
export function laneKey(kind: Kind, type: string): string {
  return kind === 'EVENT' ? `EVENT:${type}` : kind;
}

const LANE_ORDER = [...EVENT_TYPES.map((t) => `EVENT:${t}`), 'SHIPMENT', 'AFFILIATION'];

function laneLabel(key: string): string {
  if (key === 'SHIPMENT') return 'Shipments';
  if (key === 'AFFILIATION') return 'Affiliations';
  const type = key.slice('EVENT:'.length).toLowerCase().replace(/_/g, ' ');
  return `${type[0].toUpperCase()}${type.slice(1)}`;
}

const words = (s: string) => s.toLowerCase().replace(/_/g, ' ');

/** What an item is, in one line. */
export function itemTitle(edge: FeedEdge): string {
  const n = edge.node;
  switch (edge.kind) {
    case 'EVENT':
      return n.title ?? '(untitled event)';
    case 'SHIPMENT': {
      const what =
        n.quantity != null ? `${n.quantity.toLocaleString('en')} ${n.unit ?? ''} ${words(n.category ?? '')}` : `${words(n.category ?? '')} (quantity unknown)`;
      return `${n.supplier?.name ?? '?'} → ${n.recipient?.name ?? '?'}: ${what.replace(/\s+/g, ' ').trim()}`;
    }
    case 'AFFILIATION':
      return `${n.actor?.name ?? '?'} ${words(n.role ?? '')} ${n.target?.name ?? '?'}${n.affiliationTitle ? ` (${n.affiliationTitle})` : ''}`;
  }
}

/** Items placed in lanes and rows as they arrive. */
export class Layout {
  readonly items: Item[] = [];
  readonly undated: Item[] = [];
  readonly byId = new Map<string, Item>();
  private readonly lanesByKey = new Map<string, Lane>();
  /** Lanes present, in display order. */
  lanes: Lane[] = [];

  /** Adds a page of edges (in feed order) and returns the new items. */
  add(edges: readonly FeedEdge[]): Item[] {
    const added: Item[] = [];
    for (const edge of edges) {
      if (this.byId.has(edge.node.id)) continue;
      const type =
        edge.kind === 'EVENT' ? (edge.node.type ?? 'OTHER') : edge.kind === 'SHIPMENT' ? (edge.node.category ?? 'OTHER') : (edge.node.role ?? 'OTHER');
      const item: Item = {
        id: edge.node.id,
        kind: edge.kind,
        index: this.items.length + this.undated.length,
        title: itemTitle(edge),
        type,
        confidence: edge.node.confidence,
        sourceCount: edge.node.sourceCount ?? null,
        span: edge.at,
        shape: edge.at ? spanShape(edge.at) : null,
        lane: '',
        row: -1,
        actorId: edge.node.actor?.id,
      };
      this.byId.set(item.id, item);
      added.push(item);
      if (!item.shape) {
        this.undated.push(item);
        continue;
      }
      this.place(item, laneKey(edge.kind, type));
      this.items.push(item);
    }
    return added;
  }

  private place(item: Item, key: string): void {
    let lane = this.lanesByKey.get(key);
    if (!lane) {
      lane = { key, label: laneLabel(key), kind: item.kind, rowEnds: [], rows: [] };
      this.lanesByKey.set(key, lane);
      this.lanes = [...this.lanesByKey.values()].sort((a, b) => LANE_ORDER.indexOf(a.key) - LANE_ORDER.indexOf(b.key));
    }
    // An open or unknown end trails off with no known extent: that side of its row stays its own.
    const shape = item.shape!;
    const from = shape.startEdge === 'open' || shape.startEdge === 'unknown' ? -Infinity : shape.from;
    const to = shape.endEdge === 'open' || shape.endEdge === 'unknown' ? Infinity : shape.to;
    let row = lane.rowEnds.findIndex((end) => end <= from);
    if (row < 0) {
      row = lane.rowEnds.length;
      lane.rowEnds.push(to);
      lane.rows.push([item]);
    } else {
      lane.rowEnds[row] = to;
      lane.rows[row].push(item);
    }
    item.lane = key;
    item.row = row;
  }

  /** How many items are laid out (dated and undated). */
  get size(): number {
    return this.items.length + this.undated.length;
  }
}
