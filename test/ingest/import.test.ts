// Bulk import against a real database (TEST_DATABASE_URL's PostgreSQL or the suite's embedded one):
// idempotence, corrections, every error kind with its line, all-or-nothing, --partial, gzip,
// JSON arrays, CSV per kind, ACLED and SIPRI samples, overlapping concurrent imports, the
// GraphQL-facing Prisma path, and the export → import round trip.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Pool, PoolClient } from 'pg';
import { createPrisma } from '../../src/db/client';
import { clientSql, type Sql } from '../../src/db/sql';
import { exportRecords } from '../../src/ingest/export';
import { importWithPool, importWithPrisma, type ImportOptions, type ImportReport } from '../../src/ingest/importer';
import { fileInput, textInput } from '../../src/ingest/read';
import { seedDatabase } from '../../seed/load';
import { synthRecords } from '../../src/ingest/synth';
import { createTestDatabase, useTestDatabase } from '../support/database';
import { rowCounts } from '../support/integrity';
import { claims as seedClaims } from '../../seed/article';

const FIXTURES = path.resolve(__dirname, '../fixtures/ingest');
const fixture = (name: string) => path.join(FIXTURES, name);

const handle = useTestDatabase(4);

const TABLES = ['actors', 'actor_aliases', 'sources', 'events', 'event_participants', 'affiliations', 'shipments', 'shipment_events', 'citations', 'claims'];

const counts = (pool: Pool = handle.pool) => rowCounts(pool, TABLES);

async function clear(pool: Pool = handle.pool): Promise<void> {
  await pool.query(`TRUNCATE ${TABLES.join(', ')}, audit_log CASCADE`);
}

const run = (files: string[], opts: ImportOptions = {}, pool: Pool = handle.pool) => importWithPool(pool, files.map(fileInput), opts);

function tally(report: ImportReport) {
  return Object.fromEntries(Object.entries(report.counts).map(([k, c]) => [k, [c.created, c.updated, c.unchanged]]));
}

/** The records of small.ndjson, by kind. */
const SMALL = { actor: 3, source: 1, event: 2, affiliation: 1, shipment: 2, citation: 2, claim: 0 };

/** A tally in which each kind's `records` are all created, or all unchanged. */
const all = (records: Record<string, number>, as: 'created' | 'unchanged') =>
  Object.fromEntries(Object.entries(records).map(([k, n]) => [k, as === 'created' ? [n, 0, 0] : [0, 0, n]]));

describe('NDJSON import', () => {
  beforeAll(() => clear());

  it('creates every kind, resolving references by external id and by name or alias, accent-insensitively', async () => {
    const report = await run([fixture('small.ndjson')]);
    expect(report.errors).toEqual([]);
    expect(report.committed).toBe(true);
    expect(tally(report)).toEqual(all(SMALL, 'created'));
    // "sergei shoigu" is an alias of "Sergueï Choïgou"; the participant resolves to that actor.
    const { rows } = await handle.pool.query(
      `SELECT a.name, p.role FROM event_participants p JOIN actors a ON a.id = p.actor_id JOIN events e ON e.id = p.event_id
        WHERE e.external_id = 'visit' ORDER BY p.role`,
    );
    expect(rows).toEqual([
      { name: 'Sergueï Choïgou', role: 'INITIATOR' },
      { name: 'North Korea', role: 'TARGET' },
    ]);
    const [shipment] = (
      await handle.pool.query(
        `SELECT s.quantity, s.unit, s.delivery_start::text, s.delivery_end::text, s.delivery_precision, sup.name AS supplier, rec.name AS recipient,
                (SELECT count(*)::int FROM shipment_events se WHERE se.shipment_id = s.id) AS events
           FROM shipments s JOIN actors sup ON sup.id = s.supplier_id JOIN actors rec ON rec.id = s.recipient_id WHERE s.external_id = 'containers'`,
      )
    ).rows;
    expect(shipment).toEqual({
      quantity: 1000,
      unit: 'containers',
      delivery_start: '2023-09-07',
      delivery_end: '2023-10-01',
      delivery_precision: 'RANGE',
      supplier: 'North Korea',
      recipient: 'Russia',
      events: 1,
    });
    const quarter = (await handle.pool.query(`SELECT delivery_start::text, delivery_end::text, delivery_precision FROM shipments WHERE external_id = 'shells'`))
      .rows[0];
    expect(quarter).toEqual({ delivery_start: '2023-10-01', delivery_end: '2023-12-31', delivery_precision: 'QUARTER' });
  });

  it('re-importing the same file changes nothing', async () => {
    const before = await handle.pool.query(`SELECT id, updated_at FROM events UNION ALL SELECT id, updated_at FROM shipments ORDER BY id`);
    const rowsBefore = await counts();
    const report = await run([fixture('small.ndjson')]);
    expect(tally(report)).toEqual(all(SMALL, 'unchanged'));
    expect(await counts()).toEqual(rowsBefore);
    const after = await handle.pool.query(`SELECT id, updated_at FROM events UNION ALL SELECT id, updated_at FROM shipments ORDER BY id`);
    expect(after.rows).toEqual(before.rows);
  });

  it('a corrected file updates what changed (fields, aliases, participants) and creates what is new', async () => {
    const report = await run([fixture('corrected.ndjson')]);
    expect(report.errors).toEqual([]);
    // prk: one more alias; deliveries: one more participant; containers: quantity and status; c3 new.
    expect(tally(report)).toEqual({
      actor: [0, 1, 2],
      source: [0, 0, 1],
      event: [0, 1, 1],
      affiliation: [0, 0, 1],
      shipment: [0, 1, 1],
      citation: [1, 0, 2],
      claim: [0, 0, 0],
    });
    const { rows } = await handle.pool.query(`SELECT quantity, status FROM shipments WHERE external_id = 'containers'`);
    expect(rows).toEqual([{ quantity: 1200, status: 'CONFIRMED' }]);
    const aliases = await handle.pool.query(
      `SELECT array_agg(alias ORDER BY alias COLLATE "C") AS a FROM actor_aliases aa JOIN actors a ON a.id = aa.actor_id WHERE a.external_id = 'prk'`,
    );
    expect(aliases.rows[0].a).toEqual(['DPRK', "Democratic People's Republic of Korea", 'North Korea']);
    const participants = await handle.pool.query(
      `SELECT count(*)::int AS n FROM event_participants p JOIN events e ON e.id = p.event_id WHERE e.external_id = 'deliveries'`,
    );
    expect(participants.rows[0].n).toBe(3);
    // And again: nothing left to do.
    const again = await run([fixture('corrected.ndjson')]);
    expect(Object.values(again.counts).every((c) => c.created === 0 && c.updated === 0)).toBe(true);
  });

  it('a soft-deleted record named again by the file comes back', async () => {
    await handle.pool.query(`UPDATE events SET deleted_at = now() WHERE external_id = 'visit'`);
    const report = await run([fixture('corrected.ndjson')]);
    expect(report.counts.event).toEqual({ created: 0, updated: 1, unchanged: 1 });
    const { rows } = await handle.pool.query(`SELECT deleted_at FROM events WHERE external_id = 'visit'`);
    expect(rows[0].deleted_at).toBeNull();
  });
});

describe('planner statistics', () => {
  beforeAll(() => clear());

  // The statements the import sends: each pool client's query texts, recorded while `statements` is set.
  let statements: string[] | null = null;
  const observed = new WeakSet<PoolClient>();
  beforeAll(() => {
    handle.pool.on('acquire', (client) => {
      if (observed.has(client)) return;
      observed.add(client);
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as { query: unknown }).query = (...args: unknown[]) => {
        if (typeof args[0] === 'string') statements?.push(args[0]);
        return query(...args);
      };
    });
  });

  const analysed = async (text: string, opts: ImportOptions = {}) => {
    statements = [];
    const report = await importWithPool(handle.pool, [textInput('records.ndjson', text)], opts);
    const sent = statements;
    statements = null;
    expect(report.errors).toEqual([]);
    const analyze = sent.filter((sql) => /^ANALYZE /.test(sql) && !/ingest_/.test(sql));
    return analyze.flatMap((sql) => sql.replace(/^ANALYZE /, '').split(', '));
  };
  const events = (from: number, n: number) =>
    Array.from({ length: n }, (_, i) =>
      JSON.stringify({
        kind: 'event',
        dataset: 'stats',
        externalId: `e${from + i}`,
        type: 'MEETING',
        title: `Meeting ${from + i}`,
        date: '2021-03',
        confidence: 'REPORTED',
      }),
    ).join('\n');

  it('are refreshed, in the import, on the tables it wrote a tenth or more of (partitioned parents too)', async () => {
    expect(await analysed(events(0, 30))).toEqual(['events', 'event_keys', 'event_participants']);
    const { rows } = await handle.pool.query<{ n: number }>(`SELECT reltuples::float8 AS n FROM pg_class WHERE relname = 'events'`);
    expect(rows[0].n).toBe(30);
  });

  it('are left to autovacuum after a small import into a larger table, and after a dry run', async () => {
    expect(await analysed(events(30, 2))).toEqual([]);
    expect(await analysed(events(32, 20), { dryRun: true })).toEqual([]);
    expect(await analysed(events(32, 20))).toEqual(['events', 'event_keys', 'event_participants']);
  });
});

describe('bad records', () => {
  beforeAll(() => clear());

  it('lists every bad record with file, line, field and reason, and writes nothing', async () => {
    const before = await counts();
    const report = await run([fixture('bad.ndjson')]);
    expect(report.committed).toBe(false);
    expect(await counts()).toEqual(before);
    const file = fixture('bad.ndjson');
    const got = report.errors.map((e) => [e.line, e.field, e.reason]);
    expect(report.errors.every((e) => e.file === file)).toBe(true);
    expect(got).toEqual(
      expect.arrayContaining([
        [3, 'date', expect.stringMatching(/2023-02-30 is not a calendar date|not a valid/)],
        [4, 'participants[0].actor', expect.stringMatching(/^unknown actor "Rusia" \(near matches: "Russia"/)],
        [5, 'unit', expect.stringMatching(/a quantity needs a unit/)],
        [6, 'externalId', 'duplicate externalId "prk" in dataset "demo" (first at line 1)'],
        [7, '(record)', expect.stringMatching(/^not valid JSON/)],
        [8, 'type', expect.stringMatching(/"PARTY" is not one of/)],
        [8, 'title', 'is required'],
        [8, 'date.end', 'end (2023-09-07) is before start (2023-10-01)'],
        [9, 'source', expect.stringMatching(/^unknown source "nowhere" in dataset "demo"/)],
      ]),
    );
    // Sorted by line; the good records (lines 1, 2) are not reported.
    expect(report.errors.map((e) => e.line)).toEqual([...report.errors.map((e) => e.line)].sort((a, b) => a - b));
    expect(report.rejected[0].lines).toEqual([3, 4, 5, 6, 7, 8, 9]);
  });

  it('--partial writes the good records and reports the rejects (including what pointed at a reject)', async () => {
    const report = await run([fixture('bad.ndjson')], { partial: true });
    expect(report.committed).toBe(true);
    expect(report.counts.actor).toEqual({ created: 2, updated: 0, unchanged: 0 });
    expect(report.counts.event.created).toBe(0);
    expect(report.counts.citation.created).toBe(0);
    const { rows } = await handle.pool.query(`SELECT name FROM actors ORDER BY name COLLATE "C"`);
    expect(rows.map((r) => r.name)).toEqual(['North Korea', 'Russia']);
    expect(report.rejected[0].lines).toEqual([3, 4, 5, 6, 7, 8, 9]);
  });

  it('--create-missing-actors creates unknown names instead of failing', async () => {
    await clear();
    const data = [
      '{"kind":"actor","externalId":"ru","name":"Russia","actorKind":"STATE"}',
      '{"kind":"shipment","externalId":"x","supplier":{"name":"Belarus","actorKind":"STATE"},"recipient":"russia","category":"FUEL","delivery":"2023","status":"REPORTED","confidence":"ALLEGED"}',
      '{"kind":"event","externalId":"y","type":"MEETING","title":"Talks","date":"2023-05","confidence":"REPORTED","participants":[{"actor":"Wagner Group"},{"actor":"wagner group","role":"SUBJECT"}]}',
    ].join('\n');
    const failing = await importWithPool(handle.pool, [textInput('inline.ndjson', data)]);
    expect(failing.errors.map((e) => [e.line, e.field])).toEqual([
      [2, 'supplier'],
      [3, 'participants[0].actor'],
      [3, 'participants[1].actor'],
    ]);
    const report = await importWithPool(handle.pool, [textInput('inline.ndjson', data)], { createMissingActors: true });
    expect(report.errors).toEqual([]);
    expect(report.createdActors).toBe(2);
    const { rows } = await handle.pool.query(`SELECT name, kind FROM actors ORDER BY name COLLATE "C"`);
    expect(rows).toEqual([
      { name: 'Belarus', kind: 'STATE' },
      { name: 'Russia', kind: 'STATE' },
      { name: 'Wagner Group', kind: 'ORGANIZATION' },
    ]);
  });

  it('an alias another imported actor has is an error naming that actor', async () => {
    const report = await importWithPool(handle.pool, [
      textInput(
        'alias.ndjson',
        '{"kind":"actor","dataset":"other","externalId":"rf","name":"Russian Federation Government","actorKind":"STATE","aliases":["RUSSIA"]}',
      ),
    ]);
    expect(report.errors).toEqual([
      { file: 'alias.ndjson', line: 1, record: 1, kind: 'actor', field: 'aliases[0]', reason: 'alias "RUSSIA" already belongs to actor "Russia"' },
    ]);
  });

  it('an actor entered without external id (API, seed, created from a name) is adopted by name or alias, its aliases kept (respelt as the file writes them)', async () => {
    const report = await importWithPool(handle.pool, [
      textInput('adopt.ndjson', '{"kind":"actor","dataset":"other","externalId":"by","name":"Republic of Belarus","actorKind":"STATE","aliases":["BELARUS"]}'),
    ]);
    expect(report.errors).toEqual([]);
    expect(report.counts.actor).toEqual({ created: 0, updated: 1, unchanged: 0 });
    const { rows } = await handle.pool.query(
      `SELECT a.name, a.external_id, array_agg(aa.alias ORDER BY aa.alias COLLATE "C") AS aliases
         FROM actors a JOIN actor_aliases aa ON aa.actor_id = a.id WHERE a.dataset = 'other' GROUP BY a.id`,
    );
    expect(rows).toEqual([{ name: 'Republic of Belarus', external_id: 'by', aliases: ['BELARUS', 'Republic of Belarus'] }]); // the file's spelling wins
  });
});

describe('formats', () => {
  beforeEach(() => clear());

  it('gzip-compressed NDJSON (recognised by its magic bytes, whatever its name)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-'));
    const gz = path.join(dir, 'small.data');
    fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(fixture('small.ndjson'))));
    const report = await run([gz]);
    expect(report.errors).toEqual([]);
    expect(report.records).toBe(11);
    expect(report.counts.event.created).toBe(2);
    fs.rmSync(dir, { recursive: true });
  });

  it('a JSON array', async () => {
    const lines = fs.readFileSync(fixture('small.ndjson'), 'utf8').trim().split('\n');
    const report = await importWithPool(handle.pool, [textInput('small.json', `[\n${lines.join(',\n')}\n]`)]);
    expect(report.errors).toEqual([]);
    expect(report.counts.citation.created).toBe(2);
  });

  it('text with tabs, newlines, backslashes, quotes and braces arrives exactly (COPY text format)', async () => {
    const name = 'Tab\there "quoted" \\back\\slash {braced, listed}';
    const alias = 'line\nbreak\r\n, "q" \\N {x}';
    const description = '\\N';
    const data = [
      JSON.stringify({ kind: 'actor', dataset: 'esc', externalId: 'odd', name, actorKind: 'COMPANY', aliases: [alias], description }),
      JSON.stringify({ kind: 'source', dataset: 'esc', externalId: 'src', publisher: 'P\tQ', title: 'back\\slash\nsecond line', publishedAt: '2024-01-02' }),
    ].join('\n');
    const report = await importWithPool(handle.pool, [textInput('esc.ndjson', data)]);
    expect(report.errors).toEqual([]);
    const actor = await handle.pool.query(
      `SELECT a.name, a.description, array_agg(aa.alias ORDER BY aa.alias COLLATE "C") AS aliases
         FROM actors a JOIN actor_aliases aa ON aa.actor_id = a.id WHERE a.dataset = 'esc' GROUP BY a.id`,
    );
    expect(actor.rows).toEqual([{ name, description, aliases: [name, alias].sort((x, y) => (x < y ? -1 : 1)) }]);
    const source = await handle.pool.query(`SELECT publisher, title FROM sources WHERE dataset = 'esc'`);
    expect(source.rows).toEqual([{ publisher: 'P\tQ', title: 'back\\slash\nsecond line' }]);
    const again = await importWithPool(handle.pool, [textInput('esc.ndjson', data)]);
    expect(again.counts.actor).toEqual({ created: 0, updated: 0, unchanged: 1 });
    // Which path staged them: COPY.
    const client = await handle.pool.connect();
    try {
      expect(typeof (await clientSql(client)).copyText).toBe('function');
    } finally {
      client.release();
    }
  });

  it('CSV per kind (the kind from the file name), with a quarter span and an unknown quantity', async () => {
    await run([fixture('small.ndjson')]);
    const report = await run([fixture('actors.csv'), fixture('shipments.csv')]);
    expect(report.errors).toEqual([]);
    expect(report.counts.actor.created).toBe(2);
    expect(report.counts.shipment.created).toBe(2);
    const { rows } = await handle.pool.query(
      `SELECT external_id, quantity, unit, delivery_start::text, delivery_end::text, delivery_precision, route FROM shipments WHERE dataset = 'csvdemo' ORDER BY external_id`,
    );
    expect(rows).toEqual([
      {
        external_id: 'drones',
        quantity: 400,
        unit: 'drones',
        delivery_start: '2022-08-01',
        delivery_end: '2023-03-31',
        delivery_precision: 'RANGE',
        route: 'Caspian Sea',
      },
      {
        external_id: 'unknown-qty',
        quantity: null,
        unit: null,
        delivery_start: '2023-01-01',
        delivery_end: '2023-03-31',
        delivery_precision: 'QUARTER',
        route: null,
      },
    ]);
    const aliases = await handle.pool.query(
      `SELECT alias FROM actor_aliases aa JOIN actors a ON a.id = aa.actor_id WHERE a.external_id = 'ua' ORDER BY alias COLLATE "C"`,
    );
    expect(aliases.rows.map((r) => r.alias)).toEqual(['Ukraina', 'Ukraine', 'Україна']);
  });

  it('an ACLED export: events with their actors, sources and citations', async () => {
    const report = await run([fixture('acled-sample.csv')], { createMissingActors: true });
    expect(report.errors).toEqual([]);
    expect(report.counts.event.created).toBe(3);
    expect(report.counts.source.created).toBe(3);
    expect(report.counts.citation.created).toBe(4);
    const { rows } = await handle.pool.query(
      `SELECT e.external_id, e.type, e.span_start::text, e.span_end::text, e.span_precision, e.latitude,
              array_agg(a.name || ':' || p.role ORDER BY p.role, a.name COLLATE "C") AS parties
         FROM events e JOIN event_participants p ON p.event_id = e.id JOIN actors a ON a.id = p.actor_id
        WHERE e.dataset = 'acled' GROUP BY e.id, e.span_start ORDER BY e.external_id COLLATE "C"`,
    );
    expect(rows).toEqual([
      {
        external_id: 'UKR100001',
        type: 'OBSERVATION',
        span_start: '2023-09-13',
        span_end: '2023-09-13',
        span_precision: 'DAY',
        latitude: 49.7106,
        parties: ['Military Forces of Russia (2000-):INITIATOR', 'Military Forces of Ukraine (2019-):TARGET'],
      },
      // A government is its state; an associated actor ASSOCIATED (ACLED's own role).
      {
        external_id: 'UKR100002',
        type: 'AGREEMENT',
        span_start: '2023-09-09',
        span_end: '2023-09-15',
        span_precision: 'RANGE',
        latitude: 51.8844,
        parties: ['Russia:INITIATOR', 'North Korea:TARGET', 'Military Forces of Russia (2000-):ASSOCIATED'],
      },
      {
        external_id: 'UKR100003',
        type: 'OBSERVATION',
        span_start: '2023-09-01',
        span_end: '2023-09-30',
        span_precision: 'MONTH',
        latitude: 48.5956,
        parties: ['Military Forces of Ukraine (2019-):INITIATOR', 'Militäreinheit Wagner:TARGET'],
      },
    ]);
    // Importing it again: the same actors, nothing new.
    const again = await run([fixture('acled-sample.csv')], { createMissingActors: true });
    expect(again.createdActors).toBe(0);
    expect(again.counts.event).toEqual({ created: 0, updated: 0, unchanged: 3 });
  });

  it('a SIPRI trade register: shipments over their delivery years, planned when not delivered', async () => {
    const report = await run([fixture('sipri-sample.csv')], { createMissingActors: true, missingActorKind: 'STATE' });
    expect(report.errors).toEqual([]);
    expect(report.counts.shipment.created).toBe(4);
    const { rows } = await handle.pool.query(
      `SELECT sup.name AS supplier, s.quantity, s.unit, s.category, s.status, s.delivery_start::text AS start, s.delivery_end::text AS end, s.delivery_precision AS precision
         FROM shipments s JOIN actors sup ON sup.id = s.supplier_id ORDER BY s.external_id COLLATE "C"`,
    );
    expect(rows).toEqual([
      {
        supplier: 'Germany',
        quantity: 3,
        unit: 'IRIS-T SLM',
        category: 'AIR_DEFENCE_SYSTEMS',
        status: 'CONFIRMED',
        start: '2023-01-01',
        end: '2023-12-31',
        precision: 'YEAR',
      },
      {
        supplier: 'Iran',
        quantity: 1000,
        unit: 'Shahed-136',
        category: 'LOITERING_MUNITIONS',
        status: 'CONFIRMED',
        start: '2022-01-01',
        end: '2023-12-31',
        precision: 'RANGE',
      },
      {
        supplier: 'North Korea',
        quantity: 50,
        unit: 'KN-23',
        category: 'MISSILES',
        status: 'CONFIRMED',
        start: '2023-01-01',
        end: '2024-12-31',
        precision: 'RANGE',
      },
      {
        supplier: 'North Korea',
        quantity: null,
        unit: null,
        category: 'MULTIPLE_ROCKET_LAUNCHERS',
        status: 'PLANNED',
        start: '2023-01-01',
        end: '2023-12-31',
        precision: 'YEAR',
      },
    ]);
    const kinds = await handle.pool.query(`SELECT DISTINCT kind FROM actors`);
    expect(kinds.rows).toEqual([{ kind: 'STATE' }]);
  });
});

describe('concurrency and the GraphQL path', () => {
  beforeAll(() => clear());

  it('overlapping imports run at the same time end consistent: no duplicate actors, no deadlock', async () => {
    const results = await Promise.all([run([fixture('small.ndjson')]), run([fixture('corrected.ndjson')]), run([fixture('small.ndjson')])]);
    expect(results.every((r) => r.committed && r.errors.length === 0)).toBe(true);
    const { rows } = await handle.pool.query(`SELECT dataset, external_id, count(*)::int AS n FROM actors GROUP BY 1, 2 ORDER BY 2`);
    expect(rows).toEqual([
      { dataset: 'demo', external_id: 'prk', n: 1 },
      { dataset: 'demo', external_id: 'rus', n: 1 },
      { dataset: 'demo', external_id: 'sk', n: 1 },
    ]);
    const c = await counts();
    expect([c.actors, c.sources, c.events, c.shipments, c.citations]).toEqual([3, 1, 2, 2, 3]);
  });

  it('imports inside a Prisma transaction too (what importRecords uses)', async () => {
    const data = fs.readFileSync(fixture('corrected.ndjson'), 'utf8');
    const report = await importWithPrisma(handle, [textInput('(request)', data)]);
    expect(report.committed).toBe(true);
    expect(report.counts.citation).toEqual({ created: 0, updated: 0, unchanged: 3 });
    const bad = await importWithPrisma(handle, [textInput('(request)', fs.readFileSync(fixture('bad.ndjson')))]);
    expect(bad.committed).toBe(false);
    expect(bad.errors.length).toBeGreaterThanOrEqual(9);
  });
});

describe('audit trail', () => {
  beforeAll(() => clear());

  const importEntries = async () =>
    (await handle.pool.query(`SELECT key_id, operation, entity_id::text, before, after FROM audit_log WHERE entity = 'IMPORT' ORDER BY id`)).rows;

  it('one IMPORT entry per import, in its transaction: who, inputs, dataset and counts per kind', async () => {
    const report = await run([fixture('small.ndjson')], { dataset: 'demo', user: 'analyst' });
    expect(report.committed).toBe(true);
    const again = await run([fixture('small.ndjson')], { dataset: 'demo' });
    const entries = await importEntries();
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ key_id: null, operation: 'import', entity_id: report.importId, before: null });
    expect(entries[0].after).toMatchObject({
      user: 'analyst',
      inputs: [{ name: fixture('small.ndjson'), format: 'ndjson' }],
      dataset: 'demo',
      partial: false,
      records: 11,
      rejected: 0,
      counts: report.counts,
    });
    expect(entries[1].entity_id).toBe(again.importId);
    expect(entries[1].after.counts.event).toEqual({ created: 0, updated: 0, unchanged: 2 });
  });

  it('a failed, dry-run or cancelled import leaves no entry; a partial one counts its rejects', async () => {
    const before = await importEntries();
    expect((await run([fixture('bad.ndjson')])).committed).toBe(false);
    const dry = await run([fixture('corrected.ndjson')], { dryRun: true });
    expect(dry).toMatchObject({ committed: false, importId: null });
    const controller = new AbortController();
    controller.abort();
    await expect(run([fixture('corrected.ndjson')], { signal: controller.signal })).rejects.toThrow(/cancelled/);
    expect(await importEntries()).toEqual(before);
    const partial = await run([fixture('bad.ndjson')], { partial: true });
    const entries = await importEntries();
    expect(entries).toHaveLength(before.length + 1);
    expect(entries.at(-1)).toMatchObject({ entity_id: partial.importId, after: { partial: true, rejected: partial.rejected[0].lines.length } });
    expect(partial.rejected[0].lines.length).toBeGreaterThan(0);
  });
});

describe('export → import round trip', () => {
  it('reproduces the database exactly (the seed article plus imported data), ids included', async () => {
    await clear();
    await seedDatabase(handle.prisma);
    await run([fixture('corrected.ndjson'), fixture('actors.csv'), fixture('shipments.csv')]);
    // A syndicated repeat of the article, so that the round trip carries derivedFrom too.
    await handle.pool.query(
      `INSERT INTO sources (publisher, title, derived_from_id) SELECT 'Wire', 'Repeat of the article', id FROM sources WHERE publisher = 'News'`,
    );
    const dump = async (pool: Pool) => {
      const client = await pool.connect();
      try {
        const sql: Sql = { query: async (text, params) => (await client.query(text, params as unknown[])).rows };
        const out: string[] = [];
        for await (const { record } of exportRecords(sql)) out.push(JSON.stringify(record));
        return out;
      } finally {
        client.release();
      }
    };
    const first = await dump(handle.pool);
    expect(first.length).toBeGreaterThan(80);
    // The seed's claims (those with a likelihood carry it) and evidence types, and the repeat's origin, are in it.
    const claims = first.filter((r) => r.includes('"kind":"claim"'));
    expect(claims).toHaveLength(Object.keys(seedClaims).length);
    expect(claims.filter((r) => r.includes('"likelihood"'))).toHaveLength(Object.values(seedClaims).filter((c) => c.likelihood !== null).length);
    expect(first.filter((r) => r.includes('"evidenceType":"EXPERT_ASSESSMENT"')).length).toBeGreaterThan(0);
    expect(first.filter((r) => r.includes('"derivedFrom"'))).toHaveLength(1);

    const target = await createTestDatabase();
    const other = createPrisma(target.url, 1);
    try {
      const report = await importWithPool(other.pool, [textInput('export.ndjson', first.join('\n'))]);
      expect(report.errors).toEqual([]);
      expect(Object.values(report.counts).reduce((n, c) => n + c.created, 0)).toBe(first.length);
      expect(await dump(other.pool)).toEqual(first);
      expect(await counts(other.pool)).toEqual(await counts());
      // And the export imported back into the database it came from changes nothing.
      const back = await importWithPool(handle.pool, [textInput('export.ndjson', first.join('\n'))]);
      expect(Object.values(back.counts).every((c) => c.created === 0 && c.updated === 0)).toBe(true);
      expect(await dump(handle.pool)).toEqual(first);
    } finally {
      await other.close();
      await target.drop();
    }
  });

  it('a date window exports what overlaps it, with what that needs', async () => {
    const client = await handle.pool.connect();
    try {
      const sql: Sql = { query: async (text, params) => (await client.query(text, params as unknown[])).rows };
      const kinds: Record<string, number> = {};
      const outside: string[] = [];
      const reported = new Set<string>();
      for await (const { kind, record } of exportRecords(sql, { from: '2023-07-01', to: '2023-07-31' })) {
        kinds[kind] = (kinds[kind] ?? 0) + 1;
        if (kind === 'event') {
          const d = record.date as { start: string; end: string };
          if (!(d.end >= '2023-07-01' && d.start <= '2023-07-31')) outside.push(String(record.externalId));
        }
        if (kind === 'shipment') for (const e of (record.events ?? []) as { externalId: string }[]) reported.add(e.externalId);
      }
      // Events outside the window are there only because they report a shipment inside it.
      expect(outside.filter((e) => !reported.has(e))).toEqual([]);
      expect(kinds.event).toBeGreaterThan(0);
      expect(kinds.actor).toBeGreaterThan(0);
    } finally {
      client.release();
    }
  });
});

describe('synthetic files of two datasets', () => {
  it('import side by side: the second names its actors apart, every record new', async () => {
    await clear();
    const file = (dataset: string | undefined, seed: number) =>
      textInput(
        `${dataset ?? 'synth'}.ndjson`,
        [...synthRecords({ events: 400, shipments: 80, actors: 60, seed, dataset })].map((r) => JSON.stringify(r)).join('\n'),
      );
    const first = await importWithPool(handle.pool, [file(undefined, 1)]);
    expect(first.errors).toEqual([]);
    const second = await importWithPool(handle.pool, [file('inc', 2)]);
    expect(second.errors).toEqual([]);
    expect(Object.values(second.counts).every((c) => c.updated === 0 && c.unchanged === 0)).toBe(true);
    const { rows } = await handle.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM actors WHERE dataset = 'inc' AND name LIKE '% (inc)'`);
    expect(rows[0].n).toBe(60);
  });
});
