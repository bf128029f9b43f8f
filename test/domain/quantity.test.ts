import {
  formatQuantity,
  normalizeQuantity,
  parseQuantity,
  quantityFromInput,
  QuantityError,
  type Quantity,
  type QuantityField,
} from '../../src/domain/quantity';
import { thrown } from '../support/errors';

const errorOf = (fn: () => unknown) => thrown(QuantityError, fn);

const q = (qualifier: Quantity['qualifier'], best: number | null, low: number | null = null, high: number | null = null): Quantity => ({
  best,
  low,
  high,
  qualifier,
});

describe('parseQuantity', () => {
  // [text, the quantity, its canonical text]
  it.each<[string, Quantity, string]>([
    ['500', q('EXACT', 500, 500, 500), '500'],
    ['0', q('EXACT', 0, 0, 0), '0'],
    ['1,000', q('EXACT', 1000, 1000, 1000), '1000'],
    ['1 000 000', q('EXACT', 1_000_000, 1_000_000, 1_000_000), '1000000'],
    ['12.5', q('EXACT', 12.5, 12.5, 12.5), '12.5'],
    ['1e3', q('EXACT', 1000, 1000, 1000), '1000'],
    ['about 500', q('APPROXIMATE', 500), 'about 500'],
    ['roughly 500', q('APPROXIMATE', 500), 'about 500'],
    ['Approximately 500', q('APPROXIMATE', 500), 'about 500'],
    ['approx. 500', q('APPROXIMATE', 500), 'about 500'],
    ['around 1,500', q('APPROXIMATE', 1500), 'about 1500'],
    ['~500', q('APPROXIMATE', 500), 'about 500'],
    ['~ 500', q('APPROXIMATE', 500), 'about 500'],
    ['≈500', q('APPROXIMATE', 500), 'about 500'],
    ['c. 500', q('APPROXIMATE', 500), 'about 500'],
    ['ca. 500', q('APPROXIMATE', 500), 'about 500'],
    ['circa 500', q('APPROXIMATE', 500), 'about 500'],
    ['≥ 1000', q('AT_LEAST', 1000, 1000), '≥ 1000'],
    ['>= 1000', q('AT_LEAST', 1000, 1000), '≥ 1000'],
    ['> 1000', q('AT_LEAST', 1000, 1000), '≥ 1000'],
    ['at least 1,000', q('AT_LEAST', 1000, 1000), '≥ 1000'],
    ['more than 1000', q('AT_LEAST', 1000, 1000), '≥ 1000'],
    ['over 1000', q('AT_LEAST', 1000, 1000), '≥ 1000'],
    ['1000+', q('AT_LEAST', 1000, 1000), '≥ 1000'],
    ['≤ 50', q('AT_MOST', 50, null, 50), '≤ 50'],
    ['<= 50', q('AT_MOST', 50, null, 50), '≤ 50'],
    ['at most 50', q('AT_MOST', 50, null, 50), '≤ 50'],
    ['up to 50', q('AT_MOST', 50, null, 50), '≤ 50'],
    ['less than 50', q('AT_MOST', 50, null, 50), '≤ 50'],
    ['under 50', q('AT_MOST', 50, null, 50), '≤ 50'],
    ['300–500', q('APPROXIMATE', null, 300, 500), '300–500'],
    ['300-500', q('APPROXIMATE', null, 300, 500), '300–500'],
    ['300 - 500', q('APPROXIMATE', null, 300, 500), '300–500'],
    ['300 — 500', q('APPROXIMATE', null, 300, 500), '300–500'],
    ['300 to 500', q('APPROXIMATE', null, 300, 500), '300–500'],
    ['between 300 and 500', q('APPROXIMATE', null, 300, 500), '300–500'],
    ['1,000-2,000', q('APPROXIMATE', null, 1000, 2000), '1000–2000'],
    ['(50)', q('ESTIMATE', 50), 'estimated 50'],
    ['( 50 )', q('ESTIMATE', 50), 'estimated 50'],
    ['estimated 50', q('ESTIMATE', 50), 'estimated 50'],
    ['an estimated 50', q('ESTIMATE', 50), 'estimated 50'],
    ['(300-500)', q('ESTIMATE', null, 300, 500), 'estimated 300–500'],
    ['about 400 (300–500)', q('APPROXIMATE', 400, 300, 500), 'about 400 (300–500)'],
    ['400 (300-500)', q('APPROXIMATE', 400, 300, 500), 'about 400 (300–500)'],
    ['about 400 (≥ 300)', q('APPROXIMATE', 400, 300), 'about 400 (≥ 300)'],
    ['estimated 400 (300–500)', q('ESTIMATE', 400, 300, 500), 'estimated 400 (300–500)'],
    ['at least 1000 (at most 5000)', q('AT_LEAST', 1000, 1000, 5000), '≥ 1000 (≤ 5000)'],
    ['≤ 50 (≥ 10)', q('AT_MOST', 50, 10, 50), '≤ 50 (≥ 10)'],
  ])('%p', (text, expected, canonical) => {
    const parsed = parseQuantity(text);
    expect(parsed).toEqual(expected);
    expect(formatQuantity(parsed)).toBe(canonical);
    // The canonical text reads back as the same quantity.
    expect(parseQuantity(formatQuantity(parsed))).toEqual(parsed);
  });

  it.each([
    ['', /empty/],
    ['lots', /is not a quantity/],
    ['500 containers', /the unit goes in its own field/],
    ['-1', /cannot be negative/],
    ['about -5', /cannot be negative/],
    ['1,5', /write decimals with a point/],
    ['500–300', /quantityLow \(500\) is above quantityHigh \(300\)/],
    ['about 400 (450–500)', /above the best value/],
    ['at least 300–500', /neither "at least" nor "at most"/],
    ['300–500 (100–900)', /a range takes no other bounds/],
    ['about 400 (maybe)', /the brackets hold "maybe"/],
    ['at least 5 (≥ 3)', /already gives the lower bound/],
    ['1e999', /not a finite number/],
    ['1e21', /must be at most 1000000000000000/],
    ['NaN', /is not a quantity/],
  ])('refuses %p', (text, reason) => {
    const err = errorOf(() => parseQuantity(text));
    expect(err.field).toBe('quantityText');
    expect(err.message).toMatch(reason);
  });

  it('keeps exotic numbers exact through its canonical text', () => {
    // Up to half of MAX_QUANTITY (the estimate's high bound below is twice n).
    for (const n of [4e14 + 0.5, 1e-7, 0.1 + 0.2, 123456789.125, 2 ** 48 + 1]) {
      for (const x of [q('EXACT', n, n, n), q('APPROXIMATE', n), q('ESTIMATE', null, n, n * 2)]) {
        expect(parseQuantity(formatQuantity(x))).toEqual(x);
      }
    }
  });
});

describe('normalizeQuantity', () => {
  it.each<[string, Parameters<typeof normalizeQuantity>[0], Quantity | null]>([
    ['nothing: unknown', {}, null],
    ['a lone value: EXACT', { best: 500 }, q('EXACT', 500, 500, 500)],
    ['EXACT with its own bounds', { best: 5, low: 5, high: 5, qualifier: 'EXACT' }, q('EXACT', 5, 5, 5)],
    ['bounds only: APPROXIMATE', { low: 300, high: 500 }, q('APPROXIMATE', null, 300, 500)],
    ['AT_LEAST from the value', { best: 1000, qualifier: 'AT_LEAST' }, q('AT_LEAST', 1000, 1000)],
    ['AT_LEAST from the low bound', { low: 1000, qualifier: 'AT_LEAST' }, q('AT_LEAST', 1000, 1000)],
    ['AT_MOST from the high bound, never a low of 0', { high: 50, qualifier: 'AT_MOST' }, q('AT_MOST', 50, null, 50)],
    ['APPROXIMATE keeps only stated bounds', { best: 500, qualifier: 'APPROXIMATE' }, q('APPROXIMATE', 500)],
    ['ESTIMATE with a range', { best: 400, low: 300, high: 500, qualifier: 'ESTIMATE' }, q('ESTIMATE', 400, 300, 500)],
  ])('%s', (_name, parts, expected) => {
    expect(normalizeQuantity(parts)).toEqual(expected);
  });

  it.each<[string, Parameters<typeof normalizeQuantity>[0], QuantityField, RegExp]>([
    ['a negative value', { best: -1 }, 'quantity', /must not be negative/],
    ['an infinite bound', { best: 5, high: Infinity }, 'quantityHigh', /finite/],
    ['NaN', { low: NaN, high: 3 }, 'quantityLow', /finite/],
    ['a qualifier without a value', { qualifier: 'APPROXIMATE' }, 'quantityQualifier', /needs a value/],
    ['an unknown qualifier', { best: 1, qualifier: 'MANY' as never }, 'quantityQualifier', /one of EXACT/],
    ['EXACT without a value', { low: 3, high: 3, qualifier: 'EXACT' }, 'quantity', /needs its value/],
    ['EXACT with other bounds', { best: 5, low: 4, qualifier: 'EXACT' }, 'quantityLow', /no other bounds/],
    ['AT_LEAST with two values', { best: 5, low: 4, qualifier: 'AT_LEAST' }, 'quantityLow', /quantity = quantityLow/],
    ['AT_MOST without a value', { low: 4, qualifier: 'AT_MOST' }, 'quantity', /needs its upper bound/],
    ['APPROXIMATE with a lone bound', { low: 300, qualifier: 'APPROXIMATE' }, 'quantityHigh', /a lone lower bound is AT_LEAST/],
    ['bounds the wrong way round', { low: 500, high: 300 }, 'quantityLow', /above quantityHigh/],
    ['a value above its high bound', { best: 600, low: 300, high: 500, qualifier: 'APPROXIMATE' }, 'quantityHigh', /below the best value/],
  ])('refuses %s', (_name, parts, field, message) => {
    const err = errorOf(() => normalizeQuantity(parts));
    expect(err.field).toBe(field);
    expect(err.message).toMatch(message);
  });
});

describe('quantityFromInput', () => {
  it('nothing given: undefined (an update leaves the quantity as it is)', () => {
    expect(quantityFromInput({})).toBeUndefined();
  });

  it('quantity alone is EXACT; null alone is unknown', () => {
    expect(quantityFromInput({ quantity: 1000 })).toEqual(q('EXACT', 1000, 1000, 1000));
    expect(quantityFromInput({ quantity: null })).toBeNull();
    expect(quantityFromInput({ quantityText: '  ' })).toBeNull();
  });

  it('reads quantityText with the parser', () => {
    expect(quantityFromInput({ quantityText: 'roughly 500' })).toEqual(q('APPROXIMATE', 500));
    expect(quantityFromInput({ quantityText: '300–500', quantity: null })).toEqual(q('APPROXIMATE', null, 300, 500));
  });

  it('refuses quantityText with numeric fields', () => {
    const err = errorOf(() => quantityFromInput({ quantityText: 'about 5', quantityLow: 3 }));
    expect(err.field).toBe('quantityText');
    expect(err.message).toMatch(/either quantityText or quantityLow/);
  });
});
