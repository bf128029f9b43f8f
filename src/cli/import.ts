// npm run import -- <file…> [options]: bulk import (see README, "Import and export").
// Exit status: 0 written (with --partial: the good records), 1 bad records (nothing written),
// 2 usage or I/O error, 130 cancelled (nothing written).
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { ImportCancelled, importWithPool, type ImportReport } from '../ingest/importer';
import { progressReporter } from '../ingest/progress';
import { fileInput, INPUT_FORMATS, readRecords, type InputFormat } from '../ingest/read';
import { KINDS, type Kind } from '../ingest/records';

const USAGE = `Usage: npm run import -- <file…> [options]

Files: NDJSON (one record a line), a JSON array, CSV per kind, or ACLED / SIPRI CSV exports;
each may be gzip-compressed. All files are imported in one transaction.

  --format auto|ndjson|json|csv|acled|sipri   (default auto: from the content)
  --kind KIND                 CSV rows' kind when there is no kind column (default: from the file name)
  --dataset NAME              dataset of records that name none (default "default")
  --partial                   write the good records; rejects go to <file>.rejects.ndjson
  --create-missing-actors     create actors named but not found (kind: --missing-actor-kind)
  --missing-actor-kind KIND   STATE, ORGANIZATION (default), PERSON, MILITARY_UNIT, COMPANY
  --dry-run                   check everything, write nothing
  --batch-size N              records per staging statement (default 5000)
  --quiet                     no progress output
  --help`;

class UsageError extends Error {}

function options(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'auto' },
      kind: { type: 'string' },
      dataset: { type: 'string' },
      partial: { type: 'boolean', default: false },
      'create-missing-actors': { type: 'boolean', default: false },
      'missing-actor-kind': { type: 'string', default: 'ORGANIZATION' },
      'dry-run': { type: 'boolean', default: false },
      'batch-size': { type: 'string', default: '5000' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return null;
  if (positionals.length === 0) throw new UsageError('no input file given');
  if (!INPUT_FORMATS.includes(values.format as InputFormat)) throw new UsageError(`--format must be one of ${INPUT_FORMATS.join(', ')}`);
  if (values.kind && !KINDS.includes(values.kind as Kind)) throw new UsageError(`--kind must be one of ${KINDS.join(', ')}`);
  const batchSize = Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new UsageError('--batch-size must be a positive whole number');
  for (const f of positionals) if (!fs.existsSync(f)) throw new UsageError(`no such file: ${f}`);
  return { files: positionals, values, batchSize };
}

/** Writes each input's rejected records beside it: <file>.rejects.ndjson, one {line, errors, record} a line. */
async function writeRejects(report: ImportReport, format: InputFormat, kind: Kind | undefined): Promise<string[]> {
  const written: string[] = [];
  for (const { file, lines } of report.rejected) {
    if (lines.length === 0) continue;
    const wanted = new Set(lines);
    const out = fs.createWriteStream(`${file}.rejects.ndjson`);
    for await (const item of readRecords(fileInput(file), { format, kind })) {
      if (!wanted.has(item.line)) continue;
      const errors = report.errors.filter((e) => e.file === file && e.line === item.line).map(({ field, reason }) => ({ field, reason }));
      if (!out.write(`${JSON.stringify({ line: item.line, errors, record: item.raw ?? null })}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    written.push(`${file}.rejects.ndjson`);
  }
  return written;
}

function summary(report: ImportReport): string {
  const lines = [`${report.records.toLocaleString('en-US')} records in ${report.seconds.toFixed(1)} s (${Math.round(report.records / Math.max(report.seconds, 0.001)).toLocaleString('en-US')} records/s)`];
  lines.push('kind         created   updated unchanged');
  for (const kind of KINDS) {
    const c = report.counts[kind];
    lines.push(`${kind.padEnd(11)} ${String(c.created).padStart(8)} ${String(c.updated).padStart(9)} ${String(c.unchanged).padStart(9)}`);
  }
  if (report.createdActors) lines.push(`(${report.createdActors} actors created from names: --create-missing-actors)`);
  return lines.join('\n');
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
  const { files, values, batchSize } = opts;
  const config = loadConfig();
  const db = await openDatabase({ ...config, poolSize: 1 });
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\ncancelling: rolling back (Ctrl-C again to quit at once; nothing is written either way)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const progress = values.quiet ? undefined : progressReporter();
  try {
    const report = await importWithPool(db.pool, files.map(fileInput), {
      format: values.format as InputFormat,
      kind: values.kind as Kind | undefined,
      dataset: values.dataset,
      partial: values.partial,
      createMissingActors: values['create-missing-actors'],
      missingActorKind: values['missing-actor-kind'].toUpperCase(),
      dryRun: values['dry-run'],
      batchSize,
      user: os.userInfo().username,
      signal: controller.signal,
      onProgress: progress ? (p) => progress.update(p) : undefined,
    });
    for (const e of report.errors) process.stderr.write(`${e.file}:${e.line}: ${e.kind ?? 'record'} ${e.field}: ${e.reason}\n`);
    if (report.errors.length > 0 && !values.partial) {
      process.stderr.write(`${report.errors.length} error(s) in ${report.rejected.reduce((n, r) => n + r.lines.length, 0)} record(s): nothing was written\n`);
      return 1;
    }
    if (values.partial && report.errors.length > 0) {
      const written = await writeRejects(report, values.format as InputFormat, values.kind as Kind | undefined);
      process.stderr.write(`rejected ${report.rejected.reduce((n, r) => n + r.lines.length, 0)} record(s), written to ${written.join(', ')}\n`);
    }
    process.stdout.write(`${summary(report)}\n${report.committed ? '' : 'dry run: nothing was written\n'}`);
    return 0;
  } catch (err) {
    if (err instanceof ImportCancelled) {
      process.stderr.write(`${err.message}\n`);
      return 130;
    }
    throw err;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`import failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
