/**
 * Minimal typings for the `edtf` package (v4), which ships none.
 * Only the parts used by src/domain/dateSpan.ts are described.
 */
declare module 'edtf' {
  interface EdtfBase {
    /** Canonical EDTF string. */
    readonly edtf: string;
    /** Earliest instant covered, UTC ms (-Infinity for an open start, null for an unknown one). */
    readonly min: number | null;
    /** Latest instant covered, UTC ms (Infinity for an open end, null for an unknown one). */
    readonly max: number | null;
  }

  /** Which digits of a date carry a qualifier (bits: 4 year digits, 2 month, 2 day); 0: none. */
  export interface Bitmask {
    readonly value: number;
  }

  export interface EdtfDate extends EdtfBase {
    readonly type: 'Date';
    /** 1 = year, 2 = month, 3 = day, 0 = full timestamp (has a time of day). */
    readonly precision: number;
    /** `?` qualifiers (level 1 on the whole date, level 2 per component). */
    readonly uncertain: Bitmask;
    /** `~` qualifiers (`%` sets both). */
    readonly approximate: Bitmask;
    /** Unspecified digits (`2023-XX`). */
    readonly unspecified: Bitmask;
  }

  export interface EdtfSeason extends EdtfBase {
    readonly type: 'Season';
    /** 21-24 seasons, 25-32 hemisphere seasons, 33-36 quarters, 37-41 thirds/halves. */
    readonly season: number;
    readonly year: number;
  }

  export interface EdtfInterval extends EdtfBase {
    readonly type: 'Interval';
    /** A bound is null when unknown and Infinity when open (`..`). */
    readonly lower: EdtfDate | EdtfSeason | number | null;
    readonly upper: EdtfDate | EdtfSeason | number | null;
  }

  export interface EdtfOther extends EdtfBase {
    readonly type: 'Set' | 'List' | 'Year' | 'Century' | 'Decade';
  }

  export type EdtfValue = EdtfDate | EdtfSeason | EdtfInterval | EdtfOther;

  export interface EdtfConstraints {
    level?: 0 | 1 | 2 | 3;
    types?: string[];
  }

  /** Parses an EDTF string; throws on invalid input. */
  export default function edtf(input: string, constraints?: EdtfConstraints): EdtfValue;
}
