import {
  addDays,
  attribute,
  countPeriods,
  GRANULARITIES,
  isEstimatedPart,
  isoWeek,
  periodAxis,
  periodEnd,
  periodLabel,
  periodOf,
  periodsBetween,
  periodStart,
  proRataShares,
  roundQuantity,
  type Granularity,
} from '../../src/domain/periods';

describe('period labels', () => {
  it.each<[Granularity, string]>([
    ['DAY', '2023-09-07'],
    ['WEEK', '2023-W36'],
    ['MONTH', '2023-09'],
    ['QUARTER', '2023-Q3'],
    ['YEAR', '2023'],
  ])('labels a day by its %s: %s', (granularity, label) => {
    expect(periodLabel('2023-09-07', granularity)).toBe(label);
  });

  it.each([
    // 2021-01-01 is a Friday: its week is the last of 2020 (2020 has 53 weeks).
    ['2021-01-01', '2020-W53'],
    ['2021-01-03', '2020-W53'],
    ['2021-01-04', '2021-W01'],
    // 2024-12-30 is a Monday whose Thursday is 2025-01-02.
    ['2024-12-30', '2025-W01'],
    ['2023-01-01', '2022-W52'],
    ['2023-01-02', '2023-W01'],
  ])('numbers ISO weeks by the year of their Thursday: %s is in %s', (day, label) => {
    expect(periodLabel(day, 'WEEK')).toBe(label);
  });

  it('counts 53 ISO weeks in 2026', () => {
    expect(isoWeek('2026-12-31')).toEqual([2026, 53]);
  });

  it('labels quarters', () => {
    expect(['01', '03', '04', '06', '07', '09', '10', '12'].map((m) => periodLabel(`2023-${m}-15`, 'QUARTER'))).toEqual([
      '2023-Q1',
      '2023-Q1',
      '2023-Q2',
      '2023-Q2',
      '2023-Q3',
      '2023-Q3',
      '2023-Q4',
      '2023-Q4',
    ]);
  });

  it('pads early years', () => {
    expect(periodLabel('0050-03-01', 'YEAR')).toBe('0050');
    expect(periodLabel('0050-03-01', 'QUARTER')).toBe('0050-Q1');
  });
});

describe('period bounds', () => {
  it.each<[Granularity, string, string, string]>([
    ['WEEK', '2023-W36', '2023-09-04', '2023-09-10'],
    ['MONTH', '2023-09', '2023-09-01', '2023-09-30'],
    ['QUARTER', '2023-Q3', '2023-07-01', '2023-09-30'],
    ['YEAR', '2023', '2023-01-01', '2023-12-31'],
    ['DAY', '2023-09-07', '2023-09-07', '2023-09-07'],
  ])('gives the first and last day of the containing %s (%s: %s to %s)', (granularity, label, start, end) => {
    expect(periodOf('2023-09-07', granularity)).toEqual({ label, start, end });
  });

  it.each<[string, Granularity, string]>([
    ['2024-02-10', 'MONTH', '2024-02-29'],
    ['2023-02-10', 'MONTH', '2023-02-28'],
    ['2000-02-10', 'MONTH', '2000-02-29'],
    ['1900-02-10', 'MONTH', '1900-02-28'],
    ['2024-01-10', 'QUARTER', '2024-03-31'],
  ])('knows leap years: the %s %s ends on %s', (day, granularity, end) => {
    expect(periodEnd(day, granularity)).toBe(end);
  });

  it('weeks start on Monday, across month and year ends', () => {
    expect(periodStart('2023-10-01', 'WEEK')).toBe('2023-09-25'); // a Sunday
    expect(periodStart('2023-09-25', 'WEEK')).toBe('2023-09-25'); // a Monday
    expect(periodStart('2025-01-01', 'WEEK')).toBe('2024-12-30');
    expect(periodEnd('9999-12-30', 'WEEK')).toBe('9999-12-31');
  });

  it.each(['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Europe/London'])('does not drift in the %s time zone', (tz) => {
    // Every computation goes through UTC, so a local midnight far from UTC (or a DST change) moves no day.
    const saved = process.env.TZ;
    process.env.TZ = tz;
    try {
      expect(addDays('2023-03-25', 1)).toBe('2023-03-26');
      expect(addDays('2023-03-26', 1)).toBe('2023-03-27');
      expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
      expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
      expect(periodOf('2023-10-29', 'WEEK')).toEqual({ label: '2023-W43', start: '2023-10-23', end: '2023-10-29' });
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('periods between two dates', () => {
  it('lists every period from the one containing from to the one containing to', () => {
    expect(periodsBetween('2023-08-15', '2023-11-02', 'MONTH').map((p) => p.label)).toEqual(['2023-08', '2023-09', '2023-10', '2023-11']);
    expect(periodsBetween('2023-01-01', '2023-12-31', 'QUARTER').map((p) => p.label)).toEqual(['2023-Q1', '2023-Q2', '2023-Q3', '2023-Q4']);
    expect(periodsBetween('2023-09-07', '2023-10-01', 'WEEK').map((p) => p.label)).toEqual(['2023-W36', '2023-W37', '2023-W38', '2023-W39']);
  });

  it('steps day by day across month, year and leap-day boundaries as addDays does', () => {
    const days = periodsBetween('2023-12-25', '2025-03-05', 'DAY').map((p) => p.start);
    expect(days).toHaveLength(437);
    days.slice(1).forEach((d, i) => expect([days[i], d]).toEqual([days[i], addDays(days[i], 1)]));
    expect(days).toContain('2024-02-29');
    expect(periodsBetween('9999-12-30', '9999-12-31', 'DAY').map((p) => p.start)).toEqual(['9999-12-30', '9999-12-31']);
  });

  it('counts periods by arithmetic exactly as listing them does', () => {
    const cases: [string, string][] = [
      ['2023-09-07', '2023-10-01'],
      ['2020-12-31', '2021-01-04'],
      ['2022-02-24', '2023-10-31'],
      ['2024-02-29', '2024-02-29'],
      ['1999-06-15', '2031-01-10'],
    ];
    for (const g of GRANULARITIES) {
      for (const [from, to] of cases) expect([g, from, to, countPeriods(from, to, g)]).toEqual([g, from, to, periodsBetween(from, to, g).length]);
    }
    expect(countPeriods('2023-01-02', '2023-01-01', 'DAY')).toBe(0);
    expect(countPeriods('0001-01-01', '9999-12-31', 'DAY')).toBe(3_652_059);
  });
});

describe('the period axis of a report', () => {
  it('places the figures given for some periods on all of them, in order, the rest filled', () => {
    const axis = periodAxis('2023-08-15', '2023-11-02', 'MONTH');
    expect(axis.periods.map((p) => p.start)).toEqual(['2023-08-01', '2023-09-01', '2023-10-01', '2023-11-01']);
    // Given in any order; values line up with their starts.
    expect(axis.spread(['2023-10-01', '2023-08-01'], [7, 3], 0)).toEqual([3, 0, 7, 0]);
    expect(axis.spread<number | null>(['2023-09-01'], [null], 0)).toEqual([0, null, 0, 0]);
    expect(axis.spread([], [], null)).toEqual([null, null, null, null]);
  });

  it('refuses a date that does not start a period of the window', () => {
    const axis = periodAxis('2023-09-07', '2023-10-01', 'WEEK');
    expect(axis.periods.map((p) => p.label)).toEqual(['2023-W36', '2023-W37', '2023-W38', '2023-W39']);
    expect(axis.spread(['2023-09-11'], [1], 0)).toEqual([0, 1, 0, 0]);
    // A Tuesday, and a Monday after the window.
    expect(() => axis.spread(['2023-09-12'], [1], 0)).toThrow('2023-09-12 does not start a WEEK period between 2023-09-07 and 2023-10-01');
    expect(() => axis.spread(['2023-10-02'], [1], 0)).toThrow(/2023-10-02 does not start/);
  });
});

describe('pro-rata shares', () => {
  it("splits the seed's 1,000 containers (2023-09-07..2023-10-01, 25 days) 24:1 by month", () => {
    // September 7-30 is 24 days, October 1 one day: 960 and 40 containers.
    const shares = proRataShares('2023-09-07', '2023-10-01', 'MONTH');
    expect(shares.map((s) => [s.period.label, s.days, 1000 * s.share])).toEqual([
      ['2023-09', 24, 960],
      ['2023-10', 1, 40],
    ]);
  });

  it('by week: W36 Sep 7-10 (4 days), W37 and W38 (7 each), W39 Sep 25 - Oct 1 (7)', () => {
    expect(proRataShares('2023-09-07', '2023-10-01', 'WEEK').map((s) => [s.period.label, s.days])).toEqual([
      ['2023-W36', 4],
      ['2023-W37', 7],
      ['2023-W38', 7],
      ['2023-W39', 7],
    ]);
  });

  it('keeps a span inside one period whole, whatever its edges', () => {
    expect(proRataShares('2023-09-01', '2023-09-30', 'MONTH')).toEqual([
      { period: { label: '2023-09', start: '2023-09-01', end: '2023-09-30' }, days: 30, share: 1 },
    ]);
    expect(proRataShares('2023-09-30', '2023-09-30', 'MONTH').map((s) => [s.days, s.share])).toEqual([[1, 1]]);
    expect(proRataShares('2024-02-29', '2024-02-29', 'DAY').map((s) => [s.period.label, s.share])).toEqual([['2024-02-29', 1]]);
  });

  it('counts the leap day', () => {
    // 2024-02-15..2024-03-14: February 15-29 is 15 days, March 1-14 is 14 days, 29 in all.
    expect(proRataShares('2024-02-15', '2024-03-14', 'MONTH').map((s) => [s.period.label, s.days, s.share])).toEqual([
      ['2024-02', 15, 15 / 29],
      ['2024-03', 14, 14 / 29],
    ]);
  });

  it('gives shares that add up to the whole', () => {
    for (const g of GRANULARITIES) {
      const total = proRataShares('2022-02-24', '2023-10-31', g).reduce((sum, s) => sum + s.share, 0);
      expect(total).toBeCloseTo(1, 12);
    }
  });

  it('puts everything in the first or last period under START and END', () => {
    expect(attribute('2023-09-07', '2023-10-01', 'MONTH', 'START').map((s) => [s.period.label, s.share])).toEqual([['2023-09', 1]]);
    expect(attribute('2023-09-07', '2023-10-01', 'MONTH', 'END').map((s) => [s.period.label, s.share])).toEqual([['2023-10', 1]]);
    expect(attribute('2023-09-07', '2023-10-01', 'MONTH', 'PRO_RATA')).toHaveLength(2);
  });
});

describe('reported quantities', () => {
  it('reads whole again what pro-rata parts sum to', () => {
    // A quantity split over the 120 months of ten years and summed back in floating point.
    const parts = proRataShares('2015-01-01', '2024-12-31', 'MONTH').map((s) => 98_867 * s.share);
    const sum = parts.reduce((a, b) => a + b, 0);
    expect(sum).not.toBe(98_867);
    expect(roundQuantity(sum)).toBe(98_867);
    expect(roundQuantity(0.1 + 0.2)).toBe(0.3);
  });

  it('keeps six decimal places, nulls, and figures too large to scale', () => {
    expect(roundQuantity(1000 / 3)).toBe(333.333333);
    expect(roundQuantity(-2.0000004)).toBe(-2);
    expect(roundQuantity(null)).toBeNull();
    expect(roundQuantity(1e300)).toBe(1e300);
  });
});

describe('isEstimatedPart', () => {
  test.each([
    // qualifier, open end, share, estimated
    ['EXACT', false, 1, false], // a whole exact quantity in one period
    ['EXACT', false, 24 / 25, true], // a pro-rata share of it
    ['EXACT', true, 1, true], // placed by the bounding rule
    ['APPROXIMATE', false, 1, true],
    ['AT_LEAST', false, 1, true],
    ['AT_MOST', false, 1, true],
    ['ESTIMATE', false, 1, true],
    [null, false, 0.5, false], // an unknown quantity: unknown, not estimated
    [null, true, 1, false],
  ] as const)('%p, open %p, share %p → %p', (qualifier, open, share, estimated) => {
    expect(isEstimatedPart(qualifier, open, share)).toBe(estimated);
  });
});
