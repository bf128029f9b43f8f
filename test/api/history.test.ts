// Knowledge time: `asOf` answers as the database stood at an instant, before and after edits
// and deletes, for lists, single records, the timeline and the reports (nested participants and
// actors included); later instants are refused; the change feed pages with edits in between
// and never skips a change whose transaction was still open; the bulk import leaves versions.
import { Client } from 'pg';
import { instant, useUnseededServer } from '../support/knowledge-time';

const unseeded = useUnseededServer();
const { ok, byId } = unseeded;

async function actor(name: string): Promise<string> {
  return (await ok('mutation ($n: String!) { createActor(input: { name: $n, kind: STATE }) { id } }', { n: name })).createActor.id;
}

const EVENT = `id title participants { role actor { name aliases } }`;

describe('asOf', () => {
  let a: string;
  let b: string;
  let eventId: string;
  let shipmentId: string;
  let t0: string; // before anything
  let t1: string; // after the creates
  let t2: string; // after the edits
  let t3: string; // after the deletes

  beforeAll(async () => {
    t0 = await instant();
    a = await actor('Asofland');
    b = await actor('Borduria');
    eventId = (
      await ok(
        `mutation ($a: ID!) { createEvent(input: { type: MEETING, title: "Talks", date: { edtf: "2023-09-13" }, confidence: REPORTED,
          participants: [{ actorId: $a, role: INITIATOR }] }) { id } }`,
        { a },
      )
    ).createEvent.id;
    shipmentId = (
      await ok(
        `mutation ($a: ID!, $b: ID!, $e: ID!) { createShipment(input: { supplierId: $a, recipientId: $b, category: MILITARY_EQUIPMENT,
          quantity: 100, unit: "containers", deliverySpan: { edtf: "2023-09" }, status: REPORTED, confidence: REPORTED, eventIds: [$e] }) { id } }`,
        { a, b, e: eventId },
      )
    ).createShipment.id;
    t1 = await instant();
    await ok(
      `mutation ($id: ID!, $b: ID!) { updateEvent(id: $id, input: { title: "Talks (revised)", participants: [{ actorId: $b, role: TARGET }] }) { id } }`,
      { id: eventId, b },
    );
    await byId('updateShipment', shipmentId, 'input: { quantity: 250 }');
    await byId('updateActor', b, 'input: { name: "Bordurie" }');
    t2 = await instant();
    // the shipment first: while it is live and reported by the event, the event cannot go alone
    await byId('deleteShipment', shipmentId);
    await byId('deleteEvent', eventId);
    t3 = await instant();
  }, 60_000);

  it('events and event(id): before the create, after it, after the edit, after the soft delete', async () => {
    const q = `query ($at: DateTime, $id: ID!) { events(asOf: $at, filter: { actorIds: [$id] }) { totalCount edges { node { ${EVENT} } } }
      event(id: $id2, asOf: $at) { title } }`.replace('$id2', '"' + '$EVENT' + '"');
    const read = async (at: string | null, actorId: string) => ok(q.replace('"$EVENT"', `"${eventId}"`), { at, id: actorId });

    const before = await read(t0, a);
    expect(before.events.totalCount).toBe(0);
    expect(before.event).toBeNull();

    // as created: A initiated it, and the filter on participants reads them as of t1 too
    const created = await read(t1, a);
    expect(created.events.edges.map((e: any) => e.node)).toEqual([
      { id: eventId, title: 'Talks', participants: [{ role: 'INITIATOR', actor: { name: 'Asofland', aliases: ['Asofland'] } }] },
    ]);
    expect(created.event.title).toBe('Talks');
    expect((await read(t1, b)).events.totalCount).toBe(0);

    // edited: B is the participant, under the name it had then (renamed in the same step)
    const edited = await read(t2, b);
    expect(edited.events.edges[0].node).toEqual({
      id: eventId,
      title: 'Talks (revised)',
      participants: [{ role: 'TARGET', actor: { name: 'Bordurie', aliases: ['Borduria', 'Bordurie'] } }],
    });
    expect((await read(t2, a)).events.totalCount).toBe(0);

    // soft-deleted: gone, as from the live tables
    expect((await read(t3, b)).events.totalCount).toBe(0);
    expect((await read(t3, b)).event).toBeNull();
    expect((await read(null, b)).events.totalCount).toBe(0);
  });

  it('shipments and shipment(id), with supplier, recipient and events as of the same instant', async () => {
    const q = `query ($at: DateTime) { shipments(asOf: $at) { edges { node { id quantity supplier { name } recipient { name } } } }
      shipment(id: "${'$S'}", asOf: $at) { quantity events { title shipments { quantity } } } }`;
    const read = (at: string | null) => ok(q.replace('$S', shipmentId), { at });
    expect((await read(t0)).shipments.edges).toEqual([]);
    expect((await read(t1)).shipments.edges[0].node).toEqual({
      id: shipmentId,
      quantity: 100,
      supplier: { name: 'Asofland' },
      recipient: { name: 'Borduria' },
    });
    expect((await read(t1)).shipment).toEqual({ quantity: 100, events: [{ title: 'Talks', shipments: [{ quantity: 100 }] }] });
    expect((await read(t2)).shipment).toEqual({ quantity: 250, events: [{ title: 'Talks (revised)', shipments: [{ quantity: 250 }] }] });
    expect((await read(t2)).shipments.edges[0].node).toMatchObject({ quantity: 250, recipient: { name: 'Bordurie' } });
    expect((await read(t3)).shipments.edges).toEqual([]);
    expect((await read(t3)).shipment).toBeNull();
  });

  it('timeline and timelineMonths', async () => {
    const q = `query ($at: DateTime, $ids: [ID!]!) { timeline(actorIds: $ids, asOf: $at) { totalCount edges { kind node {
        ... on Event { title participants { actor { name } } } ... on Shipment { quantity } } } }
      timelineMonths(actorIds: $ids, asOf: $at) { month events shipments } }`;
    const read = (at: string | null) => ok(q, { at, ids: [b] });
    // B was not recorded yet: an empty feed, as the database held it (an id never recorded is refused)
    expect(await read(t0)).toEqual({ timeline: { totalCount: 0, edges: [] }, timelineMonths: [] });
    const t1Feed = await read(t1);
    expect(t1Feed.timeline.edges).toEqual([{ kind: 'SHIPMENT', node: { quantity: 100 } }]); // B was not in the event yet
    const t2Feed = await read(t2);
    expect(t2Feed.timeline.edges).toEqual([
      { kind: 'SHIPMENT', node: { quantity: 250 } },
      { kind: 'EVENT', node: { title: 'Talks (revised)', participants: [{ actor: { name: 'Bordurie' } }] } },
    ]);
    expect(t2Feed.timelineMonths).toEqual([{ month: '2023-09', events: 1, shipments: 1 }]);
    expect((await read(t3)).timeline.totalCount).toBe(0);
  });

  it('report totals as of an earlier instant, with the actors named as they were', async () => {
    const q = `query ($at: DateTime) {
      shipmentReport(from: "2023-09-01", to: "2023-09-30", groupBy: [RECIPIENT], asOf: $at) { totals { recipient { name } shipments quantity } }
      eventStats(from: "2023-09-01", to: "2023-09-30", groupBy: [ACTOR], asOf: $at) { actor { name } events } }`;
    expect((await ok(q, { at: t1 })).shipmentReport.totals).toEqual([{ recipient: { name: 'Borduria' }, shipments: 1, quantity: 100 }]);
    expect((await ok(q, { at: t1 })).eventStats).toEqual([{ actor: { name: 'Asofland' }, events: 1 }]);
    expect((await ok(q, { at: t2 })).shipmentReport.totals).toEqual([{ recipient: { name: 'Bordurie' }, shipments: 1, quantity: 250 }]);
    expect((await ok(q, { at: t2 })).eventStats).toEqual([{ actor: { name: 'Bordurie' }, events: 1 }]);
    expect((await ok(q, { at: t3 })).shipmentReport.totals).toEqual([]);
    expect((await ok(q, { at: null })).shipmentReport.totals).toEqual([]);
  });

  it('is reproducible: the same instant gives the same answer after later edits, restores and re-creates', async () => {
    const q = `query ($at: DateTime) { events(asOf: $at) { edges { node { ${EVENT} } } } shipments(asOf: $at) { edges { node { quantity } } } }`;
    const before = await ok(q, { at: t2 });
    await byId('restoreEvent', eventId);
    await byId('updateEvent', eventId, 'input: { title: "Talks (third version)", participants: [] }');
    await byId('restoreShipment', shipmentId);
    await byId('updateActor', b, 'input: { name: "Syldavia" }');
    expect(await ok(q, { at: t2 })).toEqual(before);
    expect((await ok(q, { at: null })).events.edges[0].node).toMatchObject({ title: 'Talks (third version)', participants: [] });
  });

  it('refuses an instant in the future, naming the argument', async () => {
    const future = new Date(Date.now() + 60_000).toISOString();
    for (const query of [
      'query ($at: DateTime) { events(asOf: $at) { totalCount } }',
      'query ($at: DateTime) { shipment(id: "00000000-0000-0000-0000-000000000000", asOf: $at) { id } }',
      `query ($at: DateTime) { timeline(actorIds: ["${'$A'}"], asOf: $at) { totalCount } }`,
      'query ($at: DateTime) { shipmentReport(from: "2023-01-01", to: "2023-12-31", asOf: $at) { start } }',
      'query ($at: DateTime) { eventStats(from: "2023-01-01", to: "2023-12-31", asOf: $at) { events } }',
    ]) {
      const res = await unseeded.server.gql(query.replace('$A', a), { at: future });
      expect(res.status).toBe(200);
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'asOf' });
      expect(res.errors?.[0].message).toMatch(/in the future/);
    }
  });
});

const FEED = `query ($since: DateTime!, $first: Int, $after: String, $entities: [ChangeEntity!]) {
  changes(since: $since, first: $first, after: $after, entities: $entities) {
    settledUntil pageInfo { hasNextPage endCursor } edges { cursor node { entity id operation at keyId values } } } }`;

interface Change {
  entity: string;
  id: string;
  operation: string;
  at: string;
  keyId: string | null;
  values: Record<string, unknown>;
}

/** Reads the feed page by page from `after` until it has nothing more, as a syncing client does. */
async function drain(since: string, after: string | null, entities?: string[]): Promise<{ changes: Change[]; cursor: string | null }> {
  const changes: Change[] = [];
  let cursor = after;
  for (;;) {
    const page = (await ok(FEED, { since, first: 2, after: cursor, entities })).changes;
    changes.push(...page.edges.map((e: { node: Change }) => e.node));
    cursor = page.pageInfo.endCursor ?? cursor;
    if (!page.pageInfo.hasNextPage) return { changes, cursor };
  }
}

describe('changes', () => {
  it('pages with edits in between: every change once, in order, with the key that made it', async () => {
    const since = await instant();
    const x = await actor('Feedonia');
    const id = (
      await ok(
        `mutation ($x: ID!) { createEvent(input: { type: VISIT, title: "Feed 1", date: { edtf: "2024-01" }, confidence: ALLEGED,
          participants: [{ actorId: $x, role: SUBJECT }] }) { id } }`,
        { x },
      )
    ).createEvent.id;
    const first = await drain(since, null);
    await byId('updateEvent', id, 'input: { title: "Feed 2" }');
    await byId('deleteEvent', id);
    await byId('restoreEvent', id);
    await byId('updateEvent', id, 'input: { participants: [] }');
    const rest = await drain(since, first.cursor);

    const all = [...first.changes, ...rest.changes];
    const summary = all.map((c) => `${c.entity} ${c.operation}${c.entity === 'EVENT' ? ` ${c.values.title}` : ''}`);
    expect(summary).toEqual([
      'ACTOR CREATE',
      'ACTOR_ALIAS CREATE',
      'EVENT CREATE Feed 1',
      'EVENT_PARTICIPANT CREATE',
      'EVENT UPDATE Feed 2',
      'EVENT DELETE Feed 2',
      'EVENT RESTORE Feed 2',
      'EVENT_PARTICIPANT RETRACT', // only the participants changed: the event's row was not rewritten
    ]);
    expect(all.filter((c) => c.entity.startsWith('EVENT')).every((c) => c.id === id)).toBe(true);
    expect(all.find((c) => c.entity === 'EVENT_PARTICIPANT')?.values).toEqual({ event_id: id, actor_id: x, role: 'SUBJECT' });
    // the key's own changes name it (tests send an EDITOR key with mutations); reads without a key see no author
    expect(all.every((c) => c.keyId === null)).toBe(true);
    const { key, id: keyId } = await unseeded.server.mintKey('ADMIN');
    const withKey = await unseeded.server.gql(FEED, { since, first: 1 }, { authorization: `Bearer ${key}` });
    expect(withKey.data.changes.edges[0].node.keyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(withKey.data.changes.edges[0].node.keyId).not.toBe(keyId);
    // nothing more, and the same pages again from the start
    expect((await drain(since, rest.cursor)).changes).toEqual([]);
    expect((await drain(since, null)).changes).toEqual(all);
    // only some entities
    expect((await drain(since, null, ['EVENT'])).changes.map((c) => c.operation)).toEqual(['CREATE', 'UPDATE', 'DELETE', 'RESTORE']);
  });

  it('bad cursors and dates are BAD_USER_INPUT on the argument', async () => {
    const res = await unseeded.server.gql(FEED, { since: new Date().toISOString(), after: 'nonsense' });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const bad = await unseeded.server.gql(FEED, { since: 'yesterday' });
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('never skips a change whose transaction is still open when a client pages, and refuses asOf after its start', async () => {
    const since = await instant();
    const id = (await ok('mutation { createEvent(input: { type: MEETING, title: "Slow 0", date: { edtf: "2024-02" }, confidence: ALLEGED }) { id } }'))
      .createEvent.id;
    const slow = new Client({ connectionString: unseeded.server.database.url });
    await slow.connect();
    try {
      await slow.query('BEGIN');
      await slow.query(`UPDATE events SET title = 'Slow 1' WHERE id = $1`, [id]); // stamped with this transaction's start
      const openedBefore = await instant();
      // committed meanwhile by another client, after the slow transaction started
      await ok('mutation { createEvent(input: { type: MEETING, title: "Fast", date: { edtf: "2024-02" }, confidence: ALLEGED }) { id } }');

      const early = await drain(since, null, ['EVENT']);
      expect(early.changes.map((c) => c.values.title)).toEqual(['Slow 0']); // stops before the open transaction
      const refused = await unseeded.server.gql('query ($at: DateTime) { events(asOf: $at) { totalCount } }', { at: openedBefore });
      expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'asOf' });
      expect(refused.errors?.[0].message).toMatch(/not settled yet/);

      await slow.query('COMMIT');
      const late = await drain(since, early.cursor, ['EVENT']);
      expect(late.changes.map((c) => c.values.title)).toEqual(['Slow 1', 'Fast']);
      const asOf = await ok('query ($at: DateTime) { events(asOf: $at, filter: { from: "2024-02-01" }) { edges { node { title } } } }', { at: openedBefore });
      expect(asOf.events.edges.map((e: any) => e.node.title)).toEqual(['Slow 1']);
    } finally {
      await slow.end();
    }
  });
});

describe('bulk import', () => {
  it('records versions: asOf before, between and after two imports', async () => {
    const IMPORT = `mutation ($data: String!) { importRecords(format: NDJSON, data: $data, dataset: "hist") { committed errors { reason } } }`;
    const file = (title: string) =>
      [
        { kind: 'actor', externalId: 'p', name: 'Importland', actorKind: 'STATE' },
        {
          kind: 'event',
          externalId: 'e1',
          type: 'STATEMENT',
          title,
          date: '2022-05',
          confidence: 'REPORTED',
          participants: [{ actor: { externalId: 'p' }, role: 'SPEAKER' }],
        },
        { kind: 'event', externalId: 'e2', type: 'STATEMENT', title: 'Unchanged', date: '2022-05', confidence: 'REPORTED' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n');
    const q = `query ($at: DateTime) { events(asOf: $at, filter: { from: "2022-05-01", to: "2022-05-31" }) { edges { node { title participants { actor { name } } } } } }`;
    const titles = async (at: string | null) => (await ok(q, { at })).events.edges.map((e: any) => e.node.title).sort();

    const before = await instant();
    expect((await ok(IMPORT, { data: file('First') })).importRecords.committed).toBe(true);
    const between = await instant();
    expect((await ok(IMPORT, { data: file('Second') })).importRecords.committed).toBe(true);

    expect(await titles(before)).toEqual([]);
    expect(await titles(between)).toEqual(['First', 'Unchanged']);
    expect(await titles(null)).toEqual(['Second', 'Unchanged']);
    expect((await ok(q, { at: between })).events.edges.find((e: any) => e.node.title === 'First').node.participants).toEqual([
      { actor: { name: 'Importland' } },
    ]);
    // one version per change: the unchanged event was not rewritten by the second import
    const versions = await unseeded.server.db.pool.query(
      `SELECT h.title, h.sys_operation FROM history.events h JOIN events e ON e.id = h.id WHERE e.dataset = 'hist' ORDER BY h.sys_version`,
    );
    expect(versions.rows).toEqual([
      { title: 'First', sys_operation: 'CREATE' },
      { title: 'Unchanged', sys_operation: 'CREATE' },
      { title: 'Second', sys_operation: 'UPDATE' },
    ]);
  });
});

describe('nested fields as of an instant', () => {
  it('cost the same number of SQL statements for 3 and for 12 events (DataLoaders per instant)', async () => {
    const x = await actor('Batchland');
    for (let i = 0; i < 12; i++) {
      await ok(
        `mutation ($x: ID!, $t: String!) { createEvent(input: { type: MEETING, title: $t, date: { edtf: "2025-03-0${(i % 9) + 1}" },
          confidence: REPORTED, participants: [{ actorId: $x, role: PARTICIPANT }] }) { id } }`,
        { x, t: `Batch ${i}` },
      );
    }
    const at = await instant();
    const page = `query ($first: Int, $at: DateTime) { events(first: $first, asOf: $at, filter: { from: "2025-03-01", to: "2025-03-31" }) {
      edges { node { title participants { actor { name aliases } } shipments { id } } } } }`;
    const statementsFor = async (first: number) => {
      const before = unseeded.server.db.statements!.count();
      const res = await ok(page, { first, at });
      expect(res.events.edges).toHaveLength(first);
      expect(res.events.edges[first - 1].node.participants[0].actor.name).toBe('Batchland');
      return unseeded.server.db.statements!.count() - before;
    };
    const small = await statementsFor(3);
    expect(await statementsFor(12)).toBe(small);
  });
});
