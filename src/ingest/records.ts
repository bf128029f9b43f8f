// Import records: the shape of one record of an import file (NDJSON line, JSON array element,
// CSV row after unflattening) and its validation into the rows the bulk loader stages.
// Pure: no database. Checks that need the database (does this actor exist? is this alias
// taken? is this external id used twice in the file?) are made in SQL by src/db/queries/ingest.ts.
//
// Every record has `kind` (actor, event, shipment, source, citation, affiliation), `externalId`
// (its id in its dataset) and optionally `dataset` (default: the import's dataset) and `id`
// (a UUID, used when the record is created: exports carry it so that a round trip keeps ids).
import {
  ActorKind,
  AffiliationRole,
  Confidence,
  EventType,
  EvidenceType,
  Likelihood,
  ParticipantRole,
  Reliability,
  ShipmentCategory,
  ShipmentStatus,
} from '../generated/prisma/enums';
import { DateSpanError, hasOpenEnd, isValidDate, parseEdtf, spanFromInput, type DateSpan, type DatePrecision } from '../domain/dateSpan';
import { canonicalClaimValue, checkClaimField } from '../domain/claims';
import { ValidationError } from '../domain/errors';
import { isId } from '../domain/ids';
import {
  QUANTITY_QUALIFIERS,
  QuantityError,
  quantityFromInput,
  quantityProblem,
  renameQuantityFields,
  type Quantity,
  type QuantityQualifier,
} from '../domain/quantity';
import { FIELD_LIMITS, textProblem, urlProblem, type LimitedField } from '../domain/text';
import type { z } from 'zod';
import {
  calendarDayProblem,
  countryProblem,
  credibility,
  latitude,
  longitude,
  QUANTITY_NEEDS_UNIT,
  reconcilePublication,
  SAME_PARTIES,
  schemaProblem,
  SELF_AFFILIATION,
  spanTextProblem,
  subjectCountProblem,
} from '../domain/validation';
import { KINDS, type Kind, type Slot, type StagedRef, type TargetKind } from '../db/staging';

export { KINDS, type Kind };

export interface Issue {
  field: string;
  reason: string;
}

/** A reference to another record: by external id (in `dataset`), or, for actors, by name or alias. */
export interface Ref {
  dataset: string | null;
  externalId: string | null;
  name: string | null;
  /** Actors by name: the kind to create them with (--create-missing-actors), if not the default. */
  kind?: string | null;
  /** Actors by name: a state's ISO 3166-1 alpha-3 code (a STATE is also found by it). */
  country?: string | null;
  /** Actors by name: other names the dataset gives the actor, added to its aliases. */
  aliases?: string[] | null;
}

/** A valid record: `row` holds the staging table's columns (snake_case), `refs` what it points at. */
export interface NormalizedRecord {
  kind: Kind;
  dataset: string;
  externalId: string;
  row: Record<string, unknown>;
  refs: StagedRef[];
}

export type NormalizeResult =
  { ok: true; record: NormalizedRecord } | { ok: false; kind: Kind | null; dataset: string | null; externalId: string | null; issues: Issue[] };

const set = (o: Record<string, string>) => new Set(Object.values(o));
const ENUMS = {
  actorKind: set(ActorKind),
  affiliationRole: set(AffiliationRole),
  confidence: set(Confidence),
  eventType: set(EventType),
  evidenceType: set(EvidenceType),
  likelihood: set(Likelihood),
  participantRole: set(ParticipantRole),
  reliability: set(Reliability),
  category: set(ShipmentCategory),
  status: set(ShipmentStatus),
  quantityQualifier: new Set<string>(QUANTITY_QUALIFIERS),
};

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;
const YEAR_RE = /^\d{4}$/;
/** Not EDTF (which writes quarters 2023-33 … 2023-36), but what people write. */
const QUARTER_RE = /^(\d{4})-Q([1-4])$/i;

/**
 * The limit (src/domain/text.ts) of a record's text field, by its path or its last part
 * ("participants[0].actor.name" is a name): the same limits as the API's.
 */
const LIMIT_OF: Record<string, LimitedField> = {
  name: 'name',
  description: 'description',
  title: 'title',
  publisher: 'publisher',
  url: 'url',
  excerpt: 'excerpt',
  'location.name': 'locationName',
  unit: 'unit',
  route: 'route',
  dataset: 'dataset',
  externalId: 'externalId',
};
/** Limits by field path, as found (a file names the same few dozen paths on every record). */
const limits = new Map<string, number | undefined>();
function limitOf(field: string): number | undefined {
  if (limits.has(field)) return limits.get(field);
  const key = Object.hasOwn(LIMIT_OF, field) ? field : field.slice(field.lastIndexOf('.') + 1).replace(/\[\d+\]$/, '');
  const limit = Object.hasOwn(LIMIT_OF, key) ? FIELD_LIMITS[LIMIT_OF[key]] : undefined;
  // Paths with an index (aliases[12]) are many in a long list: kept only while the map is small.
  if (limits.size < 10_000) limits.set(field, limit);
  return limit;
}

/** Collects every issue of one record instead of stopping at the first. */
class Checker {
  readonly issues: Issue[] = [];
  constructor(private readonly rec: Record<string, unknown>) {}

  fail(field: string, reason: string): null {
    this.issues.push({ field, reason });
    return null;
  }

  /**
   * Optional text: null/undefined/blank → null. Text the database cannot store (NUL, lone
   * surrogates, bytes that were not UTF-8) and text over the field's limit are refused.
   */
  text(field: string, value: unknown = this.rec[field], max = limitOf(field)): string | null {
    if (value === undefined || value === null) return null;
    if (typeof value === 'number') value = String(value);
    if (typeof value !== 'string') return this.fail(field, `must be a string (got ${typeName(value)})`);
    const t = value.trim();
    const problem = textProblem(t, max);
    if (problem) return this.fail(field, problem);
    return t === '' ? null : t;
  }

  required(field: string, value: unknown = this.rec[field], max = limitOf(field)): string | null {
    const before = this.issues.length;
    const t = this.text(field, value, max);
    if (t === null && this.issues.length === before) return this.fail(field, 'is required');
    return t;
  }

  oneOf(field: string, values: Set<string>, opts: { required?: boolean; fallback?: string } = {}, value: unknown = this.rec[field]): string | null {
    const t = opts.required ? this.required(field, value) : this.text(field, value);
    if (t === null) return opts.fallback ?? null;
    const upper = t.toUpperCase();
    if (!values.has(upper)) return this.fail(field, `"${t}" is not one of ${[...values].join(', ')}`);
    return upper;
  }

  /** A number (also as CSV text) that meets `rule`, a field schema of the API's (src/domain/validation.ts), when given. */
  number(field: string, value: unknown = this.rec[field], rule?: z.ZodType): number | null {
    if (value === undefined || value === null || value === '') return null;
    let n: number;
    if (typeof value === 'number') n = value;
    else if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value.trim()))) n = Number(value.trim());
    else return this.fail(field, `must be a number (got ${JSON.stringify(value)})`);
    if (!Number.isFinite(n)) return this.fail(field, `must be a finite number (got ${n})`);
    const problem = rule && schemaProblem(rule, n);
    return problem ? this.fail(field, problem) : n;
  }

  /** true/false, also as CSV text; absent → `fallback`. */
  boolean(field: string, value: unknown, fallback: boolean): boolean {
    if (value === undefined || value === null || value === '') return fallback;
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
    this.fail(field, `must be true or false (got ${JSON.stringify(value)})`);
    return fallback;
  }

  country(field: string, value: unknown): string | null {
    const t = this.text(field, value);
    if (t === null) return null;
    const upper = t.toUpperCase();
    const problem = countryProblem(upper);
    return problem ? this.fail(field, problem) : upper;
  }

  date(field: string, value: unknown): string | null {
    const t = this.text(field, value);
    if (t === null) return null;
    const problem = calendarDayProblem(t);
    return problem ? this.fail(field, problem) : t;
  }

  /**
   * A span: an EDTF string, or an object { edtf?, start?, end?, precision?, text? }. An
   * export writes both the EDTF and the bounds of a span the bounds cannot say all of: given
   * together, the bounds must be the EDTF's (a hand-edited bound is an error, not ignored).
   */
  span(field: string, value: unknown, required: boolean): DateSpan | null {
    if (value === undefined || value === null || value === '') return required ? this.fail(field, 'is required') : null;
    try {
      if (typeof value === 'string') return fastSpan(value);
      if (typeof value === 'object' && !Array.isArray(value)) {
        const v = value as Record<string, unknown>;
        const str = (k: string) => {
          const x = v[k];
          if (x === undefined || x === null || x === '') return null;
          if (typeof x !== 'string') throw new DateSpanError(k, `${k} must be a string`);
          return x.trim();
        };
        const text = str('text');
        const textIssue = spanTextProblem(text);
        if (textIssue) throw new DateSpanError('text', `text ${textIssue}`);
        const edtf = str('edtf');
        const precision = (str('precision')?.toUpperCase() ?? null) as DatePrecision | null;
        const bounds = { start: str('start'), end: str('end'), precision };
        if (edtf !== null) {
          const span = { ...fastSpan(edtf), text };
          for (const k of ['start', 'end', 'precision'] as const) {
            if (bounds[k] !== null && bounds[k] !== span[k]) {
              throw new DateSpanError(k, `${k} ${bounds[k]} is not the EDTF's: "${edtf}" is ${span.start}..${span.end} ${span.precision}`);
            }
          }
          return span;
        }
        return spanFromInput({ ...bounds, text });
      }
      return this.fail(field, `must be an EDTF string or an object { edtf, start, end, precision, text } (got ${typeName(value)})`);
    } catch (err) {
      if (err instanceof DateSpanError) {
        const sub = typeof value === 'string' || err.field === 'edtf' ? '' : `.${err.field}`;
        return this.fail(field + sub, err.message);
      }
      throw err;
    }
  }

  /**
   * A shipment's quantity (src/domain/quantity.ts): quantity (the best value; alone, EXACT, as
   * in files written before qualifiers existed), quantityLow, quantityHigh, quantityQualifier,
   * or quantityText instead of them. Null: unknown.
   */
  quantity(name = 'quantity'): Quantity | null {
    const before = this.issues.length;
    // Their range (not negative, at most MAX_QUANTITY) is the domain's, with its messages.
    const number = (k: string) => {
      if (this.rec[k] === undefined) return undefined;
      const n = this.number(k, this.rec[k]);
      const problem = n === null ? undefined : quantityProblem(n);
      return problem ? this.fail(k, problem) : n;
    };
    const q = `${name}Qualifier`;
    const t = `${name}Text`;
    const input = {
      quantity: number(name),
      quantityLow: number(`${name}Low`),
      quantityHigh: number(`${name}High`),
      quantityQualifier: this.rec[q] === undefined ? undefined : (this.oneOf(q, ENUMS.quantityQualifier, {}, this.rec[q]) as QuantityQualifier | null),
      quantityText: this.rec[t] === undefined ? undefined : this.text(t, this.rec[t]),
    };
    if (this.issues.length > before) return null;
    try {
      return quantityFromInput(input) ?? null;
    } catch (err) {
      // The domain names the shipment's fields (quantityLow …): the same suffix on this one.
      if (err instanceof QuantityError) return this.fail(renameQuantityFields(err.field, name), renameQuantityFields(err.message, name));
      throw err;
    }
  }

  /** The dataset's own fields: a JSON object (in CSV, its JSON text); absent → null. */
  datasetFields(): Record<string, unknown> | null {
    let v = this.rec.datasetFields;
    if (v === undefined || v === null || v === '') return null;
    if (typeof v === 'string') {
      try {
        v = JSON.parse(v);
      } catch {
        return this.fail('datasetFields', 'must be a JSON object');
      }
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return this.fail('datasetFields', `must be an object (got ${typeName(v)})`);
    const problem = jsonTextProblem(v, 'datasetFields');
    if (problem) return this.fail(problem.field, problem.reason);
    return v as Record<string, unknown>;
  }

  /** An actor: "name or alias", { name }, or { externalId, dataset? }. */
  ref(field: string, value: unknown, dataset: string, target: TargetKind): Ref | null {
    if (value === undefined || value === null || value === '') return this.fail(field, 'is required');
    if (typeof value === 'string') {
      const t = this.required(field, value, FIELD_LIMITS[target === 'actor' ? 'name' : 'externalId']);
      if (t === null) return null;
      return target === 'actor' ? { dataset: null, externalId: null, name: t } : { dataset, externalId: t, name: null };
    }
    if (typeof value === 'object' && !Array.isArray(value)) {
      const v = value as Record<string, unknown>;
      const externalId = this.text(`${field}.externalId`, v.externalId);
      const name = target === 'actor' ? this.text(`${field}.name`, v.name) : null;
      const ds = this.text(`${field}.dataset`, v.dataset) ?? dataset;
      if (externalId !== null) return { dataset: ds, externalId, name: null };
      if (name !== null) {
        const aliases: string[] = [];
        for (const [i, a] of this.array(`${field}.aliases`, v.aliases).entries()) {
          const t = this.required(`${field}.aliases[${i}]`, a);
          if (t !== null && t.toLowerCase() !== name.toLowerCase() && !aliases.some((x) => x.toLowerCase() === t.toLowerCase())) aliases.push(t);
        }
        return {
          dataset: null,
          externalId: null,
          name,
          kind: this.oneOf(`${field}.actorKind`, ENUMS.actorKind, {}, v.actorKind),
          country: this.country(`${field}.countryCode`, v.countryCode),
          aliases,
        };
      }
      return this.fail(field, target === 'actor' ? 'needs a name or an externalId' : 'needs an externalId');
    }
    return this.fail(field, `must be ${target === 'actor' ? 'a name, ' : 'an externalId, '}or an object with externalId (got ${typeName(value)})`);
  }

  array(field: string, value: unknown): unknown[] {
    if (value === undefined || value === null || value === '') return [];
    if (typeof value === 'string') {
      // CSV cells hold arrays as JSON.
      try {
        const parsed: unknown = JSON.parse(value);
        if (Array.isArray(parsed)) return parsed;
      } catch {
        /* reported below */
      }
      this.fail(field, 'must be a JSON array');
      return [];
    }
    if (!Array.isArray(value)) {
      this.fail(field, `must be an array (got ${typeName(value)})`);
      return [];
    }
    return value;
  }
}

/**
 * The first key or text in a JSON value (datasetFields) that cannot be stored: jsonb takes no NUL
 * and no lone surrogate, and the text rules and limits are every field's (src/domain/text.ts).
 */
function jsonTextProblem(v: unknown, path: string): Issue | undefined {
  if (typeof v === 'string') {
    const reason = textProblem(v, FIELD_LIMITS.datasetFieldValue);
    return reason ? { field: path, reason } : undefined;
  }
  if (v === null || typeof v !== 'object') return undefined;
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) {
      const problem = jsonTextProblem(x, `${path}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  }
  for (const [k, x] of Object.entries(v)) {
    const reason = textProblem(k, FIELD_LIMITS.datasetFieldName);
    if (reason) return { field: path, reason: `a key ${reason}` };
    const problem = jsonTextProblem(x, `${path}.${k}`);
    if (problem) return problem;
  }
  return undefined;
}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

/** An approximate year, month or day ("2023~", "2023-09~", "2023-09-13~"). */
const APPROXIMATE_RE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?~$/;
/** Two days, one or both approximate ("2023-09-10~/2023-09-16~": ACLED's weeks). */
const APPROXIMATE_DAYS_RE = /^(\d{4}-\d{2}-\d{2})(~?)\/(\d{4}-\d{2}-\d{2})(~?)$/;

/**
 * EDTF with a fast path for the common plain forms and the approximate ones datasets write by the
 * thousand (same results as parseEdtf: test/ingest/records.test.ts compares them), plus "2023-Q4".
 */
export function fastSpan(input: string): DateSpan {
  const s = input.trim();
  const approx = APPROXIMATE_RE.exec(s);
  if (approx && approx[1] !== '0000') {
    const [, y, m, d] = approx;
    if (d && isValidDate(`${y}-${m}-${d}`)) return { start: `${y}-${m}-${d}`, end: `${y}-${m}-${d}`, precision: 'DAY', text: null, edtf: s };
    if (!d && m && Number(m) >= 1 && Number(m) <= 12) return { ...spanFromInput({ start: `${y}-${m}-01`, precision: 'MONTH' }), edtf: s };
    if (!m) return { ...spanFromInput({ start: `${y}-01-01`, precision: 'YEAR' }), edtf: s };
  }
  const days = APPROXIMATE_DAYS_RE.exec(s);
  if (days && (days[2] || days[4]) && isValidDate(days[1]) && isValidDate(days[3]) && days[1] < days[3] && !days[1].startsWith('0000')) {
    return { start: days[1], end: days[3], precision: 'RANGE', text: null, edtf: s };
  }
  if (DAY_RE.test(s) && isValidDate(s)) return { start: s, end: s, precision: 'DAY', text: null, edtf: null };
  const m = MONTH_RE.exec(s);
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) return spanFromInput({ start: `${s}-01`, precision: 'MONTH' });
  const q = QUARTER_RE.exec(s);
  if (q) return spanFromInput({ start: `${q[1]}-${String((Number(q[2]) - 1) * 3 + 1).padStart(2, '0')}-01`, precision: 'QUARTER' });
  if (YEAR_RE.test(s) && s !== '0000') return spanFromInput({ start: `${s}-01-01`, precision: 'YEAR' });
  const slash = s.indexOf('/');
  if (slash > 0) {
    const a = s.slice(0, slash);
    const b = s.slice(slash + 1);
    if (DAY_RE.test(a) && DAY_RE.test(b) && isValidDate(a) && isValidDate(b) && a <= b) return { start: a, end: b, precision: 'RANGE', text: null, edtf: null };
  }
  // Qualifiers, open and unknown ends, seasons …: the library.
  return parseEdtf(s);
}

function spanColumns(prefix: string, span: DateSpan | null): Record<string, unknown> {
  return {
    [`${prefix}_start`]: span?.start ?? null,
    [`${prefix}_end`]: span?.end ?? null,
    [`${prefix}_precision`]: span?.precision ?? null,
    [`${prefix}_text`]: span?.text ?? null,
    [`${prefix}_edtf`]: span?.edtf ?? null,
  };
}

function fatalityColumns(q: Quantity | null): Record<string, unknown> {
  return { fatalities: q?.best ?? null, fatalities_low: q?.low ?? null, fatalities_high: q?.high ?? null, fatalities_qualifier: q?.qualifier ?? null };
}

function refColumns(field: string, slot: Slot, target: TargetKind, ref: Ref, role: string | null = null): StagedRef {
  return {
    field,
    slot,
    role,
    target_kind: target,
    ref_dataset: ref.dataset,
    ref_external_id: ref.externalId,
    ref_name: ref.name,
    ref_kind: ref.kind ?? null,
    ref_country: ref.country ?? null,
    ref_aliases: ref.aliases?.length ? ref.aliases : null,
  };
}

/** What a kind's validator is given: the record, its checker, its dataset, and the references it collects. */
interface RecordContext {
  rec: Record<string, unknown>;
  c: Checker;
  dataset: string;
  refs: StagedRef[];
}

/** Whether a record gives `key` (not absent, null or empty). */
const given = (rec: Record<string, unknown>, key: string) => rec[key] !== undefined && rec[key] !== null && rec[key] !== '';

/** Adds the reference in `field` (if the record gives one and it can be read) to the staged refs. */
function addRef({ rec, c, dataset, refs }: RecordContext, field: string, slot: Slot, target: TargetKind): Ref | null {
  const ref = c.ref(field, rec[field], dataset, target);
  if (ref) refs.push(refColumns(field, slot, target, ref));
  return ref;
}

/** The one subject (among `kinds`) that a citation or a claim points at, staged; null when it gives none or several. */
function addSubject(x: RecordContext, record: 'citation' | 'claim', kinds: readonly ('event' | 'shipment' | 'affiliation')[]): (typeof kinds)[number] | null {
  const subjects = kinds.filter((k) => given(x.rec, k));
  if (subjects.length !== 1) {
    x.c.fail(subjects[1] ?? 'event', subjectCountProblem(record, kinds));
    return null;
  }
  addRef(x, subjects[0], 'subject', subjects[0]);
  return subjects[0];
}

function actorRecord({ rec, c }: RecordContext): Record<string, unknown> {
  const name = c.required('name');
  const aliases: string[] = [];
  const seen = new Set<string>();
  for (const [i, a] of [name, ...c.array('aliases', rec.aliases)].entries()) {
    const t = i === 0 ? (a as string | null) : c.required(`aliases[${i - 1}]`, a);
    if (t !== null && !seen.has(t.toLowerCase())) {
      seen.add(t.toLowerCase());
      aliases.push(t);
    }
  }
  return {
    name,
    kind: c.oneOf('actorKind', ENUMS.actorKind, { required: true }),
    country_code: c.country('countryCode', rec.countryCode),
    description: c.text('description'),
    aliases,
  };
}

function sourceRecord(x: RecordContext): Record<string, unknown> {
  const { rec, c } = x;
  // `published` (a span) or, in files written before it existed, `publishedAt` (a day).
  const day = c.date('publishedAt', rec.publishedAt);
  const span = given(rec, 'published') ? c.span('published', rec.published, false) : undefined;
  let published: DateSpan | null = null;
  try {
    // A bad `published` is reported already; comparing the days would only repeat it.
    if (span !== null) published = reconcilePublication(day === null ? undefined : spanFromInput({ start: day }), span, 'publishedAt') ?? null;
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    c.fail(err.field, err.message);
  }
  const row = {
    publisher: c.required('publisher'),
    title: c.required('title'),
    url: c.text('url'),
    published_at: published?.start ?? null,
    published_end: published?.end ?? null,
    published_precision: published?.precision ?? null,
    published_text: published?.text ?? null,
    published_edtf: published?.edtf ?? null,
    reliability: c.oneOf('reliability', ENUMS.reliability, { fallback: 'F' }),
  };
  // The API's rule: http and https URLs only.
  const urlIssue = row.url === null ? undefined : urlProblem(row.url);
  if (urlIssue) c.fail('url', urlIssue);
  // A repeated or syndicated story: the source it repeats.
  if (given(rec, 'derivedFrom')) addRef(x, 'derivedFrom', 'origin', 'source');
  return row;
}

function eventRecord(x: RecordContext): Record<string, unknown> {
  const { rec, c, refs } = x;
  const loc = rec.location ?? {};
  const location = (typeof loc === 'object' && loc !== null && !Array.isArray(loc) ? loc : (c.fail('location', 'must be an object'), {})) as Record<
    string,
    unknown
  >;
  const row = {
    type: c.oneOf('type', ENUMS.eventType, { required: true }),
    title: c.required('title'),
    description: c.text('description'),
    ...spanColumns('span', c.span('date', rec.date, true)),
    location_name: c.text('location.name', location.name),
    location_country_code: c.country('location.countryCode', location.countryCode),
    latitude: c.number('location.latitude', location.latitude, latitude),
    longitude: c.number('location.longitude', location.longitude, longitude),
    confidence: c.oneOf('confidence', ENUMS.confidence, { required: true }),
    ...fatalityColumns(c.quantity('fatalities')),
    dataset_fields: c.datasetFields(),
  };
  for (const [i, p] of c.array('participants', rec.participants).entries()) {
    const f = `participants[${i}]`;
    if (p === null || typeof p !== 'object' || Array.isArray(p)) {
      c.fail(f, 'must be an object { actor, role }');
      continue;
    }
    const pp = p as Record<string, unknown>;
    const role = c.oneOf(`${f}.role`, ENUMS.participantRole, { fallback: 'PARTICIPANT' }, pp.role);
    const ref = c.ref(`${f}.actor`, pp.actor, x.dataset, 'actor');
    if (ref && role) refs.push(refColumns(`${f}.actor`, 'participant', 'actor', ref, role));
  }
  const keys = new Set(refs.map((r) => `${r.role}\u0000${r.ref_dataset}\u0000${r.ref_external_id}\u0000${r.ref_name?.toLowerCase()}`));
  if (keys.size !== refs.length) c.fail('participants', 'lists the same actor in the same role twice');
  return row;
}

function shipmentRecord(x: RecordContext): Record<string, unknown> {
  const { rec, c, refs } = x;
  const quantity = c.quantity();
  const unit = c.text('unit');
  if (quantity !== null && unit === null) c.fail('unit', QUANTITY_NEEDS_UNIT);
  const delivery = c.span('delivery', rec.delivery, true);
  const row = {
    category: c.oneOf('category', ENUMS.category, { required: true }),
    description: c.text('description'),
    quantity: quantity?.best ?? null,
    quantity_low: quantity?.low ?? null,
    quantity_high: quantity?.high ?? null,
    quantity_qualifier: quantity?.qualifier ?? null,
    unit,
    ...spanColumns('delivery', delivery),
    delivery_open: delivery ? hasOpenEnd(delivery) : false,
    status: c.oneOf('status', ENUMS.status, { required: true }),
    route: c.text('route'),
    confidence: c.oneOf('confidence', ENUMS.confidence, { required: true }),
    dataset_fields: c.datasetFields(),
  };
  const supplier = addRef(x, 'supplier', 'supplier', 'actor');
  const recipient = addRef(x, 'recipient', 'recipient', 'actor');
  if (supplier && recipient && sameRef(supplier, recipient)) c.fail('recipient', SAME_PARTIES);
  const seen = new Set<string>();
  for (const [i, e] of c.array('events', rec.events).entries()) {
    const ref = c.ref(`events[${i}]`, e, x.dataset, 'event');
    if (!ref) continue;
    const key = `${ref.dataset}\u0000${ref.externalId}`;
    if (seen.has(key)) c.fail(`events[${i}]`, 'lists the same event twice');
    seen.add(key);
    refs.push(refColumns(`events[${i}]`, 'event', 'event', ref));
  }
  return row;
}

function affiliationRecord(x: RecordContext): Record<string, unknown> {
  const { rec, c } = x;
  const row = {
    role: c.oneOf('role', ENUMS.affiliationRole, { required: true }),
    title: c.text('title'),
    ...spanColumns('span', c.span('span', rec.span, false)),
    confidence: c.oneOf('confidence', ENUMS.confidence, { fallback: 'REPORTED' }),
  };
  const actor = addRef(x, 'actor', 'actor', 'actor');
  const target = addRef(x, 'target', 'target', 'actor');
  if (actor && target && sameRef(actor, target)) c.fail('target', SELF_AFFILIATION);
  return row;
}

function citationRecord(x: RecordContext): Record<string, unknown> {
  const { rec, c } = x;
  const row = {
    excerpt: c.required('excerpt'),
    credibility: c.number('credibility', rec.credibility, credibility) ?? 6,
    evidence_type: c.oneOf('evidenceType', ENUMS.evidenceType, { fallback: 'OTHER' }),
  };
  addRef(x, 'source', 'source', 'source');
  addSubject(x, 'citation', ['event', 'shipment', 'affiliation']);
  return row;
}

function claimRecord(x: RecordContext): Record<string, unknown> {
  const { rec, c } = x;
  addRef(x, 'claimant', 'claimant', 'actor');
  const subject = addSubject(x, 'claim', ['event', 'shipment']) as 'event' | 'shipment' | null;
  let field: string | null = null;
  let value: string | null = null;
  if (subject) {
    try {
      // The API's rules (src/domain/claims.ts): a field of the subject, a value of its type.
      field = checkClaimField(subject, c.text('field'), 'field');
      value = canonicalClaimValue(subject, field, c.text('value'), 'value');
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      c.fail(err.field, err.message);
    }
  }
  if (given(rec, 'citation')) addRef(x, 'citation', 'citation', 'citation');
  return {
    stated_on: c.date('statedOn', rec.statedOn),
    field,
    value,
    // Absent, null or empty: the claimant's words carry no estimative language (export leaves it out).
    likelihood: c.oneOf('likelihood', ENUMS.likelihood),
    confidence: c.oneOf('confidence', ENUMS.confidence, { fallback: 'REPORTED' }),
    accepted: c.boolean('accepted', rec.accepted, false),
  };
}

/** Each kind's validator: its staging row's columns; issues go to the checker, references to `refs`. */
const VALIDATORS: Record<Kind, (x: RecordContext) => Record<string, unknown>> = {
  actor: actorRecord,
  source: sourceRecord,
  event: eventRecord,
  shipment: shipmentRecord,
  affiliation: affiliationRecord,
  citation: citationRecord,
  claim: claimRecord,
};

/**
 * Validates one raw record. `defaultDataset` applies when the record names none.
 * Returns every issue found, each naming its field (e.g. "participants[1].role").
 */
export function normalizeRecord(raw: unknown, defaultDataset: string): NormalizeResult {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, kind: null, dataset: null, externalId: null, issues: [{ field: '(record)', reason: `must be a JSON object (got ${typeName(raw)})` }] };
  }
  const rec = raw as Record<string, unknown>;
  const c = new Checker(rec);
  const kindText = c.required('kind');
  const kind = kindText === null ? null : (kindText.toLowerCase() as Kind);
  if (kind !== null && !KINDS.includes(kind)) {
    c.fail('kind', `"${kindText}" is not one of ${KINDS.join(', ')}`);
    return { ok: false, kind: null, dataset: null, externalId: null, issues: c.issues };
  }
  const dataset = c.text('dataset') ?? defaultDataset;
  const externalId = c.required('externalId');
  let id: string | null = c.text('id');
  if (id !== null && !isId(id)) id = c.fail('id', `"${id}" is not a UUID`);
  if (kind === null) return { ok: false, kind, dataset, externalId, issues: c.issues };
  const refs: StagedRef[] = [];
  const row = VALIDATORS[kind]({ rec, c, dataset, refs });
  if (c.issues.length > 0 || externalId === null) return { ok: false, kind, dataset, externalId, issues: c.issues };
  return { ok: true, record: { kind, dataset, externalId, row: { id, dataset, external_id: externalId, ...row }, refs } };
}

function sameRef(a: Ref, b: Ref): boolean {
  if (a.name !== null && b.name !== null) return a.name.toLowerCase() === b.name.toLowerCase();
  return a.externalId !== null && a.externalId === b.externalId && a.dataset === b.dataset;
}
