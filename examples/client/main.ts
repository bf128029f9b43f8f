// An analyst app in miniature: print the North Korea–Russia timeline page by page, then the
// monthly shipment report of 2023. Copy this folder to start a TypeScript client.
//
//   npx tsx examples/client/main.ts [http://localhost:4000/graphql] [api-key]
import { createClient, type Client } from './client';
import { MonthlyShipmentReportDocument, PairTimelinePageDocument, type PairTimelinePageQuery } from './generated/graphql';

/** The seed's North Korea and Russia (seed ids are stable). */
export const NORTH_KOREA = 'cfbc03ae-9ba8-52f5-a06b-f52932e56ba4';
export const RUSSIA = 'dfad88f4-4fe1-55a7-bf1b-16bb86e7f8a4';

type TimelineEdge = PairTimelinePageQuery['timeline']['edges'][number];

/** One line per item: its span and what it is. */
export function describeEdge(edge: TimelineEdge): string {
  const when = !edge.at ? 'undated' : edge.at.start === edge.at.end ? edge.at.start : `${edge.at.start}..${edge.at.end}`;
  const node = edge.node;
  switch (node.__typename) {
    case 'Event':
      return `${when.padEnd(22)} EVENT        ${node.title} [${node.confidence}]`;
    case 'Shipment': {
      const amount = node.quantity === null ? 'unknown quantity of' : `${node.quantity} ${node.unit ?? ''}`.trim();
      return `${when.padEnd(22)} SHIPMENT     ${node.supplier.name} → ${node.recipient.name}: ${amount} ${node.category} [${node.confidence}]`;
    }
    case 'Affiliation':
      return `${when.padEnd(22)} AFFILIATION  ${node.actor.name} ${node.role} ${node.target.name} [${node.confidence}]`;
  }
}

/** Follows the cursors until the last page; yields each page's edges. */
export async function* timelinePages(client: Client, ids: string[], pageSize = 5): AsyncGenerator<TimelineEdge[]> {
  let after: string | null = null;
  for (;;) {
    const { timeline }: PairTimelinePageQuery = await client.request(PairTimelinePageDocument, { ids, first: pageSize, after });
    yield timeline.edges;
    if (!timeline.pageInfo.hasNextPage) return;
    after = timeline.pageInfo.endCursor;
  }
}

/** The report's non-empty buckets as lines: month, supplier → recipient, quantity and unit. */
export async function monthlyReportLines(client: Client, from: string, to: string): Promise<string[]> {
  const { shipmentReport } = await client.request(MonthlyShipmentReportDocument, { from, to });
  return shipmentReport.buckets
    .filter((b) => b.shipments > 0)
    .map((b) => {
      const amount = b.quantity === null ? `${b.shipments} shipment(s), quantity unknown` : `${b.quantity} ${b.unit ?? ''}`.trim();
      const unknown = b.quantity !== null && b.unknownQuantity > 0 ? ` (+${b.unknownQuantity} of unknown quantity)` : '';
      return `${b.period}  ${b.supplier?.name ?? '?'} → ${b.recipient?.name ?? '?'}: ${amount}${unknown}`;
    });
}

export async function main(url: string, apiKey?: string, print: (line: string) => void = console.log): Promise<void> {
  const client = createClient({ url, apiKey });
  print('North Korea – Russia timeline');
  let page = 0;
  for await (const edges of timelinePages(client, [NORTH_KOREA, RUSSIA])) {
    print(`-- page ${++page}`);
    edges.forEach((e) => print(describeEdge(e)));
  }
  print('');
  print('Shipments per month, 2023');
  (await monthlyReportLines(client, '2023-01-01', '2023-12-31')).forEach((line) => print(line));
}

if (require.main === module) {
  const [url = 'http://localhost:4000/graphql', apiKey] = process.argv.slice(2);
  main(url, apiKey).catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
