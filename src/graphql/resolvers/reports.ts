// shipmentReport and eventStats: the reports are computed by src/services/reports.ts; the
// actors of their buckets and totals come through the request's actor DataLoader (one query
// for all of them, whatever the number of buckets).
import type { QueryResolvers } from '../../generated/graphql';
import type { Actor } from '../../generated/prisma/client';
import { checkAsOf } from '../../services/history';
import { eventStats, shipmentReport, type EventBucketRow, type ShipmentGroup } from '../../services/reports';
import type { Loaders } from '../loaders';

/**
 * The actors `ids` names in `rows`, loaded once. A 10-year monthly report has thousands of
 * buckets naming the same few actors: a DataLoader call per bucket and actor field made each of
 * them a promise for graphql-js to await (two per bucket), most of the server's time on such a
 * report. The reports set the loaded actors on their rows instead (see below).
 */
async function loadActors<T extends object>(rows: readonly T[], ids: (row: T) => (string | null)[], loaders: Loaders): Promise<Map<string, Actor | null>> {
  const actors = new Map<string, Actor | null>();
  if (!rows.length) return actors;
  for (const row of rows) for (const id of ids(row)) if (id !== null) actors.set(id, null);
  // Not grouped by an actor: every actor field is null, nothing to load.
  if (!actors.size) return actors;
  // A report read as of an instant names its actors as they were then (every row carries the same instant).
  const wanted = [...actors.keys()];
  const loaded = await loaders.at(rows[0]).actor.loadMany(wanted);
  wanted.forEach((id, i) => {
    const a = loaded[i];
    if (a instanceof Error) throw a;
    actors.set(id, a);
  });
  return actors;
}

const actorOf = (actors: Map<string, Actor | null>, id: string | null) => (id === null ? null : (actors.get(id) ?? null));

// The actor fields of ShipmentBucket, ShipmentTotal, ShipmentSeries and EventBucket have no resolvers: the
// reports set them on their rows, so that executing a report of 7,200 buckets reads 14,400
// properties rather than calling as many resolvers.
export const reportQuery: Pick<QueryResolvers, 'shipmentReport' | 'eventStats'> = {
  shipmentReport: async (_, { asOf, ...args }, { db, loaders }) => {
    const report = await shipmentReport(db, { ...args, asOf: await checkAsOf(db, asOf) });
    // The series and buckets name the same actors as the totals; buckets, built only if read,
    // take theirs from the series (services/reports.ts shipmentBuckets).
    const actors = await loadActors(report.totals, (t) => [t.supplierId, t.recipientId], loaders);
    for (const rows of [report.totals, report.series] as ShipmentGroup[][]) {
      for (const r of rows) {
        r.supplier = actorOf(actors, r.supplierId);
        r.recipient = actorOf(actors, r.recipientId);
      }
    }
    return report;
  },
  eventStats: async (_, { asOf, ...args }, { db, loaders }) => {
    const buckets = await eventStats(db, { ...args, asOf: await checkAsOf(db, asOf) });
    // Only a report grouped by ACTOR names actors: the others' buckets (1,200 for ten years by
    // month and type) need no pass over them (~5% of the server's CPU on such a report).
    if (!args.groupBy?.includes('ACTOR')) return buckets;
    const actors = await loadActors(buckets, (b) => [b.actorId], loaders);
    for (const b of buckets as (EventBucketRow & { actor?: Actor | null })[]) b.actor = actorOf(actors, b.actorId);
    return buckets;
  },
};
