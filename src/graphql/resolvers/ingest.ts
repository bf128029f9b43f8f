// importRecords: small batches through the bulk import (src/ingest/importer.ts), inside one
// Prisma transaction. Access: every mutation needs EDITOR (../guard.ts).
import { ValidationError } from '../../domain/errors';
import { checkText } from '../../domain/validation';
import type { MutationResolvers } from '../../generated/graphql';
import { importWithPrisma } from '../../ingest/importer';
import { textInput, type InputFormat } from '../../ingest/read';
import { KINDS, type Kind } from '../../ingest/records';
import { by } from './audit';

/** Larger inputs belong to `npm run import`, which streams them. */
export const MAX_IMPORT_RECORDS = 10_000;

export const ingestMutation: MutationResolvers = {
  importRecords: async (_, args, ctx) => {
    const kind = args.kind?.trim().toLowerCase() as Kind | undefined;
    if (kind && !KINDS.includes(kind)) throw new ValidationError('kind', `kind must be one of ${KINDS.join(', ')}`);
    // (the dataset goes into the records and the import's audit entry: text and jsonb alike refuse NUL)
    checkText(args.data, 'data');
    checkText(args.dataset, 'dataset');
    const report = await importWithPrisma(ctx.db, [textInput('(request)', args.data)], {
      format: args.format.toLowerCase() as InputFormat,
      kind,
      dataset: args.dataset?.trim() || undefined,
      partial: args.partial ?? false,
      createMissingActors: args.createMissingActors ?? false,
      dryRun: args.dryRun ?? false,
      maxRecords: MAX_IMPORT_RECORDS,
      author: by(ctx),
      operation: 'importRecords',
    });
    return {
      committed: report.committed,
      records: report.records,
      counts: KINDS.map((k) => ({ kind: k, ...report.counts[k] })),
      createdActors: report.createdActors,
      errors: report.errors.map((e) => ({ line: e.line, record: e.record, kind: e.kind, field: e.field, reason: e.reason })),
      rejectedLines: report.rejected.flatMap((r) => r.lines),
      importId: report.importId,
    };
  },
};
