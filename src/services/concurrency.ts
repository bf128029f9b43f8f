// Optimistic concurrency for updates: the row is locked for the rest of the
// transaction (so two concurrent updates run one after the other), and an update
// based on an older updatedAt than the row's is refused with a ConflictError.
import { ConflictError } from '../domain/errors';
import { isId } from '../domain/ids';
import type { Prisma } from '../generated/prisma/client';

type Tx = Prisma.TransactionClient;

const TABLES = { Actor: 'actors', Event: 'events', Shipment: 'shipments', Source: 'sources', Citation: 'citations', Claim: 'claims' } as const;

/** `field`: the argument that carried `expected`, named by the CONFLICT error. */
export async function lockVersion(
  tx: Tx,
  entity: keyof typeof TABLES,
  id: string,
  expected: Date | null | undefined,
  field = 'input.expectedUpdatedAt',
): Promise<void> {
  if (!isId(id)) return; // the caller's look-up reports the bad id
  const rows = await tx.$queryRawUnsafe<{ updated_at: Date }[]>(
    `SELECT updated_at FROM ${TABLES[entity]} WHERE id = $1::uuid AND deleted_at IS NULL FOR UPDATE`,
    id.toLowerCase(),
  );
  if (expected && rows.length && rows[0].updated_at.getTime() !== expected.getTime()) {
    throw new ConflictError(entity, id.toLowerCase(), rows[0].updated_at, field);
  }
}
