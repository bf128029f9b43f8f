// What every resolver receives: the database, this request's DataLoaders and the caller.
import type { Caller } from '../auth/store';
import type { Db } from '../db/client';
import { createLoaders, type Loaders } from './loaders';

export interface GraphQLContext {
  db: Db;
  loaders: Loaders;
  /** The API key's holder; null when no key was sent (allowed for reads when AUTH_MODE=open). */
  caller: Caller | null;
  /** This HTTP request, for its log line: the GraphQL operation is filled in once resolved. */
  request: { id: string; operationName: string | null };
}

export function createContext(db: Db, caller: Caller | null = null, request = { id: '', operationName: null as string | null }): GraphQLContext {
  return { db, loaders: createLoaders(db), caller, request };
}
