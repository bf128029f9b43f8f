// The history migration on a database that already has data: existing rows get a version from
// their created_at (their parent's for rows without one), a soft-deleted row is live until its
// deleted_at; and history.attach() attaches the mechanism to another table in one line.
import { useDataBeforeMigration } from '../support/database';

const HISTORY_MIGRATION = '20261201130000_history';

const c = useDataBeforeMigration(
  HISTORY_MIGRATION,
  `
    INSERT INTO actors (id, name, kind, created_at) VALUES
      ('00000000-0000-0000-0000-0000000000a1', 'Oldland', 'STATE', '2020-01-01T00:00:00Z');
    INSERT INTO actor_aliases (actor_id, alias) VALUES ('00000000-0000-0000-0000-0000000000a1', 'Oldland');
    INSERT INTO events (id, type, title, span_start, span_end, span_precision, confidence, created_at, deleted_at) VALUES
      ('00000000-0000-0000-0000-0000000000e1', 'MEETING', 'Kept', '2019-05-01', '2019-05-01', 'DAY', 'REPORTED', '2021-01-01T00:00:00Z', NULL),
      ('00000000-0000-0000-0000-0000000000e2', 'MEETING', 'Dropped', '2019-05-01', '2019-05-01', 'DAY', 'REPORTED', '2021-01-01T00:00:00Z', '2022-01-01T00:00:00Z');
    INSERT INTO event_participants (event_id, actor_id, role) VALUES
      ('00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000a1', 'INITIATOR');`,
);

/** Titles of the events the database held at `at`, live ones only. */
async function titlesAt(at: string): Promise<string[]> {
  const { rows } = await c.query(`SELECT title FROM history.events WHERE sys_from <= $1 AND sys_to > $1 AND deleted_at IS NULL ORDER BY title`, [at]);
  return rows.map((r) => r.title);
}

it('backfills existing rows from created_at; a soft-deleted one is live until deleted_at', async () => {
  expect(await titlesAt('2020-06-01T00:00:00Z')).toEqual([]);
  expect(await titlesAt('2021-06-01T00:00:00Z')).toEqual(['Dropped', 'Kept']);
  expect(await titlesAt('2022-06-01T00:00:00Z')).toEqual(['Kept']);
  const { rows } = await c.query(`SELECT title, sys_operation, sys_from, sys_to FROM history.events ORDER BY title, sys_from`);
  expect(rows.map((r) => [r.title, r.sys_operation, r.sys_from.toISOString(), r.sys_to === Infinity ? 'infinity' : r.sys_to.toISOString()])).toEqual([
    ['Dropped', 'CREATE', '2021-01-01T00:00:00.000Z', '2022-01-01T00:00:00.000Z'],
    ['Dropped', 'DELETE', '2022-01-01T00:00:00.000Z', 'infinity'],
    ['Kept', 'CREATE', '2021-01-01T00:00:00.000Z', 'infinity'],
  ]);
  // rows without created_at: their actor's, their event's
  const alias = await c.query(`SELECT sys_from FROM history.actor_aliases`);
  expect(alias.rows.map((r) => r.sys_from.toISOString())).toEqual(['2020-01-01T00:00:00.000Z']);
  const part = await c.query(`SELECT sys_from FROM history.event_participants`);
  expect(part.rows.map((r) => r.sys_from.toISOString())).toEqual(['2021-01-01T00:00:00.000Z']);
});

it('history.attach() versions another table in one line, set-based, whatever its key', async () => {
  await c.query(`CREATE TABLE notes (a int, b int, body text, created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (a, b))`);
  await c.query(`INSERT INTO notes (a, b, body, created_at) VALUES (1, 1, 'old', '2020-01-01T00:00:00Z')`);
  await c.query(`SELECT history.attach('notes', 'NOTE', '{a,b}', 'r.created_at')`);
  await c.query(`INSERT INTO notes (a, b, body) SELECT 2, g, 'new ' || g FROM generate_series(1, 3) g`);
  await c.query(`UPDATE notes SET body = body || '!' WHERE a = 2 AND b < 3`);
  await c.query(`DELETE FROM notes WHERE a = 2 AND b = 3`);
  await c.query(`UPDATE notes SET b = 9 WHERE a = 1`); // a key change: the old key is retracted
  const { rows } = await c.query(`SELECT a, b, body, sys_operation AS op, sys_to = 'infinity' AS current FROM history.notes ORDER BY sys_version`);
  expect(rows).toEqual([
    { a: 1, b: 1, body: 'old', op: 'CREATE', current: false },
    { a: 2, b: 1, body: 'new 1', op: 'CREATE', current: false },
    { a: 2, b: 2, body: 'new 2', op: 'CREATE', current: false },
    { a: 2, b: 3, body: 'new 3', op: 'CREATE', current: false },
    { a: 2, b: 1, body: 'new 1!', op: 'UPDATE', current: true },
    { a: 2, b: 2, body: 'new 2!', op: 'UPDATE', current: true },
    { a: 2, b: 3, body: 'new 3', op: 'RETRACT', current: false },
    { a: 1, b: 1, body: 'old', op: 'RETRACT', current: false },
    { a: 1, b: 9, body: 'old', op: 'UPDATE', current: true },
  ]);
  // a column added later is kept once attach() runs again, and never breaks writes meanwhile
  // (an update of only a column the history does not keep yet makes no version)
  await c.query(`ALTER TABLE notes ADD COLUMN tag text`);
  await c.query(`UPDATE notes SET tag = 'x' WHERE a = 2 AND b = 1`);
  await c.query(`SELECT history.attach('notes', 'NOTE', '{a,b}', 'r.created_at')`);
  await c.query(`UPDATE notes SET tag = 'y' WHERE a = 2 AND b = 1`);
  const tags = await c.query(`SELECT tag FROM history.notes WHERE a = 2 AND b = 1 ORDER BY sys_version`);
  expect(tags.rows.map((r) => r.tag)).toEqual([null, null, 'y']);
});

it('an update that changes no versioned column makes no version; a change among many rows makes one', async () => {
  await c.query(`CREATE TABLE marks (id int PRIMARY KEY, v text, scratch text, created_at timestamptz NOT NULL DEFAULT now())`);
  await c.query(`INSERT INTO marks (id, v) SELECT g, 'v' || g FROM generate_series(1, 50) g`);
  await c.query(`SELECT history.attach('marks', 'MARK', '{id}', 'r.created_at')`);
  await c.query(`ALTER TABLE marks ADD COLUMN copy text`); // not in the history, like participations' span copy
  await c.query(`UPDATE marks SET copy = 'c'`);
  await c.query(`UPDATE marks SET v = v`);
  await c.query(`UPDATE marks SET v = 'changed' WHERE id = 7 OR id = 8`);
  const { rows } = await c.query(`SELECT id, v, sys_operation AS op FROM history.marks WHERE sys_operation <> 'CREATE' ORDER BY id`);
  expect(rows).toEqual([
    { id: 7, v: 'changed', op: 'UPDATE' },
    { id: 8, v: 'changed', op: 'UPDATE' },
  ]);
  const { rows: count } = await c.query(`SELECT count(*)::int AS n FROM history.marks`);
  expect(count[0].n).toBe(52);
});
