// Yearly partitions of events and shipments (migration 20261202100000_partition_events_shipments,
// src/db/partitions.ts): created ahead and on demand, rows moved out of the default partition,
// an event moved between partitions by a span change with everything that hangs on it intact,
// deletes cascading through the key tables, and ids and external ids unique across partitions.
import type { Pool } from 'pg';
import { createPartitionsAhead, ensureYearPartitions, listPartitions } from '../../src/db/partitions';
import type { Sql } from '../../src/db/sql';
import { importWithPool } from '../../src/ingest/importer';
import { textInput } from '../../src/ingest/read';
import { useTestDatabase } from '../support/database';

const handle = useTestDatabase(4);
let pool: Pool;
let sql: Sql;

beforeAll(async () => {
  pool = handle.pool;
  sql = { query: async (text, params) => (await pool.query(text, params)).rows };
});

/** The partition holding each row of `table` with these ids. */
async function whereIs(table: 'events' | 'shipments', ...ids: string[]): Promise<string[]> {
  const { rows } = await pool.query<{ p: string }>(
    `SELECT tableoid::regclass::text AS p FROM ${table} WHERE id = ANY($1::uuid[]) ORDER BY array_position($1::uuid[], id)`,
    [ids],
  );
  return rows.map((r) => r.p);
}

async function actor(name: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(`INSERT INTO actors (name, kind) VALUES ($1, 'STATE') RETURNING id`, [name]);
  return rows[0].id;
}

async function event(start: string, end = start, extra: { dataset?: string; externalId?: string; id?: string } = {}): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO events (id, type, title, span_start, span_end, span_precision, confidence, dataset, external_id)
     VALUES (coalesce($3::uuid, gen_random_uuid()), 'MEETING', 'Talks', $1, $2, 'DAY', 'REPORTED', $4, $5) RETURNING id`,
    [start, end, extra.id ?? null, extra.dataset ?? null, extra.externalId ?? null],
  );
  return rows[0].id;
}

const count = async (text: string, params: unknown[] = []) => (await pool.query<{ n: number }>(`SELECT (${text})::int AS n`, params)).rows[0].n;

it('migrates to partitioned tables with only a default partition on an empty database', async () => {
  const parts = await listPartitions(sql);
  expect(parts.map((p) => [p.partition, p.bounds])).toEqual([
    ['events_default', 'DEFAULT'],
    ['shipments_default', 'DEFAULT'],
  ]);
  const { rows } = await pool.query<{ relname: string; relkind: string }>(
    `SELECT relname, relkind::text FROM pg_class WHERE relname IN ('events', 'shipments') AND relnamespace = 'public'::regnamespace ORDER BY 1`,
  );
  expect(rows).toEqual([
    { relname: 'events', relkind: 'p' },
    { relname: 'shipments', relkind: 'p' },
  ]);
});

it('creates yearly partitions ahead, idempotently, and moves the rows waiting in the default partition into them', async () => {
  const early = await event('1950-06-01');
  expect(await whereIs('events', early)).toEqual(['events_default']);

  expect(await createPartitionsAhead(sql, 1949, 1951)).toEqual([
    'events_y1949',
    'events_y1950',
    'events_y1951',
    'shipments_y1949',
    'shipments_y1950',
    'shipments_y1951',
  ]);
  expect(await whereIs('events', early)).toEqual(['events_y1950']);
  expect(await count('SELECT count(*) FROM events_default')).toBe(0);
  // Again: nothing to do.
  expect(await createPartitionsAhead(sql, 1949, 1951)).toEqual([]);
  expect(await ensureYearPartitions(sql, 'events', [1950])).toEqual([]);

  const parts = await listPartitions(sql);
  expect(parts.filter((p) => p.table === 'events')).toEqual([
    { table: 'events', partition: 'events_y1949', bounds: "FROM ('1949-01-01') TO ('1950-01-01')", rows: 0 },
    { table: 'events', partition: 'events_y1950', bounds: "FROM ('1950-01-01') TO ('1951-01-01')", rows: 1 },
    { table: 'events', partition: 'events_y1951', bounds: "FROM ('1951-01-01') TO ('1952-01-01')", rows: 0 },
    { table: 'events', partition: 'events_default', bounds: 'DEFAULT', rows: 0 },
  ]);
  // A partition carries the table's indexes and the table's triggers still fire for its rows.
  const indexes = await count(`SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'events'`);
  expect(indexes).toBeGreaterThan(5);
  expect(await count(`SELECT count(*) FROM pg_indexes WHERE tablename = 'events_y1950'`)).toBe(indexes);
  await pool.query(`UPDATE events SET title = 'Talks again' WHERE id = $1`, [early]);
  expect(await count(`SELECT count(*) FROM history.events WHERE id = $1`, [early])).toBe(2);
});

it('creates the partitions an import needs before writing it', async () => {
  const report = await importWithPool(
    pool,
    [
      textInput(
        'old.ndjson',
        [
          '{"kind":"actor","externalId":"a","name":"Atlantis","actorKind":"STATE"}',
          '{"kind":"actor","externalId":"b","name":"Lemuria","actorKind":"STATE"}',
          '{"kind":"event","externalId":"e1","type":"MEETING","title":"Old talks","date":"1961-05","confidence":"REPORTED","participants":[{"actor":{"externalId":"a"}}]}',
          '{"kind":"shipment","externalId":"s1","supplier":{"externalId":"a"},"recipient":{"externalId":"b"},"category":"FUEL","delivery":"1962","status":"REPORTED","confidence":"ALLEGED"}',
        ].join('\n'),
      ),
    ],
    { dataset: 'old' },
  );
  expect(report.errors).toEqual([]);
  expect(report.committed).toBe(true);
  const partitions = (await listPartitions(sql)).map((p) => p.partition);
  expect(partitions).toEqual(expect.arrayContaining(['events_y1961', 'shipments_y1962']));
  expect(partitions).not.toContain('events_y1962');
  const { rows } = await pool.query<{ p: string }>(
    `SELECT tableoid::regclass::text AS p FROM events WHERE dataset = 'old' UNION ALL SELECT tableoid::regclass::text FROM shipments WHERE dataset = 'old'`,
  );
  expect(rows.map((r) => r.p)).toEqual(['events_y1961', 'shipments_y1962']);

  // Re-imported with a span in another year: the same record (its key), updated and moved.
  const again = await importWithPool(
    pool,
    [
      textInput(
        'moved.ndjson',
        '{"kind":"event","externalId":"e1","type":"MEETING","title":"Old talks","date":"1963-02","confidence":"REPORTED","participants":[{"actor":{"externalId":"a"}}]}',
      ),
    ],
    { dataset: 'old' },
  );
  expect(again.errors).toEqual([]);
  expect(again.counts.event).toEqual({ created: 0, updated: 1, unchanged: 0 });
  expect(await count(`SELECT count(*) FROM events WHERE dataset = 'old'`)).toBe(1);
  const moved = await pool.query<{ p: string; span_start: Date }>(
    `SELECT e.tableoid::regclass::text AS p, p.span_start FROM events e JOIN event_participants p ON p.event_id = e.id WHERE e.dataset = 'old'`,
  );
  expect(moved.rows.map((r) => r.p)).toEqual(['events_y1963']);
  expect(moved.rows[0].span_start.getFullYear()).toBe(1963);
});

describe('an event whose span changes year', () => {
  let id: string;
  let russia: string;

  beforeAll(async () => {
    await createPartitionsAhead(sql, 2021, 2022);
    russia = await actor('Ruritania');
    const korea = await actor('Freedonia');
    id = await event('2021-03-10', '2021-03-12');
    await pool.query(`INSERT INTO event_participants (event_id, actor_id, role) VALUES ($1, $2, 'INITIATOR'), ($1, $3, 'TARGET')`, [id, russia, korea]);
    const { rows } = await pool.query<{ id: string }>(`INSERT INTO sources (publisher, title) VALUES ('Wire', 'Report') RETURNING id`);
    const citation = await pool.query<{ id: string }>(`INSERT INTO citations (source_id, excerpt, event_id) VALUES ($1, 'They met', $2) RETURNING id`, [
      rows[0].id,
      id,
    ]);
    await pool.query(`INSERT INTO claims (claimant_id, citation_id, event_id, likelihood) VALUES ($1, $2, $3, 'LIKELY')`, [russia, citation.rows[0].id, id]);
    const shipment = await pool.query<{ id: string }>(
      `INSERT INTO shipments (supplier_id, recipient_id, category, delivery_start, delivery_end, delivery_precision, status, confidence)
       VALUES ($1, $2, 'FUEL', '2021-04-01', '2021-04-30', 'MONTH', 'REPORTED', 'REPORTED') RETURNING id`,
      [korea, russia],
    );
    await pool.query(`INSERT INTO shipment_events (shipment_id, event_id) VALUES ($1, $2)`, [shipment.rows[0].id, id]);
    expect(await whereIs('events', id)).toEqual(['events_y2021']);
    await pool.query(`UPDATE events SET span_start = '2022-01-05', span_end = '2022-01-06' WHERE id = $1`, [id]);
  });

  it("moves to the new year's partition, and its key follows", async () => {
    expect(await whereIs('events', id)).toEqual(['events_y2022']);
    expect(await count(`SELECT count(*) FROM event_keys WHERE id = $1 AND span_start = '2022-01-05'`, [id])).toBe(1);
  });

  it('keeps its participants (with the new span copied), citations, claims and shipment links', async () => {
    const spans = await pool.query<{ s: string; e: string }>(`SELECT span_start::text AS s, span_end::text AS e FROM event_participants WHERE event_id = $1`, [
      id,
    ]);
    expect(spans.rows).toEqual([
      { s: '2022-01-05', e: '2022-01-06' },
      { s: '2022-01-05', e: '2022-01-06' },
    ]);
    expect(await count(`SELECT count(*) FROM citations WHERE event_id = $1`, [id])).toBe(1);
    expect(await count(`SELECT count(*) FROM claims WHERE event_id = $1`, [id])).toBe(1);
    expect(await count(`SELECT count(*) FROM shipment_events WHERE event_id = $1`, [id])).toBe(1);
  });

  it('is one UPDATE to the history and the rollups, not a delete and an insert', async () => {
    const { rows } = await pool.query<{ op: string; s: string }>(
      `SELECT sys_operation AS op, span_start::text AS s FROM history.events WHERE id = $1 ORDER BY sys_version`,
      [id],
    );
    expect(rows).toEqual([
      { op: 'CREATE', s: '2021-03-10' },
      { op: 'UPDATE', s: '2022-01-05' },
    ]);
    // Participants' history holds no span: their copy is no new version.
    expect(await count(`SELECT count(*) FROM history.event_participants WHERE event_id = $1`, [id])).toBe(2);
    const rollup = await pool.query<{ month: string; overlapping: number; starting: number }>(
      `SELECT month::text, sum(overlapping)::int AS overlapping, sum(starting)::int AS starting FROM event_month_rollup
        WHERE month IN ('2021-03-01', '2022-01-01') GROUP BY month ORDER BY month`,
    );
    expect(rollup.rows).toEqual([
      { month: '2021-03-01', overlapping: 0, starting: 0 },
      { month: '2022-01-01', overlapping: 1, starting: 1 },
    ]);
  });

  it('takes what hangs on it along when deleted, through its key', async () => {
    await pool.query(`DELETE FROM events WHERE id = $1`, [id]);
    for (const table of ['event_keys', 'events']) expect(await count(`SELECT count(*) FROM ${table} WHERE id = $1`, [id])).toBe(0);
    for (const table of ['event_participants', 'citations', 'claims', 'shipment_events']) {
      expect({ table, n: await count(`SELECT count(*) FROM ${table} WHERE event_id = $1`, [id]) }).toEqual({ table, n: 0 });
    }
    const { rows } = await pool.query<{ op: string }>(`SELECT sys_operation AS op FROM history.events WHERE id = $1 ORDER BY sys_version`, [id]);
    expect(rows.map((r) => r.op)).toEqual(['CREATE', 'UPDATE', 'RETRACT']);
  });

  it('a shipment deleted takes its links along too', async () => {
    const { rows } = await pool.query<{ id: string }>(`SELECT id FROM shipments WHERE supplier_id <> $1 AND delivery_start = '2021-04-01'`, [russia]);
    const other = await event('2021-05-01');
    await pool.query(`INSERT INTO shipment_events (shipment_id, event_id) VALUES ($1, $2)`, [rows[0].id, other]);
    await pool.query(`DELETE FROM shipments WHERE id = $1`, [rows[0].id]);
    expect(await count(`SELECT count(*) FROM shipment_events WHERE shipment_id = $1`, [rows[0].id])).toBe(0);
    expect(await count(`SELECT count(*) FROM shipment_keys WHERE id = $1`, [rows[0].id])).toBe(0);
    expect(await count(`SELECT count(*) FROM events WHERE id = $1`, [other])).toBe(1);
  });
});

it("keeps an event's whole span in its key, which participations copy theirs from", async () => {
  await createPartitionsAhead(sql, 2023, 2023);
  const id = await event('2023-05-01', '2023-05-03');
  const first = await actor('Graustark');
  const later = await actor('Elbonia');
  await pool.query(`INSERT INTO event_participants (event_id, actor_id, role) VALUES ($1, $2, 'INITIATOR')`, [id, first]);
  // The end alone changes: no move to another partition, the key's end follows all the same.
  await pool.query(`UPDATE events SET span_end = '2023-05-20' WHERE id = $1`, [id]);
  const key = await pool.query<{ s: string; e: string }>(`SELECT span_start::text AS s, span_end::text AS e FROM event_keys WHERE id = $1`, [id]);
  expect(key.rows).toEqual([{ s: '2023-05-01', e: '2023-05-20' }]);
  // A participation written afterwards, with a span of its own given, still gets the event's.
  await pool.query(`INSERT INTO event_participants (event_id, actor_id, role, span_start, span_end) VALUES ($1, $2, 'TARGET', '1999-01-01', '1999-01-02')`, [
    id,
    later,
  ]);
  const spans = await pool.query<{ s: string; e: string }>(
    `SELECT span_start::text AS s, span_end::text AS e FROM event_participants WHERE event_id = $1 ORDER BY role`,
    [id],
  );
  expect(spans.rows).toEqual([
    { s: '2023-05-01', e: '2023-05-20' },
    { s: '2023-05-01', e: '2023-05-20' },
  ]);
});

describe('ids and external ids stay unique across partitions', () => {
  it('refuses a second row with the same id in another year', async () => {
    const id = await event('2021-07-01');
    await expect(event('2022-07-01', '2022-07-01', { id })).rejects.toThrow(/event_keys_pkey/);
    expect(await count(`SELECT count(*) FROM events WHERE id = $1`, [id])).toBe(1);
  });

  it('refuses a second (dataset, external_id) in another year, inserted or updated', async () => {
    await event('2021-08-01', '2021-08-01', { dataset: 'wire', externalId: 'x1' });
    await expect(event('2022-08-01', '2022-08-01', { dataset: 'wire', externalId: 'x1' })).rejects.toThrow(/event_keys_dataset_external_id_key/);
    const other = await event('2022-08-01', '2022-08-01', { dataset: 'wire', externalId: 'x2' });
    await expect(pool.query(`UPDATE events SET external_id = 'x1' WHERE id = $1`, [other])).rejects.toThrow(/event_keys_dataset_external_id_key/);
    expect(await count(`SELECT count(*) FROM events WHERE dataset = 'wire'`)).toBe(2);
  });

  it('refuses to change an id', async () => {
    const id = await event('2021-09-01');
    await expect(pool.query(`UPDATE events SET id = gen_random_uuid() WHERE id = $1`, [id])).rejects.toThrow(/id of a row of events cannot change/);
  });

  it('TRUNCATE empties the key tables with the tables', async () => {
    await pool.query('TRUNCATE events, shipments');
    for (const table of ['event_keys', 'shipment_keys', 'event_participants', 'shipment_events', 'citations', 'claims']) {
      expect({ table, n: await count(`SELECT count(*) FROM ${table}`) }).toEqual({ table, n: 0 });
    }
  });
});
