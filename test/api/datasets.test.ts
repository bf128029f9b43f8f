// The real datasets through the API of a real server: imported with importRecords (ACLED, SIPRI,
// UCDP GED), then read back — events' fatalities and the dataset's own fields, the filter by
// fatalities, eventStats' fatality sums (directly, beside the rollup's counts), shipments'
// category groups, reports grouped and filtered by group, and the reports' XLSX twins read back
// with exceljs (cell types and values).
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { formatEventStats, options } from '../../src/cli/report';
import { eventStats } from '../../src/services/reports';
import { SHIPMENT_FIGURES } from '../support/reports';
import { startTestServer, type TestServer } from '../support/server';

const fixture = (name: string, encoding: BufferEncoding = 'utf8') => fs.readFileSync(path.resolve(__dirname, '../fixtures/ingest', name), encoding);

let server: TestServer;
const ids: Record<string, string> = {};

const IMPORT = `mutation ($format: ImportFormat!, $data: String!) {
  importRecords(format: $format, data: $data, createMissingActors: true) { committed errors { line field reason } }
}`;

beforeAll(async () => {
  server = await startTestServer();
  // SIPRI's file is windows-1252; GraphQL carries text, decoded here as the importer would.
  for (const [format, data] of [
    ['ACLED', fixture('acled-export.csv')],
    ['UCDP', fixture('ucdp-ged.csv')],
    ['SIPRI', fixture('sipri-trade-register.csv', 'latin1')],
  ]) {
    const res = await server.gql(IMPORT, { format, data });
    expect(res.data?.importRecords).toEqual({ committed: true, errors: [] });
  }
  const actors = await server.gql(`{ actors(first: 100) { edges { node { id name } } } }`);
  for (const { node } of actors.data.actors.edges) ids[node.name] = node.id;
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

describe("events: fatalities and the dataset's own fields", () => {
  it('are read, and filtered by the best figure (unknown ones left out)', async () => {
    const res = await server.gql(`{ events(filter: { minFatalities: 50 }, first: 10) { edges { node {
      title fatalities fatalitiesLow fatalitiesHigh fatalitiesQualifier fatalitiesText datasetFields location { countryCode }
      participants { role actor { name kind } } } } } }`);
    expect(res.errors).toBeUndefined();
    type Node = { participants: { actor: { name: string } }[] };
    const nodes = res.data.events.edges.map((e: { node: Node }) => ({
      ...e.node,
      participants: e.node.participants.sort((a, b) => a.actor.name.localeCompare(b.actor.name)),
    }));
    expect(nodes).toEqual([
      expect.objectContaining({
        title: 'State-based violence: Government of Russia (Soviet Union) - Government of Ukraine (Donetsk oblast, Donetsk oblast, Ukraine)',
        fatalities: 80,
        fatalitiesLow: 60,
        fatalitiesHigh: 150,
        fatalitiesQualifier: 'ESTIMATE',
        fatalitiesText: 'estimated 80 (60–150)',
        location: { countryCode: 'UKR' },
        participants: [
          { role: 'PARTICIPANT', actor: { name: 'Russia', kind: 'STATE' } },
          { role: 'PARTICIPANT', actor: { name: 'Ukraine', kind: 'STATE' } },
        ],
      }),
      expect.objectContaining({
        title: 'Violence against civilians: Attack (Homs, Homs, Syria)',
        fatalities: 89,
        fatalitiesLow: null,
        fatalitiesHigh: null,
        fatalitiesQualifier: 'ESTIMATE',
        fatalitiesText: 'estimated 89',
        location: { countryCode: 'SYR' },
      }),
    ]);
    expect(nodes[0].datasetFields).toMatchObject({
      date_prec: '4',
      where_prec: '4',
      type_of_violence: '1',
      side_a: 'Government of Russia (Soviet Union)',
      gwnoa: '365',
    });
    expect(nodes[1].datasetFields).toMatchObject({
      inter1: 'Political militia',
      inter2: 'Civilians',
      civilian_targeting: 'Civilian targeting',
      region: 'Middle East',
    });
    expect(nodes[1].datasetFields).not.toHaveProperty('iso');
  });

  it("are read as reported by a day too: UCDP's 80 once its article was out (2023-10-02), ACLED's never (its sources are undated)", async () => {
    const Q = `query ($by: Date) { events(reportedBy: $by, filter: { minFatalities: 50 }, first: 10) { edges { node {
      fatalities fatalitiesLow fatalitiesHigh fatalitiesQualifier datasetFields } } } }`;
    const before = await server.gql(Q, { by: '2023-10-01' });
    expect(before.errors).toBeUndefined();
    expect(before.data.events.edges).toEqual([]);
    const after = await server.gql(Q, { by: '2023-10-02' });
    expect(after.errors).toBeUndefined();
    expect(after.data.events.edges.map((e: { node: unknown }) => e.node)).toEqual([
      {
        fatalities: 80,
        fatalitiesLow: 60,
        fatalitiesHigh: 150,
        fatalitiesQualifier: 'ESTIMATE',
        datasetFields: expect.objectContaining({ date_prec: '4', gwnoa: '365' }),
      },
    ]);
    // eventStats' sums read the same relation.
    const stats = await server.gql(`{ eventStats(from: "2023-09-01", to: "2023-09-30", reportedBy: "2023-10-02", filter: { minFatalities: 50 }) {
      events fatalities fatalitiesLow fatalitiesHigh unknownFatalities } }`);
    expect(stats.errors).toBeUndefined();
    expect(stats.data.eventStats).toEqual([{ events: 1, fatalities: 80, fatalitiesLow: 60, fatalitiesHigh: 150, unknownFatalities: 0 }]);
  });

  it("are written through the API like a shipment's quantity, bad ones refused on their field", async () => {
    const created = await server.gql(`mutation { createEvent(input: { type: OBSERVATION, title: "Strike", date: { edtf: "2023-10-07" }, confidence: REPORTED,
      fatalitiesText: "about 40" }) { id fatalities fatalitiesLow fatalitiesHigh fatalitiesQualifier fatalitiesText datasetFields } }`);
    expect(created.errors).toBeUndefined();
    expect(created.data.createEvent).toMatchObject({
      fatalities: 40,
      fatalitiesLow: null,
      fatalitiesHigh: null,
      fatalitiesQualifier: 'APPROXIMATE',
      fatalitiesText: 'about 40',
      datasetFields: null,
    });
    const id = created.data.createEvent.id;
    const bad = await server.gql(`mutation ($id: ID!) { updateEvent(id: $id, input: { fatalitiesLow: 50, fatalitiesHigh: 30 }) { id } }`, { id });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.fatalitiesLow' });
    const negative = await server.gql(`mutation ($id: ID!) { updateEvent(id: $id, input: { fatalities: -1 }) { id } }`, { id });
    expect(negative.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.fatalities' });
    const updated = await server.gql(
      `mutation ($id: ID!) { updateEvent(id: $id, input: { fatalitiesLow: 30, fatalitiesHigh: 50 }) { fatalities fatalitiesText } }`,
      { id },
    );
    expect(updated.data.updateEvent).toEqual({ fatalities: null, fatalitiesText: '30–50' });
    await server.gql(`mutation ($id: ID!) { deleteEvent(id: $id) { id } }`, { id });
  });
});

describe('importRecords: dataset fields', () => {
  it('a lone surrogate in a dataset field (escaped in NDJSON) is refused on its key, never a database error', async () => {
    const data = [
      JSON.stringify({
        kind: 'event',
        externalId: 'lone',
        type: 'OBSERVATION',
        title: 'T',
        date: '2023-09',
        confidence: 'REPORTED',
        datasetFields: { note: 'x' },
      }).replace('"x"', '"bad \\udcff"'),
      JSON.stringify({
        kind: 'event',
        externalId: 'fine',
        type: 'OBSERVATION',
        title: 'T',
        date: '2023-09',
        confidence: 'REPORTED',
        datasetFields: { note: 'ok' },
      }),
    ].join('\n');
    const res = await server.gql(IMPORT, { format: 'NDJSON', data });
    expect(res.errors).toBeUndefined();
    expect(res.data.importRecords).toEqual({
      committed: false,
      errors: [{ line: 1, field: 'datasetFields.note', reason: 'must be well-formed Unicode text (it holds a lone surrogate, or bytes that are not UTF-8)' }],
    });
  });
});

describe('eventStats: fatality sums', () => {
  const STATS = `query ($filter: EventFilter, $groupBy: [EventDimension!]) {
    eventStats(filter: $filter, from: "2023-09-01", to: "2023-10-31", groupBy: $groupBy) { period country events fatalities fatalitiesLow fatalitiesHigh unknownFatalities } }`;

  it('sum the best figures, the bounds only where every event has them', async () => {
    // The events with a figure (the seed's events have none).
    const res = await server.gql(STATS, { groupBy: ['COUNTRY'], filter: { minFatalities: 0 } });
    expect(res.errors).toBeUndefined();
    // Period by period, the countries in order within each.
    expect(res.data.eventStats.filter((b: { events: number }) => b.events > 0)).toEqual([
      // ACLED's Agreement (0 reported); its estimates have no bounds.
      { period: '2023-09', country: 'RUS', events: 1, fatalities: 0, fatalitiesLow: null, fatalitiesHigh: null, unknownFatalities: 0 },
      // ACLED's 2 and 15, UCDP's 2 (2–3) and 80 (60–150).
      { period: '2023-09', country: 'UKR', events: 4, fatalities: 99, fatalitiesLow: null, fatalitiesHigh: null, unknownFatalities: 0 },
      { period: '2023-10', country: 'SYR', events: 2, fatalities: 89, fatalitiesLow: null, fatalitiesHigh: null, unknownFatalities: 0 },
    ]);
    // UCDP's events alone (their participants are the states; the seed's statement naming
    // Ukraine has no figure, so minFatalities leaves it out): every bound known.
    const ucdp = await server.gql(STATS, { filter: { actorIds: [ids.Ukraine], minFatalities: 0 } });
    expect(ucdp.data.eventStats).toEqual([
      { period: '2023-09', country: null, events: 2, fatalities: 82, fatalitiesLow: 62, fatalitiesHigh: 153, unknownFatalities: 0 },
      { period: '2023-10', country: null, events: 0, fatalities: 0, fatalitiesLow: 0, fatalitiesHigh: 0, unknownFatalities: 0 },
    ]);
  });

  it('minFatalities is a number of fatalities (0 to MAX_QUANTITY): anything else is refused by name, in GraphQL and the files', async () => {
    for (const minFatalities of [-1, 1e16]) {
      for (const res of [
        await server.gql(`query ($f: EventFilter) { events(filter: $f, first: 1) { edges { node { id } } } }`, { f: { minFatalities } }),
        await server.gql(STATS, { filter: { minFatalities } }),
      ]) {
        expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.minFatalities' });
      }
    }
    for (const value of ['-1', '1e400', 'NaN', 'lots']) {
      const res = await fetch(new URL(`/reports/events.csv?from=2023-09-01&to=2023-10-31&minFatalities=${value}`, server.url));
      expect([value, res.status, ((await res.json()) as { field: string }).field]).toEqual([value, 400, 'minFatalities']);
    }
  });

  it("an event without a figure is unknown, never 0; the counts are the rollup's", async () => {
    const q = (fields: string) => server.gql(`{ eventStats(from: "2021-08-01", to: "2021-08-31") { ${fields} } }`);
    const withFatalities = await q('period events fatalities unknownFatalities');
    expect(withFatalities.data.eventStats).toEqual([{ period: '2021-08', events: 1, fatalities: null, unknownFatalities: 1 }]);
    // Without fatality fields the report is read from the monthly rollup: the same counts.
    expect((await q('period events')).data.eventStats).toEqual([{ period: '2021-08', events: 1 }]);
  });

  it('say which sums are estimates: a figure not EXACT, a pro-rata share, an open end; exact only without those and without unknowns', async () => {
    const ids: string[] = [];
    const event = async (date: string, figure: string) => {
      const res = await server.gql(`mutation { createEvent(input: { type: OBSERVATION, title: "Quillwort strike", date: { edtf: "${date}" },
        confidence: REPORTED ${figure} }) { id } }`);
      expect(res.errors).toBeUndefined();
      ids.push(res.data.createEvent.id);
    };
    try {
      await event('2023-09-05', 'fatalities: 10');
      await event('2023-09-21/2023-10-10', 'fatalities: 20'); // 10 days in each month
      await event('2023-10-03', 'fatalitiesText: "about 40"');
      await event('2023-10-15/..', 'fatalities: 5');
      await event('2023-09-12', '');
      const stats = (attribution: string, minFatalities: number | null) =>
        server.gql(
          `query ($f: EventFilter) { eventStats(filter: $f, from: "2023-09-01", to: "2023-10-31", attribution: ${attribution}) {
          period events fatalities unknownFatalities estimatedFatalities fatalitiesExact } }`,
          { f: { search: 'Quillwort', minFatalities } },
        );
      expect((await stats('PRO_RATA', null)).data.eventStats).toEqual([
        { period: '2023-09', events: 3, fatalities: 20, unknownFatalities: 1, estimatedFatalities: 1, fatalitiesExact: false },
        { period: '2023-10', events: 3, fatalities: 55, unknownFatalities: 0, estimatedFatalities: 3, fatalitiesExact: false },
      ]);
      // Each event whole in the month it starts: September's two EXACT figures are exact.
      expect((await stats('START', 0)).data.eventStats).toEqual([
        { period: '2023-09', events: 2, fatalities: 30, unknownFatalities: 0, estimatedFatalities: 0, fatalitiesExact: true },
        { period: '2023-10', events: 2, fatalities: 45, unknownFatalities: 0, estimatedFatalities: 2, fatalitiesExact: false },
      ]);
      // npm run report -- --events --fatalities: the sums by the display rule, with what ≈ means.
      const buckets = await eventStats(server.db, { from: '2023-09-01', to: '2023-10-31', filter: { search: 'Quillwort' }, fatalities: true });
      expect(formatEventStats(buckets, [], false, { attribution: 'PRO_RATA' }).split('\n')).toEqual([
        'Events by period',
        '',
        'period   events  fatalities  low–high  unknown  estimated',
        '-------  ------  ----------  --------  -------  ---------',
        '2023-09       3         ≈20   unknown        1          1',
        '2023-10       3         ≈55   unknown        0          3',
        '',
        '≈ an estimate, printed to 2 significant figures (a range rounded outwards); `estimated` counts the events whose part is one:',
        "a figure that is not exact (ACLED's and UCDP's are estimates), an event with an open end, or a share of an event split between periods pro rata by its days.",
        'The CSV (--csv) and the API keep the unrounded values.',
      ]);
      // September's two EXACT figures whole (START, known figures only): printed in full.
      const exact = await eventStats(server.db, {
        from: '2023-09-01',
        to: '2023-09-30',
        attribution: 'START',
        filter: { search: 'Quillwort', minFatalities: 0 },
        fatalities: true,
      });
      expect(formatEventStats(exact, [], false, { attribution: 'START' }).split('\n').slice(2)).toEqual([
        'period   events  fatalities  low–high  unknown  estimated',
        '-------  ------  ----------  --------  -------  ---------',
        '2023-09       2          30        30        0          0',
      ]);
    } finally {
      for (const id of ids) await server.gql(`mutation ($id: ID!) { deleteEvent(id: $id) { id } }`, { id });
    }
  });

  it('npm run report: --fatalities goes with --events', () => {
    expect(() => options(['--from', '2023-09-01', '--to', '2023-10-31', '--fatalities'])).toThrow('--fatalities goes with --events');
    expect(options(['--events', '--fatalities', '--from', '2023-09-01', '--to', '2023-10-31'])).toMatchObject({ events: true, fatalities: true });
  });

  it('in the events CSV and XLSX with fatalities=true', async () => {
    const url = (ext: string) => new URL(`/reports/events.${ext}?from=2023-10-01&to=2023-10-31&groupBy=COUNTRY&fatalities=true&minFatalities=1`, server.url);
    const csv = await (await fetch(url('csv'))).text();
    expect(csv.trim().split('\n')).toEqual([
      'period,start,end,country,events,fatalities,fatalities_low,fatalities_high,unknown_fatalities,estimated_fatalities',
      '2023-10,2023-10-01,2023-10-31,SYR,1,89,,,0,1',
    ]);
    const res = await fetch(url('xlsx'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="events_2023-10-01_2023-10-31_month.xlsx"');
    const sheet = await readSheet(res, 'events');
    expect(sheet).toEqual([
      ['period', 'start', 'end', 'country', 'events', 'fatalities', 'fatalities_low', 'fatalities_high', 'unknown_fatalities', 'estimated_fatalities'],
      ['2023-10', '2023-10-01', '2023-10-31', 'SYR', 1, 89, null, null, 0, 1],
    ]);
  });
});

/** A workbook's sheet as rows of values: text as strings (asserting each text cell is text, never a formula), numbers and booleans as they are. */
async function readSheet(res: Response, name: string): Promise<(string | number | boolean | null)[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
  const sheet = workbook.getWorksheet(name)!;
  const out: (string | number | boolean | null)[][] = [];
  sheet.eachRow((row) => {
    const cells: (string | number | boolean | null)[] = [];
    for (let i = 1; i <= sheet.columnCount; i += 1) {
      const cell = row.getCell(i);
      if (cell.type === ExcelJS.ValueType.Null) cells.push(null);
      else if (cell.type === ExcelJS.ValueType.Number || cell.type === ExcelJS.ValueType.Boolean) cells.push(cell.value as number | boolean);
      else {
        expect(cell.type).toBe(ExcelJS.ValueType.RichText);
        cells.push(cell.text);
      }
    }
    out.push(cells);
  });
  return out;
}

describe('shipments: category groups', () => {
  it("each shipment names its category's group; the filter by group", async () => {
    const res = await server.gql(
      `{ shipments(filter: { categoryGroups: [ARTILLERY] }, first: 10) { edges { node { category categoryGroup unit datasetFields } } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.shipments.edges.map((e: { node: unknown }) => e.node)).toEqual([
      {
        category: 'ARTILLERY',
        categoryGroup: 'ARTILLERY',
        unit: 'AHS Krab',
        datasetFields: {
          orderYear: '2022',
          numberOrdered: '54',
          numberDelivered: '54',
          deliveryYears: '2022-2023',
          status: 'New',
          tivPerUnit: '6.25',
          tivOrder: '337.5',
          tivDelivered: '337.5',
        },
      },
      {
        category: 'MULTIPLE_ROCKET_LAUNCHERS',
        categoryGroup: 'ARTILLERY',
        unit: 'M-1991',
        datasetFields: { orderYear: '2024', numberOrdered: 'estimated 24', status: 'New', tivPerUnit: '2.4', tivOrder: '57.6' },
      },
    ]);
  });

  it("reports group by the group (from the rollup and directly alike), in the groups' order", async () => {
    const REPORT = `query ($filter: ShipmentFilter) { shipmentReport(from: "2015-01-01", to: "2025-12-31", granularity: YEAR, groupBy: [CATEGORY_GROUP], filter: $filter) {
      totals { categoryGroup category unit shipments quantity unknownQuantity } } }`;
    const rollup = await server.gql(REPORT);
    expect(rollup.errors).toBeUndefined();
    const totals = rollup.data.shipmentReport.totals;
    expect(
      totals.map((t: { categoryGroup: string; unit: string; shipments: number; quantity: number }) => [t.categoryGroup, t.unit, t.shipments, t.quantity]),
    ).toEqual([
      ['AIRCRAFT', 'Aerostar', 1, 3],
      ['AIRCRAFT', 'Bayraktar TB2', 1, 6],
      ['AIRCRAFT', 'Gazelle', 1, 2],
      ['AIR_DEFENCE_SYSTEMS', 'IRIS-T SLM', 1, 3],
      ['ARTILLERY', 'AHS Krab', 1, 54],
      ['ARTILLERY', 'M-1991', 1, 24],
      ['MISSILES', 'C-802', 1, 20],
      ['MISSILES', 'KN-23', 2, 70],
      ['MISSILES', 'Shahed-136', 1, 2000],
      // The seed's: its shells and rockets (quantities unknown), its containers still unspecified military equipment, its food.
      ['AMMUNITION', null, 2, null],
      ['MILITARY_EQUIPMENT', 'containers', 1, 1000],
      ['FOOD', null, 1, null],
    ]);
    expect(totals.every((t: { category: string | null }) => t.category === null)).toBe(true);
    // A filter the rollup does not keep (minSources) computes it on the shipments: the same totals.
    const direct = await server.gql(REPORT, { filter: { minSources: 1 } });
    expect(direct.data.shipmentReport.totals).toEqual(totals);
    const missiles = await server.gql(REPORT, { filter: { categoryGroups: [MISSILES_GROUP] } });
    expect(missiles.data.shipmentReport.totals.map((t: { unit: string }) => t.unit)).toEqual(['C-802', 'KN-23', 'Shahed-136']);
  });

  it('the shipments XLSX: periods and dates as text, figures as numbers, the group as a column', async () => {
    const res = await fetch(
      new URL(
        '/reports/shipments.xlsx?from=2022-01-01&to=2023-12-31&granularity=YEAR&groupBy=CATEGORY_GROUP&categoryGroups=ARTILLERY&attribution=START',
        server.url,
      ),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="shipments_2022-01-01_2023-12-31_year.xlsx"');
    expect(await readSheet(res, 'shipments')).toEqual([
      ['period', 'start', 'end', 'category_group', ...SHIPMENT_FIGURES],
      // SIPRI's 54 delivered over 2022-2023, placed whole in 2022 (START): exact, and a boolean cell.
      ['2022', '2022-01-01', '2022-12-31', 'ARTILLERY', 'AHS Krab', 1, 54, 0, 54, 54, 0, 0, 0, true],
      ['2023', '2023-01-01', '2023-12-31', 'ARTILLERY', 'AHS Krab', 0, 0, 0, 0, 0, 0, 0, 0, true],
    ]);
    const bad = await fetch(new URL('/reports/shipments.xlsx?from=2022-01-01&to=2023-12-31&categoryGroups=TANKS', server.url));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'BAD_USER_INPUT', field: 'categoryGroups[0]' });
  });
});

const MISSILES_GROUP = 'MISSILES';
