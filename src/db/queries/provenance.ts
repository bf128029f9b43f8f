// Provenance records (sources, citations, claims, affiliations) read from the history as of an
// instant: the columns aliased to the Prisma model's field names, so the rows are the same
// objects Prisma returns for the live tables, and the claim list of one record.
import { Prisma } from '../../generated/prisma/client';
import type { Affiliation, Claim } from '../../generated/prisma/client';
import type { Db } from '../client';
import { relationAsOf } from './history';

export const CLAIM_COLUMNS = Prisma.raw(`cl.id, cl.claimant_id AS "claimantId", cl.stated_on AS "statedOn",
  cl.citation_id AS "citationId", cl.event_id AS "eventId", cl.shipment_id AS "shipmentId", cl.field, cl.value,
  cl.likelihood, cl.confidence, cl.accepted, cl.dataset, cl.external_id AS "externalId",
  cl.created_at AS "createdAt", cl.updated_at AS "updatedAt", cl.deleted_at AS "deletedAt"`);

export const AFFILIATION_COLUMNS = Prisma.raw(`f.id, f.actor_id AS "actorId", f.target_id AS "targetId", f.role, f.title,
  f.span_start AS "spanStart", f.span_end AS "spanEnd", f.span_precision AS "spanPrecision", f.span_text AS "spanText",
  f.span_edtf AS "spanEdtf", f.confidence, f.dataset, f.external_id AS "externalId", f.created_at AS "createdAt", f.updated_at AS "updatedAt", f.deleted_at AS "deletedAt"`);

export interface ClaimListAsOf {
  subjectId: string;
  field?: string;
  asOf: string;
}

function claimConditions(f: ClaimListAsOf): Prisma.Sql {
  const c = [Prisma.sql`cl.deleted_at IS NULL`, Prisma.sql`(cl.event_id = ${f.subjectId}::uuid OR cl.shipment_id = ${f.subjectId}::uuid)`];
  if (f.field !== undefined) c.push(Prisma.sql`cl.field = ${f.field}`);
  return Prisma.join(c, ' AND ');
}

/** The claims about one record as of an instant, in (createdAt, id) order after `after`. */
export function listClaimsAsOf(db: Db, f: ClaimListAsOf, limit: number, after?: { at: Date; id: string }): Promise<Claim[]> {
  const keyset = after ? Prisma.sql`AND (cl.created_at, cl.id) > (${after.at}::timestamptz, ${after.id}::uuid)` : Prisma.empty;
  return db.prisma.$queryRaw<Claim[]>`SELECT ${CLAIM_COLUMNS} FROM ${relationAsOf('claims', f.asOf)} cl
    WHERE ${claimConditions(f)} ${keyset} ORDER BY cl.created_at, cl.id LIMIT ${limit}`;
}

export async function countClaimsAsOf(db: Db, f: ClaimListAsOf): Promise<number> {
  const [row] = await db.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM ${relationAsOf('claims', f.asOf)} cl WHERE ${claimConditions(f)}`;
  return row.n;
}

/** The affiliations of the actors (as member or as target) as of an instant, undeleted then, by role and id. */
export function affiliationsOfActorsAsOf(db: Db, actorIds: string[], asOf: string): Promise<Affiliation[]> {
  return db.prisma.$queryRaw<Affiliation[]>`SELECT ${AFFILIATION_COLUMNS} FROM ${relationAsOf('affiliations', asOf)} f
    WHERE (f.actor_id = ANY(${actorIds}::uuid[]) OR f.target_id = ANY(${actorIds}::uuid[])) AND f.deleted_at IS NULL
    ORDER BY f.role, f.id`;
}
