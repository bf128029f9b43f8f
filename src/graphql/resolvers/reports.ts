// shipmentReport and eventStats: the reports are computed by src/services/reports.ts; the
// actors of their buckets and totals come through the request's actor DataLoader (one query
// for all of them, whatever the number of buckets).
import type { QueryResolvers, Resolvers } from '../../generated/graphql';
import type { Actor } from '../../generated/prisma/client';
import { checkAsOf } from '../../services/history';
import { eventStats, shipmentReport } from '../../services/reports';
import type { Loaders } from '../loaders';

/** A bucket or total with its actors already loaded (see withActors). */
type Resolved = { actors?: Map<string, Actor | null> };

/**
 * Loads the actors `ids` names in `rows` once, and hands the map to every row. A 10-year monthly
 * report has thousands of buckets naming the same few actors: a DataLoader call per bucket and
 * actor field made each of them a promise for graphql-js to await (two per bucket), most of the
 * server's time on such a report; with the map they resolve synchronously.
 */
async function withActors<T extends object>(rows: T[], ids: (row: T) => (string | null)[], loaders: Loaders): Promise<T[]> {
  if (!rows.length) return rows;
  // A report read as of an instant names its actors as they were then (every row carries the same instant).
  const loader = loaders.at(rows[0]).actor;
  const distinct = new Set<string>();
  for (const row of rows) for (const id of ids(row)) if (id !== null) distinct.add(id);
  // Not grouped by an actor: every actor field is null, nothing to hand out.
  if (!distinct.size) return rows;
  const wanted = [...distinct];
  const loaded = await loader.loadMany(wanted);
  const actors = new Map<string, Actor | null>();
  wanted.forEach((id, i) => {
    const a = loaded[i];
    if (a instanceof Error) throw a;
    actors.set(id, a);
  });
  for (const row of rows) (row as Resolved).actors = actors;
  return rows;
}

const actor = (id: string | null, row: object) => (id ? ((row as Resolved).actors?.get(id) ?? null) : null);

export const reportQuery: Pick<QueryResolvers, 'shipmentReport' | 'eventStats'> = {
  shipmentReport: async (_, { asOf, ...args }, { db, loaders }) => {
    const report = await shipmentReport(db, { ...args, asOf: await checkAsOf(db, asOf) });
    // The buckets name the same actors as the totals.
    const groups = await withActors(report.totals, (t) => [t.supplierId, t.recipientId], loaders);
    const actors = (groups[0] as Resolved | undefined)?.actors;
    for (const b of report.buckets) (b as Resolved).actors = actors;
    return report;
  },
  eventStats: async (_, { asOf, ...args }, { db, loaders }) => {
    const buckets = await eventStats(db, { ...args, asOf: await checkAsOf(db, asOf) });
    // Only a report grouped by ACTOR names actors: the others' buckets (1,200 for ten years by
    // month and type) need no pass over them (~5% of the server's CPU on such a report).
    return args.groupBy?.includes('ACTOR') ? withActors(buckets, (b) => [b.actorId], loaders) : buckets;
  },
};

export const reportTypes: Resolvers = {
  ShipmentBucket: {
    supplier: (b) => actor(b.supplierId, b),
    recipient: (b) => actor(b.recipientId, b),
  },
  ShipmentTotal: {
    supplier: (t) => actor(t.supplierId, t),
    recipient: (t) => actor(t.recipientId, t),
  },
  EventBucket: {
    actor: (b) => actor(b.actorId, b),
  },
};
