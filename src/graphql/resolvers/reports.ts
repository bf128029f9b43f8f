// shipmentReport and eventStats: the reports are computed by src/services/reports.ts; the
// actors of their buckets and totals come through the request's actor DataLoader (one query
// for all of them, whatever the number of buckets).
import type { QueryResolvers, Resolvers } from '../../generated/graphql';
import { checkAsOf } from '../../services/history';
import { eventStats, shipmentReport } from '../../services/reports';
import type { Loaders } from '../loaders';

// A report read as of an instant names its actors as they were then.
const actor = (id: string | null, loaders: Loaders, row: object) => (id ? loaders.at(row).actor.load(id) : null);

export const reportQuery: Pick<QueryResolvers, 'shipmentReport' | 'eventStats'> = {
  shipmentReport: async (_, { asOf, ...args }, { db }) => shipmentReport(db, { ...args, asOf: await checkAsOf(db, asOf) }),
  eventStats: async (_, { asOf, ...args }, { db }) => eventStats(db, { ...args, asOf: await checkAsOf(db, asOf) }),
};

export const reportTypes: Resolvers = {
  ShipmentBucket: {
    supplier: (b, _, { loaders }) => actor(b.supplierId, loaders, b),
    recipient: (b, _, { loaders }) => actor(b.recipientId, loaders, b),
  },
  ShipmentTotal: {
    supplier: (t, _, { loaders }) => actor(t.supplierId, loaders, t),
    recipient: (t, _, { loaders }) => actor(t.recipientId, loaders, t),
  },
  EventBucket: {
    actor: (b, _, { loaders }) => actor(b.actorId, loaders, b),
  },
};
