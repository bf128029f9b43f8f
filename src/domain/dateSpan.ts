/**
 * Vague dates ("July 2023", "Q3 2023", "7 Sep – 1 Oct 2023") as inclusive spans of calendar days.
 *
 * Dates are 'YYYY-MM-DD' strings throughout: a JS Date carries an instant, and converting it
 * through a local time zone can shift the calendar day. Only dateToUtc/utcToDate touch Date,
 * always at UTC midnight, for the database layer.
 */
import edtf, { type EdtfValue } from 'edtf';

export type DatePrecision = 'DAY' | 'MONTH' | 'QUARTER' | 'YEAR' | 'RANGE';

export interface DateSpan {
  /** First day covered, inclusive. */
  start: string;
  /** Last day covered, inclusive. */
  end: string;
  precision: DatePrecision;
  /** The source's own wording, if any ("late summer 2023"). */
  text: string | null;
}

export interface DateSpanInput {
  edtf?: string | null;
  start?: string | null;
  end?: string | null;
  precision?: DatePrecision | null;
  text?: string | null;
}

/** Invalid date input; `field` names the offending input field so the API can point at it. */
export class DateSpanError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'DateSpanError';
  }
}

const PRECISIONS: readonly DatePrecision[] = ['DAY', 'MONTH', 'QUARTER', 'YEAR', 'RANGE'];
const MS_PER_DAY = 86_400_000;

// ---------------------------------------------------------------------------------------------
// Calendar helpers (plain arithmetic, no Date, so nothing depends on the process time zone)

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in a month of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** 'YYYY-MM-DD' of a year, month and day (not checked). */
export function ymd(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Year and month of an already validated date. */
function yearMonth(date: string): [number, number] {
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
}

/** First and last day of the DAY/MONTH/QUARTER/YEAR period that contains `date`. */
function periodOf(date: string, precision: Exclude<DatePrecision, 'RANGE'>): { start: string; end: string } {
  const [year, month] = yearMonth(date);
  switch (precision) {
    case 'DAY':
      return { start: date, end: date };
    case 'MONTH':
      return { start: ymd(year, month, 1), end: ymd(year, month, daysInMonth(year, month)) };
    case 'QUARTER': {
      const first = month - ((month - 1) % 3);
      return { start: ymd(year, first, 1), end: ymd(year, first + 2, daysInMonth(year, first + 2)) };
    }
    case 'YEAR':
      return { start: ymd(year, 1, 1), end: ymd(year, 12, 31) };
  }
}

/** True for a real calendar date written exactly 'YYYY-MM-DD' (2024-02-29 yes, 2023-02-29 no). */
export function isValidDate(s: string): boolean {
  // Character by character rather than a regular expression: it runs for every date a report
  // serialises (a 10-year monthly eventStats: 2,400), where the match arrays showed in profiles.
  if (typeof s !== 'string' || s.length !== 10 || s.charCodeAt(4) !== DASH || s.charCodeAt(7) !== DASH) return false;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  // PostgreSQL has no year 0 (1 BC precedes AD 1), so 0001 is the earliest storable year.
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

const DASH = 45;
const ZERO = 48;

/** The number written by the ASCII digits s[from, from + n), or -1 if any is not a digit. */
function digits(s: string, from: number, n: number): number {
  let value = 0;
  for (let i = from; i < from + n; i += 1) {
    const d = s.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/** 'YYYY-MM-DD' → Date at midnight UTC (what Prisma expects for a PostgreSQL `date`). */
export function dateToUtc(s: string): Date {
  if (!isValidDate(s)) throw new RangeError(`Invalid date "${s}": expected a real YYYY-MM-DD date`);
  // The ISO date-time form is always UTC and, unlike Date.UTC(), does not map years 0-99 to 19xx.
  return new Date(`${s}T00:00:00.000Z`);
}

/** Date (as Prisma returns a PostgreSQL `date`: midnight UTC) → its UTC calendar day 'YYYY-MM-DD'. */
export function utcToDate(d: Date): string {
  // From the UTC fields rather than toISOString(), which cost ~6 times as much: a timeline page
  // of 50 turns 100 dates into days, and toISOString() showed at ~5% of the server's CPU on it.
  const year = d.getUTCFullYear(); // NaN for an invalid Date
  if (!(year >= 1 && year <= 9999)) throw new RangeError(`Date ${String(d)} is not a calendar day in years 0001-9999`);
  const month = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  return `${year < 1000 ? String(year).padStart(4, '0') : year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/** Number of days from start to end, both included (a single day is 1). */
export function daysInclusive(start: string, end: string): number {
  // UTC has no DST, so every day is exactly MS_PER_DAY long.
  const days = (dateToUtc(end).getTime() - dateToUtc(start).getTime()) / MS_PER_DAY + 1;
  if (days < 1) throw new RangeError(`end (${end}) is before start (${start})`);
  return days;
}

// ---------------------------------------------------------------------------------------------
// EDTF

function invalidEdtf(input: string, reason: string): DateSpanError {
  return new DateSpanError('edtf', `Invalid EDTF date "${input}": ${reason}`);
}

/** Turns the library's error into a one-line reason (its syntax errors list the whole grammar). */
function libraryReason(e: unknown): string {
  const first = (e instanceof Error ? e.message : String(e)).split('\n')[0];
  const column = /^Syntax error at line \d+ col (\d+)/.exec(first);
  if (column) return `not valid EDTF (unexpected character at position ${column[1]})`;
  if (first.includes('No possible parsings')) return 'not valid EDTF (incomplete)';
  return first.replace(/ for ".*"$/, '');
}

/** Whether the parsed value carries a time of day (edtf precision 0 = full timestamp). */
function hasTimeOfDay(value: EdtfValue): boolean {
  const isTimestamp = (v: EdtfValue | number | null) =>
    typeof v === 'object' && v !== null && v.type === 'Date' && v.precision === 0;
  if (value.type === 'Interval') return isTimestamp(value.lower) || isTimestamp(value.upper);
  return isTimestamp(value);
}

function precisionOf(value: EdtfValue, start: string, end: string): DatePrecision {
  if (value.type === 'Season') return value.season >= 33 && value.season <= 36 ? 'QUARTER' : 'RANGE';
  if (value.type === 'Date') {
    // Dates with unspecified digits ("2023-XX", "198X") may cover a whole month/year or not.
    const exact = (['DAY', 'MONTH', 'YEAR'] as const).find((p) => {
      const period = periodOf(start, p);
      return period.start === start && period.end === end;
    });
    if (exact) return exact;
  }
  return 'RANGE';
}

/**
 * Parses an EDTF (ISO 8601-2) string with the `edtf` library: a day, month or year (optionally
 * ~ approximate / ? uncertain), quarters 33-36, seasons 21-41 and closed intervals.
 */
export function parseEdtf(input: string, text: string | null = null): DateSpan {
  const source = input.trim();
  if (source === '') throw invalidEdtf(input, 'it is empty');
  // Checked first: the library rolls some impossible days over (2023-02-29 becomes 2023-03-01).
  for (const day of source.match(/\d{4}-\d{2}-\d{2}/g) ?? []) {
    if (!isValidDate(day)) throw invalidEdtf(input, `${day} is not a calendar date`);
  }

  let value: EdtfValue;
  try {
    value = edtf(source);
  } catch (e) {
    throw invalidEdtf(input, libraryReason(e));
  }
  if (value.type !== 'Date' && value.type !== 'Season' && value.type !== 'Interval') {
    throw invalidEdtf(input, `${value.type} values are not supported, use a date, season or interval`);
  }
  if (hasTimeOfDay(value)) throw invalidEdtf(input, 'times of day are not supported, use a calendar date');

  // Open (`..`, ±Infinity) or unknown (empty, null) interval ends: a span needs both bounds.
  const { min, max } = value;
  if (min == null || max == null || !Number.isFinite(min) || !Number.isFinite(max)) {
    throw invalidEdtf(input, 'open or unknown interval ends are not supported, both start and end are needed');
  }

  // min/max are UTC instants (00:00:00.000 of the first day, 23:59:59.999 of the last).
  const toDate = (ms: number): string => {
    try {
      return utcToDate(new Date(ms));
    } catch {
      throw invalidEdtf(input, 'outside the supported years 0001-9999');
    }
  };
  const start = toDate(min);
  const end = toDate(max);
  return { start, end, precision: precisionOf(value, start, end), text };
}

// ---------------------------------------------------------------------------------------------
// API input

/**
 * Builds a span from API input: either `edtf`, or `start` with optional `end`/`precision`.
 * A missing end is the end of start's period; a missing precision is DAY for a single day,
 * RANGE otherwise. Bounds must match the precision exactly (MONTH = a whole calendar month).
 */
export function spanFromInput(input: DateSpanInput): DateSpan {
  const { edtf: edtfText, start, end, precision } = input;
  const text = input.text ?? null;

  if (edtfText != null) {
    if (start != null || end != null || precision != null) {
      throw new DateSpanError('edtf', 'Give either edtf or start/end/precision, not both');
    }
    return parseEdtf(edtfText, text);
  }

  if (start == null) throw new DateSpanError('start', 'A date needs either edtf or start');
  if (!isValidDate(start)) throw new DateSpanError('start', `start "${start}" is not a valid YYYY-MM-DD date`);
  if (end != null && !isValidDate(end)) throw new DateSpanError('end', `end "${end}" is not a valid YYYY-MM-DD date`);
  // GraphQL enums are checked upstream, but this module is also fed by seeds and scripts.
  if (precision != null && !PRECISIONS.includes(precision)) {
    throw new DateSpanError('precision', `Unknown precision "${String(precision)}", expected one of ${PRECISIONS.join(', ')}`);
  }

  const effective: DatePrecision = precision ?? (end == null || end === start ? 'DAY' : 'RANGE');
  let last: string;
  if (end != null) last = end;
  else if (effective === 'RANGE') throw new DateSpanError('end', 'A RANGE needs an end date');
  else last = periodOf(start, effective).end;

  // Zero-padded ISO dates sort lexicographically, so string order is date order.
  if (last < start) throw new DateSpanError('end', `end (${last}) is before start (${start})`);

  if (effective !== 'RANGE') {
    const period = periodOf(start, effective);
    if (period.start !== start || period.end !== last) {
      throw new DateSpanError(
        'precision',
        `${effective} precision needs the span ${period.start}..${period.end}, got ${start}..${last}`,
      );
    }
  }
  return { start, end: last, precision: effective, text };
}

// ---------------------------------------------------------------------------------------------
// Presentation and filtering

/** Short label: "2023-09-07", "2023-07", "2023-Q3", "2023" or "2023-09-07/2023-10-01". */
export function describeSpan(span: DateSpan): string {
  const year = span.start.slice(0, 4);
  switch (span.precision) {
    case 'DAY':
      return span.start;
    case 'MONTH':
      return span.start.slice(0, 7);
    case 'QUARTER':
      return `${year}-Q${Math.floor((yearMonth(span.start)[1] - 1) / 3) + 1}`;
    case 'YEAR':
      return year;
    case 'RANGE':
      return `${span.start}/${span.end}`;
  }
}

/** A missing filter bound means unbounded on that side; a present one must be a valid date. */
function filterBound(value: string | null | undefined, field: 'from' | 'to'): string | null {
  if (value == null) return null;
  if (!isValidDate(value)) throw new DateSpanError(field, `${field} "${value}" is not a valid YYYY-MM-DD date`);
  return value;
}

/** Whether the span shares at least one day with [from, to] (both inclusive, either optional). */
export function overlaps(span: DateSpan, from?: string | null, to?: string | null): boolean {
  const lo = filterBound(from, 'from');
  const hi = filterBound(to, 'to');
  return (lo === null || span.end >= lo) && (hi === null || span.start <= hi);
}

/** Whether every day of the span lies in [from, to] (both inclusive, either optional). */
export function within(span: DateSpan, from?: string | null, to?: string | null): boolean {
  const lo = filterBound(from, 'from');
  const hi = filterBound(to, 'to');
  return (lo === null || span.start >= lo) && (hi === null || span.end <= hi);
}
