// The rows an import stages (src/db/queries/ingest.ts): the record kinds, and the columns of a
// staged record and of a staged reference. Here, not with the importer, so db needs nothing above it.

export const KINDS = ['actor', 'source', 'event', 'affiliation', 'shipment', 'citation', 'claim'] as const;
export type Kind = (typeof KINDS)[number];

export type Slot = 'participant' | 'supplier' | 'recipient' | 'actor' | 'target' | 'event' | 'source' | 'subject' | 'origin' | 'claimant' | 'citation';
export type TargetKind = 'actor' | 'event' | 'shipment' | 'affiliation' | 'source' | 'citation';

export interface StagedRef {
  field: string;
  slot: Slot;
  role: string | null;
  target_kind: TargetKind;
  ref_dataset: string | null;
  ref_external_id: string | null;
  ref_name: string | null;
  ref_kind: string | null;
  ref_country: string | null;
  ref_aliases: string[] | null;
}

/** A record's staged row: its place in the input, its id, then its kind's columns (snake_case). */
export interface StagedRow {
  seq: number;
  file: number;
  line: number;
  id: string;
  given_id: boolean;
  [column: string]: unknown;
}

export type StagedRefRow = StagedRef & { seq: number; file: number; line: number; kind: Kind };
