// A shutdown's last resort on the database side (DbHandle.interrupt and close): transactions
// still open end rolled back, their callers learn so, and no connection is left inside one.
import { Client } from 'pg';
import { createPrisma, type DbHandle } from '../../src/db/client';
import { databaseFault } from '../../src/db/faults';
import { useClientDatabase } from '../support/database';
import { eventually } from '../support/eventually';

// The test's own session (`database.client`) sees what the pools under test leave behind.
const database = useClientDatabase(180_000);
beforeAll(() => database.client.query('CREATE TABLE interrupted (v text)'));

const rows = async (v: string) => (await database.client.query('SELECT v FROM interrupted WHERE v = $1', [v])).rows;
/** The other sessions on this database and their states. */
const sessions = async () =>
  (
    await database.client.query<{ state: string }>(
      "SELECT state FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'",
    )
  ).rows.map((r) => r.state);

describe('interrupt()', () => {
  let db: DbHandle;
  beforeEach(() => {
    db = createPrisma(database.url, 2);
  });
  afterEach(async () => {
    await db.close();
  });

  it('refuses the commit of a transaction that was between statements: rolled back, an interrupted fault, no connection left in a transaction', async () => {
    let go!: () => void;
    const gate = new Promise<void>((r) => (go = r));
    const tx = db.prisma.$transaction(async (t) => {
      await t.$executeRawUnsafe("INSERT INTO interrupted VALUES ('between statements')");
      await gate;
    });
    await eventually(sessions, (s) => s.includes('idle in transaction'));
    await db.interrupt();
    go();
    const err = await tx.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(databaseFault(err)).toBe('interrupted');
    expect(await rows('between statements')).toEqual([]);
    expect(await sessions()).not.toContain('idle in transaction');
    // and no new transaction starts
    const next = await db.prisma
      .$transaction(async (t) => t.$executeRawUnsafe("INSERT INTO interrupted VALUES ('after')"))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(databaseFault(next)).toBe('interrupted');
    expect(await rows('after')).toEqual([]);
  });

  it('cancels a statement that waits for a lock: rolled back, an interrupted fault', async () => {
    // Its own session: pg_stat_activity, read inside a transaction, would not change.
    const locker = new Client({ connectionString: database.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE interrupted IN EXCLUSIVE MODE');
    try {
      const tx = db.prisma.$transaction(async (t) => {
        await t.$executeRawUnsafe("INSERT INTO interrupted VALUES ('waiting')");
      });
      const waiting = await eventually(
        async () =>
          (
            await database.client.query<{ n: number }>(
              "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
            )
          ).rows[0].n,
        (n) => n === 1,
      );
      expect(waiting).toBe(1);
      await db.interrupt();
      const err = await tx.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(databaseFault(err)).toBe('interrupted');
    } finally {
      await locker.query('COMMIT');
      await locker.end();
    }
    expect(await rows('waiting')).toEqual([]);
  });
});

it('close() ends a connection still lent out inside a transaction: PostgreSQL rolls it back', async () => {
  const db = createPrisma(database.url, 2);
  const client = await db.pool.connect();
  await client.query('BEGIN');
  await client.query("INSERT INTO interrupted VALUES ('lent out')");
  // as a holder does when its connection fails under it
  client.once('end', () => client.release(new Error('connection closed')));
  expect(await sessions()).toContain('idle in transaction');
  await db.close({ graceMs: 200 });
  expect(await eventually(sessions, (s) => s.length === 0)).toEqual([]);
  expect(await rows('lent out')).toEqual([]);
});
