import type { Resolvers } from '../../generated/graphql';
import { DateScalar, DateTimeScalar } from '../scalars';
import { Mutation } from './mutation';
import { Query } from './query';
import { types } from './types';

export const resolvers: Resolvers = { Date: DateScalar, DateTime: DateTimeScalar, Query, Mutation, ...types };
