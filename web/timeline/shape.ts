// How one possibly vague date span is drawn on the timeline: the API's DateSpan in, a shape
// out — a point or a bar over calendar days, and how each end looks. Pure (no DOM), so the
// rules are unit-tested (test/web/timeline-shape.test.ts) and the drawing code only follows
// them.
//
// Today the API sends start, end, precision and text: a DAY is a point, a MONTH, QUARTER,
// YEAR or RANGE a bar over its days. The uncertainty fields (edtf, startDate/endDate,
// startBound/endBound, startQualifier/endQualifier, uncertain, approximate) are read when
// present: an approximate end fades, an uncertain date is dashed and marked "?", an open
// end trails off, an unknown end is a dashed tail marked "?".

export type Precision = 'DAY' | 'MONTH' | 'QUARTER' | 'YEAR' | 'RANGE';
export type SpanBound = 'KNOWN' | 'OPEN' | 'UNKNOWN';
export type DateQualifier = 'UNCERTAIN' | 'APPROXIMATE' | 'UNCERTAIN_APPROXIMATE';

/** A DateSpan as the API sends it; the optional fields are those of the uncertainty work. */
export interface SpanInput {
  /** First day (inclusive); for an open or unknown start, the known side's first day. */
  start: string;
  /** Last day (inclusive); for an open or unknown end, the known side's last day. */
  end: string;
  precision: Precision;
  text?: string | null;
  edtf?: string | null;
  /** First day when the start is known; null: open or unknown. */
  startDate?: string | null;
  /** Last day when the end is known; null: open or unknown. */
  endDate?: string | null;
  startBound?: SpanBound | null;
  endBound?: SpanBound | null;
  startQualifier?: DateQualifier | null;
  endQualifier?: DateQualifier | null;
  uncertain?: boolean | null;
  approximate?: boolean | null;
}

/**
 * How an end of the mark is drawn: `firm` a sharp edge; `fade` an approximate bound, the mark
 * fading across it; `open` the span goes on (a tail fading out, with an arrow); `unknown` the
 * end is not known (a dashed tail marked "?").
 */
export type Edge = 'firm' | 'fade' | 'open' | 'unknown';

export interface Shape {
  kind: 'point' | 'bar';
  /** UTC midnight starting the first day, in ms since the epoch. */
  from: number;
  /** UTC midnight after the last day (exclusive), in ms. */
  to: number;
  /** First and last day, YYYY-MM-DD (the known side's for an open or unknown end). */
  first: string;
  last: string;
  startEdge: Edge;
  endEdge: Edge;
  /** The date itself is uncertain ("?"): drawn with a dashed outline. */
  dashed: boolean;
  /** Drawn beside the mark: "?" uncertain, "~" approximate, "?~" both, "" neither. */
  marker: '' | '?' | '~' | '?~';
  /** The span in words, for the list, the details and screen readers. */
  label: string;
}

export const DAY_MS = 86_400_000;

const ISO_DATE = /^(-?\d{4,})-(\d{2})-(\d{2})$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** UTC midnight of a YYYY-MM-DD day, in ms; throws on anything else. */
export function dayMs(date: string): number {
  const m = ISO_DATE.exec(date);
  if (!m) throw new Error(`not a YYYY-MM-DD date: "${date}"`);
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return d.getTime();
}

/** The YYYY-MM-DD day an instant falls on (UTC). */
export function isoDay(ms: number): string {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const year = y < 0 ? `-${String(-y).padStart(4, '0')}` : String(y).padStart(4, '0');
  return `${year}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

function parts(date: string): { y: number; m: number; d: number } {
  const [, y, m, d] = ISO_DATE.exec(date)!;
  return { y: Number(y), m: Number(m), d: Number(d) };
}

/** "13 Sep 2023"; without the year when `withYear` is false. */
function dayWords(date: string, withYear = true): string {
  const { y, m, d } = parts(date);
  return `${d} ${MONTHS[m - 1]}${withYear ? ` ${y}` : ''}`;
}

/** The known days in words, as precise as the precision says: "Jul 2023", "Q3 2023", "7 Sep – 1 Oct 2023". */
function daysWords(first: string, last: string, precision: Precision): string {
  const a = parts(first);
  switch (precision) {
    case 'DAY':
      if (first === last) return dayWords(first);
      break;
    case 'MONTH':
      return `${MONTHS[a.m - 1]} ${a.y}`;
    case 'QUARTER':
      return `Q${Math.floor((a.m - 1) / 3) + 1} ${a.y}`;
    case 'YEAR':
      return String(a.y);
    default:
      break;
  }
  if (first === last) return dayWords(first);
  const b = parts(last);
  return `${dayWords(first, a.y !== b.y)} – ${dayWords(last)}`;
}

const approximate = (q: DateQualifier | null | undefined) => q === 'APPROXIMATE' || q === 'UNCERTAIN_APPROXIMATE';
const uncertain = (q: DateQualifier | null | undefined) => q === 'UNCERTAIN' || q === 'UNCERTAIN_APPROXIMATE';

function edge(bound: SpanBound | null | undefined, qualifier: DateQualifier | null | undefined, wholeApproximate: boolean): Edge {
  if (bound === 'OPEN') return 'open';
  if (bound === 'UNKNOWN') return 'unknown';
  return approximate(qualifier) || wholeApproximate ? 'fade' : 'firm';
}

/** The span in words: its known days, "about" where an end is approximate, how an open or unknown end reads. */
function spanWords(first: string, last: string, precision: Precision, startEdge: Edge, endEdge: Edge): string {
  const about = (e: Edge) => (e === 'fade' ? 'about ' : '');
  const startKnown = startEdge === 'firm' || startEdge === 'fade';
  const endKnown = endEdge === 'firm' || endEdge === 'fade';
  if (!startKnown && !endKnown) return startEdge === 'open' && endEdge === 'open' ? 'open at both ends' : 'both ends open or unknown';
  if (!endKnown) return `from ${about(startEdge)}${dayWords(first)}, ${endEdge === 'open' ? 'open-ended' : 'end unknown'}`;
  if (!startKnown) return `until ${about(endEdge)}${dayWords(last)}, ${startEdge === 'open' ? 'open start' : 'start unknown'}`;
  // One end approximate, the other not: say which (only a range has two ends in words).
  if (startEdge !== endEdge && precision === 'RANGE' && first !== last) {
    const a = parts(first).y;
    const b = parts(last).y;
    return `${about(startEdge)}${dayWords(first, a !== b)} – ${about(endEdge)}${dayWords(last)}`;
  }
  return `${startEdge === 'fade' || endEdge === 'fade' ? 'about ' : ''}${daysWords(first, last, precision)}`;
}

/** The shape of a span: see the file header for the rules. */
export function spanShape(span: SpanInput): Shape {
  // With the uncertainty fields, startDate/endDate are the known bounds; start/end always
  // answer (an open or unknown end repeats the known side), so they are the fallback.
  const first = span.startDate ?? span.start;
  const last = span.endDate ?? span.end;
  const from = dayMs(first);
  const to = dayMs(last) + DAY_MS;
  if (to <= from) throw new Error(`span ends before it starts: ${first}..${last}`);

  const wholeApproximate = span.approximate === true && !approximate(span.startQualifier) && !approximate(span.endQualifier);
  const startEdge = edge(span.startBound, span.startQualifier, wholeApproximate);
  const endEdge = edge(span.endBound, span.endQualifier, wholeApproximate);
  const isUncertain = span.uncertain === true || uncertain(span.startQualifier) || uncertain(span.endQualifier);
  const isApproximate = startEdge === 'fade' || endEdge === 'fade';
  const marker = isUncertain && isApproximate ? '?~' : isUncertain ? '?' : isApproximate ? '~' : '';

  const bothKnown = startEdge !== 'open' && startEdge !== 'unknown' && endEdge !== 'open' && endEdge !== 'unknown';
  const kind = bothKnown && to - from === DAY_MS ? 'point' : 'bar';

  const label = spanWords(first, last, span.precision, startEdge, endEdge);
  return { kind, from, to, first, last, startEdge, endEdge, dashed: isUncertain, marker, label: isUncertain ? `${label} (uncertain)` : label };
}
