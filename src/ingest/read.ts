// Reading import files: NDJSON (streamed line by line), JSON arrays, CSV (per kind, or the
// ACLED, SIPRI and UCDP GED layouts), each possibly gzip-compressed (recognised by its magic
// bytes, whatever the file is called). Yields raw records with their line; validation is
// records.ts' (and, for the datasets' layouts, their readers': layout.ts).
//
// NDJSON and JSON are UTF-8: a leading byte-order mark is skipped, and bytes that are not UTF-8
// are read as lone surrogates (src/domain/text.ts, decodeUtf8), which the record's checks refuse
// on the field that holds them: the record is rejected, naming its line and field; the others go
// on. CSV's encoding is read from its bytes (encoding.ts: UTF-8 with or without its byte-order
// mark, UTF-16 by its mark, else windows-1252); a row holding bytes that are not text in it is
// refused, naming its line and column, and the others go on. Its header row is found after any
// title or preamble lines. A record longer than MAX_RECORD_BYTES is never held in memory: an
// NDJSON line that long is rejected (its line named) and reading goes on; a CSV field or a JSON
// array element that long ends the reading of its file there (its line or element named).
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, pipeline, Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';
import { parse as parseCsv } from 'csv-parse';
import streamArray from 'stream-json/streamers/StreamArray';
import { decodeUtf8, firstInvalidUtf8 } from '../domain/text';
import { ACLED_LAYOUT } from './acled';
import { CSV_LAYOUT } from './csv';
import { DecodeText } from './encoding';
import { columnLetter, columnName, type CsvLayout, type RawItem, type RowReader } from './layout';
import { KINDS, type Kind } from './records';
import { SIPRI_LAYOUT } from './sipri';
import { UCDP_LAYOUT } from './ucdp';

export type { RawItem } from './layout';

/**
 * The longest record read: 1 MiB of input (an NDJSON line, a CSV field, a JSON array element).
 * Every stored field has a limit (src/domain/text.ts: 20,000 characters at most); a record with
 * all of them full is well below this.
 */
export const MAX_RECORD_BYTES = 1 << 20;

export type InputFormat = 'auto' | 'ndjson' | 'json' | 'csv' | 'acled' | 'sipri' | 'ucdp';
export const INPUT_FORMATS: readonly InputFormat[] = ['auto', 'ndjson', 'json', 'csv', 'acled', 'sipri', 'ucdp'];

/** The CSV layouts, in the order a header is tried against them (the datasets' before CSV per kind). */
const LAYOUTS: readonly CsvLayout[] = [SIPRI_LAYOUT, ACLED_LAYOUT, UCDP_LAYOUT, CSV_LAYOUT];
/** How far into a file its header may be: SIPRI's exports have about ten title and note lines. */
export const HEADER_SEARCH_LINES = 50;

/** One import input: a file, or text given directly (the GraphQL mutation). */
export interface Input {
  /** Shown in error reports: the file path, or e.g. "(request)". */
  name: string;
  /** Opens the raw bytes (possibly gzip-compressed); called again to write rejects. */
  open(): Readable;
  /** Size in bytes, for progress; undefined when unknown. */
  size?: number;
}

export function fileInput(file: string): Input {
  return { name: file, open: () => fs.createReadStream(file), size: fs.statSync(file).size };
}

export function textInput(name: string, data: string | Buffer): Input {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return { name, open: () => Readable.from([bytes]), size: bytes.length };
}

export interface ReadOptions {
  format?: InputFormat;
  /** CSV per kind without a `kind` column: the kind of every row (else guessed from the file name). */
  kind?: Kind;
  /** Called with the number of raw bytes read so far. */
  onBytes?: (bytes: number) => void;
}

/** Drops a UTF-8 byte-order mark at the very start of a byte stream. */
function skipBom(): Transform {
  let head: Buffer | null = Buffer.alloc(0);
  const release = (t: Transform, data: Buffer) => {
    head = null;
    t.push(data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? data.subarray(3) : data);
  };
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (head === null) return done(null, chunk);
      const data = Buffer.concat([head, chunk]);
      if (data.length < 3) head = data;
      else release(this, data);
      done();
    },
    flush(done) {
      if (head !== null && head.length) release(this, head);
      done();
    },
  });
}

/** The decompressed bytes of a UTF-8 input (gunzipped when they start with gzip's magic bytes), without a byte-order mark. */
export function openText(input: Input, onBytes?: (bytes: number) => void): Readable {
  const bytes = openBytes(input, onBytes);
  const bomless = skipBom();
  pipeline(bytes, bomless, () => undefined);
  return bomless;
}

function openBytes(input: Input, onBytes?: (bytes: number) => void): Readable {
  const raw = input.open();
  let bytes = 0;
  const out = new PassThrough();
  let decided = false;
  let target: NodeJS.WritableStream = out;
  raw.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    onBytes?.(bytes);
    if (!decided) {
      decided = true;
      if (chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b) {
        const gunzip = zlib.createGunzip();
        gunzip.on('error', (err) => out.destroy(new Error(`${input.name}: not valid gzip data (${err.message})`)));
        gunzip.pipe(out);
        target = gunzip;
      }
    }
    if (!target.write(chunk)) {
      raw.pause();
      target.once('drain', () => raw.resume());
    }
  });
  raw.on('end', () => target.end());
  raw.on('error', (err) => out.destroy(err));
  out.on('close', () => raw.destroy());
  return out;
}

async function firstChar(input: Input): Promise<string> {
  const text = openText(input);
  try {
    for await (const chunk of text) {
      const s = (chunk as Buffer).toString('utf8').trimStart();
      if (s) return s[0];
    }
    return '';
  } finally {
    text.destroy();
  }
}

/** What an input holds: NDJSON, a JSON array or CSV (auto-detected from the first character). */
export async function detectFormat(input: Input, format: InputFormat = 'auto'): Promise<Exclude<InputFormat, 'auto'>> {
  if (format !== 'auto') return format;
  const c = await firstChar(input);
  if (c === '[') return 'json';
  if (c === '{' || c === '') return 'ndjson';
  return 'csv';
}

function kindFromFileName(name: string): Kind | undefined {
  const stem = path
    .basename(name)
    .toLowerCase()
    .replace(/(\.gz)?$/, '')
    .replace(/\.[a-z]+$/, '');
  return KINDS.find((k) => stem === k || stem === `${k}s` || stem.endsWith(`-${k}s`) || stem.endsWith(`_${k}s`));
}

/** Yields every raw record of an input, with its line (JSON arrays: the element's 1-based position). */
export async function* readRecords(input: Input, opts: ReadOptions = {}): AsyncGenerator<RawItem> {
  for await (const batch of readBatches(input, opts)) yield* batch;
}

/**
 * The objects `parsed` emits (it parses `text`), a batch at a time, then its error if any.
 * Consumed from events rather than an async iterator, which would drop the objects parsed just
 * before an error (the records before a bad element, or a bad CSV row, in the same chunk).
 */
async function* batchesThenError<T>(text: Readable, parsed: Readable): AsyncGenerator<T[] | Error> {
  let batch: T[] = [];
  let failure: Error | undefined;
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  parsed.on('data', (item: T) => {
    batch.push(item);
    if (batch.length >= 1000) {
      parsed.pause();
      notify();
    }
  });
  const fail = (err: Error) => {
    failure ??= err;
    notify();
  };
  parsed.on('error', fail);
  text.on('error', fail);
  parsed.on('end', () => {
    ended = true;
    notify();
  });
  try {
    for (;;) {
      if (batch.length === 0 && !failure && !ended) await new Promise<void>((resolve) => (wake = resolve));
      if (batch.length > 0) {
        const out = batch;
        batch = [];
        yield out;
        if (!failure) parsed.resume();
        continue;
      }
      if (failure) yield failure;
      return;
    }
  } finally {
    parsed.destroy();
    text.destroy();
  }
}

/** The elements of a JSON array, a batch at a time, then the parse error if any. */
function arrayElements(text: Readable): AsyncGenerator<{ key: number; value: unknown }[] | Error> {
  return batchesThenError(text, text.pipe(streamArray.withParser()));
}

/** One NDJSON line (its bytes, without the newline): a record, an error, or nothing if blank. */
function parseLine(line: number, bytes: Buffer): RawItem | undefined {
  const s = decodeUtf8(bytes, 'json');
  if (s.trim() === '') return undefined;
  try {
    return { line, raw: JSON.parse(s) };
  } catch (err) {
    const invalid = firstInvalidUtf8(bytes);
    if (invalid !== -1) return { line, error: `not valid UTF-8 (byte ${invalid + 1} of the line, outside a JSON string)` };
    return { line, error: `not valid JSON (${(err as Error).message})` };
  }
}

const tooLong = (line: number): RawItem => ({ line, error: `longer than ${MAX_RECORD_BYTES} bytes, the longest record read: not read` });

/** NDJSON lines, split on their bytes (a newline byte is never inside a UTF-8 sequence). */
async function* ndjsonBatches(text: Readable): AsyncGenerator<RawItem[]> {
  let line = 0;
  // The current line's bytes so far, unless it is already too long (skipped to its end).
  let parts: Buffer[] = [];
  let partBytes = 0;
  let skipping = false;
  const endLine = (last: Buffer): RawItem | undefined => {
    line += 1;
    let item: RawItem | undefined;
    if (skipping || partBytes + last.length > MAX_RECORD_BYTES) item = tooLong(line);
    else item = parseLine(line, partBytes ? Buffer.concat([...parts, last]) : last);
    parts = [];
    partBytes = 0;
    skipping = false;
    return item;
  };
  let seen = false;
  for await (const chunk of text as AsyncIterable<Buffer>) {
    seen = true;
    const items: RawItem[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
      const item = endLine(chunk.subarray(start, nl));
      if (item) items.push(item);
      start = nl + 1;
    }
    const rest = chunk.subarray(start);
    if (!skipping && rest.length) {
      if (partBytes + rest.length > MAX_RECORD_BYTES) {
        skipping = true;
        parts = [];
        partBytes = 0;
      } else {
        parts.push(rest);
        partBytes += rest.length;
      }
    }
    if (items.length) yield items;
  }
  if (seen && (skipping || partBytes > 0)) {
    const item = endLine(Buffer.alloc(0));
    if (item) yield [item];
  }
}

/**
 * JSON array text from its bytes: each element at most MAX_RECORD_BYTES (an element that long
 * ends the stream with an error naming it), bytes that are not UTF-8 read as lone surrogates.
 * Scans the bytes for strings and nesting (the JSON structure is ASCII, never inside a UTF-8
 * sequence), and decodes up to the last whole sequence of each chunk.
 */
function jsonArrayText(): Transform {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let element = 0;
  let elementBytes = 0;
  let carry = Buffer.alloc(0);
  return new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _enc, done) {
      for (let i = 0; i < chunk.length; i += 1) {
        const b = chunk[i];
        if (depth >= 1) elementBytes += 1;
        if (inString) {
          if (escaped) escaped = false;
          else if (b === 0x5c) escaped = true;
          else if (b === 0x22) inString = false;
        } else if (b === 0x22) inString = true;
        else if (b === 0x5b || b === 0x7b) depth += 1;
        else if (b === 0x5d || b === 0x7d) depth -= 1;
        else if (b === 0x2c && depth === 1) {
          element += 1;
          elementBytes = 0;
        }
        if (elementBytes > MAX_RECORD_BYTES) {
          return done(new Error(`element ${element + 1} is longer than ${MAX_RECORD_BYTES} bytes, the longest record read`));
        }
      }
      const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      // Keep back a UTF-8 sequence cut by the chunk's end (at most 3 bytes) for the next chunk.
      let cut = data.length;
      for (let k = 1; k <= 3 && k <= data.length; k += 1) {
        const b = data[data.length - k];
        if (b < 0x80) break;
        if (b >= 0xc0) {
          const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
          if (need > k) cut = data.length - k;
          break;
        }
      }
      carry = Buffer.from(data.subarray(cut));
      done(null, decodeUtf8(data.subarray(0, cut), 'json'));
    },
    flush(done) {
      done(null, carry.length ? decodeUtf8(carry, 'json') : undefined);
    },
  });
}

/** Like readRecords, a chunk's worth of records at a time (NDJSON is split by hand: much faster than readline). */
export async function* readBatches(input: Input, opts: ReadOptions = {}): AsyncGenerator<RawItem[]> {
  const format = await detectFormat(input, opts.format);
  if (format !== 'ndjson' && format !== 'json') {
    yield* csvBatches(input, openBytes(input, opts.onBytes), opts);
    return;
  }
  const text = openText(input, opts.onBytes);
  if (format === 'ndjson') {
    yield* ndjsonBatches(text);
    return;
  }
  // A JSON array, streamed element by element (stream-json): memory stays flat whatever the
  // array's size. An element's "line" is its 1-based position in the array.
  let count = 0;
  const decoded = jsonArrayText();
  pipeline(text, decoded, () => undefined);
  for await (const got of arrayElements(decoded)) {
    if (got instanceof Error) {
      yield [
        /should be an array/i.test(got.message)
          ? { line: 1, error: 'a JSON file must hold an array of records' }
          : { line: count + 1, error: `not valid JSON at element ${count + 1} or after it (${got.message})` },
      ];
      return;
    }
    count += got.length;
    yield got.map(({ key, value }) => ({ line: key + 1, raw: value }));
  }
}

/**
 * CSV: its encoding from its bytes (encoding.ts), then its header row (after title or note
 * lines), then its rows, each read by the layout its header is (layout.ts); a row's line is the
 * line its record ends on. A row holding what the decoder could not read (bytes that are not
 * UTF-8 in a UTF-8 file: U+FFFD in its place) is refused by its line and column, never imported.
 * The CSV per kind layout reads its cells back under the CSV policy.
 */
async function* csvBatches(input: Input, bytes: Readable, opts: ReadOptions): AsyncGenerator<RawItem[]> {
  const decoded = new DecodeText();
  pipeline(bytes, decoded, () => undefined);
  const parser = decoded.pipe(parseCsv({ info: true, skip_empty_lines: true, relax_column_count: true, max_record_size: MAX_RECORD_BYTES }));
  const requested = opts.format ?? 'auto';
  const candidates = requested === 'auto' ? LAYOUTS : LAYOUTS.filter((l) => l.name === requested);
  const kind = opts.kind ?? kindFromFileName(input.name);
  let layout: CsvLayout | undefined;
  let read: RowReader | undefined;
  let header: string[] = [];
  const items: RawItem[] = [];
  // Where the last row ended, in the decoder's output bytes (the parser's info.bytes).
  let rowStart = 0;
  type Row = { record: string[]; info: { lines: number; bytes: number } };
  try {
    rows: for await (const got of batchesThenError<Row>(decoded, parser)) {
      if (got instanceof Error) {
        const e = got as Error & { lines?: number; index?: number };
        if (items.length) yield items.splice(0);
        const column =
          read && typeof e.index === 'number' ? `, column ${columnLetter(e.index)}${header[e.index]?.trim() ? ` (${header[e.index].trim()})` : ''}` : '';
        yield [{ line: e.lines ?? 0, error: `not valid CSV${column} (${e.message})` }];
        return;
      }
      for (const { record: cells, info } of got) {
        const line = info.lines;
        const invalid = decoded.invalidIn(rowStart, info.bytes);
        rowStart = info.bytes;
        if (!read) {
          layout = candidates.find((l) => l.isHeader(cells));
          if (layout) {
            header = cells;
            read = layout.reader(cells, { kind });
            continue;
          }
          if (line < HEADER_SEARCH_LINES) continue;
          break rows;
        }
        if (invalid.length) {
          const issues = cells.flatMap((c, i) =>
            c.includes('\uFFFD') ? [{ field: layout!.column?.(header, i) ?? columnName(header, i), reason: decoded.whyNotText(c, invalid[0]) }] : [],
          );
          items.push({ line, kind: layout!.rowKind ?? kind, issues });
          continue;
        }
        items.push(...read(cells, line));
      }
      if (items.length) yield items.splice(0);
    }
    if (!read) yield [{ line: 1, error: noHeader(input.name, candidates) }];
  } finally {
    // Stopped early (no header, an error): close the file too.
    parser.destroy();
    decoded.destroy();
    bytes.destroy();
  }
}

function noHeader(file: string, layouts: readonly CsvLayout[]): string {
  return `${file}: no header row in its first ${HEADER_SEARCH_LINES} lines: looked for ${layouts.map((l) => l.expected).join('; or ')}`;
}
