// What every resolver receives: the database, this request's DataLoaders and the caller.
import type { Caller } from '../auth/store';
import type { Db } from '../services/db';
import { createLoaders, type Loaders } from './loaders';

export interface GraphQLContext {
  /** Where this request reads: the replica-routing door, or the primary's (see readAfterWrite). */
  db: Db;
  loaders: Loaders;
  /** The API key's holder; null when no key was sent (allowed for reads when AUTH_MODE=open). */
  caller: Caller | null;
  /** This HTTP request, for its log line: the GraphQL operation is filled in once resolved. */
  request: { id: string; operationName: string | null };
  /**
   * Read-your-writes with replicas: a mutation moves the whole request to the primary (its
   * result is read back after the write) and, once answered, marks the key as having written.
   * Absent without replicas.
   */
  readAfterWrite?: { primary: Db; recordWrite(keyId: string): Promise<void> };
}

export function createContext(
  db: Db,
  caller: Caller | null = null,
  request = { id: '', operationName: null as string | null },
  readAfterWrite?: GraphQLContext['readAfterWrite'],
): GraphQLContext {
  return { db, loaders: createLoaders(db), caller, request, readAfterWrite };
}

/** The request writes: from now on it reads and writes on the primary. */
export function usePrimary(ctx: GraphQLContext): void {
  if (!ctx.readAfterWrite || ctx.db === ctx.readAfterWrite.primary) return;
  ctx.db = ctx.readAfterWrite.primary;
  ctx.loaders = createLoaders(ctx.db);
}
