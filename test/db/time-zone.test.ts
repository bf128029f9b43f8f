// Instants read back as the instants written, whatever time zone the database's sessions default
// to: Prisma's pg adapter reads a timestamptz's text without its offset, so a database whose
// TimeZone is not UTC shifted every createdAt by its offset (nine hours in Pyongyang). Every
// pooled connection sets its session to UTC (src/db/client.ts, sessionSettingsSql).
import { createPrisma, type DbHandle } from '../../src/db/client';
import { createTestDatabase, type TestDatabase } from '../support/database';

let database: TestDatabase;
let db: DbHandle;

beforeAll(async () => {
  database = await createTestDatabase();
  const setup = createPrisma(database.url, 1);
  try {
    await setup.prisma.$executeRawUnsafe(`ALTER DATABASE "${new URL(database.url).pathname.slice(1)}" SET timezone = 'Asia/Pyongyang'`);
  } finally {
    await setup.close();
  }
  db = createPrisma(database.url, 2, { statementTimeoutMs: 30_000 });
}, 180_000);
afterAll(async () => {
  await db?.close();
  await database?.drop();
}, 180_000);

test('a record written now reads back as now, and a written instant as itself, through Prisma and the raw reader', async () => {
  const before = Date.now();
  const actor = await db.prisma.actor.create({ data: { name: 'Ruritania', kind: 'STATE', deletedAt: new Date('2024-02-29T14:59:59.999Z') } });
  const after = Date.now();
  const read = await db.prisma.actor.findUniqueOrThrow({ where: { id: actor.id } });
  for (const at of [actor.createdAt, read.createdAt]) {
    expect(at.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(at.getTime()).toBeLessThanOrEqual(after + 1000);
  }
  expect(read.deletedAt?.toISOString()).toBe('2024-02-29T14:59:59.999Z');
  const [raw] = await db.raw.$queryRaw<
    { deleted_at: Date; zone: string }[]
  >`SELECT deleted_at, current_setting('TimeZone') AS zone FROM actors WHERE id = ${actor.id}::uuid`;
  expect(raw.deleted_at.toISOString()).toBe('2024-02-29T14:59:59.999Z');
  expect(raw.zone).toBe('UTC');
});
