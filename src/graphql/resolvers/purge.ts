// Hard purges of soft-deleted records (ADMIN only: see ../guard.ts); each returns its audit entry.
import type { MutationResolvers } from '../../generated/graphql';
import * as purge from '../../services/purge';
import { by } from './audit';

export const purgeMutation: MutationResolvers = {
  purgeActor: (_, { id }, ctx) => purge.purgeActor(ctx.db, id, by(ctx)),
  purgeAffiliation: (_, { id }, ctx) => purge.purgeAffiliation(ctx.db, id, by(ctx)),
  purgeCitation: (_, { id }, ctx) => purge.purgeCitation(ctx.db, id, by(ctx)),
  purgeEvent: (_, { id }, ctx) => purge.purgeEvent(ctx.db, id, by(ctx)),
  purgeShipment: (_, { id }, ctx) => purge.purgeShipment(ctx.db, id, by(ctx)),
  purgeSource: (_, { id }, ctx) => purge.purgeSource(ctx.db, id, by(ctx)),
};
