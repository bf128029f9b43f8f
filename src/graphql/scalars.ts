// Date (calendar date, kept as a YYYY-MM-DD string: no time zone can move it)
// and DateTime, from graphql-scalars.
import { DateTimeResolver, JSONResolver, LocalDateResolver } from 'graphql-scalars';
import { GraphQLScalarType } from 'graphql';

export const DateScalar = new GraphQLScalarType({
  ...LocalDateResolver.toConfig(),
  name: 'Date',
  description: 'A calendar date, YYYY-MM-DD.',
});

export const DateTimeScalar = DateTimeResolver;

/** Any JSON value (audit entries' before/after records). */
export const JSONScalar = JSONResolver;
