// shipmentReport and eventStats: the reports are computed by src/services/reports.ts; the
// actors of their buckets and totals come through the request's actor DataLoader (one query
// for all of them, whatever the number of buckets).
import type { QueryResolvers, Resolvers } from '../../generated/graphql';
import { eventStats, shipmentReport } from '../../services/reports';
import type { Loaders } from '../loaders';

const actor = (id: string | null, loaders: Loaders) => (id ? loaders.actor.load(id) : null);

export const reportQuery: Pick<QueryResolvers, 'shipmentReport' | 'eventStats'> = {
  shipmentReport: (_, args, { db }) => shipmentReport(db, args),
  eventStats: (_, args, { db }) => eventStats(db, args),
};

export const reportTypes: Resolvers = {
  ShipmentBucket: {
    supplier: (b, _, { loaders }) => actor(b.supplierId, loaders),
    recipient: (b, _, { loaders }) => actor(b.recipientId, loaders),
  },
  ShipmentTotal: {
    supplier: (t, _, { loaders }) => actor(t.supplierId, loaders),
    recipient: (t, _, { loaders }) => actor(t.recipientId, loaders),
  },
  EventBucket: {
    actor: (b, _, { loaders }) => actor(b.actorId, loaders),
  },
};
