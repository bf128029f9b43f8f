// The import: reads every input (streaming), validates each record, stages the valid ones in
// batches, then — under a lock that serialises imports — matches them with existing rows,
// resolves references, checks what needs the database and writes everything, in ONE
// transaction. All-or-nothing by default: any bad record and nothing is written, and the
// report lists every bad record (file, line, field, reason). `partial` writes the good ones.
//
// A record is counted as what it is: the n-th record of its input (`record`). One line can
// hold several (an ACLED or SIPRI row makes an event, its sources and citations), so
// rejections are counted, reported and written out by record, never by line: the report, the
// rejects file (npm run import --partial) and the database then agree exactly.
import crypto from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { TRANSACTION_MAX_WAIT_MS, type Db } from '../db/client';
import {
  aliasErrors,
  analyzeStaging,
  analyzeWritten,
  APPLY_ORDER,
  applyKind,
  auditImport,
  bulkSpans,
  countStaged,
  createMissingActors,
  createNeededPartitions,
  createStaging,
  dropRejected,
  fillResolved,
  learnAliases,
  lockImports,
  markChanged,
  matchExisting,
  resolveRefs,
  stageRefs,
  stageRows,
  unresolvedErrors,
  type KindCounts,
  type RowError,
} from '../db/queries/ingest';
import { clientSql, type Sql } from '../db/sql';
import type { StagedRefRow, StagedRow } from '../db/staging';
import { ValidationError } from '../domain/errors';
import type { Author } from '../services/audit';
import { detectFormat, readBatches, type Input, type InputFormat } from './read';
import { KINDS, normalizeRecord, type Kind } from './records';

export interface ImportOptions {
  format?: InputFormat;
  /** CSV per kind without a kind column. */
  kind?: Kind;
  /** Dataset of records that name none. */
  dataset?: string;
  partial?: boolean;
  createMissingActors?: boolean;
  /** Kind of the actors --create-missing-actors creates when the input gives none (default ORGANIZATION). */
  missingActorKind?: string;
  /** Validate everything, then roll back. */
  dryRun?: boolean;
  batchSize?: number;
  /** Refuse inputs with more records (the GraphQL mutation: small batches only). */
  maxRecords?: number;
  /** Who imports (the audit entry's key); default none (the CLI). */
  author?: Author;
  /** The operating-system user, for the audit entry of a CLI import (which has no key). */
  user?: string;
  /** The audit entry's operation: "importRecords" (GraphQL) or "import" (CLI, the default). */
  operation?: string;
  /** Set to cancel: the transaction is rolled back. */
  signal?: AbortSignal;
  /**
   * How references to events and shipments are looked up: by default chosen per kind from their
   * number beside the table's (resolveRefs); set by tests that compare both ways.
   */
  lookups?: 'probe' | 'join';
  onProgress?: (p: Progress) => void;
}

export interface Progress {
  phase: 'read' | 'check' | 'write' | 'done';
  records: number;
  bytes: number;
  totalBytes: number | undefined;
  file: string;
}

export interface ImportError {
  file: string;
  line: number;
  /** The record's position in its input, 1-based (lines can hold several records). */
  record: number;
  kind: Kind | null;
  field: string;
  reason: string;
}

export interface ImportReport {
  /** Whether anything was written (false: all-or-nothing failure, dry run, or cancelled). */
  committed: boolean;
  records: number;
  counts: Record<Kind, KindCounts>;
  /** Actors created by createMissingActors (also counted in counts.actor.created). */
  createdActors: number;
  errors: ImportError[];
  /** Rejected records per input: their positions (1-based, as `ImportError.record`) and lines. */
  rejected: { file: string; records: number[]; lines: number[] }[];
  seconds: number;
  /** The import's id: its audit entry's entityId (entity IMPORT); null when nothing was written. */
  importId: string | null;
  /** Seconds spent reading and staging, checking (under the lock), and writing. */
  phases: { read: number; check: number; write: number };
}

export class ImportCancelled extends Error {
  constructor() {
    super('import cancelled: nothing was written');
    this.name = 'ImportCancelled';
  }
}

const emptyCounts = (): Record<Kind, KindCounts> =>
  Object.fromEntries(KINDS.map((k) => [k, { created: 0, updated: 0, unchanged: 0 }])) as Record<Kind, KindCounts>;

/** Runs an import on one pg connection from `pool` (its own transaction). */
export async function importWithPool(pool: Pool, inputs: Input[], opts: ImportOptions = {}): Promise<ImportReport> {
  const client: PoolClient = await pool.connect();
  let broken = false;
  try {
    const sql = await clientSql(client);
    // Staging tables are temporary: give them room in memory (only possible before this
    // session's first temporary table, hence outside the transaction, and allowed to fail).
    await client.query("SET temp_buffers = '512MB'").catch(() => undefined);
    await client.query('BEGIN');
    try {
      // Bulk statements over millions of rows may take longer than the server's request timeout;
      // hash joins over millions of staged rows want more than the default 4 MB.
      await client.query('SET LOCAL statement_timeout = 0');
      await client.query("SET LOCAL work_mem = '256MB'");
      // The set-based statements' estimates (millions of rows) would have each one compiled and
      // optimised by LLVM first: seconds of CPU for hash joins that gain nothing from it.
      await client.query('SET LOCAL jit = off');
      const report = await runImport(sql, inputs, opts);
      await client.query(report.committed ? 'COMMIT' : 'ROLLBACK');
      return report;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw err;
    }
  } finally {
    client.release(broken);
  }
}

class Rollback extends Error {
  constructor(readonly report: ImportReport) {
    super('rollback');
  }
}

/** Runs an import inside a Prisma interactive transaction (the GraphQL mutation: small batches). */
export async function importWithPrisma(db: Db, inputs: Input[], opts: ImportOptions = {}): Promise<ImportReport> {
  try {
    return await db.transaction(
      async (tx) => {
        const sql: Sql = { query: (text, params = []) => tx.$queryRawUnsafe(text, ...params) };
        const report = await runImport(sql, inputs, opts);
        if (!report.committed) throw new Rollback(report);
        return report;
      },
      { timeout: 120_000, maxWait: TRANSACTION_MAX_WAIT_MS },
    );
  } catch (err) {
    if (err instanceof Rollback) return err.report;
    throw err;
  }
}

/** The import proper, on a connection already inside a transaction. Returns committed: false to ask for a rollback. */
export async function runImport(sql: Sql, inputs: Input[], opts: ImportOptions = {}): Promise<ImportReport> {
  const started = Date.now();
  const phases = { read: 0, check: 0, write: 0 };
  let phaseStart = started;
  const endPhase = (phase: keyof typeof phases) => {
    const now = Date.now();
    phases[phase] = (now - phaseStart) / 1000;
    phaseStart = now;
  };
  const batchSize = opts.batchSize ?? 5000;
  const dataset = opts.dataset ?? 'default';
  const errors: (RowError & { kindOrNull?: Kind | null })[] = [];
  const checkCancel = () => {
    if (opts.signal?.aborted) throw new ImportCancelled();
  };

  await createStaging(sql);

  // 1. Read, validate and stage, batch by batch (one batch in flight while the next is built).
  let seq = 0;
  let records = 0;
  const batches = new Map<Kind, StagedRow[]>(KINDS.map((k) => [k, []]));
  let refBatch: StagedRefRow[] = [];
  let inFlight: Promise<void> = Promise.resolve();
  const send = (work: () => Promise<void>) => {
    const previous = inFlight;
    inFlight = previous.then(work);
    return previous;
  };
  const flush = async (kind: Kind | 'refs') => {
    if (kind === 'refs') {
      const refs = refBatch;
      refBatch = [];
      await send(() => stageRefs(sql, refs));
    } else {
      const rows = batches.get(kind)!;
      batches.set(kind, []);
      await send(() => stageRows(sql, kind, rows));
    }
  };
  const parseErrors: ImportError[] = [];
  /** The seq before each input's first record: a record's position in its input is seq - this. */
  const seqBefore: number[] = [];
  for (const [file, input] of inputs.entries()) {
    seqBefore[file] = seq;
    let bytes = 0;
    let lastReport = 0;
    const onBytes = (b: number) => {
      bytes = b;
    };
    for await (const items of readBatches(input, { format: opts.format, kind: opts.kind, onBytes })) {
      for (const item of items) {
        records += 1;
        seq += 1;
        if (opts.maxRecords !== undefined && records > opts.maxRecords) {
          throw new ValidationError('data', `at most ${opts.maxRecords} records at a time (use npm run import for files)`);
        }
        const record = seq - seqBefore[file];
        if (item.error !== undefined) {
          parseErrors.push({ file: input.name, line: item.line, record, kind: null, field: '(record)', reason: item.error });
          continue;
        }
        if (item.issues !== undefined) {
          for (const issue of item.issues) parseErrors.push({ file: input.name, line: item.line, record, kind: item.kind ?? null, ...issue });
          continue;
        }
        const result = normalizeRecord(item.raw, dataset);
        if (!result.ok) {
          for (const issue of result.issues) parseErrors.push({ file: input.name, line: item.line, record, kind: result.kind, ...issue });
          continue;
        }
        const row = result.record.row as StagedRow;
        row.seq = seq;
        row.file = file;
        row.line = item.line;
        row.given_id = row.id !== null;
        // Time-ordered ids (UUIDv7): new rows land at the right edge of the primary-key B-trees
        // instead of all over them (random v4 ids dirty a page per row on big imports).
        if (row.id === null) row.id = uuidv7();
        const batch = batches.get(result.record.kind)!;
        batch.push(row);
        for (const ref of result.record.refs) refBatch.push({ ...ref, seq, file, line: item.line, kind: result.record.kind });
        if (batch.length >= batchSize) await flush(result.record.kind);
        if (refBatch.length >= batchSize * 2) await flush('refs');
      }
      if (records - lastReport >= 10_000) {
        lastReport = records;
        checkCancel();
        opts.onProgress?.({ phase: 'read', records, bytes, totalBytes: input.size, file: input.name });
      }
    }
    opts.onProgress?.({ phase: 'read', records, bytes, totalBytes: input.size, file: input.name });
  }
  for (const kind of KINDS) await flush(kind);
  await flush('refs');
  await inFlight;
  checkCancel();
  // Temporary tables are never analysed automatically: without statistics the planner
  // would pick nested loops over millions of staged rows.
  await analyzeStaging(sql);
  endPhase('read');

  // 2. Checks that need the database, under the import lock.
  const progress = (phase: Progress['phase']) =>
    opts.onProgress?.({ phase, records, bytes: 0, totalBytes: undefined, file: inputs.map((i) => i.name).join(', ') });
  progress('check');
  await lockImports(sql);
  const sqlErrors: RowError[] = [...(await matchExisting(sql))];
  await analyzeStaging(sql);
  if (opts.partial)
    await dropRejected(
      sql,
      sqlErrors.map((e) => e.seq),
    );
  let createdActors = 0;
  for (let round = 0; ; round += 1) {
    checkCancel();
    await resolveRefs(sql, opts.lookups);
    if (opts.createMissingActors && round === 0) {
      const n = await createMissingActors(sql, opts.missingActorKind ?? 'ORGANIZATION');
      if (n > 0) {
        createdActors += n;
        await resolveRefs(sql, opts.lookups);
      }
    }
    const found = [...(await unresolvedErrors(sql)), ...(await aliasErrors(sql)), ...(await learnAliases(sql)), ...(await fillResolved(sql))];
    sqlErrors.push(...found);
    // All-or-nothing: one pass finds every error. Partial: drop the rejects and check again,
    // since a record that pointed at a rejected one is now unresolved too.
    if (!opts.partial || found.length === 0) break;
    await dropRejected(sql, [...new Set(found.map((e) => e.seq))]);
  }
  errors.push(...sqlErrors);

  const allErrors: ImportError[] = [
    ...parseErrors,
    ...errors.map((e) => ({ file: inputs[e.file].name, line: e.line, record: e.seq - seqBefore[e.file], kind: e.kind, field: e.field, reason: e.reason })),
  ].sort((a, b) => (a.file === b.file ? a.record - b.record : inputs.findIndex((i) => i.name === a.file) - inputs.findIndex((i) => i.name === b.file)));
  const byNumber = (a: number, b: number) => a - b;
  const rejected = inputs.map((input) => {
    const mine = allErrors.filter((e) => e.file === input.name);
    return { file: input.name, records: [...new Set(mine.map((e) => e.record))].sort(byNumber), lines: [...new Set(mine.map((e) => e.line))].sort(byNumber) };
  });
  endPhase('check');
  const base = { records, createdActors, errors: allErrors, rejected, phases };

  if (allErrors.length > 0 && !opts.partial) {
    return { ...base, committed: false, importId: null, counts: emptyCounts(), seconds: (Date.now() - started) / 1000 };
  }

  // 3. Write.
  progress('write');
  await markChanged(sql);
  const counts = await countStaged(sql);
  counts.actor.created += createdActors;
  await createNeededPartitions(sql);
  await bulkSpans(sql);
  for (const kind of APPLY_ORDER) {
    checkCancel();
    await applyKind(sql, kind);
  }
  if (!opts.dryRun) await analyzeWritten(sql, counts);
  const importId = crypto.randomUUID();
  await auditImport(sql, {
    id: importId,
    keyId: opts.author?.keyId ?? null,
    operation: opts.operation ?? 'import',
    summary: {
      ...(opts.user ? { user: opts.user } : {}),
      inputs: await Promise.all(inputs.map(async (input) => ({ name: input.name, format: await detectFormat(input, opts.format) }))),
      dataset,
      partial: opts.partial ?? false,
      createMissingActors: opts.createMissingActors ?? false,
      records,
      rejected: rejected.reduce((n, r) => n + r.records.length, 0),
      createdActors,
      counts,
    },
  });
  checkCancel();
  endPhase('write');
  progress('done');
  return { ...base, committed: !opts.dryRun, importId: opts.dryRun ? null : importId, counts, seconds: (Date.now() - started) / 1000 };
}
