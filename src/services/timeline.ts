// Timelines: one chronological feed of an actor's, a pair's or a group's events,
// shipments and affiliations, as a Relay connection (forward and backward), and
// the same feed counted per calendar month.
import { affiliationSpan, deliverySpan, eventSpan } from '../domain/spans';
import { checkMinSources } from '../domain/validation';
import {
  countTimeline,
  countTimelineMonths,
  listTimeline,
  type TimelinePageQuery,
  type TimelineFilter,
  type TimelineNode,
  type TimelineRow,
} from '../db/queries/timeline';
import type { DateSpan } from '../domain/dateSpan';
import { ValidationError } from '../domain/errors';
import { checkIds } from '../domain/ids';
import {
  encodeTimelineCursor,
  fillMonths,
  TIMELINE_KINDS,
  timelinePage,
  type MonthBucket,
  type TimelineKind,
  type TimelineMatch,
  type TimelinePageArgs,
  type TimelineWindow,
} from '../domain/timeline';
import type { Db } from '../db/client';
import type { Affiliation, Event, Shipment } from '../generated/prisma/client';
import { tagRead } from './history';
import { checkReportedBy } from './reported';

/** At most this many actors per timeline (each becomes a condition of the query under ALL). */
export const MAX_TIMELINE_ACTORS = 100;

export interface TimelineArgs {
  actorIds: readonly string[];
  match?: TimelineMatch | null;
  from?: string | null;
  to?: string | null;
  window?: TimelineWindow | null;
  include?: readonly TimelineKind[] | null;
  types?: readonly string[] | null;
  minConfidence?: string | null;
  /** Checked instant (services/history.ts checkAsOf) to read the feed as of. */
  asOf?: string | null;
  minSources?: number | null;
  /** Only the items reported by this day (YYYY-MM-DD), with the values claimed by then (db/queries/reported.ts). */
  reportedBy?: string | null;
}

export interface TimelineEdgeResult {
  cursor: string;
  node: TimelineNode;
  kind: TimelineKind;
  /** null: an undated affiliation. */
  at: DateSpan | null;
}

export interface TimelineConnectionResult {
  edges: TimelineEdgeResult[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  /** Counted only when a client asks for it. */
  totalCount: () => Promise<number>;
}

async function timelineFilter(db: Db, args: TimelineArgs): Promise<TimelineFilter> {
  if (args.actorIds.length === 0) throw new ValidationError('actorIds', 'Give at least one actor id');
  if (args.actorIds.length > MAX_TIMELINE_ACTORS) {
    throw new ValidationError('actorIds', `At most ${MAX_TIMELINE_ACTORS} actor ids (got ${args.actorIds.length})`);
  }
  const actorIds = checkIds(args.actorIds, 'actorIds') ?? [];
  if (args.from && args.to && args.from > args.to) {
    throw new ValidationError('to', `to (${args.to}) is before from (${args.from})`);
  }
  const include = args.include?.length ? new Set(args.include) : undefined;
  return {
    actorIds,
    match: args.match ?? 'ANY',
    from: args.from ?? null,
    to: args.to ?? null,
    window: args.window ?? 'OVERLAPS',
    kinds: TIMELINE_KINDS.filter((k) => !include || include.has(k)),
    types: args.types?.length ? [...args.types] : null,
    minConfidence: args.minConfidence ?? null,
    asOf: args.asOf ?? null,
    minSources: checkMinSources(args.minSources, 'minSources'),
    reportedBy: await checkReportedBy(db, args.reportedBy, args.asOf),
  };
}

function rejectUnknownActors(f: TimelineFilter, unknown: number[]): void {
  if (!unknown.length) return;
  const i = unknown[0];
  const more = unknown.length > 1 ? ` (and ${unknown.length - 1} more unknown actor id${unknown.length > 2 ? 's' : ''})` : '';
  throw new ValidationError(`actorIds[${i}]`, `No actor with id "${f.actorIds[i]}"${more}`);
}

function spanOf(row: TimelineRow): DateSpan | null {
  switch (row.kind) {
    case 'EVENT':
      return eventSpan(row.node as Event);
    case 'SHIPMENT':
      return deliverySpan(row.node as Shipment);
    case 'AFFILIATION':
      return affiliationSpan(row.node as Affiliation);
  }
}

/**
 * One page of the timeline: one SQL statement (plus one count, if totalCount is asked for), which
 * also reads the actors `selection.actors` names, each on its node (models.ts).
 */
export async function timelineConnection(
  db: Db,
  args: TimelineArgs,
  pageArgs: TimelinePageArgs,
  /** Only these node fields, these actors and their columns (GraphQL: what the request selects); whole nodes, no actors when absent. */
  selection: Pick<TimelinePageQuery, 'fields' | 'actors' | 'actorColumns'> = {},
): Promise<TimelineConnectionResult> {
  const f = await timelineFilter(db, args);
  const page = timelinePage(pageArgs);
  const { unknownActors, rows } = await listTimeline(db, f, {
    direction: page.direction,
    limit: page.size + 1,
    after: page.after,
    before: page.before,
    ...selection,
  });
  rejectUnknownActors(f, unknownActors);

  // The query read one row more than asked: its presence says there is more in the reading direction.
  const more = rows.length > page.size;
  const kept = page.direction === 'forward' ? rows.slice(0, page.size) : rows.slice(rows.length - Math.min(rows.length, page.size));
  const edges = kept.map((row) => ({
    cursor: encodeTimelineCursor(row.key),
    node: tagRead([row.node], f.asOf, f.reportedBy)[0],
    kind: row.kind,
    at: spanOf(row),
  }));
  let count: Promise<number> | undefined;
  return {
    edges,
    pageInfo: {
      hasNextPage: page.direction === 'forward' ? more : !!page.before,
      hasPreviousPage: page.direction === 'backward' ? more : !!page.after,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount: () => (count ??= countTimeline(db, f)),
  };
}

/** The timeline counted per calendar month, oldest first, months without items between included. */
export async function timelineMonths(db: Db, args: TimelineArgs): Promise<MonthBucket[]> {
  const f = await timelineFilter(db, args);
  const { unknownActors, months } = await countTimelineMonths(db, f);
  rejectUnknownActors(f, unknownActors);
  return fillMonths(months);
}
