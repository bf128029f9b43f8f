// Turning errors into what clients see. Domain errors become coded GraphQL
// errors naming the field at fault; requests Apollo refuses get a client code; anything
// unexpected is logged in full (errorLogPlugin) and, in production, reaches the client as a
// bare INTERNAL_SERVER_ERROR.
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, Kind, parse, visit, type GraphQLFormattedError, type ValueNode } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from 'pino';
import { AccessError } from '../auth/access';
import { databaseFault } from '../db/faults';
import { ConflictError, NotFoundError, ReferencedError, ValidationError } from '../domain/errors';
import type { GraphQLContext } from './context';

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
  if (err instanceof ReferencedError) {
    return new GraphQLError(err.message, { extensions: { code: 'CONFLICT', field: err.field, dependents: err.dependents } });
  }
  if (err instanceof AccessError) {
    return new GraphQLError(err.message, { extensions: { code: err.code, http: { status: err.code === 'UNAUTHENTICATED' ? 401 : 403 } } });
  }
  const fault = databaseFault(err);
  if (fault === 'unavailable') {
    return new GraphQLError('The database is unavailable; try again shortly', { extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503 } } });
  }
  if (fault === 'interrupted') {
    return new GraphQLError('The server is shutting down; nothing was written: send the request again', {
      extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503 } },
    });
  }
  if (fault === 'timeout') {
    return new GraphQLError('The query took too long and was cancelled', { extensions: { code: 'QUERY_TIMEOUT' } });
  }
  return undefined;
}

/** graphql-js's variable errors: `Variable "$input" got invalid value "2030-02-30" at "input.statedOn"; …`, or not provided / null. */
const VARIABLE_ERROR = /^Variable "\$(\w+)" (?:got invalid value .*? at "\1((?:\.\w+|\[\d+\])*)";|got invalid value |of (?:required|non-null) type )/s;

/**
 * The argument path at fault in a variable-coercion error (e.g. `input.statedOn`), for
 * extensions.field as our own errors have it: the variable's path inside its value, under the
 * argument (and input fields) where the document uses the variable; under the variable's name
 * when it is used in more than one place.
 */
export function variableErrorField(message: string, document: string | undefined): string | undefined {
  const m = VARIABLE_ERROR.exec(message);
  if (!m) return undefined;
  const [, name, inner = ''] = m;
  const usages: string[] = [];
  const inValue = (value: ValueNode, at: string): void => {
    if (value.kind === Kind.VARIABLE && value.name.value === name) usages.push(at);
    else if (value.kind === Kind.OBJECT) for (const f of value.fields) inValue(f.value, `${at}.${f.name.value}`);
    else if (value.kind === Kind.LIST) value.values.forEach((v, i) => inValue(v, `${at}[${i}]`));
  };
  try {
    // (it parsed before its variables were coerced; only this error's path pays for the second parse)
    if (document) visit(parse(document, { noLocation: true }), { Argument: (node) => void inValue(node.value, node.name.value) });
  } catch {
    // no document to look in: the variable's own path
  }
  return `${usages.length === 1 ? usages[0] : name}${inner}`;
}

/**
 * Requests Apollo refuses itself with a 4xx status but no code: their codes, by Apollo's message
 * (Apollo Router and most APQ servers answer a hash mismatch with PERSISTED_QUERY_HASH_MISMATCH);
 * any other is BAD_REQUEST. Never INTERNAL_SERVER_ERROR: the request was at fault.
 */
const APOLLO_REFUSALS: Record<string, string> = {
  'provided sha does not match query': 'PERSISTED_QUERY_HASH_MISMATCH',
};

/** The code of an error Apollo raised before execution with a 4xx status and no code, or undefined. */
function refusalCode(error: unknown): string | undefined {
  if (!(error instanceof GraphQLError) || error.extensions?.code !== undefined || error.originalError || error.path) return undefined;
  const status = (error.extensions?.http as { status?: number } | undefined)?.status;
  if (status === undefined || status < 400 || status >= 500) return undefined;
  return Object.hasOwn(APOLLO_REFUSALS, error.message) ? APOLLO_REFUSALS[error.message] : 'BAD_REQUEST';
}

/**
 * Whether an error reaching the client is the server's fault (it is logged, and in production
 * shown as a bare INTERNAL_SERVER_ERROR): neither one of our coded errors, nor a client error.
 */
export function isUnexpectedError(error: unknown): boolean {
  if (toGraphQLError(unwrapResolverError(error))) return false;
  if (refusalCode(error)) return false;
  const extensions = error instanceof GraphQLError ? error.extensions : undefined;
  if (typeof extensions?.limitCode === 'string') return false;
  const code = extensions?.code;
  return !(typeof code === 'string' && CLIENT_CODES.has(code));
}

export function createFormatError(opts: { production: boolean }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const mapped = toGraphQLError(original);
    if (mapped) {
      const { http: _http, ...extensions } = mapped.extensions as Record<string, unknown>;
      return { ...formatted, message: mapped.message, extensions };
    }
    const refusal = refusalCode(error);
    if (refusal) return { message: formatted.message, extensions: { code: refusal } };
    const limitCode = formatted.extensions?.limitCode;
    if (typeof limitCode === 'string') return { message: formatted.message, locations: formatted.locations, extensions: { code: limitCode } };
    const code = formatted.extensions?.code as string | undefined;
    const tokens = code === 'GRAPHQL_PARSE_FAILED' && /Document contains more tha[nt] (\d+) tokens/.exec(formatted.message);
    if (tokens) return { message: `Document contains more than ${tokens[1]} tokens`, extensions: { code: 'QUERY_TOO_LARGE' } };
    if (code && CLIENT_CODES.has(code)) {
      const field =
        code === 'BAD_USER_INPUT' && formatted.extensions?.field === undefined
          ? variableErrorField(formatted.message, error instanceof GraphQLError ? error.source?.body : undefined)
          : undefined;
      const withField = field ? { ...formatted, extensions: { ...formatted.extensions, field } } : formatted;
      // Apollo adds stack traces outside production; keep the code, the field and the message.
      return opts.production ? { ...withField, extensions: { code, ...(field ? { field } : {}) } } : withField;
    }
    // Logged with its request by errorLogPlugin.
    if (!opts.production) return formatted;
    return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

/**
 * Logs every error that is the server's fault with its cause (the error and its stack), the
 * request's id (as in its `x-request-id` header and its request log line) and the field's path.
 */
export function errorLogPlugin(logger: Logger): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ contextValue, errors, operationName }) {
          for (const error of errors) {
            if (!isUnexpectedError(error)) continue;
            logger.error(
              { err: unwrapResolverError(error), reqId: contextValue.request?.id, path: error.path, operationName: operationName ?? undefined },
              'unexpected error in GraphQL request',
            );
          }
        },
      };
    },
  };
}
