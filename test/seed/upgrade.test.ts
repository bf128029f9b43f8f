// A database the previous release seeded (before seed_records existed, with the older, less
// faithful seed) takes this seed's corrections at its next start: a record still as that seed
// wrote it (seed/previous-seed.json) is updated; one an analyst edited since is left alone.
import fs from 'node:fs';
import path from 'node:path';
import { shipmentId, sourceId } from '../../seed/ids';
import { seedDatabase } from '../../seed/load';
import { useTestDatabase } from '../support/database';

const handle = useTestDatabase(1);

beforeAll(async () => {
  await seedDatabase(handle.prisma);
}, 120_000);

const sql = async <T = any>(text: string, params: unknown[] = []): Promise<T[]> => (await handle.pool.query(text, params)).rows as T[];
const previous = new Map(
  (
    JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../seed/previous-seed.json'), 'utf8')).records as {
      kind: string;
      id: string;
      content: Record<string, any>;
    }[]
  ).map((r) => [`${r.kind}:${r.id}`, r.content]),
);

const FOOD = shipmentId('russia-dprk-food');
const MLRS = shipmentId('dprk-russia-mlrs-ammunition');
const ARTICLE = sourceId('seed-article');

it('updates what still holds the previous seed, keeps what an analyst edited, and books both', async () => {
  // The rows as the previous release's loader wrote them (and the uncertainty migration then read them).
  const source = previous.get(`source:${ARTICLE}`)!;
  await sql(
    `UPDATE sources SET published_at = $2, published_end = $2, published_precision = 'DAY', published_text = NULL, published_edtf = NULL, reliability = $3 WHERE id = $1`,
    [ARTICLE, source.publishedAt, source.reliability],
  );
  const food = previous.get(`shipment:${FOOD}`)!;
  await sql(
    `UPDATE shipments SET delivery_start = $2, delivery_end = $3, delivery_precision = $4, delivery_text = $5, delivery_edtf = NULL, delivery_open = false, description = $6 WHERE id = $1`,
    [FOOD, food.deliveryStart, food.deliveryEnd, food.deliveryPrecision, food.deliveryText, food.description],
  );
  const mlrs = previous.get(`shipment:${MLRS}`)!;
  await sql(
    `UPDATE shipments SET delivery_start = $2, delivery_end = $3, delivery_precision = $4, delivery_text = $5, delivery_edtf = NULL, delivery_open = false, description = 'Our own words.' WHERE id = $1`,
    [MLRS, mlrs.deliveryStart, mlrs.deliveryEnd, mlrs.deliveryPrecision, mlrs.deliveryText],
  );
  await sql('DELETE FROM seed_records');

  const report = await seedDatabase(handle.prisma);

  expect(await sql(`SELECT published_at::text AS a, published_end::text AS e, published_edtf, reliability FROM sources WHERE id = $1`, [ARTICLE])).toEqual([
    { a: '2023-10-13', e: '2023-10-31', published_edtf: null, reliability: 'F' },
  ]);
  expect(await sql(`SELECT delivery_start::text AS s, delivery_edtf, delivery_open FROM shipments WHERE id = $1`, [FOOD])).toEqual([
    { s: '2023-09-11', delivery_edtf: '2023-09-11/', delivery_open: true },
  ]);
  expect((await sql(`SELECT description FROM shipments WHERE id = $1`, [MLRS]))[0].description).toBe('Our own words.');
  expect(report.updated).toBe(2);
  expect(report.kept).toEqual([expect.objectContaining({ kind: 'shipment', id: MLRS, reason: 'edited' })]);
  // Every seed record is booked again, so the next start needs no previous seed.
  expect((await sql('SELECT count(*)::int AS n FROM seed_records'))[0].n).toBe(report.records);
  const again = await seedDatabase(handle.prisma);
  expect(again).toMatchObject({ inserted: 0, updated: 0, removed: 0 });
}, 120_000);
