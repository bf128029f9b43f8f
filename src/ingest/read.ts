// Reading import files: NDJSON (streamed line by line), JSON arrays, CSV (per kind, or the
// ACLED and SIPRI layouts), each possibly gzip-compressed (recognised by its magic bytes,
// whatever the file is called). Yields raw records with their line; validation is records.ts'.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { PassThrough, Readable } from 'node:stream';
import zlib from 'node:zlib';
import { parse as parseCsv } from 'csv-parse';
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
  const format = await detectFormat(input, opts.format);
  const text = openText(input, opts.onBytes);
  if (format === 'ndjson') {
    const lines = readline.createInterface({ input: text, crlfDelay: Infinity });
    let line = 0;
    for await (const l of lines) {
      line += 1;
      const s = line === 1 ? l.replace(/^\uFEFF/, '') : l;
      if (s.trim() === '') continue;
      try {
        yield { line, raw: JSON.parse(s) };
      } catch (err) {
        yield { line, error: `not valid JSON (${(err as Error).message})` };
      }
    }
    return;
  }
  if (format === 'json') {
    // A JSON array is parsed whole (use NDJSON for files too big for memory).
    const chunks: Buffer[] = [];
    for await (const chunk of text) chunks.push(chunk as Buffer);
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, ''));
    } catch (err) {
      yield { line: 1, error: `not valid JSON (${(err as Error).message})` };
      return;
    }
    if (!Array.isArray(parsed)) {
      yield { line: 1, error: 'a JSON file must hold an array of records' };
      return;
    }
    for (const [i, raw] of parsed.entries()) yield { line: i + 1, raw };
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
      if (layout === 'acled') for (const raw of acledRecords(record, acled)) yield { line, raw };
      else if (layout === 'sipri') for (const raw of sipriRecords(record, sipri)) yield { line, raw };
      else yield { line, raw: csvRowToRecord(record, kind) };
    }
  } catch (err) {
    const e = err as Error & { lines?: number };
    yield { line: e.lines ?? 0, error: `not valid CSV (${e.message})` };
  }
}
