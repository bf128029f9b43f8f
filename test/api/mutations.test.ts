// The mutation contract, through real HTTP over a fresh real database:
// create/update/soft-delete of every record kind, mergeActors, validation errors
// that name the field at fault, and all-or-nothing writes.
import { type GqlResponse, ok, useServer } from '../support/server';

const server = useServer({ seedOnStart: true });

// ------------------------------------------------------------------ helpers

const ACTOR = `id name kind countryCode description aliases`;
const SPAN = `start end precision text`;
const EVENT = `id type title description confidence date { ${SPAN} }
  location { name countryCode latitude longitude }
  participants { role actor { id name } }
  shipments { id }
  citations { id excerpt credibility source { id } }`;
const SHIPMENT = `id category description quantity unit status confidence route
  supplier { id name } recipient { id name }
  deliverySpan { ${SPAN} }
  events { id }
  citations { id excerpt credibility }`;
const SOURCE = `id publisher title url publishedAt reliability`;
const AFFILIATION = `id role title confidence span { ${SPAN} } actor { id } target { id } citations { id excerpt }`;

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/** SQL or driver wording that must never reach a client. */
const SQL_LEAK = [/\b(SELECT|INSERT INTO|UPDATE \S+ SET|DELETE FROM)\b/, /violates|constraint|prisma|\$queryRaw|invalid input syntax|relation "/i];

function expectNoSqlIn(res: GqlResponse<unknown>): void {
  for (const error of res.errors ?? []) {
    for (const pattern of SQL_LEAK) expect(error.message).not.toMatch(pattern);
  }
}

/** The response is one client error with this code (and field, if given): never a 500, never SQL. */
function expectError(res: GqlResponse<unknown>, code: string, field?: string): void {
  expect(res.status).toBeLessThan(500);
  expectNoSqlIn(res);
  expect(res.errors).toHaveLength(1);
  const [error] = res.errors!;
  expect(error.extensions?.code).toBe(code);
  if (field !== undefined) expect(error.extensions?.field).toBe(field);
}

const expectBadInput = (res: GqlResponse<unknown>, field: string) => expectError(res, 'BAD_USER_INPUT', field);

let counter = 0;
/** A name no other test uses. */
const unique = (base: string) => `${base} ${++counter}-${Math.random().toString(36).slice(2, 8)}`;

async function createActor(input: Record<string, unknown> = {}): Promise<any> {
  const res = await server.gql(`mutation ($input: CreateActorInput!) { createActor(input: $input) { ${ACTOR} } }`, {
    input: { name: unique('Actor'), kind: 'ORGANIZATION', ...input },
  });
  return ok(res).createActor;
}

async function createEvent(input: Record<string, unknown> = {}): Promise<any> {
  const res = await server.gql(`mutation ($input: CreateEventInput!) { createEvent(input: $input) { ${EVENT} } }`, {
    input: { type: 'MEETING', title: unique('Event'), date: { edtf: '2023-09' }, confidence: 'REPORTED', ...input },
  });
  return ok(res).createEvent;
}

async function createShipment(input: Record<string, unknown>): Promise<any> {
  const res = await server.gql(`mutation ($input: CreateShipmentInput!) { createShipment(input: $input) { ${SHIPMENT} } }`, {
    input: { category: 'ARTILLERY_AMMUNITION', deliverySpan: { edtf: '2023-09' }, status: 'REPORTED', confidence: 'ALLEGED', ...input },
  });
  return ok(res).createShipment;
}

async function createSource(input: Record<string, unknown> = {}): Promise<any> {
  const res = await server.gql(`mutation ($input: CreateSourceInput!) { createSource(input: $input) { ${SOURCE} } }`, {
    input: { publisher: unique('Publisher'), title: 'A report', ...input },
  });
  return ok(res).createSource;
}

async function createAffiliation(input: Record<string, unknown>): Promise<any> {
  const res = await server.gql(`mutation ($input: CreateAffiliationInput!) { createAffiliation(input: $input) { ${AFFILIATION} } }`, {
    input: { role: 'MEMBER_OF', ...input },
  });
  return ok(res).createAffiliation;
}

/** The live seed actor with exactly this name. */
async function seedActor(name: string): Promise<{ id: string; name: string }> {
  const res = await server.gql(`query ($q: String) { actors(search: $q, first: 50) { edges { node { id name } } } }`, { q: name });
  const actor = ok(res)
    .actors.edges.map((e: any) => e.node)
    .find((a: any) => a.name === name);
  if (!actor) throw new Error(`seed actor "${name}" not found`);
  return actor;
}

/** Names of the live actors that `actors(search:)` finds. */
async function searchActors(search: string): Promise<string[]> {
  const res = await server.gql(`query ($q: String) { actors(search: $q, first: 50) { edges { node { name } } } }`, { q: search });
  return ok(res).actors.edges.map((e: any) => e.node.name);
}

async function countRows(table: 'actors' | 'events' | 'event_participants' | 'shipments' | 'citations'): Promise<number> {
  const [row] = await server.db.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table}`);
  return row.n;
}

/** deleted_at of a row read straight from the database; undefined when there is no row at all. */
async function deletedAt(table: 'actors' | 'events' | 'shipments' | 'sources' | 'citations' | 'affiliations', id: string) {
  const rows = await server.db.prisma.$queryRawUnsafe<{ deleted_at: Date | null }[]>(`SELECT deleted_at FROM ${table} WHERE id = $1::uuid`, id);
  return rows.length ? rows[0].deleted_at : undefined;
}

let northKorea: { id: string; name: string };
let russia: { id: string; name: string };
beforeAll(async () => {
  northKorea = await seedActor('North Korea');
  russia = await seedActor('Russia');
});

// ------------------------------------------------------------------ actors

describe('actors', () => {
  it('creates an actor whose name is one of its aliases', async () => {
    const name = unique('Rason Trading Company');
    const actor = await createActor({ name, kind: 'COMPANY', countryCode: 'prk', description: ' front company ', aliases: ['RTC', 'rtc'] });
    expect(actor).toMatchObject({ name, kind: 'COMPANY', countryCode: 'PRK', description: 'front company' });
    expect([...actor.aliases].sort()).toEqual([name, 'RTC'].sort());
    expect(await searchActors(name)).toEqual([name]);
  });

  it('updates the given fields and leaves the others as they are', async () => {
    const actor = await createActor({ kind: 'PERSON', countryCode: 'RUS', description: 'an official' });
    const res = await server.gql(`mutation ($id: ID!, $input: UpdateActorInput!) { updateActor(id: $id, input: $input) { ${ACTOR} } }`, {
      id: actor.id,
      input: { kind: 'MILITARY_UNIT', description: 'a unit' },
    });
    expect(ok(res).updateActor).toMatchObject({ id: actor.id, name: actor.name, kind: 'MILITARY_UNIT', countryCode: 'RUS', description: 'a unit' });
  });

  it('keeps the old name as an alias when an actor is renamed', async () => {
    const actor = await createActor();
    const newName = unique('Renamed');
    const res = await server.gql(`mutation ($id: ID!, $input: UpdateActorInput!) { updateActor(id: $id, input: $input) { ${ACTOR} } }`, {
      id: actor.id,
      input: { name: newName },
    });
    const updated = ok(res).updateActor;
    expect(updated.name).toBe(newName);
    expect(updated.aliases).toEqual(expect.arrayContaining([actor.name, newName]));
    expect(await searchActors(actor.name)).toEqual([newName]);
  });

  it('adds aliases, ignoring ones the actor already has in another case', async () => {
    const actor = await createActor({ aliases: ['Old Alias'] });
    const res = await server.gql(`mutation ($id: ID!, $aliases: [String!]!) { addActorAliases(id: $id, aliases: $aliases) { ${ACTOR} } }`, {
      id: actor.id,
      aliases: ['old alias', ' New Alias ', 'NEW ALIAS'],
    });
    expect([...ok(res).addActorAliases.aliases].sort()).toEqual([actor.name, 'New Alias', 'Old Alias'].sort());
  });

  it('removes an alias case-insensitively, and search no longer finds the actor by it', async () => {
    const alias = unique('Gone Alias');
    const actor = await createActor({ aliases: [alias] });
    const res = await server.gql(`mutation ($id: ID!, $alias: String!) { removeActorAlias(id: $id, alias: $alias) { ${ACTOR} } }`, {
      id: actor.id,
      alias: alias.toUpperCase(),
    });
    expect(ok(res).removeActorAlias.aliases).toEqual([actor.name]);
    expect(await searchActors(alias)).toEqual([]);
  });

  it('removes only the alias named, reading % and _ literally', async () => {
    const actor = await createActor({ aliases: ['ABC', 'XYZ'] });
    for (const pattern of ['%', 'A_C']) {
      const res = await server.gql(`mutation ($id: ID!, $alias: String!) { removeActorAlias(id: $id, alias: $alias) { aliases } }`, {
        id: actor.id,
        alias: pattern,
      });
      expectBadInput(res, 'alias');
    }
    const after = await server.gql(`query ($id: ID!) { actor(id: $id) { aliases } }`, { id: actor.id });
    expect([...ok(after).actor.aliases].sort()).toEqual(['ABC', actor.name, 'XYZ'].sort());
  });

  it("refuses to remove the actor's own name from its aliases", async () => {
    const actor = await createActor();
    const res = await server.gql(`mutation ($id: ID!, $alias: String!) { removeActorAlias(id: $id, alias: $alias) { id } }`, {
      id: actor.id,
      alias: actor.name.toLowerCase(),
    });
    expectBadInput(res, 'alias');
  });

  it('soft-deletes an actor: gone from reads, row kept', async () => {
    const actor = await createActor();
    ok(await server.gql(`mutation ($id: ID!) { deleteActor(id: $id) { id } }`, { id: actor.id }));

    expect(ok(await server.gql(`query ($id: ID!) { actor(id: $id) { id } }`, { id: actor.id })).actor).toBeNull();
    expect(await searchActors(actor.name)).toEqual([]);
    const all = ok(await server.gql(`{ actors(first: 500) { edges { node { id } } } }`));
    expect(all.actors.edges.map((e: any) => e.node.id)).not.toContain(actor.id);
    expect(await deletedAt('actors', actor.id)).toBeInstanceOf(Date);
  });

  it('answers NOT_FOUND when deleting an actor twice', async () => {
    const actor = await createActor();
    ok(await server.gql(`mutation ($id: ID!) { deleteActor(id: $id) { id } }`, { id: actor.id }));
    expectError(await server.gql(`mutation ($id: ID!) { deleteActor(id: $id) { id } }`, { id: actor.id }), 'NOT_FOUND');
  });
});

// ------------------------------------------------------------------ events

describe('events', () => {
  it('creates an event with participants and an EDTF date', async () => {
    const event = await createEvent({
      type: 'VISIT',
      title: 'Delegation visit',
      description: 'A delegation visited.',
      date: { edtf: '2023-07', text: 'in July' },
      location: { name: 'Pyongyang', countryCode: 'prk', latitude: 39.03, longitude: 125.75 },
      participants: [
        { actorId: russia.id, role: 'INITIATOR' },
        { actorId: northKorea.id.toUpperCase(), role: 'TARGET' },
      ],
      confidence: 'CONFIRMED',
    });
    expect(event).toMatchObject({
      type: 'VISIT',
      title: 'Delegation visit',
      description: 'A delegation visited.',
      confidence: 'CONFIRMED',
      date: { start: '2023-07-01', end: '2023-07-31', precision: 'MONTH', text: 'in July' },
      location: { name: 'Pyongyang', countryCode: 'PRK', latitude: 39.03, longitude: 125.75 },
    });
    expect(event.participants).toHaveLength(2);
    expect(event.participants).toEqual(
      expect.arrayContaining([
        { role: 'INITIATOR', actor: russia },
        { role: 'TARGET', actor: northKorea },
      ]),
    );
  });

  it('creates an event dated by an EDTF interval', async () => {
    const event = await createEvent({ date: { edtf: '2023-09-07/2023-10-01' } });
    expect(event.date).toEqual({ start: '2023-09-07', end: '2023-10-01', precision: 'RANGE', text: null });
  });

  it('creates an event dated by explicit start, end and precision', async () => {
    const event = await createEvent({ date: { start: '2023-08-01', end: '2023-08-15', precision: 'RANGE', text: 'early August' } });
    expect(event.date).toEqual({ start: '2023-08-01', end: '2023-08-15', precision: 'RANGE', text: 'early August' });
  });

  it("defaults an explicit date's end to the end of its period", async () => {
    const event = await createEvent({ date: { start: '2023-07-01', precision: 'QUARTER' } });
    expect(event.date).toMatchObject({ start: '2023-07-01', end: '2023-09-30', precision: 'QUARTER' });
  });

  it('updates the given fields, replaces participants, and keeps the rest', async () => {
    const event = await createEvent({
      description: 'kept',
      participants: [{ actorId: russia.id, role: 'INITIATOR' }],
    });
    const res = await server.gql(`mutation ($id: ID!, $input: UpdateEventInput!) { updateEvent(id: $id, input: $input) { ${EVENT} } }`, {
      id: event.id,
      input: { title: 'New title', date: { start: '2023-09-13' }, participants: [{ actorId: northKorea.id, role: 'SPEAKER' }] },
    });
    expect(ok(res).updateEvent).toMatchObject({
      id: event.id,
      type: event.type,
      title: 'New title',
      description: 'kept',
      confidence: event.confidence,
      date: { start: '2023-09-13', end: '2023-09-13', precision: 'DAY' },
      participants: [{ role: 'SPEAKER', actor: northKorea }],
    });
  });

  it('keeps the participants when an update leaves them out', async () => {
    const event = await createEvent({ participants: [{ actorId: russia.id, role: 'PARTICIPANT' }] });
    const res = await server.gql(`mutation ($id: ID!, $input: UpdateEventInput!) { updateEvent(id: $id, input: $input) { ${EVENT} } }`, {
      id: event.id,
      input: { confidence: 'ASSESSED' },
    });
    expect(ok(res).updateEvent).toMatchObject({ confidence: 'ASSESSED', participants: [{ role: 'PARTICIPANT', actor: russia }] });
  });

  it('soft-deletes an event: gone from event(id) and events, row kept', async () => {
    const event = await createEvent({ participants: [{ actorId: russia.id, role: 'SUBJECT' }] });
    ok(await server.gql(`mutation ($id: ID!) { deleteEvent(id: $id) { id } }`, { id: event.id }));

    expect(ok(await server.gql(`query ($id: ID!) { event(id: $id) { id } }`, { id: event.id })).event).toBeNull();
    const list = ok(await server.gql(`{ events(first: 500) { edges { node { id } } } }`));
    expect(list.events.edges.map((e: any) => e.node.id)).not.toContain(event.id);
    const ofActor = ok(await server.gql(`query ($id: ID!) { actor(id: $id) { events(first: 500) { edges { node { id } } } } }`, { id: russia.id }));
    expect(ofActor.actor.events.edges.map((e: any) => e.node.id)).not.toContain(event.id);
    expect(await deletedAt('events', event.id)).toBeInstanceOf(Date);
  });
});

// ------------------------------------------------------------------ shipments

describe('shipments', () => {
  it('creates a shipment linked to the events that report it', async () => {
    const event = await createEvent();
    const shipment = await createShipment({
      supplierId: northKorea.id,
      recipientId: russia.id,
      description: 'shells',
      quantity: 1000,
      unit: 'containers',
      deliverySpan: { start: '2023-09-07', end: '2023-10-01' },
      route: 'Rajin port',
      eventIds: [event.id],
    });
    expect(shipment).toMatchObject({
      supplier: northKorea,
      recipient: russia,
      category: 'ARTILLERY_AMMUNITION',
      description: 'shells',
      quantity: 1000,
      unit: 'containers',
      deliverySpan: { start: '2023-09-07', end: '2023-10-01', precision: 'RANGE' },
      route: 'Rajin port',
      events: [{ id: event.id }],
    });
    const read = await server.gql(`query ($id: ID!) { event(id: $id) { shipments { id } } }`, { id: event.id });
    expect(ok(read).event.shipments).toEqual([{ id: shipment.id }]);
  });

  it('creates a shipment without a quantity (null, not zero)', async () => {
    const shipment = await createShipment({ supplierId: northKorea.id, recipientId: russia.id });
    expect(shipment).toMatchObject({ quantity: null, unit: null, events: [] });
  });

  it('updates the given fields and replaces the events', async () => {
    const [first, second] = [await createEvent(), await createEvent()];
    const shipment = await createShipment({ supplierId: northKorea.id, recipientId: russia.id, route: 'rail', eventIds: [first.id] });
    const res = await server.gql(`mutation ($id: ID!, $input: UpdateShipmentInput!) { updateShipment(id: $id, input: $input) { ${SHIPMENT} } }`, {
      id: shipment.id,
      input: { quantity: 24000, unit: 'rounds', status: 'CONFIRMED', eventIds: [second.id] },
    });
    expect(ok(res).updateShipment).toMatchObject({
      quantity: 24000,
      unit: 'rounds',
      status: 'CONFIRMED',
      route: 'rail',
      supplier: northKorea,
      events: [{ id: second.id }],
    });
  });

  it('soft-deletes a shipment: gone from shipment(id), shipments and its events, row kept', async () => {
    const event = await createEvent();
    const shipment = await createShipment({ supplierId: northKorea.id, recipientId: russia.id, eventIds: [event.id] });
    ok(await server.gql(`mutation ($id: ID!) { deleteShipment(id: $id) { id } }`, { id: shipment.id }));

    expect(ok(await server.gql(`query ($id: ID!) { shipment(id: $id) { id } }`, { id: shipment.id })).shipment).toBeNull();
    const list = ok(await server.gql(`{ shipments(first: 500) { edges { node { id } } } }`));
    expect(list.shipments.edges.map((e: any) => e.node.id)).not.toContain(shipment.id);
    expect(ok(await server.gql(`query ($id: ID!) { event(id: $id) { shipments { id } } }`, { id: event.id })).event.shipments).toEqual([]);
    expect(await deletedAt('shipments', shipment.id)).toBeInstanceOf(Date);
  });
});

// ------------------------------------------------------------------ sources and citations

describe('sources and citations', () => {
  it('creates a source, unjudged (F) unless told otherwise', async () => {
    const source = await createSource({ url: 'https://example.org/report', publishedAt: '2023-10-13' });
    expect(source).toMatchObject({ title: 'A report', url: 'https://example.org/report', publishedAt: '2023-10-13', reliability: 'F' });
    const read = await server.gql(`query ($id: ID!) { source(id: $id) { ${SOURCE} } }`, { id: source.id });
    expect(ok(read).source).toEqual(source);
  });

  it('updates a source', async () => {
    const source = await createSource();
    const res = await server.gql(`mutation ($id: ID!, $input: UpdateSourceInput!) { updateSource(id: $id, input: $input) { ${SOURCE} } }`, {
      id: source.id,
      input: { reliability: 'B', title: 'Another report' },
    });
    expect(ok(res).updateSource).toEqual({ ...source, reliability: 'B', title: 'Another report' });
  });

  it('soft-deletes a source: gone from source(id) and sources, row kept', async () => {
    const source = await createSource();
    ok(await server.gql(`mutation ($id: ID!) { deleteSource(id: $id) { id } }`, { id: source.id }));

    expect(ok(await server.gql(`query ($id: ID!) { source(id: $id) { id } }`, { id: source.id })).source).toBeNull();
    expect(ok(await server.gql(`{ sources { id } }`)).sources.map((s: any) => s.id)).not.toContain(source.id);
    expect(await deletedAt('sources', source.id)).toBeInstanceOf(Date);
  });

  it('cites a source for an event', async () => {
    const [source, event] = [await createSource(), await createEvent()];
    const res = await server.gql(`mutation ($input: CreateCitationInput!) { createCitation(input: $input) { id excerpt credibility source { id } } }`, {
      input: { sourceId: source.id, eventId: event.id, excerpt: 'They met.', credibility: 2 },
    });
    const citation = ok(res).createCitation;
    expect(citation).toMatchObject({ excerpt: 'They met.', credibility: 2, source: { id: source.id } });
    const read = await server.gql(`query ($id: ID!) { event(id: $id) { citations { id } } }`, { id: event.id });
    expect(ok(read).event.citations).toEqual([{ id: citation.id }]);
  });

  it('cites a source for a shipment, credibility 6 (cannot be judged) by default', async () => {
    const source = await createSource();
    const shipment = await createShipment({ supplierId: northKorea.id, recipientId: russia.id });
    const res = await server.gql(`mutation ($input: CreateCitationInput!) { createCitation(input: $input) { id credibility } }`, {
      input: { sourceId: source.id, shipmentId: shipment.id, excerpt: 'Containers were seen.' },
    });
    const citation = ok(res).createCitation;
    expect(citation.credibility).toBe(6);
    const read = await server.gql(`query ($id: ID!) { shipment(id: $id) { citations { id } } }`, { id: shipment.id });
    expect(ok(read).shipment.citations).toEqual([{ id: citation.id }]);
  });

  it('updates a citation', async () => {
    const [source, event] = [await createSource(), await createEvent()];
    const created = ok(
      await server.gql(`mutation ($input: CreateCitationInput!) { createCitation(input: $input) { id } }`, {
        input: { sourceId: source.id, eventId: event.id, excerpt: 'first wording' },
      }),
    ).createCitation;
    const res = await server.gql(`mutation ($id: ID!, $input: UpdateCitationInput!) { updateCitation(id: $id, input: $input) { id excerpt credibility } }`, {
      id: created.id,
      input: { excerpt: 'second wording', credibility: 3 },
    });
    expect(ok(res).updateCitation).toEqual({ id: created.id, excerpt: 'second wording', credibility: 3 });
  });

  it('soft-deletes a citation: gone from its event, row kept', async () => {
    const [source, event] = [await createSource(), await createEvent()];
    const { id } = ok(
      await server.gql(`mutation ($input: CreateCitationInput!) { createCitation(input: $input) { id } }`, {
        input: { sourceId: source.id, eventId: event.id, excerpt: 'to be withdrawn' },
      }),
    ).createCitation;
    ok(await server.gql(`mutation ($id: ID!) { deleteCitation(id: $id) { id } }`, { id }));

    const read = await server.gql(`query ($id: ID!) { event(id: $id) { citations { id } } }`, { id: event.id });
    expect(ok(read).event.citations).toEqual([]);
    expect(await deletedAt('citations', id)).toBeInstanceOf(Date);
  });
});

// ------------------------------------------------------------------ affiliations

describe('affiliations', () => {
  it('creates an affiliation seen from both actors', async () => {
    const [person, org] = [await createActor({ kind: 'PERSON' }), await createActor()];
    const affiliation = await createAffiliation({
      actorId: person.id,
      targetId: org.id,
      role: 'EXPERT_AT',
      title: 'chief consultant',
      span: { edtf: '2023' },
      confidence: 'CONFIRMED',
    });
    expect(affiliation).toMatchObject({
      role: 'EXPERT_AT',
      title: 'chief consultant',
      confidence: 'CONFIRMED',
      span: { start: '2023-01-01', end: '2023-12-31', precision: 'YEAR' },
      actor: { id: person.id },
      target: { id: org.id },
    });
    for (const id of [person.id, org.id]) {
      const read = await server.gql(`query ($id: ID!) { actor(id: $id) { affiliations { id } } }`, { id });
      expect(ok(read).actor.affiliations).toEqual([{ id: affiliation.id }]);
    }
  });

  it('creates an affiliation without a span, REPORTED by default', async () => {
    const [person, org] = [await createActor({ kind: 'PERSON' }), await createActor()];
    const affiliation = await createAffiliation({ actorId: person.id, targetId: org.id });
    expect(affiliation).toMatchObject({ span: null, confidence: 'REPORTED', title: null });
  });

  it('cites a source for an affiliation', async () => {
    const [person, org, source] = [await createActor({ kind: 'PERSON' }), await createActor(), await createSource()];
    const affiliation = await createAffiliation({ actorId: person.id, targetId: org.id });
    const { id } = ok(
      await server.gql(`mutation ($input: CreateCitationInput!) { createCitation(input: $input) { id } }`, {
        input: { sourceId: source.id, affiliationId: affiliation.id, excerpt: 'a member of' },
      }),
    ).createCitation;
    const read = await server.gql(`{ actor(id: "${person.id}") { affiliations { citations { id } } } }`);
    expect(ok(read).actor.affiliations).toEqual([{ citations: [{ id }] }]);
  });

  it('soft-deletes an affiliation: gone from both actors, row kept', async () => {
    const [person, org] = [await createActor({ kind: 'PERSON' }), await createActor()];
    const affiliation = await createAffiliation({ actorId: person.id, targetId: org.id });
    ok(await server.gql(`mutation ($id: ID!) { deleteAffiliation(id: $id) { id } }`, { id: affiliation.id }));

    for (const id of [person.id, org.id]) {
      const read = await server.gql(`query ($id: ID!) { actor(id: $id) { affiliations { id } } }`, { id });
      expect(ok(read).actor.affiliations).toEqual([]);
    }
    expect(await deletedAt('affiliations', affiliation.id)).toBeInstanceOf(Date);
  });
});

// ------------------------------------------------------------------ mergeActors

const MERGE = `mutation ($keepId: ID!, $mergeId: ID!) { mergeActors(keepId: $keepId, mergeId: $mergeId) { ${ACTOR} } }`;

describe('mergeActors', () => {
  let keep: any;
  let merge: any;
  let other: any;
  let event: any;
  let supplied: any;
  let received: any;
  let memberOf: any;
  let headedBy: any;
  let merged: any;

  beforeAll(async () => {
    keep = await createActor({ name: unique('Korea Mining Development Trading Corporation'), kind: 'COMPANY', aliases: ['KOMID'] });
    merge = await createActor({
      name: unique('Korea Mining Dev. Corp.'),
      kind: 'COMPANY',
      countryCode: 'PRK',
      description: 'arms exporter',
      aliases: [unique('Changgwang Sinyong')],
    });
    other = await createActor({ kind: 'STATE' });
    event = await createEvent({
      participants: [
        { actorId: merge.id, role: 'SUBJECT' },
        { actorId: other.id, role: 'INITIATOR' },
      ],
    });
    supplied = await createShipment({ supplierId: merge.id, recipientId: other.id });
    received = await createShipment({ supplierId: other.id, recipientId: merge.id });
    memberOf = await createAffiliation({ actorId: merge.id, targetId: other.id, role: 'PART_OF' });
    headedBy = await createAffiliation({ actorId: other.id, targetId: merge.id, role: 'HEAD_OF' });
    merged = ok(await server.gql(MERGE, { keepId: keep.id, mergeId: merge.id })).mergeActors;
  });

  it('returns the kept actor, filling its blanks from the merged one', () => {
    expect(merged).toMatchObject({ id: keep.id, name: keep.name, countryCode: 'PRK', description: 'arms exporter' });
  });

  it("keeps the merged actor's name and aliases as aliases of the kept one", () => {
    expect([...merged.aliases].sort()).toEqual([...keep.aliases, ...merge.aliases].sort());
  });

  it("finds the kept actor when searching for the merged actor's name", async () => {
    expect(await searchActors(merge.name)).toEqual([keep.name]);
  });

  it('moves event participations', async () => {
    const read = await server.gql(`query ($id: ID!) { event(id: $id) { participants { role actor { id } } } }`, { id: event.id });
    expect(ok(read).event.participants).toEqual(
      expect.arrayContaining([
        { role: 'SUBJECT', actor: { id: keep.id } },
        { role: 'INITIATOR', actor: { id: other.id } },
      ]),
    );
    expect(ok(read).event.participants).toHaveLength(2);
  });

  it('moves shipments, supplied and received', async () => {
    const read = await server.gql(
      `query ($id: ID!) { actor(id: $id) {
        shipmentsSupplied { edges { node { id } } }
        shipmentsReceived { edges { node { id } } } } }`,
      { id: keep.id },
    );
    const actor = ok(read).actor;
    expect(actor.shipmentsSupplied.edges.map((e: any) => e.node.id)).toEqual([supplied.id]);
    expect(actor.shipmentsReceived.edges.map((e: any) => e.node.id)).toEqual([received.id]);
  });

  it('moves affiliations in both directions', async () => {
    const read = await server.gql(`query ($id: ID!) { actor(id: $id) { affiliations { id role actor { id } target { id } } } }`, { id: keep.id });
    expect(ok(read).actor.affiliations).toEqual(
      expect.arrayContaining([
        { id: memberOf.id, role: 'PART_OF', actor: { id: keep.id }, target: { id: other.id } },
        { id: headedBy.id, role: 'HEAD_OF', actor: { id: other.id }, target: { id: keep.id } },
      ]),
    );
  });

  it('soft-deletes the merged actor, keeping its row', async () => {
    expect(ok(await server.gql(`query ($id: ID!) { actor(id: $id) { id } }`, { id: merge.id })).actor).toBeNull();
    expect(await deletedAt('actors', merge.id)).toBeInstanceOf(Date);
  });

  it('keeps a single participation when both actors took part in an event in the same role', async () => {
    const [a, b] = [await createActor(), await createActor()];
    const shared = await createEvent({
      participants: [
        { actorId: a.id, role: 'PARTICIPANT' },
        { actorId: b.id, role: 'PARTICIPANT' },
      ],
    });
    ok(await server.gql(MERGE, { keepId: a.id, mergeId: b.id }));
    const read = await server.gql(`query ($id: ID!) { event(id: $id) { participants { role actor { id } } } }`, { id: shared.id });
    expect(ok(read).event.participants).toEqual([{ role: 'PARTICIPANT', actor: { id: a.id } }]);
  });

  it('refuses to merge an actor into itself', async () => {
    const actor = await createActor();
    expectBadInput(await server.gql(MERGE, { keepId: actor.id, mergeId: actor.id.toUpperCase() }), 'mergeId');
  });

  it('refuses to merge two actors a live shipment runs between', async () => {
    const [a, b] = [await createActor(), await createActor()];
    await createShipment({ supplierId: a.id, recipientId: b.id });
    expectBadInput(await server.gql(MERGE, { keepId: a.id, mergeId: b.id }), 'mergeId');
  });

  it('merges two actors a deleted shipment ran between', async () => {
    const [a, b] = [await createActor(), await createActor()];
    const shipment = await createShipment({ supplierId: a.id, recipientId: b.id });
    ok(await server.gql(`mutation ($id: ID!) { deleteShipment(id: $id) { id } }`, { id: shipment.id }));
    expect(ok(await server.gql(MERGE, { keepId: a.id, mergeId: b.id })).mergeActors.id).toBe(a.id);
  });

  it('merges two actors a deleted affiliation linked', async () => {
    const [a, b] = [await createActor(), await createActor()];
    const affiliation = await createAffiliation({ actorId: b.id, targetId: a.id });
    ok(await server.gql(`mutation ($id: ID!) { deleteAffiliation(id: $id) { id } }`, { id: affiliation.id }));
    expect(ok(await server.gql(MERGE, { keepId: a.id, mergeId: b.id })).mergeActors.id).toBe(a.id);
  });

  it('answers NOT_FOUND for an actor that was already merged away', async () => {
    const [a, b] = [await createActor(), await createActor()];
    ok(await server.gql(MERGE, { keepId: a.id, mergeId: b.id }));
    expectError(await server.gql(MERGE, { keepId: a.id, mergeId: b.id }), 'NOT_FOUND', 'mergeId');
  });
});

// ------------------------------------------------------------------ validation

const CREATE_EVENT = `mutation ($input: CreateEventInput!) { createEvent(input: $input) { id } }`;
const CREATE_SHIPMENT = `mutation ($input: CreateShipmentInput!) { createShipment(input: $input) { id } }`;
const CREATE_ACTOR = `mutation ($input: CreateActorInput!) { createActor(input: $input) { id } }`;
const CREATE_CITATION = `mutation ($input: CreateCitationInput!) { createCitation(input: $input) { id } }`;

const eventInput = (input: Record<string, unknown>) => ({
  input: { type: 'STATEMENT', title: 'A statement', date: { edtf: '2023-10' }, confidence: 'ALLEGED', ...input },
});
const shipmentInput = (input: Record<string, unknown>) => ({
  input: {
    supplierId: northKorea.id,
    recipientId: russia.id,
    category: 'MISSILES',
    deliverySpan: { edtf: '2023' },
    status: 'REPORTED',
    confidence: 'ALLEGED',
    ...input,
  },
});

describe('validation', () => {
  it('rejects an event date that ends before it starts (input.date.end)', async () => {
    const res = await server.gql(CREATE_EVENT, eventInput({ date: { start: '2023-09-10', end: '2023-09-01', precision: 'RANGE' } }));
    expectBadInput(res, 'input.date.end');
  });

  it('rejects a delivery span that ends before it starts (input.deliverySpan.end)', async () => {
    const res = await server.gql(CREATE_SHIPMENT, shipmentInput({ deliverySpan: { start: '2023-09-10', end: '2023-09-01' } }));
    expectBadInput(res, 'input.deliverySpan.end');
  });

  it('rejects such a span on update too, leaving the shipment as it was', async () => {
    const shipment = await createShipment({ supplierId: northKorea.id, recipientId: russia.id });
    const res = await server.gql(`mutation ($id: ID!, $input: UpdateShipmentInput!) { updateShipment(id: $id, input: $input) { id } }`, {
      id: shipment.id,
      input: { status: 'DENIED', deliverySpan: { start: '2023-09-10', end: '2023-09-01' } },
    });
    expectBadInput(res, 'input.deliverySpan.end');
    const read = await server.gql(`query ($id: ID!) { shipment(id: $id) { status deliverySpan { ${SPAN} } } }`, { id: shipment.id });
    expect(ok(read).shipment).toEqual({ status: shipment.status, deliverySpan: shipment.deliverySpan });
  });

  it('rejects an invalid EDTF date (input.date.edtf)', async () => {
    expectBadInput(await server.gql(CREATE_EVENT, eventInput({ date: { edtf: '2023-13' } })), 'input.date.edtf');
  });

  it('rejects an EDTF interval that ends before it starts (input.date.edtf)', async () => {
    expectBadInput(await server.gql(CREATE_EVENT, eventInput({ date: { edtf: '2023-07-01/2023-06-30' } })), 'input.date.edtf');
  });

  it('rejects an unknown participant (input.participants[0].actorId)', async () => {
    const res = await server.gql(CREATE_EVENT, eventInput({ participants: [{ actorId: UNKNOWN_ID, role: 'SPEAKER' }] }));
    expectBadInput(res, 'input.participants[0].actorId');
  });

  it('rejects a deleted actor as participant', async () => {
    const actor = await createActor();
    ok(await server.gql(`mutation ($id: ID!) { deleteActor(id: $id) { id } }`, { id: actor.id }));
    const res = await server.gql(CREATE_EVENT, eventInput({ participants: [{ actorId: actor.id, role: 'SPEAKER' }] }));
    expectBadInput(res, 'input.participants[0].actorId');
  });

  it('rejects a malformed participant id (input.participants[1].actorId)', async () => {
    const res = await server.gql(
      CREATE_EVENT,
      eventInput({
        participants: [
          { actorId: russia.id, role: 'SPEAKER' },
          { actorId: 'not-an-id', role: 'TARGET' },
        ],
      }),
    );
    expectBadInput(res, 'input.participants[1].actorId');
  });

  it('rejects an unknown supplier (input.supplierId)', async () => {
    expectBadInput(await server.gql(CREATE_SHIPMENT, shipmentInput({ supplierId: UNKNOWN_ID })), 'input.supplierId');
  });

  it('rejects a malformed supplier id (input.supplierId)', async () => {
    expectBadInput(await server.gql(CREATE_SHIPMENT, shipmentInput({ supplierId: "1' OR '1'='1" })), 'input.supplierId');
  });

  it('rejects an unknown event for a shipment (input.eventIds[0])', async () => {
    expectBadInput(await server.gql(CREATE_SHIPMENT, shipmentInput({ eventIds: [UNKNOWN_ID] })), 'input.eventIds[0]');
  });

  it('rejects a malformed id to update (id)', async () => {
    const res = await server.gql(`mutation { updateActor(id: "12345", input: { description: "x" }) { id } }`);
    expectBadInput(res, 'id');
  });

  it('rejects a shipment whose supplier is its recipient (input.recipientId)', async () => {
    expectBadInput(await server.gql(CREATE_SHIPMENT, shipmentInput({ recipientId: northKorea.id.toUpperCase() })), 'input.recipientId');
  });

  it('rejects an update that makes the supplier the recipient (input.recipientId)', async () => {
    const shipment = await createShipment({ supplierId: northKorea.id, recipientId: russia.id });
    const res = await server.gql(`mutation ($id: ID!, $input: UpdateShipmentInput!) { updateShipment(id: $id, input: $input) { id } }`, {
      id: shipment.id,
      input: { recipientId: northKorea.id },
    });
    expectBadInput(res, 'input.recipientId');
  });

  it('rejects a negative quantity (input.quantity)', async () => {
    expectBadInput(await server.gql(CREATE_SHIPMENT, shipmentInput({ quantity: -5, unit: 'rounds' })), 'input.quantity');
  });

  it('rejects a quantity without a unit (input.unit)', async () => {
    expectBadInput(await server.gql(CREATE_SHIPMENT, shipmentInput({ quantity: 5 })), 'input.unit');
    expectBadInput(await server.gql(CREATE_SHIPMENT, shipmentInput({ quantity: 5, unit: '  ' })), 'input.unit');
  });

  it('rejects an update that removes the unit of a stored quantity (input.unit)', async () => {
    const shipment = await createShipment({ supplierId: northKorea.id, recipientId: russia.id, quantity: 3, unit: 'trains' });
    const res = await server.gql(`mutation ($id: ID!, $input: UpdateShipmentInput!) { updateShipment(id: $id, input: $input) { id } }`, {
      id: shipment.id,
      input: { unit: null },
    });
    expectBadInput(res, 'input.unit');
  });

  it('rejects an alias another actor holds, whatever its case (input.aliases)', async () => {
    expectBadInput(await server.gql(CREATE_ACTOR, { input: { name: unique('Somebody'), kind: 'STATE', aliases: ['dprk'] } }), 'input.aliases');
  });

  it("rejects a name that is another actor's alias (input.name)", async () => {
    expectBadInput(await server.gql(CREATE_ACTOR, { input: { name: 'dprk', kind: 'STATE' } }), 'input.name');
  });

  it('rejects adding an alias another actor holds (aliases)', async () => {
    const actor = await createActor();
    const res = await server.gql(`mutation ($id: ID!, $aliases: [String!]!) { addActorAliases(id: $id, aliases: $aliases) { id } }`, {
      id: actor.id,
      aliases: ['fresh alias ' + actor.id, 'Dprk'],
    });
    expectBadInput(res, 'aliases');
    const read = await server.gql(`query ($id: ID!) { actor(id: $id) { aliases } }`, { id: actor.id });
    expect(ok(read).actor.aliases).toEqual([actor.name]);
  });

  it('rejects renaming an actor to an alias another actor holds, leaving it unchanged (input.name)', async () => {
    const actor = await createActor();
    const res = await server.gql(`mutation ($id: ID!, $input: UpdateActorInput!) { updateActor(id: $id, input: $input) { id } }`, {
      id: actor.id,
      input: { name: 'DPRK', description: 'renamed' },
    });
    expectBadInput(res, 'input.name');
    const read = await server.gql(`query ($id: ID!) { actor(id: $id) { name description aliases } }`, { id: actor.id });
    expect(ok(read).actor).toEqual({ name: actor.name, description: null, aliases: [actor.name] });
  });

  it('rejects an empty alias, naming its position (input.aliases[1])', async () => {
    expectBadInput(await server.gql(CREATE_ACTOR, { input: { name: unique('Blank'), kind: 'STATE', aliases: ['fine', '  '] } }), 'input.aliases[1]');
  });

  it('rejects an empty name (input.name)', async () => {
    expectBadInput(await server.gql(CREATE_ACTOR, { input: { name: '   ', kind: 'STATE' } }), 'input.name');
  });

  it('rejects a citation with two subjects', async () => {
    const [source, event] = [await createSource(), await createEvent()];
    const shipment = await createShipment({ supplierId: northKorea.id, recipientId: russia.id });
    const res = await server.gql(CREATE_CITATION, {
      input: { sourceId: source.id, excerpt: 'both', eventId: event.id, shipmentId: shipment.id },
    });
    expectBadInput(res, 'input.shipmentId');
  });

  it('rejects a citation with no subject (input.eventId)', async () => {
    const source = await createSource();
    expectBadInput(await server.gql(CREATE_CITATION, { input: { sourceId: source.id, excerpt: 'nothing' } }), 'input.eventId');
  });

  it('rejects credibility 7 (input.credibility)', async () => {
    const [source, event] = [await createSource(), await createEvent()];
    const res = await server.gql(CREATE_CITATION, { input: { sourceId: source.id, eventId: event.id, excerpt: 'x', credibility: 7 } });
    expectBadInput(res, 'input.credibility');
  });

  it('rejects credibility 7 on update (input.credibility)', async () => {
    const [source, event] = [await createSource(), await createEvent()];
    const { id } = ok(await server.gql(CREATE_CITATION, { input: { sourceId: source.id, eventId: event.id, excerpt: 'x' } })).createCitation;
    const res = await server.gql(`mutation ($id: ID!) { updateCitation(id: $id, input: { credibility: 7 }) { id } }`, { id });
    expectBadInput(res, 'input.credibility');
  });

  it('rejects a citation of an unknown source (input.sourceId)', async () => {
    const event = await createEvent();
    expectBadInput(await server.gql(CREATE_CITATION, { input: { sourceId: UNKNOWN_ID, eventId: event.id, excerpt: 'x' } }), 'input.sourceId');
  });

  it('rejects a bad country code (input.countryCode)', async () => {
    expectBadInput(await server.gql(CREATE_ACTOR, { input: { name: unique('Nowhere'), kind: 'STATE', countryCode: 'KP' } }), 'input.countryCode');
  });

  it('rejects a bad country code on update (input.countryCode)', async () => {
    const actor = await createActor();
    const res = await server.gql(`mutation ($id: ID!) { updateActor(id: $id, input: { countryCode: "P1K" }) { id } }`, { id: actor.id });
    expectBadInput(res, 'input.countryCode');
  });

  it('rejects a bad location country code (input.location.countryCode)', async () => {
    expectBadInput(await server.gql(CREATE_EVENT, eventInput({ location: { countryCode: 'RUSSIA' } })), 'input.location.countryCode');
  });

  it('rejects an out-of-range latitude (input.location.latitude)', async () => {
    expectBadInput(await server.gql(CREATE_EVENT, eventInput({ location: { latitude: 91 } })), 'input.location.latitude');
  });

  it('rejects an affiliation of an actor with itself (input.targetId)', async () => {
    const actor = await createActor();
    const res = await server.gql(`mutation ($input: CreateAffiliationInput!) { createAffiliation(input: $input) { id } }`, {
      input: { actorId: actor.id, targetId: actor.id, role: 'MEMBER_OF' },
    });
    expectBadInput(res, 'input.targetId');
  });

  it('rejects a source URL that is not a URL (input.url)', async () => {
    const res = await server.gql(`mutation { createSource(input: { publisher: "p", title: "t", url: "not a url" }) { id } }`);
    expectBadInput(res, 'input.url');
  });

  describe('text the database cannot store (a NUL character)', () => {
    const NUL = 'bad\u0000text';
    it.each<[string, string, () => [string, Record<string, unknown>]]>([
      ['createActor', 'input.name', () => [CREATE_ACTOR, { input: { name: NUL, kind: 'STATE' } }]],
      ['createActor', 'input.aliases[1]', () => [CREATE_ACTOR, { input: { name: unique('Nul'), kind: 'STATE', aliases: ['ok', NUL] } }]],
      ['createEvent', 'input.date.text', () => [CREATE_EVENT, eventInput({ date: { edtf: '2023', text: NUL } })]],
      ['createEvent', 'input.location.name', () => [CREATE_EVENT, eventInput({ location: { name: NUL } })]],
      ['createShipment', 'input.route', () => [CREATE_SHIPMENT, shipmentInput({ route: NUL })]],
      [
        'createSource',
        'input.title',
        () => [`mutation ($input: CreateSourceInput!) { createSource(input: $input) { id } }`, { input: { publisher: 'p', title: NUL } }],
      ],
      [
        'createAffiliation',
        'input.title',
        () => [
          `mutation ($input: CreateAffiliationInput!) { createAffiliation(input: $input) { id } }`,
          { input: { actorId: northKorea.id, targetId: russia.id, role: 'OTHER', title: NUL } },
        ],
      ],
      [
        'removeActorAlias',
        'alias',
        () => [`mutation ($id: ID!, $alias: String!) { removeActorAlias(id: $id, alias: $alias) { id } }`, { id: russia.id, alias: NUL }],
      ],
    ])('%s rejects it as bad input on %s', async (_mutation, field, request) => {
      const [query, variables] = request();
      expectBadInput(await server.gql(query, variables), field);
    });
  });

  it.each([
    ['updateActor', `mutation ($id: ID!) { updateActor(id: $id, input: { description: "x" }) { id } }`],
    ['addActorAliases', `mutation ($id: ID!) { addActorAliases(id: $id, aliases: ["x"]) { id } }`],
    ['deleteActor', `mutation ($id: ID!) { deleteActor(id: $id) { id } }`],
    ['updateEvent', `mutation ($id: ID!) { updateEvent(id: $id, input: { title: "x" }) { id } }`],
    ['deleteEvent', `mutation ($id: ID!) { deleteEvent(id: $id) { id } }`],
    ['updateShipment', `mutation ($id: ID!) { updateShipment(id: $id, input: { route: "x" }) { id } }`],
    ['deleteShipment', `mutation ($id: ID!) { deleteShipment(id: $id) { id } }`],
    ['updateSource', `mutation ($id: ID!) { updateSource(id: $id, input: { title: "x" }) { id } }`],
    ['deleteSource', `mutation ($id: ID!) { deleteSource(id: $id) { id } }`],
    ['updateCitation', `mutation ($id: ID!) { updateCitation(id: $id, input: { excerpt: "x" }) { id } }`],
    ['deleteCitation', `mutation ($id: ID!) { deleteCitation(id: $id) { id } }`],
    ['deleteAffiliation', `mutation ($id: ID!) { deleteAffiliation(id: $id) { id } }`],
  ])('%s of an unknown id answers NOT_FOUND', async (_name, mutation) => {
    expectError(await server.gql(mutation, { id: UNKNOWN_ID }), 'NOT_FOUND', 'id');
  });

  it('answers NOT_FOUND when updating a deleted event', async () => {
    const event = await createEvent();
    ok(await server.gql(`mutation ($id: ID!) { deleteEvent(id: $id) { id } }`, { id: event.id }));
    const res = await server.gql(`mutation ($id: ID!) { updateEvent(id: $id, input: { title: "back" }) { id } }`, { id: event.id });
    expectError(res, 'NOT_FOUND', 'id');
  });

  it('answers a bad date literal with a client error, not a 500', async () => {
    const res = await server.gql(CREATE_EVENT, eventInput({ date: { start: '2023-02-30' } }));
    expect(res.status).toBeLessThan(500);
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expectNoSqlIn(res);
  });
});

// ------------------------------------------------------------------ all or nothing

describe('nothing half-written', () => {
  it('leaves no event when its second participant is unknown', async () => {
    const [events, participants] = [await countRows('events'), await countRows('event_participants')];
    const res = await server.gql(
      CREATE_EVENT,
      eventInput({
        participants: [
          { actorId: russia.id, role: 'INITIATOR' },
          { actorId: UNKNOWN_ID, role: 'TARGET' },
        ],
      }),
    );
    expectBadInput(res, 'input.participants[1].actorId');
    expect(await countRows('events')).toBe(events);
    expect(await countRows('event_participants')).toBe(participants);
  });

  it('leaves no actor when one of its aliases is taken', async () => {
    const actors = await countRows('actors');
    const name = unique('Half-written');
    const res = await server.gql(CREATE_ACTOR, { input: { name, kind: 'COMPANY', aliases: ['a fresh alias ' + name, 'DPRK'] } });
    expectBadInput(res, 'input.aliases');
    expect(await countRows('actors')).toBe(actors);
    expect(await searchActors(name)).toEqual([]);
  });

  it('leaves no shipment when one of its events is unknown', async () => {
    const event = await createEvent();
    const shipments = await countRows('shipments');
    const res = await server.gql(CREATE_SHIPMENT, shipmentInput({ eventIds: [event.id, UNKNOWN_ID] }));
    expectBadInput(res, 'input.eventIds[1]');
    expect(await countRows('shipments')).toBe(shipments);
  });

  it('leaves an event as it was when an update names an unknown participant', async () => {
    const event = await createEvent({ participants: [{ actorId: russia.id, role: 'INITIATOR' }] });
    const res = await server.gql(`mutation ($id: ID!, $input: UpdateEventInput!) { updateEvent(id: $id, input: $input) { id } }`, {
      id: event.id,
      input: {
        title: 'changed',
        participants: [
          { actorId: northKorea.id, role: 'TARGET' },
          { actorId: UNKNOWN_ID, role: 'TARGET' },
        ],
      },
    });
    expectBadInput(res, 'input.participants[1].actorId');
    const read = await server.gql(`query ($id: ID!) { event(id: $id) { title participants { role actor { id name } } } }`, { id: event.id });
    expect(ok(read).event).toEqual({ title: event.title, participants: [{ role: 'INITIATOR', actor: russia }] });
  });

  it('leaves both actors as they were when a merge is refused', async () => {
    const [a, b] = [await createActor(), await createActor({ aliases: ['merge-refused ' + Date.now()] })];
    const participation = await createEvent({ participants: [{ actorId: b.id, role: 'SUBJECT' }] });
    await createShipment({ supplierId: a.id, recipientId: b.id });
    expectBadInput(await server.gql(MERGE, { keepId: a.id, mergeId: b.id }), 'mergeId');
    const read = await server.gql(`query ($id: ID!) { actor(id: $id) { aliases events { edges { node { id } } } } }`, { id: b.id });
    expect(ok(read).actor.aliases).toEqual(b.aliases);
    expect(ok(read).actor.events.edges).toEqual([{ node: { id: participation.id } }]);
  });
});
