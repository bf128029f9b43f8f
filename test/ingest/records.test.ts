// The pure parts of the import: record validation (every issue, with its field), the span fast
// path against the EDTF parser, CSV rows, the ACLED and SIPRI mappers, the synthetic generator.
import { parseEdtf } from '../../src/domain/dateSpan';
import { ACLED_LAYOUT, acledActor, acledDate, interCode } from '../../src/ingest/acled';
import { csvRowToRecord, recordToCsvRow, CSV_COLUMNS } from '../../src/ingest/csv';
import { fastSpan, normalizeRecord } from '../../src/ingest/records';
import { SIPRI_LAYOUT } from '../../src/ingest/sipri';
import { synthRecords } from '../../src/ingest/synth';

/** What normalizeRecord finds wrong with `raw`, as "field: reason" lines (none for a valid record). */
function issuesOf(raw: unknown): string[] {
  const r = normalizeRecord(raw, 'd');
  return r.ok ? [] : r.issues.map((i) => `${i.field}: ${i.reason}`);
}

/** The row normalizeRecord stages of `raw`, a record that must be valid, in `dataset`. */
function rowOf(raw: unknown, dataset: string) {
  const r = normalizeRecord(raw, dataset);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.record.row;
}

describe('normalizeRecord', () => {
  it("refuses dataset fields the database cannot store, naming the key (text rules and limits as every field's)", () => {
    const event = { kind: 'event', externalId: 'e', type: 'OBSERVATION', title: 'T', date: '2023-09', confidence: 'REPORTED' };
    const issues = (datasetFields: unknown) => issuesOf({ ...event, datasetFields });
    const surrogate = 'must be well-formed Unicode text (it holds a lone surrogate, or bytes that are not UTF-8)';
    expect(issues({ note: 'bad \udcff here' })).toEqual([`datasetFields.note: ${surrogate}`]);
    expect(issues({ nested: { list: ['ok', 'a\u0000b'] } })).toEqual(['datasetFields.nested.list[1]: must not contain a NUL character']);
    expect(issues({ 'k\udcffey': 'v' })).toEqual([`datasetFields: a key ${surrogate}`]);
    expect(issues({ ['k'.repeat(201)]: 'v' })).toEqual(['datasetFields: a key must be at most 200 characters (got 201)']);
    expect(issues({ note: 'n'.repeat(20_001) })).toEqual(['datasetFields.note: must be at most 20000 characters (got 20001)']);
    expect(issues(JSON.stringify({ note: 'n'.repeat(20_000), other: 1, list: ['😀'] }))).toEqual([]);
  });

  it('stages a valid record with its references', () => {
    const r = normalizeRecord(
      {
        kind: 'shipment',
        externalId: 's1',
        supplier: 'DPRK',
        recipient: { externalId: 'rus', dataset: 'other' },
        category: 'missiles',
        quantity: '12',
        unit: 'launchers',
        delivery: '2023-Q4',
        status: 'REPORTED',
        confidence: 'ALLEGED',
        events: ['e1'],
      },
      'demo',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.record.row).toMatchObject({
      dataset: 'demo',
      external_id: 's1',
      category: 'MISSILES',
      quantity: 12,
      unit: 'launchers',
      delivery_start: '2023-10-01',
      delivery_end: '2023-12-31',
      delivery_precision: 'QUARTER',
    });
    expect(r.record.refs.map((x) => [x.slot, x.ref_dataset, x.ref_external_id, x.ref_name])).toEqual([
      ['supplier', null, null, 'DPRK'],
      ['recipient', 'other', 'rus', null],
      ['event', 'demo', 'e1', null],
    ]);
  });

  it('reports every issue of a record, each with its field', () => {
    const r = normalizeRecord(
      {
        kind: 'event',
        type: 'PARTY',
        title: ' ',
        date: { start: '2023-10-01', end: '2023-09-07' },
        confidence: 'SURE',
        location: { countryCode: 'KP', latitude: 91 },
        participants: [{ actor: '', role: 'HOST' }, 'Russia'],
      },
      'demo',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.field)).toEqual([
      'externalId',
      'type',
      'title',
      'date.end',
      'location.countryCode',
      'location.latitude',
      'confidence',
      'participants[0].role',
      'participants[0].actor',
      'participants[1]',
    ]);
  });

  it('refuses what the database would refuse: unit-less quantities, NUL characters, same supplier and recipient, bad ids', () => {
    const base = {
      kind: 'shipment',
      externalId: 'x',
      supplier: 'A',
      recipient: 'B',
      category: 'FOOD',
      delivery: '2023',
      status: 'PLANNED',
      confidence: 'ASSESSED',
    };
    expect(issuesOf({ ...base, quantity: 5 })).toEqual(['unit: a quantity needs a unit ("containers", "rounds", "tonnes" …)']);
    expect(issuesOf({ ...base, quantity: -1, unit: 't' })).toEqual(['quantity: must not be negative (got -1)']);
    expect(issuesOf({ ...base, quantity: 1e16, unit: 't' })).toEqual(['quantity: must be at most 1000000000000000 (got 10000000000000000)']);
    expect(issuesOf({ ...base, route: 'a\u0000b' })).toEqual(['route: must not contain a NUL character']);
    expect(issuesOf({ ...base, recipient: 'a' })).toEqual(['recipient: supplier and recipient must be different actors']);
    expect(issuesOf({ ...base, id: 'nope' })).toEqual(['id: "nope" is not a UUID']);
    expect(issuesOf({ kind: 'planet', externalId: 'p' })).toEqual([
      'kind: "planet" is not one of actor, source, event, affiliation, shipment, citation, claim',
    ]);
    expect(issuesOf({ kind: 'citation', externalId: 'c', source: 's', event: 'e', shipment: 'h', excerpt: 'x' })).toEqual([
      'shipment: a citation supports exactly one of event, shipment, affiliation',
    ]);
    expect(normalizeRecord([1, 2], 'd')).toMatchObject({ ok: false, issues: [{ field: '(record)' }] });
  });

  it('actors: the name is the first alias, duplicates (case-insensitive) dropped', () => {
    const r = normalizeRecord({ kind: 'actor', externalId: 'a', name: 'North Korea', actorKind: 'state', aliases: ['DPRK', 'north korea', 'dprk'] }, 'd');
    expect(r.ok && r.record.row).toMatchObject({ name: 'North Korea', kind: 'STATE', aliases: ['North Korea', 'DPRK'] });
  });
});

describe('claim records', () => {
  const claim = { kind: 'claim', externalId: 'k1', claimant: 'White House', shipment: 'containers', likelihood: 'almost_certain' };

  it('stage claimant, subject and citation references, the value canonical, accepted from CSV text', () => {
    const r = normalizeRecord(
      csvRowToRecord({ ...claim, citation: 'c1', field: 'quantity', value: '1e3', accepted: 'true', statedOn: '2023-10-13' }, 'claim'),
      'demo',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.record.row).toMatchObject({
      field: 'quantity',
      value: '1000',
      likelihood: 'ALMOST_CERTAIN',
      confidence: 'REPORTED',
      accepted: true,
      stated_on: '2023-10-13',
    });
    expect(r.record.refs.map((x) => [x.slot, x.target_kind, x.ref_external_id ?? x.ref_name])).toEqual([
      ['claimant', 'actor', 'White House'],
      ['subject', 'shipment', 'containers'],
      ['citation', 'citation', 'c1'],
    ]);
  });

  it('refuse what the API refuses, each issue with its field', () => {
    const issues = (rec: Record<string, unknown>) => {
      const r = normalizeRecord(rec, 'demo');
      return r.ok ? [] : r.issues.map((i) => i.field);
    };
    expect(issues({ ...claim, field: 'colour', value: 'red' })).toEqual(['field']);
    expect(issues({ ...claim, field: 'quantity', value: 'many' })).toEqual(['value']);
    expect(issues({ ...claim, field: 'date', value: '2023-07' })).toEqual(['field']);
    expect(issues({ ...claim, event: 'e1' })).toEqual(['shipment']);
    expect(issues({ ...claim, likelihood: 'maybe', accepted: 'yes' })).toEqual(['likelihood', 'accepted']);
  });

  it('sources repeat an origin; citations carry an evidence type (default OTHER)', () => {
    const s = normalizeRecord({ kind: 'source', externalId: 's2', publisher: 'Echo', title: 'Repeat', derivedFrom: 's1' }, 'demo');
    expect(s.ok && s.record.refs.map((x) => [x.slot, x.target_kind, x.ref_external_id])).toEqual([['origin', 'source', 's1']]);
    const c = normalizeRecord({ kind: 'citation', externalId: 'c', source: 's', event: 'e', excerpt: 'x' }, 'demo');
    expect(c.ok && c.record.row.evidence_type).toBe('OTHER');
    const bad = normalizeRecord({ kind: 'citation', externalId: 'c', source: 's', event: 'e', excerpt: 'x', evidenceType: 'RUMOUR' }, 'demo');
    expect(!bad.ok && bad.issues.map((i) => i.field)).toEqual(['evidenceType']);
  });
});

describe('uncertainty in records', () => {
  const base = {
    kind: 'shipment',
    externalId: 'x',
    supplier: 'A',
    recipient: 'B',
    category: 'FOOD',
    delivery: '2023',
    status: 'PLANNED',
    confidence: 'ASSESSED',
    unit: 't',
  };
  const row = (raw: object) => rowOf(raw, 'd');
  const quantity = (raw: object) => {
    const x = row({ ...base, ...raw });
    return [x.quantity, x.quantity_low, x.quantity_high, x.quantity_qualifier];
  };

  it('a bare quantity (files written before qualifiers) is EXACT; the fields and quantityText give the rest', () => {
    expect(quantity({ quantity: 500 })).toEqual([500, 500, 500, 'EXACT']);
    expect(quantity({ quantity: '500' })).toEqual([500, 500, 500, 'EXACT']);
    expect(quantity({})).toEqual([null, null, null, null]);
    expect(quantity({ quantity: 500, quantityQualifier: 'approximate' })).toEqual([500, null, null, 'APPROXIMATE']);
    expect(quantity({ quantityLow: '300', quantityHigh: '500' })).toEqual([null, 300, 500, 'APPROXIMATE']);
    expect(quantity({ quantity: 1000, quantityLow: 1000, quantityQualifier: 'AT_LEAST' })).toEqual([1000, 1000, null, 'AT_LEAST']);
    expect(quantity({ quantityText: 'about 400 (300–500)' })).toEqual([400, 300, 500, 'APPROXIMATE']);
    expect(quantity({ quantityText: '(50)' })).toEqual([50, null, null, 'ESTIMATE']);
  });

  it('refuses bad quantities, naming the field', () => {
    expect(issuesOf({ ...base, quantityText: 'lots' })).toEqual([expect.stringMatching(/^quantityText: "lots" is not a quantity/)]);
    expect(issuesOf({ ...base, quantityText: 'about 5', quantity: 5 })).toEqual([expect.stringMatching(/^quantityText: give either quantityText or quantity/)]);
    expect(issuesOf({ ...base, quantityLow: 5, quantityHigh: 3 })).toEqual([
      expect.stringMatching(/^quantityLow: quantityLow \(5\) is above quantityHigh \(3\)/),
    ]);
    expect(issuesOf({ ...base, quantity: 5, quantityQualifier: 'MANY' })).toEqual([expect.stringMatching(/^quantityQualifier: "MANY" is not one of EXACT/)]);
    expect(issuesOf({ ...base, unit: undefined, quantityLow: 1, quantityHigh: 2 })).toEqual([
      'unit: a quantity needs a unit ("containers", "rounds", "tonnes" …)',
    ]);
  });

  it('spans keep qualifiers and open ends, as EDTF strings or as exported objects (bounds and EDTF agreeing)', () => {
    const delivery = (d: unknown) => {
      const x = row({ ...base, delivery: d });
      return [x.delivery_start, x.delivery_end, x.delivery_precision, x.delivery_edtf, x.delivery_open];
    };
    expect(delivery('2023-11~')).toEqual(['2023-11-01', '2023-11-30', 'MONTH', '2023-11~', false]);
    expect(delivery('2023-09-11/')).toEqual(['2023-09-11', '2023-09-11', 'RANGE', '2023-09-11/', true]);
    expect(delivery({ start: '2023-09-11', end: '2023-09-11', precision: 'RANGE', edtf: '2023-09-11/..', text: 'from 11 Sep' })).toEqual([
      '2023-09-11',
      '2023-09-11',
      'RANGE',
      '2023-09-11/..',
      true,
    ]);
    expect(issuesOf({ ...base, delivery: { start: '2023-09-11', end: '2023-12-31', edtf: '2023-09-11/..' } })).toEqual([
      'delivery.end: end 2023-12-31 is not the EDTF\'s: "2023-09-11/.." is 2023-09-11..2023-09-11 RANGE',
    ]);
    expect(issuesOf({ ...base, delivery: '../..' })).toEqual([
      expect.stringMatching(/^delivery: Invalid EDTF date "..\/..": an interval needs at least one known end/),
    ]);
  });

  it("a source's publication: published (a span), or publishedAt (a day) from older files; both must agree", () => {
    const source = { kind: 'source', externalId: 's', publisher: 'P', title: 'T' };
    const published = (raw: object) => {
      const x = row({ ...source, ...raw });
      return [x.published_at, x.published_end, x.published_precision, x.published_edtf];
    };
    expect(published({ publishedAt: '2023-10-13' })).toEqual(['2023-10-13', '2023-10-13', 'DAY', null]);
    expect(published({ published: '2023-10~' })).toEqual(['2023-10-01', '2023-10-31', 'MONTH', '2023-10~']);
    expect(published({ publishedAt: '2023-10-13', published: { start: '2023-10-13', end: '2023-10-31' } })).toEqual([
      '2023-10-13',
      '2023-10-31',
      'RANGE',
      null,
    ]);
    expect(published({})).toEqual([null, null, null, null]);
    expect(issuesOf({ ...source, publishedAt: '2023-10-12', published: '2023-10-13' })).toEqual([
      'publishedAt: publishedAt (2023-10-12) is not the first day of published (2023-10-13); give only published',
    ]);
  });
});

describe('fastSpan', () => {
  it('gives what the EDTF parser gives for the forms it shortcuts', () => {
    for (const s of ['2023-09-07', '2024-02', '2023', '2023-09-07/2023-10-01', '2023-09-07~', '2023-05?', '2023%', '2023-37', '2023-09-07/2023-10']) {
      expect(fastSpan(s)).toEqual(parseEdtf(s));
    }
  });

  it('reads "2023-Q4" as a quarter, and refuses what EDTF refuses', () => {
    expect(fastSpan('2023-Q4')).toEqual({ start: '2023-10-01', end: '2023-12-31', precision: 'QUARTER', text: null, edtf: null });
    expect(() => fastSpan('2023-02-30')).toThrow(/not a calendar date/);
    expect(() => fastSpan('2023-13')).toThrow();
    expect(() => fastSpan('2023-10-01/2023-09-07')).toThrow();
  });
});

describe('CSV', () => {
  it('dotted columns nest, empty cells are absent, lists are JSON or "|"-separated', () => {
    expect(
      csvRowToRecord({ externalId: 'x', 'supplier.name': 'Iran', 'supplier.externalId': '', quantity: '', aliases: 'A|B', events: '["e1"]' }, 'shipment'),
    ).toEqual({ kind: 'shipment', externalId: 'x', supplier: { name: 'Iran' }, aliases: ['A', 'B'], events: '["e1"]' }); // JSON cells: parsed by normalizeRecord
  });

  it("an export record flattens into its kind's columns and back", () => {
    const record = {
      kind: 'event',
      id: '6d12596d-118c-4a3d-95e0-b0f62ac219d3',
      dataset: 'd',
      externalId: 'e',
      type: 'MEETING',
      title: 'T',
      date: { start: '2023-09-07', end: '2023-10-01', precision: 'RANGE', text: 'between' },
      location: { latitude: 1.5 },
      confidence: 'REPORTED',
      participants: [{ actor: { dataset: 'd', externalId: 'a' }, role: 'TARGET' }],
    };
    const row = recordToCsvRow(record, 'event');
    const back = csvRowToRecord(Object.fromEntries(CSV_COLUMNS.event.map((c, i) => [c, String(row[i])])), 'event');
    expect(normalizeRecord(back, 'x')).toEqual(normalizeRecord(record, 'x'));
  });
});

/** The records a layout's reader makes of rows given as objects (header from their keys, in order). */
function readRows(layout: typeof ACLED_LAYOUT, rows: Record<string, string>[]): Record<string, unknown>[] {
  const header = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const read = layout.reader(header, {});
  return rows
    .flatMap((r, i) =>
      read(
        header.map((h) => r[h] ?? ''),
        i + 2,
      ),
    )
    .map((item) => {
      if (item.issues) throw new Error(JSON.stringify(item.issues));
      return item.raw as Record<string, unknown>;
    });
}

describe('ACLED', () => {
  it('reads its date formats, refusing impossible dates', () => {
    expect(acledDate('13 September 2023')).toBe('2023-09-13');
    expect(acledDate('3-Sep-2023')).toBe('2023-09-03');
    expect(acledDate('2023-09-13')).toBe('2023-09-13');
    expect(acledDate('2023-02-30')).toBeNull();
    expect(acledDate('31 June 2023')).toBeNull();
  });

  it.each([
    ['1', 1],
    ['8', 8],
    ['State forces', 1],
    ['Rebel group', 2],
    ['Political militia', 3],
    ['Identity militia', 4],
    ['Rioters', 5],
    ['Protesters', 6],
    ['Civilians', 7],
    ['External/Other forces', 8],
    ['', null],
    ['9', undefined],
    ['militia', undefined],
  ])('inter code %j is %j', (cell, code) => {
    expect(interCode(cell as string)).toBe(code);
  });

  it.each([
    ['Government of Russia (2000-)', { kind: 'STATE', state: 'Russia' }],
    ['Government of North Korea (2011-)', { kind: 'STATE', state: 'North Korea' }],
    ['Government of Ukraine', { kind: 'STATE', state: 'Ukraine' }],
    ['Government of Russia (2000-) Ministry of Defence', { kind: 'OTHER' }],
    ['Military Forces of Afghanistan (2004-2021)', { kind: 'UNIT', state: 'Afghanistan', from: 2004, to: 2021 }],
    ['Military Forces of the Democratic Republic of Congo (2019-)', { kind: 'UNIT', state: 'the Democratic Republic of Congo', from: 2019, to: undefined }],
    ['Police Forces of Ukraine (2019-) Prison Guards', { kind: 'UNIT', state: 'Ukraine', from: 2019, to: undefined }],
    ['Civilians (Ukraine)', { kind: 'OTHER' }],
    ['Wagner Group', { kind: 'OTHER' }],
  ])('%s', (name, who) => {
    expect(acledActor(name)).toEqual(who);
  });

  it('one row: an event, its units with their affiliation (once a file), one source per name, a citation of the notes', () => {
    const row = {
      event_id_cnty: 'X1',
      event_date: '2023-09-13',
      time_precision: '3',
      event_type: 'Battles',
      sub_event_type: 'Armed clash',
      actor1: 'Military Forces of Russia (2000-)',
      assoc_actor_1: 'B; C',
      inter1: '8',
      actor2: 'D',
      inter2: '2',
      source: 'S1; S2',
      notes: 'n',
      location: 'L',
      country: 'Ukraine',
      iso: '804',
      fatalities: '3',
    };
    const out = readRows(ACLED_LAYOUT, [row, { ...row, event_id_cnty: 'X2' }]);
    expect(out.map((r) => r.kind)).toEqual(['actor', 'affiliation', 'event', 'source', 'citation', 'source', 'citation', 'event', 'citation', 'citation']);
    expect(out[1]).toMatchObject({
      actor: { externalId: 'Military Forces of Russia (2000-)' },
      target: { name: 'Russia', actorKind: 'STATE', countryCode: 'RUS' },
      role: 'PART_OF',
      span: { edtf: '2000/..' },
    });
    expect(out[2]).toMatchObject({
      externalId: 'X1',
      date: { edtf: '2023-09~' },
      location: { countryCode: 'UKR' },
      fatalities: 3,
      fatalitiesQualifier: 'ESTIMATE',
      participants: [
        { actor: { externalId: 'Military Forces of Russia (2000-)' }, role: 'INITIATOR' },
        { actor: { name: 'D', actorKind: 'ORGANIZATION' }, role: 'TARGET' },
        { actor: { name: 'B', actorKind: 'ORGANIZATION' }, role: 'ASSOCIATED' },
        { actor: { name: 'C', actorKind: 'ORGANIZATION' }, role: 'ASSOCIATED' },
      ],
    });
    expect(out.every((r) => normalizeRecord(r, 'acled').ok)).toBe(true);
  });
});

describe('ACLED time precision', () => {
  const row = { event_id_cnty: 'X1', event_type: 'Battles', actor1: 'A', source: 'S' };
  const dateOf = (event_date: string, time_precision: string) => {
    const event = readRows(ACLED_LAYOUT, [{ ...row, event_date, time_precision }]).find((r) => r.kind === 'event');
    const { span_start, span_end, span_precision, span_edtf } = rowOf(event, 'acled');
    return [span_start, span_end, span_precision, span_edtf];
  };

  it.each([
    ['1: the day', '2023-09-13', '1', ['2023-09-13', '2023-09-13', 'DAY', null]],
    ['2: the week around the date (its middle), approximate', '2023-09-13', '2', ['2023-09-10', '2023-09-16', 'RANGE', '2023-09-10~/2023-09-16~']],
    ['3: the month of the date (its mid-point, first or last day), approximate', '2023-09-15', '3', ['2023-09-01', '2023-09-30', 'MONTH', '2023-09~']],
  ])('%s', (_name, date, precision, expected) => {
    expect(dateOf(date, precision)).toEqual(expected);
  });
});

describe('SIPRI', () => {
  const shipmentOf = (row: Record<string, string>) => {
    const shipment = readRows(SIPRI_LAYOUT, [{ Supplier: 'A', Recipient: 'B', 'Weapon designation': 'X', ...row }]).find((r) => r.kind === 'shipment')!;
    const x = rowOf(shipment, 'sipri');
    return [
      x.quantity,
      x.quantity_low,
      x.quantity_high,
      x.quantity_qualifier,
      x.delivery_start,
      x.delivery_end,
      x.delivery_precision,
      x.delivery_edtf,
      x.status,
      x.confidence,
    ];
  };

  it.each([
    [
      'a plain row: exact',
      { 'Number delivered': '3', 'Year(s) of delivery': '2023' },
      [3, 3, 3, 'EXACT', '2023-01-01', '2023-12-31', 'YEAR', null, 'CONFIRMED', 'CONFIRMED'],
    ],
    [
      'several years: a RANGE',
      { 'Number delivered': '3', 'Year(s) of delivery': '2016; 2015' },
      [3, 3, 3, 'EXACT', '2015-01-01', '2016-12-31', 'RANGE', null, 'CONFIRMED', 'CONFIRMED'],
    ],
    [
      'a bracketed number: an estimate, status and confidence not lowered',
      { 'Number delivered': '(50)', 'Year(s) of delivery': '2023-2024' },
      [50, null, null, 'ESTIMATE', '2023-01-01', '2024-12-31', 'RANGE', null, 'CONFIRMED', 'CONFIRMED'],
    ],
    [
      'a bracketed year: an approximate year, the same bounds',
      { 'Number delivered': '2', 'Year(s) of delivery': '(2022)' },
      [2, 2, 2, 'EXACT', '2022-01-01', '2022-12-31', 'YEAR', '2022~', 'CONFIRMED', 'CONFIRMED'],
    ],
    [
      'a bracketed last year: that end approximate',
      { 'Number delivered': '(1000)', 'Year(s) of delivery': '2022; (2023)' },
      [1000, null, null, 'ESTIMATE', '2022-01-01', '2023-12-31', 'RANGE', '2022/2023~', 'CONFIRMED', 'CONFIRMED'],
    ],
    [
      'a "?" after a year, as in the site\'s cells: that end approximate',
      { 'Number delivered': '4', 'Year(s) of delivery': '2021; 2022?' },
      [4, 4, 4, 'EXACT', '2021-01-01', '2022-12-31', 'RANGE', '2021/2022~', 'CONFIRMED', 'CONFIRMED'],
    ],
    [
      'not delivered, a bracketed order year: planned, approximate',
      { 'Year of order': '(2021)', 'Number ordered': '(12)' },
      [12, null, null, 'ESTIMATE', '2021-01-01', '2021-12-31', 'YEAR', '2021~', 'PLANNED', 'REPORTED'],
    ],
    [
      '". ." is unknown',
      { 'Number delivered': '. .', 'Year(s) of delivery': '2023' },
      [null, null, null, null, '2023-01-01', '2023-12-31', 'YEAR', null, 'CONFIRMED', 'CONFIRMED'],
    ],
  ])('%s', (_name, row, expected) => {
    expect(shipmentOf(row)).toEqual(expected);
  });

  it('repeated rows get numbered external ids', () => {
    const row = { Supplier: 'A', Recipient: 'B', 'Year of order': '2020', 'Weapon designation': 'X', 'Number delivered': '2', 'Year(s) of delivery': '2021' };
    const ids = readRows(SIPRI_LAYOUT, [row, row])
      .filter((r) => r.kind === 'shipment')
      .map((r) => r.externalId);
    expect(ids).toEqual(['A|B|2020|X', 'A|B|2020|X#2']);
  });
});

describe('synthetic data', () => {
  const records = [...synthRecords({ events: 3000, shipments: 600, actors: 200, seed: 1 })];

  it('is deterministic for a seed and valid', () => {
    expect([...synthRecords({ events: 3000, shipments: 600, actors: 200, seed: 1 })]).toEqual(records);
    expect(records.filter((r) => !normalizeRecord(r, 'x').ok)).toEqual([]);
  });

  it('is skewed, spans every precision, multi-month, several units, some unknown quantities', () => {
    const staged = records.map((r) => normalizeRecord(r, 'x')).flatMap((r) => (r.ok ? [r.record] : []));
    const events = staged.filter((r) => r.kind === 'event');
    const precisions = new Set(events.map((e) => e.row.span_precision));
    expect([...precisions].sort()).toEqual(['DAY', 'MONTH', 'QUARTER', 'RANGE', 'YEAR']);
    const perActor = new Map<string, number>();
    for (const e of events) for (const r of e.refs) if (r.ref_external_id) perActor.set(r.ref_external_id, (perActor.get(r.ref_external_id) ?? 0) + 1);
    const busiest = [...perActor.values()].sort((a, b) => b - a);
    const top10 = busiest.slice(0, 10).reduce((a, b) => a + b, 0);
    expect(top10 / busiest.reduce((a, b) => a + b, 0)).toBeGreaterThan(0.3); // 10 of 200 actors take part in a third or more
    const shipments = staged.filter((r) => r.kind === 'shipment');
    expect(new Set(shipments.map((s) => s.row.unit)).size).toBeGreaterThan(5);
    expect(shipments.some((s) => s.row.quantity === null)).toBe(true);
    expect(shipments.some((s) => String(s.row.delivery_end).slice(0, 7) > String(s.row.delivery_start).slice(0, 7))).toBe(true);
  });
});

describe('fastSpan', () => {
  // The fast paths give what the EDTF library gives, for every form they take and a few they leave to it.
  const cases = [
    '2023~',
    '0001~',
    '2023-09~',
    '2024-02~',
    '2023-12~',
    '2023-13~',
    '2023-09-13~',
    '2024-02-29~',
    '2023-02-29~',
    '2023-09-10~/2023-09-16~',
    '2023-12-29~/2024-01-04~',
    '2023-09-10~/2023-09-16',
    '2023-09-10/2023-09-16~',
    '2023-09-13~/2023-09-13~',
    '2023-09-30~/2023-09-01~',
    '2023-09-10/2023-09-16',
    '2023-09',
    '2023-09-13',
    '2023?',
    '2023-09%',
    '2023-09~/2023-10~',
  ];
  it.each(cases)('%s', (edtf) => {
    const run = (f: () => unknown) => {
      try {
        return f();
      } catch (err) {
        return (err as Error).message;
      }
    };
    expect(run(() => fastSpan(edtf))).toEqual(run(() => parseEdtf(edtf)));
  });
});
