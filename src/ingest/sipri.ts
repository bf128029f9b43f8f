// SIPRI Arms Transfers Database trade registers → import records. The layout the site exports
// today: title and note lines, then the header
//   Recipient, Supplier, Year of order, <mark>, Number ordered, <mark>, Weapon designation,
//   Weapon description, Number delivered (or "Deliveries in the Year Range"), <mark>,
//   Year(s) of delivery, status, Comments, SIPRI TIV per unit, SIPRI TIV for total order,
//   SIPRI TIV of delivered weapons
// where each unnamed <mark> column holds "?" when the value before it is uncertain ("A '?' in a
// column indicates uncertain data"); and SIPRI's older register layout, with the same columns
// but brackets instead ("(50)", "(2022)": "in brackets if the accuracy of the data is
// uncertain") and ". ." for a value not known. Both marks say the same thing and are read the
// same way; columns are found by name wherever they are.
//
// Each row is a deal: one shipment (dataset "sipri") between its supplier and recipient (states,
// by name and ISO code; SIPRI's "*" marks a non-state actor, "**" an international
// organisation: both organisations), delivered over its delivery years (one year a YEAR span,
// several a RANGE from the first's 1 January to the last's 31 December), or, not yet delivered,
// PLANNED in its order year. An uncertain number is a quantity ESTIMATE and an uncertain year an
// approximate (EDTF ~) end of the span; neither lowers status or confidence, since SIPRI says
// they cast no doubt on the deal or its deliveries ("This does not imply that there is any
// uncertainty over whether the deal exists, or whether deliveries have taken place"). The
// category comes from the weapon description (src/domain/categories.ts). What has no column of
// its own — order year, numbers ordered and delivered with their marks, SIPRI's status
// (new, second hand), TIV figures — is kept in the shipment's datasetFields. Each shipment cites
// the SIPRI database (one source). SIPRI's own words on each column: docs/import-export.md.
import { sipriCategory } from '../domain/categories';
import { alpha3FromName } from '../domain/countries';
import { formatQuantity, type Quantity } from '../domain/quantity';
import { Cells, headerIndex, type CsvLayout, type RawItem } from './layout';

export const SIPRI_DATASET = 'sipri';
const SOURCE_ID = 'sipri-at-database';

const COLUMNS = {
  recipient: ['recipient'],
  supplier: ['supplier'],
  orderYear: ['year of order', 'order year', 'year(s) of order', 'year of order/licence'],
  ordered: ['number ordered', 'no. ordered'],
  designation: ['weapon designation', 'designation'],
  description: ['weapon description', 'description'],
  delivered: ['number delivered', 'deliveries in the year range', 'number delivered/produced', 'no. delivered'],
  deliveryYears: ['year(s) of delivery', 'year(s) of deliveries', 'delivery years', 'years of delivery'],
  status: ['status'],
  comments: ['comments'],
  tivPerUnit: ['sipri tiv per unit'],
  tivOrder: ['sipri tiv for total order'],
  tivDelivered: ['sipri tiv of delivered weapons'],
} as const;

export function isSipriHeader(header: readonly string[]): boolean {
  const h = new Set(header.map((c) => c.trim().toLowerCase()));
  return ['supplier', 'recipient'].every((c) => h.has(c)) && COLUMNS.designation.some((c) => h.has(c));
}

/** A value with SIPRI's uncertainty mark: brackets around it, a "?" after it, or "?" in the mark column. */
interface Marked<T> {
  value: T;
  uncertain: boolean;
}

const UNKNOWN = /^(\.\s*\.|\.\.)?$/; // '' or ". ." / ".."

/** Strips SIPRI's marks from one cell: "(50)" and "50?" are 50, uncertain. */
function unmark(text: string): Marked<string> {
  const t = text.trim();
  const br = /^\((.*)\)$/.exec(t);
  if (br) return { value: br[1].trim(), uncertain: true };
  if (t.endsWith('?')) return { value: t.slice(0, -1).trim(), uncertain: true };
  return { value: t, uncertain: false };
}

/** A count ("50", "(50)", "50?"); null for ". ." or an empty cell (unknown); undefined when not a count. */
function count(text: string): Marked<number> | null | undefined {
  if (UNKNOWN.test(text.trim())) return null;
  const m = unmark(text);
  if (!/^\d+$/.test(m.value)) return undefined;
  return { value: Number(m.value), uncertain: m.uncertain };
}

/** A year, likewise. */
function year(text: string): Marked<number> | null | undefined {
  if (UNKNOWN.test(text.trim())) return null;
  const m = unmark(text);
  if (!/^\d{4}$/.test(m.value)) return undefined;
  return { value: Number(m.value), uncertain: m.uncertain };
}

/** "2015", "2015; 2016", "2015-2017", "(2015)", "2015; (2016)", "2016?": each year with its mark; undefined when not years. */
function years(text: string): Marked<number>[] | undefined {
  const t = text.trim();
  if (UNKNOWN.test(t)) return [];
  const out: Marked<number>[] = [];
  for (const part of t
    .split(/[;,]/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const range = /^(\(?\d{4}\)?\??)\s*[-–]\s*(\(?\d{4}\)?\??)$/.exec(part);
    const ends = range ? [range[1], range[2]] : [part];
    const parsed = ends.map(year);
    if (parsed.some((y) => !y)) return undefined;
    const [a, b] = parsed as Marked<number>[];
    out.push(a);
    if (b) {
      if (b.value < a.value) return undefined;
      for (let y = a.value + 1; y < b.value; y += 1) out.push({ value: y, uncertain: false });
      out.push(b);
    }
  }
  return out;
}

/** A TIV figure in millions ("1.48", "0"); for delivered weapons SIPRI's "0" is "between 0 and 0.5". */
function tiv(text: string, delivered: boolean): Quantity | null | undefined {
  const t = text.trim();
  if (t === '') return null;
  if (!/^\d+(\.\d+)?$/.test(t)) return undefined;
  const n = Number(t);
  if (delivered && n === 0) return { best: null, low: 0, high: 0.5, qualifier: 'APPROXIMATE' };
  return { best: n, low: n, high: n, qualifier: 'EXACT' };
}

const quantityOf = (m: Marked<number>): Quantity =>
  m.uncertain ? { best: m.value, low: null, high: null, qualifier: 'ESTIMATE' } : { best: m.value, low: m.value, high: m.value, qualifier: 'EXACT' };
/** A year as an EDTF year: "2015", or "2015~" when SIPRI marks it uncertain. */
const edtfYear = (y: Marked<number>) => `${y.value}${y.uncertain ? '~' : ''}`;

/** An actor as SIPRI names it: a state (with its ISO code when known), or, marked * or **, an organisation. */
function party(name: string): Record<string, unknown> {
  const m = /^(.*?)\s*(\*{1,2})$/.exec(name);
  if (m) return { name: m[1], actorKind: 'ORGANIZATION' };
  const code = alpha3FromName(name);
  return { name, actorKind: 'STATE', ...(code ? { countryCode: code } : {}) };
}

export const SIPRI_LAYOUT: CsvLayout = {
  name: 'sipri',
  expected: 'a SIPRI trade register header (Recipient, Supplier, Year of order, Number ordered, Weapon designation, Weapon description, …)',
  isHeader: isSipriHeader,
  rowKind: 'shipment',
  reader(header) {
    const index = headerIndex(header);
    const keys = new Map<string, number>();
    let sourceEmitted = false;
    return (cellsOfRow, line) => {
      const c = new Cells(header, index, cellsOfRow);
      const pos = Object.fromEntries(Object.entries(COLUMNS).map(([k, names]) => [k, c.position(names)])) as Record<keyof typeof COLUMNS, number>;
      // The unnamed column right after a value holds its "?" mark, in the site's layout.
      const mark = (i: number) => i >= 0 && header[i + 1] !== undefined && header[i + 1].trim() === '' && c.at(i + 1) === '?';
      const marked = <T>(i: number, parse: (s: string) => Marked<T> | null | undefined, what: string): Marked<T> | null => {
        const v = parse(c.at(i));
        if (v === undefined) return c.fail(i, `"${c.at(i)}" is not ${what}`);
        return v && mark(i) ? { ...v, uncertain: true } : v;
      };
      const supplier = c.at(pos.supplier);
      const recipient = c.at(pos.recipient);
      if (!supplier) c.fail(pos.supplier, 'is empty: every deal has a supplier (SIPRI writes "unknown supplier(s)" when it is not known)');
      if (!recipient) c.fail(pos.recipient, 'is empty: every deal has a recipient');
      const designation = c.at(pos.designation);
      const description = c.at(pos.description);
      if (!designation && !description) c.fail(pos.designation, 'is empty, and so is the weapon description: nothing says what was transferred');
      const orderYear = marked(pos.orderYear, year, 'a year');
      const ordered = marked(pos.ordered, count, 'a number');
      const delivered = marked(pos.delivered, count, 'a number');
      const deliveryYears = years(c.at(pos.deliveryYears));
      if (deliveryYears === undefined)
        c.fail(pos.deliveryYears, `"${c.at(pos.deliveryYears)}" is not a year or a list of years ("2015", "2015; 2016", "2015-2017")`);
      const tivs = (['tivPerUnit', 'tivOrder', 'tivDelivered'] as const).map((k) => {
        const v = tiv(c.at(pos[k]), k === 'tivDelivered');
        return v === undefined ? c.fail(pos[k], `"${c.at(pos[k])}" is not a TIV figure (millions, e.g. 1.48)`) : v;
      });
      const delivering = deliveryYears ?? [];
      if (delivering.length === 0 && orderYear === null && c.issues.length === 0) {
        c.fail(pos.orderYear, 'is empty, and nothing was delivered: the deal has no date');
      }
      if (c.issues.length > 0) return [{ line, kind: 'shipment', issues: c.issues }];

      const out: RawItem[] = [];
      if (!sourceEmitted) {
        sourceEmitted = true;
        out.push({
          line,
          raw: {
            kind: 'source',
            dataset: SIPRI_DATASET,
            externalId: SOURCE_ID,
            publisher: 'Stockholm International Peace Research Institute',
            title: 'SIPRI Arms Transfers Database, trade register',
            url: 'https://www.sipri.org/databases/armstransfers',
            reliability: 'A',
          },
        });
      }
      const orderText = c.at(pos.orderYear);
      // SIPRI rows have no id: supplier, recipient, order year and designation as written (numbered when repeated).
      const base = `${supplier}|${recipient}|${orderText}|${designation}`;
      const n = (keys.get(base.toLowerCase()) ?? 0) + 1;
      keys.set(base.toLowerCase(), n);
      const externalId = n === 1 ? base : `${base}#${n}`;

      let delivery: unknown;
      const yearsText = c.at(pos.deliveryYears);
      if (delivering.length) {
        const first = delivering.reduce((a, b) => (b.value < a.value ? b : a));
        const last = delivering.reduce((a, b) => (b.value > a.value ? b : a));
        const text = `delivered ${yearsText}`;
        if (first.value === last.value) delivery = { edtf: edtfYear({ value: first.value, uncertain: first.uncertain || last.uncertain }), text };
        else if (first.uncertain || last.uncertain) delivery = { edtf: `${edtfYear(first)}/${edtfYear(last)}`, text };
        else delivery = { start: `${first.value}-01-01`, end: `${last.value}-12-31`, precision: 'RANGE', text };
      } else {
        delivery = { edtf: edtfYear(orderYear!), text: `ordered ${orderText}, not yet delivered` };
      }
      // Delivered: the number delivered; not yet: the number ordered, as planned.
      const quantity = delivering.length ? delivered : ordered;
      const written = (i: number) => `${c.at(i)}${mark(i) ? '?' : ''}`;
      const summary = [
        designation && description ? `${designation} (${description})` : designation || description,
        ordered ? `${written(pos.ordered)} ordered${orderText ? ` in ${written(pos.orderYear)}` : ''}` : '',
        delivered ? `${written(pos.delivered)} delivered` : '',
        c.at(pos.status),
        c.at(pos.comments),
      ]
        .filter(Boolean)
        .join('; ');
      const text = (q: Quantity | null) => (q ? formatQuantity(q) : null);
      const datasetFields = Object.fromEntries(
        Object.entries({
          orderYear: orderYear ? edtfYear(orderYear) : null,
          numberOrdered: text(ordered && quantityOf(ordered)),
          numberDelivered: text(delivered && quantityOf(delivered)),
          deliveryYears: yearsText || null,
          status: c.at(pos.status) || null,
          tivPerUnit: text(tivs[0]),
          tivOrder: text(tivs[1]),
          tivDelivered: text(tivs[2]),
        }).filter(([, v]) => v !== null),
      );
      const q = quantity && quantityOf(quantity);
      out.push({
        line,
        raw: {
          kind: 'shipment',
          dataset: SIPRI_DATASET,
          externalId,
          supplier: party(supplier),
          recipient: party(recipient),
          category: sipriCategory(description) ?? 'MILITARY_EQUIPMENT',
          description: summary || null,
          ...(q ? { quantity: q.best, quantityLow: q.low, quantityHigh: q.high, quantityQualifier: q.qualifier, unit: designation || description } : {}),
          delivery,
          status: delivering.length ? 'CONFIRMED' : 'PLANNED',
          confidence: delivering.length ? 'CONFIRMED' : 'REPORTED',
          datasetFields,
        },
      });
      out.push({
        line,
        raw: {
          kind: 'citation',
          dataset: SIPRI_DATASET,
          externalId: `${externalId}:citation`,
          source: SOURCE_ID,
          shipment: externalId,
          excerpt: summary || externalId,
          credibility: 2,
        },
      });
      return out;
    };
  },
};
