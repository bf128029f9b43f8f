// SIPRI Arms Transfers Database trade registers (CSV) → import records. Columns, matched
// case-insensitively: supplier, recipient, designation (or "weapon designation"), description
// (or "weapon description"), number ordered, order year (or "year of order"), number delivered,
// delivery years (or "year(s) of delivery": "2015", "2015-2017", "2015; 2016"), status, comments.
// Each row is a shipment (dataset "sipri") between states referenced by name (unknown ones are
// created as STATEs when the import allows it), delivered over its delivery years: one year is
// a YEAR span, several a RANGE from the first's January 1 to the last's December 31; not yet
// delivered, the order year as PLANNED. Each shipment cites the SIPRI database (one source).
export const SIPRI_DATASET = 'sipri';
const SOURCE_ID = 'sipri-at-database';

const COLUMNS: Record<string, string[]> = {
  supplier: ['supplier'],
  recipient: ['recipient'],
  designation: ['designation', 'weapon designation'],
  description: ['description', 'weapon description'],
  ordered: ['number ordered'],
  orderYear: ['order year', 'year of order', 'year(s) of order'],
  delivered: ['number delivered'],
  deliveryYears: ['delivery years', 'year(s) of delivery', 'years of delivery'],
  status: ['status'],
  comments: ['comments'],
};

export function isSipriHeader(header: string[]): boolean {
  const h = new Set(header.map((c) => c.toLowerCase()));
  return ['supplier', 'recipient'].every((c) => h.has(c)) && COLUMNS.designation.some((c) => h.has(c));
}

function number(s: string): number | null {
  const m = /^\(?(\d+)\)?$/.exec(s.trim()); // SIPRI brackets estimates: "(50)"
  return m ? Number(m[1]) : null;
}

function category(description: string, designation: string): string {
  const d = `${description} ${designation}`.toLowerCase();
  if (/\b(mrl|multiple rocket)/.test(d)) return 'VEHICLES';
  if (/missile|\bsam\b|atgm|\bssm\b|\bsrbm\b|ballistic|cruise|rocket/.test(d)) return 'MISSILES';
  if (/shell|ammunition|round/.test(d)) return 'ARTILLERY_AMMUNITION';
  if (/tank|apc|ifv|vehicle|armoured|armored|truck|self-propelled/.test(d)) return 'VEHICLES';
  if (/rifle|small arms|machine gun|pistol/.test(d)) return 'SMALL_ARMS';
  return 'MILITARY_EQUIPMENT';
}

/** "2015", "2015-2017", "2015; 2016" → the first and last year, or null. */
export function deliveryYears(s: string): [number, number] | null {
  const years = (s.match(/\d{4}/g) ?? []).map(Number);
  if (years.length === 0) return null;
  return [Math.min(...years), Math.max(...years)];
}

export interface SipriState {
  keys: Map<string, number>;
  sourceEmitted: boolean;
}

export function sipriRecords(row: Record<string, string>, state: SipriState = { keys: new Map(), sourceEmitted: false }): Record<string, unknown>[] {
  const lower = Object.fromEntries(Object.entries(row).map(([k, v]) => [k.toLowerCase().trim(), (v ?? '').trim()]));
  const get = (k: string) => COLUMNS[k].map((c) => lower[c]).find((v) => v !== undefined && v !== '') ?? '';
  const out: Record<string, unknown>[] = [];
  if (!state.sourceEmitted) {
    state.sourceEmitted = true;
    out.push({
      kind: 'source',
      dataset: SIPRI_DATASET,
      externalId: SOURCE_ID,
      publisher: 'Stockholm International Peace Research Institute',
      title: 'SIPRI Arms Transfers Database, trade register',
      url: 'https://www.sipri.org/databases/armstransfers',
      reliability: 'A',
    });
  }
  const [supplier, recipient, designation, description, orderYear] = ['supplier', 'recipient', 'designation', 'description', 'orderYear'].map(get);
  // SIPRI rows have no id: supplier, recipient, order year and designation (numbered when repeated).
  const base = `${supplier}|${recipient}|${orderYear}|${designation}`;
  const n = (state.keys.get(base.toLowerCase()) ?? 0) + 1;
  state.keys.set(base.toLowerCase(), n);
  const externalId = n === 1 ? base : `${base}#${n}`;
  const years = deliveryYears(get('deliveryYears'));
  const delivered = number(get('delivered'));
  const ordered = number(get('ordered'));
  const quantity = delivered ?? ordered;
  const status = years ? 'CONFIRMED' : 'PLANNED';
  let delivery: unknown = orderYear;
  if (years) {
    delivery =
      years[0] === years[1]
        ? { edtf: String(years[0]), text: get('deliveryYears') }
        : { start: `${years[0]}-01-01`, end: `${years[1]}-12-31`, precision: 'RANGE', text: `delivered ${get('deliveryYears')}` };
  } else if (/^\d{4}$/.test(orderYear)) {
    delivery = { edtf: orderYear, text: `ordered ${orderYear}, not yet delivered` };
  }
  const summary = [
    description && designation ? `${designation} (${description})` : designation || description,
    ordered !== null ? `${ordered} ordered${orderYear ? ` in ${orderYear}` : ''}` : '',
    delivered !== null ? `${delivered} delivered` : '',
    get('status'),
    get('comments'),
  ].filter(Boolean).join('; ');
  out.push({
    kind: 'shipment',
    dataset: SIPRI_DATASET,
    externalId,
    supplier: { name: supplier, actorKind: 'STATE' },
    recipient: { name: recipient, actorKind: 'STATE' },
    category: category(description, designation),
    description: summary || null,
    quantity,
    unit: quantity === null ? null : designation || description || 'units',
    delivery,
    status,
    confidence: years ? 'CONFIRMED' : 'REPORTED',
  });
  out.push({
    kind: 'citation',
    dataset: SIPRI_DATASET,
    externalId: `${externalId}:citation`,
    source: SOURCE_ID,
    shipment: externalId,
    excerpt: summary || externalId,
    credibility: 2,
  });
  return out;
}
