import {
  DateSpan,
  DateSpanError,
  dateToUtc,
  daysInclusive,
  describeSpan,
  isValidDate,
  hasOpenEnd,
  OPEN_END_EDTF,
  overlaps,
  parseEdtf,
  plainEdtf,
  spanDetails,
  spanEdtf,
  spanFromInput,
  utcToDate,
  within,
} from '../../src/domain/dateSpan';
import { thrown } from '../support/errors';

const errorOf = (fn: () => unknown) => thrown(DateSpanError, fn);

describe('isValidDate', () => {
  it.each(['2023-09-07', '2024-02-29', '2000-02-29', '2023-01-31', '2023-04-30', '0001-01-01', '9999-12-31'])('accepts %s', (s) =>
    expect(isValidDate(s)).toBe(true),
  );

  it.each([
    '2023-02-29', // not a leap year
    '1900-02-29', // century, not a leap year
    '2023-04-31', // 30-day month
    '2023-13-01',
    '2023-00-10',
    '2023-01-00',
    '0000-01-01', // no year 0 in PostgreSQL
    '2023-9-7',
    '2023-09-07T00:00:00Z',
    ' 2023-09-07',
    '2023/09/07',
    '2023-09-07\n',
    '2023-09-0/', // the characters either side of the digits
    '2023-09-0:',
    '２０２３-09-07', // digits, but not ASCII ones
    '',
  ])('rejects %p', (s) => expect(isValidDate(s)).toBe(false));
});

describe('dateToUtc / utcToDate', () => {
  it('converts to midnight UTC and back', () => {
    const d = dateToUtc('2023-09-07');
    expect(d.toISOString()).toBe('2023-09-07T00:00:00.000Z');
    expect(utcToDate(d)).toBe('2023-09-07');
  });

  it('keeps leap days and years below 100 intact', () => {
    expect(utcToDate(dateToUtc('2024-02-29'))).toBe('2024-02-29');
    expect(dateToUtc('0099-12-31').getUTCFullYear()).toBe(99);
    expect(utcToDate(dateToUtc('0099-12-31'))).toBe('0099-12-31');
  });

  it('reads the same day as toISOString, from year 1 to 9999', () => {
    // every day of 1999-2001, then every 97th day over the whole range (all month lengths, leap years, 3-digit years)
    const days = [...Array(1096).keys()].map((i) => Date.UTC(1999, 0, 1 + i));
    for (let t = Date.parse('0001-01-01T00:00:00Z'); t <= Date.parse('9999-12-31T00:00:00Z'); t += 97 * 86_400_000) days.push(t);
    const read = days.map((t) => new Date(t + 3_600_000)).map((d) => [utcToDate(d), d.toISOString().slice(0, 10)]);
    expect(read.filter(([ours, iso]) => ours !== iso)).toEqual([]);
    expect(read).toHaveLength(days.length);
  });

  it('uses the UTC day, whatever the time of day', () => {
    expect(utcToDate(new Date('2023-09-07T23:59:59.999Z'))).toBe('2023-09-07');
  });

  it('rejects invalid input', () => {
    expect(() => dateToUtc('2023-02-29')).toThrow(RangeError);
    expect(() => utcToDate(new Date(NaN))).toThrow(RangeError);
    expect(() => utcToDate(new Date('+010000-01-01T00:00:00Z'))).toThrow(RangeError);
  });
});

describe('daysInclusive', () => {
  it('counts both ends', () => {
    expect(daysInclusive('2023-09-07', '2023-09-07')).toBe(1);
    expect(daysInclusive('2023-09-07', '2023-10-01')).toBe(25);
    expect(daysInclusive('2023-01-01', '2023-12-31')).toBe(365);
    expect(daysInclusive('2024-01-01', '2024-12-31')).toBe(366);
    expect(daysInclusive('2024-02-01', '2024-02-29')).toBe(29);
  });

  it('is not fooled by DST changes', () => {
    expect(daysInclusive('2023-03-25', '2023-03-27')).toBe(3);
  });

  it('rejects an end before the start', () => {
    expect(() => daysInclusive('2023-09-07', '2023-09-01')).toThrow(RangeError);
  });
});

describe('parseEdtf', () => {
  // [input, start, end, precision, stored EDTF (null: the bounds and precision say it all)]
  it.each<[string, string, string, DateSpan['precision'], string | null]>([
    ['2023-09-07', '2023-09-07', '2023-09-07', 'DAY', null],
    ['2024-02-29', '2024-02-29', '2024-02-29', 'DAY', null],
    ['2023-07', '2023-07-01', '2023-07-31', 'MONTH', null],
    ['2023-02', '2023-02-01', '2023-02-28', 'MONTH', null],
    ['2024-02', '2024-02-01', '2024-02-29', 'MONTH', null],
    ['2023-04', '2023-04-01', '2023-04-30', 'MONTH', null],
    ['2023-12', '2023-12-01', '2023-12-31', 'MONTH', null],
    ['2023', '2023-01-01', '2023-12-31', 'YEAR', null],
    ['2023-09-07/2023-10-01', '2023-09-07', '2023-10-01', 'RANGE', null],
    ['2023-07/2023-08', '2023-07-01', '2023-08-31', 'RANGE', '2023-07/2023-08'],
    ['2023-33', '2023-01-01', '2023-03-31', 'QUARTER', null],
    ['2023-34', '2023-04-01', '2023-06-30', 'QUARTER', null],
    ['2023-35', '2023-07-01', '2023-09-30', 'QUARTER', null],
    ['2023-36', '2023-10-01', '2023-12-31', 'QUARTER', null],
    ['2023-09-XX', '2023-09-01', '2023-09-30', 'MONTH', '2023-09-XX'],
    ['2023-XX', '2023-01-01', '2023-12-31', 'YEAR', '2023-XX'],
    ['198X', '1980-01-01', '1989-12-31', 'RANGE', '198X'],
    // Qualifiers mark a span; they never move its bounds.
    ['2023-08~', '2023-08-01', '2023-08-31', 'MONTH', '2023-08~'],
    ['2023-11?', '2023-11-01', '2023-11-30', 'MONTH', '2023-11?'],
    ['2023-11%', '2023-11-01', '2023-11-30', 'MONTH', '2023-11%'],
    ['2023-09-07%', '2023-09-07', '2023-09-07', 'DAY', '2023-09-07%'],
    ['2023~', '2023-01-01', '2023-12-31', 'YEAR', '2023~'],
    ['2023-09-07~/2023-10-01?', '2023-09-07', '2023-10-01', 'RANGE', '2023-09-07~/2023-10-01?'],
    // Level 2: one component qualified, written canonically.
    ['2023?-11', '2023-11-01', '2023-11-30', 'MONTH', '2023?-11'],
    ['?2023-11-05', '2023-11-05', '2023-11-05', 'DAY', '2023?-11-05'],
    ['2023-~11', '2023-11-01', '2023-11-30', 'MONTH', '2023-~11'],
    ['2004-06-~11', '2004-06-11', '2004-06-11', 'DAY', '2004-06-~11'],
    // Open (..) and unknown (empty) ends: bounded by the known end alone.
    ['2023-09-11/..', '2023-09-11', '2023-09-11', 'RANGE', '2023-09-11/..'],
    ['2023-09-11/', '2023-09-11', '2023-09-11', 'RANGE', '2023-09-11/'],
    ['../2023-10-13', '2023-10-13', '2023-10-13', 'RANGE', '../2023-10-13'],
    ['/2023-10-13', '2023-10-13', '2023-10-13', 'RANGE', '/2023-10-13'],
    ['2023-09/..', '2023-09-01', '2023-09-30', 'RANGE', '2023-09/..'],
    ['2023~/..', '2023-01-01', '2023-12-31', 'RANGE', '2023~/..'],
    ['../2023-10~', '2023-10-01', '2023-10-31', 'RANGE', '../2023-10~'],
    ['2023-09-11?/', '2023-09-11', '2023-09-11', 'RANGE', '2023-09-11?/'],
  ])('%s → %s..%s %s, EDTF %s', (input, start, end, precision, stored) => {
    expect(parseEdtf(input)).toEqual({ start, end, precision, text: null, edtf: stored });
  });

  it('refuses seasons 21-32 (no agreed months), bounds the thirds of a year 37-39 as four months each and the halves 40-41', () => {
    for (const season of ['2023-21', '2023-24', '2023-25', '2023-28', '2023-29', '2023-32', '2023-21/2023-10', '2022/2023-30']) {
      expect(() => parseEdtf(season)).toThrow(/seasons \(21-32\) have no agreed months/);
    }
    expect(parseEdtf('2023-37')).toEqual({ start: '2023-01-01', end: '2023-04-30', precision: 'RANGE', text: null, edtf: '2023-37' });
    expect(parseEdtf('2023-38')).toMatchObject({ start: '2023-05-01', end: '2023-08-31', precision: 'RANGE' });
    expect(parseEdtf('2023-39')).toMatchObject({ start: '2023-09-01', end: '2023-12-31', precision: 'RANGE' });
    expect(parseEdtf('2024-40')).toMatchObject({ start: '2024-01-01', end: '2024-06-30', precision: 'RANGE' });
    expect(parseEdtf('2024-41')).toMatchObject({ start: '2024-07-01', end: '2024-12-31', precision: 'RANGE' });
  });

  it('keeps the text and ignores surrounding blanks', () => {
    expect(parseEdtf(' 2023-07 ', 'mid-2023')).toEqual({
      start: '2023-07-01',
      end: '2023-07-31',
      precision: 'MONTH',
      text: 'mid-2023',
      edtf: null,
    });
  });

  it('reads its canonical form back as the same span', () => {
    for (const input of ['2023-11~', '?2023-11-05', '2023-09-07~/2023-10-01?', '2023-09-11/..', '/2023-10-13', '2023-37', '2023-07/2023-08']) {
      const span = parseEdtf(input);
      expect(parseEdtf(spanEdtf(span))).toEqual(span);
    }
  });

  it.each([
    ['abc', /not valid EDTF \(unexpected character at position 1\)$/],
    ['', /is empty/],
    ['2023-', /not valid EDTF \(incomplete\)$/],
    ['2023-13', /unexpected character at position 7/],
    ['2023-02-29', /2023-02-29 is not a calendar date/],
    ['2023-04-31', /2023-04-31 is not a calendar date/],
    ['2023-02-29/2023-03-05', /2023-02-29 is not a calendar date/],
    ['2023-09-07/2023-09-01', /invalid upper bound: 2023-09-01$/],
    ['2023-01-01T10:00:00Z', /times of day/],
    ['2023-01-01T10:00:00Z/2023-01-02', /times of day/],
    ['2023-11-05T10:00:00Z/..', /times of day/],
    ['[2023,2024]', /Set values are not supported/],
    ['{2023,2024}', /List values are not supported/],
    ['0000', /outside the supported years/],
    ['-0100', /outside the supported years/],
    ['../..', /needs at least one known end/],
    ['/..', /needs at least one known end/],
    ['../', /needs at least one known end/],
    ['/', /needs at least one known end/],
    ['..', /not valid EDTF/],
    ['2023-35~', /qualifiers on seasons and quarters are not supported/],
    ['2023-21?/2023-22', /qualifiers on seasons and quarters are not supported/],
    ['2023-XX~', /not valid EDTF/],
    ['2023-11?~', /not valid EDTF/],
  ])('rejects %p', (input, reason) => {
    const err = errorOf(() => parseEdtf(input));
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('DateSpanError');
    expect(err.field).toBe('edtf');
    expect(err.message).toContain(`Invalid EDTF date "${input}"`);
    expect(err.message).toMatch(reason);
    // Only the first line of the library's (very long) syntax error is kept.
    expect(err.message).not.toContain('\n');
  });
});

describe('spanDetails', () => {
  const plain = { startBound: 'KNOWN', endBound: 'KNOWN', startQualifier: null, endQualifier: null, uncertain: false, approximate: false } as const;
  it.each<[string, Partial<ReturnType<typeof spanDetails>>]>([
    ['2023-09-13', { ...plain, edtf: '2023-09-13', startDate: '2023-09-13', endDate: '2023-09-13' }],
    ['2023-09', { ...plain, edtf: '2023-09', startDate: '2023-09-01', endDate: '2023-09-30' }],
    ['2023-33', { ...plain, edtf: '2023-33', startDate: '2023-01-01', endDate: '2023-03-31' }],
    ['2023', { ...plain, edtf: '2023' }],
    ['2023-09-07/2023-10-01', { ...plain, edtf: '2023-09-07/2023-10-01', startDate: '2023-09-07', endDate: '2023-10-01' }],
    ['2023-11~', { edtf: '2023-11~', startQualifier: 'APPROXIMATE', endQualifier: 'APPROXIMATE', uncertain: false, approximate: true }],
    ['2023-11?', { startQualifier: 'UNCERTAIN', endQualifier: 'UNCERTAIN', uncertain: true, approximate: false }],
    ['2023-11%', { startQualifier: 'UNCERTAIN_APPROXIMATE', endQualifier: 'UNCERTAIN_APPROXIMATE', uncertain: true, approximate: true }],
    ['2023?-~11', { edtf: '2023?-~11', startQualifier: 'UNCERTAIN_APPROXIMATE', uncertain: true, approximate: true }],
    ['2023-09-07~/2023-10-01?', { startQualifier: 'APPROXIMATE', endQualifier: 'UNCERTAIN', uncertain: true, approximate: true }],
    ['2023-09-11/..', { edtf: '2023-09-11/..', startDate: '2023-09-11', endDate: null, startBound: 'KNOWN', endBound: 'OPEN', endQualifier: null }],
    ['2023-09-11/', { edtf: '2023-09-11/', startDate: '2023-09-11', endDate: null, endBound: 'UNKNOWN' }],
    ['../2023-10-13', { startDate: null, endDate: '2023-10-13', startBound: 'OPEN', endBound: 'KNOWN' }],
    ['/2023-10-13~', { startDate: null, startBound: 'UNKNOWN', endQualifier: 'APPROXIMATE', approximate: true }],
  ])('%s', (input, expected) => {
    expect(spanDetails(parseEdtf(input))).toMatchObject(expected);
  });

  it('describes explicit bounds as a plain span', () => {
    expect(spanDetails(spanFromInput({ start: '2023-09-07', end: '2023-10-01' }))).toEqual({
      ...plain,
      edtf: '2023-09-07/2023-10-01',
      startDate: '2023-09-07',
      endDate: '2023-10-01',
    });
  });

  it('refuses a span read without its EDTF (a partial row): it cannot know', () => {
    expect(() => spanDetails({ start: '2023-09-01', end: '2023-09-30', precision: 'MONTH', text: null })).toThrow(/without its edtf/);
  });

  it('OPEN_END_EDTF (what SQL reads) agrees with hasOpenEnd on canonical EDTF', () => {
    const inputs = [
      '2023-09-11/..',
      '2023-09-11/',
      '../2023-10-13',
      '/2023-10-13',
      '2023-09/',
      '2023-11~',
      '2023-09',
      '2023-01/2023-03',
      '2023?/2024~',
      '2023-09-07/2023-10-01',
    ];
    for (const input of inputs) {
      const span = parseEdtf(input);
      expect([input, OPEN_END_EDTF.test(spanEdtf(span))]).toEqual([input, hasOpenEnd(span)]);
    }
  });

  it('hasOpenEnd: only open or unknown ends', () => {
    expect(['2023-09-11/..', '/2023-10-13', '2023-09/', '2023-11~', '2023-09'].map((s) => hasOpenEnd(parseEdtf(s)))).toEqual([true, true, true, false, false]);
  });

  it('plainEdtf writes quarters as EDTF level 2 seasons 33-36', () => {
    expect(['2023-01-01', '2023-04-01', '2023-07-01', '2023-10-01'].map((start) => plainEdtf(spanFromInput({ start, precision: 'QUARTER' })))).toEqual([
      '2023-33',
      '2023-34',
      '2023-35',
      '2023-36',
    ]);
  });
});

describe('spanFromInput', () => {
  it('parses edtf and keeps the text', () => {
    expect(spanFromInput({ edtf: '2023-35', text: 'Q3 2023' })).toEqual({
      start: '2023-07-01',
      end: '2023-09-30',
      precision: 'QUARTER',
      text: 'Q3 2023',
      edtf: null,
    });
    expect(spanFromInput({ edtf: '2023-11~', text: 'around November' })).toMatchObject({ start: '2023-11-01', end: '2023-11-30', edtf: '2023-11~' });
  });

  it('treats null fields as absent', () => {
    expect(spanFromInput({ edtf: '2023', start: null, end: null, precision: null, text: null })).toMatchObject({
      precision: 'YEAR',
    });
  });

  describe('without precision', () => {
    it('is a DAY when end is missing', () => {
      expect(spanFromInput({ start: '2023-09-07' })).toEqual({
        start: '2023-09-07',
        end: '2023-09-07',
        precision: 'DAY',
        text: null,
        edtf: null,
      });
    });

    it('is a DAY when end equals start', () => {
      expect(spanFromInput({ start: '2023-09-07', end: '2023-09-07' })).toMatchObject({ precision: 'DAY' });
    });

    it('is a RANGE otherwise, even when the bounds form a whole month', () => {
      expect(spanFromInput({ start: '2023-09-07', end: '2023-10-01', text: 'autumn' })).toEqual({
        start: '2023-09-07',
        end: '2023-10-01',
        precision: 'RANGE',
        text: 'autumn',
        edtf: null,
      });
      expect(spanFromInput({ start: '2023-07-01', end: '2023-07-31' })).toMatchObject({ precision: 'RANGE' });
    });
  });

  describe('default end for a precision', () => {
    it.each<[string, DateSpan['precision'], string]>([
      ['2023-09-07', 'DAY', '2023-09-07'],
      ['2023-07-01', 'MONTH', '2023-07-31'],
      ['2023-04-01', 'MONTH', '2023-04-30'],
      ['2023-02-01', 'MONTH', '2023-02-28'],
      ['2024-02-01', 'MONTH', '2024-02-29'],
      ['2023-01-01', 'QUARTER', '2023-03-31'],
      ['2024-01-01', 'QUARTER', '2024-03-31'],
      ['2023-04-01', 'QUARTER', '2023-06-30'],
      ['2023-07-01', 'QUARTER', '2023-09-30'],
      ['2023-10-01', 'QUARTER', '2023-12-31'],
      ['2023-01-01', 'YEAR', '2023-12-31'],
    ])('%s %s → end %s', (start, precision, end) => {
      expect(spanFromInput({ start, precision })).toEqual({ start, end, precision, text: null, edtf: null });
    });
  });

  it('accepts explicit bounds consistent with the precision', () => {
    expect(spanFromInput({ start: '2023-07-01', end: '2023-07-31', precision: 'MONTH' })).toMatchObject({
      precision: 'MONTH',
    });
    expect(spanFromInput({ start: '2023-07-01', end: '2023-09-30', precision: 'QUARTER' })).toMatchObject({
      precision: 'QUARTER',
    });
    expect(spanFromInput({ start: '2023-01-01', end: '2023-12-31', precision: 'YEAR' })).toMatchObject({
      precision: 'YEAR',
    });
    expect(spanFromInput({ start: '2023-07-01', end: '2023-07-31', precision: 'RANGE' })).toMatchObject({
      precision: 'RANGE',
    });
    expect(spanFromInput({ start: '2023-07-01', end: '2023-07-01', precision: 'RANGE' })).toMatchObject({
      precision: 'RANGE',
    });
  });

  it.each<[string, Parameters<typeof spanFromInput>[0], string, RegExp]>([
    ['edtf and start', { edtf: '2023', start: '2023-01-01' }, 'edtf', /either edtf or start/],
    ['edtf and precision', { edtf: '2023', precision: 'YEAR' }, 'edtf', /either edtf or start/],
    ['an invalid edtf', { edtf: '2023-13' }, 'edtf', /Invalid EDTF/],
    ['neither edtf nor start', {}, 'start', /either edtf or start/],
    ['only an end', { end: '2023-09-07' }, 'start', /either edtf or start/],
    ['a non-leap Feb 29 start', { start: '2023-02-29' }, 'start', /not a valid YYYY-MM-DD/],
    ['a malformed start', { start: '2023-9-7' }, 'start', /not a valid YYYY-MM-DD/],
    ['a 31st day in a 30-day month', { start: '2023-09-01', end: '2023-09-31' }, 'end', /not a valid YYYY-MM-DD/],
    ['an end before the start', { start: '2023-09-07', end: '2023-09-01' }, 'end', /^end \(2023-09-01\) is before start \(2023-09-07\)$/],
    ['a RANGE without end', { start: '2023-09-07', precision: 'RANGE' }, 'end', /needs an end/],
    ['an unknown precision', { start: '2023-09-07', precision: 'WEEK' as never }, 'precision', /Unknown precision "WEEK"/],
    ['a DAY spanning two days', { start: '2023-09-07', end: '2023-09-08', precision: 'DAY' }, 'precision', /DAY precision/],
    ['a MONTH not starting on the 1st', { start: '2023-07-15', precision: 'MONTH' }, 'precision', /2023-07-01\.\.2023-07-31, got 2023-07-15\.\.2023-07-31/],
    ['a MONTH not ending on its last day', { start: '2023-07-01', end: '2023-07-30', precision: 'MONTH' }, 'precision', /MONTH precision/],
    ['a MONTH over two months', { start: '2023-07-01', end: '2023-08-31', precision: 'MONTH' }, 'precision', /MONTH precision/],
    ['a Feb MONTH ending on the 29th in 2023', { start: '2023-02-01', end: '2023-03-01', precision: 'MONTH' }, 'precision', /2023-02-28/],
    ['a QUARTER not starting a quarter', { start: '2023-08-01', precision: 'QUARTER' }, 'precision', /2023-07-01\.\.2023-09-30/],
    ['a QUARTER ending early', { start: '2023-07-01', end: '2023-08-31', precision: 'QUARTER' }, 'precision', /QUARTER precision/],
    ['a YEAR not starting Jan 1', { start: '2023-02-01', precision: 'YEAR' }, 'precision', /2023-01-01\.\.2023-12-31/],
  ])('rejects %s', (_name, input, field, message) => {
    const err = errorOf(() => spanFromInput(input));
    expect(err.field).toBe(field);
    expect(err.message).toMatch(message);
  });
});

describe('describeSpan', () => {
  it.each<[string, DateSpan, string]>([
    ['DAY', { start: '2023-09-07', end: '2023-09-07', precision: 'DAY', text: null }, '2023-09-07'],
    ['MONTH', { start: '2023-07-01', end: '2023-07-31', precision: 'MONTH', text: null }, '2023-07'],
    ['QUARTER 1', { start: '2023-01-01', end: '2023-03-31', precision: 'QUARTER', text: null }, '2023-Q1'],
    ['QUARTER 2', { start: '2023-04-01', end: '2023-06-30', precision: 'QUARTER', text: null }, '2023-Q2'],
    ['QUARTER 3', { start: '2023-07-01', end: '2023-09-30', precision: 'QUARTER', text: null }, '2023-Q3'],
    ['QUARTER 4', { start: '2023-10-01', end: '2023-12-31', precision: 'QUARTER', text: null }, '2023-Q4'],
    ['YEAR', { start: '2023-01-01', end: '2023-12-31', precision: 'YEAR', text: 'in 2023' }, '2023'],
    ['RANGE', { start: '2023-09-07', end: '2023-10-01', precision: 'RANGE', text: null }, '2023-09-07/2023-10-01'],
  ])('labels a %s', (_name, span, label) => {
    expect(describeSpan(span)).toBe(label);
  });

  it('labels parsed EDTF', () => {
    expect(describeSpan(parseEdtf('2023-35'))).toBe('2023-Q3');
    expect(describeSpan(parseEdtf('2023-08~'))).toBe('2023-08');
    expect(describeSpan(parseEdtf('2023-07/2023-08'))).toBe('2023-07-01/2023-08-31');
  });
});

describe('overlaps / within', () => {
  const july: DateSpan = { start: '2023-07-01', end: '2023-07-31', precision: 'MONTH', text: null };

  it('overlaps is inclusive on both ends', () => {
    expect(overlaps(july, '2023-07-31', '2023-08-15')).toBe(true);
    expect(overlaps(july, '2023-06-01', '2023-07-01')).toBe(true);
    expect(overlaps(july, '2023-07-10', '2023-07-12')).toBe(true);
    expect(overlaps(july, '2023-08-01', '2023-08-31')).toBe(false);
    expect(overlaps(july, '2023-06-01', '2023-06-30')).toBe(false);
  });

  it('treats a missing bound as unbounded', () => {
    expect(overlaps(july)).toBe(true);
    expect(overlaps(july, null, '2023-07-01')).toBe(true);
    expect(overlaps(july, '2023-07-31', undefined)).toBe(true);
    expect(overlaps(july, '2023-08-01')).toBe(false);
    expect(within(july)).toBe(true);
    expect(within(july, '2023-07-01')).toBe(true);
    expect(within(july, null, '2023-07-30')).toBe(false);
  });

  it('within requires the whole span inside, inclusive', () => {
    expect(within(july, '2023-07-01', '2023-07-31')).toBe(true);
    expect(within(july, '2023-01-01', '2023-12-31')).toBe(true);
    expect(within(july, '2023-07-02', '2023-12-31')).toBe(false);
    expect(within(july, '2023-07-10', '2023-07-12')).toBe(false);
  });

  it('an open end is bounded by the known end alone: a window beyond it does not hold the span', () => {
    const fromSept11 = parseEdtf('2023-09-11/..');
    expect(overlaps(fromSept11, '2023-09-01', '2023-09-30')).toBe(true);
    expect(overlaps(fromSept11, '2023-10-01', '2023-10-31')).toBe(false);
    expect(within(fromSept11, '2023-09-11', '2023-09-11')).toBe(true);
  });

  it('rejects malformed bounds with their field', () => {
    expect(errorOf(() => overlaps(july, '2023-7-1')).field).toBe('from');
    expect(errorOf(() => within(july, null, '2023-02-30')).field).toBe('to');
  });
});
