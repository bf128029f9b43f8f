import { encodeCursor } from '../../src/domain/cursor';
import { ValidationError } from '../../src/domain/errors';
import {
  bucketByMonth,
  compareKeys,
  decodeTimelineCursor,
  encodeTimelineCursor,
  fillMonths,
  kindOfRank,
  kindRank,
  monthBounds,
  monthOf,
  monthRange,
  monthsOverlapped,
  nextMonth,
  spansMonths,
  timelinePage,
  UNDATED,
  type TimelineKey,
} from '../../src/domain/timeline';
import { thrown } from '../support/errors';

const ID_A = '0a000000-0000-4000-8000-000000000000';
const ID_B = 'b0000000-0000-4000-8000-000000000000';

const fieldOf = (fn: () => unknown): string => thrown(ValidationError, fn).field;

describe('feed order', () => {
  const key = (start: string, end: string, kind: number, id = ID_A): TimelineKey => ({ start, end, kind, id });

  it('ranks kinds EVENT < SHIPMENT < AFFILIATION', () => {
    expect(['EVENT', 'SHIPMENT', 'AFFILIATION'].map((k) => kindRank(k as never))).toEqual([0, 1, 2]);
    expect(kindOfRank(1)).toBe('SHIPMENT');
    expect(() => kindOfRank(3)).toThrow(RangeError);
  });

  it('orders by start, then end (narrower first), then kind, then id', () => {
    const sorted = [
      key('2023-07-01', '2023-07-31', 2),
      key('2023-08-31', '2023-08-31', 0),
      key('2023-08-01', '2023-08-31', 1),
      key('2023-08-01', '2023-08-31', 0, ID_B),
      key('2023-08-01', '2023-08-31', 0, ID_A),
      key(UNDATED, UNDATED, 2),
      key('2023-08-01', '2023-08-10', 2),
    ].sort(compareKeys);
    expect(sorted).toEqual([
      key('2023-07-01', '2023-07-31', 2),
      key('2023-08-01', '2023-08-10', 2),
      key('2023-08-01', '2023-08-31', 0, ID_A),
      key('2023-08-01', '2023-08-31', 0, ID_B),
      key('2023-08-01', '2023-08-31', 1),
      key('2023-08-31', '2023-08-31', 0),
      key(UNDATED, UNDATED, 2),
    ]);
  });

  it('compares ids case-insensitively, as uuids', () => {
    expect(compareKeys(key('2023-01-01', '2023-01-01', 0, ID_B.toUpperCase()), key('2023-01-01', '2023-01-01', 0, ID_B))).toBe(0);
  });
});

describe('cursors', () => {
  it('round-trips a key, undated included', () => {
    for (const k of [
      { start: '2023-08-01', end: '2023-08-31', kind: 1, id: ID_A },
      { start: UNDATED, end: UNDATED, kind: 2, id: ID_B },
    ]) {
      expect(decodeTimelineCursor(encodeTimelineCursor(k), 'after')).toEqual(k);
    }
  });

  it.each([
    ['garbage', 'nonsense'],
    ['wrong arity', encodeCursor(['2023-01-01', '2023-01-01', 0])],
    ['not a date', encodeCursor(['2023-02-30', '2023-03-01', 0, ID_A])],
    ['end before start', encodeCursor(['2023-03-02', '2023-03-01', 0, ID_A])],
    ['undated start, dated end', encodeCursor([UNDATED, '2023-03-01', 0, ID_A])],
    ['unknown kind', encodeCursor(['2023-03-01', '2023-03-01', 3, ID_A])],
    ['fractional kind', encodeCursor(['2023-03-01', '2023-03-01', 0.5, ID_A])],
    ['bad id', encodeCursor(['2023-03-01', '2023-03-01', 0, 'x'])],
  ])('rejects %s as bad input on the field', (_, cursor) => {
    expect(fieldOf(() => decodeTimelineCursor(cursor, 'before'))).toBe('before');
  });
});

describe('timelinePage', () => {
  const cursor = encodeTimelineCursor({ start: '2023-01-01', end: '2023-01-01', kind: 0, id: ID_A });

  it('reads forward by default, 20 at a time', () => {
    expect(timelinePage({})).toEqual({ direction: 'forward', size: 20, after: undefined, before: undefined });
    expect(timelinePage({ first: 5, after: cursor })).toMatchObject({ direction: 'forward', size: 5, after: { id: ID_A } });
  });

  it('reads backward with last', () => {
    expect(timelinePage({ last: 7, before: cursor })).toMatchObject({ direction: 'backward', size: 7, before: { kind: 0 } });
  });

  it('applies the limits of every connection, and refuses first with last', () => {
    expect(timelinePage({ first: 0 }).size).toBe(0);
    expect(timelinePage({ last: 500 }).size).toBe(500);
    expect(fieldOf(() => timelinePage({ first: 501 }))).toBe('first');
    expect(fieldOf(() => timelinePage({ last: -1 }))).toBe('last');
    expect(fieldOf(() => timelinePage({ first: 1, last: 1 }))).toBe('last');
    expect(fieldOf(() => timelinePage({ after: 'x' }))).toBe('after');
  });
});

describe('months', () => {
  it('names, steps and bounds calendar months', () => {
    expect(monthOf('2023-09-07')).toBe('2023-09');
    expect(nextMonth('2023-12')).toBe('2024-01');
    expect(nextMonth('0999-01')).toBe('0999-02');
    expect(monthBounds('2024-02')).toEqual({ start: '2024-02-01', end: '2024-02-29' });
    expect(monthBounds('2023-02')).toEqual({ start: '2023-02-01', end: '2023-02-28' });
    expect(monthBounds('1900-02').end).toBe('1900-02-28');
    expect(monthBounds('2000-02').end).toBe('2000-02-29');
    expect(monthBounds('2023-04').end).toBe('2023-04-30');
    expect(monthRange('2023-11', '2024-02')).toEqual(['2023-11', '2023-12', '2024-01', '2024-02']);
    expect(monthRange('2024-02', '2023-11')).toEqual([]);
    expect(() => monthBounds('2023-13')).toThrow(RangeError);
  });

  it('knows which spans cover more than one month', () => {
    expect(spansMonths({ start: '2023-08-01', end: '2023-08-31' })).toBe(false);
    expect(spansMonths({ start: '2023-08-31', end: '2023-09-01' })).toBe(true);
    expect(spansMonths({ start: '2022-08-01', end: '2023-08-01' })).toBe(true);
  });

  it('lists the months a span overlaps, clipped to the window', () => {
    const span = { start: '2023-09-07', end: '2023-12-01' };
    expect(monthsOverlapped(span)).toEqual(['2023-09', '2023-10', '2023-11', '2023-12']);
    expect(monthsOverlapped(span, '2023-10-31', '2023-11-01')).toEqual(['2023-10', '2023-11']);
    expect(monthsOverlapped(span, null, '2023-09-07')).toEqual(['2023-09']);
    expect(monthsOverlapped(span, '2023-12-02')).toEqual([]);
    expect(monthsOverlapped(span, null, '2023-09-06')).toEqual([]);
  });

  it('fills the gaps between months with zeros and sums repeated months', () => {
    expect(fillMonths([])).toEqual([]);
    const filled = fillMonths([
      { month: '2024-01', total: 1, events: 1 },
      { month: '2023-11', total: 2, shipments: 2, spanning: 1 },
      { month: '2024-01', total: 1, affiliations: 1 },
    ]);
    expect(filled).toEqual([
      { month: '2023-11', start: '2023-11-01', end: '2023-11-30', total: 2, events: 0, shipments: 2, affiliations: 0, spanning: 1 },
      { month: '2023-12', start: '2023-12-01', end: '2023-12-31', total: 0, events: 0, shipments: 0, affiliations: 0, spanning: 0 },
      { month: '2024-01', start: '2024-01-01', end: '2024-01-31', total: 2, events: 1, shipments: 0, affiliations: 1, spanning: 0 },
    ]);
  });

  it('counts an item in every month it overlaps, flags spanning ones, skips undated ones', () => {
    const buckets = bucketByMonth([
      { kind: 'EVENT', span: { start: '2023-09-13', end: '2023-09-13' } },
      { kind: 'SHIPMENT', span: { start: '2023-09-07', end: '2023-10-01' } },
      { kind: 'AFFILIATION', span: null },
      { kind: 'AFFILIATION', span: { start: '2023-12-01', end: '2023-12-31' } },
    ]);
    expect(buckets.map((b) => [b.month, b.total, b.events, b.shipments, b.affiliations, b.spanning])).toEqual([
      ['2023-09', 2, 1, 1, 0, 1],
      ['2023-10', 1, 0, 1, 0, 1],
      ['2023-11', 0, 0, 0, 0, 0],
      ['2023-12', 1, 0, 0, 1, 0],
    ]);
    // A window clips the months but an item still says it spans several.
    expect(bucketByMonth([{ kind: 'SHIPMENT', span: { start: '2023-09-07', end: '2023-10-01' } }], '2023-10-01')).toEqual([
      { month: '2023-10', start: '2023-10-01', end: '2023-10-31', total: 1, events: 0, shipments: 1, affiliations: 0, spanning: 1 },
    ]);
  });
});
