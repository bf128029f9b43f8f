// Which records refer to which: one table read by deletes (refused while live records refer
// to the record, or cascaded to them), restores (a record comes back only when what it refers
// to is live) and the seed loader. Pure data; the SQL lives in src/db/queries/dependents.ts.
//
// A reference through a record's own column (a shipment's supplier, a citation's source) makes
// the referring record depend on the referenced one: a cascade soft-deletes it. The two link
// tables are not records of their own but part of the record that holds them (an event's
// participants, a shipment's events, as the API edits them): a cascade takes the link off that
// record, which stays live. docs/api.md ("Deleting, cascading and restoring") has the table for users.

/** The kinds of record, parents before children: the order restores run in. */
export const KINDS = ['Source', 'Actor', 'Affiliation', 'Event', 'Shipment', 'Citation', 'Claim'] as const;
export type Kind = (typeof KINDS)[number];

/** Each kind's table and its audit log entity. */
export const TABLE: Record<Kind, string> = {
  Source: 'sources',
  Actor: 'actors',
  Affiliation: 'affiliations',
  Event: 'events',
  Shipment: 'shipments',
  Citation: 'citations',
  Claim: 'claims',
};
export const AUDIT_ENTITY = {
  Source: 'SOURCE',
  Actor: 'ACTOR',
  Affiliation: 'AFFILIATION',
  Event: 'EVENT',
  Shipment: 'SHIPMENT',
  Citation: 'CITATION',
  Claim: 'CLAIM',
} as const satisfies Record<Kind, string>;

export const kindOfEntity = (entity: string): Kind | undefined => KINDS.find((k) => AUDIT_ENTITY[k] === entity);

export interface Reference {
  /** The referring kind. */
  from: Kind;
  /** The referred-to kind. */
  to: Kind;
  /**
   * The columns naming the referred-to record, each with what the referring record calls it
   * ("supplier"): the referring table's own, or the link table's when `link` is set.
   */
  columns: Readonly<Record<string, string>>;
  /** A reference through a link table: the event's participants, or the shipment's events. */
  link?: 'participants' | 'shipmentEvents';
  /** How the referring records refer to it, for messages ("supplier or recipient"). */
  via: string;
  onCascade: 'DELETE' | 'UNLINK';
}

export const REFERENCES: readonly Reference[] = [
  { from: 'Shipment', to: 'Actor', columns: { supplier_id: 'supplier', recipient_id: 'recipient' }, via: 'supplier or recipient', onCascade: 'DELETE' },
  { from: 'Affiliation', to: 'Actor', columns: { actor_id: 'actor', target_id: 'target' }, via: 'actor or target', onCascade: 'DELETE' },
  { from: 'Claim', to: 'Actor', columns: { claimant_id: 'claimant' }, via: 'claimant', onCascade: 'DELETE' },
  { from: 'Event', to: 'Actor', link: 'participants', columns: { actor_id: 'participant' }, via: 'participant', onCascade: 'UNLINK' },
  { from: 'Source', to: 'Source', columns: { derived_from_id: 'origin (derivedFrom)' }, via: 'repeats it', onCascade: 'DELETE' },
  { from: 'Citation', to: 'Source', columns: { source_id: 'source' }, via: 'quotes it', onCascade: 'DELETE' },
  { from: 'Citation', to: 'Event', columns: { event_id: 'event' }, via: 'supports it', onCascade: 'DELETE' },
  { from: 'Claim', to: 'Event', columns: { event_id: 'event' }, via: 'is about it', onCascade: 'DELETE' },
  { from: 'Shipment', to: 'Event', link: 'shipmentEvents', columns: { event_id: 'event' }, via: 'reported by it', onCascade: 'UNLINK' },
  { from: 'Citation', to: 'Shipment', columns: { shipment_id: 'shipment' }, via: 'supports it', onCascade: 'DELETE' },
  { from: 'Claim', to: 'Shipment', columns: { shipment_id: 'shipment' }, via: 'is about it', onCascade: 'DELETE' },
  { from: 'Citation', to: 'Affiliation', columns: { affiliation_id: 'affiliation' }, via: 'supports it', onCascade: 'DELETE' },
  { from: 'Claim', to: 'Citation', columns: { citation_id: 'citation' }, via: 'is made in it', onCascade: 'DELETE' },
];

/** What refers to records of `kind`. */
export const referencesTo = (kind: Kind): Reference[] => REFERENCES.filter((r) => r.to === kind);

/** What records of `kind` refer to. */
export const referencesFrom = (kind: Kind): Reference[] => REFERENCES.filter((r) => r.from === kind);

/** snake_case column → the camelCase field of its Prisma row. */
export const fieldOf = (column: string): string => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
