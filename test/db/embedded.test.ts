// The embedded default (PGlite over the wire protocol) behaves like a
// PostgreSQL server for the app: errors, transactions, data kept on disk.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPrisma } from '../../src/db/client';
import { startEmbeddedPostgres } from '../../src/db/embedded';

// Starting PGlite and migrating it takes tens of seconds on a busy 2-core machine.
const START_TIMEOUT = 180_000;

it('keeps serving after a failed query (the pool replaces the dropped connection)', async () => {
  const pg = await startEmbeddedPostgres({});
  const db = createPrisma(pg.url, 1);
  try {
    await expect(db.prisma.$queryRawUnsafe('SELECT * FROM no_such_table')).rejects.toThrow(/42P01|does not exist/);
    await expect(db.prisma.$queryRawUnsafe('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
    // A failed interactive transaction rolls back and leaves the connection usable.
    await db.pool.query('CREATE TABLE t (id int PRIMARY KEY)');
    await expect(
      db.prisma.$transaction(async (tx) => {
        await tx.$executeRawUnsafe('INSERT INTO t VALUES (1)');
        await tx.$executeRawUnsafe('INSERT INTO t VALUES (1)');
      }),
    ).rejects.toThrow();
    await expect(db.prisma.$queryRawUnsafe('SELECT count(*)::int AS n FROM t')).resolves.toEqual([{ n: 0 }]);
  } finally {
    await db.close();
    await pg.stop();
  }
}, START_TIMEOUT);

it('keeps its data in the data directory between runs', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'att-pglite-'));
  try {
    const first = await startEmbeddedPostgres({ dataDir });
    const a = createPrisma(first.url, 1);
    await a.pool.query("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
    await a.close();
    await first.stop();

    const second = await startEmbeddedPostgres({ dataDir });
    const b = createPrisma(second.url, 1);
    const { rows } = await b.pool.query('SELECT v FROM kept');
    await b.close();
    await second.stop();
    expect(rows).toEqual([{ v: 'still here' }]);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}, START_TIMEOUT);
