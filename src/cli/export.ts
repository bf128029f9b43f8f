// npm run export -- --format ndjson|csv|xlsx [--kind actor,event…] [--from YYYY-MM-DD --to YYYY-MM-DD] [--out PATH]
// Writes the database (or a part) in the import format: NDJSON to standard output or --out FILE
// (gzip-compressed when FILE ends in .gz); CSV one file per kind: to standard output for one
// --kind, else into the directory --out DIR as actors.csv, sources.csv, events.csv … under the
// project's CSV policy (src/domain/csv.ts): formula cells neutralised (the importer restores
// them), UTF-8 with a byte-order mark unless --no-bom; XLSX one workbook, a sheet per kind with
// the CSV's columns (src/ingest/xlsx.ts: typed cells, text never a formula), to --out FILE or standard output.
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable, type Writable } from 'node:stream';
import zlib from 'node:zlib';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify';
import { openCliDatabase } from './open';
import { runCli, UsageError } from './run';
import type { Sql } from '../db/sql';
import { csvStringifyOptions, type CsvOptions } from '../domain/csv';
import { CSV_COLUMNS, recordToCells, recordToCsvRow } from '../ingest/csv';
import { checkExportFilter, exportRecords, type ExportFilter } from '../ingest/export';
import { KINDS, type Kind } from '../ingest/records';
import { writeXlsx, XlsxLimitError } from '../ingest/xlsx';

const USAGE = `Usage: npm run export -- --format ndjson|csv|xlsx [options]

  --kind KIND[,KIND…]   actor, source, event, affiliation, shipment, citation (default: all)
  --from YYYY-MM-DD     events, shipments, affiliations overlapping the window, with their
  --to YYYY-MM-DD       actors, citations and sources
  --out PATH            NDJSON: a file (.gz: compressed); CSV: a directory (one file per kind);
                        XLSX: a file (one sheet per kind; a sheet holds at most 1,048,575 records)
  --no-bom              CSV without a byte-order mark (for programs; spreadsheets want one)
  --help`;

function options(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      format: { type: 'string', default: 'ndjson' },
      kind: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
      'no-bom': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return null;
  if (!['ndjson', 'csv', 'xlsx'].includes(values.format)) throw new UsageError('--format must be ndjson, csv or xlsx');
  const kinds = values.kind?.split(',').map((k) => k.trim().toLowerCase().replace(/s$/, '')) as Kind[] | undefined;
  for (const k of kinds ?? []) if (!KINDS.includes(k)) throw new UsageError(`unknown kind "${k}": one of ${KINDS.join(', ')}`);
  const filter: ExportFilter = { kinds, from: values.from, to: values.to };
  try {
    checkExportFilter(filter);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.format === 'csv' && !values.out && (kinds?.length ?? KINDS.length) !== 1) {
    throw new UsageError('CSV to standard output needs exactly one --kind (or --out DIR for one file per kind)');
  }
  return { format: values.format, filter, out: values.out, csv: { bom: !values['no-bom'] } };
}

function target(file: string | undefined): Writable {
  if (!file) return process.stdout;
  const out = fs.createWriteStream(file);
  if (!file.endsWith('.gz')) return out;
  const gz = zlib.createGzip();
  gz.pipe(out);
  return gz;
}

export async function writeNdjson(sql: Sql, filter: ExportFilter, out: Writable): Promise<number> {
  let n = 0;
  await pipeline(
    Readable.from(
      (async function* () {
        for await (const { record } of exportRecords(sql, filter)) {
          n += 1;
          yield `${JSON.stringify(record)}\n`;
        }
      })(),
    ),
    out,
  );
  return n;
}

export async function writeCsv(sql: Sql, filter: ExportFilter, kind: Kind, out: Writable, opts: CsvOptions = {}): Promise<number> {
  let n = 0;
  await pipeline(
    Readable.from(
      (async function* () {
        for await (const { record } of exportRecords(sql, { ...filter, kinds: [kind] })) {
          n += 1;
          yield recordToCsvRow(record, kind);
        }
      })(),
    ),
    stringify(csvStringifyOptions(CSV_COLUMNS[kind], opts)),
    out,
  );
  return n;
}

/** Every kind asked for as one workbook, a sheet per kind (numbers as numbers, text as text). */
export async function writeWorkbook(sql: Sql, filter: ExportFilter, out: Writable): Promise<number> {
  const sheets = (filter.kinds ?? KINDS).map((kind) => ({
    name: `${kind}s`,
    header: CSV_COLUMNS[kind],
    rows: (async function* () {
      for await (const { record } of exportRecords(sql, { ...filter, kinds: [kind] })) yield recordToCells(record, kind);
    })(),
  }));
  return (await writeXlsx(out, sheets)).rows;
}

async function main(opts: NonNullable<ReturnType<typeof options>>): Promise<number> {
  const db = await openCliDatabase({ poolSize: 1 });
  const client = await db.pool.connect();
  try {
    const sql: Sql = { query: async (text, params) => (await client.query(text, params as unknown[])).rows };
    // One snapshot for the whole export.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query('SET LOCAL statement_timeout = 0');
    let n = 0;
    if (opts.format === 'ndjson') n = await writeNdjson(sql, opts.filter, target(opts.out));
    else if (opts.format === 'xlsx') {
      try {
        n = await writeWorkbook(sql, opts.filter, opts.out ? fs.createWriteStream(opts.out) : process.stdout);
      } catch (err) {
        // Nothing half-written stays behind.
        if (opts.out) fs.rmSync(opts.out, { force: true });
        if (err instanceof XlsxLimitError) {
          process.stderr.write(`${err.message}\n`);
          return 1;
        }
        throw err;
      }
    } else if (!opts.out) n = await writeCsv(sql, opts.filter, opts.filter.kinds![0], process.stdout, opts.csv);
    else {
      fs.mkdirSync(opts.out, { recursive: true });
      for (const kind of opts.filter.kinds ?? KINDS)
        n += await writeCsv(sql, opts.filter, kind, fs.createWriteStream(path.join(opts.out, `${kind}s.csv`)), opts.csv);
    }
    await client.query('COMMIT');
    process.stderr.write(`exported ${n} records\n`);
    return 0;
  } finally {
    client.release();
    await db.close();
  }
}

runCli({ usage: USAGE, parse: options, run: main, failure: { prefix: 'export', status: 2 } });
