// Verified API keys are trusted for API_KEY_CACHE_SECONDS without a look-up: a request with a
// recently verified key issues no statement on api_keys; a revocation through the API takes
// effect at once, one made elsewhere (SQL, another instance, the CLI) once the window is over;
// an expiry falling inside the window is still honoured.
import { authenticateKey, revokeApiKey } from '../../src/auth/store';
import { startTestServer, type TestServer } from '../support/server';

describe('the verified-key cache', () => {
  let server: TestServer;
  let statements: string[] | null = null;
  beforeAll(async () => {
    server = await startTestServer({ seedOnStart: false, authMode: 'required', apiKeyCacheSeconds: 60 });
    server.db.statements!.listen((s) => statements?.push(s.query));
  }, 180_000);
  afterAll(() => server?.stop(), 180_000);

  const read = (key: string) => server.gql('{ sources { id } }', undefined, { authorization: `Bearer ${key}` });

  /** The SQL statements one request issued. */
  async function statementsOf(request: () => Promise<unknown>): Promise<string[]> {
    statements = [];
    try {
      await request();
      return statements;
    } finally {
      statements = null;
    }
  }

  it('looks a key up (and records its use) once, then answers from the cache', async () => {
    const viewer = await server.mintKey('VIEWER');
    const first = await statementsOf(async () => expect((await read(viewer.key)).status).toBe(200));
    expect(first.filter((q) => q.includes('api_keys'))).toHaveLength(2); // the look-up and last_used_at
    const again = await statementsOf(async () => expect((await read(viewer.key)).status).toBe(200));
    expect(again.filter((q) => q.includes('api_keys'))).toEqual([]);
    expect(again.length).toBe(first.length - 2);
    const row = await server.db.pool.query('SELECT last_used_at FROM api_keys WHERE id = $1', [viewer.id]);
    expect(row.rows[0].last_used_at).toBeInstanceOf(Date);
  });

  it('a key revoked through the API is refused on its next request', async () => {
    const admin = await server.mintKey('ADMIN');
    const editor = await server.mintKey('EDITOR');
    expect((await read(editor.key)).status).toBe(200);
    const revoke = await server.gql(`mutation { revokeApiKey(id: "${editor.id}") { id } }`, undefined, { authorization: `Bearer ${admin.key}` });
    expect(revoke.errors).toBeUndefined();
    const res = await read(editor.key);
    expect(res.status).toBe(401);
    expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('a key revoked elsewhere is trusted until its verification is older than the window, then refused', async () => {
    const viewer = await server.mintKey('VIEWER');
    const db = server.db;
    const t0 = new Date();
    const window = { cacheMs: 2_000 };
    expect(await authenticateKey(db, viewer.key, t0, window)).toMatchObject({ keyId: viewer.id, role: 'VIEWER' });
    // Another instance (or the CLI) revokes it: this process is not told.
    await server.db.pool.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [viewer.id]);
    expect(await authenticateKey(db, viewer.key, new Date(t0.getTime() + 1_999), window)).toMatchObject({ keyId: viewer.id });
    expect(await authenticateKey(db, viewer.key, new Date(t0.getTime() + 2_000), window)).toBeNull();
    // Refused from then on, and over HTTP (whose window, 60 s, began with no entry for this key).
    expect(await authenticateKey(db, viewer.key, new Date(t0.getTime() + 2_001), window)).toBeNull();
    expect((await read(viewer.key)).status).toBe(401);
  });

  it('a cached key that expires inside the window is refused from its expiry', async () => {
    const t0 = new Date();
    const expiresAt = new Date(t0.getTime() + 30_000);
    const viewer = await server.mintKey('VIEWER', { expiresAt });
    const window = { cacheMs: 60_000 };
    expect(await authenticateKey(server.db, viewer.key, t0, window)).toMatchObject({ keyId: viewer.id });
    expect(await authenticateKey(server.db, viewer.key, new Date(expiresAt.getTime() - 1), window)).toMatchObject({ keyId: viewer.id });
    expect(await authenticateKey(server.db, viewer.key, expiresAt, window)).toBeNull();
  });

  it('without a window every request looks the key up, and a revocation anywhere counts at once', async () => {
    const viewer = await server.mintKey('VIEWER');
    const db = server.db;
    expect(await authenticateKey(db, viewer.key)).toMatchObject({ keyId: viewer.id });
    await server.db.pool.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [viewer.id]);
    expect(await authenticateKey(db, viewer.key)).toBeNull();
  });

  it('revokeApiKey forgets the key in the cache of the client it ran on', async () => {
    const viewer = await server.mintKey('VIEWER');
    const db = server.db;
    const window = { cacheMs: 60_000 };
    expect(await authenticateKey(db, viewer.key, new Date(), window)).toMatchObject({ keyId: viewer.id });
    await revokeApiKey(db, viewer.id);
    expect(await authenticateKey(db, viewer.key, new Date(), window)).toBeNull();
  });
});
