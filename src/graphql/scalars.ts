// Date (calendar date, kept as a YYYY-MM-DD string: no time zone can move it)
// and DateTime, from graphql-scalars.
import { DateTimeResolver, JSONResolver, LocalDateResolver } from 'graphql-scalars';
import { GraphQLScalarType } from 'graphql';
import { isValidDate } from '../domain/dateSpan';

const localDate = LocalDateResolver.toConfig();

export const DateScalar = new GraphQLScalarType({
  ...localDate,
  name: 'Date',
  description: 'A calendar date, YYYY-MM-DD.',
  // Every date a response carries is checked on the way out: graphql-scalars does it with a Date
  // object and toISOString (4.7% of the server's CPU on a 10-year eventStats, 2,400 dates); our
  // arithmetic check accepts a subset of what it accepts, and anything else still goes through it.
  serialize: (value) => (typeof value === 'string' && isValidDate(value) ? value : localDate.serialize(value)),
});

export const DateTimeScalar = DateTimeResolver;

/** Any JSON value (audit entries' before/after records). */
export const JSONScalar = JSONResolver;
