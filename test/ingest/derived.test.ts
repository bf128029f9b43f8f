// What the triggers guarantee still holds after a bulk import (issue #31): the importer writes
// per statement what triggers otherwise derive per row (the participations' span copies, with
// the row trigger skipped), so the history, the rollups and the participant spans it leaves are
// compared with those of a second database where the same records were written row by row, one
// statement per row, with every trigger doing its per-row work. Two imports: a first one into an
// empty database, then a corrected file (spans moved, participants changed, quantities edited).
import { Pool } from 'pg';
import { importWithPool } from '../../src/ingest/importer';
import { textInput } from '../../src/ingest/read';
import { synthRecords } from '../../src/ingest/synth';
import { createTestDatabase, type TestDatabase } from '../support/database';

type Row = Record<string, unknown>;

// The importer's tables in the order it writes them, each with the columns that identify a row.
const TABLES: [string, string[]][] = [
  ['actors', ['id']],
  ['actor_aliases', ['id']],
  ['sources', ['id']],
  ['events', ['id']],
  ['event_participants', ['event_id', 'actor_id', 'role']],
  ['affiliations', ['id']],
  ['shipments', ['id']],
  ['shipment_events', ['shipment_id', 'event_id']],
  ['citations', ['id']],
  ['claims', ['id']],
];
// Link tables are rewritten whole for a record that changed, as the importer does.
const PARENT: Record<string, [string, string]> = { event_participants: ['events', 'event_id'], shipment_events: ['shipments', 'shipment_id'] };
const ROLLUPS = ['shipment_month_rollup', 'shipment_pair_month_rollup', 'event_month_rollup'];
const HISTORY_TIMES = ['sys_version', 'sys_from', 'sys_to', 'sys_tx'];
// The row-by-row replay is a statement per row: on a machine shared by the whole suite it needs
// more than the default minute.
const REPLAY_TIMEOUT_MS = 180_000;

let bulk: TestDatabase;
let rows: TestDatabase;
let bulkPool: Pool;
let rowPool: Pool;

beforeAll(async () => {
  [bulk, rows] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  bulkPool = new Pool({ connectionString: bulk.url, max: 2 });
  rowPool = new Pool({ connectionString: rows.url, max: 1 });
}, REPLAY_TIMEOUT_MS);

afterAll(async () => {
  await Promise.all([bulkPool?.end(), rowPool?.end()]);
  await Promise.all([bulk?.drop(), rows?.drop()]);
});

const key = (row: Row, cols: string[]) => JSON.stringify(cols.map((c) => row[c]));

async function tableRows(pool: Pool, table: string): Promise<Row[]> {
  return (await pool.query<{ r: Row }>(`SELECT to_jsonb(t) AS r FROM ${table} t`)).rows.map((x) => x.r);
}

/**
 * Brings the row-by-row database to the bulk one's state with one statement per row, in the
 * importer's order: changed rows updated, new rows inserted (participations without their span,
 * which the row trigger copies), a changed record's links deleted and inserted again.
 */
async function replayRowByRow(): Promise<number> {
  let statements = 0;
  const changed = new Map<string, Set<string>>();
  for (const [table, cols] of TABLES) {
    const want = await tableRows(bulkPool, table);
    const have = new Map((await tableRows(rowPool, table)).map((r) => [key(r, cols), r]));
    const parent = PARENT[table];
    if (parent) {
      const rewritten = changed.get(parent[0])!;
      const wanted = new Set(want.map((r) => key(r, cols)));
      for (const [k, r] of have) {
        if (!wanted.has(k) || rewritten.has(JSON.stringify([r[parent[1]]]))) {
          await rowPool.query(`DELETE FROM ${table} WHERE (${cols.join(', ')}) = (SELECT ${cols.join(', ')} FROM jsonb_populate_record(NULL::${table}, $1))`, [
            r,
          ]);
          have.delete(k);
          statements += 1;
        }
      }
    }
    const mine = new Set<string>();
    changed.set(table, mine);
    for (const r of want) {
      const k = key(r, cols);
      const old = have.get(k);
      if (!old) {
        const row = table === 'event_participants' ? { ...r, span_start: null, span_end: null } : r;
        await rowPool.query(`INSERT INTO ${table} SELECT * FROM jsonb_populate_record(NULL::${table}, $1)`, [row]);
        statements += 1;
      } else if (JSON.stringify(old) !== JSON.stringify(r)) {
        const set = Object.keys(r).filter((c) => !cols.includes(c));
        await rowPool.query(
          `UPDATE ${table} SET (${set.join(', ')}) = (SELECT ${set.join(', ')} FROM jsonb_populate_record(NULL::${table}, $1))
            WHERE (${cols.join(', ')}) = (SELECT ${cols.join(', ')} FROM jsonb_populate_record(NULL::${table}, $1))`,
          [r],
        );
        mine.add(k);
        statements += 1;
      }
    }
  }
  return statements;
}

/** A table's rows as sorted JSON, numbers rounded (sums added in another order differ in the last bits). */
async function snapshot(pool: Pool, select: string): Promise<string[]> {
  const { rows: found } = await pool.query<{ r: Row }>(select);
  const round = (v: unknown) => (typeof v === 'number' ? Math.round(v * 1e6) / 1e6 : v);
  return found
    .map(({ r }) =>
      JSON.stringify(
        Object.fromEntries(
          Object.entries(r)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, v]) => [k, round(v)]),
        ),
      ),
    )
    .sort();
}

/** Every version of every tracked table, without the instants and version numbers (which differ between the two databases). */
async function history(pool: Pool): Promise<Record<string, string[]>> {
  const { rows: tracked } = await pool.query<{ table_name: string }>(`SELECT table_name FROM history.tracked ORDER BY 1`);
  const out: Record<string, string[]> = {};
  for (const { table_name: t } of tracked) {
    out[t] = await snapshot(
      pool,
      `SELECT to_jsonb(h) - ARRAY[${HISTORY_TIMES.map((c) => `'${c}'`).join(', ')}] || jsonb_build_object('current', h.sys_to = 'infinity') AS r FROM history.${t} h`,
    );
  }
  return out;
}

async function expectSameDerived(): Promise<void> {
  for (const table of ROLLUPS) {
    const [b, r] = await Promise.all([
      snapshot(bulkPool, `SELECT to_jsonb(t) AS r FROM ${table} t`),
      snapshot(rowPool, `SELECT to_jsonb(t) AS r FROM ${table} t`),
    ]);
    expect({ table, rows: b }).toEqual({ table, rows: r });
  }
  const spans = `SELECT jsonb_build_object('p', to_jsonb(p), 'event_start', e.span_start, 'event_end', e.span_end) AS r
                   FROM event_participants p JOIN events e ON e.id = p.event_id`;
  const [b, r] = await Promise.all([snapshot(bulkPool, spans), snapshot(rowPool, spans)]);
  expect(b).toEqual(r);
  expect(b.length).toBeGreaterThan(0);
  // Every participation carries its event's span.
  const { rows: wrong } = await bulkPool.query(
    `SELECT p.event_id FROM event_participants p JOIN events e ON e.id = p.event_id
      WHERE (p.span_start, p.span_end) IS DISTINCT FROM (e.span_start, e.span_end)`,
  );
  expect(wrong).toEqual([]);
  expect(await history(bulkPool)).toEqual(await history(rowPool));
}

const ndjson = (records: Row[]) => textInput('records.ndjson', records.map((r) => JSON.stringify(r)).join('\n') + '\n');

describe('a bulk import leaves what row-by-row writes leave', () => {
  const first = [...synthRecords({ events: 240, shipments: 80, actors: 30, seed: 31 })] as Row[];

  it(
    'into an empty database: history, rollups and participant spans',
    async () => {
      const report = await importWithPool(bulkPool, [ndjson(first)]);
      expect(report.errors).toEqual([]);
      expect(report.committed).toBe(true);
      expect(await replayRowByRow()).toBeGreaterThan(first.length);
      await expectSameDerived();
    },
    REPLAY_TIMEOUT_MS,
  );

  it(
    'with a corrected file: moved spans, changed participants and quantities',
    async () => {
      let moved = 0;
      const corrected = first.map((r, i) => {
        if (r.kind === 'event' && i % 3 === 0) {
          moved += 1;
          const participants = r.participants as Row[];
          return { ...r, date: '2019-02-03', participants: i % 2 === 0 && participants.length > 1 ? participants.slice(1) : participants };
        }
        if (r.kind === 'shipment' && i % 2 === 0) {
          const delivery = { start: '2018-11-01', end: '2019-04-30', precision: 'RANGE', text: 'over 6 months' };
          return { ...r, delivery, ...(typeof r.quantity === 'number' ? { quantity: r.quantity + 7 } : {}) };
        }
        return r;
      });
      expect(moved).toBeGreaterThan(40);
      const report = await importWithPool(bulkPool, [ndjson(corrected)]);
      expect(report.errors).toEqual([]);
      expect(report.counts.event.updated).toBe(moved);
      expect(report.counts.shipment.updated).toBeGreaterThan(15);
      expect(await replayRowByRow()).toBeGreaterThan(moved);
      await expectSameDerived();
    },
    REPLAY_TIMEOUT_MS,
  );
});
