// Turning errors into what clients see. Domain errors become coded GraphQL
// errors naming the field at fault; anything unexpected is logged in full and,
// in production, reaches the client as a bare INTERNAL_SERVER_ERROR.
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { AccessError } from '../auth/access';
import { databaseFault } from '../db/faults';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors';

/** Apollo's own codes for requests it rejects before our code runs; clients may see these as they are. */
const CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'PERSISTED_QUERY_NOT_IN_LIST',
  'OPERATION_RESOLUTION_FAILURE',
  'NOT_FOUND',
  'CONFLICT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'QUERY_TOO_COMPLEX',
  'QUERY_TOO_DEEP',
  'TOO_MANY_ALIASES',
  'TOO_MANY_DIRECTIVES',
]);

export function badUserInput(field: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field } });
}

/** Wraps a resolver's domain errors as coded GraphQL errors. */
export function toGraphQLError(err: unknown): GraphQLError | undefined {
  if (err instanceof ValidationError) return badUserInput(err.field, err.message);
  if (err instanceof NotFoundError) {
    return new GraphQLError(err.message, { extensions: { code: 'NOT_FOUND', field: err.field } });
  }
  if (err instanceof ConflictError) {
    return new GraphQLError(err.message, { extensions: { code: 'CONFLICT', field: err.field, currentUpdatedAt: err.current.toISOString() } });
  }
  if (err instanceof AccessError) {
    return new GraphQLError(err.message, { extensions: { code: err.code, http: { status: err.code === 'UNAUTHENTICATED' ? 401 : 403 } } });
  }
  const fault = databaseFault(err);
  if (fault === 'unavailable') {
    return new GraphQLError('The database is unavailable; try again shortly', { extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503 } } });
  }
  if (fault === 'timeout') {
    return new GraphQLError('The query took too long and was cancelled', { extensions: { code: 'QUERY_TIMEOUT' } });
  }
  return undefined;
}

export function createFormatError(opts: { production: boolean; logger: Logger }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const mapped = toGraphQLError(original);
    if (mapped) {
      const { http: _http, ...extensions } = mapped.extensions as Record<string, unknown>;
      return { ...formatted, message: mapped.message, extensions };
    }
    const limitCode = formatted.extensions?.limitCode;
    if (typeof limitCode === 'string') return { message: formatted.message, locations: formatted.locations, extensions: { code: limitCode } };
    const code = formatted.extensions?.code as string | undefined;
    const tokens = code === 'GRAPHQL_PARSE_FAILED' && /Document contains more tha[nt] (\d+) tokens/.exec(formatted.message);
    if (tokens) return { message: `Document contains more than ${tokens[1]} tokens`, extensions: { code: 'QUERY_TOO_LARGE' } };
    if (code && CLIENT_CODES.has(code)) {
      // Apollo adds stack traces outside production; keep the code and message.
      return opts.production ? { ...formatted, extensions: { code } } : formatted;
    }
    opts.logger.error({ err: original, path: formatted.path }, 'unexpected error in GraphQL request');
    if (!opts.production) return formatted;
    return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
