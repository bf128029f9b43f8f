// Writing XLSX workbooks (the reports' and exports' spreadsheet downloads): the one place that
// decides how a value becomes a cell, so that a spreadsheet reinterprets nothing on opening.
// Text is a text cell — periods ("2023-09"), dates (ISO "2023-09-13", never a date serial),
// ids, and text starting with "=" alike: no cell is ever a formula. Numbers are number cells,
// null is an empty cell (unknown, never 0), anything else (lists, objects) its JSON text.
// Strings are written inline (no shared-string table held in memory), rows streamed as they come
// (exceljs' streaming writer): memory stays flat whatever the export's size. Library choice:
// docs/decisions/xlsx-library.md.
import type { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';

export type CellValue = string | number | boolean | null | undefined | object;

/** What one sheet may hold: Excel's limits (more rows, or a longer text, and it refuses or cuts the file). */
export const MAX_ROWS = 1_048_576;
export const MAX_CELL_TEXT = 32_767;

export class XlsxLimitError extends Error {}

/** Characters XML 1.0 cannot carry (most control characters, unpaired surrogates): written as U+FFFD. */
// eslint-disable-next-line no-control-regex -- finding control characters is its job
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A cell's value: text as inline text (never a formula), numbers as numbers, null empty. */
function cell(value: CellValue, where: () => string): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'boolean') return value;
  const text = (typeof value === 'string' ? value : JSON.stringify(value)).replace(NOT_XML, '\uFFFD');
  if (text.length > MAX_CELL_TEXT)
    throw new XlsxLimitError(
      `${where()}: ${text.length.toLocaleString('en-US')} characters, over a spreadsheet cell's ${MAX_CELL_TEXT.toLocaleString('en-US')}`,
    );
  // Rich text with one run is an inline string (t="inlineStr"), read as text by every spreadsheet.
  return { richText: [{ text }] };
}

export interface Sheet {
  /** At most 31 characters, none of []:*?/\ (Excel's rules). */
  name: string;
  header: readonly string[];
  /** The rows, cells in header order (an async source is read as the file is written). */
  rows: Iterable<readonly CellValue[]> | AsyncIterable<readonly CellValue[]>;
}

/**
 * Writes `sheets` as one workbook to `out` and resolves once it is written whole. Refuses
 * (XlsxLimitError, naming the sheet, row and column) what Excel could not open intact.
 */
export async function writeXlsx(out: Writable, sheets: Iterable<Sheet> | AsyncIterable<Sheet>): Promise<{ rows: number }> {
  // Loaded on first use: the server need not hold the library (12 MB of heap) until someone downloads a workbook.
  const { default: excel } = await import('exceljs');
  const workbook = new excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  workbook.creator = 'arms-transfer-tracker';
  const finished = new Promise<void>((resolve, reject) => {
    out.once('finish', resolve);
    out.once('close', resolve);
    out.once('error', reject);
  });
  let total = 0;
  for await (const sheet of sheets) {
    const ws = workbook.addWorksheet(sheet.name.replace(/[[\]:*?/\\]/g, '_').slice(0, 31));
    ws.addRow(sheet.header.map((h) => cell(h, () => sheet.name))).commit();
    let n = 1;
    for await (const row of sheet.rows) {
      n += 1;
      if (n > MAX_ROWS)
        throw new XlsxLimitError(
          `sheet ${sheet.name}: more than ${MAX_ROWS.toLocaleString('en-US')} rows, a spreadsheet's limit: export less (a --kind, a --from/--to window) or use CSV`,
        );
      ws.addRow(row.map((v, i) => cell(v, () => `sheet ${sheet.name}, row ${n}, column ${sheet.header[i]}`))).commit();
    }
    ws.commit();
    total += n - 1;
  }
  await workbook.commit();
  await finished;
  return { rows: total };
}
