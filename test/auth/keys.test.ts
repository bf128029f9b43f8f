// The pure part of API keys: generation, hashing, constant-time comparison,
// the Authorization header, roles and key state.
import { requireRead, requireRole, AccessError } from '../../src/auth/access';
import { generateKey, hashKey, hasRole, isKeyUsable, isWellFormedKey, KEY_BYTES, keyMatchesHash, parseAuthorization, parseRole } from '../../src/auth/keys';

describe('API keys', () => {
  it('are random, carry at least 32 bytes, and are stored as their SHA-256 hash', () => {
    const keys = Array.from({ length: 200 }, () => generateKey());
    expect(new Set(keys.map((k) => k.key)).size).toBe(200);
    for (const { key, hash } of keys) {
      expect(key).toMatch(/^att_[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(key.slice(4), 'base64url').length).toBe(KEY_BYTES);
      expect(KEY_BYTES).toBeGreaterThanOrEqual(32);
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      expect(hash).toBe(hashKey(key));
      expect(hash).not.toContain(key.slice(4, 20));
      expect(isWellFormedKey(key)).toBe(true);
    }
  });

  it('match only their own hash', () => {
    const a = generateKey();
    const b = generateKey();
    expect(keyMatchesHash(a.key, a.hash)).toBe(true);
    expect(keyMatchesHash(a.key, b.hash)).toBe(false);
    expect(keyMatchesHash(a.key, 'not hex')).toBe(false);
    expect(keyMatchesHash(a.key, '')).toBe(false);
    expect(keyMatchesHash(`${a.key}x`, a.hash)).toBe(false);
  });

  it('reject keys of the wrong shape before any look-up', () => {
    for (const bad of ['', 'att_', 'att_short', `xyz_${'a'.repeat(43)}`, `att_${'a'.repeat(42)}!`, `att_${'a'.repeat(44)}`, "att_' OR 1=1 --"]) {
      expect(isWellFormedKey(bad)).toBe(false);
    }
  });

  it('read Authorization: Bearer <key>', () => {
    expect(parseAuthorization(undefined)).toEqual({ kind: 'none' });
    expect(parseAuthorization('  ')).toEqual({ kind: 'none' });
    expect(parseAuthorization('Bearer abc')).toEqual({ kind: 'key', key: 'abc' });
    expect(parseAuthorization('bearer   abc  ')).toEqual({ kind: 'key', key: 'abc' });
    expect(parseAuthorization('Basic dXNlcjpwYXNz')).toEqual({ kind: 'malformed' });
    expect(parseAuthorization('Bearer')).toEqual({ kind: 'malformed' });
    expect(parseAuthorization('Bearer a b')).toEqual({ kind: 'malformed' });
  });

  it('are usable until revoked or expired', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    expect(isKeyUsable({ revokedAt: null, expiresAt: null }, now)).toBe(true);
    expect(isKeyUsable({ revokedAt: null, expiresAt: new Date('2026-06-01T00:00:01Z') }, now)).toBe(true);
    expect(isKeyUsable({ revokedAt: null, expiresAt: now }, now)).toBe(false);
    expect(isKeyUsable({ revokedAt: new Date('2026-01-01'), expiresAt: null }, now)).toBe(false);
  });
});

describe('roles', () => {
  it('are ordered VIEWER < EDITOR < ADMIN', () => {
    expect(hasRole('VIEWER', 'VIEWER')).toBe(true);
    expect(hasRole('VIEWER', 'EDITOR')).toBe(false);
    expect(hasRole('EDITOR', 'VIEWER')).toBe(true);
    expect(hasRole('EDITOR', 'ADMIN')).toBe(false);
    expect(hasRole('ADMIN', 'EDITOR')).toBe(true);
    expect(parseRole('editor')).toBe('EDITOR');
    expect(parseRole(' Admin ')).toBe('ADMIN');
    expect(parseRole('root')).toBeUndefined();
  });

  it('are checked: no caller is UNAUTHENTICATED, too low a role FORBIDDEN', () => {
    const viewer = { keyId: 'k', role: 'VIEWER' as const, label: 'v' };
    expect(() => requireRole(null, 'VIEWER')).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
    expect(() => requireRole(viewer, 'EDITOR')).toThrow(AccessError);
    expect(() => requireRole(viewer, 'EDITOR')).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(requireRole(viewer, 'VIEWER')).toBe(viewer);
    expect(() => requireRead(null, 'open')).not.toThrow();
    expect(() => requireRead(null, 'required')).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
    expect(() => requireRead(viewer, 'required')).not.toThrow();
  });
});
