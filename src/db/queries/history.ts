// Knowledge time: reads of the history.* tables (migration 20261201130000_history) — a tracked
// table as it stood at an instant, the instant up to which the history is settled, and the
// change feed. Other query files only call relationAsOf(); nothing else here touches them.
import { Prisma } from '../../generated/prisma/client';
import type { Db } from '../client';
import { onReplica } from '../replicas';

/** Tables with a history (history.attach in the migration), by the entity name of their changes. */
export const HISTORY_TABLES = {
  ACTOR: 'actors',
  ACTOR_ALIAS: 'actor_aliases',
  AFFILIATION: 'affiliations',
  EVENT: 'events',
  EVENT_PARTICIPANT: 'event_participants',
  SHIPMENT: 'shipments',
  SHIPMENT_EVENT: 'shipment_events',
  SOURCE: 'sources',
  CITATION: 'citations',
  CLAIM: 'claims',
} as const;

export type HistoryEntity = keyof typeof HISTORY_TABLES;
export type HistoryTable = (typeof HISTORY_TABLES)[HistoryEntity];
export const HISTORY_ENTITIES = Object.keys(HISTORY_TABLES) as HistoryEntity[];

/** The id a change reports: the row's first key column (participants: the event; links: the shipment). */
const FEED_ID: Record<HistoryTable, string> = {
  actors: 'id',
  actor_aliases: 'id',
  affiliations: 'id',
  events: 'id',
  event_participants: 'event_id',
  shipments: 'id',
  shipment_events: 'shipment_id',
  sources: 'id',
  citations: 'id',
  claims: 'id',
};

/**
 * The FROM-clause relation for `table`: the live table, or with `asOf` (an ISO instant, checked
 * by the caller against settledHorizon) the versions the database held at that instant — the
 * same columns, so a query reads either without another change. The caller adds its alias.
 */
export function relationAsOf(table: HistoryTable, asOf: string | null | undefined): Prisma.Sql {
  if (!asOf) return Prisma.raw(table);
  return Prisma.sql`(SELECT * FROM ${Prisma.raw(`history.${table}`)}
    WHERE sys_from <= ${asOf}::timestamptz AND sys_to > ${asOf}::timestamptz)`;
}

/**
 * Whether the database has ever held a row of `table` whose `column` is `value` (a version at
 * any instant, including a row removed since): what tells "not recorded yet at an instant" from
 * "never existed".
 */
export function everRecorded(table: HistoryTable, column: string, value: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM ${Prisma.raw(`history.${table}`)} h WHERE h.${Prisma.raw(column)} = ${value})`;
}

export interface Horizon {
  /** The database's clock now. */
  now: Date;
  /**
   * Every version stamped before this instant is committed (or will never be): the start of the
   * oldest transaction still open in this database, or now. An answer as of an earlier instant
   * can never change.
   */
  settled: Date;
}

/**
 * A transaction stamps its versions with its start time, so the history before the oldest open
 * transaction's start is final. pg_stat_activity shows the transactions of sessions of the same
 * role (or all, with pg_read_all_stats): the application connects as one role.
 */
export async function settledHorizon(db: Db): Promise<Horizon> {
  const [row] = await db.prisma.$queryRaw<{ now: Date; settled: Date }[]>`
    SELECT clock_timestamp() AS now, least(clock_timestamp(), (
      SELECT min(xact_start) FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL)) AS settled`;
  return row;
}

// ------------------------------------------------------------------------------ change feed

/** Position in the feed: the version's instant, to the microsecond (as text), and its number. */
export interface ChangeKey {
  at: string;
  version: string;
}

export interface ChangeRow {
  entity: HistoryEntity;
  id: string;
  operation: 'CREATE' | 'UPDATE' | 'DELETE' | 'RESTORE' | 'RETRACT';
  at: Date;
  keyId: string | null;
  values: Record<string, unknown>;
  key: ChangeKey;
}

export interface ChangeQuery {
  since: string;
  /** Exclusive bound: the settled horizon, so that a page never ends before a change still to commit. */
  until: string;
  entities: HistoryEntity[];
  after?: ChangeKey;
  limit: number;
}

/**
 * Versions with since <= sys_from < until, in (sys_from, sys_version) order after the cursor:
 * one index-ordered, limited arm per table, merged. The values are the row's columns.
 */
export async function listChanges(db: Db, q: ChangeQuery): Promise<ChangeRow[]> {
  const arms = q.entities.map((entity) => {
    const table = HISTORY_TABLES[entity];
    const c = [Prisma.sql`h.sys_from >= ${q.since}::timestamptz`, Prisma.sql`h.sys_from < ${q.until}::timestamptz`];
    if (q.after) c.push(Prisma.sql`(h.sys_from, h.sys_version) > (${q.after.at}::timestamptz, ${q.after.version}::bigint)`);
    return Prisma.sql`(SELECT ${entity} AS entity, h.${Prisma.raw(FEED_ID[table])}::text AS id, h.sys_operation AS operation,
        h.sys_from, h.sys_version, h.sys_tx,
        to_jsonb(h) - 'sys_version' - 'sys_operation' - 'sys_from' - 'sys_to' - 'sys_tx' AS values
      FROM ${Prisma.raw(`history.${table}`)} h WHERE ${Prisma.join(c, ' AND ')}
      ORDER BY h.sys_from, h.sys_version LIMIT ${q.limit})`;
  });
  const rows = await db.prisma.$queryRaw<(Omit<ChangeRow, 'key'> & { keyAt: string; keyVersion: string })[]>`
    SELECT f.entity, f.id, f.operation, f.sys_from AS at, f.values,
      to_char(f.sys_from AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "keyAt", f.sys_version::text AS "keyVersion",
      (SELECT l.key_id::text FROM audit_log l WHERE l.tx = f.sys_tx AND l.key_id IS NOT NULL LIMIT 1) AS "keyId"
    FROM (${Prisma.join(arms, ' UNION ALL ')}) AS f
    ORDER BY f.sys_from, f.sys_version LIMIT ${q.limit}`;
  return rows.map(({ keyAt, keyVersion, ...r }) => ({ ...r, key: { at: keyAt, version: keyVersion } }));
}

// ------------------------------------------------------------------------------ records as of an instant

/**
 * Rows of `table` (aliased `alias`) whose `column` is one of `ids`, in the shape `columns`
 * selects: live (asOf null, where the request's reads go, then `where` applies, e.g. not
 * deleted) or as of `asOf`. The DataLoaders' batch read, as raw SQL (see onReplica and the raw reader).
 */
export function rowsByIds<T>(
  db: Db,
  q: { table: HistoryTable; alias: string; columns: Prisma.Sql; column: string; orderBy?: string; where?: string },
  ids: string[],
  asOf: string | null,
): Promise<T[]> {
  const where = !asOf && q.where ? ` AND ${q.where}` : '';
  return onReplica(
    db,
    (r) => r.$queryRaw<T[]>`SELECT ${q.columns} FROM ${relationAsOf(q.table, asOf)} ${Prisma.raw(q.alias)}
    WHERE ${Prisma.raw(`${q.alias}.${q.column}`)} = ANY(${ids}::uuid[])${Prisma.raw(where)} ${Prisma.raw(q.orderBy ? `ORDER BY ${q.orderBy}` : '')}`,
    asOf,
  );
}

/** Rows of `table` as of `asOf` whose `column` is one of `ids` (see rowsByIds). */
export function rowsAsOf<T>(db: Db, q: Omit<Parameters<typeof rowsByIds>[1], 'where'>, ids: string[], asOf: string): Promise<T[]> {
  return rowsByIds<T>(db, q, ids, asOf);
}
