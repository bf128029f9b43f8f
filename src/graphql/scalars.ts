// Date (calendar date, kept as a YYYY-MM-DD string: no time zone can move it)
// and DateTime, from graphql-scalars. Both take only years 0001-9999 as input: the years
// PostgreSQL stores for a date and that ISO 8601 writes in four digits; anything outside is
// refused by the scalar, before any resolver runs (a variable's error names its argument).
import { DateTimeResolver, JSONResolver, LocalDateResolver } from 'graphql-scalars';
import { GraphQLError, GraphQLScalarType, Kind, print, type ValueNode } from 'graphql';
import { isValidDate } from '../domain/dateSpan';

const localDate = LocalDateResolver.toConfig();
const dateTime = DateTimeResolver.toConfig();

const DATE_RANGE = 'a calendar date YYYY-MM-DD in years 0001-9999';

function parseDate(value: unknown): string {
  if (typeof value === 'string' && isValidDate(value)) return value;
  throw new GraphQLError(`Date cannot represent ${JSON.stringify(value)}: expected ${DATE_RANGE}`);
}

export const DateScalar = new GraphQLScalarType({
  ...localDate,
  name: 'Date',
  description: 'A calendar date, YYYY-MM-DD.',
  // Every date a response carries is checked on the way out: graphql-scalars does it with a Date
  // object and toISOString (visible in CPU profiles of large reports); our arithmetic check
  // accepts a subset of what it accepts, and anything else still goes through it.
  serialize: (value) => (typeof value === 'string' && isValidDate(value) ? value : localDate.serialize(value)),
  parseValue: parseDate,
  parseLiteral: (ast: ValueNode) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError(`Date cannot represent ${print(ast)}: expected ${DATE_RANGE}`, { nodes: ast });
    return parseDate(ast.value);
  },
});

/** A parsed instant in the storable years, or the reason it is not. */
function inRange(date: Date): Date {
  const year = date.getUTCFullYear();
  if (!(year >= 1 && year <= 9999)) {
    throw new GraphQLError(`DateTime must be in years 0001-9999 (got ${Number.isNaN(year) ? 'an invalid date' : `year ${year}`})`);
  }
  return date;
}

export const DateTimeScalar = new GraphQLScalarType({
  ...dateTime,
  parseValue: (value) => inRange(dateTime.parseValue!(value) as Date),
  parseLiteral: (ast, variables) => inRange(dateTime.parseLiteral!(ast, variables) as Date),
});

/** Any JSON value (audit entries' before/after records). */
export const JSONScalar = JSONResolver;
