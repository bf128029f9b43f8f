// npm run export -- --format ndjson|csv [--kind actor,event…] [--from YYYY-MM-DD --to YYYY-MM-DD] [--out PATH]
// Writes the database (or a part) in the import format: NDJSON to standard output or --out FILE
// (gzip-compressed when FILE ends in .gz); CSV one file per kind: to standard output for one
// --kind, else into the directory --out DIR as actors.csv, sources.csv, events.csv …
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable, type Writable } from 'node:stream';
import zlib from 'node:zlib';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify';
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import type { Sql } from '../db/queries/ingest';
import { CSV_COLUMNS, recordToCsvRow } from '../ingest/csv';
import { checkExportFilter, exportRecords, type ExportFilter } from '../ingest/export';
import { KINDS, type Kind } from '../ingest/records';

const USAGE = `Usage: npm run export -- --format ndjson|csv [options]

  --kind KIND[,KIND…]   actor, source, event, affiliation, shipment, citation (default: all)
  --from YYYY-MM-DD     events, shipments, affiliations overlapping the window, with their
  --to YYYY-MM-DD       actors, citations and sources
  --out PATH            NDJSON: a file (.gz: compressed); CSV: a directory (one file per kind)
  --help`;

class UsageError extends Error {}

function options(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      format: { type: 'string', default: 'ndjson' },
      kind: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return null;
  if (values.format !== 'ndjson' && values.format !== 'csv') throw new UsageError('--format must be ndjson or csv');
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
  return { format: values.format, filter, out: values.out };
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

export async function writeCsv(sql: Sql, filter: ExportFilter, kind: Kind, out: Writable): Promise<number> {
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
    stringify({ header: true, columns: [...CSV_COLUMNS[kind]] }),
    out,
  );
  return n;
}

async function main(): Promise<number> {
  let opts;
  try {
    opts = options(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (!opts) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const db = await openDatabase({ ...loadConfig(), poolSize: 1 });
  const client = await db.pool.connect();
  try {
    const sql: Sql = { query: async (text, params) => (await client.query(text, params as unknown[])).rows };
    // One snapshot for the whole export.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query('SET LOCAL statement_timeout = 0');
    let n = 0;
    if (opts.format === 'ndjson') n = await writeNdjson(sql, opts.filter, target(opts.out));
    else if (!opts.out) n = await writeCsv(sql, opts.filter, opts.filter.kinds![0], process.stdout);
    else {
      fs.mkdirSync(opts.out, { recursive: true });
      for (const kind of opts.filter.kinds ?? KINDS) n += await writeCsv(sql, opts.filter, kind, fs.createWriteStream(path.join(opts.out, `${kind}s.csv`)));
    }
    await client.query('COMMIT');
    process.stderr.write(`exported ${n} records\n`);
    return 0;
  } finally {
    client.release();
    await db.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`export failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
