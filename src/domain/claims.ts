// Claims: which fields of an event or a shipment a claim may be about, how a claimed value
// is checked and written canonically, and the ICD 203 ranges of the likelihood scale.
// Pure: no database (the services check that ids exist and apply accepted values).
import { EventType, ShipmentCategory, ShipmentStatus, type Likelihood } from '../generated/prisma/enums';
import { ValidationError } from './errors';
import { checkId } from './ids';
import { parseSpan } from './validation';

export type ClaimSubjectKind = 'event' | 'shipment';

/**
 * ICD 203 (Analytic Standards, 2015) estimative language, in percent. "Most likely" is not
 * one of its terms: read as the claimant's best estimate, it is LIKELY unless the wording
 * says more ("almost certainly", "very probably").
 */
export const LIKELIHOOD_RANGE: Record<Likelihood, { min: number; max: number }> = {
  ALMOST_NO_CHANCE: { min: 1, max: 5 },
  VERY_UNLIKELY: { min: 5, max: 20 },
  UNLIKELY: { min: 20, max: 45 },
  ROUGHLY_EVEN: { min: 45, max: 55 },
  LIKELY: { min: 55, max: 80 },
  VERY_LIKELY: { min: 80, max: 95 },
  ALMOST_CERTAIN: { min: 95, max: 99 },
};

type ValueType = 'text' | 'number' | 'span' | 'actor' | readonly string[];

interface FieldSpec {
  type: ValueType;
  /** The update input (UpdateEventInput / UpdateShipmentInput) that accepting a value makes. */
  patch: (value: string) => Record<string, unknown>;
}

const text = (key: string): FieldSpec => ({ type: 'text', patch: (v) => ({ [key]: v }) });
const oneOf = (key: string, values: Record<string, string>): FieldSpec => ({ type: Object.values(values), patch: (v) => ({ [key]: v }) });
const span = (key: string): FieldSpec => ({ type: 'span', patch: (v) => ({ [key]: { edtf: v } }) });
const actor = (key: string): FieldSpec => ({ type: 'actor', patch: (v) => ({ [key]: v }) });

/** The fields a claim may be about, by their GraphQL names (also a CHECK in the migration). */
export const CLAIM_FIELDS: Record<ClaimSubjectKind, Record<string, FieldSpec>> = {
  event: {
    type: oneOf('type', EventType),
    title: text('title'),
    description: text('description'),
    date: span('date'),
  },
  shipment: {
    supplier: actor('supplierId'),
    recipient: actor('recipientId'),
    category: oneOf('category', ShipmentCategory),
    description: text('description'),
    quantity: { type: 'number', patch: (v) => ({ quantity: Number(v) }) },
    unit: text('unit'),
    deliverySpan: span('deliverySpan'),
    status: oneOf('status', ShipmentStatus),
    route: text('route'),
  },
};

/** Every field name of any kind of subject (for filters that do not know the subject's kind). */
export const ANY_CLAIM_FIELD = new Set(Object.values(CLAIM_FIELDS).flatMap((f) => Object.keys(f)));

export function checkClaimField(kind: ClaimSubjectKind, field: string | null | undefined, path: string): string | null {
  if (field === null || field === undefined) return null;
  const name = field.trim();
  if (!(name in CLAIM_FIELDS[kind])) {
    throw new ValidationError(path, `a claim about ${kind === 'event' ? 'an event' : 'a shipment'} is about the record as a whole (no field) or one of ${Object.keys(CLAIM_FIELDS[kind]).join(', ')} (got "${field}")`);
  }
  return name;
}

/**
 * The claimed value in canonical text: a number as JavaScript writes it, an enum value in
 * upper case, a lowercased id, an EDTF span as given (trimmed), text trimmed. A claim about
 * the record as a whole may carry what is claimed in words, or nothing.
 */
export function canonicalClaimValue(kind: ClaimSubjectKind, field: string | null, value: string | null | undefined, path: string): string | null {
  const v = value?.trim() ?? '';
  if (field === null) return v === '' ? null : v;
  if (v === '') throw new ValidationError(path, `a claim about ${field} needs a value`);
  const type = CLAIM_FIELDS[kind][field].type;
  if (type === 'number') {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new ValidationError(path, `${field} is a non-negative number (got "${v}")`);
    return String(n);
  }
  if (type === 'actor') return checkId(v, path);
  if (type === 'span') {
    try {
      parseSpan({ edtf: v }, path);
    } catch (err) {
      // The value is one argument: point at it, not at a sub-field of a span input.
      if (err instanceof ValidationError) throw new ValidationError(path, err.message);
      throw err;
    }
    return v;
  }
  if (Array.isArray(type)) {
    const upper = v.toUpperCase();
    if (!type.includes(upper)) throw new ValidationError(path, `${field} is one of ${type.join(', ')} (got "${v}")`);
    return upper;
  }
  return v;
}

/** What accepting a claim writes to its record, as that record's update input. */
export function claimPatch(kind: ClaimSubjectKind, field: string, value: string): Record<string, unknown> {
  return CLAIM_FIELDS[kind][field].patch(value);
}
