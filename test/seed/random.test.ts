// Random sequences of the edits analysts make to seeded records — updates that move rows between
// yearly partitions, deletes with and without cascade, restores, purges, merges, accepted claims,
// citations of their own — each from a seeded PRNG (a failure replays), then a restart of the
// server on the same database. Start-up must succeed and change nothing; no live record may refer
// to a deleted one; every seed record that is gone or deleted is listed by the seed's report.
import { createPrisma } from '../../src/db/client';
import { createPartitionsAhead } from '../../src/db/partitions';
import { ConflictError, NotFoundError, ReferencedError, ValidationError } from '../../src/domain/errors';
import { prng } from '../../src/ingest/synth';
import { deleteActor, mergeActors, updateActor } from '../../src/services/actors';
import { deleteAffiliation } from '../../src/services/affiliations';
import { acceptClaim, deleteClaim, updateClaim } from '../../src/services/claims';
import { deleteEvent, updateEvent } from '../../src/services/events';
import * as purge from '../../src/services/purge';
import * as restore from '../../src/services/restore';
import { deleteShipment, updateShipment } from '../../src/services/shipments';
import { createCitation, deleteCitation, deleteSource, updateCitation } from '../../src/services/sources';
import { NO_KEY } from '../../src/services/audit';
import { loadConfig } from '../../src/config';
import { startServer } from '../../src/server';
import { articleSeed, seedDatabase, TABLES } from '../../seed/load';
import { seedRecords, type SeedKind } from '../../seed/records';
import { createTestDatabase } from '../support/database';
import { danglingReferences, SEEDED_TABLES, snapshotTables } from '../support/integrity';

const RECORDS = seedRecords(articleSeed);
const ids = (kind: SeedKind) => RECORDS.filter((r) => r.kind === kind).map((r) => r.id);

/** The refusals an edit may meet on a record in an unknown state; anything else fails the test. */
const expected = (err: unknown) =>
  err instanceof ValidationError || err instanceof NotFoundError || err instanceof ReferencedError || err instanceof ConflictError;

describe.each([27, 2026, 120707])('a random sequence of edits (PRNG seed %i), then a restart', (seed) => {
  it('starts, changes nothing, leaves no dangling reference, and lists every record gone or deleted', async () => {
    const database = await createTestDatabase();
    const handle = createPrisma(database.url, 1);
    try {
      await createPartitionsAhead({ query: async (text, params) => (await handle.pool.query(text, params)).rows }, 2019, 2025);
      await seedDatabase(handle.prisma);
      const db = handle;
      const random = prng(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
      /** A deleted seed record of `kind`, when there is one (restores and purges need one). */
      const deleted = async (kind: SeedKind): Promise<string> => {
        const { rows } = await handle.pool.query(`SELECT id::text FROM ${TABLES[kind]} WHERE id = ANY($1::uuid[]) AND deleted_at IS NOT NULL ORDER BY id`, [
          ids(kind),
        ]);
        return rows.length ? pick(rows).id : pick(ids(kind));
      };
      const month = () => `${2019 + Math.floor(random() * 7)}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}`;
      const ops: [string, () => Promise<unknown>][] = [
        ['move shipment', async () => updateShipment(db, pick(ids('shipment')), { deliverySpan: { edtf: month() } })],
        ['move event', async () => updateEvent(db, pick(ids('event')), { date: { edtf: month() } })],
        ['rename actor', async () => updateActor(db, pick(ids('actor')), { description: `edited ${random()}` })],
        ['edit citation', async () => updateCitation(db, pick(ids('citation')), { credibility: 1 + Math.floor(random() * 6) })],
        ['edit claim', async () => updateClaim(db, pick(ids('claim')), { likelihood: 'UNLIKELY' })],
        ['accept claim', async () => acceptClaim(db, pick(ids('claim')), undefined)],
        ['cite', async () => createCitation(db, { sourceId: pick(ids('source')), excerpt: "an analyst's excerpt", eventId: pick(ids('event')) })],
        ['delete actor', async () => deleteActor(db, pick(ids('actor')), NO_KEY, { cascade: random() < 0.7 })],
        ['delete event', async () => deleteEvent(db, pick(ids('event')), NO_KEY, { cascade: random() < 0.7 })],
        ['delete shipment', async () => deleteShipment(db, pick(ids('shipment')), NO_KEY, { cascade: random() < 0.7 })],
        ['delete affiliation', async () => deleteAffiliation(db, pick(ids('affiliation')), NO_KEY, { cascade: random() < 0.7 })],
        ['delete citation', async () => deleteCitation(db, pick(ids('citation')), NO_KEY, { cascade: random() < 0.7 })],
        ['delete claim', async () => deleteClaim(db, pick(ids('claim')))],
        ['delete source', async () => deleteSource(db, pick(ids('source')), NO_KEY, { cascade: random() < 0.3 })],
        ['merge actors', async () => mergeActors(db, pick(ids('actor')), pick(ids('actor')))],
        [
          'restore',
          async () => {
            const kind = pick(['actor', 'event', 'shipment', 'affiliation', 'citation', 'claim', 'source'] as const);
            const fn = {
              actor: restore.restoreActor,
              event: restore.restoreEvent,
              shipment: restore.restoreShipment,
              affiliation: restore.restoreAffiliation,
              citation: restore.restoreCitation,
              claim: restore.restoreClaim,
              source: restore.restoreSource,
            }[kind];
            return fn(db, await deleted(kind));
          },
        ],
        [
          'purge',
          async () => {
            const kind = pick(['actor', 'event', 'shipment', 'affiliation', 'citation'] as const);
            const fn = {
              actor: purge.purgeActor,
              event: purge.purgeEvent,
              shipment: purge.purgeShipment,
              affiliation: purge.purgeAffiliation,
              citation: purge.purgeCitation,
            }[kind];
            return fn(db, await deleted(kind));
          },
        ],
      ];
      const done: string[] = [];
      for (let i = 0; i < 50; i++) {
        const [name, op] = pick(ops);
        try {
          await op();
          done.push(name);
        } catch (err) {
          if (!expected(err)) throw new Error(`operation ${i} (${name}) failed unexpectedly: ${(err as Error).stack}`);
        }
      }
      expect(done.length).toBeGreaterThan(10);
      expect(await danglingReferences(handle.pool)).toEqual([]);

      // the restart: the server's own start-up, twice
      const before = await snapshotTables(handle.pool, [...SEEDED_TABLES, 'seed_records']);
      for (let run = 0; run < 2; run++) {
        const server = await startServer({
          ...loadConfig({ NODE_ENV: 'test' }),
          port: 0,
          host: '127.0.0.1',
          databaseUrl: database.url,
          poolSize: 1,
          logLevel: 'silent',
          seedOnStart: true,
        });
        await server.stop();
        expect(await snapshotTables(handle.pool, [...SEEDED_TABLES, 'seed_records'])).toEqual(before);
      }

      // what the report lists: every seed record without a row, and every deleted one
      const report = await seedDatabase(handle.prisma);
      const listed = new Map(report.kept.map((k) => [k.id, k.reason]));
      for (const kind of Object.keys(TABLES) as SeedKind[]) {
        const { rows } = await handle.pool.query(`SELECT id::text, deleted_at IS NOT NULL AS deleted FROM ${TABLES[kind]} WHERE id = ANY($1::uuid[])`, [
          ids(kind),
        ]);
        const state = new Map(rows.map((r) => [r.id, r.deleted]));
        for (const id of ids(kind)) {
          if (!state.has(id)) expect([kind, id, listed.get(id)]).toEqual([kind, id, 'purged']);
          else if (state.get(id)) expect([kind, id, listed.get(id)]).toEqual([kind, id, expect.stringMatching(/^(deleted|merged)$/)]);
        }
      }
      expect(report).toMatchObject({ inserted: 0, updated: 0, removed: 0, unchanged: report.records - report.kept.length });
    } finally {
      await handle.close();
      await database.drop();
    }
  }, 180_000);
});
