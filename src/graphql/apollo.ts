// The Apollo Server: schema.graphql + resolvers (behind the access guard),
// query limits, error formatting, landing page.
import fs from 'node:fs';
import { ApolloServer, type GraphQLRequestContextDidEncounterErrors } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { InMemoryLRUCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import { GraphQLError, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { Logger } from 'pino';
import type { AuthMode } from '../auth/access';
import { databaseFault } from '../db/faults';
import { fromRoot } from '../paths';
import { createFormatError, errorLogPlugin } from './errors';
import { usePrimary, type GraphQLContext } from './context';
import { guardResolvers } from './guard';
import { persistedQueriesOptions, type PersistedQueriesMode } from './persisted';
import { queryLimits, type Limits } from './limits';
import { resolvers } from './resolvers';

export const SCHEMA_PATH = fromRoot('schema.graphql');

/**
 * How many parsed and validated documents the server keeps. Apollo's default bounds them by
 * their JSON's size only (30 MiB); a count keeps the memory they hold small and predictable.
 */
export const DOCUMENT_CACHE_SIZE = 500;

/** The executable schema: schema.graphql and the resolvers behind the access guard. */
export function buildSchema(authMode: AuthMode): GraphQLSchema {
  return makeExecutableSchema({ typeDefs: fs.readFileSync(SCHEMA_PATH, 'utf8'), resolvers: guardResolvers(resolvers, authMode) });
}

export function createApolloServer(opts: {
  production: boolean;
  introspection: boolean;
  logger: Logger;
  authMode?: AuthMode;
  limits?: Limits;
  /** `sandbox`: Apollo's landing page at GET /graphql; otherwise it stays off (GraphiQL is served by src/http/playground.ts). */
  playground?: 'graphiql' | 'sandbox' | 'off';
  persistedQueries?: { mode: PersistedQueriesMode; manifestPath?: string };
  /** Where documents are kept parsed and validated; by default the last DOCUMENT_CACHE_SIZE. */
  documentStore?: KeyValueCache<DocumentNode>;
}): ApolloServer<GraphQLContext> {
  const limits = queryLimits(opts.limits ?? { maxDepth: 12, maxCost: 50_000, maxAliases: 30, maxDirectives: 20, maxTokens: 5_000 }, {
    blockFieldSuggestions: !opts.introspection,
  });
  const persisted = persistedQueriesOptions<GraphQLContext>({ ...(opts.persistedQueries ?? { mode: 'apq' }), introspection: opts.introspection });
  return new ApolloServer<GraphQLContext>({
    // Executed by graphql-js: graphql-jit answered some documents differently from it
    // (docs/decisions/graphql-jit.md).
    schema: buildSchema(opts.authMode ?? 'open'),
    formatError: createFormatError(opts),
    introspection: opts.introspection,
    includeStacktraceInErrorResponses: !opts.production,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    persistedQueries: persisted.persistedQueries,
    documentStore: opts.documentStore ?? new InMemoryLRUCache<DocumentNode>({ max: DOCUMENT_CACHE_SIZE }),
    validationRules: [KnownOperationTypes, ...limits.validationRules],
    parseOptions: limits.parseOptions,
    plugins: [
      ...limits.plugins,
      ...persisted.plugins,
      operationNamePlugin,
      errorLogPlugin(opts.logger),
      readYourWritesPlugin,
      interruptedStatusPlugin,
      // We set no cache hints; the default cache-control plugin would still hook every field (seen in CPU profiles).
      ApolloServerPluginCacheControlDisabled(),
      opts.introspection && opts.playground === 'sandbox'
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true })
        : ApolloServerPluginLandingPageDisabled(),
    ],
    logger: opts.logger,
    // The server's own signal handler (src/server.ts) drains HTTP first and stops Apollo last;
    // Apollo's would stop it at once and re-raise the signal, killing requests in flight.
    stopOnTerminationSignals: false,
  });
}

/**
 * Refuses an operation whose type the schema has no root for (a subscription here): graphql-js 16
 * validates it as if it were fine and only its execution fails, which Apollo answered with an
 * INTERNAL_SERVER_ERROR. graphql-js 17 has the same rule (KnownOperationTypesRule).
 */
export const KnownOperationTypes: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (context.getSchema().getRootType(node.operation)) return;
    context.reportError(new GraphQLError(`This server does not run ${node.operation} operations (its schema has no ${node.operation} type)`, { nodes: node }));
  },
});

/** Records the operation's name for the request log. */
const operationNamePlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({
        contextValue,
        operationName,
        operation,
      }: {
        contextValue: GraphQLContext;
        operationName?: string | null;
        operation?: { operation: string };
      }) {
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

/**
 * A request cut short by a shutting-down server (its transaction rolled back: src/http/shutdown.ts)
 * is answered 503, as its SERVICE_UNAVAILABLE error says: nothing was done, send it again. (The
 * status an error carries reaches the response only when a resolver throws it as a GraphQLError;
 * database faults are mapped later, in formatError.)
 */
const interruptedHooks = {
  async didEncounterErrors({ errors, response }: GraphQLRequestContextDidEncounterErrors<GraphQLContext>) {
    if (errors.some((e) => databaseFault(unwrapResolverError(e)) === 'interrupted')) response.http.status = 503;
  },
};
const interruptedStatusPlugin = { requestDidStart: async () => interruptedHooks };
