// Knowledge time: the change feed (`changes`). The `asOf` arguments of the other reads are
// checked by their own resolvers (services/history.ts checkAsOf).
import { hasRole } from '../../auth/keys';
import type { QueryResolvers, Resolvers } from '../../generated/graphql';
import { changesConnection } from '../../services/history';

export const historyQuery: Pick<QueryResolvers, 'changes'> = {
  changes: (_, args, { db }) => changesConnection(db, args),
};

export const historyTypes: Resolvers = {
  Change: {
    // Like the audit log: ADMINs see every author, a key sees its own changes.
    keyId: (c, _, { caller }) => (caller && c.keyId && (hasRole(caller.role, 'ADMIN') || caller.keyId === c.keyId) ? c.keyId : null),
  },
};
