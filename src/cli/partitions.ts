// npm run db:partitions -- [--from 1990 --to 2030]
// Creates the yearly partitions of events and shipments for those years ahead of need (idempotent:
// existing ones are left alone), moving rows that wait for them out of the default partitions, in
// one transaction; then lists every partition with its row count. Without --from/--to: the list only.
import { parseArgs } from 'node:util';
import { createPartitionsAhead, listPartitions, PARTITIONED_YEARS } from '../db/partitions';
import { clientSql } from '../db/sql';
import { openCliDatabase } from './open';
import { runCli, UsageError } from './run';

export const USAGE = 'usage: npm run db:partitions -- [--from YEAR --to YEAR]';

/** The years asked for, or null for the list only. */
export function parseYears(argv: string[]): { from: number; to: number } | null {
  const { values } = parseArgs({ args: argv, options: { from: { type: 'string' }, to: { type: 'string' } }, strict: true });
  if (values.from === undefined && values.to === undefined) return null;
  const year = (name: string, v: string | undefined) => {
    if (v === undefined || !/^\d{1,4}$/.test(v) || Number(v) < PARTITIONED_YEARS.first || Number(v) > PARTITIONED_YEARS.last) {
      throw new UsageError(`--${name} must be a year (${PARTITIONED_YEARS.first}-${PARTITIONED_YEARS.last})`);
    }
    return Number(v);
  };
  const from = year('from', values.from);
  const to = year('to', values.to);
  if (to < from) throw new UsageError('--to must not be before --from');
  if (to - from >= 200) throw new UsageError('at most 200 years at a time');
  return { from, to };
}

async function main(years: ReturnType<typeof parseYears>): Promise<void> {
  const db = await openCliDatabase();
  const client = await db.pool.connect();
  try {
    const sql = await clientSql(client);
    if (years) {
      await sql.query('BEGIN');
      try {
        const created = await createPartitionsAhead(sql, years.from, years.to);
        await sql.query('COMMIT');
        console.log(
          created.length ? `created ${created.length} partition(s): ${created.join(', ')}` : `every partition for ${years.from}-${years.to} already exists`,
        );
      } catch (err) {
        await sql.query('ROLLBACK');
        throw err;
      }
    }
    for (const p of await listPartitions(sql)) console.log(`${p.partition.padEnd(24)} ${p.bounds.padEnd(44)} ${p.rows} rows`);
  } finally {
    client.release();
    await db.close();
  }
}

// parseYears' null is "the list only", not --help: the runner gets it wrapped.
if (require.main === module) runCli({ usage: USAGE, parse: (argv) => ({ years: parseYears(argv) }), run: ({ years }) => main(years), usageGap: '\n' });
