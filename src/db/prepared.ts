// The prepared-statement cache of raw reads: which statements a pooled connection has prepared,
// by name, and when it is full and must be retired. Why: docs/decisions/prepared-statements.md.
import crypto from 'node:crypto';
import type { Prisma } from '../generated/prisma/client';

/** Statements prepared per pooled connection before it is retired (see CreatePrismaOptions.maxPrepared). */
export const MAX_PREPARED_PER_CONNECTION = 32;

/** A pooled connection, with the names of the statements it has prepared kept on it. */
export interface PreparingConnection {
  prepared?: Set<string>;
}

/**
 * Statements that must be planned for their parameters on every run, never prepared: a report's
 * window and filters change its plan (which rollup rows, which partitions, how many periods),
 * and a generic plan for them is several times slower (docs/decisions/prepared-statements.md).
 */
const planEachTime = new WeakSet<Prisma.Sql>();

/** Marks `sql` as planned on every run (see planEachTime). */
export function unprepared(sql: Prisma.Sql): Prisma.Sql {
  planEachTime.add(sql);
  return sql;
}

/** Names of the statements seen lately: hashing a page's few kilobytes of SQL showed in CPU profiles of small requests. */
const statementNames = new Map<string, string>();
const STATEMENT_NAMES_KEPT = 1_000;

/** A prepared statement's name, from its text: the same SQL gets the same name on every connection. */
export function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `r_${crypto.createHash('sha1').update(text).digest('base64url')}`;
    // A stream of new statements (op 8's distinct documents) starts the memory afresh, bounded.
    if (statementNames.size >= STATEMENT_NAMES_KEPT) statementNames.clear();
    statementNames.set(text, name);
  }
  return name;
}

/**
 * The name to run `sql` under on `client`, and whether to retire the connection after it: a name
 * when it may be prepared (already is, or the connection has room for one more); none, and
 * retire, when the connection has prepared `max` others.
 */
export function preparedName(client: PreparingConnection, sql: Prisma.Sql, max: number): { name?: string; retire: boolean } {
  if (max <= 0 || planEachTime.has(sql)) return { retire: false };
  const name = statementName(sql.text);
  const names = (client.prepared ??= new Set());
  if (names.has(name)) return { name, retire: false };
  if (names.size >= max) return { retire: true };
  names.add(name);
  return { name, retire: false };
}
