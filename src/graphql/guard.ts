// The one place access is checked for GraphQL: every Query field is a read,
// every Mutation field needs EDITOR unless ROLE_OF names another role.
// Feature resolvers merged into Query/Mutation are covered without doing anything.
import { requireRead, requireRole, type AuthMode } from '../auth/access';
import type { Role } from '../auth/keys';
import type { Resolvers } from '../generated/graphql';
import type { GraphQLContext } from './context';
import { toGraphQLError } from './errors';

/** Fields needing more than the default (reads: VIEWER in required mode; mutations: EDITOR). */
export const ROLE_OF: Record<string, Role> = {
  // auditLog: EDITORs see their own rows, ADMINs everyone's (checked by its resolver).
  auditLog: 'EDITOR',
  apiKeys: 'ADMIN',
  createApiKey: 'ADMIN',
  revokeApiKey: 'ADMIN',
  purgeActor: 'ADMIN',
  purgeAffiliation: 'ADMIN',
  purgeCitation: 'ADMIN',
  purgeEvent: 'ADMIN',
  purgeShipment: 'ADMIN',
  purgeSource: 'ADMIN',
};

type Fn = (parent: unknown, args: unknown, ctx: GraphQLContext, info: unknown) => unknown;

function wrapFields(fields: Record<string, unknown>, check: (name: string, ctx: GraphQLContext) => void): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).map(([name, resolver]) => {
      if (typeof resolver !== 'function') throw new Error(`guard: resolver ${name} is not a plain function`);
      const fn = resolver as Fn;
      return [
        name,
        (parent: unknown, args: unknown, ctx: GraphQLContext, info: unknown) => {
          try {
            check(name, ctx);
          } catch (err) {
            // Thrown as a GraphQLError here so that its HTTP status (401/403) reaches the response.
            throw toGraphQLError(err) ?? err;
          }
          return fn(parent, args, ctx, info);
        },
      ];
    }),
  );
}

export function guardResolvers(resolvers: Resolvers, mode: AuthMode): Resolvers {
  return {
    ...resolvers,
    Query: wrapFields(resolvers.Query as Record<string, unknown>, (name, ctx) => {
      if (ROLE_OF[name]) requireRole(ctx.caller, ROLE_OF[name]);
      else requireRead(ctx.caller, mode);
    }) as Resolvers['Query'],
    Mutation: wrapFields(resolvers.Mutation as Record<string, unknown>, (name, ctx) => {
      requireRole(ctx.caller, ROLE_OF[name] ?? 'EDITOR');
    }) as Resolvers['Mutation'],
  };
}
