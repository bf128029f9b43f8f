// Corroboration: how many independent sources support a record — distinct publishers among
// its live citations' live sources, a repeated or syndicated story counting as its origin's
// publisher (sources.derived_from_id always names the root, so one hop reaches it).
// Publishers compare case-insensitively, ignoring surrounding spaces. The same expression
// serves the `minSources` filters (a correlated subquery on the citations' index) and the
// `sourceCount` fields (one grouped statement per page of records, via a DataLoader).
// With an `asOf`, citations and sources are read as the database held them then.
import { Prisma } from '../../generated/prisma/client';
import type { Db } from '../client';
import { relationAsOf } from './history';
import { publishedBy, type ReportedFilter } from './reported';

export type CitedKind = 'event' | 'shipment' | 'affiliation';

const COLUMN: Record<CitedKind, Prisma.Sql> = {
  event: Prisma.raw('c.event_id'),
  shipment: Prisma.raw('c.shipment_id'),
  affiliation: Prisma.raw('c.affiliation_id'),
};

const PUBLISHER = Prisma.raw('lower(btrim(coalesce(o.publisher, so.publisher)))');

/**
 * The citations with their sources (live, or as of an instant); with reportedBy, only sources
 * published by that day (src/db/queries/reported.ts): a record is corroborated as reported then.
 */
function cited(f: ReportedFilter): Prisma.Sql {
  const sources = relationAsOf('sources', f.asOf);
  return Prisma.sql`${relationAsOf('citations', f.asOf)} c
  JOIN ${sources} so ON so.id = c.source_id AND so.deleted_at IS NULL${publishedBy('so', f)}
  LEFT JOIN ${sources} o ON o.id = so.derived_from_id`;
}

/** What a minSources condition needs of a filter: the threshold, the instant read as of, the day reported by. */
export interface CorroborationFilter extends ReportedFilter {
  minSources?: number | null;
}

/**
 * How the condition reads the citations: `probe` counts each candidate row's citations through
 * their index (for pages: only the rows read until the LIMIT are probed); `set` groups every
 * citation once and keeps the records in that set (for aggregates over most of a table): over
 * every event of a large table, probing each costs several times what grouping once does.
 */
export type CorroborationPlan = 'probe' | 'set';

/** `alias`'s record has at least `f.minSources` independent sources as of `f.asOf` (no condition for n ≤ 0 or none). */
export function minSourcesConditions(kind: CitedKind, alias: string, f: CorroborationFilter, plan: CorroborationPlan = 'probe'): Prisma.Sql[] {
  const n = f.minSources;
  if (!n || n <= 0) return [];
  if (plan === 'set') {
    return [
      Prisma.sql`${Prisma.raw(alias)}.id IN (SELECT ${COLUMN[kind]} FROM ${cited(f)}
        WHERE ${COLUMN[kind]} IS NOT NULL AND c.deleted_at IS NULL GROUP BY 1 HAVING count(DISTINCT ${PUBLISHER}) >= ${n})`,
    ];
  }
  return [
    Prisma.sql`(SELECT count(DISTINCT ${PUBLISHER}) FROM ${cited(f)}
      WHERE ${COLUMN[kind]} = ${Prisma.raw(alias)}.id AND c.deleted_at IS NULL) >= ${n}`,
  ];
}

/**
 * Independent sources of each record (as of `f.asOf`, if given; with `f.reportedBy`, those
 * published by the day), in one statement (records without any: 0).
 */
export async function sourceCounts(db: Db, kind: CitedKind, ids: readonly string[], f: ReportedFilter = {}): Promise<Map<string, number>> {
  const rows = await db.prisma.$queryRaw<{ id: string; n: number }[]>`
    SELECT ${COLUMN[kind]} AS id, count(DISTINCT ${PUBLISHER})::int AS n FROM ${cited(f)}
     WHERE ${COLUMN[kind]} = ANY(${[...ids]}::uuid[]) AND c.deleted_at IS NULL GROUP BY 1`;
  return new Map(rows.map((r) => [r.id, r.n]));
}
