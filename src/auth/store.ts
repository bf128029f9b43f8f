// API keys in the database: create, list, revoke, and authenticate a presented key.
import type { Db } from '../db/client';
import { generateKey, hashKey, isKeyUsable, isWellFormedKey, keyMatchesHash, type Role } from './keys';

export interface Caller {
  keyId: string;
  role: Role;
  label: string;
  /** When the key last sent a mutation (read-your-writes with replicas); null: never, or not recorded. */
  lastWriteAt?: Date | null;
}

export interface ApiKeyInfo {
  id: string;
  label: string;
  role: Role;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

const INFO = { id: true, label: true, role: true, createdAt: true, lastUsedAt: true, expiresAt: true, revokedAt: true } as const;

/** last_used_at is written at most this often per key, not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export async function createApiKey(
  db: Db,
  opts: { role: Role; label: string; expiresAt?: Date | null },
): Promise<{ key: string; info: ApiKeyInfo }> {
  const label = opts.label.trim();
  if (!label) throw new Error('a key needs a label');
  const { key, hash } = generateKey();
  const info = await db.apiKey.create({
    data: { label, role: opts.role, keyHash: hash, expiresAt: opts.expiresAt ?? null },
    select: INFO,
  });
  return { key, info };
}

export function listApiKeys(db: Db): Promise<ApiKeyInfo[]> {
  return db.apiKey.findMany({ select: INFO, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
}

/** Revokes a key (idempotent); undefined if there is no such key. */
export async function revokeApiKey(db: Db, id: string, now = new Date()): Promise<ApiKeyInfo | undefined> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return undefined;
  const found = await db.apiKey.findUnique({ where: { id }, select: INFO });
  if (!found) return undefined;
  if (found.revokedAt) return found;
  return db.apiKey.update({ where: { id }, data: { revokedAt: now }, select: INFO });
}

/**
 * The caller a presented key stands for, or null when the key is unknown,
 * revoked or expired (the caller cannot tell which). The look-up is by hash;
 * the stored hash is then compared in constant time.
 */
export async function authenticateKey(db: Db, key: string, now = new Date()): Promise<Caller | null> {
  if (!isWellFormedKey(key)) return null;
  const row = await db.apiKey.findUnique({ where: { keyHash: hashKey(key) } });
  if (!row || !keyMatchesHash(key, row.keyHash) || !isKeyUsable(row, now)) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { keyId: row.id, role: row.role, label: row.label, lastWriteAt: row.lastWriteAt };
}

/** Records that the key just wrote, so that its next reads (on any app instance) go to the primary. */
export async function recordWrite(db: Db, keyId: string, now = new Date()): Promise<void> {
  // Without waiting for the WAL flush (~8 ms under load here): visible at once all the same, and
  // a marker lost in a crash only costs a few possibly stale reads.
  await db.$transaction([
    db.$executeRaw`SET LOCAL synchronous_commit = off`,
    db.apiKey.update({ where: { id: keyId }, data: { lastWriteAt: now } }),
  ]);
}
