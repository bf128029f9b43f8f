// Opaque keyset cursors: the values of a row's ordering key, base64url-encoded.
// Clients must treat them as opaque; we only promise that a cursor from a page
// of a given query continues that query.
//
// A cursor comes back from the client, so it is input: each list decodes its cursors with the
// one decoder of its key's shape (below), which checks every part's type and format before
// anything reaches SQL. A forged cursor is BAD_USER_INPUT on `after`, never a database error.
import { isValidDate } from './dateSpan';
import { ValidationError } from './errors';
import { isId } from './ids';
import { textProblem } from './text';

export type CursorKey = (string | number)[];

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** One part of a key: the decoded JSON value checked (and normalised), or undefined if it is not one. */
export type CursorPart<T> = (value: unknown) => T | undefined;

const INT4_MAX = 2_147_483_647;
const INT8_MAX = 9_223_372_036_854_775_807n;
/** An instant as the keys write it: ISO 8601 in UTC, up to microseconds (PostgreSQL's precision). */
const INSTANT = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?Z$/;

export const cursorPart = {
  /** A calendar day 'YYYY-MM-DD' in years 0001-9999. */
  date: ((v) => (typeof v === 'string' && isValidDate(v) ? v : undefined)) as CursorPart<string>,
  /** A record id (a UUID), lowercased. */
  id: ((v) => (typeof v === 'string' && isId(v) ? v.toLowerCase() : undefined)) as CursorPart<string>,
  /** A whole number 0..2^31-1 (a PostgreSQL integer). */
  int: ((v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= INT4_MAX ? v : undefined)) as CursorPart<number>,
  /** A bigint written as digits (0..2^63-1), kept as text. */
  bigint: ((v) => (typeof v === 'string' && /^\d{1,19}$/.test(v) && BigInt(v) <= INT8_MAX ? v : undefined)) as CursorPart<string>,
  /** Text the database can take (see ./text.ts). */
  text: ((v) => (typeof v === 'string' && !textProblem(v) ? v : undefined)) as CursorPart<string>,
  /** An instant (ISO 8601, UTC) in years 0001-9999, kept as its text. */
  instant: ((v) => {
    if (typeof v !== 'string') return undefined;
    const m = INSTANT.exec(v);
    return m && isValidDate(m[1]) ? v : undefined;
  }) as CursorPart<string>,
};

type Decoded<P extends readonly CursorPart<unknown>[]> = { -readonly [I in keyof P]: P[I] extends CursorPart<infer T> ? T : never };

/** A cursor of one shape: its key's parts, in order. */
export interface CursorShape<P extends readonly CursorPart<unknown>[]> {
  encode(key: Decoded<P>): string;
  /** The key of a cursor of this shape; anything else is a ValidationError on `field`. */
  decode(cursor: string, field?: string): Decoded<P>;
}

/** The decoder (and encoder) of cursors whose key is `parts`. */
export function cursorShape<const P extends readonly CursorPart<unknown>[]>(parts: P): CursorShape<P> {
  return {
    encode: (key) => encodeCursor(key as unknown as CursorKey),
    decode(cursor, field = 'after') {
      let key: unknown;
      try {
        key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      } catch {
        key = undefined;
      }
      const out: unknown[] = [];
      if (Array.isArray(key) && key.length === parts.length) {
        for (const [i, part] of parts.entries()) {
          const value = part(key[i]);
          if (value === undefined) break;
          out.push(value);
        }
      }
      if (out.length !== parts.length) throw new ValidationError(field, `"${cursor}" is not a cursor of this list`);
      return out as Decoded<P>;
    },
  };
}

/** Events and shipments (also an actor's): [span start, span end, id]. */
export const SPAN_CURSOR = cursorShape([cursorPart.date, cursorPart.date, cursorPart.id]);
/** Actors: [match rank, name, id]. */
export const ACTOR_CURSOR = cursorShape([cursorPart.int, cursorPart.text, cursorPart.id]);
/** Lists in creation order (claims, API keys): [createdAt, id]. */
export const CREATED_CURSOR = cursorShape([cursorPart.instant, cursorPart.id]);
/** The change feed: [the version's instant, its number]. */
export const CHANGE_CURSOR = cursorShape([cursorPart.instant, cursorPart.bigint]);
/** The audit log, newest first: [entry id]. */
export const AUDIT_CURSOR = cursorShape([cursorPart.bigint]);
