// Optimistic concurrency: an update carries the updatedAt it was based on; a stale
// one is refused with CONFLICT and writes nothing; of two clients racing from the
// same version, exactly one wins.
import { useServer } from '../support/server';

const server = useServer({ seedOnStart: false });

const KINDS = [
  {
    name: 'Actor',
    create: 'mutation ($n: String!) { x: createActor(input: { name: $n, kind: STATE }) { id updatedAt } }',
    update: (v: string) =>
      `mutation ($id: ID!, $at: DateTime) { x: updateActor(id: $id, input: { description: "${v}", expectedUpdatedAt: $at }) { id updatedAt description } }`,
    read: (id: string) => `{ x: actor(id: "${id}") { value: description } }`,
  },
  {
    name: 'Event',
    create: 'mutation { x: createEvent(input: { type: MEETING, title: "Conc", date: { edtf: "2023" }, confidence: REPORTED }) { id updatedAt } }',
    update: (v: string) => `mutation ($id: ID!, $at: DateTime) { x: updateEvent(id: $id, input: { title: "${v}", expectedUpdatedAt: $at }) { id updatedAt } }`,
    read: (id: string) => `{ x: event(id: "${id}") { value: title } }`,
  },
  {
    name: 'Shipment',
    create: '',
    update: (v: string) =>
      `mutation ($id: ID!, $at: DateTime) { x: updateShipment(id: $id, input: { description: "${v}", expectedUpdatedAt: $at }) { id updatedAt } }`,
    read: (id: string) => `{ x: shipment(id: "${id}") { value: description } }`,
  },
  {
    name: 'Source',
    create: 'mutation { x: createSource(input: { publisher: "P", title: "Conc" }) { id updatedAt } }',
    update: (v: string) => `mutation ($id: ID!, $at: DateTime) { x: updateSource(id: $id, input: { title: "${v}", expectedUpdatedAt: $at }) { id updatedAt } }`,
    read: (id: string) => `{ x: source(id: "${id}") { value: title } }`,
  },
];

let n = 0;
const unique = (s: string) => `Conc ${s} ${++n}`;

async function create(kind: (typeof KINDS)[number]): Promise<{ id: string; updatedAt: string }> {
  if (kind.name === 'Shipment') {
    const a = await server.gql('mutation ($n: String!) { createActor(input: { name: $n, kind: STATE }) { id } }', { n: unique('supplier') });
    const b = await server.gql('mutation ($n: String!) { createActor(input: { name: $n, kind: STATE }) { id } }', { n: unique('recipient') });
    const res = await server.gql(
      `mutation { x: createShipment(input: { supplierId: "${a.data.createActor.id}", recipientId: "${b.data.createActor.id}", category: FOOD,
        deliverySpan: { edtf: "2023" }, status: REPORTED, confidence: ALLEGED }) { id updatedAt } }`,
    );
    return res.data.x;
  }
  const res = await server.gql(kind.create, kind.name === 'Actor' ? { n: unique('actor') } : undefined);
  return res.data.x;
}

for (const kind of KINDS) {
  describe(kind.name, () => {
    it('an update based on the current version goes through; a stale one is CONFLICT and writes nothing', async () => {
      const rec = await create(kind);
      const first = await server.gql(kind.update('first'), { id: rec.id, at: rec.updatedAt });
      expect(first.errors).toBeUndefined();
      expect(new Date(first.data.x.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(rec.updatedAt).getTime());
      const auditBefore = (await server.db.pool.query('SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1', [rec.id])).rows[0].n;

      // a second analyst still holding the original version
      const stale = await server.gql(kind.update('stale'), { id: rec.id, at: rec.updatedAt });
      expect(stale.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.expectedUpdatedAt', currentUpdatedAt: first.data.x.updatedAt });
      expect((await server.gql(kind.read(rec.id))).data.x.value).toBe('first');
      expect((await server.db.pool.query('SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1', [rec.id])).rows[0].n).toBe(auditBefore);

      // without expectedUpdatedAt, the last write wins (as before)
      expect((await server.gql(kind.update('blind'), { id: rec.id })).errors).toBeUndefined();
    });

    it('two clients racing from the same version: exactly one wins, the other gets CONFLICT', async () => {
      const rec = await create(kind);
      // updatedAt has millisecond precision: make sure the winner's write lands on a later millisecond
      await new Promise((r) => setTimeout(r, 5));
      const [a, b] = await Promise.all([
        server.gql(kind.update('client A'), { id: rec.id, at: rec.updatedAt }),
        server.gql(kind.update('client B'), { id: rec.id, at: rec.updatedAt }),
      ]);
      const winners = [a, b].filter((r) => !r.errors);
      const losers = [a, b].filter((r) => r.errors);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      expect(losers[0].errors![0].extensions?.code).toBe('CONFLICT');
      const value = (await server.gql(kind.read(rec.id))).data.x.value;
      expect(value).toBe(winners[0] === a ? 'client A' : 'client B');
    });
  });
}

it('Citation updates carry the version too', async () => {
  const src = await server.gql('mutation { createSource(input: { publisher: "P", title: "Cite" }) { id } }');
  const ev = await server.gql('mutation { createEvent(input: { type: OTHER, title: "Cited", date: { edtf: "2023" }, confidence: ASSESSED }) { id } }');
  const c = await server.gql(
    `mutation { createCitation(input: { sourceId: "${src.data.createSource.id}", excerpt: "q", eventId: "${ev.data.createEvent.id}" }) { id updatedAt } }`,
  );
  const { id, updatedAt } = c.data.createCitation;
  const upd = 'mutation ($id: ID!, $at: DateTime) { updateCitation(id: $id, input: { excerpt: "q2", expectedUpdatedAt: $at }) { id updatedAt } }';
  await new Promise((r) => setTimeout(r, 5));
  expect((await server.gql(upd, { id, at: updatedAt })).errors).toBeUndefined();
  expect((await server.gql(upd, { id, at: updatedAt })).errors?.[0].extensions?.code).toBe('CONFLICT');
});
