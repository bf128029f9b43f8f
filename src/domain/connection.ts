// Relay connections from keyset pages: the query fetched `first + 1` rows in
// order; the extra row only tells us there is a next page.
import { encodeCursor, type CursorKey } from './cursor';

export interface EdgeResult<T> {
  cursor: string;
  node: T;
}

export interface ConnectionResult<T> {
  edges: EdgeResult<T>[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  /** Counted only when a client asks for it. */
  totalCount: () => Promise<number>;
}

export function toConnection<T>(
  rows: T[],
  first: number,
  keyOf: (row: T) => CursorKey,
  count: () => Promise<number>,
  hasPreviousPage: boolean,
): ConnectionResult<T> {
  const edges = rows.slice(0, first).map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount: count,
  };
}
