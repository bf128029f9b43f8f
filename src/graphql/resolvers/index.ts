import type { Resolvers } from '../../generated/graphql';
import { apiKeyMutation, apiKeyQuery, apiKeyTypes } from './apiKeys';
import { DateScalar, DateTimeScalar, JSONScalar } from '../scalars';
import { auditMutation, auditQuery, auditTypes } from './audit';
import { historyQuery, historyTypes } from './history';
import { ingestMutation } from './ingest';
import { Mutation } from './mutation';
import { purgeMutation } from './purge';
import { Query } from './query';
import { reportQuery } from './reports';
import { timelineQuery, timelineTypes } from './timeline';
import { types } from './types';

// Each feature's resolvers live in a file of their own and are merged here.
export const resolvers: Resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  JSON: JSONScalar,
  Query: {
    ...Query,
    ...reportQuery,
    ...timelineQuery,
    ...auditQuery,
    ...apiKeyQuery,
    ...historyQuery,
  },
  Mutation: {
    ...Mutation,
    ...auditMutation,
    ...ingestMutation,
    ...apiKeyMutation,
    ...purgeMutation,
  },
  ...types,
  ...timelineTypes,
  ...auditTypes,
  ...apiKeyTypes,
  ...historyTypes,
};
