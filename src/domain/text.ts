// Text the project stores, and the limits of each field: one rule for the API (through the zod
// schemas of ./validation.ts) and the importer (src/ingest/records.ts). Stored text is
// well-formed Unicode (a lone surrogate has no UTF-8 form: the database would get U+FFFD in its
// place, silently), holds no NUL (PostgreSQL's text cannot), and is at most its field's limit
// long. Lengths count characters (Unicode code points), after trimming.
import { isUtf8 } from 'node:buffer';

/**
 * The longest text each stored field takes, in characters. Generous for what the sources hold (a
 * long official name is ~150 characters, an excerpt a few paragraphs); their job is to refuse
 * the absurd (a 10,000-character name, a 50 MB description) before it is stored, copied into
 * the history and audit tables and sent back on every read. Documented in docs (API guide).
 */
export const FIELD_LIMITS = {
  /** Actor names and aliases (an actor's name is one of its aliases). */
  name: 500,
  /** Descriptions of actors, events and shipments. */
  description: 20_000,
  /** Event titles, source titles, affiliation titles. */
  title: 1_000,
  publisher: 500,
  url: 2_048,
  excerpt: 20_000,
  locationName: 500,
  unit: 100,
  route: 2_000,
  /** The source's own wording of a date ("late summer 2023"). */
  dateText: 500,
  /** A claimed value: the longest of the fields a claim may be about (a description). */
  claimValue: 20_000,
  /** API key labels. */
  label: 200,
  /** Import datasets and external ids. */
  dataset: 200,
  externalId: 200,
  /** A dataset's own field kept with an imported record (datasetFields): its name, and each text value. */
  datasetFieldName: 200,
  datasetFieldValue: 20_000,
} as const;

export type LimitedField = keyof typeof FIELD_LIMITS;

/** Characters (code points) of `s`: its UTF-16 length, less one per surrogate pair. */
export function characters(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n -= 1;
        i += 1;
      }
    }
  }
  return n;
}

/** A lone (unpaired) surrogate: with the u flag a pair reads as one code point, never as \p{Cs}. */
const LONE_SURROGATE = /\p{Cs}/u;
/** ES2024's String.prototype.isWellFormed (Node 20 has it): the same answer as the pattern, without a regular expression per string. */
const nativeWellFormed = (String.prototype as { isWellFormed?: () => boolean }).isWellFormed;

/** Whether `s` is well-formed Unicode, i.e. has a UTF-8 form (no lone surrogate). */
export function isWellFormed(s: string): boolean {
  return nativeWellFormed ? nativeWellFormed.call(s) : !LONE_SURROGATE.test(s);
}

/**
 * Why `s` cannot be stored as text (of at most `max` characters, if given), or undefined. The
 * reason reads after the field's name: "input.name must …".
 */
export function textProblem(s: string, max?: number): string | undefined {
  if (s.includes('\u0000')) return 'must not contain a NUL character';
  if (!isWellFormed(s)) return 'must be well-formed Unicode text (it holds a lone surrogate, or bytes that are not UTF-8)';
  // Code points never outnumber UTF-16 units: only a long string needs counting.
  if (max !== undefined && s.length > max) {
    const n = characters(s);
    if (n > max) return `must be at most ${max} characters (got ${n})`;
  }
  return undefined;
}

/** Why a URL cannot be stored, or undefined: only absolute http and https URLs are (no javascript:, data:, file: …). */
export function urlProblem(s: string): string | undefined {
  const text = textProblem(s, FIELD_LIMITS.url);
  if (text) return text;
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return `must be an absolute http or https URL (got "${s}")`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `must be an http or https URL (got a ${url.protocol} URL)`;
  if (!url.hostname) return `must name a host (got "${s}")`;
  return undefined;
}

/** Length of the valid UTF-8 sequence at bytes[i] (1-4), or 0 where none starts (RFC 3629: no overlongs, no surrogates). */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i];
  if (b < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < bytes.length && bytes[i + k] >= lo && bytes[i + k] <= hi;
  if (b >= 0xc2 && b <= 0xdf) return cont(1) ? 2 : 0;
  if (b === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if (b === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b >= 0xe1 && b <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b >= 0xf1 && b <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/** Index of the first byte of `bytes` that is not part of valid UTF-8, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const n = sequenceLength(bytes, i);
    if (n === 0) return i;
    i += n;
  }
  return -1;
}

/**
 * Decodes UTF-8 without losing track of bytes that are not UTF-8: each is read as the lone
 * surrogate U+DC80-U+DCFF of its value (as Python's "surrogateescape" does) instead of an
 * indistinguishable U+FFFD, so that the text rule above refuses it, on the field that holds it.
 * `json`: the input is JSON text, and each such byte becomes the escape `\udcXX` (inside a string
 * it reads as that surrogate; outside one, or after a backslash, the text is not JSON).
 */
export function decodeUtf8(bytes: Uint8Array, mode: 'text' | 'json' = 'text'): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (isUtf8(buf)) return buf.toString('utf8');
  let out = '';
  let run = 0;
  let backslashes = 0;
  for (let i = 0; i < buf.length;) {
    const n = sequenceLength(buf, i);
    if (n > 0) {
      backslashes = buf[i] === 0x5c ? backslashes + 1 : 0;
      i += n;
      continue;
    }
    out += buf.toString('utf8', run, i);
    const surrogate = 0xdc00 + buf[i];
    // After an odd run of backslashes an escape would be escaped itself: a control character
    // makes the string invalid JSON instead of quietly dropping the byte.
    out += mode === 'text' ? String.fromCharCode(surrogate) : backslashes % 2 ? '\u0001' : `\\u${surrogate.toString(16)}`;
    backslashes = 0;
    i += 1;
    run = i;
  }
  return out + buf.toString('utf8', run);
}
