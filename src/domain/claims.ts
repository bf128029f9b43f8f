// Claims: which fields of an event or a shipment a claim may be about, how a claimed value
// is checked and written canonically, and the ICD 203 ranges of the likelihood scale.
// Pure: no database (the services check that ids exist and apply accepted values).
import type { EventType, Likelihood, ShipmentCategory, ShipmentStatus } from '../generated/prisma/enums';
import { ValidationError } from './errors';
import { checkId } from './ids';
import { spanEdtf } from './dateSpan';
import { formatQuantity, parseQuantity, QuantityError } from './quantity';
import { FIELD_LIMITS, textProblem } from './text';
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

/** What the deprecated `Claim.likelihood` answers for a claim without estimative language: flat assertions were recorded as ALMOST_CERTAIN before `statedLikelihood` existed. */
export const LEGACY_FLAT_LIKELIHOOD: Likelihood = 'ALMOST_CERTAIN';

/**
 * The likelihood a claim input states: `statedLikelihood` (null: the words carry no estimative
 * language) or the deprecated `likelihood`, exactly one of them on create; on update, undefined
 * when neither is given (unchanged). `statedLikelihood` counts as given when present, even null.
 */
export function statedLikelihoodOf(
  input: { statedLikelihood?: Likelihood | null; likelihood?: Likelihood | null },
  required: boolean,
  path = 'input',
): Likelihood | null | undefined {
  const stated = Object.hasOwn(input, 'statedLikelihood') && input.statedLikelihood !== undefined;
  const legacy = input.likelihood != null;
  if (stated && legacy) throw new ValidationError(`${path}.likelihood`, 'give statedLikelihood or the deprecated likelihood, not both');
  if (stated) return input.statedLikelihood ?? null;
  if (legacy) return input.likelihood;
  if (required) {
    throw new ValidationError(
      `${path}.statedLikelihood`,
      'a claim needs statedLikelihood: its ICD 203 band, or null when the words carry no estimative language',
    );
  }
  return undefined;
}

type ValueType = 'text' | 'quantity' | 'span' | 'actor' | readonly string[];

// The values of the enum fields a claim may be about. Typed by the schema's enums, so the compiler
// refuses a missing or an extra one; the domain needs no generated code at run time.
const EVENT_TYPES: Record<EventType, true> = {
  MEETING: true,
  VISIT: true,
  STATEMENT: true,
  ACCUSATION: true,
  SANCTION: true,
  TRANSFER_REPORT: true,
  OBSERVATION: true,
  BATTLEFIELD_FINDING: true,
  AGREEMENT: true,
  OTHER: true,
};
const SHIPMENT_CATEGORIES: Record<ShipmentCategory, true> = {
  ARTILLERY_AMMUNITION: true,
  MLRS_AMMUNITION: true,
  MISSILES: true,
  SMALL_ARMS: true,
  VEHICLES: true,
  MILITARY_EQUIPMENT: true,
  AIRCRAFT: true,
  UNMANNED_AIRCRAFT: true,
  AIR_DEFENCE_SYSTEMS: true,
  ANTI_SUBMARINE_WARFARE: true,
  ARMOURED_VEHICLES: true,
  ARTILLERY: true,
  MULTIPLE_ROCKET_LAUNCHERS: true,
  ENGINES: true,
  LOITERING_MUNITIONS: true,
  NAVAL_WEAPONS: true,
  SATELLITES: true,
  SENSORS: true,
  SHIPS: true,
  OTHER_MAJOR_ARMS: true,
  FOOD: true,
  FUEL: true,
  OTHER: true,
};
const SHIPMENT_STATUSES: Record<ShipmentStatus, true> = { PLANNED: true, REPORTED: true, CONFIRMED: true, DENIED: true };

interface FieldSpec {
  type: ValueType;
  /** The update input (UpdateEventInput / UpdateShipmentInput) that accepting a value makes. */
  patch: (value: string) => Record<string, unknown>;
}

const text = (key: string): FieldSpec => ({ type: 'text', patch: (v) => ({ [key]: v }) });
const oneOf = (key: string, values: Record<string, true>): FieldSpec => ({ type: Object.keys(values), patch: (v) => ({ [key]: v }) });
const span = (key: string): FieldSpec => ({ type: 'span', patch: (v) => ({ [key]: { edtf: v } }) });
const actor = (key: string): FieldSpec => ({ type: 'actor', patch: (v) => ({ [key]: v }) });

/** The fields a claim may be about, by their GraphQL names (also a CHECK in the migration). */
export const CLAIM_FIELDS: Record<ClaimSubjectKind, Record<string, FieldSpec>> = {
  event: {
    type: oneOf('type', EVENT_TYPES),
    title: text('title'),
    description: text('description'),
    date: span('date'),
  },
  shipment: {
    supplier: actor('supplierId'),
    recipient: actor('recipientId'),
    category: oneOf('category', SHIPMENT_CATEGORIES),
    description: text('description'),
    // Accepting a claim "about 500" makes the shipment's quantity about 500 (quantity.ts).
    quantity: { type: 'quantity', patch: (v) => ({ quantityText: v }) },
    unit: text('unit'),
    deliverySpan: span('deliverySpan'),
    status: oneOf('status', SHIPMENT_STATUSES),
    route: text('route'),
  },
};

/** Every field name of any kind of subject (for filters that do not know the subject's kind). */
export const ANY_CLAIM_FIELD: ReadonlySet<string> = new Set(Object.values(CLAIM_FIELDS).flatMap((f) => Object.keys(f)));

/** The spec of a field of `kind`, or undefined: own properties only ("constructor", "__proto__" are not fields). */
function fieldSpec(kind: ClaimSubjectKind, name: string): FieldSpec | undefined {
  return Object.hasOwn(CLAIM_FIELDS[kind], name) ? CLAIM_FIELDS[kind][name] : undefined;
}

export function checkClaimField(kind: ClaimSubjectKind, field: string | null | undefined, path: string): string | null {
  if (field === null || field === undefined) return null;
  const name = field.trim();
  if (!fieldSpec(kind, name)) {
    throw new ValidationError(
      path,
      `a claim about ${kind === 'event' ? 'an event' : 'a shipment'} is about the record as a whole (no field) or one of ${Object.keys(CLAIM_FIELDS[kind]).join(', ')} (got "${field}")`,
    );
  }
  return name;
}

/**
 * The claimed value in canonical text: a quantity as formatQuantity writes it ("1000",
 * "about 500", "≥ 1000", "300–500"), an enum value in upper case, a lowercased id, an EDTF
 * span in its canonical form (`?2023-11-05` is `2023?-11-05`), text trimmed. A claim about the record as a whole may carry what
 * is claimed in words, or nothing.
 */
export function canonicalClaimValue(kind: ClaimSubjectKind, field: string | null, value: string | null | undefined, path: string): string | null {
  const v = value?.trim() ?? '';
  const problem = textProblem(v, FIELD_LIMITS.claimValue);
  if (problem) throw new ValidationError(path, `${path} ${problem}`);
  if (field === null) return v === '' ? null : v;
  if (v === '') throw new ValidationError(path, `a claim about ${field} needs a value`);
  const spec = fieldSpec(kind, field);
  if (!spec) throw new ValidationError(path, `"${field}" is not a field of ${kind === 'event' ? 'an event' : 'a shipment'}`);
  const type = spec.type;
  if (type === 'quantity') {
    try {
      return formatQuantity(parseQuantity(v));
    } catch (err) {
      if (err instanceof QuantityError) throw new ValidationError(path, `${field}: ${err.message}`);
      throw err;
    }
  }
  if (type === 'actor') return checkId(v, path);
  if (type === 'span') {
    try {
      return spanEdtf(parseSpan({ edtf: v }, path));
    } catch (err) {
      // The value is one argument: point at it, not at a sub-field of a span input.
      if (err instanceof ValidationError) throw new ValidationError(path, err.message);
      throw err;
    }
  }
  if (Array.isArray(type)) {
    const upper = v.toUpperCase();
    if (!type.includes(upper)) throw new ValidationError(path, `${field} is one of ${type.join(', ')} (got "${v}")`);
    return upper;
  }
  return v;
}

/** Whether a claim about `field` of `kind` names an actor as its value. */
export function claimNamesActor(kind: ClaimSubjectKind, field: string): boolean {
  return fieldSpec(kind, field)?.type === 'actor';
}

/** What accepting a claim writes to its record, as that record's update input. */
export function claimPatch(kind: ClaimSubjectKind, field: string, value: string): Record<string, unknown> {
  const spec = fieldSpec(kind, field);
  if (!spec) throw new ValidationError('field', `"${field}" is not a field of ${kind === 'event' ? 'an event' : 'a shipment'}`);
  return spec.patch(value);
}
