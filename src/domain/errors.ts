// Domain errors. The GraphQL layer turns them into error codes (src/graphql/errors.ts);
// nothing below it knows about GraphQL.

/** Bad input; `field` is the path of the field at fault, e.g. "input.deliverySpan.end". */
export class ValidationError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ValidationError';
  }
}

/** The record to act on does not exist (or is deleted). */
export class NotFoundError extends Error {
  constructor(
    readonly entity: string,
    readonly id: string,
    readonly field = 'id',
  ) {
    super(`${entity} ${id} not found`);
    this.name = 'NotFoundError';
  }
}

/** An update based on a stale version of a record: someone else changed it since. */
export class ConflictError extends Error {
  constructor(
    readonly entity: string,
    readonly id: string,
    readonly current: Date,
    readonly field = 'input.expectedUpdatedAt',
  ) {
    super(`${entity} ${id} was changed at ${current.toISOString()}, after the version this update was based on; reload it and try again`);
    this.name = 'ConflictError';
  }
}

/** How many live records of one kind refer to a record, and what a cascade does to them. */
export interface Dependents {
  /** The referring records' type, e.g. "Shipment". */
  kind: string;
  /** How they refer to it, e.g. "supplier or recipient". */
  via: string;
  count: number;
  /** DELETE: soft-deleted by a cascade; UNLINK: the link to the record is taken off them. */
  onCascade: 'DELETE' | 'UNLINK';
}

/** A record that live records still refer to: deleting it alone would leave them dangling. */
export class ReferencedError extends Error {
  constructor(
    readonly entity: string,
    readonly id: string,
    readonly dependents: Dependents[],
    readonly field = 'id',
  ) {
    const list = dependents.map((d) => `${d.count} ${d.kind.toLowerCase()}${d.count === 1 ? '' : 's'} (${d.via})`);
    super(
      `${entity} ${id} is still referred to by ${list.join(', ')}; delete those first, or delete with cascade: true ` +
        'to soft-delete them along (links are taken off instead), restorable together',
    );
    this.name = 'ReferencedError';
  }
}
