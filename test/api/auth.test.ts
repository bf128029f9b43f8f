// Access control over real HTTP: every kind of caller × every class of operation,
// in both AUTH_MODEs; revoked and expired keys; CORS; CSRF prevention kept on.
import { UNAUTHENTICATED_MESSAGE } from '../../src/auth/access';
import { revokeApiKey } from '../../src/auth/store';
import { startTestServer, type TestServer } from '../support/server';

type Outcome = 'ok' | 'UNAUTHENTICATED' | 'FORBIDDEN';
type CallerKind = 'none' | 'garbage' | 'unknown' | 'revoked' | 'expired' | 'viewer' | 'editor' | 'admin';
type OperationClass = 'read' | 'mutation' | 'restore' | 'auditLog' | 'listKeys' | 'createKey' | 'revokeKey' | 'purge';

const CALLERS: CallerKind[] = ['none', 'garbage', 'unknown', 'revoked', 'expired', 'viewer', 'editor', 'admin'];
const OPERATIONS: OperationClass[] = ['read', 'mutation', 'restore', 'auditLog', 'listKeys', 'createKey', 'revokeKey', 'purge'];
/** Key management and hard purges: ADMIN only, in both modes. */
const ADMIN_ONLY: OperationClass[] = ['listKeys', 'createKey', 'revokeKey', 'purge'];

/** What each caller gets, per mode. Bad keys are refused whatever the operation, with one message. */
function expected(mode: 'open' | 'required', caller: CallerKind, op: OperationClass): Outcome {
  if (['garbage', 'unknown', 'revoked', 'expired'].includes(caller)) return 'UNAUTHENTICATED';
  if (caller === 'none') return op === 'read' && mode === 'open' ? 'ok' : 'UNAUTHENTICATED';
  if (op === 'read') return 'ok';
  if (ADMIN_ONLY.includes(op)) return caller === 'admin' ? 'ok' : 'FORBIDDEN';
  return caller === 'viewer' ? 'FORBIDDEN' : 'ok';
}

async function setUp(server: TestServer): Promise<Record<CallerKind, string | undefined>> {
  // made first: the last active ADMIN key cannot be revoked
  const admin = (await server.mintKey('ADMIN')).key;
  const revoked = await server.mintKey('ADMIN', { label: 'revoked admin' });
  await revokeApiKey(server.db, revoked.id);
  const expired = await server.mintKey('ADMIN', { label: 'expired admin', expiresAt: new Date(Date.now() + 1500) });
  const keys = {
    none: undefined,
    garbage: 'not-a-key',
    unknown: `att_${'A'.repeat(43)}`,
    revoked: revoked.key,
    expired: expired.key,
    viewer: (await server.mintKey('VIEWER')).key,
    editor: (await server.mintKey('EDITOR')).key,
    admin,
  };
  await new Promise((r) => setTimeout(r, 1600));
  return keys;
}

async function run(server: TestServer, op: OperationClass, key: string | undefined) {
  const headers = { authorization: key === undefined ? '' : `Bearer ${key}` };
  switch (op) {
    case 'read':
      return server.gql('{ sources { id } actors(first: 1) { totalCount } }', undefined, headers);
    case 'mutation':
      return server.gql('mutation { createSource(input: { publisher: "P", title: "T" }) { id } }', undefined, headers);
    case 'restore': {
      // a fresh deleted source to bring back
      const created = await server.gql('mutation { createSource(input: { publisher: "P", title: "R" }) { id } }');
      const id = created.data.createSource.id;
      await server.gql(`mutation { deleteSource(id: "${id}") { id } }`);
      return server.gql(`mutation { restoreSource(id: "${id}") { id } }`, undefined, headers);
    }
    case 'auditLog':
      return server.gql('{ auditLog(first: 1) { totalCount } }', undefined, headers);
    case 'listKeys':
      return server.gql('{ apiKeys(first: 1) { totalCount edges { node { id role } } } }', undefined, headers);
    case 'createKey':
      return server.gql('mutation { createApiKey(input: { role: VIEWER, label: "made in the matrix" }) { key apiKey { id } } }', undefined, headers);
    case 'revokeKey': {
      const victim = await server.mintKey('VIEWER', { label: 'to revoke' });
      return server.gql(`mutation { revokeApiKey(id: "${victim.id}") { revokedAt } }`, undefined, headers);
    }
    case 'purge': {
      // a fresh deleted source to purge
      const created = await server.gql('mutation { createSource(input: { publisher: "P", title: "Purge me" }) { id } }');
      const id = created.data.createSource.id;
      await server.gql(`mutation { deleteSource(id: "${id}") { id } }`);
      return server.gql(`mutation { purgeSource(id: "${id}") { entity before } }`, undefined, headers);
    }
  }
}

function outcomeOf(res: { status: number; data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] }): Outcome | string {
  if (!res.errors?.length) return 'ok';
  return res.errors[0].extensions?.code ?? `status ${res.status}`;
}

for (const mode of ['open', 'required'] as const) {
  describe(`AUTH_MODE=${mode}`, () => {
    let server: TestServer;
    let keys: Record<CallerKind, string | undefined>;
    beforeAll(async () => {
      server = await startTestServer({ seedOnStart: false, authMode: mode });
      keys = await setUp(server);
    }, 180_000);
    afterAll(() => server?.stop(), 180_000);

    for (const caller of CALLERS) {
      for (const op of OPERATIONS) {
        const want = expected(mode, caller, op);
        it(`${caller} key, ${op}: ${want}`, async () => {
          const res = await run(server, op, keys[caller]);
          expect(outcomeOf(res)).toBe(want);
          if (want === 'ok') {
            expect(res.status).toBe(200);
          } else if (want === 'UNAUTHENTICATED') {
            expect(res.status).toBe(401);
            // The same answer whether or not the key exists (unknown, revoked, expired, malformed, none).
            expect(res.errors![0].message).toBe(UNAUTHENTICATED_MESSAGE);
            expect(res.data ?? null).toBeNull();
          } else {
            expect(res.status).toBe(403);
            expect(res.errors![0].message).toMatch(/needs the (EDITOR|ADMIN) role/);
          }
        });
      }
    }
  });
}

describe('what a mutation refused for access leaves behind', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ seedOnStart: false, authMode: 'open' });
  }, 180_000);
  afterAll(() => server?.stop(), 180_000);

  it('nothing: no row, no audit entry', async () => {
    const viewer = (await server.mintKey('VIEWER')).key;
    const res = await server.gql('mutation { createSource(input: { publisher: "Nope", title: "Nope" }) { id } }', undefined, {
      authorization: `Bearer ${viewer}`,
    });
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await server.db.pool.query("SELECT count(*)::int AS n FROM sources WHERE publisher = 'Nope'")).rows[0].n).toBe(0);
    expect((await server.db.pool.query('SELECT count(*)::int AS n FROM audit_log')).rows[0].n).toBe(0);
  });

  it('nothing for an EDITOR trying ADMIN work: no key made, none revoked, nothing purged', async () => {
    const editor = { authorization: `Bearer ${(await server.mintKey('EDITOR')).key}` };
    const victim = await server.mintKey('VIEWER', { label: 'victim' });
    const source = (await server.gql('mutation { createSource(input: { publisher: "Kept", title: "Kept" }) { id } }')).data.createSource.id;
    await server.gql(`mutation { deleteSource(id: "${source}") { id } }`);
    const state = async () =>
      (
        await server.db.pool.query(
          'SELECT (SELECT count(*) FROM api_keys)::int AS keys, (SELECT count(*) FROM api_keys WHERE revoked_at IS NOT NULL)::int AS revoked, (SELECT count(*) FROM sources)::int AS sources, (SELECT count(*) FROM audit_log)::int AS audit',
        )
      ).rows[0];
    const before = await state();
    for (const doc of [
      'mutation { createApiKey(input: { role: ADMIN, label: "escalate" }) { key } }',
      `mutation { revokeApiKey(id: "${victim.id}") { id } }`,
      `mutation { purgeSource(id: "${source}") { id } }`,
    ]) {
      const res = await server.gql(doc, undefined, editor);
      expect(res.status).toBe(403);
      expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    expect(await state()).toEqual(before);
  });

  it('a key revoked while in use stops working on the next request', async () => {
    const editor = await server.mintKey('EDITOR');
    const h = { authorization: `Bearer ${editor.key}` };
    expect((await server.gql('mutation { createSource(input: { publisher: "A", title: "B" }) { id } }', undefined, h)).errors).toBeUndefined();
    await revokeApiKey(server.db, editor.id);
    const res = await server.gql('mutation { createSource(input: { publisher: "A", title: "C" }) { id } }', undefined, h);
    expect(res.status).toBe(401);
    expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('a key that is not Bearer is refused, and the answer asks for Bearer', async () => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic dXNlcjpwYXNz' },
      body: JSON.stringify({ query: '{ sources { id } }' }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('the CSV report follows the read rule too', async () => {
    const base = server.url.replace(/\/graphql$/, '');
    const bad = await fetch(`${base}/reports/shipments.csv`, { headers: { authorization: `Bearer att_${'B'.repeat(43)}` } });
    expect(bad.status).toBe(401);
  });
});

describe('required mode protects the CSV report; CORS and CSRF', () => {
  let server: TestServer;
  let base: string;
  beforeAll(async () => {
    server = await startTestServer({ seedOnStart: false, authMode: 'required', corsOrigins: ['https://analysts.example'] });
    base = server.url.replace(/\/graphql$/, '');
  }, 180_000);
  afterAll(() => server?.stop(), 180_000);

  it('asks for a key for /reports', async () => {
    const none = await fetch(`${base}/reports/shipments.csv?from=2023-01-01&to=2023-12-31`);
    expect(none.status).toBe(401);
    const viewer = (await server.mintKey('VIEWER')).key;
    const ok = await fetch(`${base}/reports/shipments.csv?from=2023-01-01&to=2023-12-31`, { headers: { authorization: `Bearer ${viewer}` } });
    expect(ok.status).not.toBe(401);
    expect(ok.status).toBeLessThan(500);
  });

  it('allows only the configured origins', async () => {
    const preflight = (origin: string) =>
      fetch(server.url, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
      });
    const allowed = await preflight('https://analysts.example');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://analysts.example');
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('keeps CSRF prevention on (a simple GET is refused even with a key)', async () => {
    const viewer = (await server.mintKey('VIEWER')).key;
    const res = await fetch(`${server.url}?query=${encodeURIComponent('{ sources { id } }')}`, { headers: { authorization: `Bearer ${viewer}` } });
    expect(res.status).toBe(400);
  });
});
