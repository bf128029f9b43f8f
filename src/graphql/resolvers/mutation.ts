import type { MutationResolvers } from '../../generated/graphql';
import * as actors from '../../services/actors';
import * as affiliations from '../../services/affiliations';
import * as events from '../../services/events';
import * as shipments from '../../services/shipments';
import * as sources from '../../services/sources';

export const Mutation: MutationResolvers = {
  createActor: (_, { input }, { db }) => actors.createActor(db, input),
  updateActor: (_, { id, input }, { db }) => actors.updateActor(db, id, input),
  addActorAliases: (_, { id, aliases }, { db }) => actors.addActorAliases(db, id, aliases),
  removeActorAlias: (_, { id, alias }, { db }) => actors.removeActorAlias(db, id, alias),
  deleteActor: (_, { id }, { db }) => actors.deleteActor(db, id),
  mergeActors: (_, { keepId, mergeId }, { db }) => actors.mergeActors(db, keepId, mergeId),

  createAffiliation: (_, { input }, { db }) => affiliations.createAffiliation(db, input),
  deleteAffiliation: (_, { id }, { db }) => affiliations.deleteAffiliation(db, id),

  createEvent: (_, { input }, { db }) => events.createEvent(db, input),
  updateEvent: (_, { id, input }, { db }) => events.updateEvent(db, id, input),
  deleteEvent: (_, { id }, { db }) => events.deleteEvent(db, id),

  createShipment: (_, { input }, { db }) => shipments.createShipment(db, input),
  updateShipment: (_, { id, input }, { db }) => shipments.updateShipment(db, id, input),
  deleteShipment: (_, { id }, { db }) => shipments.deleteShipment(db, id),

  createSource: (_, { input }, { db }) => sources.createSource(db, input),
  updateSource: (_, { id, input }, { db }) => sources.updateSource(db, id, input),
  deleteSource: (_, { id }, { db }) => sources.deleteSource(db, id),

  createCitation: (_, { input }, { db }) => sources.createCitation(db, input),
  updateCitation: (_, { id, input }, { db }) => sources.updateCitation(db, id, input),
  deleteCitation: (_, { id }, { db }) => sources.deleteCitation(db, id),
};
