// The Apollo Server: schema.graphql + resolvers, error formatting, landing page.
import fs from 'node:fs';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { Logger } from 'pino';
import { createFormatError } from './errors';
import type { GraphQLContext } from './context';
import { resolvers } from './resolvers';

export const SCHEMA_PATH = path.resolve(__dirname, '../../schema.graphql');

export function createApolloServer(opts: { production: boolean; introspection: boolean; logger: Logger }): ApolloServer<GraphQLContext> {
  return new ApolloServer<GraphQLContext>({
    typeDefs: fs.readFileSync(SCHEMA_PATH, 'utf8'),
    resolvers,
    formatError: createFormatError(opts),
    introspection: opts.introspection,
    includeStacktraceInErrorResponses: !opts.production,
    plugins: [
      !opts.introspection ? ApolloServerPluginLandingPageDisabled() : ApolloServerPluginLandingPageLocalDefault({ embed: true }),
    ],
    logger: opts.logger,
  });
}
