// API keys in the database: create, list, revoke, and authenticate a presented key.
// The one implementation behind both `npm run keys` and the GraphQL key mutations;
// creations and revocations are audited (the key and its hash never are).
import type { Db } from '../db/client';
import { toConnection, type ConnectionResult } from '../domain/connection';
import { CREATED_CURSOR } from '../domain/cursor';
import { NotFoundError, ValidationError } from '../domain/errors';
import { checkId } from '../domain/ids';
import { checkText } from '../domain/validation';
import { pageSize } from '../domain/pagination';
import type { Prisma } from '../generated/prisma/client';
import { audited, NO_KEY, type Author } from '../services/audit';
import { generateKey, hashKey, isKeyUsable, isWellFormedKey, keyMatchesHash, type Role } from './keys';

type Tx = Prisma.TransactionClient;

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
  /** The key that created this one (null: made with `npm run keys`). */
  createdBy: string | null;
}

const INFO = { id: true, label: true, role: true, createdAt: true, lastUsedAt: true, expiresAt: true, revokedAt: true, createdBy: true } as const;

/** last_used_at is written at most this often per key, not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export const MAX_LABEL_LENGTH = 200;

export async function createApiKey(
  db: Db,
  opts: { role: Role; label: string; expiresAt?: Date | null },
  by: Author = NO_KEY,
  now = new Date(),
): Promise<{ key: string; info: ApiKeyInfo }> {
  checkText(opts.label, 'input.label'); // PostgreSQL text cannot hold NUL characters
  const label = opts.label.trim();
  if (!label) throw new ValidationError('input.label', 'a key needs a label');
  if (label.length > MAX_LABEL_LENGTH) throw new ValidationError('input.label', `a label has at most ${MAX_LABEL_LENGTH} characters`);
  if (opts.expiresAt && opts.expiresAt.getTime() <= now.getTime()) {
    throw new ValidationError('input.expiresAt', `expiresAt (${opts.expiresAt.toISOString()}) must be in the future`);
  }
  const { key, hash } = generateKey();
  const info = await db.transaction(async (tx) => {
    const created = await tx.apiKey.create({
      data: { label, role: opts.role, keyHash: hash, expiresAt: opts.expiresAt ?? null, createdBy: by.keyId },
      select: INFO,
    });
    await audited(tx, by, { operation: 'createApiKey', entity: 'API_KEY', id: created.id, before: null, after: created });
    return created;
  });
  return { key, info };
}

export function listApiKeys(db: Db): Promise<ApiKeyInfo[]> {
  return db.prisma.apiKey.findMany({ select: INFO, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
}

/** Keys oldest first, keyset-paginated on (createdAt, id); revoked ones only when asked for. */
export async function apiKeyConnection(
  db: Db,
  filter: { includeRevoked?: boolean | null },
  page: { first?: number | null; after?: string | null },
): Promise<ConnectionResult<ApiKeyInfo>> {
  const first = pageSize(page.first);
  const where: Prisma.ApiKeyWhereInput = filter.includeRevoked ? {} : { revokedAt: null };
  let after: Prisma.ApiKeyWhereInput | undefined;
  if (page.after) {
    const [at, id] = CREATED_CURSOR.decode(page.after);
    const createdAt = new Date(at);
    after = { OR: [{ createdAt: { gt: createdAt } }, { createdAt, id: { gt: id } }] };
  }
  const rows = await db.prisma.apiKey.findMany({
    where: after ? { AND: [where, after] } : where,
    select: INFO,
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: first + 1,
  });
  return toConnection(
    rows,
    first,
    (k) => [k.createdAt.toISOString(), k.id],
    () => db.prisma.apiKey.count({ where }),
    Boolean(page.after),
  );
}

/** Locks the active ADMIN keys (in id order, so that two revocations cannot deadlock) and returns their ids. */
async function lockActiveAdmins(tx: Tx, now: Date): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text FROM api_keys
    WHERE role = 'ADMIN' AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ${now})
    ORDER BY id FOR UPDATE`;
  return rows.map((r) => r.id);
}

/**
 * Revokes a key. Revoking a revoked key changes nothing (and writes no audit row).
 * Revoking the last active ADMIN key is refused: with none left, keys could only be
 * managed from the command line — the lock-out should be a choice, not an accident.
 */
export async function revokeApiKey(db: Db, id: string, opts: { by?: Author; now?: Date } = {}): Promise<ApiKeyInfo> {
  const { by = NO_KEY, now = new Date() } = opts;
  const keyId = checkId(id, 'id');
  return db
    .transaction(async (tx) => {
      const found = await tx.apiKey.findUnique({ where: { id: keyId }, select: INFO });
      if (!found) throw new NotFoundError('API key', id);
      // A key's role never changes, so it can be read before the lock.
      const admins = found.role === 'ADMIN' ? await lockActiveAdmins(tx, now) : [];
      const before = await tx.$queryRaw<{ revoked_at: Date | null }[]>`SELECT revoked_at FROM api_keys WHERE id = ${keyId}::uuid FOR UPDATE`;
      if (before[0].revoked_at) return { ...found, revokedAt: before[0].revoked_at };
      if (admins.length === 1 && admins[0] === keyId) {
        throw new ValidationError('id', `key ${keyId} is the last active ADMIN key; create another ADMIN key before revoking it`);
      }
      const after = await tx.apiKey.update({ where: { id: keyId }, data: { revokedAt: now }, select: INFO });
      await audited(tx, by, { operation: 'revokeApiKey', entity: 'API_KEY', id: keyId, before: found, after });
      return after;
    })
    .then((after) => {
      forgetVerifiedKey(db, keyId);
      return after;
    });
}

/**
 * Keys verified recently, per client (so per database), by hash: a request with a key seen
 * within the cache window skips the look-up round trip. A revocation through revokeApiKey on
 * the same client takes effect at once; one made elsewhere (another instance, the CLI, SQL)
 * once the entry is older than the window. Unknown keys are never cached.
 */
interface VerifiedKey {
  caller: Caller;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  verifiedAtMs: number;
}
const verifiedKeys = new WeakMap<Db, Map<string, VerifiedKey>>();
/** Enough for every key of a deployment; beyond it the oldest entries go (a look-up brings them back). */
const MAX_VERIFIED_KEYS = 10_000;

function verifiedKeysOf(db: Db): Map<string, VerifiedKey> {
  let cache = verifiedKeys.get(db);
  if (!cache) verifiedKeys.set(db, (cache = new Map()));
  return cache;
}

function forgetVerifiedKey(db: Db, keyId: string): void {
  const cache = verifiedKeys.get(db);
  if (!cache) return;
  for (const [hash, entry] of cache) if (entry.caller.keyId === keyId) cache.delete(hash);
}

/**
 * The caller a presented key stands for, or null when the key is unknown,
 * revoked or expired (the caller cannot tell which). The look-up is by hash;
 * the stored hash is then compared in constant time. With `cacheMs`, a key verified
 * within that many ms is trusted without the look-up (see VerifiedKey).
 */
export async function authenticateKey(db: Db, key: string, now = new Date(), opts: { cacheMs?: number } = {}): Promise<Caller | null> {
  if (!isWellFormedKey(key)) return null;
  const hash = hashKey(key);
  const cacheMs = opts.cacheMs ?? 0;
  const cache = cacheMs > 0 ? verifiedKeysOf(db) : undefined;
  const cached = cache?.get(hash);
  if (cached && now.getTime() - cached.verifiedAtMs < cacheMs && now.getTime() >= cached.verifiedAtMs) {
    if (!isKeyUsable({ revokedAt: null, expiresAt: cached.expiresAt }, now)) return null;
    cached.lastUsedAt = await touchLastUsed(db, cached.caller.keyId, cached.lastUsedAt, now);
    return cached.caller;
  }
  cache?.delete(hash);
  const row = await db.prisma.apiKey.findUnique({ where: { keyHash: hash } });
  if (!row || !keyMatchesHash(key, row.keyHash) || !isKeyUsable(row, now)) return null;
  const lastUsedAt = await touchLastUsed(db, row.id, row.lastUsedAt, now);
  const caller: Caller = { keyId: row.id, role: row.role, label: row.label, lastWriteAt: row.lastWriteAt };
  if (cache) {
    if (cache.size >= MAX_VERIFIED_KEYS) cache.delete(cache.keys().next().value!);
    cache.set(hash, { caller, expiresAt: row.expiresAt, lastUsedAt, verifiedAtMs: now.getTime() });
  }
  return caller;
}

/** Writes last_used_at when the recorded one is older than LAST_USED_RESOLUTION_MS; returns the recorded value. */
async function touchLastUsed(db: Db, keyId: string, lastUsedAt: Date | null, now: Date): Promise<Date | null> {
  if (lastUsedAt && now.getTime() - lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return lastUsedAt;
  await db.prisma.apiKey.update({ where: { id: keyId }, data: { lastUsedAt: now } });
  return now;
}

/** Records that the key just wrote, so that its next reads (on any app instance) go to the primary. */
export async function recordWrite(db: Db, keyId: string, now = new Date()): Promise<void> {
  // Without waiting for the WAL flush (a synchronous commit per mutation request; docs/scaling.md):
  // visible at once all the same, and a marker lost in a crash only costs a few possibly stale reads.
  await db.prisma.$transaction([
    db.prisma.$executeRaw`SET LOCAL synchronous_commit = off`,
    db.prisma.apiKey.update({ where: { id: keyId }, data: { lastWriteAt: now } }),
  ]);
}
