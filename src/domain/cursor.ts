// Opaque keyset cursors: the values of a row's ordering key, base64url-encoded.
// Clients must treat them as opaque; we only promise that a cursor from a page
// of a given query continues that query.
import { ValidationError } from './errors';

export type CursorKey = (string | number)[];

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** Decodes a cursor whose key must have `arity` string/number parts; anything else is bad input. */
export function decodeCursor(cursor: string, arity: number, field = 'after'): CursorKey {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  const ok =
    Array.isArray(key) && key.length === arity && key.every((v) => typeof v === 'string' || typeof v === 'number');
  if (!ok) throw new ValidationError(field, `"${cursor}" is not a cursor of this list`);
  return key as CursorKey;
}
