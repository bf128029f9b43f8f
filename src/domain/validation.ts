// Validation of mutation inputs: pure rules, no database. Checks that need the
// database (does this actor exist? is this alias taken?) live in the services.
// Every failure is a ValidationError naming the field at fault.
import { z } from 'zod';
import { DateSpanError, spanFromInput, type DateSpan } from './dateSpan';
import { ValidationError } from './errors';
import { checkId } from './ids';

/** Path of the first string in `value` holding a NUL character, which PostgreSQL text cannot store. */
function nulPath(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = nulPath(item, `${path}[${i}]`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = nulPath(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

/** Rejects text (anywhere in `value`) that the database cannot store, as bad input on that field. */
export function checkText(value: unknown, root: string): void {
  const field = nulPath(value, root);
  if (field) throw new ValidationError(field, `${field}: must not contain a NUL character`);
}

/**
 * Runs a zod schema over an input (after checkText) and reports its first issue as a
 * ValidationError on the path at fault, e.g. "input.aliases[1]".
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, root: string): z.infer<S> {
  checkText(value, root);
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.reduce<string>((path, key) => (typeof key === 'number' ? `${path}[${key}]` : `${path}.${String(key)}`), root);
  throw new ValidationError(field, `${field}: ${issue.message}`);
}

const text = z.string().trim().min(1, 'must not be empty');
const optionalText = z.string().trim().nullish().transform((v) => (v ? v : null));
export const countryCode = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase())
  .refine((v) => /^[A-Z]{3}$/.test(v), 'must be an ISO 3166-1 alpha-3 code such as PRK')
  .nullish()
  .transform((v) => v ?? null);

export const actorFields = z.object({
  name: text.optional(),
  kind: z.string().optional(),
  countryCode: countryCode.optional(),
  description: optionalText.optional(),
});

export const aliasList = z.array(text);

export const locationFields = z
  .object({
    name: optionalText.optional(),
    countryCode: countryCode.optional(),
    latitude: z.number().min(-90).max(90).nullish(),
    longitude: z.number().min(-180).max(180).nullish(),
  })
  .nullish();

export const sourceFields = z.object({
  publisher: text.optional(),
  title: text.optional(),
  url: z.string().trim().url('must be a URL').nullish(),
});

export const citationFields = z.object({
  excerpt: text.optional(),
  credibility: z.number().int().min(1, 'must be 1..6').max(6, 'must be 1..6').nullish(),
});

/** Parses a DateSpanInput, reporting errors under `field` (e.g. "input.date.end"). */
export function parseSpan(input: Parameters<typeof spanFromInput>[0], field: string): DateSpan {
  try {
    return spanFromInput(input);
  } catch (err) {
    if (err instanceof DateSpanError) throw new ValidationError(`${field}.${err.field}`, err.message);
    throw err;
  }
}

/** Quantities are optional, never negative, and meaningless without a unit. */
export function checkQuantity(quantity: number | null | undefined, unit: string | null | undefined, root: string): void {
  if (quantity === null || quantity === undefined) return;
  if (!Number.isFinite(quantity) || quantity < 0) {
    throw new ValidationError(`${root}.quantity`, `quantity must be a non-negative number (got ${quantity})`);
  }
  if (!unit || !unit.trim()) {
    throw new ValidationError(`${root}.unit`, 'a quantity needs a unit ("containers", "rounds", "tonnes" …)');
  }
}

export function checkParties(supplierId: string, recipientId: string, root: string): void {
  if (supplierId === recipientId) {
    throw new ValidationError(`${root}.recipientId`, 'supplier and recipient must be different actors');
  }
}

/** A citation supports exactly one record: returns which one. */
export function citationSubject(
  input: { eventId?: string | null; shipmentId?: string | null; affiliationId?: string | null },
  root: string,
): { eventId: string | null; shipmentId: string | null; affiliationId: string | null } {
  const given = (['eventId', 'shipmentId', 'affiliationId'] as const).filter((k) => input[k]);
  if (given.length !== 1) {
    throw new ValidationError(
      `${root}.${given[1] ?? 'eventId'}`,
      'a citation supports exactly one of eventId, shipmentId, affiliationId',
    );
  }
  const pick = (k: (typeof given)[number]) => (input[k] ? checkId(input[k]!, `${root}.${k}`) : null);
  return { eventId: pick('eventId'), shipmentId: pick('shipmentId'), affiliationId: pick('affiliationId') };
}

/** `minSources` filters: a count of independent sources, never negative (null: no filter). */
export function checkMinSources(n: number | null | undefined, field: string): number | null {
  if (n === null || n === undefined) return null;
  if (!Number.isInteger(n) || n < 0) throw new ValidationError(field, `${field} must be a whole number of sources, 0 or more (got ${n})`);
  return n;
}
