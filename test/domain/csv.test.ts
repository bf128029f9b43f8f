// The CSV policy (src/domain/csv.ts): formula cells neutralised, an exact round trip through
// restoreCell for every value (apostrophes included), a byte-order mark unless asked for none.
import { parse } from 'csv-parse/sync';
import { BOM, neutralizeCell, restoreCell, toCsv } from '../../src/domain/csv';
import { expectSafeCsv, FORMULA_CELLS } from '../support/csv';

const HOSTILE = [
  ...FORMULA_CELLS,
  '\r=1+1',
  '＝1+1',
  '＋1',
  '－1',
  '＠SUM(1)',
  "'=1+1",
  "''=1+1",
  "'tis the season",
  "'",
  "''",
  '',
  'plain',
  'Ростех',
  '😀👍🏽 — "quoted", and, commas',
  'line\nbreak',
  'crlf\r\nline',
  ' =leading space',
  '1,000',
  '2023-09',
];

it.each(HOSTILE.map((v) => [JSON.stringify(v), v]))('%s: written safe, read back exactly', (_name, value) => {
  const cell = neutralizeCell(value);
  expect(restoreCell(cell)).toBe(value);
  if (/^[=+\-@\t\r＝＋－＠]/.test(value)) expect(cell).toBe(`'${value}`);
});

it('leaves alone what a spreadsheet would not run, and what was never neutralised', () => {
  for (const v of ["'tis", 'plain', '', ' =x', '1,000']) {
    expect(neutralizeCell(v)).toBe(v);
    expect(restoreCell(v)).toBe(v);
  }
  // the spreadsheet's own escape, from a file written elsewhere, reads as what the spreadsheet shows
  expect(restoreCell("'=1+1")).toBe('=1+1');
});

it('writes a header, a byte-order mark, numbers as numbers, and the hostile values safely', () => {
  const rows = HOSTILE.map((text, i) => ({ text, n: i % 2 ? -i - 0.5 : i, flag: i % 3 === 0, empty: null }));
  const csv = toCsv(rows, ['text', 'n', { key: 'flag', header: 'flag' }, 'empty']);
  expect(csv.startsWith(BOM)).toBe(true);
  const parsed = expectSafeCsv(csv);
  expect(parsed[0]).toEqual(['text', 'n', 'flag', 'empty']);
  expect(parsed.slice(1).map((r) => restoreCell(r[0]))).toEqual(HOSTILE);
  expect(parsed.slice(1).map((r) => Number(r[1]))).toEqual(rows.map((r) => r.n));
  expect(parsed[2][1]).toBe('-1.5'); // a negative number stays a number
  expect(parsed.slice(1).map((r) => r[2])).toEqual(rows.map((r) => String(r.flag)));
  expect(parsed.slice(1).map((r) => r[3])).toEqual(rows.map(() => ''));
  expectSafeCsv(toCsv(rows, ['text'], { bom: false }), { bom: false });
  expect(parse(toCsv([{ text: 'x' }], ['text'], { bom: false }))).toEqual([['text'], ['x']]);
});
