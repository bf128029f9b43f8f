// "As reported by" a day: the argument checked and resolved once per request for the queries
// that take it (lists, timeline, reports). The rule itself is src/db/queries/reported.ts.
import { isValidDate } from '../domain/dateSpan';
import { ValidationError } from '../domain/errors';
import type { Db } from '../db/client';
import { resolveReportedBy, type ReportedBy } from '../db/queries/reported';

export type { ReportedBy } from '../db/queries/reported';

/**
 * A `reportedBy` day (YYYY-MM-DD; null or undefined: not asked) resolved for the queries, read
 * as of `asOf` (checked by checkAsOf) when given. A day that is not a calendar date is
 * BAD_USER_INPUT on `field`.
 */
export async function checkReportedBy(
  db: Db,
  day: string | null | undefined,
  asOf: string | null | undefined,
  field = 'reportedBy',
): Promise<ReportedBy | null> {
  if (day == null) return null;
  if (typeof day !== 'string' || !isValidDate(day)) {
    throw new ValidationError(field, `${field} must be a calendar date YYYY-MM-DD, got ${JSON.stringify(day)}`);
  }
  return resolveReportedBy(db, day, asOf);
}
