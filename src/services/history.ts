// Knowledge time: checking an `asOf` instant, marking the records read as of it (so that their
// nested fields resolve as of the same instant), and the change feed.
import type { Db } from '../db/client';
import { HISTORY_ENTITIES, listChanges, settledHorizon, type ChangeKey, type ChangeRow, type HistoryEntity } from '../db/queries/history';
import type { ReportedBy } from '../db/queries/reported';
import { toConnection, type ConnectionResult } from '../domain/connection';
import { CHANGE_CURSOR } from '../domain/cursor';
import { ValidationError } from '../domain/errors';
import { pageSize } from '../domain/pagination';

function validInstant(value: Date, field: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new ValidationError(field, `${field} must be a date-time`);
  return value;
}

/**
 * The `asOf` of a read as an ISO instant (null: read the live tables). Refused when the answer
 * could still change: an instant in the future, or one not settled yet (a transaction that
 * started before it is still open and may commit versions stamped before it).
 */
export async function checkAsOf(db: Db, asOf: Date | null | undefined, field = 'asOf'): Promise<string | null> {
  if (asOf == null) return null;
  const at = validInstant(asOf, field);
  const { now, settled } = await settledHorizon(db);
  if (at > now) {
    throw new ValidationError(field, `${field} (${at.toISOString()}) is in the future (now ${now.toISOString()}): the answer could still change`);
  }
  if (at >= settled) {
    throw new ValidationError(
      field,
      `${field} (${at.toISOString()}) is not settled yet: a transaction that started at ${settled.toISOString()} is still open ` +
        `and may still record changes before ${field}; use an earlier instant`,
    );
  }
  return at.toISOString();
}

/**
 * What a record read as of an instant, or as reported by a day, carries, so that its nested
 * fields are read the same way.
 */
interface ViewTagged {
  asOf?: string;
  reportedBy?: ReportedBy;
}

/**
 * The records, marked as read as of `asOf` and as reported by `reportedBy` (unchanged when
 * reading the live tables). Marked in place: every caller passes rows it has just read or built,
 * and a copy per row by spreading cost more than the rows themselves (docs/decisions/row-objects.md).
 */
export function tagRead<T extends object>(rows: T[], asOf: string | null | undefined, reportedBy?: ReportedBy | null): T[] {
  if (asOf) for (const r of rows) (r as T & ViewTagged).asOf = asOf;
  if (reportedBy) for (const r of rows) (r as T & ViewTagged).reportedBy = reportedBy;
  return rows;
}

/** The instant a record was read as of, if any. */
export function asOfOf(record: object): string | null {
  return (record as ViewTagged).asOf ?? null;
}

/** The day a record was read as reported by, if any. */
export function reportedByOf(record: object): ReportedBy | null {
  return (record as ViewTagged).reportedBy ?? null;
}

// ------------------------------------------------------------------------------ change feed

export interface ChangesArgs {
  since: Date;
  first?: number | null;
  after?: string | null;
  entities?: readonly HistoryEntity[] | null;
}

export type ChangeConnectionResult = Omit<ConnectionResult<ChangeRow>, 'totalCount'> & { settledUntil: Date };

function changeKey(cursor: string): ChangeKey {
  const [at, version] = CHANGE_CURSOR.decode(cursor);
  return { at, version };
}

/** One page of the change feed, up to the settled horizon (see ChangeConnection in schema.graphql). */
export async function changesConnection(db: Db, args: ChangesArgs): Promise<ChangeConnectionResult> {
  const since = validInstant(args.since, 'since');
  const first = pageSize(args.first);
  const after = args.after ? changeKey(args.after) : undefined;
  const entities = args.entities?.length ? HISTORY_ENTITIES.filter((e) => args.entities!.includes(e)) : HISTORY_ENTITIES;
  const { settled } = await settledHorizon(db);
  const rows = await listChanges(db, { since: since.toISOString(), until: settled.toISOString(), entities, after, limit: first + 1 });
  const { totalCount: _, ...page } = toConnection(
    rows,
    first,
    (r) => [r.key.at, r.key.version],
    () => Promise.resolve(0),
    !!after,
  );
  return { ...page, settledUntil: settled };
}
