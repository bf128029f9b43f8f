// The plain SQL connection the importer, the exporter and the partition tools speak: one pg
// client or one Prisma interactive transaction, behind the two calls they need.
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** One connection inside a transaction: a pg client, or a Prisma interactive transaction. */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** COPY … FROM STDIN of rows in COPY's text format, when the connection can (a pg client; not Prisma's). */
  copyText?(table: string, columns: string[], data: string): Promise<void>;
}

/** A pg client as Sql, staging with COPY. */
export async function clientSql(client: ClientBase): Promise<Sql> {
  const sql: Sql = { query: async (text, params) => (await client.query(text, params as unknown[])).rows };
  sql.copyText = async (table, columns, data) => {
    await pipeline(Readable.from([data]), client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)));
  };
  return sql;
}
