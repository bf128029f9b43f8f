// The pure parts of the import: record validation (every issue, with its field), the span fast
// path against the EDTF parser, CSV rows, the ACLED and SIPRI mappers, the synthetic generator.
import { parseEdtf } from '../../src/domain/dateSpan';
import { acledDate, acledRecords } from '../../src/ingest/acled';
import { csvRowToRecord, recordToCsvRow, CSV_COLUMNS } from '../../src/ingest/csv';
import { fastSpan, normalizeRecord } from '../../src/ingest/records';
import { deliveryYears, sipriRecords } from '../../src/ingest/sipri';
import { synthRecords } from '../../src/ingest/synth';

describe('normalizeRecord', () => {
  it('stages a valid record with its references', () => {
    const r = normalizeRecord(
      {
        kind: 'shipment', externalId: 's1', supplier: 'DPRK', recipient: { externalId: 'rus', dataset: 'other' },
        category: 'missiles', quantity: '12', unit: 'launchers', delivery: '2023-Q4', status: 'REPORTED', confidence: 'ALLEGED', events: ['e1'],
      },
      'demo',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.record.row).toMatchObject({
      dataset: 'demo', external_id: 's1', category: 'MISSILES', quantity: 12, unit: 'launchers',
      delivery_start: '2023-10-01', delivery_end: '2023-12-31', delivery_precision: 'QUARTER',
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
        kind: 'event', type: 'PARTY', title: ' ', date: { start: '2023-10-01', end: '2023-09-07' }, confidence: 'SURE',
        location: { countryCode: 'KP', latitude: 91 }, participants: [{ actor: '', role: 'HOST' }, 'Russia'],
      },
      'demo',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.field)).toEqual([
      'externalId', 'type', 'title', 'date.end', 'location.countryCode', 'location.latitude', 'confidence',
      'participants[0].role', 'participants[0].actor', 'participants[1]',
    ]);
  });

  it('refuses what the database would refuse: unit-less quantities, NUL characters, same supplier and recipient, bad ids', () => {
    const issues = (raw: object) => {
      const r = normalizeRecord(raw, 'd');
      return r.ok ? [] : r.issues.map((i) => `${i.field}: ${i.reason}`);
    };
    const base = { kind: 'shipment', externalId: 'x', supplier: 'A', recipient: 'B', category: 'FOOD', delivery: '2023', status: 'PLANNED', confidence: 'ASSESSED' };
    expect(issues({ ...base, quantity: 5 })).toEqual(['unit: a quantity needs a unit ("containers", "rounds", "tonnes" …)']);
    expect(issues({ ...base, quantity: -1, unit: 't' })).toEqual(['quantity: must be at least 0 (got -1)']);
    expect(issues({ ...base, route: 'a\u0000b' })).toEqual(['route: must not contain a NUL character']);
    expect(issues({ ...base, recipient: 'a' })).toEqual(['recipient: supplier and recipient must be different actors']);
    expect(issues({ ...base, id: 'nope' })).toEqual(['id: "nope" is not a UUID']);
    expect(issues({ kind: 'planet', externalId: 'p' })).toEqual(['kind: "planet" is not one of actor, source, event, affiliation, shipment, citation, claim']);
    expect(issues({ kind: 'citation', externalId: 'c', source: 's', event: 'e', shipment: 'h', excerpt: 'x' })).toEqual([
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
    const r = normalizeRecord(csvRowToRecord({ ...claim, citation: 'c1', field: 'quantity', value: '1e3', accepted: 'true', statedOn: '2023-10-13' }, 'claim'), 'demo');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.record.row).toMatchObject({ field: 'quantity', value: '1000', likelihood: 'ALMOST_CERTAIN', confidence: 'REPORTED', accepted: true, stated_on: '2023-10-13' });
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

describe('fastSpan', () => {
  it('gives what the EDTF parser gives for the forms it shortcuts', () => {
    for (const s of ['2023-09-07', '2024-02', '2023', '2023-09-07/2023-10-01', '2023-09-07~', '2023-05?', '2023%', '2023-21', '2023-09-07/2023-10']) {
      expect(fastSpan(s)).toEqual(parseEdtf(s));
    }
  });

  it('reads "2023-Q4" as a quarter, and refuses what EDTF refuses', () => {
    expect(fastSpan('2023-Q4')).toEqual({ start: '2023-10-01', end: '2023-12-31', precision: 'QUARTER', text: null });
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

  it('an export record flattens into its kind\'s columns and back', () => {
    const record = {
      kind: 'event', id: '6d12596d-118c-4a3d-95e0-b0f62ac219d3', dataset: 'd', externalId: 'e', type: 'MEETING', title: 'T',
      date: { start: '2023-09-07', end: '2023-10-01', precision: 'RANGE', text: 'between' }, location: { latitude: 1.5 }, confidence: 'REPORTED',
      participants: [{ actor: { dataset: 'd', externalId: 'a' }, role: 'TARGET' }],
    };
    const row = recordToCsvRow(record, 'event');
    const back = csvRowToRecord(Object.fromEntries(CSV_COLUMNS.event.map((c, i) => [c, row[i]])), 'event');
    expect(normalizeRecord(back, 'x')).toEqual(normalizeRecord(record, 'x'));
  });
});

describe('ACLED', () => {
  it('reads its date formats', () => {
    expect(acledDate('13 September 2023')).toBe('2023-09-13');
    expect(acledDate('3-Sep-2023')).toBe('2023-09-03');
    expect(acledDate('2023-09-13')).toBe('2023-09-13');
  });

  it('one row: an event with its actors by name, one source per name, a citation of the notes', () => {
    const state = { sources: new Set<string>() };
    const row = {
      event_id_cnty: 'X1', event_date: '2023-09-13', time_precision: '3', event_type: 'Battles', sub_event_type: 'Armed clash',
      actor1: 'A', assoc_actor_1: 'B; C', inter1: '1', actor2: 'D', inter2: '2', source: 'S1; S2', notes: 'n', location: 'L', country: 'K',
    };
    const out = acledRecords(row, state);
    expect(out.map((r) => r.kind)).toEqual(['event', 'source', 'citation', 'source', 'citation']);
    expect(out[0]).toMatchObject({ externalId: 'X1', date: { edtf: '2023-09' }, participants: [
      { actor: { name: 'A', actorKind: 'MILITARY_UNIT' }, role: 'INITIATOR' },
      { actor: { name: 'D', actorKind: 'ORGANIZATION' }, role: 'TARGET' },
      { actor: { name: 'B' }, role: 'PARTICIPANT' },
      { actor: { name: 'C' }, role: 'PARTICIPANT' },
    ] });
    // The sources are emitted once per file.
    expect(acledRecords({ ...row, event_id_cnty: 'X2' }, state).map((r) => r.kind)).toEqual(['event', 'citation', 'citation']);
    expect(out.every((r) => normalizeRecord(r, 'acled').ok)).toBe(true);
  });
});

describe('SIPRI', () => {
  it('delivery years', () => {
    expect(deliveryYears('2015')).toEqual([2015, 2015]);
    expect(deliveryYears('2015-2017')).toEqual([2015, 2017]);
    expect(deliveryYears('2016; 2015')).toEqual([2015, 2016]);
    expect(deliveryYears('')).toBeNull();
  });

  it('repeated rows get numbered external ids', () => {
    const state = { keys: new Map<string, number>(), sourceEmitted: false };
    const row = { Supplier: 'A', Recipient: 'B', 'Year of order': '2020', 'Weapon designation': 'X', 'Number delivered': '2', 'Year(s) of delivery': '2021' };
    const ids = [...sipriRecords(row, state), ...sipriRecords(row, state)].filter((r) => r.kind === 'shipment').map((r) => r.externalId);
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
