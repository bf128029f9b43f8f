// What every resolver receives: the database and this request's DataLoaders.
import type { Db } from '../db/client';
import { createLoaders, type Loaders } from './loaders';

export interface GraphQLContext {
  db: Db;
  loaders: Loaders;
}

export function createContext(db: Db): GraphQLContext {
  return { db, loaders: createLoaders(db) };
}
