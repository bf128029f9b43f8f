// Lanes and rows of the timeline page (web/timeline/layout.ts): events by type, shipments,
// affiliations; marks of a row never overlap; pages appended never move what was placed.
import { Layout, type FeedEdge } from '../../web/timeline/layout';
import type { SpanInput } from '../../web/timeline/shape';

const day = (d: string): SpanInput => ({ start: d, end: d, precision: 'DAY' });
const range = (start: string, end: string): SpanInput => ({ start, end, precision: 'RANGE' });

function event(id: string, at: SpanInput, type = 'MEETING'): FeedEdge {
  return { kind: 'EVENT', at, node: { id, type, title: `event ${id}`, confidence: 'REPORTED', sourceCount: 1 } };
}
function shipment(id: string, at: SpanInput): FeedEdge {
  return {
    kind: 'SHIPMENT',
    at,
    node: {
      id,
      category: 'MILITARY_EQUIPMENT',
      quantity: 1000,
      unit: 'containers',
      status: 'REPORTED',
      confidence: 'REPORTED',
      sourceCount: 2,
      supplier: { id: 's', name: 'North Korea' },
      recipient: { id: 'r', name: 'Russia' },
    },
  };
}
function affiliation(id: string, at: SpanInput | null): FeedEdge {
  return {
    kind: 'AFFILIATION',
    at,
    node: {
      id,
      role: 'LEADER_OF',
      affiliationTitle: null,
      confidence: 'CONFIRMED',
      actor: { id: 'k', name: 'Kim Jong Un' },
      target: { id: 'n', name: 'North Korea' },
    },
  };
}

describe('Layout', () => {
  it('puts events in a lane per type, then shipments, then dated affiliations; undated ones apart', () => {
    const layout = new Layout();
    layout.add([
      shipment('s1', range('2023-09-07', '2023-10-01')),
      event('e1', day('2023-09-13'), 'VISIT'),
      event('e2', day('2023-09-11'), 'MEETING'),
      affiliation('f1', range('2012-11-06', '2024-05-12')),
      affiliation('f2', null),
    ]);
    expect(layout.lanes.map((l) => [l.key, l.label])).toEqual([
      ['EVENT:MEETING', 'Meeting'],
      ['EVENT:VISIT', 'Visit'],
      ['SHIPMENT', 'Shipments'],
      ['AFFILIATION', 'Affiliations'],
    ]);
    expect(layout.undated.map((i) => i.id)).toEqual(['f2']);
    expect(layout.byId.get('f2')).toMatchObject({ shape: null, row: -1, actorId: 'k' });
    expect(layout.size).toBe(5);
  });

  it('reuses a row once its last mark has ended, opens a new one for an overlap', () => {
    const layout = new Layout();
    layout.add([
      event('a', range('2023-07-01', '2023-07-31')),
      event('b', range('2023-07-15', '2023-08-15')),
      event('c', day('2023-08-01')),
      event('d', day('2023-08-01')),
      event('e', range('2023-08-16', '2023-08-20')),
    ]);
    const rows = Object.fromEntries(layout.items.map((i) => [i.id, i.row]));
    // c starts the day after a ends: a's row; d the same day as c: a new row; e after b: b's row.
    expect(rows).toEqual({ a: 0, b: 1, c: 0, d: 2, e: 0 });
  });

  it('keeps each row in time order with no overlap, and never moves an item when a page is appended', () => {
    const layout = new Layout();
    const spans: SpanInput[] = [];
    for (let i = 0; i < 300; i += 1) {
      const start = new Date(Date.UTC(2023, 0, 1 + Math.floor(i / 3)));
      const end = new Date(start.getTime() + ((i * 7) % 40) * 86_400_000);
      spans.push(range(start.toISOString().slice(0, 10), end.toISOString().slice(0, 10)));
    }
    const edges = spans.map((s, i) => event(`e${i}`, s));
    layout.add(edges.slice(0, 100));
    const before = layout.items.map((i) => [i.id, i.row]);
    layout.add(edges.slice(100));
    expect(layout.items.slice(0, 100).map((i) => [i.id, i.row])).toEqual(before);
    for (const lane of layout.lanes) {
      for (const row of lane.rows) {
        for (let k = 1; k < row.length; k += 1) expect(row[k].shape!.from).toBeGreaterThanOrEqual(row[k - 1].shape!.to);
      }
    }
    // Greedy packing in start order uses as many rows as the most marks sharing a day.
    let most = 0;
    for (let d = Date.UTC(2023, 0, 1); d < Date.UTC(2023, 6, 1); d += 86_400_000) {
      most = Math.max(most, layout.items.filter((i) => i.shape!.from <= d && i.shape!.to > d).length);
    }
    expect(layout.lanes[0].rows.length).toBe(most);
  });

  it('gives an open end its row for good: its tail has no known extent', () => {
    const layout = new Layout();
    layout.add([event('open', { ...day('2023-09-07'), precision: 'RANGE', endBound: 'OPEN', endDate: null }), event('later', day('2023-12-01'))]);
    expect(layout.items.map((i) => [i.id, i.row])).toEqual([
      ['open', 0],
      ['later', 1],
    ]);
  });

  it('ignores an item it already has (a page read twice)', () => {
    const layout = new Layout();
    layout.add([event('a', day('2023-09-13'))]);
    expect(layout.add([event('a', day('2023-09-13'))])).toEqual([]);
    expect(layout.size).toBe(1);
  });

  it('titles: a shipment by its parties and quantity, an unknown quantity said so, an affiliation by its role', () => {
    const layout = new Layout();
    layout.add([
      shipment('s1', range('2023-09-07', '2023-10-01')),
      {
        ...shipment('s2', range('2022-02-24', '2023-10-31')),
        node: { ...shipment('s2', day('2023-01-01')).node, quantity: null, unit: null, category: 'ARTILLERY_AMMUNITION' },
      },
      affiliation('f1', null),
    ]);
    expect(layout.byId.get('s1')!.title).toBe('North Korea → Russia: 1,000 containers military equipment');
    expect(layout.byId.get('s2')!.title).toBe('North Korea → Russia: artillery ammunition (quantity unknown)');
    expect(layout.byId.get('f1')!.title).toBe('Kim Jong Un leader of North Korea');
  });
});
