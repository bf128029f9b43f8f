// Turning errors into what clients see. Domain errors become coded GraphQL
// errors naming the field at fault; anything unexpected is logged in full and,
// in production, reaches the client as a bare INTERNAL_SERVER_ERROR.
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, Kind, parse, visit, type GraphQLFormattedError, type ValueNode } from 'graphql';
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
      const field = code === 'BAD_USER_INPUT' && formatted.extensions?.field === undefined
        ? variableErrorField(formatted.message, error instanceof GraphQLError ? error.source?.body : undefined)
        : undefined;
      const withField = field ? { ...formatted, extensions: { ...formatted.extensions, field } } : formatted;
      // Apollo adds stack traces outside production; keep the code, the field and the message.
      return opts.production ? { ...withField, extensions: { code, ...(field ? { field } : {}) } } : withField;
    }
    opts.logger.error({ err: original, path: formatted.path }, 'unexpected error in GraphQL request');
    if (!opts.production) return formatted;
    return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
