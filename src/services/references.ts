// Existence checks for ids that an input refers to. An unknown (or deleted)
// id is bad input on the field that named it, reported before anything is written;
// a known one stays live until the write commits.
import { ValidationError } from '../domain/errors';
import { checkId } from '../domain/ids';
import { lockLive } from '../db/queries/dependents';
import type { Kind } from '../domain/dependents';
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

const kindOf: Record<Table, Kind> = { actor: 'Actor', event: 'Event', shipment: 'Shipment', source: 'Source', affiliation: 'Affiliation' };

/**
 * The live ones of `ids`, locked FOR KEY SHARE until the transaction ends: a concurrent delete
 * of one of them (which takes FOR UPDATE) waits for this write and then sees what it wrote,
 * so a record is never left referring to a deleted one.
 */
function existing(tx: Tx, table: Table, ids: string[]): Promise<Set<string>> {
  return lockLive(tx, kindOf[table], ids, 'KEY SHARE');
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
