// What every CSV layout the importer reads has in common: how its header row is recognised
// (after whatever title or preamble lines come before it), how its rows become import records,
// and how a bad cell is reported — by its line and its column, named as the file names it.
import type { Kind } from './records';

/** A raw record and where it came from; `error` when the line is not even a record. */
export interface RawItem {
  line: number;
  raw?: unknown;
  error?: string;
  /** Cells a layout's reader refused, each named by its column (the record is not imported). */
  issues?: { field: string; reason: string }[];
  /** The kind of record the refused row would have made. */
  kind?: Kind;
}

export interface RowReader {
  /** The records of one data row (its cells in header order), or the row's issues. */
  (cells: string[], line: number): RawItem[];
}

export interface CsvLayout {
  name: 'csv' | 'acled' | 'sipri' | 'ucdp';
  /** What its header holds, for the error when no header is found. */
  expected: string;
  isHeader(cells: readonly string[]): boolean;
  /** The kind of record a row makes, for the errors of a row refused before it is read (undefined: the file's). */
  rowKind?: Kind;
  /** How an issue names column `i` (default: as the file names it, with its letter: columnName). */
  column?(header: readonly string[], i: number): string;
  /** A reader for the rows under `header` (with the state one file needs: sources seen …). */
  reader(header: readonly string[], opts: { kind?: Kind }): RowReader;
}

/** "A", "B", … "Z", "AA": a column as spreadsheets name it (0-based index). */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Column `i` as an issue names it: as the file names it, with its letter ("Year(s) of delivery (column K)"). */
export function columnName(header: readonly string[], i: number): string {
  return `${header[i]?.trim() || '(unnamed)'} (column ${columnLetter(i)})`;
}

/** A header's columns by their lower-case, trimmed name (the first of a repeated name). */
export function headerIndex(header: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  header.forEach((h, i) => {
    const k = h.trim().toLowerCase();
    if (!index.has(k)) index.set(k, i);
  });
  return index;
}

/**
 * Reads the cells of one row by column name, and collects issues that name the column as the
 * file does, with its letter: `Year(s) of delivery (column K)`.
 */
export class Cells {
  readonly issues: { field: string; reason: string }[] = [];
  constructor(
    private readonly header: readonly string[],
    private readonly index: Map<string, number>,
    private readonly cells: readonly string[],
  ) {}

  /** The position of the first of `names` in the header, or -1. */
  position(names: readonly string[]): number {
    for (const n of names) {
      const i = this.index.get(n);
      if (i !== undefined) return i;
    }
    return -1;
  }

  at(i: number): string {
    return i < 0 ? '' : (this.cells[i] ?? '').trim();
  }

  get(...names: string[]): string {
    return this.at(this.position(names));
  }

  /** How an issue names column `i`. */
  column(i: number): string {
    return columnName(this.header, i);
  }

  fail(i: number, reason: string): null {
    this.issues.push({ field: this.column(i), reason });
    return null;
  }

  /** The decimal degrees in column `name` (`latitude`: max 90, `longitude`: max 180), null when empty; an issue when not one. */
  coordinate(name: 'latitude' | 'longitude', max: number): number | null {
    const t = this.get(name);
    if (t === '') return null;
    const n = Number(t);
    return Number.isFinite(n) && Math.abs(n) <= max ? n : this.fail(this.position([name]), `"${t}" is not a ${name} (−${max} to ${max})`);
  }
}
