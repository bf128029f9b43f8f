// The audit trail over real HTTP: one row per change, written with the change,
// with the key that made it and the record before and after; who may read it;
// restoring soft-deleted records.
import { as, ok, startTestServer, type TestServer } from '../support/server';

let server: TestServer;
let editor: { key: string; id: string };
let otherEditor: { key: string; id: string };
let admin: { key: string; id: string };
beforeAll(async () => {
  server = await startTestServer({ seedOnStart: false });
  editor = await server.mintKey('EDITOR', { label: 'audit editor' });
  otherEditor = await server.mintKey('EDITOR', { label: 'other editor' });
  admin = await server.mintKey('ADMIN', { label: 'audit admin' });
}, 180_000);
afterAll(() => server?.stop(), 180_000);

async function mutate(doc: string, variables?: Record<string, unknown>, who = editor): Promise<any> {
  const data = ok(await server.gql(doc, variables, as(who)));
  return Object.values(data as object)[0];
}

interface Row {
  key_id: string | null;
  operation: string;
  entity: string;
  entity_id: string;
  before: any;
  after: any;
}

/** The audit rows written since `since` (an id), oldest first, straight from the table. */
async function rowsSince(since: number): Promise<Row[]> {
  const res = await server.db.pool.query('SELECT * FROM audit_log WHERE id > $1 ORDER BY id', [since]);
  return res.rows;
}

async function lastId(): Promise<number> {
  const res = await server.db.pool.query('SELECT coalesce(max(id), 0)::int AS id FROM audit_log');
  return res.rows[0].id;
}

/** Runs `change` and returns the audit rows it wrote. */
async function audit(change: () => Promise<unknown>): Promise<Row[]> {
  const since = await lastId();
  await change();
  return rowsSince(since);
}

describe('every mutation kind writes one audit row with before and after', () => {
  let actorA: any;
  let actorB: any;
  let event: any;
  let shipment: any;
  let source: any;
  let citation: any;
  let affiliation: any;

  it('actors: create, update, add/remove alias, delete, merge', async () => {
    let rows = await audit(async () => {
      actorA = await mutate('mutation { createActor(input: { name: "Audit A", kind: STATE, aliases: ["AA"] }) { id } }');
    });
    expect(rows).toEqual([expect.objectContaining({ key_id: editor.id, operation: 'createActor', entity: 'ACTOR', entity_id: actorA.id, before: null })]);
    expect(rows[0].after).toMatchObject({ id: actorA.id, name: 'Audit A', kind: 'STATE', aliases: ['AA', 'Audit A'], deletedAt: null });

    rows = await audit(() => mutate(`mutation { updateActor(id: "${actorA.id}", input: { description: "changed" }) { id } }`));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ operation: 'updateActor', before: { description: null }, after: { description: 'changed' } });

    rows = await audit(() => mutate(`mutation { addActorAliases(id: "${actorA.id}", aliases: ["A2"]) { id } }`));
    expect(rows[0]).toMatchObject({ operation: 'addActorAliases', before: { aliases: ['AA', 'Audit A'] }, after: { aliases: ['A2', 'AA', 'Audit A'] } });

    rows = await audit(() => mutate(`mutation { removeActorAlias(id: "${actorA.id}", alias: "AA") { id } }`));
    expect(rows[0]).toMatchObject({ operation: 'removeActorAlias', before: { aliases: ['A2', 'AA', 'Audit A'] }, after: { aliases: ['A2', 'Audit A'] } });

    actorB = await mutate('mutation { createActor(input: { name: "Audit B", kind: STATE }) { id } }');
    const temp = await mutate('mutation { createActor(input: { name: "Audit Temp", kind: PERSON }) { id } }');
    rows = await audit(() => mutate(`mutation { deleteActor(id: "${temp.id}") { id } }`));
    expect(rows[0]).toMatchObject({ operation: 'deleteActor', entity_id: temp.id, before: { deletedAt: null } });
    expect(rows[0].after.deletedAt).toEqual(expect.any(String));

    const merged = await mutate('mutation { createActor(input: { name: "Audit Merged", kind: STATE, countryCode: "PRK" }) { id } }');
    rows = await audit(() => mutate(`mutation { mergeActors(keepId: "${actorB.id}", mergeId: "${merged.id}") { id } }`));
    expect(rows.map((r) => [r.operation, r.entity_id])).toEqual([
      ['mergeActors', actorB.id],
      ['mergeActors', merged.id],
    ]);
    expect(rows[0]).toMatchObject({ before: { countryCode: null, aliases: ['Audit B'] }, after: { countryCode: 'PRK', aliases: ['Audit B', 'Audit Merged'] } });
    expect(rows[1]).toMatchObject({ before: { deletedAt: null, aliases: ['Audit Merged'] }, after: { aliases: [], mergedInto: actorB.id } });
  });

  it('events: create, update, delete (with participants)', async () => {
    let rows = await audit(async () => {
      event = await mutate(
        `mutation { createEvent(input: { type: MEETING, title: "Audit meeting", date: { edtf: "2023-09" }, confidence: REPORTED,
          participants: [{ actorId: "${actorA.id}", role: INITIATOR }] }) { id } }`,
      );
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ operation: 'createEvent', entity: 'EVENT', entity_id: event.id, before: null });
    expect(rows[0].after).toMatchObject({ title: 'Audit meeting', participants: [{ actorId: actorA.id, role: 'INITIATOR' }] });

    rows = await audit(() => mutate(`mutation { updateEvent(id: "${event.id}", input: { title: "Audit meeting, renamed", participants: [] }) { id } }`));
    expect(rows[0]).toMatchObject({
      operation: 'updateEvent',
      before: { title: 'Audit meeting', participants: [{ actorId: actorA.id }] },
      after: { title: 'Audit meeting, renamed', participants: [] },
    });

    rows = await audit(() => mutate(`mutation { deleteEvent(id: "${event.id}") { id } }`));
    expect(rows[0]).toMatchObject({ operation: 'deleteEvent', before: { deletedAt: null } });
    expect(rows[0].after.deletedAt).toEqual(expect.any(String));
  });

  it('shipments: create, update, delete', async () => {
    let rows = await audit(async () => {
      shipment = await mutate(
        `mutation { createShipment(input: { supplierId: "${actorA.id}", recipientId: "${actorB.id}", category: FOOD,
          deliverySpan: { edtf: "2023-09" }, status: REPORTED, confidence: ALLEGED, quantity: 10, unit: "t" }) { id } }`,
      );
    });
    expect(rows[0]).toMatchObject({ operation: 'createShipment', entity: 'SHIPMENT', before: null, after: { quantity: 10, unit: 't', eventIds: [] } });
    rows = await audit(() => mutate(`mutation { updateShipment(id: "${shipment.id}", input: { quantity: 12 }) { id } }`));
    expect(rows[0]).toMatchObject({ operation: 'updateShipment', before: { quantity: 10 }, after: { quantity: 12 } });
    rows = await audit(() => mutate(`mutation { deleteShipment(id: "${shipment.id}") { id } }`));
    expect(rows[0]).toMatchObject({ operation: 'deleteShipment', before: { deletedAt: null } });
  });

  it('sources and citations: create, update, delete', async () => {
    let rows = await audit(async () => {
      source = await mutate('mutation { createSource(input: { publisher: "Audit Press", title: "T" }) { id } }');
    });
    expect(rows[0]).toMatchObject({ operation: 'createSource', entity: 'SOURCE', before: null, after: { publisher: 'Audit Press' } });
    rows = await audit(() => mutate(`mutation { updateSource(id: "${source.id}", input: { title: "T2" }) { id } }`));
    expect(rows[0]).toMatchObject({ operation: 'updateSource', before: { title: 'T' }, after: { title: 'T2' } });

    const ev = await mutate('mutation { createEvent(input: { type: OTHER, title: "Cited", date: { edtf: "2023" }, confidence: ASSESSED }) { id } }');
    rows = await audit(async () => {
      citation = await mutate(`mutation { createCitation(input: { sourceId: "${source.id}", excerpt: "quote", eventId: "${ev.id}" }) { id } }`);
    });
    expect(rows[0]).toMatchObject({ operation: 'createCitation', entity: 'CITATION', before: null, after: { excerpt: 'quote', eventId: ev.id } });
    rows = await audit(() => mutate(`mutation { updateCitation(id: "${citation.id}", input: { excerpt: "quote 2" }) { id } }`));
    expect(rows[0]).toMatchObject({ operation: 'updateCitation', before: { excerpt: 'quote' }, after: { excerpt: 'quote 2' } });
    rows = await audit(() => mutate(`mutation { deleteCitation(id: "${citation.id}") { id } }`));
    expect(rows[0]).toMatchObject({ operation: 'deleteCitation', before: { deletedAt: null } });
    rows = await audit(() => mutate(`mutation { deleteSource(id: "${source.id}") { id } }`));
    expect(rows[0]).toMatchObject({ operation: 'deleteSource', entity_id: source.id });
  });

  it('affiliations: create, delete', async () => {
    let rows = await audit(async () => {
      affiliation = await mutate(`mutation { createAffiliation(input: { actorId: "${actorA.id}", targetId: "${actorB.id}", role: MEMBER_OF }) { id } }`);
    });
    expect(rows[0]).toMatchObject({ operation: 'createAffiliation', entity: 'AFFILIATION', before: null, after: { actorId: actorA.id, targetId: actorB.id } });
    rows = await audit(() => mutate(`mutation { deleteAffiliation(id: "${affiliation.id}") { id } }`));
    expect(rows[0]).toMatchObject({ operation: 'deleteAffiliation', before: { deletedAt: null } });
  });

  it('a refused mutation writes no audit row (the row and the change share a transaction)', async () => {
    const rows = await audit(async () => {
      const res = await server.gql(
        `mutation { createShipment(input: { supplierId: "${actorA.id}", recipientId: "${actorA.id}", category: FOOD,
          deliverySpan: { edtf: "2023-09" }, status: REPORTED, confidence: ALLEGED }) { id } }`,
        undefined,
        as(editor),
      );
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      const dup = await server.gql('mutation { createActor(input: { name: "Dup", kind: STATE, aliases: ["Audit A"] }) { id } }', undefined, as(editor));
      expect(dup.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });
    expect(rows).toEqual([]);
    expect((await server.db.pool.query("SELECT count(*)::int AS n FROM actors WHERE name = 'Dup'")).rows[0].n).toBe(0);
  });

  it('restores soft-deleted records, audited, and they come back to reads', async () => {
    // a shipment whose parties are live comes back
    let rows = await audit(() => mutate(`mutation { restoreShipment(id: "${shipment.id}") { id } }`));
    expect(rows[0]).toMatchObject({ operation: 'restoreShipment', entity: 'SHIPMENT', entity_id: shipment.id, after: { deletedAt: null } });
    expect(rows[0].before.deletedAt).toEqual(expect.any(String));
    expect(ok(await server.gql(`{ shipment(id: "${shipment.id}") { id quantity } }`)).shipment).toEqual({ id: shipment.id, quantity: 12 });

    rows = await audit(() => mutate(`mutation { restoreEvent(id: "${event.id}") { id } }`));
    expect(rows[0]).toMatchObject({ operation: 'restoreEvent' });
    expect(ok(await server.gql(`{ event(id: "${event.id}") { title } }`)).event).toEqual({ title: 'Audit meeting, renamed' });

    await mutate(`mutation { restoreAffiliation(id: "${affiliation.id}") { id } }`);

    // a citation whose source is deleted cannot come back before its source
    const early = await server.gql(`mutation { restoreCitation(id: "${citation.id}") { id } }`, undefined, as(editor));
    expect(early.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'id' } });
    expect(early.errors?.[0].message).toMatch(/source .* is deleted; restore that first/);
    await mutate(`mutation { restoreSource(id: "${source.id}") { id } }`);
    await mutate(`mutation { restoreCitation(id: "${citation.id}") { id } }`);
    expect(ok(await server.gql(`{ source(id: "${source.id}") { title } }`)).source).toEqual({ title: 'T2' });
  });

  it('restoring: a live record, an unknown one, a merged actor are refused', async () => {
    const live = await server.gql(`mutation { restoreEvent(id: "${event.id}") { id } }`, undefined, as(editor));
    expect(live.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'id' } });
    const unknown = await server.gql('mutation { restoreEvent(id: "00000000-0000-4000-8000-000000000000") { id } }', undefined, as(editor));
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const mergedRow = (await server.db.pool.query("SELECT entity_id FROM audit_log WHERE operation = 'mergeActors' ORDER BY id DESC LIMIT 1")).rows[0];
    const merged = await server.gql(`mutation { restoreActor(id: "${mergedRow.entity_id}") { id } }`, undefined, as(editor));
    expect(merged.errors?.[0].message).toMatch(/merged into actor/);
  });

  it('restores a deleted actor', async () => {
    const temp = (await server.db.pool.query("SELECT id FROM actors WHERE name = 'Audit Temp'")).rows[0];
    const rows = await audit(() => mutate(`mutation { restoreActor(id: "${temp.id}") { id name } }`));
    expect(rows[0]).toMatchObject({ operation: 'restoreActor', entity: 'ACTOR', after: { deletedAt: null } });
    expect(ok(await server.gql(`{ actor(id: "${temp.id}") { name } }`)).actor).toEqual({ name: 'Audit Temp' });
  });
});

describe('auditLog', () => {
  const LOG = `query ($entity: AuditEntity, $entityId: ID, $first: Int, $after: String) {
    auditLog(entity: $entity, entityId: $entityId, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { id at keyId operation entity entityId before after } } } }`;

  it("EDITORs read their own entries only; ADMINs read everyone's", async () => {
    await mutate('mutation { createSource(input: { publisher: "Other", title: "Other" }) { id } }', undefined, otherEditor);
    const mine = ok(await server.gql(LOG, { first: 500 }, as(editor))).auditLog;
    const theirs = ok(await server.gql(LOG, { first: 500 }, as(otherEditor))).auditLog;
    const all = ok(await server.gql(LOG, { first: 500 }, as(admin))).auditLog;
    expect(mine.edges.every((e: any) => e.node.keyId === editor.id)).toBe(true);
    expect(theirs.totalCount).toBe(1);
    expect(theirs.edges[0].node).toMatchObject({ keyId: otherEditor.id, operation: 'createSource', entity: 'SOURCE', before: null });
    expect(all.totalCount).toBe(mine.totalCount + theirs.totalCount);
    const dbCount = (await server.db.pool.query('SELECT count(*)::int AS n FROM audit_log')).rows[0].n;
    expect(all.totalCount).toBe(dbCount);
  });

  it('filters by entity and record, newest first, and pages with a cursor', async () => {
    const event = (await server.db.pool.query("SELECT id FROM events WHERE title = 'Audit meeting, renamed'")).rows[0];
    const page1 = ok(await server.gql(LOG, { entity: 'EVENT', entityId: event.id, first: 2 }, as(admin))).auditLog;
    expect(page1.totalCount).toBe(4); // create, update, delete, restore
    expect(page1.edges.map((e: any) => e.node.operation)).toEqual(['restoreEvent', 'deleteEvent']);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = ok(await server.gql(LOG, { entity: 'EVENT', entityId: event.id, first: 2, after: page1.pageInfo.endCursor }, as(admin))).auditLog;
    expect(page2.edges.map((e: any) => e.node.operation)).toEqual(['updateEvent', 'createEvent']);
    expect(page2.pageInfo.hasNextPage).toBe(false);
    expect(page2.edges[1].node.after).toMatchObject({ title: 'Audit meeting' });
  });

  it('refuses viewers, anonymous callers and bad cursors', async () => {
    const viewer = await server.mintKey('VIEWER');
    expect((await server.gql(LOG, {}, as(viewer))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await server.gql(LOG, {}, { authorization: '' })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await server.gql(LOG, { after: 'garbage' }, as(admin))).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect((await server.gql(LOG, { entityId: 'x' }, as(admin))).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'entityId' });
  });
});
