import { isId } from '../../domain/ids';
import type { QueryResolvers } from '../../generated/graphql';
import { claimsConnection } from '../../services/claims';
import { actorsConnection, eventsConnection, shipmentsConnection } from '../../services/connections';

// A malformed id cannot name a record: the answer is "no such record", like an unknown one.
const load = <T>(id: string, loader: { load(id: string): Promise<T | null> }) => (isId(id) ? loader.load(id.toLowerCase()) : null);

export const Query: QueryResolvers = {
  actor: async (_, { id }, { loaders }) => {
    const actor = await load(id, loaders.actor);
    return actor && !actor.deletedAt ? actor : null;
  },
  actors: (_, { search, kinds, first, after }, { db }) => actorsConnection(db, { search, kinds }, { first, after }),
  event: (_, { id }, { loaders }) => load(id, loaders.event),
  events: (_, { filter, first, after }, { db }) => eventsConnection(db, filter ?? {}, { first, after }),
  shipment: (_, { id }, { loaders }) => load(id, loaders.shipment),
  shipments: (_, { filter, first, after }, { db }) => shipmentsConnection(db, filter ?? {}, { first, after }),
  source: async (_, { id }, { loaders }) => {
    const source = await load(id, loaders.source);
    return source && !source.deletedAt ? source : null;
  },
  claims: (_, { subjectId, field, first, after }, { db }) => claimsConnection(db, { subjectId, field }, { first, after }),
  sources: (_, __, { db }) => db.source.findMany({ where: { deletedAt: null }, orderBy: [{ publisher: 'asc' }, { id: 'asc' }] }),
};
