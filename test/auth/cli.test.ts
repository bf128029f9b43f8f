// npm run keys: create (prints the key once), list, revoke — on a real database,
// and the keys it makes open (or, revoked, close) the API.
import { runKeys, UsageError } from '../../src/cli/keys';
import { authenticateKey } from '../../src/auth/store';
import { hashKey } from '../../src/auth/keys';
import { createPrisma, type DbHandle } from '../../src/db/client';
import { createTestDatabase, type TestDatabase } from '../support/database';

let database: TestDatabase;
let db: DbHandle;
beforeAll(async () => {
  database = await createTestDatabase();
  db = createPrisma(database.url, 1);
}, 180_000);
afterAll(async () => {
  await db.close();
  await database.drop();
}, 180_000);

const keyIn = (out: string) => /\b(att_[A-Za-z0-9_-]{43})\b/.exec(out)?.[1];
const idIn = (out: string) => /key ([0-9a-f-]{36})/.exec(out)?.[1];

it('creates a key, prints it once, stores only its hash', async () => {
  const out = await runKeys(['create', '--role', 'editor', '--label', 'alice laptop', '--expires', '2099-01-01'], db);
  const key = keyIn(out)!;
  expect(key).toBeDefined();
  expect(out).toMatch(/EDITOR key .*"alice laptop".*expires 2099-01-01T00:00:00.000Z/);
  const rows = await db.pool.query('SELECT * FROM api_keys');
  expect(rows.rows).toHaveLength(1);
  expect(rows.rows[0].key_hash).toBe(hashKey(key));
  expect(JSON.stringify(rows.rows)).not.toContain(key);
  expect(await authenticateKey(db, key)).toMatchObject({ role: 'EDITOR', label: 'alice laptop' });
  // the listing never shows the key
  const list = await runKeys(['list'], db);
  expect(list).toContain('alice laptop');
  expect(list).toMatch(/EDITOR\s+active/);
  expect(list).not.toContain(key);
});

it('revokes a key: it stops working at once', async () => {
  const out = await runKeys(['create', '--role', 'viewer', '--label', 'bob'], db);
  const key = keyIn(out)!;
  const id = idIn(out)!;
  expect(await authenticateKey(db, key)).not.toBeNull();
  expect(await runKeys(['revoke', id], db)).toMatch(/^revoked /);
  expect(await authenticateKey(db, key)).toBeNull();
  expect(await runKeys(['list'], db)).toMatch(/VIEWER\s+revoked/);
});

it('records when a key was last used', async () => {
  const out = await runKeys(['create', '--role', 'admin', '--label', 'carol'], db);
  const id = idIn(out)!;
  const before = await db.prisma.apiKey.findUniqueOrThrow({ where: { id } });
  expect(before.lastUsedAt).toBeNull();
  await authenticateKey(db, keyIn(out)!);
  const after = await db.prisma.apiKey.findUniqueOrThrow({ where: { id } });
  expect(after.lastUsedAt).toBeInstanceOf(Date);
});

it('refuses bad usage with a message', async () => {
  await expect(runKeys(['create', '--role', 'root', '--label', 'x'], db)).rejects.toThrow(UsageError);
  await expect(runKeys(['create', '--role', 'viewer'], db)).rejects.toThrow(/--label/);
  await expect(runKeys(['create', '--role', 'viewer', '--label', 'x', '--expires', 'soon'], db)).rejects.toThrow(/not a date/);
  await expect(runKeys(['create', '--role', 'viewer', '--label', 'x', '--expires', '2001-01-01'], db)).rejects.toThrow(/future/);
  await expect(runKeys(['revoke', '00000000-0000-0000-0000-000000000000'], db)).rejects.toThrow(/no key/);
  await expect(runKeys(['revoke', 'nonsense'], db)).rejects.toThrow(/no key/);
  await expect(runKeys(['frobnicate'], db)).rejects.toThrow(/unknown command/);
});

it('shares one store with GraphQL: creations and revocations are audited (no key: key_id null), the last ADMIN key is kept', async () => {
  const out = await runKeys(['create', '--role', 'admin', '--label', 'dave'], db);
  const audit = await db.pool.query("SELECT key_id, operation, after FROM audit_log WHERE entity = 'API_KEY' AND entity_id = $1", [idIn(out)]);
  expect(audit.rows).toEqual([{ key_id: null, operation: 'createApiKey', after: expect.objectContaining({ label: 'dave', role: 'ADMIN' }) }]);
  expect(JSON.stringify(audit.rows)).not.toContain(keyIn(out)!);
  const admins = (await db.pool.query("SELECT id FROM api_keys WHERE role = 'ADMIN' AND revoked_at IS NULL ORDER BY id")).rows.map((r) => r.id as string);
  expect(admins.length).toBeGreaterThan(1);
  for (const id of admins.slice(1)) await runKeys(['revoke', id], db);
  await expect(runKeys(['revoke', admins[0]], db)).rejects.toThrow(/last active ADMIN key/);
  const revocations = await db.pool.query("SELECT count(*)::int AS n FROM audit_log WHERE operation = 'revokeApiKey' AND entity_id = ANY($1::uuid[])", [
    admins.slice(1),
  ]);
  expect(revocations.rows[0].n).toBe(admins.length - 1);
});
