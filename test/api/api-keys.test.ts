// Key management over real HTTP (AUTH_MODE=required): apiKeys, createApiKey, revokeApiKey —
// ADMIN only; the key shown once and never stored or audited; validation naming the field;
// revocation at once; never the last active ADMIN key.
import { hashKey } from '../../src/auth/keys';
import { as, ok, useKeyedServer } from '../support/server';

const keyed = useKeyedServer('first admin');

const KEY_FIELDS = 'id label role createdAt lastUsedAt expiresAt revokedAt createdBy active';
const CREATE = `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { ${KEY_FIELDS} } } }`;
const REVOKE = `mutation ($id: ID!) { revokeApiKey(id: $id) { ${KEY_FIELDS} } }`;
const LIST = `query ($first: Int, $after: String, $includeRevoked: Boolean) {
  apiKeys(first: $first, after: $after, includeRevoked: $includeRevoked) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${KEY_FIELDS} } } } }`;

async function create(input: Record<string, unknown>, who = keyed.admin): Promise<{ key: string; apiKey: any }> {
  return ok(await keyed.server.gql(CREATE, { input }, as(who))).createApiKey;
}

const auditRows = async (entityId: string) =>
  (await keyed.server.db.pool.query("SELECT * FROM audit_log WHERE entity = 'API_KEY' AND entity_id = $1 ORDER BY id", [entityId])).rows;

/** Active ADMIN keys other than `keep` are revoked, so that tests about the last ADMIN start from one. */
async function onlyAdmin(keep: { id: string }): Promise<void> {
  await keyed.server.db.pool.query("UPDATE api_keys SET revoked_at = now() WHERE role = 'ADMIN' AND revoked_at IS NULL AND id <> $1", [keep.id]);
}

describe('createApiKey', () => {
  it('returns the key once with its record; the key works; only its hash is stored; the audit row has neither', async () => {
    const { key, apiKey } = await create({ role: 'EDITOR', label: '  alice laptop ', expiresAt: '2099-01-01T00:00:00.000Z' });
    expect(key).toMatch(/^att_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({
      label: 'alice laptop',
      role: 'EDITOR',
      expiresAt: '2099-01-01T00:00:00.000Z',
      revokedAt: null,
      lastUsedAt: null,
      createdBy: keyed.admin.id,
      active: true,
    });
    // the key works, with its role
    const asNew = await keyed.server.gql('mutation { createSource(input: { publisher: "P", title: "By new key" }) { id } }', undefined, {
      authorization: `Bearer ${key}`,
    });
    expect(asNew.errors).toBeUndefined();
    const stored = (await keyed.server.db.pool.query('SELECT * FROM api_keys WHERE id = $1', [apiKey.id])).rows[0];
    expect(stored.key_hash).toBe(hashKey(key));
    expect(JSON.stringify(stored)).not.toContain(key);
    // the listing never shows the key or its hash
    const listed = JSON.stringify(ok(await keyed.server.gql(LIST, { first: 500 }, as(keyed.admin))));
    expect(listed).toContain(apiKey.id);
    expect(listed).not.toContain(key);
    expect(listed).not.toContain(stored.key_hash);
    // audited: who, what, the record after — without key or hash
    const rows = await auditRows(apiKey.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ key_id: keyed.admin.id, operation: 'createApiKey', entity: 'API_KEY', before: null });
    expect(rows[0].after).toMatchObject({ id: apiKey.id, label: 'alice laptop', role: 'EDITOR', createdBy: keyed.admin.id });
    expect(JSON.stringify(rows[0])).not.toContain(key);
    expect(JSON.stringify(rows[0])).not.toContain(stored.key_hash);
    // and readable in the audit log by entity
    const log = ok(
      await keyed.server.gql(
        `{ auditLog(entity: API_KEY, entityId: "${apiKey.id}") { totalCount edges { node { operation keyId } } } }`,
        undefined,
        as(keyed.admin),
      ),
    );
    expect(log.auditLog.edges).toEqual([{ node: { operation: 'createApiKey', keyId: keyed.admin.id } }]);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const count = async () =>
      (await keyed.server.db.pool.query('SELECT (SELECT count(*) FROM api_keys)::int AS k, (SELECT count(*) FROM audit_log)::int AS a')).rows[0];
    const before = await count();
    const cases: [Record<string, unknown>, string][] = [
      [{ role: 'VIEWER', label: '   ' }, 'input.label'],
      [{ role: 'VIEWER', label: 'x'.repeat(201) }, 'input.label'],
      [{ role: 'VIEWER', label: 'nul\u0000label' }, 'input.label'], // PostgreSQL text cannot hold it
      [{ role: 'VIEWER', label: 'old', expiresAt: '2001-01-01T00:00:00.000Z' }, 'input.expiresAt'],
    ];
    for (const [input, field] of cases) {
      const res = await keyed.server.gql(CREATE, { input }, as(keyed.admin));
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(res.status).toBeLessThan(500);
    }
    // a role that does not exist is refused by the schema
    const badRole = await keyed.server.gql(CREATE, { input: { role: 'ROOT', label: 'x' } }, as(keyed.admin));
    expect(badRole.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await count()).toEqual(before);
  });
});

describe('hostile labels', () => {
  it('are stored and returned verbatim, never run', async () => {
    const label = `'); DROP TABLE api_keys; -- <script>alert(1)</script> $1 \\x00`;
    const { apiKey } = await create({ role: 'VIEWER', label });
    expect(apiKey.label).toBe(label);
    expect((await keyed.server.db.pool.query('SELECT label FROM api_keys WHERE id = $1', [apiKey.id])).rows[0].label).toBe(label);
    expect((await keyed.server.db.pool.query("SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'api_keys'")).rows[0].n).toBe(1);
  });
});

describe('apiKeys', () => {
  it('pages oldest first with a cursor, hides revoked keys unless asked, and says which keys are active', async () => {
    const made: any[] = [];
    for (const label of ['page a', 'page b', 'page c']) made.push((await create({ role: 'VIEWER', label })).apiKey);
    ok(await keyed.server.gql(REVOKE, { id: made[1].id }, as(keyed.admin)));
    const expiring = (await create({ role: 'VIEWER', label: 'expiring', expiresAt: new Date(Date.now() + 1000).toISOString() })).apiKey;
    await new Promise((r) => setTimeout(r, 1100));

    const all: any[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = ok(await keyed.server.gql(LIST, { first: 2, after, includeRevoked: true }, as(keyed.admin))).apiKeys;
      all.push(...page.edges.map((e: any) => e.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    const dbRows = (await keyed.server.db.pool.query('SELECT id FROM api_keys ORDER BY created_at, id')).rows.map((r) => r.id);
    expect(all.map((k) => k.id)).toEqual(dbRows);

    const live = ok(await keyed.server.gql(LIST, { first: 500 }, as(keyed.admin))).apiKeys;
    const liveIds = live.edges.map((e: any) => e.node.id);
    expect(liveIds).not.toContain(made[1].id);
    expect(liveIds).toContain(made[0].id);
    expect(live.totalCount).toBe((await keyed.server.db.pool.query('SELECT count(*)::int AS n FROM api_keys WHERE revoked_at IS NULL')).rows[0].n);
    // an expired key is listed, inactive
    expect(live.edges.find((e: any) => e.node.id === expiring.id).node.active).toBe(false);
    expect(all.find((k) => k.id === made[1].id)).toMatchObject({ active: false, revokedAt: expect.any(String) });
  });

  it('refuses a cursor that is not one of its own', async () => {
    const res = await keyed.server.gql(LIST, { after: 'bm9wZQ' }, as(keyed.admin));
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});

describe('revokeApiKey', () => {
  it('revokes at once, audits before and after, and a second revocation changes nothing', async () => {
    const { key, apiKey } = await create({ role: 'EDITOR', label: 'to revoke' });
    const revoked = ok(await keyed.server.gql(REVOKE, { id: apiKey.id }, as(keyed.admin))).revokeApiKey;
    expect(revoked).toMatchObject({ id: apiKey.id, active: false, revokedAt: expect.any(String) });
    const res = await keyed.server.gql('{ sources { id } }', undefined, { authorization: `Bearer ${key}` });
    expect(res.status).toBe(401);
    expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const again = ok(await keyed.server.gql(REVOKE, { id: apiKey.id }, as(keyed.admin))).revokeApiKey;
    expect(again.revokedAt).toBe(revoked.revokedAt);
    const rows = await auditRows(apiKey.id);
    expect(rows.map((r) => r.operation)).toEqual(['createApiKey', 'revokeApiKey']);
    expect(rows[1]).toMatchObject({ key_id: keyed.admin.id, before: { revokedAt: null }, after: { revokedAt: revoked.revokedAt } });
  });

  it('names the id at fault: malformed is BAD_USER_INPUT, unknown is NOT_FOUND', async () => {
    const bad = await keyed.server.gql(REVOKE, { id: 'nonsense' }, as(keyed.admin));
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const unknown = await keyed.server.gql(REVOKE, { id: '00000000-0000-4000-8000-000000000000' }, as(keyed.admin));
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
  });

  it('refuses to revoke the last active ADMIN key (its own included); with another ADMIN it may', async () => {
    const me = await keyed.server.mintKey('ADMIN', { label: 'sole admin' });
    await onlyAdmin(me);
    const refused = await keyed.server.gql(REVOKE, { id: me.id }, as(me));
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(refused.errors?.[0].message).toMatch(/last active ADMIN key/);
    expect(ok(await keyed.server.gql('{ apiKeys { totalCount } }', undefined, as(me))).apiKeys.totalCount).toBeGreaterThan(0);
    expect(await auditRows(me.id)).toHaveLength(0);
    // an expired ADMIN key does not count as another one
    await create({ role: 'ADMIN', label: 'expiring admin', expiresAt: new Date(Date.now() + 1000).toISOString() }, me);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await keyed.server.gql(REVOKE, { id: me.id }, as(me))).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    // with a second active ADMIN, a key may revoke itself; it stops working at once
    const second = await create({ role: 'ADMIN', label: 'second admin' }, me);
    ok(await keyed.server.gql(REVOKE, { id: me.id }, as(me)));
    expect((await keyed.server.gql('{ apiKeys { totalCount } }', undefined, as(me))).status).toBe(401);
    expect(ok(await keyed.server.gql('{ apiKeys { totalCount } }', undefined, { authorization: `Bearer ${second.key}` })).apiKeys.totalCount).toBeGreaterThan(
      0,
    );
  });

  it('two ADMINs revoking each other at once: one wins, one ADMIN key stays active', async () => {
    const a = await keyed.server.mintKey('ADMIN', { label: 'race a' });
    await onlyAdmin(a);
    const b = await keyed.server.mintKey('ADMIN', { label: 'race b' });
    const [ra, rb] = await Promise.all([keyed.server.gql(REVOKE, { id: b.id }, as(a)), keyed.server.gql(REVOKE, { id: a.id }, as(b))]);
    const outcomes = [ra, rb].map((r) => r.errors?.[0].extensions?.code ?? 'ok').sort();
    // the loser is refused as the last ADMIN, or (its key revoked before it was read) as unauthenticated
    expect(outcomes[1]).toBe('ok');
    expect(['BAD_USER_INPUT', 'UNAUTHENTICATED']).toContain(outcomes[0]);
    const active = await keyed.server.db.pool.query(
      "SELECT id FROM api_keys WHERE role = 'ADMIN' AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())",
    );
    expect(active.rows).toHaveLength(1);
  });
});
