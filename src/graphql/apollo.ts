// The Apollo Server: schema.graphql + resolvers (behind the access guard),
// query limits, error formatting, landing page.
import fs from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { InMemoryLRUCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { DocumentNode } from 'graphql';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { Logger } from 'pino';
import type { AuthMode } from '../auth/access';
import { fromRoot } from '../paths';
import { createFormatError } from './errors';
import { jitGateway } from './executor';
import { usePrimary, type GraphQLContext } from './context';
import { guardResolvers } from './guard';
import { persistedQueriesOptions, type PersistedQueriesMode } from './persisted';
import { queryLimits, type Limits } from './limits';
import { resolvers } from './resolvers';

export const SCHEMA_PATH = fromRoot('schema.graphql');

/**
 * How many parsed and validated documents the server keeps (and with each its compiled
 * operations, ./executor.ts). Apollo's default bounds them by their JSON's size only (30 MiB),
 * which counts nothing of what graphql-jit compiles for each: 30,000 distinct documents (a
 * comment apart) held the server at 470–510 MB of RSS, against ~100 MB at start (bench/README.md).
 */
export const DOCUMENT_CACHE_SIZE = 500;

export function createApolloServer(opts: {
  production: boolean;
  introspection: boolean;
  logger: Logger;
  authMode?: AuthMode;
  limits?: Limits;
  /** `sandbox`: Apollo's landing page at GET /graphql; otherwise it stays off (GraphiQL is served by src/http/playground.ts). */
  playground?: 'graphiql' | 'sandbox' | 'off';
  persistedQueries?: { mode: PersistedQueriesMode; manifestPath?: string };
  /** Where documents are kept parsed, validated and compiled; by default the last DOCUMENT_CACHE_SIZE. */
  documentStore?: KeyValueCache<DocumentNode>;
}): ApolloServer<GraphQLContext> {
  const limits = queryLimits(opts.limits ?? { maxDepth: 12, maxCost: 50_000, maxAliases: 30, maxDirectives: 20, maxTokens: 5_000 }, {
    blockFieldSuggestions: !opts.introspection,
  });
  const persisted = persistedQueriesOptions<GraphQLContext>({ ...(opts.persistedQueries ?? { mode: 'apq' }), introspection: opts.introspection });
  return new ApolloServer<GraphQLContext>({
    // The schema is served through graphql-jit (./executor.ts), by way of Apollo's gateway hook.
    gateway: jitGateway(
      makeExecutableSchema({ typeDefs: fs.readFileSync(SCHEMA_PATH, 'utf8'), resolvers: guardResolvers(resolvers, opts.authMode ?? 'open') }),
    ),
    formatError: createFormatError(opts),
    introspection: opts.introspection,
    includeStacktraceInErrorResponses: !opts.production,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    persistedQueries: persisted.persistedQueries,
    documentStore: opts.documentStore ?? new InMemoryLRUCache<DocumentNode>({ max: DOCUMENT_CACHE_SIZE }),
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    plugins: [
      ...limits.plugins,
      ...persisted.plugins,
      operationNamePlugin,
      readYourWritesPlugin,
      // We set no cache hints; the default cache-control plugin would still hook every field (seen in CPU profiles).
      ApolloServerPluginCacheControlDisabled(),
      opts.introspection && opts.playground === 'sandbox'
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true })
        : ApolloServerPluginLandingPageDisabled(),
    ],
    logger: opts.logger,
  });
}

/** Records the operation's name for the request log. */
const operationNamePlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ contextValue, operationName, operation }: { contextValue: GraphQLContext; operationName?: string | null; operation?: { operation: string } }) {
        contextValue.request.operationName = operationName ?? operation?.operation ?? null;
      },
    };
  },
};

/**
 * With replicas: a mutation runs on the primary from the start (its selection reads what it
 * wrote), and the key's write is recorded before the answer leaves, so the key's next request,
 * on whichever instance, reads from the primary too.
 */
const readYourWritesPlugin = {
  async requestDidStart() {
    let wrote = false;
    return {
      async didResolveOperation({ contextValue, operation }: { contextValue: GraphQLContext; operation?: { operation: string } }) {
        if (operation?.operation !== 'mutation' || !contextValue.readAfterWrite) return;
        wrote = true;
        usePrimary(contextValue);
      },
      async willSendResponse({ contextValue }: { contextValue: GraphQLContext }) {
        if (wrote && contextValue.caller) await contextValue.readAfterWrite!.recordWrite(contextValue.caller.keyId);
      },
    };
  },
};
