// npm run import -- <file…> [options]: bulk import (see docs/import-export.md).
// Exit status: 0 written (with --partial: the good records), 1 bad records (nothing written),
// 2 usage or I/O error, 130 cancelled (nothing written).
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { ImportCancelled, importWithPool, type ImportReport } from '../ingest/importer';
import { progressReporter } from '../ingest/progress';
import { fileInput, INPUT_FORMATS, readRecords, type InputFormat } from '../ingest/read';
import { KINDS, type Kind } from '../ingest/records';
import { openCliDatabase } from './open';
import { runCli, UsageError } from './run';

const USAGE = `Usage: npm run import -- <file…> [options]

Files: NDJSON (one record a line), a JSON array, CSV per kind, or ACLED, SIPRI (trade register)
and UCDP GED exports as their sites write them (title lines, UTF-8 or windows-1252); each may be
gzip-compressed. All files are imported in one transaction.

  --format auto|ndjson|json|csv|acled|sipri|ucdp   (default auto: from the content)
  --kind KIND                 CSV rows' kind when there is no kind column (default: from the file name)
  --dataset NAME              dataset of records that name none (default "default")
  --partial                   write the good records; the rejected ones (each record, with its
                              errors) go to <file>.rejects.ndjson
  --create-missing-actors     create actors named but not found (kind: --missing-actor-kind)
  --missing-actor-kind KIND   STATE, ORGANIZATION (default), PERSON, MILITARY_UNIT, COMPANY
  --dry-run                   check everything, write nothing
  --batch-size N              records per staging statement (default 5000)
  --quiet                     no progress output
  --help`;

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

/**
 * Writes each input's rejected records beside it: <file>.rejects.ndjson, one {line, position,
 * errors, record} a line (position: the record's in its input, 1-based), exactly the records the report rejected (found again by their position in the
 * input: a line can hold several records, of which only some may be rejected).
 */
async function writeRejects(report: ImportReport, format: InputFormat, kind: Kind | undefined): Promise<string[]> {
  const written: string[] = [];
  for (const { file, records } of report.rejected) {
    if (records.length === 0) continue;
    const wanted = new Set(records);
    const out = fs.createWriteStream(`${file}.rejects.ndjson`);
    let position = 0;
    for await (const item of readRecords(fileInput(file), { format, kind })) {
      position += 1;
      if (!wanted.has(position)) continue;
      const errors = report.errors.filter((e) => e.file === file && e.record === position).map(({ field, reason }) => ({ field, reason }));
      if (!out.write(`${JSON.stringify({ line: item.line, position, errors, record: item.raw ?? null })}\n`))
        await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    written.push(`${file}.rejects.ndjson`);
  }
  return written;
}

function summary(report: ImportReport): string {
  const lines = [
    `${report.records.toLocaleString('en-US')} records in ${report.seconds.toFixed(1)} s (${Math.round(report.records / Math.max(report.seconds, 0.001)).toLocaleString('en-US')} records/s)`,
  ];
  lines.push('kind         created   updated unchanged');
  for (const kind of KINDS) {
    const c = report.counts[kind];
    lines.push(`${kind.padEnd(11)} ${String(c.created).padStart(8)} ${String(c.updated).padStart(9)} ${String(c.unchanged).padStart(9)}`);
  }
  if (report.createdActors) lines.push(`(${report.createdActors} actors created from names: --create-missing-actors)`);
  return lines.join('\n');
}

async function main({ files, values, batchSize }: NonNullable<ReturnType<typeof options>>): Promise<number> {
  const db = await openCliDatabase({ poolSize: 1 });
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
    const rejected = report.rejected.reduce((n, r) => n + r.records.length, 0);
    if (report.errors.length > 0 && !values.partial) {
      process.stderr.write(`${report.errors.length} error(s) in ${rejected} record(s): nothing was written\n`);
      return 1;
    }
    if (values.partial && report.errors.length > 0) {
      const written = await writeRejects(report, values.format as InputFormat, values.kind as Kind | undefined);
      process.stderr.write(`rejected ${rejected} of ${report.records} record(s), written to ${written.join(', ')}\n`);
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

runCli({ usage: USAGE, parse: options, run: main, failure: { prefix: 'import', status: 2 } });
