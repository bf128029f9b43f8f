// Issue #27, items 1 and 2, as an operator meets them: a real server process (npm start's
// command) with SEED_ON_START=true on a fresh PostgreSQL database, ordinary edits of seeded
// records over HTTP, the process stopped by its pid with SIGTERM and started again. Start-up
// must succeed, leave every edited, deleted, purged or merged seed record as it was left, and
// list those records in one log line.
import { createApiKey } from '../../src/auth/store';
import { createPrisma, type DbHandle } from '../../src/db/client';
import { createPartitionsAhead } from '../../src/db/partitions';
import { actorId, affiliationId, citationId, eventId, shipmentId } from '../../seed/ids';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { SEEDED_TABLES, snapshotTables } from '../support/integrity';
import { request, spawnServer, type ServerOnDatabase as ServerProcess } from '../support/process';

const ARTILLERY = shipmentId('dprk-russia-artillery-ammunition');
const VOSTOCHNY = eventId('kim-putin-vostochny-meeting');
const SANCTIONS = eventId('us-sanctions-russian-citizens');
const SANCTIONS_CITATION = citationId('seed-article', 'event', 'us-sanctions-russian-citizens', 0);
const KIRBY_SPOKESPERSON = affiliationId('john-kirby-spokesperson-of-white-house');
const KIRBY_CITATION = citationId('seed-article', 'affiliation', 'john-kirby-spokesperson-of-white-house', 0);
const KRAIEV = actorId('oleksandr-kraiev');
const MUSIENKO = actorId('oleksandr-musienko');

let database: TestDatabase;
let handle: DbHandle;
let editor: string;
let admin: string;
let server: ServerProcess | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
  handle = createPrisma(database.url, 1);
  // yearly partitions, as `npm run db:partitions` makes them: the edits below move rows between them
  await createPartitionsAhead({ query: async (text, params) => (await handle.pool.query(text, params)).rows }, 2021, 2024);
  editor = (await createApiKey(handle, { role: 'EDITOR', label: 'restart editor' })).key;
  admin = (await createApiKey(handle, { role: 'ADMIN', label: 'restart admin' })).key;
  server = await spawnServer(database.url, env());
}, 180_000);

/** The server's environment: seeded at every start. */
const env = () => ({ SEED_ON_START: 'true' });

afterAll(async () => {
  await server?.stop();
  await handle?.close();
  await database?.drop();
}, 60_000);

/** Stops the running process by its pid (it must exit 0) and starts a new one on the same database. */
async function restart(): Promise<ServerProcess> {
  expect(await server!.stop()).toBe(0);
  server = undefined;
  server = await spawnServer(database.url, env());
  return server;
}

async function gql<T = any>(query: string, variables: Record<string, unknown> = {}, key = editor): Promise<T> {
  const res = await request<T>(server!.url, query, variables, key);
  expect(res.errors).toBeUndefined();
  return res.data as T;
}

/** The one 'seed data loaded' line of the current process. */
function seedLine(): Record<string, any> {
  const lines = server!.logLines().filter((l) => l.msg === 'seed data loaded');
  expect(lines).toHaveLength(1);
  return lines[0];
}

/** The seed line lists (at least) these records as kept as they are, each with its reason. */
function expectKept(...records: [kind: string, id: string, reason: string][]): void {
  expect(seedLine().keptAsTheyAre).toEqual(expect.arrayContaining(records.map(([kind, id, reason]) => expect.objectContaining({ kind, id, reason }))));
}

/** Per table: rows and a digest of every row (what a start-up could change). */
const snapshot = () => snapshotTables(handle.pool, SEEDED_TABLES);

describe('start-up after edits of seeded records', () => {
  it('survives a shipment and an event moved to another year (another partition), keeping the edits', async () => {
    const partitionOf = async (table: string, id: string) =>
      (await handle.pool.query(`SELECT tableoid::regclass::text AS p FROM ${table} WHERE id = $1`, [id])).rows[0].p;
    expect(await partitionOf('shipments', ARTILLERY)).toBe('shipments_y2022');
    expect(await partitionOf('events', VOSTOCHNY)).toBe('events_y2023');
    const moved = await gql(`mutation { updateShipment(id: "${ARTILLERY}", input: { deliverySpan: { edtf: "2023-08" } }) { id } }`);
    expect(moved.updateShipment.id).toBe(ARTILLERY);
    await gql(`mutation { updateEvent(id: "${VOSTOCHNY}", input: { date: { edtf: "2022-09-13" } }) { id } }`);

    expect(await partitionOf('shipments', ARTILLERY)).toBe('shipments_y2023');
    expect(await partitionOf('events', VOSTOCHNY)).toBe('events_y2022');

    await restart();

    const read = await gql(`{ shipment(id: "${ARTILLERY}") { deliverySpan { start end precision } } event(id: "${VOSTOCHNY}") { date { start end } } }`);
    expect(read.shipment.deliverySpan).toMatchObject({ start: '2023-08-01', end: '2023-08-31', precision: 'MONTH' });
    expect(read.event.date).toMatchObject({ start: '2022-09-13', end: '2022-09-13' });
    expectKept(['shipment', ARTILLERY, 'edited'], ['event', VOSTOCHNY, 'edited']);
  }, 240_000);

  it('does not bring back a purged affiliation and citation, nor a deleted one', async () => {
    await gql(`mutation { deleteCitation(id: "${KIRBY_CITATION}") { id } }`);
    await gql(`mutation { deleteAffiliation(id: "${KIRBY_SPOKESPERSON}") { id } }`);
    await gql(`mutation { purgeAffiliation(id: "${KIRBY_SPOKESPERSON}") { id } }`, {}, admin);
    await gql(`mutation { deleteCitation(id: "${SANCTIONS_CITATION}") { id } }`);
    const auditBefore = (await handle.pool.query('SELECT count(*)::int AS n FROM audit_log')).rows[0].n;

    await restart();

    const { rows } = await handle.pool.query(
      'SELECT id::text, deleted_at IS NOT NULL AS deleted FROM affiliations WHERE id = $1 UNION ALL SELECT id::text, deleted_at IS NOT NULL FROM citations WHERE id = ANY($2::uuid[])',
      [KIRBY_SPOKESPERSON, [KIRBY_CITATION, SANCTIONS_CITATION]],
    );
    expect(rows).toEqual([{ id: SANCTIONS_CITATION, deleted: true }]);
    expect((await gql(`{ affiliation: actor(id: "${actorId('john-kirby')}") { affiliations { id } } }`)).affiliation.affiliations).toEqual([]);
    // nothing written behind the audit log's back
    expect((await handle.pool.query('SELECT count(*)::int AS n FROM audit_log')).rows[0].n).toBe(auditBefore);
    expectKept(['affiliation', KIRBY_SPOKESPERSON, 'purged'], ['citation', KIRBY_CITATION, 'purged'], ['citation', SANCTIONS_CITATION, 'deleted']);
  }, 240_000);

  it('survives a merge of two seeded actors and a restore, and keeps both', async () => {
    await gql(`mutation { mergeActors(keepId: "${MUSIENKO}", mergeId: "${KRAIEV}") { id } }`);
    await gql(`mutation { deleteEvent(id: "${SANCTIONS}") { id } }`);
    await gql(`mutation { restoreEvent(id: "${SANCTIONS}") { id } }`);

    await restart();

    const read = await gql(`{ kraiev: actor(id: "${KRAIEV}") { id } musienko: actor(id: "${MUSIENKO}") { aliases }
      search: actors(search: "Kraiev") { edges { node { id } } } sanctions: event(id: "${SANCTIONS}") { id citations { id } } }`);
    expect(read.kraiev).toBeNull();
    expect(read.musienko.aliases).toEqual(expect.arrayContaining(['Oleksandr Kraiev', 'Oleksandr Musienko']));
    expect(read.search.edges).toEqual([{ node: { id: MUSIENKO } }]);
    // restored, and the citation deleted apart stays deleted
    expect(read.sanctions).toEqual({ id: SANCTIONS, citations: [] });
    expectKept(['actor', KRAIEV, 'merged'], ['actor', MUSIENKO, 'edited']);
  }, 240_000);

  it('a further start changes nothing and lists the same records in one line', async () => {
    const before = await snapshot();
    const listed = seedLine().keptAsTheyAre;
    await restart();
    expect(await snapshot()).toEqual(before);
    expect(seedLine().keptAsTheyAre).toEqual(listed);
    expect(seedLine().seed).toMatchObject({ inserted: 0, updated: 0, removed: 0 });
  }, 240_000);
});
