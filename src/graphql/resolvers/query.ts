import { isId } from '../../domain/ids';
import type { QueryResolvers } from '../../generated/graphql';
import { claimsConnection } from '../../services/claims';
import { actorsConnection, eventsConnection, shipmentsConnection } from '../../services/connections';
import { checkAsOf } from '../../services/history';
import { actorsSelectAliases, eventsSelectRelated, shipmentsSelectActors } from '../selection';

// A malformed id cannot name a record: the answer is "no such record", like an unknown one.
const load = <T>(id: string, loader: { load(id: string): Promise<T | null> }) => (isId(id) ? loader.load(id.toLowerCase()) : null);

export const Query: QueryResolvers = {
  actor: async (_, { id, asOf }, { db, loaders }) => {
    const actor = await load(id, loaders.instant(await checkAsOf(db, asOf)).actor);
    return actor && !actor.deletedAt ? actor : null;
  },
  actors: async (_, { search, kinds, first, after }, { db, loaders }, info) => {
    const aliases = actorsSelectAliases(info);
    const page = await actorsConnection(db, { search, kinds }, { first, after }, { aliases });
    // Read with the page: Actor.aliases finds them in its loader instead of a second statement.
    if (aliases) for (const { node } of page.edges) loaders.aliases.prime(node.id, node.aliases ?? []);
    return page;
  },
  event: async (_, { id, asOf }, { db, loaders }) => load(id, loaders.instant(await checkAsOf(db, asOf)).event),
  events: async (_, { filter, first, after, asOf }, { db, loaders }, info) => {
    const page = await eventsConnection(db, { ...filter, asOf: await checkAsOf(db, asOf) }, { first, after }, eventsSelectRelated(info));
    // Read with the page: the nested fields find them in their loaders instead of four more statements.
    for (const { node } of page.edges) {
      if (node.participants) loaders.participants.prime(node.id, node.participants);
      if (node.citations) loaders.eventCitations.prime(node.id, node.citations);
      for (const actor of node.actors ?? []) loaders.actor.prime(actor.id, actor);
      for (const source of node.sources ?? []) loaders.source.prime(source.id, source);
    }
    return page;
  },
  shipment: async (_, { id, asOf }, { db, loaders }) => load(id, loaders.instant(await checkAsOf(db, asOf)).shipment),
  shipments: async (_, { filter, first, after, asOf }, { db, loaders }, info) => {
    const page = await shipmentsConnection(db, { ...filter, asOf: await checkAsOf(db, asOf) }, { first, after }, { actors: shipmentsSelectActors(info) });
    for (const { node } of page.edges) for (const actor of node.actors ?? []) loaders.actor.prime(actor.id, actor);
    return page;
  },
  source: async (_, { id }, { loaders }) => {
    const source = await load(id, loaders.source);
    return source && !source.deletedAt ? source : null;
  },
  claims: async (_, { subjectId, field, first, after, asOf }, { db }) =>
    claimsConnection(db, { subjectId, field, asOf: await checkAsOf(db, asOf) }, { first, after }),
  sources: (_, __, { db }) => db.source.findMany({ where: { deletedAt: null }, orderBy: [{ publisher: 'asc' }, { id: 'asc' }] }),
};
