// Record ids are UUIDs; a malformed one is bad input, not a database error.
import { ValidationError } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isId(value: string): boolean {
  return UUID.test(value);
}

export function checkId(value: string, field: string): string {
  if (!isId(value)) throw new ValidationError(field, `"${value}" is not a valid id`);
  return value.toLowerCase();
}

export function checkIds(values: readonly string[] | null | undefined, field: string): string[] | undefined {
  return values?.map((v, i) => checkId(v, `${field}[${i}]`));
}
