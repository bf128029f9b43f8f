// Hard purges over real HTTP: only soft-deleted records, only when nothing live (for actors:
// nothing at all) still refers to them, deleted citations along, one audit row per deleted
// record with the record in full; refusals name the dependents and change nothing.
import { meetingInput, foodShipmentInput } from '../support/inputs';
import { rowCounts, SEEDED_TABLES } from '../support/integrity';
import { ok, useKeyedServer } from '../support/server';

const keyed = useKeyedServer('purging admin');

/** A mutation as the EDITOR (the test keyed.server's default key); returns its one field. */
async function edit(doc: string, variables?: Record<string, unknown>): Promise<any> {
  return Object.values(ok(await keyed.server.gql(doc, variables)) as object)[0];
}

const ENTRY = 'id keyId operation entity entityId before after';
const purge = (kind: string, id: string, key = keyed.admin.key) =>
  keyed.server.gql(`mutation ($id: ID!) { purge${kind}(id: $id) { ${ENTRY} } }`, { id }, { authorization: `Bearer ${key}` });
const del = (kind: string, id: string, cascade = false) =>
  edit(`mutation ($id: ID!, $c: Boolean) { delete${kind}(id: $id, cascade: $c) { id } }`, { id, c: cascade });

/**
 * Soft-deletes a record behind the API's back, leaving what refers to it live: the state a
 * database from before deletes checked their dependents (issue #27) may hold, which purges
 * still refuse to make worse.
 */
async function legacyDelete(table: string, id: string): Promise<void> {
  await keyed.server.db.pool.query(`UPDATE ${table} SET deleted_at = now() WHERE id = $1`, [id]);
}

async function exists(table: string, id: string): Promise<boolean> {
  return (await keyed.server.db.pool.query(`SELECT 1 FROM ${table} WHERE id = $1`, [id])).rowCount === 1;
}

/** Rows of every table the purges touch, and of the audit log: a refusal must leave them all as they were. */
const counts = () => rowCounts(keyed.server.db.pool, SEEDED_TABLES);

async function auditOf(entityId: string) {
  return (await keyed.server.db.pool.query('SELECT * FROM audit_log WHERE entity_id = $1 ORDER BY id', [entityId])).rows;
}

/** A small world: supplier → recipient shipment reported by an event, an affiliation, a source and a citation of each. */
async function world(tag: string) {
  const actor = (name: string) =>
    edit('mutation ($i: CreateActorInput!) { createActor(input: $i) { id } }', {
      i: { name: `${name} ${tag}`, kind: 'STATE', aliases: [`${name} alias ${tag}`] },
    });
  const supplier = await actor('Supplier');
  const recipient = await actor('Recipient');
  const official = await actor('Official');
  const event = await edit('mutation ($i: CreateEventInput!) { createEvent(input: $i) { id } }', {
    i: meetingInput(tag, [
      { actorId: official.id, role: 'PARTICIPANT' },
      { actorId: supplier.id, role: 'INITIATOR' },
    ]),
  });
  const shipment = await edit('mutation ($i: CreateShipmentInput!) { createShipment(input: $i) { id } }', {
    i: foodShipmentInput(supplier.id, recipient.id, [event.id]),
  });
  const affiliation = await edit('mutation ($i: CreateAffiliationInput!) { createAffiliation(input: $i) { id } }', {
    i: { actorId: official.id, role: 'OFFICIAL_OF', targetId: recipient.id },
  });
  const source = await edit('mutation ($i: CreateSourceInput!) { createSource(input: $i) { id } }', { i: { publisher: 'Wire', title: `Report ${tag}` } });
  const cite = (subject: Record<string, string>) =>
    edit('mutation ($i: CreateCitationInput!) { createCitation(input: $i) { id } }', { i: { sourceId: source.id, excerpt: `Excerpt ${tag}`, ...subject } });
  return {
    supplier: supplier.id as string,
    recipient: recipient.id as string,
    official: official.id as string,
    event: event.id as string,
    shipment: shipment.id as string,
    affiliation: affiliation.id as string,
    source: source.id as string,
    eventCitation: (await cite({ eventId: event.id })).id as string,
    shipmentCitation: (await cite({ shipmentId: shipment.id })).id as string,
    affiliationCitation: (await cite({ affiliationId: affiliation.id })).id as string,
  };
}

describe('refusals change nothing', () => {
  it('a live record is not purged; a malformed id is bad input; an unknown one NOT_FOUND; an EDITOR is FORBIDDEN', async () => {
    const w = await world('refusals');
    const before = await counts();
    const live = await purge('Event', w.event);
    expect(live.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(live.errors?.[0].message).toMatch(/is not deleted/);
    expect((await purge('Source', 'nonsense')).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect((await purge('Shipment', '00000000-0000-4000-8000-000000000000')).errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    await del('Citation', w.eventCitation);
    const afterDelete = await counts();
    const editor = await purge('Citation', w.eventCitation, keyed.server.editorKey);
    expect(editor.status).toBe(403);
    expect(editor.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await counts()).toEqual(afterDelete);
    expect(afterDelete.audit_log).toBe(before.audit_log + 1); // the delete only
  });
});

describe('purgeEvent', () => {
  it('is refused while live records refer to it (named), then deletes it with its participants, links and deleted citations', async () => {
    const w = await world('event');
    await legacyDelete('events', w.event);
    const before = await counts();
    const refused = await purge('Event', w.event);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(refused.errors?.[0].message).toContain(`citation ${w.eventCitation}`);
    expect(refused.errors?.[0].message).toContain(`shipment ${w.shipment}`);
    expect(await counts()).toEqual(before);

    await del('Citation', w.eventCitation);
    // a deleted shipment does not hold it back: only its link to the event goes
    await del('Shipment', w.shipment, true);
    const entry = ok(await purge('Event', w.event)).purgeEvent;
    expect(entry).toMatchObject({ keyId: keyed.admin.id, operation: 'purgeEvent', entity: 'EVENT', entityId: w.event, after: null });
    expect(entry.before).toMatchObject({
      id: w.event,
      title: 'Meeting event',
      deletedAt: expect.any(String),
      participants: expect.arrayContaining([
        { actorId: w.official, role: 'PARTICIPANT' },
        { actorId: w.supplier, role: 'INITIATOR' },
      ]),
      shipmentIds: [w.shipment],
    });
    expect(await exists('events', w.event)).toBe(false);
    expect(await exists('citations', w.eventCitation)).toBe(false);
    expect((await keyed.server.db.pool.query('SELECT count(*)::int AS n FROM event_participants WHERE event_id = $1', [w.event])).rows[0].n).toBe(0);
    expect((await keyed.server.db.pool.query('SELECT count(*)::int AS n FROM shipment_events WHERE event_id = $1', [w.event])).rows[0].n).toBe(0);
    expect(await exists('shipments', w.shipment)).toBe(true);
    // the trail: each deleted record has its purge row, with the record in full, by the ADMIN's key
    const citationRows = await auditOf(w.eventCitation);
    expect(citationRows.at(-1)).toMatchObject({
      key_id: keyed.admin.id,
      operation: 'purgeEvent',
      entity: 'CITATION',
      after: null,
      before: { id: w.eventCitation, excerpt: 'Excerpt event' },
    });
    expect((await auditOf(w.event)).map((r) => r.operation)).toEqual(['createEvent', 'purgeEvent']);
    // and it cannot come back
    const restore = await keyed.server.gql(`mutation { restoreEvent(id: "${w.event}") { id } }`);
    expect(restore.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});

describe('purgeShipment, purgeAffiliation, purgeCitation', () => {
  it('each goes with its deleted citations once no live citation refers to it', async () => {
    const w = await world('small');
    await legacyDelete('shipments', w.shipment);
    const refused = await purge('Shipment', w.shipment);
    expect(refused.errors?.[0].message).toContain(`citation ${w.shipmentCitation}`);
    await del('Citation', w.shipmentCitation);
    const shipment = ok(await purge('Shipment', w.shipment)).purgeShipment;
    expect(shipment.before).toMatchObject({ id: w.shipment, supplierId: w.supplier, recipientId: w.recipient, eventIds: [w.event] });
    expect(await exists('shipments', w.shipment)).toBe(false);
    expect(await exists('citations', w.shipmentCitation)).toBe(false);
    expect(await exists('events', w.event)).toBe(true);

    await legacyDelete('affiliations', w.affiliation);
    expect((await purge('Affiliation', w.affiliation)).errors?.[0].message).toContain(`citation ${w.affiliationCitation}`);
    await del('Citation', w.affiliationCitation);
    expect(ok(await purge('Affiliation', w.affiliation)).purgeAffiliation.before).toMatchObject({
      id: w.affiliation,
      actorId: w.official,
      targetId: w.recipient,
    });
    expect(await exists('affiliations', w.affiliation)).toBe(false);

    await del('Citation', w.eventCitation);
    expect(ok(await purge('Citation', w.eventCitation)).purgeCitation).toMatchObject({ entity: 'CITATION', before: { id: w.eventCitation, eventId: w.event } });
    expect(await exists('citations', w.eventCitation)).toBe(false);
  });
});

describe('purgeSource', () => {
  it('is refused while live citations quote it; then goes with its deleted citations, each audited', async () => {
    const w = await world('source');
    await legacyDelete('sources', w.source);
    const refused = await purge('Source', w.source);
    for (const c of [w.eventCitation, w.shipmentCitation, w.affiliationCitation]) expect(refused.errors?.[0].message).toContain(`citation ${c}`);
    for (const c of [w.eventCitation, w.shipmentCitation, w.affiliationCitation]) await del('Citation', c);
    const before = await counts();
    ok(await purge('Source', w.source));
    const after = await counts();
    expect(after.sources).toBe(before.sources - 1);
    expect(after.citations).toBe(before.citations - 3);
    expect(after.audit_log).toBe(before.audit_log + 4);
    expect((await auditOf(w.source)).at(-1)).toMatchObject({
      operation: 'purgeSource',
      entity: 'SOURCE',
      before: { id: w.source, title: 'Report source' },
      after: null,
    });
  });
});

describe('purgeActor', () => {
  it('is refused while anything names it, deleted records included; then goes with its aliases', async () => {
    const w = await world('actor');
    // each with its citation; the event's link to the shipment is taken off it
    await del('Affiliation', w.affiliation, true);
    await del('Event', w.event, true);
    await del('Actor', w.official); // nothing live names it any more
    const refused = await purge('Actor', w.official);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(refused.errors?.[0].message).toContain(`deleted affiliation ${w.affiliation}`);
    expect(refused.errors?.[0].message).toContain(`deleted event ${w.event}`);

    ok(await purge('Affiliation', w.affiliation));
    ok(await purge('Event', w.event));
    const entry = ok(await purge('Actor', w.official)).purgeActor;
    expect(entry.before).toMatchObject({ id: w.official, name: 'Official actor', aliases: ['Official actor', 'Official alias actor'].sort() });
    expect(await exists('actors', w.official)).toBe(false);
    expect((await keyed.server.db.pool.query('SELECT count(*)::int AS n FROM actor_aliases WHERE actor_id = $1', [w.official])).rows[0].n).toBe(0);
  });

  it('is refused (not an internal error) while a deleted claim names it as claimant', async () => {
    const w = await world('claimant');
    const claim = await edit(`mutation { createClaim(input: { claimantId: "${w.official}", shipmentId: "${w.shipment}", likelihood: LIKELY }) { id } }`);
    await del('Affiliation', w.affiliation, true);
    await del('Event', w.event, true);
    await del('Actor', w.official, true); // its claim goes with it
    ok(await purge('Affiliation', w.affiliation));
    ok(await purge('Event', w.event));
    const refused = await purge('Actor', w.official);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(refused.errors?.[0].message).toContain(`deleted claim ${claim.id}`);
    expect(await exists('actors', w.official)).toBe(true);
  });

  it('names the first ten of many dependents', async () => {
    const actor = await edit('mutation { createActor(input: { name: "Busy actor", kind: PERSON }) { id } }');
    const events: string[] = [];
    for (let i = 0; i < 11; i++) {
      const e = await edit(`mutation { createEvent(input: { type: STATEMENT, title: "Busy ${i}", confidence: REPORTED, date: { edtf: "2023-10" },
        participants: [{ actorId: "${actor.id}", role: SPEAKER }] }) { id } }`);
      events.push(e.id);
    }
    for (const id of events) await del('Event', id);
    await del('Actor', actor.id);
    const message = (await purge('Actor', actor.id)).errors?.[0].message ?? '';
    expect(message).toMatch(/ and more; delete or purge those first$/);
    expect(events.filter((id) => message.includes(id))).toHaveLength(10);
    expect(await exists('actors', actor.id)).toBe(true);
  });
});
