// A timeline page's nodes travel as one JSON text (src/db/queries/timeline.ts): read back, each
// must be the object Prisma reads for the same record, every field of every kind — dates and
// instants as Dates, floats to the last bit, JSON values whole, nulls as null — in whole nodes,
// in a selection, with their actors, in both directions and on an empty page.
import { createPrisma, type DbHandle } from '../../src/db/client';
import { listTimeline, type TimelineFilter } from '../../src/db/queries/timeline';
import { createTestDatabase, type TestDatabase } from '../support/database';

let database: TestDatabase;
let db: DbHandle;
const ids = { a: '', b: '', event: '', bare: '', shipment: '', affiliation: '', undated: '' };

beforeAll(async () => {
  database = await createTestDatabase();
  db = createPrisma(database.url, 1, { statementTimeoutMs: 30_000 });
  const { prisma } = db;
  const actor = (name: string) => prisma.actor.create({ data: { name, kind: 'STATE' } });
  ids.a = (await actor('Ruritania')).id;
  ids.b = (await actor('Borduria')).id;
  const full = await prisma.event.create({
    data: {
      type: 'MEETING',
      title: 'Talks «in» Pyongyang — 会談',
      description: 'Line one\nline "two"',
      spanStart: new Date('0850-03-01'),
      spanEnd: new Date('2023-09-13'),
      spanPrecision: 'RANGE',
      spanText: 'from March 850 to 13 September 2023',
      spanEdtf: '0850-03/2023-09-13',
      locationName: 'Vostochny',
      locationCountryCode: 'RUS',
      latitude: -51.12345678901234,
      longitude: 0.1 + 0.2,
      confidence: 'ASSESSED',
      fatalities: 12345.678901234567,
      fatalitiesLow: 1e-7,
      fatalitiesHigh: 1e21,
      fatalitiesQualifier: 'APPROXIMATE',
      datasetFields: { tiv: 12.5, notes: ['ä', null, { deep: true }], big: 9007199254740991, empty: {} },
      participants: {
        create: [
          { actorId: ids.a, role: 'INITIATOR' },
          { actorId: ids.b, role: 'TARGET' },
        ],
      },
    },
  });
  ids.event = full.id;
  ids.bare = (
    await prisma.event.create({
      data: {
        type: 'STATEMENT',
        title: 'Bare',
        spanStart: new Date('2024-02-29'),
        spanEnd: new Date('2024-02-29'),
        spanPrecision: 'DAY',
        confidence: 'REPORTED',
        participants: { create: [{ actorId: ids.a, role: 'SPEAKER' }] },
      },
    })
  ).id;
  ids.shipment = (
    await prisma.shipment.create({
      data: {
        supplierId: ids.a,
        recipientId: ids.b,
        category: 'ARTILLERY_AMMUNITION',
        quantity: 1000.5,
        quantityLow: 900,
        quantityHigh: 1100.25,
        quantityQualifier: 'ESTIMATE',
        unit: 'containers',
        deliveryStart: new Date('2023-09-07'),
        deliveryEnd: new Date('2023-10-01'),
        deliveryPrecision: 'RANGE',
        deliveryText: 'from September 7 on',
        deliveryEdtf: '2023-09-07/..',
        deliveryOpen: true,
        status: 'REPORTED',
        route: 'Rajin → Dunai',
        confidence: 'ALLEGED',
        datasetFields: { sipri: { tiv: 1.25, order: 'two' } },
      },
    })
  ).id;
  ids.affiliation = (
    await prisma.affiliation.create({
      data: {
        actorId: ids.a,
        targetId: ids.b,
        role: 'MEMBER_OF',
        title: 'Member',
        spanStart: new Date('2020-01-01'),
        spanEnd: new Date('2020-12-31'),
        spanPrecision: 'YEAR',
        confidence: 'CONFIRMED',
      },
    })
  ).id;
  ids.undated = (await prisma.affiliation.create({ data: { actorId: ids.b, targetId: ids.a, role: 'OTHER', confidence: 'REPORTED' } })).id;
  // An instant whose milliseconds matter, written with another zone's offset.
  await prisma.$executeRawUnsafe(`UPDATE events SET updated_at = '2024-02-29 23:59:59.999+09' WHERE id = '${ids.event}'`);
}, 180_000);
afterAll(async () => {
  await db?.close();
  await database?.drop();
}, 180_000);

const filter = (over: Partial<TimelineFilter> = {}): TimelineFilter => ({
  actorIds: [ids.a],
  match: 'ANY',
  window: 'OVERLAPS',
  kinds: ['EVENT', 'SHIPMENT', 'AFFILIATION'],
  ...over,
});

async function prismaRecord(kind: string, id: string): Promise<Record<string, unknown>> {
  const { prisma } = db;
  const row =
    kind === 'EVENT'
      ? await prisma.event.findUniqueOrThrow({ where: { id } })
      : kind === 'SHIPMENT'
        ? await prisma.shipment.findUniqueOrThrow({ where: { id } })
        : await prisma.affiliation.findUniqueOrThrow({ where: { id } });
  return row as unknown as Record<string, unknown>;
}

test("whole nodes are Prisma's records, field for field, in feed order", async () => {
  const { rows, unknownActors } = await listTimeline(db, filter(), { direction: 'forward', limit: 10 });
  expect(unknownActors).toEqual([]);
  expect(rows.map((r) => [r.kind, r.node.id])).toEqual([
    ['EVENT', ids.event],
    ['AFFILIATION', ids.affiliation],
    ['SHIPMENT', ids.shipment],
    ['EVENT', ids.bare],
    ['AFFILIATION', ids.undated],
  ]);
  for (const { kind, node } of rows) {
    const record = await prismaRecord(kind, node.id);
    // Only the model's own columns (not dataset/externalId, which the feed does not read).
    const expected = Object.fromEntries(Object.keys(node).map((k) => [k, record[k]]));
    expect(node).toEqual(expected);
    for (const [k, v] of Object.entries(node)) if (v instanceof Date) expect([k, v.getTime()]).toEqual([k, (record[k] as Date).getTime()]);
  }
  const event = rows[0].node as unknown as Record<string, unknown>;
  expect(Object.keys(event)).toEqual(expect.arrayContaining(['latitude', 'datasetFields', 'fatalitiesLow', 'createdAt', 'deletedAt']));
  expect(event.longitude).toBe(0.1 + 0.2);
  expect([event.fatalities, event.fatalitiesLow, event.fatalitiesHigh]).toEqual([12345.678901234567, 1e-7, 1e21]);
  expect((event.updatedAt as Date).toISOString()).toBe('2024-02-29T14:59:59.999Z');
  expect(rows[0].key).toEqual({ start: '0850-03-01', end: '2023-09-13', kind: 0, id: ids.event });
  expect(rows[4].key).toEqual({ start: 'infinity', end: 'infinity', kind: 2, id: ids.undated });
});

test('a selection reads its fields and the always-read ones; actors come on their nodes', async () => {
  const { rows } = await listTimeline(db, filter(), {
    direction: 'forward',
    limit: 10,
    fields: { EVENT: ['title'], SHIPMENT: ['quantity'], AFFILIATION: ['role'] },
    actors: { SHIPMENT: ['recipientId'], AFFILIATION: ['targetId'] },
    actorColumns: ['name'],
  });
  const shipment = rows.find((r) => r.kind === 'SHIPMENT')!.node as unknown as Record<string, unknown>;
  expect(shipment.quantity).toBe(1000.5);
  expect(shipment.deliveryStart).toEqual(new Date('2023-09-07'));
  expect(shipment).not.toHaveProperty('route');
  expect(shipment.recipient).toMatchObject({ id: ids.b, name: 'Borduria' });
  const event = rows[0].node as unknown as Record<string, unknown>;
  expect(event.title).toBe('Talks «in» Pyongyang — 会談');
  expect(event).not.toHaveProperty('description');
  const affiliation = rows.find((r) => r.kind === 'AFFILIATION')!.node as unknown as Record<string, unknown>;
  expect(affiliation.target).toMatchObject({ id: ids.b, name: 'Borduria' });
});

test('backward pages are in feed order too; an empty page and unknown ids still answer', async () => {
  const forward = await listTimeline(db, filter(), { direction: 'forward', limit: 10 });
  const backward = await listTimeline(db, filter(), { direction: 'backward', limit: 2 });
  expect(backward.rows.map((r) => r.node.id)).toEqual(forward.rows.slice(-2).map((r) => r.node.id));
  const unknown = '01900000-0000-7000-8000-000000000000';
  const empty = await listTimeline(db, filter({ actorIds: [unknown, ids.a], kinds: ['EVENT'], from: '3000-01-01' }), { direction: 'forward', limit: 10 });
  expect(empty).toEqual({ unknownActors: [0], rows: [] });
});

test("keys and dates read the same whatever the database's DateStyle", async () => {
  const before = await listTimeline(db, filter(), { direction: 'forward', limit: 10 });
  const name = new URL(database.url).pathname.slice(1);
  await db.prisma.$executeRawUnsafe(`ALTER DATABASE "${name}" SET datestyle = 'SQL, DMY'`);
  const other = createPrisma(database.url, 1, { statementTimeoutMs: 30_000 });
  try {
    const [{ style }] = await other.prisma.$queryRawUnsafe<{ style: string }[]>("SELECT current_setting('datestyle') AS style");
    expect(style).toBe('SQL, DMY');
    expect(await listTimeline(other, filter(), { direction: 'forward', limit: 10 })).toEqual(before);
  } finally {
    await other.close();
    await db.prisma.$executeRawUnsafe(`ALTER DATABASE "${name}" RESET datestyle`);
  }
});
