/**
 * The display rule for report figures: how a figure is printed for a reader (the chart page,
 * `npm run report`'s table) so that no printed figure says more than it knows. The API and the
 * CSV keep the values themselves (docs/decisions/report-estimates.md says why).
 *
 * - An exact figure is printed in full: 1,000; 12.5 (to at most 6 decimal places, as the API
 *   rounds it).
 * - An estimate (a figure with an estimated part: a pro-rata share, an approximate or bounded
 *   quantity, an open-ended delivery) is printed with ≈ and two significant figures: 384.615385
 *   is "≈380", 960 "≈960", 12,345.6 "≈12,000". A pro-rata share assumes deliveries at an even
 *   daily rate; the real split may be anything, so two figures say its size and no more.
 * - A range is rounded outwards, so that the printed range holds the real one: the low bound
 *   down, the high bound up (314–455 is "≈310–460").
 * - An unknown figure is "?" (a bound), or left to the caller (a quantity: "unknown").
 *
 * Pure and free of Node APIs: the chart page bundles it too.
 */

/** Significant figures an estimate keeps when printed. */
export const ESTIMATE_SIGNIFICANT_FIGURES = 2;

/** Decimal places an exact figure keeps when printed (the API's rounding, see roundQuantity). */
const EXACT_DECIMALS = 6;

/** Which way a figure may be rounded: to the nearest, or outwards for a range's bounds. */
export type Rounding = 'nearest' | 'down' | 'up';

/** `value` to ESTIMATE_SIGNIFICANT_FIGURES significant figures, rounded as asked. */
export function roundSignificant(value: number, rounding: Rounding = 'nearest'): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const step = 10 ** (magnitude - ESTIMATE_SIGNIFICANT_FIGURES + 1);
  const scaled = value / step;
  // A tolerance for float noise: 1000 × 24/25 is 960.0000000000001, not above 960.
  const r = rounding === 'down' ? Math.floor(scaled + 1e-9) : rounding === 'up' ? Math.ceil(scaled - 1e-9) : Math.round(scaled);
  // Through a string, so that 0.1 × 3 prints 0.3 and not 0.30000000000000004.
  return Number((r * step).toPrecision(ESTIMATE_SIGNIFICANT_FIGURES + 1));
}

function grouped(value: number, decimals: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: decimals });
}

/** A figure as printed: exact in full, an estimate with ≈ and two significant figures. */
export function printFigure(value: number, estimated: boolean, rounding: Rounding = 'nearest'): string {
  if (!estimated) return grouped(value, EXACT_DECIMALS);
  return `≈${grouped(roundSignificant(value, rounding), 20)}`;
}

/**
 * A range low–high as printed: exact bounds in full (an exact 1,000–1,000 is "1,000"), estimated
 * ones after one ≈, rounded outwards ("≈310–460", "≈960", "≈310–?", "?–≈20"); an unknown bound
 * is "?". Both unknown: null.
 */
export function printRange(low: number | null, high: number | null, estimated: boolean): string | null {
  if (low === null && high === null) return null;
  if (!estimated) {
    if (low === high) return printFigure(low!, false);
    return `${low === null ? '?' : printFigure(low, false)}–${high === null ? '?' : printFigure(high, false)}`;
  }
  const hi = high === null ? '?' : grouped(roundSignificant(high, 'up'), 20);
  if (low === null) return `?–≈${hi}`;
  const lo = grouped(roundSignificant(low, 'down'), 20);
  return lo === hi ? `≈${lo}` : `≈${lo}–${hi}`;
}
