/**
 * Quantities as sources state them: "1,000 containers", "roughly 500", "at least 1,000",
 * "300–500", SIPRI's bracketed estimate "(50)". UCDP's low/best/high is the model: a best value
 * and optional low and high bounds, with a qualifier saying how the number was given.
 *
 * Stored bounds are effective, so that sums stay simple: EXACT n has low = high = n, AT_LEAST n
 * has low = n, AT_MOST n has high = n. A bound nobody stated is null — unknown, never a made-up
 * margin and never 0. One parser and one formatter (canonical text, parse(format(q)) = q) serve
 * the API, claims and the importer. Pure: no I/O.
 */

export type QuantityQualifier = 'EXACT' | 'APPROXIMATE' | 'AT_LEAST' | 'AT_MOST' | 'ESTIMATE';

export const QUANTITY_QUALIFIERS: readonly QuantityQualifier[] = ['EXACT', 'APPROXIMATE', 'AT_LEAST', 'AT_MOST', 'ESTIMATE'];

export interface Quantity {
  /** The best value: the number stated (null when only bounds are: "300–500"). */
  best: number | null;
  /** Lower bound (inclusive), null when not known. */
  low: number | null;
  /** Upper bound (inclusive), null when not known. */
  high: number | null;
  qualifier: QuantityQualifier;
}

/** A quantity given as separate fields (API input, import record); any may be absent. */
export interface QuantityParts {
  best?: number | null;
  low?: number | null;
  high?: number | null;
  qualifier?: QuantityQualifier | null;
}

/** Which input field a quantity error is about. */
export type QuantityField = 'quantity' | 'quantityLow' | 'quantityHigh' | 'quantityQualifier' | 'quantityText';

/** Bad quantity input; `field` names the input field at fault. */
export class QuantityError extends Error {
  constructor(
    readonly field: QuantityField,
    message: string,
  ) {
    super(message);
    this.name = 'QuantityError';
  }
}

const FORMS = 'a number, optionally qualified: 500, about 500, ≥ 1000, ≤ 50, 300–500, (50) or about 400 (300–500)';

// ---------------------------------------------------------------------------------------------
// Rules

/**
 * The largest quantity stored: 10^15 (a thousand trillion rounds, tonnes or containers), far above
 * any real shipment. Below 2^53 every whole quantity is exact, and no sum a report makes can
 * overflow double precision (10^15 × a billion shipments × 3.65 million days is ~10^30, against
 * ~1.8 × 10^308); one quantity of 1.7e308 overflowed the monthly rollup before this bound.
 */
export const MAX_QUANTITY = 1e15;

/** Why `n` is not a quantity's number (finite, not negative, at most MAX_QUANTITY), or undefined. */
export function quantityProblem(n: number): string | undefined {
  if (typeof n !== 'number' || !Number.isFinite(n)) return `must be a finite number (got ${String(n)})`;
  if (n < 0) return `must not be negative (got ${n})`;
  if (n > MAX_QUANTITY) return `must be at most ${MAX_QUANTITY} (got ${n})`;
  return undefined;
}

function checkNumber(n: number | null | undefined, field: QuantityField): number | null {
  if (n === null || n === undefined) return null;
  const problem = quantityProblem(n);
  if (problem) throw new QuantityError(field, `${field} ${problem}`);
  return n;
}

/**
 * The quantity given by parts, with its effective bounds, or null when nothing is given
 * (unknown). Without a qualifier a lone best value is EXACT and anything else APPROXIMATE.
 * EXACT n: low = high = n. AT_LEAST n (best or low): best = low = n, a stated high kept.
 * AT_MOST n (best or high): best = high = n, a stated low kept. APPROXIMATE and ESTIMATE: a
 * best value, or both bounds (a lone bound is AT_LEAST/AT_MOST), each kept as stated.
 * Always low ≤ best ≤ high where present.
 */
export function normalizeQuantity(parts: QuantityParts): Quantity | null {
  const best = checkNumber(parts.best, 'quantity');
  const low = checkNumber(parts.low, 'quantityLow');
  const high = checkNumber(parts.high, 'quantityHigh');
  const given = parts.qualifier ?? null;
  if (given !== null && !QUANTITY_QUALIFIERS.includes(given)) {
    throw new QuantityError('quantityQualifier', `quantityQualifier is one of ${QUANTITY_QUALIFIERS.join(', ')} (got "${String(given)}")`);
  }
  if (best === null && low === null && high === null) {
    if (given !== null) throw new QuantityError('quantityQualifier', `a ${given} quantity needs a value (quantity, quantityLow or quantityHigh)`);
    return null;
  }
  const qualifier: QuantityQualifier = given ?? (low === null && high === null ? 'EXACT' : 'APPROXIMATE');
  const same = (a: number | null, b: number | null, field: QuantityField, what: string) => {
    if (a !== null && b !== null && a !== b) throw new QuantityError(field, `${what} (got ${a} and ${b})`);
  };
  let q: Quantity;
  switch (qualifier) {
    case 'EXACT': {
      if (best === null) throw new QuantityError('quantity', 'an EXACT quantity needs its value in quantity');
      same(best, low, 'quantityLow', 'an EXACT quantity has no other bounds than its value');
      same(best, high, 'quantityHigh', 'an EXACT quantity has no other bounds than its value');
      q = { best, low: best, high: best, qualifier };
      break;
    }
    case 'AT_LEAST': {
      same(best, low, 'quantityLow', 'AT_LEAST n has quantity = quantityLow = n');
      const n = best ?? low;
      if (n === null) throw new QuantityError('quantity', 'an AT_LEAST quantity needs its lower bound');
      q = { best: n, low: n, high, qualifier };
      break;
    }
    case 'AT_MOST': {
      same(best, high, 'quantityHigh', 'AT_MOST n has quantity = quantityHigh = n');
      const n = best ?? high;
      if (n === null) throw new QuantityError('quantity', 'an AT_MOST quantity needs its upper bound');
      q = { best: n, low, high: n, qualifier };
      break;
    }
    default: {
      if (best === null && (low === null || high === null)) {
        throw new QuantityError(
          low === null ? 'quantityLow' : 'quantityHigh',
          `an ${qualifier} quantity needs a best value or both bounds (a lone lower bound is AT_LEAST, a lone upper bound AT_MOST)`,
        );
      }
      q = { best, low, high, qualifier };
    }
  }
  if (q.low !== null && q.high !== null && q.low > q.high) throw new QuantityError('quantityLow', `quantityLow (${q.low}) is above quantityHigh (${q.high})`);
  if (q.best !== null && q.low !== null && q.low > q.best) throw new QuantityError('quantityLow', `quantityLow (${q.low}) is above the best value (${q.best})`);
  if (q.best !== null && q.high !== null && q.high < q.best)
    throw new QuantityError('quantityHigh', `quantityHigh (${q.high}) is below the best value (${q.best})`);
  return q;
}

/**
 * A quantity error about another field read as a quantity (an event's `fatalities`): the field
 * names in `text` (quantityLow …, and "quantity" where it names the field) under `name`.
 */
export function renameQuantityFields(text: string, name: string): string {
  return text.replace(/\bquantity(?=Low\b|High\b|Qualifier\b|Text\b)/g, name).replace(/(^|\(|\bin |\bor |\beither )quantity\b/g, `$1${name}`);
}

/** API or import input: the numeric fields, or `quantityText` instead of them. */
export interface QuantityInput {
  quantity?: number | null;
  quantityLow?: number | null;
  quantityHigh?: number | null;
  quantityQualifier?: QuantityQualifier | null;
  quantityText?: string | null;
}

const NUMERIC: readonly (keyof QuantityInput)[] = ['quantity', 'quantityLow', 'quantityHigh', 'quantityQualifier'];

/**
 * The quantity an input gives: undefined when it gives none of the fields (on update: left as
 * it is), null for unknown, else the quantity. The fields are one value: any of them replaces
 * the whole quantity, those left out being unknown. `quantityText` excludes the others.
 */
export function quantityFromInput(input: QuantityInput): Quantity | null | undefined {
  const numeric = NUMERIC.filter((k) => input[k] !== undefined);
  if (input.quantityText !== undefined) {
    const other = numeric.find((k) => input[k] !== null);
    if (other) throw new QuantityError('quantityText', `give either quantityText or ${other} (and the other numeric fields), not both`);
    const text = input.quantityText?.trim() ?? '';
    return text === '' ? null : parseQuantity(text);
  }
  if (numeric.length === 0) return undefined;
  return normalizeQuantity({ best: input.quantity, low: input.quantityLow, high: input.quantityHigh, qualifier: input.quantityQualifier });
}

// ---------------------------------------------------------------------------------------------
// Text

/** A number as written: digits with optional thousands separators (1,000 or 1 000), decimals, exponent. */
const NUMBER = String.raw`(?:\d{1,3}(?:[, \u00a0\u202f]\d{3})+|\d+)(?:\.\d+)?(?:e[+-]?\d+)?`;
const RANGE = String.raw`(?:between\s+(${NUMBER})\s+and\s+(${NUMBER})|(${NUMBER})\s*(?:-|to)\s*(${NUMBER}))`;

const APPROXIMATE_WORDS = ['about', 'roughly', 'approximately', 'approx.', 'approx', 'around', 'circa', 'ca.', 'c.', 'some', 'nearly', 'almost', '~', '≈'];
const AT_LEAST_WORDS = ['at least', 'no fewer than', 'no less than', 'not less than', 'more than', 'over', 'upwards of', 'minimum of', 'min.', '≥', '>=', '>'];
const AT_MOST_WORDS = ['at most', 'up to', 'no more than', 'not more than', 'fewer than', 'less than', 'under', 'maximum of', 'max.', '≤', '<=', '<'];
const ESTIMATE_WORDS = ['an estimated', 'estimated', 'est.'];

const escape = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+');
/** A prefix word list as an alternation; longest first so "at least" is not read as "at". */
const alternation = (words: string[]) =>
  [...words]
    .sort((a, b) => b.length - a.length)
    .map(escape)
    .join('|');
const PREFIXES: [QuantityQualifier, RegExp][] = [
  ['APPROXIMATE', new RegExp(`^(?:${alternation(APPROXIMATE_WORDS)})\\s*`)],
  ['AT_LEAST', new RegExp(`^(?:${alternation(AT_LEAST_WORDS)})\\s*`)],
  ['AT_MOST', new RegExp(`^(?:${alternation(AT_MOST_WORDS)})\\s*`)],
  ['ESTIMATE', new RegExp(`^(?:${alternation(ESTIMATE_WORDS)})\\s*`)],
];
const ONE = new RegExp(`^(${NUMBER})$`);
const TWO = new RegExp(`^${RANGE}$`);
/** A core followed by stated bounds in brackets: "400 (300–500)", "≥ 1000 (≤ 5000)". */
const WITH_BOUNDS = /^(.*\S)\s*\(([^()]*)\)$/;

function toNumber(written: string): number {
  const n = Number(written.replace(/[, \u00a0\u202f]/g, ''));
  if (!Number.isFinite(n)) throw new QuantityError('quantityText', `${written} is not a finite number`);
  return n;
}

/** "500" → [500]; "300–500", "300 to 500", "between 300 and 500" → [300, 500]; else null. */
function numbers(core: string): [number] | [number, number] | null {
  const one = ONE.exec(core);
  if (one) return [toNumber(one[1])];
  const two = TWO.exec(core);
  if (two) return [toNumber(two[1] ?? two[3]), toNumber(two[2] ?? two[4])];
  return null;
}

/** Bounds in brackets: a range, "≥ n" or "≤ n". */
function statedBounds(text: string): { low: number | null; high: number | null } | null {
  const n = numbers(text);
  if (n?.length === 2) return { low: n[0], high: n[1] };
  for (const [qualifier, prefix] of PREFIXES) {
    if (qualifier !== 'AT_LEAST' && qualifier !== 'AT_MOST') continue;
    const m = prefix.exec(text);
    const value = m && numbers(text.slice(m[0].length));
    if (value?.length === 1) return qualifier === 'AT_LEAST' ? { low: value[0], high: null } : { low: null, high: value[0] };
  }
  return null;
}

/** Refuses what is not a quantity, naming the form expected. */
function notAQuantity(input: string, why = ''): QuantityError {
  return new QuantityError('quantityText', `"${input}" is not a quantity${why}: write ${FORMS}; the unit goes in its own field`);
}

/**
 * Parses a quantity as people write it: "500", "1,000", "about 500" (roughly, approximately,
 * around, circa, c., ~), "≥ 1000" (>=, at least, more than, over, "1000+"), "≤ 50" (<=, at
 * most, up to, less than, under), "300–500" (300-500, 300 to 500, between 300 and 500),
 * "(50)" or "estimated 50" (an estimate), and a value with stated bounds "about 400 (300–500)".
 * "More than n" and "less than n" keep n as the bound (AT_LEAST/AT_MOST): a source's strict
 * wording is rarely meant to the unit. A lone number is EXACT, a lone range APPROXIMATE.
 */
export function parseQuantity(input: string): Quantity {
  const text = input
    .trim()
    .toLowerCase()
    .replace(/[\u2012\u2013\u2014\u2015\u2212]/g, '-') // dashes and minus signs
    .replace(/\s+/g, ' ');
  if (text === '') throw notAQuantity(input, ' (it is empty)');
  if (/(^|[^\de])-\s*\d/.test(text) && !/\d\s*-\s*\d/.test(text)) throw new QuantityError('quantityText', `"${input}": a quantity cannot be negative`);
  if (/^\d+,\d{1,2}$|^\d+,\d{4,}$/.test(text)) throw notAQuantity(input, ' (write decimals with a point: 1.5)');

  // SIPRI's and others' bracketed estimate: "(50)", "(300–500)".
  const bracketed = /^\((.*)\)$/.exec(text);
  if (bracketed) {
    const n = numbers(bracketed[1].trim());
    if (!n) throw notAQuantity(input);
    return finish(input, n.length === 1 ? { best: n[0], qualifier: 'ESTIMATE' } : { low: n[0], high: n[1], qualifier: 'ESTIMATE' });
  }

  let core = text;
  let bounds: { low: number | null; high: number | null } | null = null;
  const withBounds = WITH_BOUNDS.exec(text);
  if (withBounds) {
    bounds = statedBounds(withBounds[2].trim());
    if (!bounds) throw notAQuantity(input, ` (the brackets hold "${withBounds[2]}", not bounds such as 300–500, ≥ 300 or ≤ 500)`);
    core = withBounds[1];
  }
  let qualifier: QuantityQualifier | null = null;
  for (const [q, prefix] of PREFIXES) {
    const m = prefix.exec(core);
    if (m && numbers(core.slice(m[0].length))) {
      qualifier = q;
      core = core.slice(m[0].length);
      break;
    }
  }
  if (qualifier === null && core.endsWith('+')) {
    qualifier = 'AT_LEAST';
    core = core.slice(0, -1).trim();
  }
  const n = numbers(core);
  if (!n) throw notAQuantity(input);

  const low = bounds?.low ?? null;
  const high = bounds?.high ?? null;
  if (n.length === 2) {
    if (bounds) throw notAQuantity(input, ' (a range takes no other bounds)');
    if (qualifier === 'AT_LEAST' || qualifier === 'AT_MOST') throw notAQuantity(input, ' (a range is neither "at least" nor "at most")');
    return finish(input, { low: n[0], high: n[1], qualifier: qualifier ?? 'APPROXIMATE' });
  }
  switch (qualifier) {
    case null:
      // "400 (300–500)": a best value with its range is not exact.
      return finish(input, bounds ? { best: n[0], low, high, qualifier: 'APPROXIMATE' } : { best: n[0], qualifier: 'EXACT' });
    case 'AT_LEAST':
      if (low !== null) throw notAQuantity(input, ' (at least n already gives the lower bound)');
      return finish(input, { best: n[0], high, qualifier });
    case 'AT_MOST':
      if (high !== null) throw notAQuantity(input, ' (at most n already gives the upper bound)');
      return finish(input, { best: n[0], low, qualifier });
    default:
      return finish(input, { best: n[0], low, high, qualifier });
  }
}

/** normalizeQuantity, with its errors reported on the text as a whole. */
function finish(input: string, parts: QuantityParts): Quantity {
  try {
    return normalizeQuantity(parts)!;
  } catch (err) {
    if (err instanceof QuantityError) throw new QuantityError('quantityText', `"${input}": ${err.message}`);
    throw err;
  }
}

const num = (n: number) => String(n);

function boundsSuffix(low: number | null, high: number | null): string {
  if (low !== null && high !== null) return ` (${num(low)}–${num(high)})`;
  if (low !== null) return ` (≥ ${num(low)})`;
  if (high !== null) return ` (≤ ${num(high)})`;
  return '';
}

/**
 * The canonical text of a quantity: "500", "about 500", "about 400 (300–500)", "300–500",
 * "≥ 1000", "≥ 1000 (≤ 5000)", "≤ 50", "estimated 50", "estimated 300–500". Numbers are
 * written as JavaScript writes them (no separators), so that parseQuantity reads them back.
 */
export function formatQuantity(q: Quantity): string {
  switch (q.qualifier) {
    case 'EXACT':
      return num(q.best!);
    case 'AT_LEAST':
      return `≥ ${num(q.low!)}${q.high !== null ? ` (≤ ${num(q.high)})` : ''}`;
    case 'AT_MOST':
      return `≤ ${num(q.high!)}${q.low !== null ? ` (≥ ${num(q.low)})` : ''}`;
    case 'APPROXIMATE':
    case 'ESTIMATE': {
      const word = q.qualifier === 'APPROXIMATE' ? 'about ' : 'estimated ';
      if (q.best === null) return `${q.qualifier === 'ESTIMATE' ? word : ''}${num(q.low!)}–${num(q.high!)}`;
      return `${word}${num(q.best)}${boundsSuffix(q.low, q.high)}`;
    }
  }
}
