// Audit log reads and restores of soft-deleted records. Access: see ../guard.ts
// (auditLog needs EDITOR; restores, like every mutation, EDITOR).
import { hasRole } from '../../auth/keys';
import { requireRole } from '../../auth/access';
import type { MutationResolvers, QueryResolvers, Resolvers } from '../../generated/graphql';
import { auditLogConnection, type AuditEntity } from '../../services/audit';
import * as restore from '../../services/restore';
import type { GraphQLContext } from '../context';

/** The author of a change: the caller's key (null without one). */
export const by = (ctx: GraphQLContext) => ({ keyId: ctx.caller?.keyId ?? null });

export const auditQuery: QueryResolvers = {
  auditLog: (_, { entity, entityId, first, after }, ctx) => {
    const caller = requireRole(ctx.caller, 'EDITOR');
    // EDITORs read what they did; ADMINs read everything.
    const keyId = hasRole(caller.role, 'ADMIN') ? undefined : caller.keyId;
    return auditLogConnection(ctx.db, { entity, entityId, keyId }, { first, after });
  },
};

export const auditMutation: MutationResolvers = {
  restoreActor: (_, { id }, ctx) => restore.restoreActor(ctx.db, id, by(ctx)),
  restoreAffiliation: (_, { id }, ctx) => restore.restoreAffiliation(ctx.db, id, by(ctx)),
  restoreCitation: (_, { id }, ctx) => restore.restoreCitation(ctx.db, id, by(ctx)),
  restoreClaim: (_, { id }, ctx) => restore.restoreClaim(ctx.db, id, by(ctx)),
  restoreEvent: (_, { id }, ctx) => restore.restoreEvent(ctx.db, id, by(ctx)),
  restoreShipment: (_, { id }, ctx) => restore.restoreShipment(ctx.db, id, by(ctx)),
  restoreSource: (_, { id }, ctx) => restore.restoreSource(ctx.db, id, by(ctx)),
};

export const auditTypes: Resolvers = {
  AuditEntry: {
    id: (e) => e.id.toString(),
    entity: (e) => e.entity as AuditEntity,
    cascadeOf: (e) => e.cascadeOf?.toString() ?? null,
  },
  AuditEntryConnection: {
    totalCount: (c) => c.totalCount(),
  },
};
