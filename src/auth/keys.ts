// API keys, the pure part: generating, hashing, comparing, reading the
// Authorization header, and the role order. No I/O; unit-tested alone.
import crypto from 'node:crypto';

export const ROLES = ['VIEWER', 'EDITOR', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

/** Bytes of randomness in a key (the issue asks for at least 32). */
export const KEY_BYTES = 32;
const KEY_PREFIX = 'att_';
/** `att_` + 43 base64url characters (32 bytes). */
const KEY_PATTERN = /^att_[A-Za-z0-9_-]{43}$/;

/** Whether `role` includes `required` (VIEWER < EDITOR < ADMIN). */
export function hasRole(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}

export function parseRole(text: string): Role | undefined {
  const upper = text.trim().toUpperCase();
  return (ROLES as readonly string[]).includes(upper) ? (upper as Role) : undefined;
}

/** A new random key and the hash to store; the key itself is shown once and never stored. */
export function generateKey(): { key: string; hash: string } {
  const key = KEY_PREFIX + crypto.randomBytes(KEY_BYTES).toString('base64url');
  return { key, hash: hashKey(key) };
}

/** SHA-256 of the key, hex. Keys are 256 random bits, so a fast unsalted hash is enough. */
export function hashKey(key: string): string {
  return crypto.createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Whether a key has the shape of one we issue (checked before any database look-up). */
export function isWellFormedKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/** Compares a presented key with a stored hash in constant time. */
export function keyMatchesHash(key: string, storedHash: string): boolean {
  const a = Buffer.from(hashKey(key), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

export type BearerResult = { kind: 'none' } | { kind: 'key'; key: string } | { kind: 'malformed' };

/** Reads `Authorization: Bearer <key>`; an Authorization header of any other form is malformed. */
export function parseAuthorization(header: string | undefined): BearerResult {
  if (header === undefined || header.trim() === '') return { kind: 'none' };
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  return m ? { kind: 'key', key: m[1] } : { kind: 'malformed' };
}

export interface KeyState {
  revokedAt: Date | null;
  expiresAt: Date | null;
}

/** Whether a stored key may be used at `now`: not revoked, not expired. */
export function isKeyUsable(k: KeyState, now: Date): boolean {
  return !k.revokedAt && (!k.expiresAt || k.expiresAt.getTime() > now.getTime());
}
