// Key management over GraphQL (ADMIN only: see ../guard.ts), on the same store as `npm run keys`.
import { isKeyUsable } from '../../auth/keys';
import { apiKeyConnection, createApiKey, revokeApiKey } from '../../auth/store';
import type { MutationResolvers, QueryResolvers, Resolvers } from '../../generated/graphql';
import { by } from './audit';

export const apiKeyQuery: QueryResolvers = {
  apiKeys: (_, { first, after, includeRevoked }, ctx) => apiKeyConnection(ctx.db, { includeRevoked }, { first, after }),
};

export const apiKeyMutation: MutationResolvers = {
  createApiKey: async (_, { input }, ctx) => {
    const { key, info } = await createApiKey(ctx.db, input, by(ctx));
    return { key, apiKey: info };
  },
  revokeApiKey: (_, { id }, ctx) => revokeApiKey(ctx.db, id, { by: by(ctx) }),
};

export const apiKeyTypes: Resolvers = {
  ApiKey: {
    active: (k) => isKeyUsable(k, new Date()),
  },
  ApiKeyConnection: {
    totalCount: (c) => c.totalCount(),
  },
};
