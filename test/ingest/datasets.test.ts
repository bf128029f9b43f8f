// Real datasets in their export layouts (test/fixtures/ingest/, hand-written after SIPRI's, ACLED's
// and UCDP's files): imported into a real database, every mapped field asserted; broken files
// name their line and column and write nothing.
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { Pool } from 'pg';
import { createPrisma } from '../../src/db/client';
import { clientSql } from '../../src/db/sql';
import { CSV_COLUMNS, recordToCsvRow } from '../../src/ingest/csv';
import { exportRecords } from '../../src/ingest/export';
import { KINDS } from '../../src/ingest/records';
import { importWithPool, type ImportOptions } from '../../src/ingest/importer';
import { fileInput, textInput } from '../../src/ingest/read';
import { createTestDatabase, useTestDatabase } from '../support/database';

const fixture = (name: string) => path.resolve(__dirname, '../fixtures/ingest', name);

const handle = useTestDatabase(4);

const TABLES = ['actors', 'actor_aliases', 'sources', 'events', 'event_participants', 'affiliations', 'shipments', 'shipment_events', 'citations', 'claims'];
const clear = () => handle.pool.query(`TRUNCATE ${TABLES.join(', ')}, audit_log CASCADE`);
const run = (files: string[], opts: ImportOptions = {}) => importWithPool(handle.pool, files.map(fileInput), { createMissingActors: true, ...opts });
const rows = async (sql: string) => (await handle.pool.query(sql)).rows;
const count = async (table: string) => (await rows(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;

/** Imports the fixtures `files` and expects no errors; returns the report. */
async function imported(files: string[], opts: ImportOptions = {}) {
  const report = await run(files.map(fixture), opts);
  expect(report.errors).toEqual([]);
  return report;
}

/** Imports the fixture `file`, expects it refused (nothing committed) and returns its errors. */
async function refusal(file: string, opts: ImportOptions = {}) {
  const report = await run([fixture(file)], opts);
  expect(report.committed).toBe(false);
  return report.errors;
}

/** Imports `file` into an emptied database and expects it refused: these errors (line, kind, field, reason) and nothing written to `tables`. */
async function expectRefused(file: string, errors: unknown[], tables: string[], opts: ImportOptions = {}): Promise<void> {
  await clear();
  expect((await refusal(file, opts)).map(({ line, kind, field, reason }) => ({ line, kind, field, reason }))).toEqual(errors);
  for (const table of tables) expect(await count(table)).toBe(0);
}

describe('SIPRI trade register, as the site exports it (title lines, "?" columns, windows-1252, CRLF)', () => {
  beforeAll(() => clear());

  it('finds the header after the title lines and maps every column', async () => {
    const report = await imported(['sipri-trade-register.csv']);
    expect(report.counts.shipment.created).toBe(10);
    expect(report.counts.citation.created).toBe(10);
    const shipments = await rows(
      `SELECT s.external_id, sup.name AS supplier, rec.name AS recipient, s.category, s.quantity, s.quantity_low, s.quantity_high,
              s.quantity_qualifier, s.unit, s.delivery_start::text, s.delivery_end::text, s.delivery_precision, s.delivery_edtf,
              s.delivery_text, s.status, s.confidence, s.dataset_fields
         FROM shipments s JOIN actors sup ON sup.id = s.supplier_id JOIN actors rec ON rec.id = s.recipient_id
        WHERE s.dataset = 'sipri' ORDER BY s.external_id COLLATE "C"`,
    );
    const byId = Object.fromEntries(shipments.map((s) => [s.external_id, s]));
    expect(Object.keys(byId)).toEqual([
      "France|Côte d'Ivoire|2021|Gazelle",
      'Germany|Ukraine|2022|IRIS-T SLM',
      'Iran|Houthi rebels (Yemen)*|2015|C-802',
      'Iran|Russia|2022|Shahed-136',
      'Israel|African Union**|2017|Aerostar',
      'North Korea|Russia|2023|KN-23',
      // The same deal key twice: the second is numbered.
      'North Korea|Russia|2023|KN-23#2',
      'North Korea|Russia|2024|M-1991',
      'Poland|Ukraine|2022|AHS Krab',
      'Türkiye|Ukraine|2019|Bayraktar TB2',
    ]);
    // "?" after the number delivered: an estimate; after the order year: that year approximate.
    // Neither lowers status or confidence.
    expect(byId['North Korea|Russia|2023|KN-23']).toEqual({
      external_id: 'North Korea|Russia|2023|KN-23',
      supplier: 'North Korea',
      recipient: 'Russia',
      category: 'MISSILES',
      quantity: 50,
      quantity_low: null,
      quantity_high: null,
      quantity_qualifier: 'ESTIMATE',
      unit: 'KN-23',
      delivery_start: '2023-01-01',
      delivery_end: '2024-12-31',
      delivery_precision: 'RANGE',
      delivery_edtf: null,
      delivery_text: 'delivered 2023; 2024',
      status: 'CONFIRMED',
      confidence: 'CONFIRMED',
      dataset_fields: {
        orderYear: '2023~',
        numberDelivered: 'estimated 50',
        deliveryYears: '2023; 2024',
        status: 'New',
        tivPerUnit: '1.5',
        tivDelivered: '75',
      },
    });
    expect(byId['Iran|Russia|2022|Shahed-136']).toMatchObject({
      category: 'LOITERING_MUNITIONS',
      quantity: 2000,
      quantity_qualifier: 'ESTIMATE',
      status: 'CONFIRMED',
      confidence: 'CONFIRMED',
      dataset_fields: {
        orderYear: '2022',
        numberOrdered: 'estimated 6000',
        numberDelivered: 'estimated 2000',
        tivPerUnit: '0.02',
        tivOrder: '120',
        tivDelivered: '40',
      },
    });
    // Not delivered: planned in its order year, the number ordered (its "?": an estimate).
    expect(byId['North Korea|Russia|2024|M-1991']).toMatchObject({
      category: 'MULTIPLE_ROCKET_LAUNCHERS',
      quantity: 24,
      quantity_qualifier: 'ESTIMATE',
      delivery_start: '2024-01-01',
      delivery_end: '2024-12-31',
      delivery_precision: 'YEAR',
      delivery_text: 'ordered 2024, not yet delivered',
      status: 'PLANNED',
      confidence: 'REPORTED',
      dataset_fields: { orderYear: '2024', numberOrdered: 'estimated 24', status: 'New', tivPerUnit: '2.4', tivOrder: '57.6' },
    });
    expect(byId['Germany|Ukraine|2022|IRIS-T SLM']).toMatchObject({
      category: 'AIR_DEFENCE_SYSTEMS',
      quantity: 3,
      quantity_low: 3,
      quantity_high: 3,
      quantity_qualifier: 'EXACT',
      delivery_precision: 'RANGE',
    });
    // "2022-2023": a range of years.
    expect(byId['Poland|Ukraine|2022|AHS Krab']).toMatchObject({ category: 'ARTILLERY', delivery_start: '2022-01-01', delivery_end: '2023-12-31' });
    expect(byId['Türkiye|Ukraine|2019|Bayraktar TB2']).toMatchObject({ category: 'UNMANNED_AIRCRAFT', quantity_qualifier: 'EXACT' });
    expect(byId['Israel|African Union**|2017|Aerostar']).toMatchObject({
      category: 'UNMANNED_AIRCRAFT',
      quantity: 3,
      quantity_qualifier: 'ESTIMATE',
      delivery_precision: 'YEAR',
    });
    // SIPRI's "0" for delivered TIV: between 0 and 0.5 million, not zero.
    expect(byId["France|Côte d'Ivoire|2021|Gazelle"]).toMatchObject({
      category: 'AIRCRAFT',
      delivery_precision: 'YEAR',
      dataset_fields: { status: 'Second hand', tivPerUnit: '0.15', tivOrder: '0.3', tivDelivered: '0–0.5' },
    });
    // Parties: states with their ISO codes (windows-1252 names decoded), "*" non-state, "**" an organisation.
    const actors = await rows(`SELECT name, kind, country_code FROM actors ORDER BY name COLLATE "C"`);
    expect(actors).toEqual([
      { name: 'African Union', kind: 'ORGANIZATION', country_code: null },
      { name: "Côte d'Ivoire", kind: 'STATE', country_code: 'CIV' },
      { name: 'France', kind: 'STATE', country_code: 'FRA' },
      { name: 'Germany', kind: 'STATE', country_code: 'DEU' },
      { name: 'Houthi rebels (Yemen)', kind: 'ORGANIZATION', country_code: null },
      { name: 'Iran', kind: 'STATE', country_code: 'IRN' },
      { name: 'Israel', kind: 'STATE', country_code: 'ISR' },
      { name: 'North Korea', kind: 'STATE', country_code: 'PRK' },
      { name: 'Poland', kind: 'STATE', country_code: 'POL' },
      { name: 'Russia', kind: 'STATE', country_code: 'RUS' },
      { name: 'Türkiye', kind: 'STATE', country_code: 'TUR' },
      { name: 'Ukraine', kind: 'STATE', country_code: 'UKR' },
    ]);
    // The comments, SIPRI's notation kept, in the description and each citation's excerpt.
    const [kn23] = await rows(
      `SELECT s.description, c.excerpt, c.credibility, so.publisher FROM shipments s JOIN citations c ON c.shipment_id = s.id JOIN sources so ON so.id = c.source_id
        WHERE s.external_id = 'North Korea|Russia|2023|KN-23'`,
    );
    expect(kn23).toEqual({
      description: 'KN-23 (SRBM); 50? delivered; New; Hwasong-11 (KN-23) version; "used against Kharkiv" per Ukrainian officials',
      excerpt: 'KN-23 (SRBM); 50? delivered; New; Hwasong-11 (KN-23) version; "used against Kharkiv" per Ukrainian officials',
      credibility: 2,
      publisher: 'Stockholm International Peace Research Institute',
    });
  });

  it('importing it again changes nothing', async () => {
    const again = await imported(['sipri-trade-register.csv']);
    expect(again.createdActors).toBe(0);
    expect(again.counts.shipment).toEqual({ created: 0, updated: 0, unchanged: 10 });
  });

  it('the older layout: brackets for estimates, ". ." for unknown, no mark columns', async () => {
    await clear();
    await imported(['sipri-sample.csv'], { missingActorKind: 'STATE' });
    const shipments = await rows(
      `SELECT s.unit, s.category, s.quantity, s.quantity_qualifier, s.status, s.delivery_start::text, s.delivery_end::text, s.delivery_precision, s.dataset_fields
         FROM shipments s ORDER BY s.external_id COLLATE "C"`,
    );
    expect(shipments).toEqual([
      {
        unit: 'IRIS-T SLM',
        category: 'AIR_DEFENCE_SYSTEMS',
        quantity: 3,
        quantity_qualifier: 'EXACT',
        status: 'CONFIRMED',
        delivery_start: '2023-01-01',
        delivery_end: '2023-12-31',
        delivery_precision: 'YEAR',
        dataset_fields: { orderYear: '2022', numberOrdered: '3', numberDelivered: '3', deliveryYears: '2023' },
      },
      {
        unit: 'Shahed-136',
        category: 'LOITERING_MUNITIONS',
        quantity: 1000,
        quantity_qualifier: 'ESTIMATE',
        status: 'CONFIRMED',
        delivery_start: '2022-01-01',
        delivery_end: '2023-12-31',
        delivery_precision: 'RANGE',
        dataset_fields: { orderYear: '2022', numberOrdered: 'estimated 2000', numberDelivered: 'estimated 1000', deliveryYears: '2022; 2023' },
      },
      {
        unit: 'KN-23',
        category: 'MISSILES',
        quantity: 50,
        quantity_qualifier: 'ESTIMATE',
        status: 'CONFIRMED',
        delivery_start: '2023-01-01',
        delivery_end: '2024-12-31',
        delivery_precision: 'RANGE',
        dataset_fields: { orderYear: '2023', numberOrdered: 'estimated 1000', numberDelivered: 'estimated 50', deliveryYears: '2023-2024' },
      },
      // Self-propelled rocket launchers are SIPRI's artillery, not vehicles.
      {
        unit: null,
        category: 'MULTIPLE_ROCKET_LAUNCHERS',
        quantity: null,
        quantity_qualifier: null,
        status: 'PLANNED',
        delivery_start: '2023-01-01',
        delivery_end: '2023-12-31',
        delivery_precision: 'YEAR',
        dataset_fields: { orderYear: '2023' },
      },
    ]);
  });

  it('a file with no trade register header: the file named, what was looked for said, nothing written', async () => {
    await clear();
    expect(await refusal('sipri-no-header.csv')).toEqual([
      {
        file: fixture('sipri-no-header.csv'),
        line: 1,
        record: 1,
        kind: null,
        field: '(record)',
        reason: expect.stringMatching(
          /^.*sipri-no-header\.csv: no header row in its first 50 lines: looked for a SIPRI trade register header \(Recipient, Supplier, Year of order, Number ordered, Weapon designation, Weapon description, …\); or an ACLED export header .*; or a UCDP GED header .*; or a CSV of records/,
        ),
      },
    ]);
    // Forced to SIPRI, only SIPRI's header is looked for.
    const forced = await run([fixture('sipri-no-header.csv')], { format: 'sipri' });
    expect(forced.errors[0].reason).toMatch(
      /looked for a SIPRI trade register header \(Recipient, Supplier, Year of order, Number ordered, Weapon designation, Weapon description, …\)$/,
    );
    expect(await count('shipments')).toBe(0);
  });

  it('broken rows: each names its line and its column as the file does, and nothing is written', async () => {
    await expectRefused(
      'sipri-broken.csv',
      [
        {
          line: 7,
          kind: 'shipment',
          field: 'Year(s) of delivery (column K)',
          reason: '"20O3" is not a year or a list of years ("2015", "2015; 2016", "2015-2017")',
        },
        {
          line: 8,
          kind: 'shipment',
          field: 'Supplier (column B)',
          reason: 'is empty: every deal has a supplier (SIPRI writes "unknown supplier(s)" when it is not known)',
        },
        { line: 9, kind: 'shipment', field: 'Number ordered (column E)', reason: '"about 100" is not a number' },
        { line: 9, kind: 'shipment', field: 'SIPRI TIV per unit (column N)', reason: '"n/a" is not a TIV figure (millions, e.g. 1.48)' },
      ],
      ['shipments', 'actors'],
    );
  });
});

describe('ACLED export (newer layout: worded inter codes; a byte-order mark, CRLF)', () => {
  beforeAll(() => clear());

  it('events with their country, fatalities, spans, participants, sources and the other columns', async () => {
    const report = await imported(['acled-export.csv']);
    expect(report.counts.event.created).toBe(6);
    const events = await rows(
      `SELECT external_id, type, title, description, span_start::text, span_end::text, span_precision, span_edtf, span_text,
              location_name, location_country_code, latitude, longitude, confidence,
              fatalities, fatalities_low, fatalities_high, fatalities_qualifier, dataset_fields
         FROM events ORDER BY external_id COLLATE "C"`,
    );
    const byId = Object.fromEntries(events.map((e) => [e.external_id, e]));
    expect(byId.UKR200001).toEqual({
      external_id: 'UKR200001',
      type: 'OBSERVATION',
      title: 'Explosions/Remote violence: Shelling/artillery/missile attack (Kupiansk, Kharkiv, Ukraine)',
      description:
        'On 13 September 2023, Russian forces shelled Kupiansk with artillery; fragments of North Korean 122mm shells ("made in 2022") were reported.',
      span_start: '2023-09-13',
      span_end: '2023-09-13',
      span_precision: 'DAY',
      span_edtf: null,
      span_text: null,
      location_name: 'Kupiansk, Kharkiv, Ukraine',
      location_country_code: 'UKR',
      latitude: 49.7106,
      longitude: 37.6153,
      confidence: 'REPORTED',
      // ACLED's fatalities are estimates ("reported fatalities … estimates only").
      fatalities: 2,
      fatalities_low: null,
      fatalities_high: null,
      fatalities_qualifier: 'ESTIMATE',
      // What the event does not say otherwise (year, time_precision, interaction, iso, country and admin1 it does).
      dataset_fields: {
        disorder_type: 'Political violence',
        event_type: 'Explosions/Remote violence',
        sub_event_type: 'Shelling/artillery/missile attack',
        inter1: 'External/Other forces',
        inter2: 'State forces',
        region: 'Europe',
        admin2: 'Kupianskyi',
        admin3: 'Kupianska',
        geo_precision: '1',
        source_scale: 'National',
        timestamp: '1695000000',
      },
    });
    // A week or month precision keeps ACLED's date, which the span no longer gives back.
    expect(byId.RUS200002.dataset_fields.event_date).toBe('12 September 2023');
    expect(byId.AFG200003.dataset_fields.event_date).toBe('2021-08-20');
    // Time precision 2: the week around the date; 3: the month, both approximate. "12 September 2023" and "20-Sep-2023" read.
    expect(byId.RUS200002).toMatchObject({
      type: 'AGREEMENT',
      span_start: '2023-09-09',
      span_end: '2023-09-15',
      span_edtf: '2023-09-09~/2023-09-15~',
      location_country_code: 'RUS',
      fatalities: 0,
    });
    expect(byId.AFG200003).toMatchObject({ span_start: '2021-08-01', span_end: '2021-08-31', span_edtf: '2021-08~', location_country_code: 'AFG' });
    // No fatality figure: unknown, not 0.
    expect(byId.AFG200003).toMatchObject({ fatalities: null, fatalities_qualifier: null });
    expect(byId.UKR200004).toMatchObject({ span_start: '2023-09-20', fatalities: 15 });
    expect(byId.SYR200005).toMatchObject({
      type: 'OTHER',
      location_country_code: 'SYR',
      fatalities: 89,
      dataset_fields: { civilian_targeting: 'Civilian targeting' },
    });

    const parties = await rows(
      `SELECT e.external_id, a.name, a.kind, p.role FROM event_participants p JOIN events e ON e.id = p.event_id JOIN actors a ON a.id = p.actor_id
        ORDER BY e.external_id COLLATE "C", p.role, a.name COLLATE "C"`,
    );
    expect(parties.map((p) => `${p.external_id} ${p.role} ${p.name} (${p.kind})`)).toEqual([
      'AFG200003 INITIATOR Military Forces of Afghanistan (2021-) (MILITARY_UNIT)',
      'AFG200003 TARGET Military Forces of Afghanistan (2004-2021) (MILITARY_UNIT)',
      // A government is the state itself; associated actors in a role of their own.
      'RUS200002 INITIATOR Russia (STATE)',
      'RUS200002 TARGET North Korea (STATE)',
      'RUS200002 ASSOCIATED Military Forces of Russia (2000-) (MILITARY_UNIT)',
      'RUS200002 ASSOCIATED Ростех (ORGANIZATION)',
      'SYR200005 INITIATOR Unidentified Armed Group (Syria) (ORGANIZATION)',
      'SYR200005 TARGET Civilians (Syria) (ORGANIZATION)',
      'SYR200006 INITIATOR Military Forces of Syria (2000-) (MILITARY_UNIT)',
      'UKR200001 INITIATOR Military Forces of Russia (2000-) (MILITARY_UNIT)',
      'UKR200001 TARGET Military Forces of Ukraine (2019-) (MILITARY_UNIT)',
      'UKR200004 INITIATOR Military Forces of Ukraine (2019-) (MILITARY_UNIT)',
      'UKR200004 TARGET Militäreinheit Wagner (ORGANIZATION)',
    ]);
    // One actor per name and period, PART_OF its state over that period.
    const units = await rows(
      `SELECT a.name, a.country_code, t.name AS state, f.role, f.span_edtf, f.span_start::text, f.span_end::text
         FROM affiliations f JOIN actors a ON a.id = f.actor_id JOIN actors t ON t.id = f.target_id ORDER BY a.name COLLATE "C"`,
    );
    expect(units).toEqual([
      {
        name: 'Military Forces of Afghanistan (2004-2021)',
        country_code: 'AFG',
        state: 'Afghanistan',
        role: 'PART_OF',
        span_edtf: '2004/2021',
        span_start: '2004-01-01',
        span_end: '2021-12-31',
      },
      {
        name: 'Military Forces of Afghanistan (2021-)',
        country_code: 'AFG',
        state: 'Afghanistan',
        role: 'PART_OF',
        span_edtf: '2021/..',
        span_start: '2021-01-01',
        span_end: '2021-12-31',
      },
      {
        name: 'Military Forces of Russia (2000-)',
        country_code: 'RUS',
        state: 'Russia',
        role: 'PART_OF',
        span_edtf: '2000/..',
        span_start: '2000-01-01',
        span_end: '2000-12-31',
      },
      {
        name: 'Military Forces of Syria (2000-)',
        country_code: 'SYR',
        state: 'Syria',
        role: 'PART_OF',
        span_edtf: '2000/..',
        span_start: '2000-01-01',
        span_end: '2000-12-31',
      },
      {
        name: 'Military Forces of Ukraine (2019-)',
        country_code: 'UKR',
        state: 'Ukraine',
        role: 'PART_OF',
        span_edtf: '2019/..',
        span_start: '2019-01-01',
        span_end: '2019-12-31',
      },
    ]);
    const states = await rows(
      `SELECT a.name, a.country_code, array_agg(aa.alias ORDER BY aa.alias COLLATE "C") AS aliases FROM actors a JOIN actor_aliases aa ON aa.actor_id = a.id
        WHERE a.kind = 'STATE' GROUP BY a.id ORDER BY a.name COLLATE "C"`,
    );
    expect(states).toEqual([
      { name: 'Afghanistan', country_code: 'AFG', aliases: ['Afghanistan'] },
      { name: 'North Korea', country_code: 'PRK', aliases: ['Government of North Korea (2011-)', 'North Korea'] },
      { name: 'Russia', country_code: 'RUS', aliases: ['Government of Russia (2000-)', 'Russia'] },
      { name: 'Syria', country_code: 'SYR', aliases: ['Syria'] },
      { name: 'Ukraine', country_code: 'UKR', aliases: ['Ukraine'] },
    ]);
    // "Reuters; reuters": one source, cited once per name given.
    const sources = await rows(`SELECT external_id, publisher FROM sources ORDER BY 1`);
    expect(sources.map((s) => s.external_id)).toEqual([
      'source:Kyiv Independent',
      'source:Pajhwok Afghan News',
      'source:Reuters',
      'source:SOHR',
      'source:Ukrinform',
    ]);
    expect(await count('citations')).toBe(8);
  });

  it('importing it again changes nothing; the older layout (numeric inter codes) imports beside it', async () => {
    const again = await imported(['acled-export.csv']);
    expect(again.createdActors).toBe(0);
    expect(again.counts.event).toEqual({ created: 0, updated: 0, unchanged: 6 });
    expect(again.counts.affiliation).toEqual({ created: 0, updated: 0, unchanged: 5 });
    await imported(['acled-sample.csv']);
    const kinds = await rows(
      `SELECT a.name, a.kind FROM event_participants p JOIN events e ON e.id = p.event_id JOIN actors a ON a.id = p.actor_id
        WHERE e.external_id LIKE 'UKR1%' ORDER BY a.name COLLATE "C"`,
    );
    expect(kinds).toEqual([
      { name: 'Military Forces of Russia (2000-)', kind: 'MILITARY_UNIT' },
      { name: 'Military Forces of Russia (2000-)', kind: 'MILITARY_UNIT' },
      { name: 'Military Forces of Ukraine (2019-)', kind: 'MILITARY_UNIT' },
      { name: 'Military Forces of Ukraine (2019-)', kind: 'MILITARY_UNIT' },
      { name: 'Militäreinheit Wagner', kind: 'ORGANIZATION' },
      { name: 'North Korea', kind: 'STATE' },
      { name: 'Russia', kind: 'STATE' },
    ]);
  });

  it("a state already known under another name is found by its ISO code and learns the dataset's names", async () => {
    await clear();
    await handle.pool.query(`WITH a AS (INSERT INTO actors (name, kind, country_code) VALUES ('Russian Federation', 'STATE', 'RUS') RETURNING id)
                             INSERT INTO actor_aliases (actor_id, alias) SELECT id, 'Russian Federation' FROM a`);
    await imported(['acled-export.csv']);
    const [russia] = await rows(
      `SELECT a.name, count(*) OVER () AS states, array_agg(aa.alias ORDER BY aa.alias COLLATE "C") AS aliases
         FROM actors a JOIN actor_aliases aa ON aa.actor_id = a.id WHERE a.country_code = 'RUS' AND a.kind = 'STATE' GROUP BY a.id`,
    );
    expect(russia).toEqual({ name: 'Russian Federation', states: '1', aliases: ['Government of Russia (2000-)', 'Russia', 'Russian Federation'] });
  });

  it('a name the file gives a state that another actor has (an earlier import made it a unit) is an error naming both', async () => {
    await clear();
    await handle.pool.query(`WITH a AS (INSERT INTO actors (name, kind) VALUES ('Government of Russia (2000-)', 'MILITARY_UNIT') RETURNING id)
                             INSERT INTO actor_aliases (actor_id, alias) SELECT id, 'Government of Russia (2000-)' FROM a`);
    expect(await refusal('acled-export.csv')).toEqual([
      {
        file: fixture('acled-export.csv'),
        line: 3,
        record: 10,
        kind: 'event',
        field: 'participants[0].actor',
        reason: '"Government of Russia (2000-)", another name the input gives actor "Russia", already belongs to actor "Government of Russia (2000-)"',
      },
    ]);
    expect(await count('events')).toBe(0);
  });

  it('broken rows name their line and column; an unclosed quote its line; nothing is written', async () => {
    await expectRefused(
      'acled-broken.csv',
      [
        { line: 2, kind: 'event', field: 'fatalities (column AC)', reason: '"dozens" is not a number of fatalities' },
        { line: 3, kind: 'event', field: 'event_date (column B)', reason: '"2023-13-45" is not a date (2023-09-13, 13 September 2023 or 13-Sep-2023)' },
        { line: 3, kind: 'event', field: 'time_precision (column D)', reason: '"4" is not an ACLED time precision (1, 2 or 3)' },
        {
          line: 3,
          kind: 'event',
          field: 'inter1 (column J)',
          reason: expect.stringMatching(/^"militia men" is not an ACLED inter code \(1–8, or State forces, /),
        },
        { line: 3, kind: 'event', field: 'iso (column P)', reason: '"8O4" is not an ISO 3166 numeric country code' },
        { line: 3, kind: 'event', field: 'latitude (column W)', reason: '"149.7106" is not a latitude (−90 to 90)' },
        {
          line: 4,
          kind: null,
          field: '(record)',
          reason: 'not valid CSV, column AB (notes) (Quote Not Closed: the parsing is finished with an opening quote at line 4)',
        },
      ],
      ['events'],
    );
  });
});

describe('UCDP GED', () => {
  beforeAll(() => clear());

  it('events with spans at their precision, low/best/high fatalities, the sides, the articles as sources', async () => {
    await imported(['ucdp-ged.csv']);
    const events = await rows(
      `SELECT external_id, type, title, description, span_start::text, span_end::text, span_precision, span_edtf, location_name, location_country_code,
              latitude, longitude, fatalities, fatalities_low, fatalities_high, fatalities_qualifier, dataset_fields->>'date_prec' AS date_prec,
              dataset_fields->>'where_prec' AS where_prec, dataset_fields->>'side_a' AS side_a, dataset_fields->>'latitude' AS kept_latitude
         FROM events ORDER BY external_id`,
    );
    expect(events).toEqual([
      {
        external_id: '528934',
        type: 'OBSERVATION',
        title: 'State-based violence: Government of Russia (Soviet Union) - Government of Ukraine (Kupiansk town, Kharkiv oblast, Ukraine)',
        description: 'Conflict: Russia - Ukraine. Where: Kupiansk, Kharkiv oblast.',
        span_start: '2023-09-13',
        span_end: '2023-09-13',
        span_precision: 'DAY',
        span_edtf: null,
        location_name: 'Kupiansk town, Kharkiv oblast, Ukraine',
        location_country_code: 'UKR',
        latitude: 49.7106,
        longitude: 37.6153,
        fatalities: 2,
        fatalities_low: 2,
        fatalities_high: 3,
        fatalities_qualifier: 'ESTIMATE',
        date_prec: '1',
        where_prec: '1',
        side_a: 'Government of Russia (Soviet Union)',
        kept_latitude: null,
      },
      {
        external_id: '528935',
        type: 'OBSERVATION',
        title: 'State-based violence: Government of Russia (Soviet Union) - Government of Ukraine (Donetsk oblast, Donetsk oblast, Ukraine)',
        description: 'Conflict: Russia - Ukraine. Where: Avdiivka area, Donetsk oblast.',
        span_start: '2023-09-01',
        span_end: '2023-09-30',
        span_precision: 'MONTH',
        span_edtf: null,
        location_name: 'Donetsk oblast, Donetsk oblast, Ukraine',
        location_country_code: 'UKR',
        latitude: 48.0159,
        longitude: 37.8028,
        fatalities: 80,
        fatalities_low: 60,
        fatalities_high: 150,
        fatalities_qualifier: 'ESTIMATE',
        date_prec: '4',
        where_prec: '4',
        side_a: 'Government of Russia (Soviet Union)',
        kept_latitude: null,
      },
      {
        // Only the country known (where_prec 6): its coordinates would say more than the source; the range of days as given.
        external_id: '528936',
        type: 'OBSERVATION',
        title: 'One-sided violence: IS - Civilians (Syria, Syria)',
        description: 'Conflict: IS - Civilians. Where: Syrian desert (Badia), exact place unknown.',
        span_start: '2023-03-06',
        span_end: '2023-03-11',
        span_precision: 'RANGE',
        span_edtf: null,
        location_name: 'Syria, Syria',
        location_country_code: 'SYR',
        latitude: null,
        longitude: null,
        fatalities: 15,
        fatalities_low: 15,
        fatalities_high: 17,
        fatalities_qualifier: 'ESTIMATE',
        date_prec: '3',
        where_prec: '6',
        side_a: 'IS',
        kept_latitude: null,
      },
    ]);
    const parties = await rows(
      `SELECT e.external_id, a.name, a.kind, a.country_code, p.role FROM event_participants p JOIN events e ON e.id = p.event_id JOIN actors a ON a.id = p.actor_id
        ORDER BY 1, 2`,
    );
    expect(parties).toEqual([
      { external_id: '528934', name: 'Russia', kind: 'STATE', country_code: 'RUS', role: 'PARTICIPANT' },
      { external_id: '528934', name: 'Ukraine', kind: 'STATE', country_code: 'UKR', role: 'PARTICIPANT' },
      { external_id: '528935', name: 'Russia', kind: 'STATE', country_code: 'RUS', role: 'PARTICIPANT' },
      { external_id: '528935', name: 'Ukraine', kind: 'STATE', country_code: 'UKR', role: 'PARTICIPANT' },
      { external_id: '528936', name: 'Civilians', kind: 'ORGANIZATION', country_code: null, role: 'PARTICIPANT' },
      { external_id: '528936', name: 'IS', kind: 'ORGANIZATION', country_code: null, role: 'PARTICIPANT' },
    ]);
    const aliases = await rows(`SELECT alias FROM actor_aliases aa JOIN actors a ON a.id = aa.actor_id WHERE a.name = 'Russia' ORDER BY 1`);
    expect(aliases.map((a) => a.alias)).toEqual(['Government of Russia (Soviet Union)', 'Russia']);
    const cited = await rows(
      `SELECT e.external_id, so.publisher, so.title, so.published_at::text, so.published_precision, c.excerpt, c.credibility
         FROM citations c JOIN events e ON e.id = c.event_id JOIN sources so ON so.id = c.source_id ORDER BY 1, 2`,
    );
    expect(cited).toEqual([
      {
        external_id: '528934',
        publisher: 'Kyiv Independent',
        title: 'Kupiansk: North Korean shells found',
        published_at: '2023-09-14',
        published_precision: 'DAY',
        excerpt: 'Kupiansk: North Korean shells found',
        credibility: 3,
      },
      {
        external_id: '528934',
        publisher: 'Ukrinform',
        title: 'Russian shelling of Kupiansk kills two',
        published_at: '2023-09-14',
        published_precision: 'DAY',
        excerpt: 'Russian shelling of Kupiansk kills two',
        credibility: 3,
      },
      {
        external_id: '528935',
        publisher: 'Reuters',
        title: 'Heavy fighting around Avdiivka through September',
        published_at: '2023-10-02',
        published_precision: 'DAY',
        excerpt: 'Heavy fighting around Avdiivka through September',
        credibility: 3,
      },
      {
        external_id: '528936',
        publisher: 'Syrian Observatory for Human Rights',
        title: 'Truffle hunters killed in the Badia',
        published_at: '2023-03-12',
        published_precision: 'DAY',
        excerpt: 'Truffle hunters killed in the Badia',
        credibility: 3,
      },
    ]);
  });

  it("ACLED and UCDP in one import: each state once, known by both datasets' names", async () => {
    await clear();
    await imported(['acled-export.csv', 'ucdp-ged.csv']);
    const russia = await rows(
      `SELECT a.name, array_agg(aa.alias ORDER BY aa.alias COLLATE "C") AS aliases FROM actors a JOIN actor_aliases aa ON aa.actor_id = a.id
        WHERE a.kind = 'STATE' AND a.country_code = 'RUS' GROUP BY a.id`,
    );
    expect(russia).toEqual([{ name: 'Russia', aliases: ['Government of Russia (2000-)', 'Government of Russia (Soviet Union)', 'Russia'] }]);
  });

  it('two names of one state in one import (its ISO code) make one state, known by both', async () => {
    await clear();
    const ship = (id: string, supplier: string) =>
      JSON.stringify({
        kind: 'shipment',
        externalId: id,
        supplier: { name: supplier, actorKind: 'STATE', countryCode: 'TUR' },
        recipient: { name: 'Ukraine', actorKind: 'STATE', countryCode: 'UKR' },
        category: 'UNMANNED_AIRCRAFT',
        delivery: '2022',
        status: 'REPORTED',
        confidence: 'REPORTED',
      });
    const report = await importWithPool(handle.pool, [textInput('two.ndjson', `${ship('a', 'Turkey')}\n${ship('b', 'Türkiye')}\n`)], {
      createMissingActors: true,
    });
    expect(report.errors).toEqual([]);
    expect(report.createdActors).toBe(2);
    const states = await rows(
      `SELECT a.name, array_agg(aa.alias ORDER BY aa.alias COLLATE "C") AS aliases FROM actors a JOIN actor_aliases aa ON aa.actor_id = a.id
        WHERE a.country_code = 'TUR' GROUP BY a.id`,
    );
    expect(states).toEqual([{ name: 'Turkey', aliases: ['Turkey', 'Türkiye'] }]);
    const suppliers = await rows(`SELECT DISTINCT supplier_id FROM shipments`);
    expect(suppliers).toHaveLength(1);
  });

  it('low above best is refused on its column', async () => {
    const header = 'id,date_start,date_end,side_a,side_b,best,low,high,country';
    const report = await importWithPool(handle.pool, [textInput('ged.csv', `${header}\n9,2023-01-01,2023-01-01,A,B,5,7,9,Ukraine\n`)], {
      createMissingActors: true,
    });
    expect(report.errors.map(({ line, field, reason }) => ({ line, field, reason }))).toEqual([
      { line: 2, field: 'low (column G)', reason: '7 is above best (5)' },
    ]);
  });
});

describe('export → import of the datasets', () => {
  const dump = async (pool: Pool) => {
    const client = await pool.connect();
    try {
      const sql = await clientSql(client);
      const out: Record<string, unknown>[] = [];
      for await (const { record } of exportRecords(sql)) out.push(record);
      return out;
    } finally {
      client.release();
    }
  };

  it('NDJSON and CSV per kind carry fatalities, datasetFields and learnt aliases into an empty database unchanged', async () => {
    await clear();
    expect((await run([fixture('sipri-trade-register.csv'), fixture('acled-export.csv'), fixture('ucdp-ged.csv')])).errors).toEqual([]);
    const first = await dump(handle.pool);
    expect(first.some((r) => r.kind === 'event' && r.fatalitiesLow === 60 && (r.datasetFields as Record<string, string>).date_prec === '4')).toBe(true);
    expect(first.some((r) => r.kind === 'shipment' && (r.datasetFields as Record<string, string>).tivDelivered === '0–0.5')).toBe(true);
    const csvFiles = KINDS.map((kind) =>
      textInput(`${kind}s.csv`, stringify([CSV_COLUMNS[kind], ...first.filter((r) => r.kind === kind).map((r) => recordToCsvRow(r, kind))])),
    );
    for (const inputs of [[textInput('export.ndjson', first.map((r) => JSON.stringify(r)).join('\n'))], csvFiles]) {
      const target = await createTestDatabase();
      const other = createPrisma(target.url, 1);
      try {
        const report = await importWithPool(other.pool, inputs);
        expect(report.errors).toEqual([]);
        expect(await dump(other.pool)).toEqual(first);
      } finally {
        await other.close();
        await target.drop();
      }
    }
  }, 120_000);
});
