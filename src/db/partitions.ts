// Yearly partitions of the partitioned tables (migration 20261202100000_partition_events_shipments):
// created ahead by `npm run db:partitions`, on demand by the importer. The work is done by the
// database function ensure_year_partitions (one definition for the migration, the command and the
// importer): create what is missing, move its rows out of the default partition, attach.
import { Prisma } from '../generated/prisma/client';
import type { Sql } from './sql';

/** The partitioned tables and their span's columns: each is partitioned by the year of `start`. */
export const PARTITIONED = {
  events: { start: 'span_start', end: 'span_end' },
  shipments: { start: 'delivery_start', end: 'delivery_end' },
} as const;
export type PartitionedTable = keyof typeof PARTITIONED;

/**
 * The years that get a yearly partition (ensure_year_partitions refuses others: a year's range
 * ends on the next 1 January, and 9999 has none in the dates we store). Rows of other years stay
 * in the default partition, as every write through the API does when no yearly partition exists.
 */
export const PARTITIONED_YEARS = { first: 1, last: 9998 } as const;

/**
 * `<alias>.<start> >= from - the longest span in the table`: redundant for a span that overlaps a
 * window starting at `from`, but only bounds on the partition key prune, and this one prunes
 * the years before the window (at run time: the longest span is a subquery, answered by the
 * expression index on (end - start), one probe per partition). Live tables only: a history
 * table is not partitioned, and an earlier version's span may have been longer.
 */
export function spanStartLowerBound(table: PartitionedTable, alias: string, from: string): Prisma.Sql {
  const { start, end } = PARTITIONED[table];
  return Prisma.sql`${Prisma.raw(`${alias}.${start}`)} >= ${from}::date - ${Prisma.raw(`(SELECT coalesce(max(x.${end} - x.${start}), 0) FROM ${table} x)`)}`;
}

export interface PartitionInfo {
  table: string;
  partition: string;
  /** The range it holds ("DEFAULT" for the catch-all). */
  bounds: string;
  rows: number;
}

/** Creates `table`'s missing yearly partitions for `years`; returns the ones it created. */
export async function ensureYearPartitions(sql: Sql, table: string, years: number[]): Promise<string[]> {
  const [{ created }] = await sql.query<{ created: string[] }>('SELECT ensure_year_partitions($1, $2::int[]) AS created', [table, years]);
  return created;
}

/**
 * The years `from`…`to` for every partitioned table, then fresh statistics for the parents
 * (autovacuum analyses partitions, never a partitioned table itself). Run it in one transaction.
 */
export async function createPartitionsAhead(sql: Sql, from: number, to: number): Promise<string[]> {
  const years = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const created: string[] = [];
  for (const table of Object.keys(PARTITIONED)) created.push(...(await ensureYearPartitions(sql, table, years)));
  await sql.query(`ANALYZE ${Object.keys(PARTITIONED).join(', ')}`);
  return created;
}

/** Every partition of the partitioned tables with its range and exact row count, in range order. */
export async function listPartitions(sql: Sql): Promise<PartitionInfo[]> {
  const parts = await sql.query<{ table: string; partition: string; bounds: string }>(
    `SELECT p.relname AS "table", c.relname AS partition, pg_get_expr(c.relpartbound, c.oid) AS bounds
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
      WHERE p.relname = ANY($1::text[]) AND p.relnamespace = 'public'::regnamespace
      ORDER BY p.relname, c.relname = p.relname || '_default', c.relname`,
    [Object.keys(PARTITIONED)],
  );
  if (!parts.length) return [];
  const counts = await sql.query<{ partition: string; rows: number }>(
    parts.map((p) => `SELECT '${p.partition}' AS partition, count(*)::int AS rows FROM "${p.partition}"`).join(' UNION ALL '),
  );
  const rows = new Map(counts.map((c) => [c.partition, c.rows]));
  return parts.map((p) => ({ ...p, bounds: p.bounds.replace(/^FOR VALUES /, ''), rows: rows.get(p.partition) ?? 0 }));
}
