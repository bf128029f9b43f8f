// Two instances starting at once on a fresh database (SEED_ON_START on both): the loads are
// serialised, one writes the seed, the other finds it there and writes nothing.
import { createPrisma } from '../../src/db/client';
import { seedDatabase } from '../../seed/load';
import { createTestDatabase } from '../support/database';

it('two loads at once: one inserts every record, the other none; no error, no duplicate', async () => {
  const db = await createTestDatabase();
  const one = createPrisma(db.url, 1);
  const two = createPrisma(db.url, 1);
  try {
    const reports = await Promise.all([seedDatabase(one.prisma), seedDatabase(two.prisma)]);
    const inserted = reports.map((r) => r.inserted).sort((a, b) => a - b);
    expect(inserted).toEqual([0, reports[0].records]);
    expect(reports.map((r) => r.kept)).toEqual([[], []]);
    const { rows } = await one.pool.query(
      `SELECT (SELECT count(*) FROM seed_records)::int AS book, (SELECT count(*) FROM audit_log WHERE operation = 'loadSeed')::int AS audits`,
    );
    expect(rows[0]).toEqual({ book: reports[0].records, audits: reports[0].records });
  } finally {
    await one.close();
    await two.close();
    await db.drop();
  }
}, 120_000);
