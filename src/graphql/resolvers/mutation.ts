import type { MutationResolvers } from '../../generated/graphql';
import * as actors from '../../services/actors';
import * as affiliations from '../../services/affiliations';
import * as claims from '../../services/claims';
import * as events from '../../services/events';
import * as shipments from '../../services/shipments';
import * as sources from '../../services/sources';
import { by } from './audit';

// Each change is recorded in the audit log with the caller's key (see ../../services/audit.ts).
export const Mutation: MutationResolvers = {
  createActor: (_, { input }, ctx) => actors.createActor(ctx.db, input, by(ctx)),
  updateActor: (_, { id, input }, ctx) => actors.updateActor(ctx.db, id, input, by(ctx)),
  addActorAliases: (_, { id, aliases }, ctx) => actors.addActorAliases(ctx.db, id, aliases, by(ctx)),
  removeActorAlias: (_, { id, alias }, ctx) => actors.removeActorAlias(ctx.db, id, alias, by(ctx)),
  deleteActor: (_, { id, cascade }, ctx) => actors.deleteActor(ctx.db, id, by(ctx), { cascade }),
  mergeActors: (_, { keepId, mergeId }, ctx) => actors.mergeActors(ctx.db, keepId, mergeId, by(ctx)),

  createAffiliation: (_, { input }, ctx) => affiliations.createAffiliation(ctx.db, input, by(ctx)),
  deleteAffiliation: (_, { id, cascade }, ctx) => affiliations.deleteAffiliation(ctx.db, id, by(ctx), { cascade }),

  createEvent: (_, { input }, ctx) => events.createEvent(ctx.db, input, by(ctx)),
  updateEvent: (_, { id, input }, ctx) => events.updateEvent(ctx.db, id, input, by(ctx)),
  deleteEvent: (_, { id, cascade }, ctx) => events.deleteEvent(ctx.db, id, by(ctx), { cascade }),

  createShipment: (_, { input }, ctx) => shipments.createShipment(ctx.db, input, by(ctx)),
  updateShipment: (_, { id, input }, ctx) => shipments.updateShipment(ctx.db, id, input, by(ctx)),
  deleteShipment: (_, { id, cascade }, ctx) => shipments.deleteShipment(ctx.db, id, by(ctx), { cascade }),

  createSource: (_, { input }, ctx) => sources.createSource(ctx.db, input, by(ctx)),
  updateSource: (_, { id, input }, ctx) => sources.updateSource(ctx.db, id, input, by(ctx)),
  deleteSource: (_, { id, cascade }, ctx) => sources.deleteSource(ctx.db, id, by(ctx), { cascade }),

  createCitation: (_, { input }, ctx) => sources.createCitation(ctx.db, input, by(ctx)),
  updateCitation: (_, { id, input }, ctx) => sources.updateCitation(ctx.db, id, input, by(ctx)),
  deleteCitation: (_, { id, cascade }, ctx) => sources.deleteCitation(ctx.db, id, by(ctx), { cascade }),

  createClaim: (_, { input }, ctx) => claims.createClaim(ctx.db, input, by(ctx)),
  updateClaim: (_, { id, input }, ctx) => claims.updateClaim(ctx.db, id, input, by(ctx)),
  deleteClaim: (_, { id, cascade }, ctx) => claims.deleteClaim(ctx.db, id, by(ctx), { cascade }),
  acceptClaim: (_, { id, expectedUpdatedAt }, ctx) => claims.acceptClaim(ctx.db, id, expectedUpdatedAt, by(ctx)),
};
