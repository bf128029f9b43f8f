// Validation rules, one set for the API's mutation inputs and the importer's records
// (src/ingest/records.ts applies the same schemas, problems and messages): pure, no database.
// Checks that need the database (does this actor exist? is this alias taken?) live in the
// services and, for imports, in SQL. Every failure of an input is a ValidationError naming the field.
import { z } from 'zod';
import { DateSpanError, isValidDate, spanFromInput, type DateSpan, type DateSpanInput } from './dateSpan';
import { ValidationError } from './errors';
import { checkId } from './ids';
import { QuantityError, quantityFromInput, quantityProblem, renameQuantityFields, type Quantity, type QuantityInput } from './quantity';

export { MAX_QUANTITY, quantityProblem } from './quantity';
import { FIELD_LIMITS, textProblem, urlProblem, type LimitedField } from './text';

/** Path and reason of the first string in `value` the database cannot store as text (./text.ts). */
function textPath(value: unknown, path: string): { path: string; reason: string } | undefined {
  if (typeof value === 'string') {
    const reason = textProblem(value);
    return reason ? { path, reason } : undefined;
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = textPath(item, `${path}[${i}]`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) {
      const found = textPath(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Rejects text (anywhere in `value`) that the database cannot store — a NUL, a lone surrogate
 * (or bytes that were not UTF-8) — as bad input on that field.
 */
export function checkText(value: unknown, root: string): void {
  const found = textPath(value, root);
  if (found) throw new ValidationError(found.path, `${found.path} ${found.reason}`);
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

/** Text of a field with a limit (./text.ts), trimmed. */
export function limitedText(field: LimitedField) {
  const max = FIELD_LIMITS[field];
  return z
    .string()
    .trim()
    .superRefine((v, ctx) => {
      const problem = textProblem(v, max);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
}
const text = (field: LimitedField) => limitedText(field).min(1, 'must not be empty');
const optionalText = (field: LimitedField) =>
  limitedText(field)
    .nullish()
    .transform((v) => (v ? v : null));

/** Why `code` (upper case) is not a country code, or undefined. */
export function countryProblem(code: string): string | undefined {
  return /^[A-Z]{3}$/.test(code) ? undefined : 'must be an ISO 3166-1 alpha-3 code such as PRK';
}
export const countryCode = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase())
  .superRefine((v, ctx) => {
    const problem = countryProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .nullish()
  .transform((v) => v ?? null);
export const latitude = z.number().min(-90).max(90);
export const longitude = z.number().min(-180).max(180);
export const credibility = z.number().int().min(1, 'must be 1..6').max(6, 'must be 1..6');

/** The message of `schema`'s first issue with `value`, or undefined when it passes (for checks that collect issues). */
export function schemaProblem(schema: z.ZodType, value: unknown): string | undefined {
  const result = schema.safeParse(value);
  return result.success ? undefined : result.error.issues[0].message;
}

export const QUANTITY_NEEDS_UNIT = 'a quantity needs a unit ("containers", "rounds", "tonnes" …)';
export const SAME_PARTIES = 'supplier and recipient must be different actors';
export const SELF_AFFILIATION = 'an actor cannot be affiliated with itself';

/** Why `value` is not a calendar day, or undefined. */
export function calendarDayProblem(value: string): string | undefined {
  return isValidDate(value) ? undefined : `"${value}" is not a calendar date (YYYY-MM-DD)`;
}

/** Why a citation or a claim names other than one subject, in the caller's field names. */
export function subjectCountProblem(record: 'citation' | 'claim', fields: readonly string[]): string {
  return `${record === 'citation' ? 'a citation supports' : 'a claim is about'} exactly one of ${fields.join(', ')}`;
}

export const actorFields = z.object({
  name: text('name').optional(),
  kind: z.string().optional(),
  countryCode: countryCode.optional(),
  description: optionalText('description').optional(),
});

export const aliasList = z.array(text('name'));

export const locationFields = z
  .object({
    name: optionalText('locationName').optional(),
    countryCode: countryCode.optional(),
    latitude: latitude.nullish(),
    longitude: longitude.nullish(),
  })
  .nullish();

export const sourceFields = z.object({
  publisher: text('publisher').optional(),
  title: text('title').optional(),
  // Existing rows keep what they hold; new and changed URLs are http(s) only (no javascript:, data:).
  url: z
    .string()
    .trim()
    .superRefine((v, ctx) => {
      const problem = urlProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .nullish(),
});

export const citationFields = z.object({
  excerpt: text('excerpt').optional(),
  credibility: credibility.nullish(),
});

/** Why a span's `text` (the source's wording of a date) cannot be stored, or undefined. */
export function spanTextProblem(text: string | null | undefined): string | undefined {
  return text == null ? undefined : textProblem(text.trim(), FIELD_LIMITS.dateText);
}

/** Parses a DateSpanInput, reporting errors under `field` (e.g. "input.date.end"). */
export function parseSpan(input: Parameters<typeof spanFromInput>[0], field: string): DateSpan {
  const textIssue = spanTextProblem(input.text);
  if (textIssue) throw new ValidationError(`${field}.text`, `${field}.text ${textIssue}`);
  try {
    return spanFromInput(input);
  } catch (err) {
    if (err instanceof DateSpanError) throw new ValidationError(`${field}.${err.field}`, err.message);
    throw err;
  }
}

/**
 * The quantity an input gives (src/domain/quantity.ts, quantityFromInput): undefined when it
 * gives none of the quantity fields, null for unknown. Errors name the field, e.g. "input.quantityText".
 */
export function parseQuantityInput(input: QuantityInput, root: string): Quantity | null | undefined {
  try {
    return quantityFromInput(input);
  } catch (err) {
    if (err instanceof QuantityError) throw new ValidationError(`${root}.${err.field}`, err.message);
    throw err;
  }
}

/** Fatalities as an input gives them (fatalities, fatalitiesLow, … fatalitiesText), read as quantities; errors name those fields. */
export interface FatalitiesInput {
  fatalities?: number | null;
  fatalitiesLow?: number | null;
  fatalitiesHigh?: number | null;
  fatalitiesQualifier?: Quantity['qualifier'] | null;
  fatalitiesText?: string | null;
}

/** The fatalities an input gives: undefined when none of the fields, null for unknown (parseQuantityInput's rules). */
export function parseFatalitiesInput(input: FatalitiesInput, root: string): Quantity | null | undefined {
  try {
    return quantityFromInput({
      quantity: input.fatalities,
      quantityLow: input.fatalitiesLow,
      quantityHigh: input.fatalitiesHigh,
      quantityQualifier: input.fatalitiesQualifier,
      quantityText: input.fatalitiesText,
    });
  } catch (err) {
    if (err instanceof QuantityError) {
      throw new ValidationError(`${root}.${renameQuantityFields(err.field, 'fatalities')}`, renameQuantityFields(err.message, 'fatalities'));
    }
    throw err;
  }
}

/** Quantities are optional and meaningless without a unit. */
export function checkQuantity(quantity: Quantity | null | undefined, unit: string | null | undefined, root: string): void {
  if (quantity === null || quantity === undefined) return;
  if (!unit || !unit.trim()) {
    throw new ValidationError(`${root}.unit`, QUANTITY_NEEDS_UNIT);
  }
}

/**
 * A source's publication span from `published` (a span) and/or the older `publishedAt` (a day,
 * read as a DAY span): undefined when neither is given, null for unknown. Given both, they
 * must agree on the first day (what publishedAt has always meant). Fields are named under
 * `root` ("input.publishedAt"; no root: "publishedAt").
 */
export function publicationSpan(input: { published?: DateSpanInput | null; publishedAt?: string | null }, root: string): DateSpan | null | undefined {
  const at = (name: string) => (root ? `${root}.${name}` : name);
  const { published, publishedAt } = input;
  const dayIssue = publishedAt ? calendarDayProblem(publishedAt) : undefined;
  if (dayIssue) throw new ValidationError(at('publishedAt'), dayIssue);
  const day = publishedAt ? parseSpan({ start: publishedAt }, at('publishedAt')) : publishedAt === undefined ? undefined : null;
  const span = published === undefined ? undefined : published === null ? null : parseSpan(published, at('published'));
  return reconcilePublication(day, span, at('publishedAt'));
}

/** The publication span of `published` (span) and `publishedAt` (day), either possibly absent (undefined); they must agree on the first day. */
export function reconcilePublication(day: DateSpan | null | undefined, span: DateSpan | null | undefined, field: string): DateSpan | null | undefined {
  if (span === undefined) return day;
  if (day !== undefined && (day?.start ?? null) !== (span?.start ?? null)) {
    throw new ValidationError(field, `publishedAt (${day?.start ?? 'null'}) is not the first day of published (${span?.start ?? 'null'}); give only published`);
  }
  return span;
}

export function checkParties(supplierId: string, recipientId: string, root: string): void {
  if (supplierId === recipientId) {
    throw new ValidationError(`${root}.recipientId`, SAME_PARTIES);
  }
}

/** A citation supports exactly one record: returns which one. */
export function citationSubject(
  input: { eventId?: string | null; shipmentId?: string | null; affiliationId?: string | null },
  root: string,
): { eventId: string | null; shipmentId: string | null; affiliationId: string | null } {
  const fields = ['eventId', 'shipmentId', 'affiliationId'] as const;
  const given = fields.filter((k) => input[k]);
  if (given.length !== 1) throw new ValidationError(`${root}.${given[1] ?? 'eventId'}`, subjectCountProblem('citation', fields));
  const pick = (k: (typeof given)[number]) => (input[k] ? checkId(input[k]!, `${root}.${k}`) : null);
  return { eventId: pick('eventId'), shipmentId: pick('shipmentId'), affiliationId: pick('affiliationId') };
}

/** The largest `minSources`: GraphQL's Int (and PostgreSQL's integer) range. */
export const MAX_MIN_SOURCES = 2_147_483_647;

/** `minFatalities` filters: a number of fatalities, as a quantity's (not negative, at most MAX_QUANTITY; null: no filter). */
export function checkMinFatalities(n: number | null | undefined, field: string): number | null {
  if (n === null || n === undefined) return null;
  const problem = quantityProblem(n);
  if (problem) throw new ValidationError(field, `${field} ${problem}`);
  return n;
}

/** `minSources` filters: a count of independent sources, 0 to MAX_MIN_SOURCES (null: no filter). */
export function checkMinSources(n: number | null | undefined, field: string): number | null {
  if (n === null || n === undefined) return null;
  if (!Number.isInteger(n) || n < 0 || n > MAX_MIN_SOURCES) {
    throw new ValidationError(field, `${field} must be a whole number of sources from 0 to ${MAX_MIN_SOURCES} (got ${n})`);
  }
  return n;
}
