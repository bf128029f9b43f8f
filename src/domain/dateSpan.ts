/**
 * Vague dates ("July 2023", "Q3 2023", "7 Sep – 1 Oct 2023", "about November 2023", "from
 * 11 September 2023, end unknown") as inclusive spans of calendar days.
 *
 * Dates are 'YYYY-MM-DD' strings throughout: a JS Date carries an instant, and converting it
 * through a local time zone can shift the calendar day. Only dateToUtc/utcToDate touch Date,
 * always at UTC midnight, for the database layer.
 *
 * Every span has real bounds (start, end): what windows, reports and the database's partitions
 * and indexes use. What the bounds cannot say — EDTF qualifiers (? uncertain, ~ approximate,
 * % both), an open (`..`) or unknown (empty) interval end, a season — is kept as the span's
 * canonical EDTF (`edtf`), and spanDetails() reads it back. The bounding rule, in one place
 * (boundsOf): a qualifier never moves a bound, and an open or unknown end is bounded by the
 * known end alone — `2023-09-11/..` is 2023-09-11..2023-09-11, `2023-09/..` is September — so
 * a record occupies only what is known of it, the same way whatever cites it and whenever it
 * is read. docs/data-model.md, "Date spans", tells the story.
 */
import edtf, { type EdtfDate, type EdtfSeason, type EdtfValue } from 'edtf';

export type DatePrecision = 'DAY' | 'MONTH' | 'QUARTER' | 'YEAR' | 'RANGE';

/** An EDTF qualifier: `?` uncertain, `~` approximate, `%` both. */
export type DateQualifier = 'UNCERTAIN' | 'APPROXIMATE' | 'UNCERTAIN_APPROXIMATE';

/** What is known of a span's end: a date (KNOWN), open-ended (`..`), or not known (empty). */
export type SpanBound = 'KNOWN' | 'OPEN' | 'UNKNOWN';

export interface DateSpan {
  /** First day covered, inclusive (for an open or unknown start, the known end's first day). */
  start: string;
  /** Last day covered, inclusive (for an open or unknown end, the known start's last day). */
  end: string;
  precision: DatePrecision;
  /** The source's own wording, if any ("late summer 2023"). */
  text: string | null;
  /**
   * The canonical EDTF when the bounds and precision do not say it all: a qualifier
   * (`2023-11~`), an open or unknown end (`2023-09-11/..`), a season, unspecified digits.
   * Null for a plain span (spanEdtf writes its EDTF from the bounds). Undefined: not read (a
   * partial row); spanDetails refuses such a span rather than guess.
   */
  edtf?: string | null;
}

/** A span as a client branches on it (GraphQL DateSpan's fields beyond the bounds). */
export interface SpanDetails {
  /** Canonical EDTF, also for a plain span ("2023-09-13", "2023-09", "2023-33", "2023-09-07/2023-10-01"). */
  edtf: string;
  /** The first day when the start is known, else null. */
  startDate: string | null;
  /** The last day when the end is known, else null. */
  endDate: string | null;
  startBound: SpanBound;
  endBound: SpanBound;
  startQualifier: DateQualifier | null;
  endQualifier: DateQualifier | null;
  /** Whether any part is uncertain (? or %). */
  uncertain: boolean;
  /** Whether any part is approximate (~ or %). */
  approximate: boolean;
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
  // From the UTC fields rather than toISOString(), which costs several times as much: a timeline
  // page of 50 turns 100 dates into days, and toISOString() showed in CPU profiles of it.
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
  const isTimestamp = (v: EdtfValue | number | null) => typeof v === 'object' && v !== null && v.type === 'Date' && v.precision === 0;
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

/** One end of a parsed span: what is known of it, its qualifier, and its instants when known. */
interface End {
  bound: SpanBound;
  qualifier: DateQualifier | null;
  /** The first and last instant of the end's date or season (UTC ms), when known. */
  min?: number;
  max?: number;
}

/** The qualifier of a whole date: any of its components uncertain and/or approximate. */
function qualifierOf(date: EdtfDate | EdtfSeason): DateQualifier | null {
  if (date.type !== 'Date') return null; // the library parses no qualified season
  const u = date.uncertain.value !== 0;
  const a = date.approximate.value !== 0;
  return u && a ? 'UNCERTAIN_APPROXIMATE' : u ? 'UNCERTAIN' : a ? 'APPROXIMATE' : null;
}

/** An interval's bound: null is unknown, ±Infinity open (the library writes Infinity for `..` on either side). */
function endOf(bound: EdtfDate | EdtfSeason | number | null): End {
  if (bound === null) return { bound: 'UNKNOWN', qualifier: null };
  if (typeof bound === 'number') return { bound: 'OPEN', qualifier: null };
  const { min, max } = bound.type === 'Season' ? seasonBounds(bound) : bound;
  return { bound: 'KNOWN', qualifier: qualifierOf(bound), min: min ?? undefined, max: max ?? undefined };
}

/** First month (0-11) of the four-month thirds of a year, EDTF 37-39: the library bounds 37 as five months. */
const THIRD_FIRST_MONTH: Record<number, number> = { 37: 0, 38: 4, 39: 8 };

/** A season's first and last instant: the library's, but for the thirds of a year (37-39), computed here. */
function seasonBounds(season: EdtfSeason): { min: number | null; max: number | null } {
  const first = THIRD_FIRST_MONTH[season.season];
  if (first === undefined) return season;
  return { min: Date.UTC(season.year, first, 1), max: Date.UTC(season.year, first + 4, 1) - 1 };
}

/**
 * Seasons proper, EDTF 21-32 ("spring", or northern/southern spring): where one starts and ends
 * depends on the hemisphere and on the convention (meteorological on the 1st, astronomical at an
 * equinox or a solstice), and the library bounds them as calendar quarters. No bound for them
 * would be honest, so they are refused; a month range says what the source means.
 */
const HEMISPHERE_SEASON = /(^|\/)-?\d{4}-(2[1-9]|3[0-2])(\/|$)/;

/** Start and end of a date, season or interval (a date or season is both ends at once). */
function endsOf(
  value: EdtfDate | EdtfSeason | { type: 'Interval'; lower: EdtfDate | EdtfSeason | number | null; upper: EdtfDate | EdtfSeason | number | null },
): [End, End] {
  if (value.type === 'Interval') return [endOf(value.lower), endOf(value.upper)];
  const whole = endOf(value);
  return [whole, whole];
}

/**
 * THE bounding rule: the first and last instant a span occupies. Both ends known: from the
 * start's first instant to the end's last. One end open or unknown: the known end's own date
 * (or month, year, season) alone — no invented duration, nothing taken from citations or from
 * today. Qualifiers play no part. Null when no end is known (refused by the callers).
 */
function boundsOf(start: End, end: End): { min: number; max: number } | null {
  const known = [start, end].filter((e) => e.bound === 'KNOWN' && e.min !== undefined && e.max !== undefined);
  if (known.length === 0) return null;
  return { min: known[0].min!, max: known[known.length - 1].max! };
}

/** Masks and instants of a parse, to check that the library's canonical form reads back the same. */
function fingerprint(value: EdtfValue): string {
  const part = (v: EdtfDate | EdtfSeason | number | null): unknown =>
    v === null || typeof v === 'number' ? v : v.type === 'Date' ? [v.min, v.max, v.uncertain.value, v.approximate.value, v.unspecified.value] : [v.min, v.max];
  return JSON.stringify(
    value.type === 'Interval' ? [part(value.lower), part(value.upper)] : value.type === 'Date' || value.type === 'Season' ? part(value) : null,
  );
}

/** Qualified seasons and quarters ("2023-35~"), which EDTF level 2 allows and the library does not parse. */
const QUALIFIED_SEASON = /(^|\/)\d{4}-(2[1-9]|3\d|4[01])[?~%]/;

/**
 * Parses an EDTF (ISO 8601-2) string with the `edtf` library: a day, month or year with
 * qualifiers (`?` uncertain, `~` approximate, `%` both — on the whole date, or at level 2 on
 * one component: `2023?-11`, `2023-~11`), quarters 33-36, thirds 37-39 and halves 40-41 of a
 * year (seasons 21-32 are refused: HEMISPHERE_SEASON), unspecified digits
 * (`2023-XX`), and intervals whose ends may be open (`2023-09-11/..`) or unknown
 * (`2023-09-11/`), but not both. The span's bounds follow boundsOf; `edtf` is the canonical
 * form when the bounds and precision cannot say everything (see DateSpan.edtf).
 */
export function parseEdtf(input: string, text: string | null = null): DateSpan {
  const source = input.trim();
  if (source === '') throw invalidEdtf(input, 'it is empty');
  // Checked first: the library rolls some impossible days over (2023-02-29 becomes 2023-03-01).
  for (const day of source.match(/\d{4}-\d{2}-\d{2}/g) ?? []) {
    if (!isValidDate(day)) throw invalidEdtf(input, `${day} is not a calendar date`);
  }
  if (QUALIFIED_SEASON.test(source))
    throw invalidEdtf(input, 'qualifiers on seasons and quarters are not supported; qualify months (2023-07~/2023-09~) instead');
  if (HEMISPHERE_SEASON.test(source)) {
    throw invalidEdtf(
      input,
      'seasons (21-32) have no agreed months (hemisphere, meteorological or astronomical): give the months, e.g. 2023-03/2023-05, with ~ if approximate',
    );
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

  const [first, last] = endsOf(value);
  const bounds = boundsOf(first, last);
  if (!bounds) throw invalidEdtf(input, 'an interval needs at least one known end (both are open or unknown)');
  // The canonical form is what is stored: it must read back as the same span.
  const canonical = value.edtf;
  if (canonical !== source) {
    let again: string | undefined;
    try {
      again = fingerprint(edtf(canonical));
    } catch {
      again = undefined;
    }
    if (again !== fingerprint(value)) throw invalidEdtf(input, `this combination of qualifiers is not supported (it would read back as "${canonical}")`);
  }

  // Instants are UTC (00:00:00.000 of the first day, 23:59:59.999 of the last).
  const toDate = (ms: number): string => {
    try {
      return utcToDate(new Date(ms));
    } catch {
      throw invalidEdtf(input, 'outside the supported years 0001-9999');
    }
  };
  const start = toDate(bounds.min);
  const end = toDate(bounds.max);
  const span: DateSpan = { start, end, precision: precisionOf(value, start, end), text, edtf: null };
  if (canonical !== plainEdtf(span)) span.edtf = canonical;
  return span;
}

/** A span's bounds written to its precision, a quarter (1 to 4) of a year as `quarter` writes it. */
function writeSpan(span: Pick<DateSpan, 'start' | 'end' | 'precision'>, quarter: (year: string, q: number) => string): string {
  switch (span.precision) {
    case 'DAY':
      return span.start;
    case 'MONTH':
      return span.start.slice(0, 7);
    case 'QUARTER':
      return quarter(span.start.slice(0, 4), Math.floor((yearMonth(span.start)[1] - 1) / 3) + 1);
    case 'YEAR':
      return span.start.slice(0, 4);
    case 'RANGE':
      return `${span.start}/${span.end}`;
  }
}

/** EDTF's quarters are the "months" 33 to 36. */
const edtfQuarter = (year: string, q: number) => `${year}-${32 + q}`;

/** The EDTF of a span's bounds and precision alone: "2023-09-13", "2023-09", "2023-33" (Q1), "2023", "2023-09-07/2023-10-01". */
export function plainEdtf(span: Pick<DateSpan, 'start' | 'end' | 'precision'>): string {
  return writeSpan(span, edtfQuarter);
}

/** A span's canonical EDTF: the stored one, or the one its bounds and precision write. */
export function spanEdtf(span: DateSpan): string {
  return span.edtf ?? plainEdtf(span);
}

type Shape = Omit<SpanDetails, 'edtf' | 'startDate' | 'endDate'>;
const PLAIN: Shape = { startBound: 'KNOWN', endBound: 'KNOWN', startQualifier: null, endQualifier: null, uncertain: false, approximate: false };
/** Shapes of stored EDTF strings: a page repeats few of them, and each parse costs tens of microseconds. */
const shapes = new Map<string, Shape>();
const MAX_SHAPES = 10_000;

function shapeOf(text: string): Shape {
  let shape = shapes.get(text);
  if (shape) return shape;
  const value = edtf(text);
  if (value.type !== 'Date' && value.type !== 'Season' && value.type !== 'Interval') throw new RangeError(`stored EDTF "${text}" is not a span`);
  const [first, last] = endsOf(value);
  const has = (q: DateQualifier | null, what: 'UNCERTAIN' | 'APPROXIMATE') => q === what || q === 'UNCERTAIN_APPROXIMATE';
  shape = {
    startBound: first.bound,
    endBound: last.bound,
    startQualifier: first.qualifier,
    endQualifier: last.qualifier,
    uncertain: has(first.qualifier, 'UNCERTAIN') || has(last.qualifier, 'UNCERTAIN'),
    approximate: has(first.qualifier, 'APPROXIMATE') || has(last.qualifier, 'APPROXIMATE'),
  };
  if (shapes.size >= MAX_SHAPES) shapes.clear();
  shapes.set(text, shape);
  return shape;
}

/** What a client branches on: the canonical EDTF, which ends are known, and their qualifiers. */
export function spanDetails(span: DateSpan): SpanDetails {
  if (span.edtf === undefined) throw new Error('a span read without its edtf column cannot be described (a selection bug)');
  const shape = span.edtf === null ? PLAIN : shapeOf(span.edtf);
  return {
    edtf: spanEdtf(span),
    startDate: shape.startBound === 'KNOWN' ? span.start : null,
    endDate: shape.endBound === 'KNOWN' ? span.end : null,
    ...shape,
  };
}

/**
 * A canonical EDTF with an open or unknown end (an interval whose end is `..` or empty), written
 * so that PostgreSQL's `~` reads it as JavaScript does: SQL asks hasOpenEnd's question with it.
 */
export const OPEN_END_EDTF = /^(\.\.)?\/|\/(\.\.)?$/;

/** Whether an end of the span is open or unknown (its bounds then hold only the known end). */
export function hasOpenEnd(span: DateSpan): boolean {
  if (!span.edtf) return false;
  const shape = shapeOf(span.edtf);
  return shape.startBound !== 'KNOWN' || shape.endBound !== 'KNOWN';
}

// ---------------------------------------------------------------------------------------------
// API input

/**
 * Builds a span from API input: either `edtf` (qualifiers, open and unknown ends included: see
 * parseEdtf), or `start` with optional `end`/`precision` (a plain span). A missing end is the
 * end of start's period; a missing precision is DAY for a single day, RANGE otherwise. Bounds
 * must match the precision exactly (MONTH = a whole calendar month).
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
      throw new DateSpanError('precision', `${effective} precision needs the span ${period.start}..${period.end}, got ${start}..${last}`);
    }
  }
  return { start, end: last, precision: effective, text, edtf: null };
}

// ---------------------------------------------------------------------------------------------
// Presentation and filtering

const labelQuarter = (year: string, q: number) => `${year}-Q${q}`;

/** Short label: "2023-09-07", "2023-07", "2023-Q3", "2023" or "2023-09-07/2023-10-01". */
export function describeSpan(span: DateSpan): string {
  return writeSpan(span, labelQuarter);
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
