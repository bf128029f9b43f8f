// How the timeline page draws a date span (web/timeline/shape.ts): today's precision-based
// shapes, and the vague spans of the uncertainty fields when the API sends them.
import { DAY_MS, dayMs, isoDay, spanShape, type Shape, type SpanInput } from '../../web/timeline/shape';

type Expected = Partial<Shape>;

describe('spanShape: what the API sends today (start, end, precision)', () => {
  it.each<[string, SpanInput, Expected]>([
    [
      'a DAY is a point over its one day',
      { start: '2023-09-13', end: '2023-09-13', precision: 'DAY', text: 'On September 13' },
      { kind: 'point', first: '2023-09-13', last: '2023-09-13', startEdge: 'firm', endEdge: 'firm', dashed: false, marker: '', label: '13 Sep 2023' },
    ],
    [
      'a MONTH is a bar over the month',
      { start: '2023-07-01', end: '2023-07-31', precision: 'MONTH' },
      { kind: 'bar', first: '2023-07-01', last: '2023-07-31', startEdge: 'firm', endEdge: 'firm', marker: '', label: 'Jul 2023' },
    ],
    ['a QUARTER is a bar over the quarter', { start: '2023-07-01', end: '2023-09-30', precision: 'QUARTER' }, { kind: 'bar', label: 'Q3 2023' }],
    ['a YEAR is a bar over the year', { start: '2023-01-01', end: '2023-12-31', precision: 'YEAR' }, { kind: 'bar', label: '2023' }],
    [
      'a RANGE is a bar from its first to its last day',
      { start: '2023-09-07', end: '2023-10-01', precision: 'RANGE' },
      { kind: 'bar', first: '2023-09-07', last: '2023-10-01', label: '7 Sep – 1 Oct 2023' },
    ],
    ['a RANGE across a new year names both years', { start: '2022-02-24', end: '2023-10-31', precision: 'RANGE' }, { label: '24 Feb 2022 – 31 Oct 2023' }],
    ['a one-day RANGE is a point', { start: '2023-10-06', end: '2023-10-06', precision: 'RANGE' }, { kind: 'point', label: '6 Oct 2023' }],
  ])('%s', (_name, span, expected) => {
    expect(spanShape(span)).toMatchObject(expected);
  });

  it('covers whole days: from the first midnight to the midnight after the last day', () => {
    const containers = spanShape({ start: '2023-09-07', end: '2023-10-01', precision: 'RANGE' });
    expect(containers.from).toBe(Date.UTC(2023, 8, 7));
    expect(containers.to).toBe(Date.UTC(2023, 9, 2));
    const day = spanShape({ start: '2023-09-13', end: '2023-09-13', precision: 'DAY' });
    expect(day.to - day.from).toBe(DAY_MS);
  });

  it('refuses a span that ends before it starts, or a date it cannot read', () => {
    expect(() => spanShape({ start: '2023-10-01', end: '2023-09-07', precision: 'RANGE' })).toThrow(/ends before it starts/);
    expect(() => spanShape({ start: '2023-9-7', end: '2023-10-01', precision: 'RANGE' })).toThrow(/YYYY-MM-DD/);
  });
});

describe('spanShape: the uncertainty fields, when present', () => {
  const known = { startBound: 'KNOWN', endBound: 'KNOWN', startQualifier: null, endQualifier: null, uncertain: false, approximate: false } as const;

  it.each<[string, SpanInput, Expected]>([
    [
      'all known and unqualified: as today',
      { ...known, start: '2023-09-07', end: '2023-10-01', precision: 'RANGE', edtf: '2023-09-07/2023-10-01', startDate: '2023-09-07', endDate: '2023-10-01' },
      { kind: 'bar', startEdge: 'firm', endEdge: 'firm', dashed: false, marker: '', label: '7 Sep – 1 Oct 2023' },
    ],
    [
      'an approximate month (2023-08~) fades at both ends',
      {
        ...known,
        start: '2023-08-01',
        end: '2023-08-31',
        precision: 'MONTH',
        edtf: '2023-08~',
        startDate: '2023-08-01',
        endDate: '2023-08-31',
        startQualifier: 'APPROXIMATE',
        endQualifier: 'APPROXIMATE',
        approximate: true,
      },
      { kind: 'bar', startEdge: 'fade', endEdge: 'fade', dashed: false, marker: '~', label: 'about Aug 2023' },
    ],
    [
      'approximate with no per-end qualifier fades both ends',
      { ...known, start: '2023-08-01', end: '2023-08-31', precision: 'MONTH', approximate: true },
      { startEdge: 'fade', endEdge: 'fade', marker: '~' },
    ],
    [
      'an approximate day is a point that fades (a halo)',
      {
        ...known,
        start: '2023-08-31',
        end: '2023-08-31',
        precision: 'DAY',
        edtf: '2023-08-31~',
        startDate: '2023-08-31',
        endDate: '2023-08-31',
        startQualifier: 'APPROXIMATE',
        endQualifier: 'APPROXIMATE',
        approximate: true,
      },
      { kind: 'point', startEdge: 'fade', endEdge: 'fade', marker: '~', label: 'about 31 Aug 2023' },
    ],
    [
      'only the end approximate (2023-09-07/2023-10~): only the end fades',
      {
        ...known,
        start: '2023-09-07',
        end: '2023-10-31',
        precision: 'RANGE',
        startDate: '2023-09-07',
        endDate: '2023-10-31',
        endQualifier: 'APPROXIMATE',
        approximate: true,
      },
      { startEdge: 'firm', endEdge: 'fade', marker: '~', label: '7 Sep – about 31 Oct 2023' },
    ],
    [
      'an uncertain date (2023-09-13?) is dashed and marked "?"',
      {
        ...known,
        start: '2023-09-13',
        end: '2023-09-13',
        precision: 'DAY',
        edtf: '2023-09-13?',
        startDate: '2023-09-13',
        endDate: '2023-09-13',
        startQualifier: 'UNCERTAIN',
        endQualifier: 'UNCERTAIN',
        uncertain: true,
      },
      { kind: 'point', startEdge: 'firm', endEdge: 'firm', dashed: true, marker: '?', label: '13 Sep 2023 (uncertain)' },
    ],
    [
      'uncertain and approximate (2023-07%): dashed, fading, marked "?~"',
      {
        ...known,
        start: '2023-07-01',
        end: '2023-07-31',
        precision: 'MONTH',
        edtf: '2023-07%',
        startDate: '2023-07-01',
        endDate: '2023-07-31',
        startQualifier: 'UNCERTAIN_APPROXIMATE',
        endQualifier: 'UNCERTAIN_APPROXIMATE',
        uncertain: true,
        approximate: true,
      },
      { kind: 'bar', startEdge: 'fade', endEdge: 'fade', dashed: true, marker: '?~', label: 'about Jul 2023 (uncertain)' },
    ],
    [
      'an open end (2023-09-07/..) is a bar from the known day that trails off',
      { ...known, start: '2023-09-07', end: '2023-09-07', precision: 'RANGE', edtf: '2023-09-07/..', startDate: '2023-09-07', endDate: null, endBound: 'OPEN' },
      { kind: 'bar', first: '2023-09-07', last: '2023-09-07', startEdge: 'firm', endEdge: 'open', dashed: false, label: 'from 7 Sep 2023, open-ended' },
    ],
    [
      'an unknown start (/2023-10-01) ends firmly, its start a dashed tail',
      {
        ...known,
        start: '2023-10-01',
        end: '2023-10-01',
        precision: 'RANGE',
        edtf: '/2023-10-01',
        startDate: null,
        endDate: '2023-10-01',
        startBound: 'UNKNOWN',
      },
      { kind: 'bar', first: '2023-10-01', last: '2023-10-01', startEdge: 'unknown', endEdge: 'firm', label: 'until 1 Oct 2023, start unknown' },
    ],
    [
      'an open start (../2023-10-01)',
      { ...known, start: '2023-10-01', end: '2023-10-01', precision: 'RANGE', startDate: null, endDate: '2023-10-01', startBound: 'OPEN' },
      { startEdge: 'open', endEdge: 'firm', label: 'until 1 Oct 2023, open start' },
    ],
    [
      'an unknown end after a month (2023-09/)',
      { ...known, start: '2023-09-01', end: '2023-09-30', precision: 'RANGE', startDate: '2023-09-01', endDate: null, endBound: 'UNKNOWN' },
      { kind: 'bar', first: '2023-09-01', last: '2023-09-30', endEdge: 'unknown', label: 'from 1 Sep 2023, end unknown' },
    ],
    [
      'an approximate start and an open end (2023-09~/..)',
      {
        ...known,
        start: '2023-09-01',
        end: '2023-09-30',
        precision: 'RANGE',
        startDate: '2023-09-01',
        endDate: null,
        endBound: 'OPEN',
        startQualifier: 'APPROXIMATE',
        approximate: true,
      },
      { startEdge: 'fade', endEdge: 'open', marker: '~', label: 'from about 1 Sep 2023, open-ended' },
    ],
  ])('%s', (_name, span, expected) => {
    expect(spanShape(span)).toMatchObject(expected);
  });

  it('startDate/endDate win over start/end when both are sent', () => {
    const s = spanShape({ start: '2023-09-01', end: '2023-09-30', precision: 'RANGE', startDate: '2023-09-07', endDate: '2023-09-20' });
    expect([s.first, s.last]).toEqual(['2023-09-07', '2023-09-20']);
  });
});

describe('dayMs and isoDay', () => {
  it.each(['2023-09-07', '2024-02-29', '0001-01-01', '9999-12-31', '1969-12-31'])('round-trip %s', (d) => {
    expect(isoDay(dayMs(d))).toBe(d);
  });

  it('is UTC midnight', () => {
    expect(dayMs('1970-01-02')).toBe(DAY_MS);
  });
});
