/**
 * Report periods: calendar days, ISO weeks, months, quarters and years as inclusive spans of
 * 'YYYY-MM-DD' dates, their labels, and how a delivery span is attributed to them.
 *
 * Pure: no database. The reports are computed in PostgreSQL (src/db/queries/reports.ts); this
 * module fixes what a period is and what it is called, counts periods without enumerating them
 * (the bucket limit is checked before any query runs), and is the reference model the tests
 * check the SQL against.
 *
 * Labels: DAY 2023-09-07, WEEK 2023-W36 (ISO 8601: weeks start on Monday and belong to the year
 * of their Thursday, so 2024-12-30 is in 2025-W01), MONTH 2023-09, QUARTER 2023-Q3, YEAR 2023.
 */
import { dateToUtc, daysInclusive, daysInMonth, isValidDate, utcToDate, ymd } from './dateSpan';

export type Granularity = 'DAY' | 'WEEK' | 'MONTH' | 'QUARTER' | 'YEAR';
export type Attribution = 'PRO_RATA' | 'START' | 'END';

export const GRANULARITIES: readonly Granularity[] = ['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR'];
export const ATTRIBUTIONS: readonly Attribution[] = ['PRO_RATA', 'START', 'END'];

/** Whether a shipment report keeps the estimated parts of its quantities (see isEstimatedPart). */
export type ReportEstimates = 'INCLUDE' | 'EXCLUDE';
export const REPORT_ESTIMATES: readonly ReportEstimates[] = ['INCLUDE', 'EXCLUDE'];

/** Which periods a report answers: every one of its window (gap-filled), or only those with records. */
export type ReportFill = 'ALL_PERIODS' | 'NONE';
export const REPORT_FILLS: readonly ReportFill[] = ['ALL_PERIODS', 'NONE'];

/** The last calendar day the database and the API can hold. */
export const LAST_DAY = '9999-12-31';

export interface Period {
  label: string;
  /** First day, inclusive. */
  start: string;
  /** Last day, inclusive. */
  end: string;
}

const MS_PER_DAY = 86_400_000;

function parts(date: string): [number, number, number] {
  if (!isValidDate(date)) throw new RangeError(`Invalid date "${date}": expected a real YYYY-MM-DD date`);
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

/** The date `n` days after `date` (before it for negative n). Through UTC: no DST, no drift. */
export function addDays(date: string, n: number): string {
  return utcToDate(new Date(dateToUtc(date).getTime() + n * MS_PER_DAY));
}

/** The day after `date` (not 9999-12-31), by calendar arithmetic: addDays(date, 1) without a Date. */
function dayAfter(date: string): string {
  const [y, m, d] = parts(date);
  if (d < daysInMonth(y, m)) return ymd(y, m, d + 1);
  return m < 12 ? ymd(y, m + 1, 1) : ymd(y + 1, 1, 1);
}

/** ISO day of the week: Monday 1 … Sunday 7. */
export function isoWeekday(date: string): number {
  return dateToUtc(date).getUTCDay() || 7;
}

/** First day of the period that contains `date` (what PostgreSQL's date_trunc gives). */
export function periodStart(date: string, g: Granularity): string {
  const [y, m] = parts(date);
  switch (g) {
    case 'DAY':
      return date;
    case 'WEEK': {
      // 0001-01-01 is a Monday, so no week starts before the first storable day.
      return addDays(date, 1 - isoWeekday(date));
    }
    case 'MONTH':
      return ymd(y, m, 1);
    case 'QUARTER':
      return ymd(y, m - ((m - 1) % 3), 1);
    case 'YEAR':
      return ymd(y, 1, 1);
  }
}

/** Last day of the period that contains `date` (capped at 9999-12-31, the last storable day). */
export function periodEnd(date: string, g: Granularity): string {
  const start = periodStart(date, g);
  const [y, m] = parts(start);
  switch (g) {
    case 'DAY':
      return start;
    case 'WEEK':
      return start >= '9999-12-27' ? LAST_DAY : addDays(start, 6);
    case 'MONTH':
      return ymd(y, m, daysInMonth(y, m));
    case 'QUARTER':
      return ymd(y, m + 2, daysInMonth(y, m + 2));
    case 'YEAR':
      return ymd(y, 12, 31);
  }
}

/** ISO 8601 week-numbering year and week of a date: 2023-09-07 → [2023, 36]. */
export function isoWeek(date: string): [number, number] {
  // The week belongs to the year of its Thursday; its number counts Thursdays of that year.
  const thursday = utcToDate(new Date(dateToUtc(periodStart(date, 'WEEK')).getTime() + 3 * MS_PER_DAY));
  const year = Number(thursday.slice(0, 4));
  const dayOfYear = daysInclusive(ymd(year, 1, 1), thursday);
  return [year, Math.floor((dayOfYear - 1) / 7) + 1];
}

/** Label of the period that contains `date`: 2023-09-07, 2023-W36, 2023-09, 2023-Q3 or 2023. */
export function periodLabel(date: string, g: Granularity): string {
  const [y, m] = parts(date);
  const year = String(y).padStart(4, '0');
  switch (g) {
    case 'DAY':
      return date;
    case 'WEEK': {
      const [wy, w] = isoWeek(date);
      return `${String(wy).padStart(4, '0')}-W${String(w).padStart(2, '0')}`;
    }
    case 'MONTH':
      return date.slice(0, 7);
    case 'QUARTER':
      return `${year}-Q${Math.floor((m - 1) / 3) + 1}`;
    case 'YEAR':
      return year;
  }
}

/** The period that contains `date`. */
export function periodOf(date: string, g: Granularity): Period {
  return { label: periodLabel(date, g), start: periodStart(date, g), end: periodEnd(date, g) };
}

/** Number of periods from the one containing `from` to the one containing `to`, by arithmetic. */
export function countPeriods(from: string, to: string, g: Granularity): number {
  if (to < from) return 0;
  const [fy, fm] = parts(from);
  const [ty, tm] = parts(to);
  switch (g) {
    case 'DAY':
      return daysInclusive(from, to);
    case 'WEEK':
      return (daysInclusive(periodStart(from, 'WEEK'), periodStart(to, 'WEEK')) - 1) / 7 + 1;
    case 'MONTH':
      return ty * 12 + tm - (fy * 12 + fm) + 1;
    case 'QUARTER':
      return ty * 4 + Math.floor((tm - 1) / 3) - (fy * 4 + Math.floor((fm - 1) / 3)) + 1;
    case 'YEAR':
      return ty - fy + 1;
  }
}

/**
 * Every period from the one containing `from` to the one containing `to`, in order.
 * Enumerates them: for reference and small windows; use countPeriods() to size a request.
 */
export function periodsBetween(from: string, to: string, g: Granularity): Period[] {
  const out: Period[] = [];
  for (let d = periodStart(from, g); d <= to;) {
    const p = periodOf(d, g);
    out.push(p);
    if (p.end === LAST_DAY) break;
    d = dayAfter(p.end);
  }
  return out;
}

/**
 * The periods from the one containing `from` to the one containing `to`, and `spread`, which
 * places figures given for some of them (`starts`: their first days, `values` at the same
 * positions, in any order) on all of them, `none` on the others; for several figures of the same
 * periods, `positions` once, then `place` per figure. Reports read only the periods a group has
 * records in from PostgreSQL and fill the rest here. With `only` (first days), the
 * axis keeps just those periods: a report without gap filling (fill NONE).
 */
export function periodAxis(from: string, to: string, g: Granularity, only?: ReadonlySet<string>) {
  const all = periodsBetween(from, to, g);
  const periods = only ? all.filter((p) => only.has(p.start)) : all;
  const index = new Map(periods.map((p, i) => [p.start, i]));
  /** The positions on the axis of the periods starting on `starts`. */
  function positions(starts: readonly string[]): number[] {
    return starts.map((start) => {
      const i = index.get(start);
      if (i === undefined) throw new Error(`${start} does not start a ${g} period between ${from} and ${to}`);
      return i;
    });
  }
  /** Every period's value: `valueAt(k)` at `at[k]` (from positions()), `none` elsewhere. */
  function place<T>(at: readonly number[], valueAt: (k: number) => T, none: T): T[] {
    const out = new Array<T>(periods.length).fill(none);
    for (let k = 0; k < at.length; k++) out[at[k]] = valueAt(k);
    return out;
  }
  function spread<T>(starts: readonly string[], values: readonly T[], none: T): T[] {
    return place(positions(starts), (k) => values[k], none);
  }
  return { periods, spread, positions, place };
}

export interface PeriodShare {
  period: Period;
  /** Days of the span inside the period (inclusive calendar days). */
  days: number;
  /** days / days of the whole span: the part of the quantity the period gets. */
  share: number;
}

/**
 * How a span [start, end] (inclusive days) is split over periods under PRO_RATA: each period it
 * overlaps gets its days inside the period over the span's days. 2023-09-07..2023-10-01 by month:
 * September 24/25, October 1/25.
 */
export function proRataShares(start: string, end: string, g: Granularity): PeriodShare[] {
  const total = daysInclusive(start, end);
  return periodsBetween(start, end, g).map((period) => {
    const days = daysInclusive(period.start > start ? period.start : start, period.end < end ? period.end : end);
    return { period, days, share: days / total };
  });
}

/** Decimal places a reported quantity keeps (see roundQuantity). */
export const QUANTITY_DECIMALS = 6;
const QUANTITY_SCALE = 10 ** QUANTITY_DECIMALS;

/**
 * A summed quantity as reported: pro-rata parts are floats, so whole quantities split over months
 * sum back to figures like 98866.99999999997; kept to QUANTITY_DECIMALS places they read 98867.
 * Values too large to scale exactly are already whole and pass unchanged.
 */
export function roundQuantity<T extends number | null>(q: T): T {
  if (q === null) return q;
  const scaled = Math.round(q * QUANTITY_SCALE);
  return (Number.isSafeInteger(scaled) ? scaled / QUANTITY_SCALE : q) as T;
}

/**
 * The periods a span is attributed to, with the share of its quantity each gets: all it overlaps
 * pro rata (PRO_RATA), or the whole to the period of its first (START) or last (END) day.
 */
export function attribute(start: string, end: string, g: Granularity, attribution: Attribution): PeriodShare[] {
  if (attribution === 'PRO_RATA') return proRataShares(start, end, g);
  const day = attribution === 'START' ? start : end;
  return [{ period: periodOf(day, g), days: daysInclusive(start, end), share: 1 }];
}

/**
 * Whether a shipment's part of a period's figures is an estimate: its quantity is not EXACT
 * (approximate, estimated, at least, at most), its delivery has an open or unknown end (placed
 * by the bounding rule, so wherever it is placed), or it is a share of a delivery split over
 * periods (PRO_RATA, a span crossing the period's bounds: share < 1). A whole EXACT quantity
 * placed in one period is exact. A shipment of unknown quantity (qualifier null) has no figure
 * to estimate: it is unknown, not estimated.
 */
export function isEstimatedPart(qualifier: string | null, open: boolean, share: number): boolean {
  return qualifier !== null && (qualifier !== 'EXACT' || open || share < 1);
}
