// The audit trail: one row per change, written by the change's own transaction
// (so a change and its audit row exist together or not at all), and read back as a connection.
import type { Db } from '../db/client';
import { toConnection, type ConnectionResult } from '../domain/connection';
import { AUDIT_CURSOR } from '../domain/cursor';
import { checkId } from '../domain/ids';
import { pageSize } from '../domain/pagination';
import { Prisma, type AuditEntry } from '../generated/prisma/client';

type Tx = Prisma.TransactionClient;

export const AUDIT_ENTITIES = ['ACTOR', 'AFFILIATION', 'CITATION', 'CLAIM', 'EVENT', 'SHIPMENT', 'SOURCE', 'API_KEY', 'IMPORT'] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];

/** Who makes a change: the API key's id, or null (no key: open access, the seed, scripts). */
export interface Author {
  keyId: string | null;
}

export const NO_KEY: Author = { keyId: null };

export interface Change {
  operation: string;
  entity: AuditEntity;
  id: string;
  before: unknown;
  after: unknown;
}

/** A record as JSON: dates as ISO strings, big integers as strings. */
export function snapshot(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  if (value === null || value === undefined) return Prisma.DbNull;
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as Prisma.InputJsonValue;
}

/** Writes the audit row of a change; call it inside the change's transaction. */
export function audited(tx: Tx, by: Author, change: Change): Promise<AuditEntry> {
  return tx.auditEntry.create({
    data: {
      keyId: by.keyId,
      operation: change.operation,
      entity: change.entity,
      entityId: change.id,
      before: snapshot(change.before),
      after: snapshot(change.after),
    },
  });
}

export interface AuditFilter {
  entity?: AuditEntity | null;
  entityId?: string | null;
  /** Only this key's entries (EDITORs see their own). */
  keyId?: string | null;
}

/** The audit log, newest first, keyset-paginated on the entry id. */
export async function auditLogConnection(
  db: Db,
  filter: AuditFilter,
  page: { first?: number | null; after?: string | null },
): Promise<ConnectionResult<AuditEntry>> {
  const first = pageSize(page.first);
  let afterId: bigint | undefined;
  if (page.after) {
    const [id] = AUDIT_CURSOR.decode(page.after);
    afterId = BigInt(id);
  }
  const where: Prisma.AuditEntryWhereInput = {
    ...(filter.entity ? { entity: filter.entity } : {}),
    ...(filter.entityId ? { entityId: checkId(filter.entityId, 'entityId') } : {}),
    ...(filter.keyId !== undefined ? { keyId: filter.keyId } : {}),
  };
  const rows = await db.prisma.auditEntry.findMany({
    where: afterId === undefined ? where : { AND: [where, { id: { lt: afterId } }] },
    orderBy: { id: 'desc' },
    take: first + 1,
  });
  return toConnection(
    rows,
    first,
    (r) => [r.id.toString()],
    () => db.prisma.auditEntry.count({ where }),
    Boolean(page.after),
  );
}
