// The display rule for printed report figures (src/domain/display.ts): exact in full, estimates
// with ≈ and two significant figures, ranges rounded outwards.
import { printFigure, printRange, roundSignificant } from '../../src/domain/display';

describe('printFigure', () => {
  test.each([
    // value, estimated, printed
    [1000, false, '1,000'],
    [12.5, false, '12.5'],
    [333.333333, false, '333.333333'],
    [0, false, '0'],
    // The figures: a late-November delivery of 500 split 384.615385 / 115.384615.
    [384.615385, true, '≈380'],
    [115.384615, true, '≈120'],
    // The seed's 1,000 containers split 24/25 and 1/25 (float noise included).
    [1000 * (24 / 25), true, '≈960'],
    [40, true, '≈40'],
    [1500, true, '≈1,500'],
    [12_345.6, true, '≈12,000'],
    [99.7, true, '≈100'],
    [3.846, true, '≈3.8'],
    [0.012345, true, '≈0.012'],
    [0.1 + 0.2, true, '≈0.3'],
    [0, true, '≈0'],
  ])('%p (estimated: %p) → %p', (value, estimated, printed) => {
    expect(printFigure(value, estimated)).toBe(printed);
  });
});

describe('roundSignificant', () => {
  test.each([
    [384.615385, 'nearest', 380],
    [316, 'down', 310],
    [316, 'up', 320],
    [310, 'down', 310],
    [310, 'up', 310],
    // Float noise does not push an exact-looking figure past its rounding.
    [1000 * (24 / 25), 'up', 960],
    [0.0996, 'up', 0.1],
    [-384.6, 'nearest', -380],
  ] as const)('%p %s → %p', (value, rounding, rounded) => {
    expect(roundSignificant(value, rounding)).toBe(rounded);
  });
});

describe('printRange', () => {
  test.each([
    // low, high, estimated, printed
    [1000, 1000, false, '1,000'],
    [1000, 2000, false, '1,000–2,000'],
    [1000, null, false, '1,000–?'],
    // Outwards: the printed range holds the real one.
    [314, 455, true, '≈310–460'],
    [430, 520, true, '≈430–520'],
    [1000 * (24 / 25), 1000 * (24 / 25), true, '≈960'],
    [314, null, true, '≈310–?'],
    [null, 20.5, true, '?–≈21'],
    [null, null, true, null],
  ])('%p–%p (estimated: %p) → %p', (low, high, estimated, printed) => {
    expect(printRange(low, high, estimated)).toBe(printed);
  });
});
