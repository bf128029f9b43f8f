import { isId } from '../../domain/ids';
import type { QueryResolvers } from '../../generated/graphql';
import { claimsConnection } from '../../services/claims';
import { actorsConnection, eventsConnection, shipmentsConnection } from '../../services/connections';
import { checkAsOf } from '../../services/history';
import { checkReportedBy } from '../../services/reported';
import { listSources } from '../../services/sources';
import { actorsSelectAliases, eventsSelection, shipmentsSelectActors } from '../selection';

// A malformed id cannot name a record: the answer is "no such record", like an unknown one.
const load = <T>(id: string, loader: { load(id: string): Promise<T | null> }) => (isId(id) ? loader.load(id.toLowerCase()) : null);

export const Query: QueryResolvers = {
  actor: async (_, { id, asOf }, { db, loaders }) => {
    const actor = await load(id, loaders.instant(await checkAsOf(db, asOf)).actor);
    return actor && !actor.deletedAt ? actor : null;
  },
  // Read with the page: Actor.aliases finds them on each actor instead of a second statement.
  actors: (_, { search, kinds, first, after }, { db }, info) =>
    actorsConnection(db, { search, kinds }, { first, after }, { aliases: actorsSelectAliases(info) }),
  event: async (_, { id, asOf }, { db, loaders }) => load(id, loaders.instant(await checkAsOf(db, asOf)).event),
  // Read with the page: the nested fields find them on each event instead of four more statements.
  events: async (_, { filter, first, after, asOf, reportedBy }, { db }, info) => {
    const at = await checkAsOf(db, asOf);
    return eventsConnection(db, { ...filter, asOf: at, reportedBy: await checkReportedBy(db, reportedBy, at) }, { first, after }, eventsSelection(info));
  },
  shipment: async (_, { id, asOf }, { db, loaders }) => load(id, loaders.instant(await checkAsOf(db, asOf)).shipment),
  shipments: async (_, { filter, first, after, asOf, reportedBy }, { db }, info) => {
    const at = await checkAsOf(db, asOf);
    const reported = await checkReportedBy(db, reportedBy, at);
    return shipmentsConnection(db, { ...filter, asOf: at, reportedBy: reported }, { first, after }, { actors: shipmentsSelectActors(info) });
  },
  source: async (_, { id }, { loaders }) => {
    const source = await load(id, loaders.source);
    return source && !source.deletedAt ? source : null;
  },
  claims: async (_, { subjectId, field, first, after, asOf }, { db }) =>
    claimsConnection(db, { subjectId, field, asOf: await checkAsOf(db, asOf) }, { first, after }),
  sources: (_, __, { db }) => listSources(db),
};
