// Export → import through the API (the round-trip tests of claims and uncertainty): a server's
// records as the exporter writes them, as the files a user would import, and the mutation.
import { Client } from 'pg';
import { clientSql } from '../../src/db/sql';
import { toCsv } from '../../src/domain/csv';
import { CSV_COLUMNS, recordToCsvRow } from '../../src/ingest/csv';
import { exportRecords } from '../../src/ingest/export';
import { KINDS, type Kind } from '../../src/ingest/records';

export type ExportedRecord = { kind: Kind; record: Record<string, unknown> };

export const IMPORT_RECORDS = `mutation ($format: ImportFormat!, $data: String!, $kind: String) {
  importRecords(format: $format, data: $data, kind: $kind) { committed errors { line kind field reason } } }`;

/** Every record of the database at `url`, as the exporter writes them. */
export async function exportedRecords(url: string): Promise<ExportedRecord[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const out: ExportedRecord[] = [];
    for await (const r of exportRecords(await clientSql(client))) out.push(r);
    return out;
  } finally {
    await client.end();
  }
}

/** The records as one NDJSON file. */
export const ndjsonOf = (records: ExportedRecord[]): string => records.map((r) => JSON.stringify(r.record)).join('\n');

/** The records as CSV files, one per kind that has any, in KINDS' order (the order an import needs). */
export function csvPerKind(records: ExportedRecord[]): { kind: Kind; data: string }[] {
  return KINDS.flatMap((kind) => {
    const rows = records.filter((r) => r.kind === kind).map((r) => recordToCsvRow(r.record, kind));
    return rows.length ? [{ kind, data: toCsv(rows, [...CSV_COLUMNS[kind]]) }] : [];
  });
}
