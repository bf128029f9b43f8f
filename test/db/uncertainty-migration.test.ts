// Migration 20261207300000_uncertainty on a database that already has data: bare quantities
// become EXACT and publication dates DAY spans, in the live tables and their histories, without
// making versions; the histories keep every new column; the CHECKs hold the quantity and span
// rules; writers that know only the old columns still write consistent rows.
import { useDataBeforeMigration } from '../support/database';

const MIGRATION = '20261207300000_uncertainty';
const A = '00000000-0000-0000-0000-0000000000a1';
const B = '00000000-0000-0000-0000-0000000000a2';
const S1 = '00000000-0000-0000-0000-0000000000b1';
const S2 = '00000000-0000-0000-0000-0000000000b2';
const SRC = '00000000-0000-0000-0000-0000000000c1';

const c = useDataBeforeMigration(
  MIGRATION,
  `
    INSERT INTO actors (id, name, kind) VALUES ('${A}', 'Supplierland', 'STATE'), ('${B}', 'Recipientland', 'STATE');
    INSERT INTO shipments (id, supplier_id, recipient_id, category, quantity, unit, delivery_start, delivery_end, delivery_precision, status, confidence) VALUES
      ('${S1}', '${A}', '${B}', 'MILITARY_EQUIPMENT', 1000, 'containers', '2023-09-07', '2023-10-01', 'RANGE', 'REPORTED', 'REPORTED'),
      ('${S2}', '${A}', '${B}', 'FOOD', NULL, NULL, '2023-09-11', '2023-12-31', 'RANGE', 'REPORTED', 'ASSESSED');
    UPDATE shipments SET quantity = 1200 WHERE id = '${S1}';
    INSERT INTO sources (id, publisher, title, published_at) VALUES ('${SRC}', 'Espreso', 'DPRK will continue', '2023-10-13');`,
);

it('a bare quantity becomes EXACT, an unknown one stays unknown, in the table and in every past version', async () => {
  const live = await c.query(`SELECT id, quantity, quantity_low, quantity_high, quantity_qualifier, delivery_edtf, delivery_open FROM shipments ORDER BY id`);
  expect(live.rows).toEqual([
    { id: S1, quantity: 1200, quantity_low: 1200, quantity_high: 1200, quantity_qualifier: 'EXACT', delivery_edtf: null, delivery_open: false },
    { id: S2, quantity: null, quantity_low: null, quantity_high: null, quantity_qualifier: null, delivery_edtf: null, delivery_open: false },
  ]);
  // The migration's own updates made no version: the three versions written before it, read as EXACT.
  const past = await c.query(
    `SELECT id, quantity, quantity_low, quantity_high, quantity_qualifier, delivery_open, sys_operation FROM history.shipments ORDER BY sys_version`,
  );
  expect(past.rows).toEqual([
    { id: S1, quantity: 1000, quantity_low: 1000, quantity_high: 1000, quantity_qualifier: 'EXACT', delivery_open: false, sys_operation: 'CREATE' },
    { id: S2, quantity: null, quantity_low: null, quantity_high: null, quantity_qualifier: null, delivery_open: false, sys_operation: 'CREATE' },
    { id: S1, quantity: 1200, quantity_low: 1200, quantity_high: 1200, quantity_qualifier: 'EXACT', delivery_open: false, sys_operation: 'UPDATE' },
  ]);
});

it('a publication date becomes a DAY span, live and in the history', async () => {
  const q = `SELECT published_at::text, published_end::text, published_precision, published_text, published_edtf FROM %s WHERE id = '${SRC}'`;
  const expected = { published_at: '2023-10-13', published_end: '2023-10-13', published_precision: 'DAY', published_text: null, published_edtf: null };
  expect((await c.query(q.replace('%s', 'sources'))).rows).toEqual([expected]);
  expect((await c.query(q.replace('%s', 'history.sources'))).rows).toEqual([expected]);
});

it("every tracked table's history keeps every column of the table", async () => {
  // Participations' span is a copy of their event's, kept out of the history on purpose (20261201150000).
  const { rows } = await c.query(`
    SELECT t.table_name, a.attname FROM history.tracked t
      JOIN pg_attribute a ON a.attrelid = format('public.%I', t.table_name)::regclass AND a.attnum > 0 AND NOT a.attisdropped
     WHERE NOT (t.table_name = 'event_participants' AND a.attname IN ('span_start', 'span_end'))
       AND NOT EXISTS (SELECT 1 FROM pg_attribute b WHERE b.attrelid = format('history.%I', t.table_name)::regclass
                                                     AND b.attname = a.attname AND NOT b.attisdropped)`);
  expect(rows).toEqual([]);
});

describe('writers that know only the old columns', () => {
  const newShipment = async (quantity: number | null) => {
    const { rows } = await c.query(
      `INSERT INTO shipments (supplier_id, recipient_id, category, quantity, unit, delivery_start, delivery_end, delivery_precision, status, confidence)
       VALUES ($1, $2, 'OTHER', $3, 'rounds', '2024-01-01', '2024-01-01', 'DAY', 'REPORTED', 'REPORTED') RETURNING id`,
      [A, B, quantity],
    );
    return rows[0].id as string;
  };
  const quantityOf = async (id: string) =>
    (await c.query(`SELECT quantity, quantity_low AS low, quantity_high AS high, quantity_qualifier AS q FROM shipments WHERE id = $1`, [id])).rows[0];

  it('a bare quantity inserted or changed is EXACT; removed, it is unknown', async () => {
    const id = await newShipment(7);
    expect(await quantityOf(id)).toEqual({ quantity: 7, low: 7, high: 7, q: 'EXACT' });
    await c.query(`UPDATE shipments SET quantity = 9 WHERE id = $1`, [id]);
    expect(await quantityOf(id)).toEqual({ quantity: 9, low: 9, high: 9, q: 'EXACT' });
    await c.query(`UPDATE shipments SET quantity = NULL WHERE id = $1`, [id]);
    expect(await quantityOf(id)).toEqual({ quantity: null, low: null, high: null, q: null });
    await c.query(`UPDATE shipments SET quantity = 3 WHERE id = $1`, [id]);
    expect(await quantityOf(id)).toEqual({ quantity: 3, low: 3, high: 3, q: 'EXACT' });
  });

  it('a writer that gives the whole quantity is left alone', async () => {
    const id = await newShipment(null);
    await c.query(`UPDATE shipments SET quantity = 500, quantity_qualifier = 'APPROXIMATE' WHERE id = $1`, [id]);
    expect(await quantityOf(id)).toEqual({ quantity: 500, low: null, high: null, q: 'APPROXIMATE' });
    // Only the number of an APPROXIMATE quantity: still approximate.
    await c.query(`UPDATE shipments SET quantity = 600 WHERE id = $1`, [id]);
    expect(await quantityOf(id)).toEqual({ quantity: 600, low: null, high: null, q: 'APPROXIMATE' });
  });

  it('a bare publication date is a DAY span', async () => {
    const { rows } = await c.query(`INSERT INTO sources (publisher, title, published_at) VALUES ('P', 'T', '2023-10-07') RETURNING id`);
    await c.query(`UPDATE sources SET published_at = '2023-10-08' WHERE id = $1`, [rows[0].id]);
    const read = await c.query(`SELECT published_at::text, published_end::text, published_precision FROM sources WHERE id = $1`, [rows[0].id]);
    expect(read.rows).toEqual([{ published_at: '2023-10-08', published_end: '2023-10-08', published_precision: 'DAY' }]);
  });
});

describe('the CHECKs', () => {
  const refused = async (sql: string, params: unknown[] = []) => {
    await c.query('SAVEPOINT s');
    try {
      await c.query(sql, params);
      throw new Error(`accepted: ${sql}`);
    } catch (err) {
      await c.query('ROLLBACK TO SAVEPOINT s');
      return (err as { constraint?: string }).constraint;
    }
  };
  beforeAll(() => c.query('BEGIN'));
  afterAll(() => c.query('ROLLBACK'));
  const set = (assignments: string) => `UPDATE shipments SET ${assignments} WHERE id = '${S1}'`;

  it.each([
    ['NaN', `quantity = 'NaN', quantity_low = 'NaN', quantity_high = 'NaN'`, 'shipments_quantity_bounds_check'],
    ['Infinity', `quantity = 'Infinity', quantity_low = 'Infinity', quantity_high = 'Infinity'`, 'shipments_quantity_bounds_check'],
    ['a negative bound', `quantity = NULL, quantity_low = -1, quantity_high = 5, quantity_qualifier = 'APPROXIMATE'`, 'shipments_quantity_bounds_check'],
    ['low above best', `quantity = 5, quantity_low = 6, quantity_high = NULL, quantity_qualifier = 'APPROXIMATE'`, 'shipments_quantity_bounds_check'],
    ['an EXACT range', `quantity = 5, quantity_low = 4, quantity_high = 6, quantity_qualifier = 'EXACT'`, 'shipments_quantity_qualifier_check'],
    [
      'AT_LEAST without its bound',
      `quantity = 5, quantity_low = NULL, quantity_high = NULL, quantity_qualifier = 'AT_LEAST'`,
      'shipments_quantity_qualifier_check',
    ],
    [
      'AT_MOST with a low of 0 and no high',
      `quantity = 5, quantity_low = 0, quantity_high = NULL, quantity_qualifier = 'AT_MOST'`,
      'shipments_quantity_qualifier_check',
    ],
    [
      'an APPROXIMATE lone bound',
      `quantity = NULL, quantity_low = 3, quantity_high = NULL, quantity_qualifier = 'APPROXIMATE'`,
      'shipments_quantity_qualifier_check',
    ],
    [
      'a qualifier without a value',
      `quantity = NULL, quantity_low = NULL, quantity_high = NULL, quantity_qualifier = 'ESTIMATE'`,
      'shipments_quantity_qualifier_check',
    ],
    ['bounds without a unit', `quantity = NULL, quantity_low = 3, quantity_high = 5, quantity_qualifier = 'APPROXIMATE', unit = NULL`, 'shipments_unit_check'],
    ['an open end not flagged', `delivery_edtf = '2023-09-07/..', delivery_open = false`, 'shipments_delivery_edtf_check'],
    ['a closed span flagged open', `delivery_edtf = '2023-09-07~/2023-10-01', delivery_open = true`, 'shipments_delivery_edtf_check'],
  ])('refuses %s', async (_name, assignments, constraint) => {
    expect(await refused(set(assignments))).toBe(constraint);
  });

  it('accepts the quantity shapes and open spans', async () => {
    for (const assignments of [
      `quantity = NULL, quantity_low = 300, quantity_high = 500, quantity_qualifier = 'APPROXIMATE'`,
      `quantity = 1000, quantity_low = 1000, quantity_high = NULL, quantity_qualifier = 'AT_LEAST'`,
      `quantity = 50, quantity_low = NULL, quantity_high = 50, quantity_qualifier = 'AT_MOST'`,
      `quantity = 50, quantity_low = NULL, quantity_high = NULL, quantity_qualifier = 'ESTIMATE'`,
      `delivery_edtf = '2023-09-07/', delivery_open = true`,
      `delivery_edtf = '../2023-09-07', delivery_open = true`,
    ]) {
      await c.query(set(assignments));
    }
  });

  it('refuses a partial publication span and an EDTF on an undated affiliation', async () => {
    expect(await refused(`UPDATE sources SET published_end = '2023-10-01' WHERE id = '${SRC}'`)).toBe('sources_published_check');
    expect(await refused(`INSERT INTO affiliations (actor_id, target_id, role, span_edtf) VALUES ($1, $2, 'MEMBER_OF', '2023~')`, [A, B])).toBe(
      'affiliations_span_edtf_check',
    );
  });
});
