// The timeline page (/timeline): the feed of one or more actors drawn on a time axis, in
// lanes, page by page as the API's cursors deliver it; a month histogram above the axis;
// vague dates drawn as vague (shape.ts); every mark one click (or Enter) from its details,
// citations and claims. A client of the public GraphQL API like any other: registered
// operations sent by hash (web/timeline/timeline.graphql), the key from the header's box.
// The choices live in the URL (params.ts), so a view can be shared.
import '../shared/header.css';
import { declaredVariables, registeredOperation, runPersisted } from '../shared/persisted';
import { bindKeyField, type GraphQLResult } from '../shared/session';
import { showDetails } from './details';
import { Layout, type FeedEdge, type Item } from './layout';
import { ItemList } from './list';
import { CONFIDENCES, EVENT_TYPES, KINDS, feedVariables, paramsFromSearch, searchOf, showsKind, type TimelineParams } from './params';
import './page-api';
import { ActorPicker } from './picker';
import { DAY_MS, dayMs } from './shape';
import { TimelineView, type MonthCount } from './view';
import './timeline.css';

/** The first page is small, for a quick first picture; the rest as large as the API allows. */
const FIRST_PAGE = 100;
const PAGE_SIZE = 500;
/** Beyond this many items the page stops and offers to load more (the window or filters narrow it). */
const ITEM_LIMIT = 20_000;

interface FeedPage {
  timeline: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
    edges: FeedEdge[];
  };
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = $<HTMLFormElement>('tl-form');
const status = $('status');
const detailsBox = $('tl-details');
const tip = $('tl-tip');
const announce = $('tl-active');
const pageDeclares = declaredVariables('TimelinePage');
const monthsDeclare = declaredVariables('TimelineMonths');

let params: TimelineParams = paramsFromSearch(location.search).params;
let layout = new Layout();
let run = 0;
let nextCursor: string | null = null;
let total = 0;
let detailsOpener: HTMLElement | null = null;

const view = new TimelineView(layout, $('tl-head'), $('tl-lanes'), $('tl-scroller'), $('tl-spacer'), {
  onOpen: (item) => void openItem(item),
  onActive: (item, how) => showTip(item, how),
  onDomain: () => domainChanged(),
});
const list = new ItemList($('tl-list'), {
  onOpen: (item) => void openItem(item),
  onActive: (item) => {
    view.active = item;
    if (item.shape) view.ensureVisible(item);
    view.schedule();
  },
});
const picker = new ActorPicker(
  $<HTMLInputElement>('actor-search'),
  $('actor-options'),
  $('actor-chips'),
  () => undefined,
  (m) => say(m, 'error'),
);

/** What the browser tests and the benchmark read: the drawn items and their geometry. */
window.timelineView = {
  view,
  items: () =>
    [...layout.items, ...layout.undated].map((it) => ({
      id: it.id,
      kind: it.kind,
      title: it.title,
      shape: it.shape?.kind ?? 'undated',
      first: it.shape?.first ?? null,
      last: it.shape?.last ?? null,
      lane: it.lane,
      row: it.row,
    })),
  geometry: (id) => {
    const it = layout.byId.get(id);
    return it ? view.geometry(it) : null;
  },
  hitTest: (x, y) => view.hitTest(x, y)?.id ?? null,
  xOf: (day) => view.xOf(day),
  visibleDays: () => view.visibleDays(),
  addEdges: (edges) => {
    layout.add(edges);
    drawn();
  },
};

// ---- the form

function fillForm(p: TimelineParams): void {
  const field = <T extends HTMLInputElement | HTMLSelectElement>(name: string) => form.elements.namedItem(name) as T;
  field<HTMLInputElement>('from').value = p.from;
  field<HTMLInputElement>('to').value = p.to;
  field<HTMLSelectElement>('window').value = p.window;
  field<HTMLSelectElement>('minConfidence').value = p.minConfidence;
  field<HTMLInputElement>('minSources').value = p.minSources === null ? '' : String(p.minSources);
  field<HTMLInputElement>('asOf').value = p.asOf;
  field<HTMLInputElement>('reportedBy').value = p.reportedBy;
  form.querySelectorAll<HTMLInputElement>('input[name="match"]').forEach((r) => (r.checked = r.value === p.match));
  form.querySelectorAll<HTMLInputElement>('input[name="kinds"]').forEach((b) => (b.checked = p.kinds.length === 0 || p.kinds.includes(b.value as never)));
  form.querySelectorAll<HTMLInputElement>('input[name="types"]').forEach((b) => (b.checked = p.types.includes(b.value as never)));
  updateTypesSummary();
}

function paramsFromForm(): TimelineParams {
  const data = new FormData(form);
  const text = (name: string) => String(data.get(name) ?? '').trim();
  const kinds = data.getAll('kinds').map(String) as TimelineParams['kinds'];
  const minSources = text('minSources');
  return {
    actors: picker.ids,
    match: text('match') === 'ALL' ? 'ALL' : 'ANY',
    from: text('from'),
    to: text('to'),
    window: text('window') === 'WITHIN' ? 'WITHIN' : 'OVERLAPS',
    // None ticked reads as all (the API's "all when omitted").
    kinds: kinds.length === KINDS.length ? [] : kinds,
    types: data.getAll('types').map(String) as TimelineParams['types'],
    minConfidence: (text('minConfidence') as TimelineParams['minConfidence']) || '',
    minSources: /^\d+$/.test(minSources) ? Number(minSources) : null,
    asOf: text('asOf'),
    reportedBy: pageDeclares.has('reportedBy') ? text('reportedBy') : params.reportedBy,
    view: null,
    item: '',
  };
}

function buildForm(): void {
  const types = $('tl-types-options');
  types.replaceChildren(
    ...EVENT_TYPES.map((t) => {
      const label = document.createElement('label');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.name = 'types';
      box.value = t;
      box.addEventListener('change', updateTypesSummary);
      label.append(box, ` ${t.toLowerCase().replace(/_/g, ' ')}`);
      return label;
    }),
  );
  const conf = form.elements.namedItem('minConfidence') as HTMLSelectElement;
  for (const c of CONFIDENCES) conf.append(new Option(`${c.toLowerCase()} or more certain`, c));
  // reportedBy is offered once the registered operation declares it (see timeline.graphql).
  $('reported-by-field').hidden = !pageDeclares.has('reportedBy');
}

function updateTypesSummary(): void {
  const chosen = [...form.querySelectorAll<HTMLInputElement>('input[name="types"]:checked')].map((b) => b.value.toLowerCase().replace(/_/g, ' '));
  $('tl-types-summary').textContent = chosen.length ? `Event types: ${chosen.join(', ')}` : 'Event types: all';
}

function say(text: string, state?: 'idle' | 'loading' | 'ready' | 'error'): void {
  status.textContent = text;
  if (state) document.body.dataset.state = state;
}

const fmt = (n: number) => n.toLocaleString('en');
const isDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s);

// ---- loading the feed

/** Loads the feed for `p`, page by page, drawing as the pages arrive. */
async function load(p: TimelineParams, notes: string[] = []): Promise<void> {
  const mine = ++run;
  params = p;
  layout = new Layout();
  view.layout = layout;
  view.active = null;
  view.hover = null;
  view.months = [];
  list.setItems([]);
  renderUndated();
  renderMonths([]);
  hideTip();
  if (!p.item) closeDetails(false);
  nextCursor = null;
  total = 0;
  document.body.dataset.loaded = '0';
  delete document.body.dataset.total;
  $('tl-operation').textContent = registeredOperation('TimelinePage').body;
  if (!p.actors.length) {
    view.relayout();
    say(['Pick one or more actors, then Show.', ...notes].join(' '), 'idle');
    return;
  }
  say('Loading…', 'loading');
  performance.clearMarks();
  performance.mark('timeline:load-start');
  const started = performance.now();
  const vars = feedVariables(p, pageDeclares);
  $('tl-variables').textContent = JSON.stringify({ ...vars, first: PAGE_SIZE, after: '…' }, null, 2);

  // A window the API will refuse (a malformed date) is not drawn: its message says what is wrong.
  const windowed = isDay(p.from) && isDay(p.to);
  if (p.view) view.setDomain(dayMs(p.view.from), dayMs(p.view.to) + DAY_MS, false);
  else if (windowed) view.fit(dayMs(p.from), dayMs(p.to) + DAY_MS, false);
  const months = runPersisted<{ timelineMonths: MonthCount[] }>('TimelineMonths', feedVariables(p, monthsDeclare)).then((r) => {
    if (mine !== run || !r.data) return;
    view.months = r.data.timelineMonths;
    renderMonths(view.months);
    if (!p.view && !windowed && view.months.length) {
      const first = view.months[0];
      const last = view.months[view.months.length - 1];
      view.fit(dayMs(isDay(p.from) ? p.from : first.start), dayMs(isDay(p.to) ? p.to : last.end) + DAY_MS, false);
    }
    view.schedule();
  });

  try {
    let pages = 0;
    let after: string | null = null;
    do {
      const r: GraphQLResult<FeedPage> = await runPersisted<FeedPage>('TimelinePage', {
        ...vars,
        first: pages === 0 ? FIRST_PAGE : PAGE_SIZE,
        ...(after ? { after } : {}),
      });
      if (mine !== run) return;
      if (r.errors?.length || !r.data) throw new FeedError(r.errors);
      const page: FeedPage['timeline'] = r.data.timeline;
      total = page.totalCount;
      document.body.dataset.total = String(total);
      layout.add(page.edges);
      pages += 1;
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      drawn();
      if (pages === 1) {
        await months;
        if (mine !== run) return;
        requestAnimationFrame(() => performance.mark('timeline:first-items'));
      }
      say(`Loading… ${fmt(layout.size)} of ${fmt(total)} items (${pages} ${pages === 1 ? 'page' : 'pages'})`, 'loading');
    } while (after && layout.size < ITEM_LIMIT);
    nextCursor = after;
    await months;
    if (mine !== run) return;
    // A window leaves undated affiliations out of the feed: they are read apart, never hidden.
    const undatedPages = (p.from || p.to) && showsKind(p, 'AFFILIATION') ? await loadUndated(p, mine) : 0;
    if (mine !== run) return;
    if (!view.months.length && layout.items.length) fitToItems(false);
    drawn();
    await new Promise((resolve) => requestAnimationFrame(resolve));
    performance.mark('timeline:all-items');
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const undated = layout.undated.length;
    const parts = [
      `${fmt(layout.items.length)} ${layout.items.length === 1 ? 'item' : 'items'} on the axis`,
      ...(showsKind(p, 'AFFILIATION') ? [`${fmt(undated)} undated`] : []),
      `${pages + undatedPages} ${pages + undatedPages === 1 ? 'page' : 'pages'} in ${seconds} s`,
    ];
    if (nextCursor) parts.push(`the first ${fmt(layout.size)} of ${fmt(total)}: narrow the window or filters, or load more`);
    say([`${parts.join('; ')}.`, ...notes].join(' '), 'ready');
    $('tl-more').hidden = !nextCursor;
    if (p.item) {
      const item = layout.byId.get(p.item);
      if (item) void openItem(item, false);
      else say(`${status.textContent} The item in the link (${p.item}) is not in this view.`);
    }
  } catch (err) {
    if (mine !== run) return;
    say(`Could not load the timeline: ${(err as Error).message}`, 'error');
  }
}

class FeedError extends Error {
  constructor(errors: { message: string; extensions?: Record<string, unknown> }[] | undefined) {
    super(errors?.length ? errors.map((e) => `${e.message}${e.extensions?.field ? ` (field ${e.extensions.field})` : ''}`).join('; ') : 'No data');
  }
}

/**
 * The undated affiliations a window leaves out: they come last in the feed's order, so
 * they are read backwards from its end (last/before) until a dated item shows up.
 */
async function loadUndated(p: TimelineParams, mine: number): Promise<number> {
  const vars = feedVariables({ ...p, from: '', to: '', window: 'OVERLAPS', kinds: ['AFFILIATION'], types: [] }, pageDeclares);
  let before: string | null = null;
  let pages = 0;
  for (;;) {
    const r: GraphQLResult<FeedPage> = await runPersisted<FeedPage>('TimelinePage', { ...vars, last: PAGE_SIZE, ...(before ? { before } : {}) });
    if (mine !== run) return pages;
    if (r.errors?.length || !r.data) throw new FeedError(r.errors);
    pages += 1;
    const edges = r.data.timeline.edges;
    layout.add(edges.filter((e) => e.at === null));
    const reachedDated = edges.some((e) => e.at !== null);
    if (reachedDated || !r.data.timeline.pageInfo.hasPreviousPage) return pages;
    before = r.data.timeline.pageInfo.startCursor;
  }
}

/** Loads the pages after the item limit (the "Load more" button). */
async function loadMore(): Promise<void> {
  if (!nextCursor) return;
  const mine = run;
  const vars = feedVariables(params, pageDeclares);
  const limit = layout.size + ITEM_LIMIT;
  say('Loading more…', 'loading');
  try {
    let after: string | null = nextCursor;
    while (after && layout.size < limit) {
      const r: GraphQLResult<FeedPage> = await runPersisted<FeedPage>('TimelinePage', { ...vars, first: PAGE_SIZE, after });
      if (mine !== run) return;
      if (r.errors?.length || !r.data) throw new FeedError(r.errors);
      layout.add(r.data.timeline.edges);
      after = r.data.timeline.pageInfo.hasNextPage ? r.data.timeline.pageInfo.endCursor : null;
      drawn();
    }
    nextCursor = after;
    $('tl-more').hidden = !nextCursor;
    say(`${fmt(layout.size)} of ${fmt(total)} items loaded${nextCursor ? '; more to load' : ''}.`, 'ready');
  } catch (err) {
    say(`Could not load more: ${(err as Error).message}`, 'error');
  }
}

/** After items arrived: lanes, list, band and counters follow. */
function drawn(): void {
  view.relayout();
  list.setItems([...layout.items, ...layout.undated]);
  renderUndated();
  document.body.dataset.loaded = String(layout.size);
}

function fitToItems(notify = true): void {
  if (!layout.items.length) return;
  let from = Infinity;
  let to = -Infinity;
  for (const it of layout.items) {
    from = Math.min(from, it.shape!.from);
    to = Math.max(to, it.shape!.to);
  }
  view.fit(from, to, notify);
}

// ---- what is drawn beside the canvas

function renderUndated(): void {
  const band = $('tl-undated');
  const items = layout.undated;
  $('tl-undated-count').textContent = String(items.length);
  const box = $('tl-undated-items');
  box.replaceChildren(
    ...items.map((it) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'tl-undated-item';
      b.dataset.id = it.id;
      b.dataset.kind = it.kind;
      b.dataset.shape = 'undated';
      b.textContent = it.title;
      b.title = `${it.title} — no known span; ${it.confidence.toLowerCase()}`;
      b.addEventListener('click', () => void openItem(it));
      return b;
    }),
  );
  band.dataset.count = String(items.length);
  $('tl-undated-none').hidden = items.length > 0;
}

function renderMonths(months: MonthCount[]): void {
  const body = $<HTMLTableSectionElement>('tl-months-body');
  body.replaceChildren(
    ...months.map((m) => {
      const tr = document.createElement('tr');
      tr.dataset.month = m.month;
      for (const v of [m.month, m.total, m.events, m.shipments, m.affiliations, m.spanning]) {
        const td = document.createElement('td');
        td.textContent = String(v);
        tr.append(td);
      }
      return tr;
    }),
  );
}

function showTip(item: Item | null, how: 'keyboard' | 'pointer'): void {
  if (!item || !item.shape) return hideTip();
  const g = view.geometry(item);
  if (!g.visible) return hideTip();
  const sources = item.sourceCount === null ? 'sources not counted' : `${item.sourceCount} independent ${item.sourceCount === 1 ? 'source' : 'sources'}`;
  const text = `${item.title} — ${item.shape.label}; ${item.confidence.toLowerCase()}; ${sources}`;
  tip.textContent = text;
  tip.hidden = false;
  const plot = $('tl-scroller');
  const head = $('tl-head').offsetHeight;
  // Centred under the mark, kept inside the plot.
  const half = Math.min(tip.offsetWidth, plot.clientWidth) / 2;
  const left = Math.min(Math.max(g.cx, half), plot.clientWidth - half);
  tip.style.left = `${left}px`;
  tip.style.top = `${head + g.y + g.h + 6}px`;
  if (how === 'keyboard') {
    announce.textContent = `${text}. Enter opens the details.`;
    list.show(item);
  }
}

function hideTip(): void {
  tip.hidden = true;
}

let domainTimer: ReturnType<typeof setTimeout> | undefined;
function domainChanged(): void {
  const days = view.visibleDays();
  $('tl-visible').textContent = `Showing ${days.from} to ${days.to}`;
  clearTimeout(domainTimer);
  // The URL follows zoom and pan (not on every frame).
  domainTimer = setTimeout(() => {
    if (!params.actors.length) return;
    params = { ...params, view: view.visibleDays() };
    history.replaceState(null, '', `${location.pathname}?${searchOf(params)}`);
  }, 250);
  if (view.active) showTip(view.active, 'pointer');
  else hideTip();
}

// ---- details

async function openItem(item: Item, focus = true): Promise<void> {
  if (focus) detailsOpener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  view.active = item;
  view.schedule();
  list.show(item);
  params = { ...params, item: item.id };
  history.replaceState(null, '', `${location.pathname}?${searchOf(params)}`);
  const shown = showDetails(detailsBox, item, params.asOf);
  if (focus) $('tl-details-title').focus();
  await shown;
}

function closeDetails(restoreFocus = true): void {
  detailsBox.hidden = true;
  detailsBox.replaceChildren();
  delete detailsBox.dataset.id;
  if (params.item) {
    params = { ...params, item: '' };
    if (params.actors.length) history.replaceState(null, '', `${location.pathname}?${searchOf(params)}`);
  }
  if (restoreFocus && detailsOpener?.isConnected) detailsOpener.focus();
  detailsOpener = null;
}

detailsBox.addEventListener('click', (ev) => {
  if ((ev.target as HTMLElement).closest('[data-action="close-details"]')) closeDetails();
});
detailsBox.addEventListener('keydown', (ev) => {
  if (ev.key === 'Escape') closeDetails();
});

// ---- toolbar and form

const YEAR = 365.25 * DAY_MS;
const toolbar: Record<string, () => void> = {
  earlier: () => view.pan(-0.5),
  later: () => view.pan(0.5),
  'zoom-in': () => view.zoom(2),
  'zoom-out': () => view.zoom(0.5),
  fit: () => (view.months.length ? view.fit(dayMs(view.months[0].start), dayMs(view.months[view.months.length - 1].end) + DAY_MS) : fitToItems()),
  year: () => span(YEAR),
  month: () => span(YEAR / 12),
  week: () => span(7 * DAY_MS),
  day: () => span(2 * DAY_MS),
};
function span(ms: number): void {
  const mid = view.active?.shape ? (view.active.shape.from + view.active.shape.to) / 2 : (view.t0 + view.t1) / 2;
  view.setDomain(mid - ms / 2, mid + ms / 2);
}
$('tl-toolbar').addEventListener('click', (ev) => {
  const action = (ev.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]')?.dataset.action;
  if (action) toolbar[action]?.();
});
$('tl-more').addEventListener('click', () => void loadMore());

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const p = paramsFromForm();
  history.pushState(null, '', `${location.pathname}?${searchOf(p)}`);
  void picker.resolve().then(
    () => load(p),
    (err: Error) => say(`Could not look up the actors: ${err.message}`, 'error'),
  );
});

window.addEventListener('popstate', () => void start());

/** Reads the URL and shows what it says. */
async function start(): Promise<void> {
  const { params: p, ignored } = paramsFromSearch(location.search);
  fillForm(p);
  const notes = ignored.length ? [`Ignored in the link: ${ignored.join('; ')}.`] : [];
  try {
    await picker.setIds(p.actors);
  } catch (err) {
    say(`Could not look up the actors: ${(err as Error).message}`, 'error');
    return;
  }
  await load(p, notes);
}

buildForm();
bindKeyField();
void start();
