// Existence checks for ids that an input refers to. An unknown (or deleted)
// id is bad input on the field that named it, reported before anything is written.
import { ValidationError } from '../domain/errors';
import { checkId } from '../domain/ids';
import type { Prisma } from '../generated/prisma/client';

type Tx = Prisma.TransactionClient;
type Table = 'actor' | 'event' | 'shipment' | 'source' | 'affiliation';

const label: Record<Table, string> = {
  actor: 'actor',
  event: 'event',
  shipment: 'shipment',
  source: 'source',
  affiliation: 'affiliation',
};

async function existing(tx: Tx, table: Table, ids: string[]): Promise<Set<string>> {
  const args = { where: { id: { in: ids }, deletedAt: null }, select: { id: true } };
  // Each delegate has the same findMany shape; the switch keeps the types honest.
  const rows: { id: string }[] = await (() => {
    switch (table) {
      case 'actor':
        return tx.actor.findMany(args);
      case 'event':
        return tx.event.findMany(args);
      case 'shipment':
        return tx.shipment.findMany(args);
      case 'source':
        return tx.source.findMany(args);
      case 'affiliation':
        return tx.affiliation.findMany(args);
    }
  })();
  return new Set(rows.map((r) => r.id));
}

/**
 * Checks that every referenced id exists. `refs` maps a field path to an id,
 * e.g. { 'input.supplierId': '…', 'input.participants[0].actorId': '…' }.
 */
export async function requireExisting(tx: Tx, table: Table, refs: Record<string, string>): Promise<void> {
  const entries = Object.entries(refs).map(([field, id]) => [field, checkId(id, field)] as const);
  if (!entries.length) return;
  const found = await existing(tx, table, [...new Set(entries.map(([, id]) => id))]);
  const missing = entries.find(([, id]) => !found.has(id));
  if (missing) throw new ValidationError(missing[0], `unknown ${label[table]} id ${missing[1]}`);
}

/** { 'input.participants[0].actorId': id, … } from a list of objects. */
export function refsOf<T>(items: readonly T[] | null | undefined, path: string, key: keyof T): Record<string, string> {
  return Object.fromEntries((items ?? []).map((item, i) => [`${path}[${i}].${String(key)}`, String(item[key])]));
}
