// The timeline page's choices and the URL that carries them, so a view can be shared: pure
// (no DOM), unit-tested in test/web/timeline-params.test.ts. Lists are comma-separated;
// defaults are left out of the URL.
//
//   /timeline?actors=<id>,<id>&match=ALL&from=2023-07-01&to=2023-10-31&window=WITHIN
//            &kinds=EVENT,SHIPMENT&types=MEETING,VISIT&minConfidence=REPORTED&minSources=2
//            &asOf=2026-12-01T13:46:57Z&reportedBy=2023-10-13
//            &view=2023-07-01/2023-10-31&item=<id>

export const KINDS = ['EVENT', 'SHIPMENT', 'AFFILIATION'] as const;
export const EVENT_TYPES = [
  'MEETING',
  'VISIT',
  'STATEMENT',
  'ACCUSATION',
  'SANCTION',
  'TRANSFER_REPORT',
  'OBSERVATION',
  'BATTLEFIELD_FINDING',
  'AGREEMENT',
  'OTHER',
] as const;
export const CONFIDENCES = ['CONFIRMED', 'REPORTED', 'ALLEGED', 'ASSESSED'] as const;

export type Kind = (typeof KINDS)[number];
export type EventType = (typeof EVENT_TYPES)[number];
export type Confidence = (typeof CONFIDENCES)[number];

export interface TimelineParams {
  /** Actor ids, in the order picked. */
  actors: string[];
  match: 'ANY' | 'ALL';
  /** The window (YYYY-MM-DD, inclusive); '' for none. */
  from: string;
  to: string;
  window: 'OVERLAPS' | 'WITHIN';
  /** Kinds to show; empty: all. */
  kinds: Kind[];
  /** Event types to keep; empty: all. */
  types: EventType[];
  minConfidence: Confidence | '';
  minSources: number | null;
  /** Knowledge time (a date-time with a zone); '' for now. */
  asOf: string;
  /** Only what had been reported by this day (sent once the API has `reportedBy`); '' for none. */
  reportedBy: string;
  /** The visible stretch of the axis (YYYY-MM-DD, inclusive); null: fitted to the items. */
  view: { from: string; to: string } | null;
  /** The item whose details are open; '' for none. */
  item: string;
}

export const DEFAULTS: TimelineParams = {
  actors: [],
  match: 'ANY',
  from: '',
  to: '',
  window: 'OVERLAPS',
  kinds: [],
  types: [],
  minConfidence: '',
  minSources: null,
  asOf: '',
  reportedBy: '',
  view: null,
  item: '',
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function list(q: URLSearchParams, name: string): string[] {
  return q
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return allowed.includes(value as T) ? (value as T) : undefined;
}

/**
 * The choices a URL's query string carries. Values the page cannot use (an unknown enum
 * value, a malformed view) are left out and named in `ignored`; dates and `asOf` are passed
 * on as they are, for the API to accept or refuse with a message naming the field.
 */
export function paramsFromSearch(search: string): { params: TimelineParams; ignored: string[] } {
  const q = new URLSearchParams(search);
  const ignored: string[] = [];
  const enumList = <T extends string>(name: string, allowed: readonly T[]): T[] => {
    const values = list(q, name);
    const bad = values.filter((v) => !allowed.includes(v as T));
    if (bad.length) ignored.push(`${name}=${bad.join(',')}`);
    return [...new Set(values.filter((v): v is T => allowed.includes(v as T)))];
  };
  const single = <T extends string>(name: string, allowed: readonly T[], fallback: T | ''): T | '' => {
    const v = q.get(name);
    if (v === null || v === '') return fallback;
    const ok = oneOf(v, allowed);
    if (!ok) ignored.push(`${name}=${v}`);
    return ok ?? fallback;
  };

  let minSources: number | null = null;
  const rawSources = q.get('minSources');
  if (rawSources !== null && rawSources !== '') {
    if (/^\d+$/.test(rawSources)) minSources = Number(rawSources);
    else ignored.push(`minSources=${rawSources}`);
  }

  let view: TimelineParams['view'] = null;
  const rawView = q.get('view');
  if (rawView) {
    const [a, b] = rawView.split('/');
    if (a && b && DATE.test(a) && DATE.test(b) && a <= b) view = { from: a, to: b };
    else ignored.push(`view=${rawView}`);
  }

  const params: TimelineParams = {
    actors: [...new Set(list(q, 'actors'))],
    match: (single('match', ['ANY', 'ALL'] as const, 'ANY') || 'ANY') as TimelineParams['match'],
    from: q.get('from') ?? '',
    to: q.get('to') ?? '',
    window: (single('window', ['OVERLAPS', 'WITHIN'] as const, 'OVERLAPS') || 'OVERLAPS') as TimelineParams['window'],
    kinds: enumList('kinds', KINDS),
    types: enumList('types', EVENT_TYPES),
    minConfidence: single('minConfidence', CONFIDENCES, ''),
    minSources,
    asOf: q.get('asOf') ?? '',
    reportedBy: q.get('reportedBy') ?? '',
    view,
    item: q.get('item') ?? '',
  };
  // Every kind chosen is the same feed as none chosen: keep one spelling.
  if (params.kinds.length === KINDS.length) params.kinds = [];
  return { params, ignored };
}

/** The query string for a set of choices (without "?"), defaults left out, in a fixed order. */
export function searchOf(p: TimelineParams): string {
  const q = new URLSearchParams();
  if (p.actors.length) q.set('actors', p.actors.join(','));
  if (p.match !== 'ANY') q.set('match', p.match);
  if (p.from) q.set('from', p.from);
  if (p.to) q.set('to', p.to);
  if (p.window !== 'OVERLAPS') q.set('window', p.window);
  if (p.kinds.length && p.kinds.length < KINDS.length) q.set('kinds', p.kinds.join(','));
  if (p.types.length) q.set('types', p.types.join(','));
  if (p.minConfidence) q.set('minConfidence', p.minConfidence);
  if (p.minSources !== null) q.set('minSources', String(p.minSources));
  if (p.asOf) q.set('asOf', p.asOf);
  if (p.reportedBy) q.set('reportedBy', p.reportedBy);
  if (p.view) q.set('view', `${p.view.from}/${p.view.to}`);
  if (p.item) q.set('item', p.item);
  // Commas and slashes stay readable in a shared link.
  return q.toString().replace(/%2C/gi, ',').replace(/%2F/gi, '/').replace(/%3A/gi, ':');
}

/**
 * The variables of the feed's operations (TimelinePage, TimelineMonths) for these choices:
 * only those the operation declares (`declared`), so `reportedBy` is sent once the
 * registered operation has it; unset choices are left out (the API's defaults apply).
 */
export function feedVariables(p: TimelineParams, declared: ReadonlySet<string>): Record<string, unknown> {
  const all: Record<string, unknown> = {
    actorIds: p.actors,
    match: p.match,
    from: p.from || undefined,
    to: p.to || undefined,
    window: p.window,
    include: p.kinds.length ? p.kinds : undefined,
    types: p.types.length ? p.types : undefined,
    minConfidence: p.minConfidence || undefined,
    minSources: p.minSources ?? undefined,
    asOf: p.asOf || undefined,
    reportedBy: p.reportedBy || undefined,
  };
  return Object.fromEntries(Object.entries(all).filter(([k, v]) => v !== undefined && declared.has(k)));
}

/** Whether the choices show this kind of item. */
export function showsKind(p: TimelineParams, kind: Kind): boolean {
  return p.kinds.length === 0 || p.kinds.includes(kind);
}
