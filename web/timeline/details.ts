// An item's details, read when it is opened: what it is, when (in the source's words and as
// drawn), how sure, its citations (excerpt, source, the source's reliability and date) and
// its claims (who, how likely, whether accepted). Events and shipments are read by id;
// an affiliation through its actor (the API has no affiliation query of its own).
import { runPersisted } from '../shared/persisted';
import type { ActorRef, Item } from './layout';
import { spanShape, type SpanInput } from './shape';

interface Citation {
  id: string;
  excerpt: string;
  credibility: number;
  evidenceType: string;
  source: { id: string; publisher: string; title: string; url: string | null; published: { edtf: string; text: string | null } | null; reliability: string };
}

interface Claim {
  id: string;
  claimant: ActorRef;
  statedOn: string | null;
  field: string | null;
  value: string | null;
  /** null: the claimant's words carry no estimative language. */
  statedLikelihood: string | null;
  statedLikelihoodRange: { min: number; max: number } | null;
  confidence: string;
  accepted: boolean;
  citation: { id: string; excerpt: string } | null;
}

interface EventDetails {
  id: string;
  type: string;
  title: string;
  description: string | null;
  date: SpanInput;
  location: { name: string | null; countryCode: string | null } | null;
  participants: { role: string; actor: ActorRef }[];
  confidence: string;
  sourceCount: number;
  citations: Citation[];
  claims: Claim[];
  shipments: { id: string; category: string; quantity: number | null; unit: string | null }[];
}

interface ShipmentDetails {
  id: string;
  category: string;
  description: string | null;
  quantity: number | null;
  unit: string | null;
  deliverySpan: SpanInput;
  status: string;
  confidence: string;
  route: string | null;
  sourceCount: number;
  supplier: ActorRef;
  recipient: ActorRef;
  citations: Citation[];
  claims: Claim[];
  events: { id: string; title: string; date: SpanInput }[];
}

interface AffiliationDetails {
  id: string;
  role: string;
  title: string | null;
  span: SpanInput | null;
  confidence: string;
  actor: ActorRef;
  target: ActorRef;
  citations: Citation[];
}

/** Admiralty scale, source reliability. */
const RELIABILITY: Record<string, string> = {
  A: 'completely reliable',
  B: 'usually reliable',
  C: 'fairly reliable',
  D: 'not usually reliable',
  E: 'unreliable',
  F: 'reliability cannot be judged',
};

/** Admiralty scale, information credibility. */
const CREDIBILITY = ['', 'confirmed', 'probably true', 'possibly true', 'doubtfully true', 'improbable', 'cannot be judged'];

const words = (s: string) => s.toLowerCase().replace(/_/g, ' ');

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string | null, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text != null) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function facts(rows: [string, string | Node | null | undefined][]): HTMLDListElement {
  const dl = el('dl', undefined, 'tl-facts');
  for (const [k, v] of rows) {
    if (v === null || v === undefined || v === '') continue;
    const dd = el('dd');
    if (typeof v === 'string') dd.textContent = v;
    else dd.append(v);
    dl.append(el('dt', k), dd);
  }
  return dl;
}

function when(span: SpanInput | null): string {
  if (!span) return 'undated';
  const shape = spanShape(span);
  const drawn = shape.kind === 'point' ? 'drawn as a point' : 'drawn as a bar';
  return `${shape.label} (${words(span.precision)}, ${drawn})`;
}

function citationsSection(citations: Citation[]): HTMLElement {
  const section = el('section', undefined, 'tl-citations');
  section.append(el('h3', `Citations (${citations.length})`));
  if (!citations.length) section.append(el('p', 'No citation recorded.'));
  const list = el('ol');
  for (const c of citations) {
    const li = el('li', undefined, 'tl-citation');
    li.dataset.id = c.id;
    li.append(el('blockquote', c.excerpt, 'tl-excerpt'));
    const src = c.source;
    const title = src.url ? Object.assign(el('a', src.title), { href: src.url, rel: 'noopener noreferrer', target: '_blank' }) : el('cite', src.title);
    const line = el('p', undefined, 'tl-source');
    line.append(`${src.publisher}: `, title);
    li.append(
      line,
      facts([
        ['Source reliability', `${src.reliability} — ${RELIABILITY[src.reliability] ?? '?'}`],
        ['Published', src.published ? `${src.published.edtf}${src.published.text ? ` — ${src.published.text}` : ''}` : 'date not known'],
        ['Credibility', `${c.credibility} — ${CREDIBILITY[c.credibility] ?? '?'}`],
        ['Evidence', words(c.evidenceType)],
      ]),
    );
    list.append(li);
  }
  section.append(list);
  return section;
}

function claimsSection(claims: Claim[]): HTMLElement {
  const section = el('section', undefined, 'tl-claims');
  section.append(el('h3', `Claims (${claims.length})`));
  if (!claims.length) section.append(el('p', 'No claim recorded.'));
  const list = el('ul');
  for (const c of claims) {
    const li = el('li', undefined, `tl-claim${c.accepted ? ' accepted' : ''}`);
    li.dataset.id = c.id;
    li.dataset.accepted = String(c.accepted);
    const head = el('p');
    head.append(el('strong', c.claimant.name), ` ${c.field ? `on ${c.field}: ` : 'claims: '}`, el('q', c.value ?? '(no value recorded)'));
    li.append(
      head,
      facts([
        [
          'Likelihood',
          c.statedLikelihood && c.statedLikelihoodRange
            ? `${words(c.statedLikelihood)} (${c.statedLikelihoodRange.min}–${c.statedLikelihoodRange.max} %)`
            : 'none stated (no estimative language)',
        ],
        ['Accepted', c.accepted ? 'yes — the record holds this value' : 'no — evidence only'],
        ['Stated on', c.statedOn ?? 'undated'],
        ['Recorded as', `${words(c.confidence)} (our confidence that it was said)`],
        ['In', c.citation ? `“${c.citation.excerpt}”` : null],
      ]),
    );
    list.append(li);
  }
  section.append(list);
  return section;
}

/** Reads an item's details and renders them into `box`; resolves once drawn. */
export async function showDetails(box: HTMLElement, item: Item, asOf: string): Promise<void> {
  const heading = el('h2', item.title);
  heading.id = 'tl-details-title';
  heading.tabIndex = -1;
  const close = el('button', 'Close details', 'tl-close');
  close.type = 'button';
  close.dataset.action = 'close-details';
  const status = el('p', 'Loading…', 'tl-details-status');
  box.replaceChildren(heading, close, status);
  box.dataset.id = item.id;
  box.dataset.state = 'loading';
  box.hidden = false;
  const vars = asOf ? { asOf } : {};
  try {
    let body: HTMLElement[];
    if (item.kind === 'EVENT') {
      const r = await runPersisted<{ event: EventDetails | null }>('TimelineEventDetails', { id: item.id, ...vars });
      const e = check(r, 'event');
      body = [
        facts([
          ['Kind', `event · ${words(e.type)}`],
          ['When', when(e.date)],
          ['Date as reported', e.date.text],
          ['Where', e.location ? [e.location.name, e.location.countryCode].filter(Boolean).join(', ') : null],
          ['Who', e.participants.map((p) => `${p.actor.name} (${words(p.role)})`).join('; ')],
          ['Confidence', words(e.confidence)],
          ['Independent sources', String(e.sourceCount)],
          ['Shipments reported', e.shipments.map((s) => `${s.quantity ?? '?'} ${s.unit ?? ''} ${words(s.category)}`.replace(/\s+/g, ' ')).join('; ')],
        ]),
        ...(e.description ? [el('p', e.description, 'tl-description')] : []),
        citationsSection(e.citations),
        claimsSection(e.claims),
      ];
    } else if (item.kind === 'SHIPMENT') {
      const r = await runPersisted<{ shipment: ShipmentDetails | null }>('TimelineShipmentDetails', { id: item.id, ...vars });
      const s = check(r, 'shipment');
      body = [
        facts([
          ['Kind', `shipment · ${words(s.category)}`],
          ['From → to', `${s.supplier.name} → ${s.recipient.name}`],
          ['Quantity', s.quantity === null ? 'unknown' : `${s.quantity.toLocaleString('en')} ${s.unit ?? ''}`.trim()],
          ['Delivery', when(s.deliverySpan)],
          ['Delivery as reported', s.deliverySpan.text],
          ['Status', words(s.status)],
          ['Route', s.route],
          ['Confidence', words(s.confidence)],
          ['Independent sources', String(s.sourceCount)],
          ['Reported by events', s.events.map((e) => e.title).join('; ')],
        ]),
        ...(s.description ? [el('p', s.description, 'tl-description')] : []),
        citationsSection(s.citations),
        claimsSection(s.claims),
      ];
    } else {
      if (!item.actorId) throw new Error('This affiliation has no actor to read it through');
      const r = await runPersisted<{ actor: { affiliations: AffiliationDetails[] } | null }>('TimelineAffiliationDetails', { actorId: item.actorId, ...vars });
      const a = check(r, 'actor').affiliations.find((x) => x.id === item.id);
      if (!a) throw new Error('This affiliation is no longer listed for its actor');
      body = [
        facts([
          ['Kind', `affiliation · ${words(a.role)}`],
          ['Who', `${a.actor.name} ${words(a.role)} ${a.target.name}`],
          ['Title', a.title],
          ['When', when(a.span)],
          ['Span as reported', a.span?.text],
          ['Confidence', words(a.confidence)],
        ]),
        citationsSection(a.citations),
        el('p', 'Claims are recorded about events and shipments only.', 'tl-note'),
      ];
    }
    status.remove();
    box.append(...body);
    box.dataset.state = 'ready';
  } catch (err) {
    status.textContent = `Could not load the details: ${(err as Error).message}`;
    box.dataset.state = 'error';
  }
}

function check<T, K extends keyof T>(r: { data?: T | null; errors?: { message: string }[] }, key: K): NonNullable<T[K]> {
  if (r.errors?.length) throw new Error(r.errors.map((e) => e.message).join('; '));
  const v = r.data?.[key];
  if (v === null || v === undefined) throw new Error('not found (deleted, or not there at the chosen time)');
  return v as NonNullable<T[K]>;
}
