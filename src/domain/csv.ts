// The one CSV policy, for every CSV the project writes (/reports/*.csv, `npm run report -- --csv`,
// `npm run export -- --format csv`) and reads back (`npm run import`). Pure: text in, text out.
//
// 1. Formulas. A spreadsheet runs a cell that starts with = + - or @ as a formula (as it does
//    one starting with a tab or a carriage return, which it trims first): OWASP's "CSV Injection"
//    lists these six. A text cell starting with one of them, or with their full-width forms
//    ＝ ＋ － ＠ (which spreadsheets in East Asian locales read as the ASCII ones), is written
//    with an apostrophe in front: shown as text, never run. Numbers are written as numbers (a
//    negative latitude is not a formula and stays a number).
// 2. An exact round trip. The apostrophe goes in front of a text cell that matches
//    /^'*TRIGGER/ (any run of apostrophes, then a trigger), and the importer takes one off a cell
//    that matches /^'+TRIGGER/. Every value comes back as it was: "=1+1" is written "'=1+1" and
//    read "=1+1"; "'=1+1" (a value that really starts with an apostrophe) is written "''=1+1" and
//    read "'=1+1"; "'tis" is neither written nor read differently. A file written elsewhere with
//    "'=1+1" (the spreadsheet's own escape) reads as "=1+1", which is what the spreadsheet shows.
// 3. UTF-8 with a byte-order mark, by default. Without one, Excel on Windows reads a CSV in the
//    machine's ANSI code page ("Ростех" shows as "Ð Ð¾ÑÑ‚ÐµÑ…"); with one, Excel, LibreOffice,
//    Google Sheets and Numbers read it as UTF-8, and CSV libraries (csv-parse, Python's
//    utf-8-sig, pandas) skip it. Machine consumers that want none can ask (`bom: false`). The
//    importer reads files with and without one.
//
// What CSV cannot do: stop a spreadsheet from reading "2023-09" as a date or "0042" as 42. Both
// round-trip through the importer; for spreadsheets, import the file with its columns as text.
import { stringify } from 'csv-stringify/sync';
import type { Options } from 'csv-stringify';

/** The byte-order mark: U+FEFF, the bytes EF BB BF in UTF-8. */
export const BOM = '\uFEFF';

/** The characters that make a spreadsheet read a cell as a formula, ASCII and full-width. */
const TRIGGERS = '=+\\-@\\t\\r\\uFF1D\\uFF0B\\uFF0D\\uFF20';
/** A text cell that is written with an apostrophe in front. */
const NEEDS_QUOTE = new RegExp(`^'*[${TRIGGERS}]`);
/** A cell read with its first apostrophe taken off. */
const QUOTED = new RegExp(`^'+[${TRIGGERS}]`);

/** A text value as it is written into a cell: an apostrophe in front of one a spreadsheet would run. */
export function neutralizeCell(value: string): string {
  return NEEDS_QUOTE.test(value) ? `'${value}` : value;
}

/** A cell as read back: the apostrophe neutralizeCell added taken off; every other cell unchanged. */
export function restoreCell(cell: string): string {
  return QUOTED.test(cell) ? cell.slice(1) : cell;
}

export interface CsvOptions {
  /** Start with a byte-order mark (default true: see the header of this file). */
  bom?: boolean;
}

export interface CsvColumn {
  key: string;
  header: string;
}

/**
 * csv-stringify's options carrying the policy: a header row, text cells neutralised, numbers
 * as JavaScript writes them, booleans as true/false, empty cells for null and undefined.
 */
export function csvStringifyOptions(columns: readonly (string | CsvColumn)[], opts: CsvOptions = {}): Options {
  return {
    header: true,
    columns: columns.map((c) => (typeof c === 'string' ? { key: c, header: c } : c)),
    bom: opts.bom ?? true,
    cast: {
      string: neutralizeCell,
      number: (n) => String(n),
      boolean: (b) => String(b),
      // (no instant is written as a Date: callers turn them into text first)
      date: (d) => d.toISOString(),
    },
  };
}

/** Rows as one CSV text under the policy (see csvStringifyOptions). */
export function toCsv(rows: readonly object[], columns: readonly (string | CsvColumn)[], opts: CsvOptions = {}): string {
  return stringify(rows as Record<string, unknown>[], csvStringifyOptions(columns, opts));
}
