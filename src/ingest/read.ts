// Reading import files: NDJSON (streamed line by line), JSON arrays, CSV (per kind, or the
// ACLED and SIPRI layouts), each possibly gzip-compressed (recognised by its magic bytes,
// whatever the file is called). Yields raw records with their line; validation is records.ts'.
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import zlib from 'node:zlib';
import { parse as parseCsv } from 'csv-parse';
import streamArray from 'stream-json/streamers/StreamArray';
import { acledRecords, isAcledHeader, type AcledState } from './acled';
import { csvRowToRecord } from './csv';
import { KINDS, type Kind } from './records';
import { isSipriHeader, sipriRecords, type SipriState } from './sipri';

export type InputFormat = 'auto' | 'ndjson' | 'json' | 'csv' | 'acled' | 'sipri';
export const INPUT_FORMATS: readonly InputFormat[] = ['auto', 'ndjson', 'json', 'csv', 'acled', 'sipri'];

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

/** A raw record and where it came from; `error` when the line is not even JSON. */
export interface RawItem {
  line: number;
  raw?: unknown;
  error?: string;
}

export interface ReadOptions {
  format?: InputFormat;
  /** CSV per kind without a `kind` column: the kind of every row (else guessed from the file name). */
  kind?: Kind;
  /** Called with the number of raw bytes read so far. */
  onBytes?: (bytes: number) => void;
}

/** The decompressed text stream of an input: gunzipped when it starts with gzip's magic bytes. */
export function openText(input: Input, onBytes?: (bytes: number) => void): Readable {
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
      const s = (chunk as Buffer).toString('utf8').replace(/^\uFEFF/, '').trimStart();
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
  const stem = path.basename(name).toLowerCase().replace(/(\.gz)?$/, '').replace(/\.[a-z]+$/, '');
  return KINDS.find((k) => stem === k || stem === `${k}s` || stem.endsWith(`-${k}s`) || stem.endsWith(`_${k}s`));
}

/** Yields every raw record of an input, with its line (JSON arrays: the element's 1-based position). */
export async function* readRecords(input: Input, opts: ReadOptions = {}): AsyncGenerator<RawItem> {
  for await (const batch of readBatches(input, opts)) yield* batch;
}

/**
 * The elements of a JSON array, a batch at a time, then the parse error if any. Consumed from
 * events rather than an async iterator, which would drop the elements parsed just before an error.
 */
async function* arrayElements(text: Readable): AsyncGenerator<{ key: number; value: unknown }[] | Error> {
  const elements = text.pipe(streamArray.withParser());
  let batch: { key: number; value: unknown }[] = [];
  let failure: Error | undefined;
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  elements.on('data', (item: { key: number; value: unknown }) => {
    batch.push(item);
    if (batch.length >= 1000) {
      elements.pause();
      notify();
    }
  });
  const fail = (err: Error) => {
    failure ??= err;
    notify();
  };
  elements.on('error', fail);
  text.on('error', fail);
  elements.on('end', () => {
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
        if (!failure) elements.resume();
        continue;
      }
      if (failure) yield failure;
      return;
    }
  } finally {
    elements.destroy();
    text.destroy();
  }
}

function parseLine(line: number, s: string): RawItem {
  try {
    return { line, raw: JSON.parse(s) };
  } catch (err) {
    return { line, error: `not valid JSON (${(err as Error).message})` };
  }
}

/** Like readRecords, a chunk's worth of records at a time (NDJSON is split by hand: much faster than readline). */
export async function* readBatches(input: Input, opts: ReadOptions = {}): AsyncGenerator<RawItem[]> {
  const format = await detectFormat(input, opts.format);
  const text = openText(input, opts.onBytes);
  if (format === 'ndjson') {
    text.setEncoding('utf8');
    let line = 0;
    let rest = '';
    for await (const chunk of text as AsyncIterable<string>) {
      const data = rest + chunk;
      const items: RawItem[] = [];
      let start = 0;
      for (let nl = data.indexOf('\n'); nl !== -1; nl = data.indexOf('\n', start)) {
        line += 1;
        let s = data.slice(start, nl);
        start = nl + 1;
        if (line === 1 && s.charCodeAt(0) === 0xfeff) s = s.slice(1);
        if (s.trim() !== '') items.push(parseLine(line, s));
      }
      rest = data.slice(start);
      if (items.length) yield items;
    }
    if (rest.trim() !== '') yield [parseLine(line + 1, line === 0 ? rest.replace(/^\uFEFF/, '') : rest)];
    return;
  }
  const items: RawItem[] = [];
  const flush = () => items.splice(0, items.length);
  if (format === 'json') {
    // Streamed element by element (stream-json): memory stays flat whatever the array's size.
    // An element's "line" is its 1-based position in the array.
    let count = 0;
    for await (const got of arrayElements(text)) {
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
    return;
  }
  // CSV: header row first; the row's line is the line it starts on.
  const parser = text.pipe(
    parseCsv({ columns: (header: string[]) => header.map((h) => h.trim()), bom: true, info: true, skip_empty_lines: true, relax_column_count: true }),
  );
  let layout: 'csv' | 'acled' | 'sipri' | undefined = format === 'csv' ? undefined : format;
  const kind = opts.kind ?? kindFromFileName(input.name);
  const acled: AcledState = { sources: new Set() };
  const sipri: SipriState = { keys: new Map(), sourceEmitted: false };
  try {
    for await (const item of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number; raw?: string } }>) {
      const { record, info } = item;
      if (layout === undefined) {
        const header = Object.keys(record);
        layout = isAcledHeader(header) ? 'acled' : isSipriHeader(header) ? 'sipri' : 'csv';
      }
      const line = info.lines;
      if (layout === 'acled') for (const raw of acledRecords(record, acled)) items.push({ line, raw });
      else if (layout === 'sipri') for (const raw of sipriRecords(record, sipri)) items.push({ line, raw });
      else items.push({ line, raw: csvRowToRecord(record, kind) });
      if (items.length >= 1000) yield flush();
    }
    if (items.length) yield flush();
  } catch (err) {
    const e = err as Error & { lines?: number };
    if (items.length) yield flush();
    yield [{ line: e.lines ?? 0, error: `not valid CSV (${e.message})` }];
  }
}
