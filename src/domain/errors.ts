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
