// Nested fields are batched per request (DataLoader): the number of SQL
// statements for a page does not grow with the page size.
import { startTestServer, type TestServer } from '../support/server';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ seedOnStart: false });
  const { prisma } = server.db;
  const actors = await Promise.all(
    ['Alpha', 'Bravo', 'Charlie'].map((name) => prisma.actor.create({ data: { name, kind: 'STATE', aliases: { create: { alias: name } } } })),
  );
  const source = await prisma.source.create({ data: { publisher: 'Test wire', title: 'Batching fixture' } });
  for (let i = 0; i < 60; i++) {
    const day = new Date(Date.UTC(2023, 0, 1 + i));
    await prisma.event.create({
      data: {
        type: 'MEETING',
        title: `Meeting ${i}`,
        spanStart: day,
        spanEnd: day,
        spanPrecision: 'DAY',
        confidence: 'REPORTED',
        participants: {
          create: [
            { actorId: actors[i % 3].id, role: 'INITIATOR' },
            { actorId: actors[(i + 1) % 3].id, role: 'TARGET' },
          ],
        },
        citations: { create: { sourceId: source.id, excerpt: `excerpt ${i}`, credibility: 2 } },
      },
    });
  }
});
afterAll(() => server.stop());

const PAGE = `query ($first: Int) { events(first: $first) { edges { node {
  title participants { role actor { name aliases } } citations { excerpt source { publisher } } shipments { id } } } } }`;

async function statementsFor(first: number): Promise<number> {
  const before = server.db.statements!.count();
  const res = await server.gql(PAGE, { first });
  expect(res.errors).toBeUndefined();
  expect(res.data.events.edges).toHaveLength(first);
  expect(res.data.events.edges[first - 1].node.participants[0].actor.aliases.length).toBeGreaterThan(0);
  return server.db.statements!.count() - before;
}

it('issues the same number of SQL statements for 5 and for 50 events with nested actors and citations', async () => {
  const small = await statementsFor(5);
  const large = await statementsFor(50);
  expect(large).toBe(small);
  // one page query + participants + actors + aliases + citations + sources + shipments (at most 2 for the join)
  expect(large).toBeLessThanOrEqual(9);
});
