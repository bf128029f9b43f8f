// Timelines: the ordering key of the feed, its cursors, paging arguments and
// calendar-month bucketing. Pure functions on 'YYYY-MM-DD' strings, no I/O.
//
// Order of the feed (total and stable): span start, span end, kind rank, id.
// Affiliations without a span are "undated": their start and end are the
// sentinel UNDATED ('infinity', which PostgreSQL's `date` type knows and sorts
// after every date), so they come after every dated item.
import { cursorPart, cursorShape, type CursorPart } from './cursor';
import { ValidationError } from './errors';
import { pageSize } from './pagination';

export type TimelineKind = 'EVENT' | 'SHIPMENT' | 'AFFILIATION';
export type TimelineMatch = 'ANY' | 'ALL';
export type TimelineWindow = 'OVERLAPS' | 'WITHIN';

/** Tie-break order of the kinds at equal spans. */
export const TIMELINE_KINDS: readonly TimelineKind[] = ['EVENT', 'SHIPMENT', 'AFFILIATION'];

export function kindRank(kind: TimelineKind): number {
  return TIMELINE_KINDS.indexOf(kind);
}

export function kindOfRank(rank: number): TimelineKind {
  const kind = TIMELINE_KINDS[rank];
  if (!kind) throw new RangeError(`no timeline kind of rank ${rank}`);
  return kind;
}

/** Start and end of an undated item (PostgreSQL's date 'infinity': after every date). */
export const UNDATED = 'infinity';

/** The ordering key of a feed item. start/end are 'YYYY-MM-DD' or UNDATED. */
export interface TimelineKey {
  start: string;
  end: string;
  kind: number;
  id: string;
}

function compareBound(a: string, b: string): number {
  // Zero-padded ISO dates sort as strings; 'infinity' sorts after any of them only by rule.
  if (a === b) return 0;
  if (a === UNDATED) return 1;
  if (b === UNDATED) return -1;
  return a < b ? -1 : 1;
}

/** The feed's total order: start, end, kind, id (ids compare as PostgreSQL compares uuids: by their hex digits). */
export function compareKeys(a: TimelineKey, b: TimelineKey): number {
  return (
    compareBound(a.start, b.start) ||
    compareBound(a.end, b.end) ||
    a.kind - b.kind ||
    (a.id.toLowerCase() < b.id.toLowerCase() ? -1 : a.id.toLowerCase() > b.id.toLowerCase() ? 1 : 0)
  );
}

const bound: CursorPart<string> = (v) => (v === UNDATED ? v : cursorPart.date(v));
const kindPart: CursorPart<number> = (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < TIMELINE_KINDS.length ? v : undefined);
/** Timeline cursors: [start, end, kind rank, id]. */
const TIMELINE_CURSOR = cursorShape([bound, bound, kindPart, cursorPart.id]);

export function encodeTimelineCursor(key: TimelineKey): string {
  return TIMELINE_CURSOR.encode([key.start, key.end, key.kind, key.id]);
}

/** Decodes and checks a timeline cursor; anything that is not one is BAD_USER_INPUT on `field`. */
export function decodeTimelineCursor(cursor: string, field: string): TimelineKey {
  const [start, end, kind, id] = TIMELINE_CURSOR.decode(cursor, field);
  if (compareBound(start, end) > 0) throw new ValidationError(field, `"${cursor}" is not a cursor of a timeline`);
  return { start, end, kind, id };
}

export interface TimelinePageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** A page request: `size` items after `after` and/or before `before`, read forward or backward. */
export interface TimelinePage {
  direction: 'forward' | 'backward';
  size: number;
  after?: TimelineKey;
  before?: TimelineKey;
}

/**
 * Relay arguments → a page. `first` and `last` follow the other connections' limits
 * (default 20, at most 500); giving both is bad input. `last` reads backward.
 */
export function timelinePage(args: TimelinePageArgs): TimelinePage {
  if (args.first != null && args.last != null) {
    throw new ValidationError('last', 'Give first or last, not both');
  }
  const after = args.after != null ? decodeTimelineCursor(args.after, 'after') : undefined;
  const before = args.before != null ? decodeTimelineCursor(args.before, 'before') : undefined;
  if (args.last != null) return { direction: 'backward', size: pageSize(args.last, 'last'), after, before };
  return { direction: 'forward', size: pageSize(args.first, 'first'), after, before };
}

// ---------------------------------------------------------------------------------------------
// Calendar months ('YYYY-MM')

const MONTH_RE = /^(\d{4})-(\d{2})$/;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** The month 'YYYY-MM' of a date 'YYYY-MM-DD'. */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}

function parseMonth(month: string): [number, number] {
  const m = MONTH_RE.exec(month);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new RangeError(`"${month}" is not a month YYYY-MM`);
  return [Number(m[1]), Number(m[2])];
}

export function nextMonth(month: string): string {
  const [y, m] = parseMonth(month);
  return m === 12 ? `${pad(y + 1, 4)}-01` : `${pad(y, 4)}-${pad(m + 1, 2)}`;
}

/** First and last day of a month. */
export function monthBounds(month: string): { start: string; end: string } {
  const [y, m] = parseMonth(month);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = m === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
  return { start: `${month}-01`, end: `${month}-${pad(days, 2)}` };
}

/** Every month from `first` to `last`, both included (empty if last < first). */
export function monthRange(first: string, last: string): string[] {
  const months: string[] = [];
  for (let m = first; m <= last; m = nextMonth(m)) months.push(m);
  return months;
}

/** Whether a span covers days of more than one calendar month. */
export function spansMonths(span: { start: string; end: string }): boolean {
  return monthOf(span.start) !== monthOf(span.end);
}

/**
 * The months a span overlaps, clipped to [from, to] when given: the months in which
 * a histogram counts the item. Empty when the span and the window do not meet.
 */
export function monthsOverlapped(span: { start: string; end: string }, from?: string | null, to?: string | null): string[] {
  const lo = from && from > span.start ? from : span.start;
  const hi = to && to < span.end ? to : span.end;
  return lo <= hi ? monthRange(monthOf(lo), monthOf(hi)) : [];
}

export interface MonthBucket {
  month: string;
  start: string;
  end: string;
  total: number;
  events: number;
  shipments: number;
  affiliations: number;
  spanning: number;
}

type Counts = Omit<MonthBucket, 'month' | 'start' | 'end'>;

export function emptyBucket(month: string): MonthBucket {
  return { month, ...monthBounds(month), total: 0, events: 0, shipments: 0, affiliations: 0, spanning: 0 };
}

/**
 * Makes a dense histogram: the given month counts (in any order) and a zero bucket
 * for every month between them, oldest first.
 */
export function fillMonths(counts: ({ month: string } & Partial<Counts>)[]): MonthBucket[] {
  if (!counts.length) return [];
  const byMonth = new Map<string, MonthBucket>();
  for (const c of counts) {
    const b = byMonth.get(c.month) ?? emptyBucket(c.month);
    b.total += c.total ?? 0;
    b.events += c.events ?? 0;
    b.shipments += c.shipments ?? 0;
    b.affiliations += c.affiliations ?? 0;
    b.spanning += c.spanning ?? 0;
    byMonth.set(c.month, b);
  }
  const months = [...byMonth.keys()].sort();
  return monthRange(months[0], months[months.length - 1]).map((m) => byMonth.get(m) ?? emptyBucket(m));
}

const COUNT_FIELD = { EVENT: 'events', SHIPMENT: 'shipments', AFFILIATION: 'affiliations' } as const;

/**
 * Buckets dated items by calendar month (the reference for timelineMonths): each item
 * counts in every month it overlaps within [from, to]; undated items (null span) in none.
 */
export function bucketByMonth(
  items: { kind: TimelineKind; span: { start: string; end: string } | null }[],
  from?: string | null,
  to?: string | null,
): MonthBucket[] {
  const counts: ({ month: string } & Partial<Counts>)[] = [];
  for (const { kind, span } of items) {
    if (!span) continue;
    const spanning = spansMonths(span) ? 1 : 0;
    for (const month of monthsOverlapped(span, from, to)) counts.push({ month, total: 1, [COUNT_FIELD[kind]]: 1, spanning });
  }
  return fillMonths(counts);
}
