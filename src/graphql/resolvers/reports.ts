// shipmentReport and eventStats: the reports are computed by src/services/reports.ts; the
// actors of their buckets and totals come through the request's actor DataLoader (one query
// for all of them, whatever the number of buckets).
import type { GraphQLResolveInfo } from 'graphql';
import { parseResolveInfo, type ResolveTree } from 'graphql-parse-resolve-info';
import type { QueryResolvers } from '../../generated/graphql';
import type { Actor } from '../../generated/prisma/client';
import { checkAsOf } from '../../services/history';
import { eventStats, shipmentReport, type EventBucketRow, type ShipmentFigureSet, type ShipmentGroup } from '../../services/reports';
import type { Loaders } from '../loaders';
import { reportSelectsActors } from '../selection';

/** What a report's row says of an actor it names: its id and its name (as of the report's instant). */
type ActorRef = [id: string | null, name: string | null];

/** The Actor fields (ROW_FIELD_COLUMNS) a report's rows answer themselves: an actor selected for no more is not loaded. */
const ON_THE_ROW = new Set(['name']);

/**
 * The actors `refs` names in `rows`, for the selection `selected` (reportSelectsActors): none
 * when none is selected; from the rows when they answer it; else loaded once. A 10-year monthly
 * report has thousands of buckets naming the same few actors: a DataLoader call per bucket and
 * actor field made each of them a promise for graphql-js to await (two per bucket), most of the
 * server's time on such a report. The reports set the actors on their rows instead (see below).
 */
async function reportActors<T extends object>(
  rows: readonly T[],
  refs: (row: T) => ActorRef[],
  selected: ReturnType<typeof reportSelectsActors>,
  loaders: Loaders,
): Promise<Map<string, Actor | null>> {
  const actors = new Map<string, Actor | null>();
  if (!selected || !rows.length) return actors;
  const names = new Map<string, string | null>();
  for (const row of rows) for (const [id, name] of refs(row)) if (id !== null) names.set(id, name);
  // Not grouped by an actor: every actor field is null, nothing to load.
  if (!names.size) return actors;
  if (selected !== 'all' && selected.every((c) => ON_THE_ROW.has(c))) {
    for (const [id, name] of names) actors.set(id, name === null ? null : ({ id, name } as Actor));
    return actors;
  }
  // A report read as of an instant names its actors as they were then (every row carries the same instant).
  const wanted = [...names.keys()];
  const loaded = await loaders.at(rows[0]).actor.loadMany(wanted);
  wanted.forEach((id, i) => {
    const a = loaded[i];
    if (a instanceof Error) throw a;
    actors.set(id, a);
  });
  return actors;
}

/** The names of the fields `trees` select on the object types `types`. */
function selectedOn(trees: readonly ResolveTree[], types: readonly string[]): Set<string> {
  return new Set(trees.flatMap((t) => types.flatMap((type) => Object.values(t.fieldsByTypeName[type] ?? {}).map((f) => f.name))));
}

const FATALITY_FIELDS = ['fatalities', 'fatalitiesLow', 'fatalitiesHigh', 'unknownFatalities', 'estimatedFatalities', 'fatalitiesExact'];

/** Whether a selection of EventBucket asks for its fatalities (the report then sums them). */
function selectsFatalities(info: GraphQLResolveInfo): boolean {
  const tree = parseResolveInfo(info) as ResolveTree | null;
  const names = selectedOn(tree ? [tree] : [], ['EventBucket']);
  return FATALITY_FIELDS.some((f) => names.has(f));
}

/** The fields of ShipmentBucket, ShipmentTotal and ShipmentSeries that need each optional figure of a shipment report. */
const FIGURE_FIELDS: Record<keyof ShipmentFigureSet, readonly string[]> = {
  bounds: ['quantityLow', 'quantityHigh', 'unknownQuantityLow', 'unknownQuantityHigh'],
  estimated: ['estimated', 'exact'],
};

/** The optional figures a shipmentReport's selection reads (of its buckets, totals and series). */
function selectsShipmentFigures(info: GraphQLResolveInfo): ShipmentFigureSet {
  const tree = parseResolveInfo(info) as ResolveTree | null;
  if (!tree) return { bounds: true, estimated: true };
  const names = selectedOn(Object.values(tree.fieldsByTypeName.ShipmentReport ?? {}), ['ShipmentBucket', 'ShipmentTotal', 'ShipmentSeries']);
  return { bounds: FIGURE_FIELDS.bounds.some((f) => names.has(f)), estimated: FIGURE_FIELDS.estimated.some((f) => names.has(f)) };
}

const actorOf = (actors: Map<string, Actor | null>, id: string | null) => (id === null ? null : (actors.get(id) ?? null));

// The actor fields of ShipmentBucket, ShipmentTotal, ShipmentSeries and EventBucket have no resolvers: the
// reports set them on their rows, so that executing a report of 7,200 buckets reads 14,400
// properties rather than calling as many resolvers.
export const reportQuery: Pick<QueryResolvers, 'shipmentReport' | 'eventStats'> = {
  shipmentReport: async (_, { asOf, ...args }, { db, loaders }, info) => {
    const report = await shipmentReport(db, { ...args, asOf: await checkAsOf(db, asOf), figures: selectsShipmentFigures(info) });
    // The series and buckets name the same actors as the totals; built only if read, they take
    // theirs from the groups (services/reports.ts).
    const actors = await reportActors(
      report.totals,
      (t) => [
        [t.supplierId, t.supplierName],
        [t.recipientId, t.recipientName],
      ],
      reportSelectsActors(info),
      loaders,
    );
    for (const rows of [report.totals, report.groups] as ShipmentGroup[][]) {
      for (const r of rows) {
        r.supplier = actorOf(actors, r.supplierId);
        r.recipient = actorOf(actors, r.recipientId);
      }
    }
    return report;
  },
  eventStats: async (_, { asOf, ...args }, { db, loaders }, info) => {
    const buckets = await eventStats(db, { ...args, asOf: await checkAsOf(db, asOf), fatalities: selectsFatalities(info) || undefined });
    // Only a report grouped by ACTOR names actors: the others' buckets (1,200 for ten years by
    // month and type) need no pass over them.
    if (!args.groupBy?.includes('ACTOR')) return buckets;
    const actors = await reportActors(buckets, (b) => [[b.actorId, b.actorName]], reportSelectsActors(info), loaders);
    for (const b of buckets as (EventBucketRow & { actor?: Actor | null })[]) b.actor = actorOf(actors, b.actorId);
    return buckets;
  },
};
