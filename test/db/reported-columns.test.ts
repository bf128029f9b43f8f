// The reportedBy relation (src/db/queries/reported.ts) names every column of the tables it reads:
// a column added by a migration and missing from its list would be missing from every statement
// with reportedBy (an error where it is read, a silent null nowhere). Checked against the migrated
// database's catalogue.
import { Client } from 'pg';
import { COLUMNS } from '../../src/db/queries/reported';
import { createTestDatabase, type TestDatabase } from '../support/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

it.each(['events', 'shipments'] as const)('names every column of %s', async (table) => {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
      [table],
    );
    expect([...COLUMNS[table]].sort()).toEqual(rows.map((r) => r.column_name).sort());
  } finally {
    await client.end();
  }
});
