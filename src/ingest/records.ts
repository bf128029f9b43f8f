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
import { DateSpanError, isValidDate, parseEdtf, spanFromInput, type DateSpan, type DatePrecision } from '../domain/dateSpan';
import { canonicalClaimValue, checkClaimField } from '../domain/claims';
import { ValidationError } from '../domain/errors';
import { isId } from '../domain/ids';

export const KINDS = ['actor', 'source', 'event', 'affiliation', 'shipment', 'citation', 'claim'] as const;
export type Kind = (typeof KINDS)[number];

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
}

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
  | { ok: true; record: NormalizedRecord }
  | { ok: false; kind: Kind | null; dataset: string | null; externalId: string | null; issues: Issue[] };

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
};

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;
const YEAR_RE = /^\d{4}$/;
/** Not EDTF (which writes quarters 2023-33 … 2023-36), but what people write. */
const QUARTER_RE = /^(\d{4})-Q([1-4])$/i;
const COUNTRY_RE = /^[A-Z]{3}$/;

/** Collects every issue of one record instead of stopping at the first. */
class Checker {
  readonly issues: Issue[] = [];
  constructor(private readonly rec: Record<string, unknown>) {}

  fail(field: string, reason: string): null {
    this.issues.push({ field, reason });
    return null;
  }

  /** Optional text: null/undefined/blank → null; NUL characters are refused (PostgreSQL cannot store them). */
  text(field: string, value: unknown = this.rec[field]): string | null {
    if (value === undefined || value === null) return null;
    if (typeof value === 'number') value = String(value);
    if (typeof value !== 'string') return this.fail(field, `must be a string (got ${typeName(value)})`);
    if (value.includes('\u0000')) return this.fail(field, 'must not contain a NUL character');
    const t = value.trim();
    return t === '' ? null : t;
  }

  required(field: string, value: unknown = this.rec[field]): string | null {
    const before = this.issues.length;
    const t = this.text(field, value);
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

  number(field: string, value: unknown = this.rec[field], opts: { min?: number; max?: number; integer?: boolean } = {}): number | null {
    if (value === undefined || value === null || value === '') return null;
    let n: number;
    if (typeof value === 'number') n = value;
    else if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value.trim()))) n = Number(value.trim());
    else return this.fail(field, `must be a number (got ${JSON.stringify(value)})`);
    if (!Number.isFinite(n)) return this.fail(field, `must be a finite number (got ${n})`);
    if (opts.integer && !Number.isInteger(n)) return this.fail(field, `must be a whole number (got ${n})`);
    if (opts.min !== undefined && n < opts.min) return this.fail(field, `must be at least ${opts.min} (got ${n})`);
    if (opts.max !== undefined && n > opts.max) return this.fail(field, `must be at most ${opts.max} (got ${n})`);
    return n;
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
    if (!COUNTRY_RE.test(upper)) return this.fail(field, `"${t}" is not an ISO 3166-1 alpha-3 code such as PRK`);
    return upper;
  }

  date(field: string, value: unknown): string | null {
    const t = this.text(field, value);
    if (t === null) return null;
    if (!isValidDate(t)) return this.fail(field, `"${t}" is not a valid YYYY-MM-DD date`);
    return t;
  }

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
        if (text?.includes('\u0000')) throw new DateSpanError('text', 'text must not contain a NUL character');
        const edtf = str('edtf');
        if (edtf !== null && str('start') === null && str('end') === null && str('precision') === null) return { ...fastSpan(edtf), text };
        const precision = str('precision');
        return spanFromInput({
          edtf,
          start: str('start'),
          end: str('end'),
          precision: (precision?.toUpperCase() ?? null) as DatePrecision | null,
          text,
        });
      }
      return this.fail(field, `must be an EDTF string or an object { start, end, precision, text } (got ${typeName(value)})`);
    } catch (err) {
      if (err instanceof DateSpanError) {
        const sub = typeof value === 'string' || err.field === 'edtf' ? '' : `.${err.field}`;
        return this.fail(field + sub, err.message);
      }
      throw err;
    }
  }

  /** An actor: "name or alias", { name }, or { externalId, dataset? }. */
  ref(field: string, value: unknown, dataset: string, target: TargetKind): Ref | null {
    if (value === undefined || value === null || value === '') return this.fail(field, 'is required');
    if (typeof value === 'string') {
      const t = this.required(field, value);
      if (t === null) return null;
      return target === 'actor' ? { dataset: null, externalId: null, name: t } : { dataset, externalId: t, name: null };
    }
    if (typeof value === 'object' && !Array.isArray(value)) {
      const v = value as Record<string, unknown>;
      const externalId = this.text(`${field}.externalId`, v.externalId);
      const name = target === 'actor' ? this.text(`${field}.name`, v.name) : null;
      const ds = this.text(`${field}.dataset`, v.dataset) ?? dataset;
      if (externalId !== null) return { dataset: ds, externalId, name: null };
      if (name !== null) return { dataset: null, externalId: null, name, kind: this.oneOf(`${field}.actorKind`, ENUMS.actorKind, {}, v.actorKind) };
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

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

/** EDTF with a fast path for the common plain forms (same results as parseEdtf), plus "2023-Q4". */
export function fastSpan(input: string): DateSpan {
  const t = input.trim();
  // A trailing qualifier (~ approximate, ? uncertain, % both) does not move the bounds.
  const s = t.length <= 11 && /[~?%]$/.test(t) ? t.slice(0, -1) : t;
  if (DAY_RE.test(s) && isValidDate(s)) return { start: s, end: s, precision: 'DAY', text: null };
  const m = MONTH_RE.exec(s);
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) return spanFromInput({ start: `${s}-01`, precision: 'MONTH' });
  const q = QUARTER_RE.exec(s);
  if (q) return spanFromInput({ start: `${q[1]}-${String((Number(q[2]) - 1) * 3 + 1).padStart(2, '0')}-01`, precision: 'QUARTER' });
  if (YEAR_RE.test(s) && s !== '0000') return spanFromInput({ start: `${s}-01-01`, precision: 'YEAR' });
  const slash = t.indexOf('/');
  if (slash > 0) {
    const a = t.slice(0, slash);
    const b = t.slice(slash + 1);
    if (DAY_RE.test(a) && DAY_RE.test(b) && isValidDate(a) && isValidDate(b) && a <= b) return { start: a, end: b, precision: 'RANGE', text: null };
  }
  return parseEdtf(t);
}

function spanColumns(prefix: string, span: DateSpan | null): Record<string, unknown> {
  return {
    [`${prefix}_start`]: span?.start ?? null,
    [`${prefix}_end`]: span?.end ?? null,
    [`${prefix}_precision`]: span?.precision ?? null,
    [`${prefix}_text`]: span?.text ?? null,
  };
}

function refColumns(field: string, slot: Slot, target: TargetKind, ref: Ref, role: string | null = null): StagedRef {
  return { field, slot, role, target_kind: target, ref_dataset: ref.dataset, ref_external_id: ref.externalId, ref_name: ref.name, ref_kind: ref.kind ?? null };
}

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
  let row: Record<string, unknown> = {};
  switch (kind) {
    case 'actor': {
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
      row = {
        name,
        kind: c.oneOf('actorKind', ENUMS.actorKind, { required: true }),
        country_code: c.country('countryCode', rec.countryCode),
        description: c.text('description'),
        aliases,
      };
      break;
    }
    case 'source': {
      row = {
        publisher: c.required('publisher'),
        title: c.required('title'),
        url: c.text('url'),
        published_at: c.date('publishedAt', rec.publishedAt),
        reliability: c.oneOf('reliability', ENUMS.reliability, { fallback: 'F' }),
      };
      if (row.url !== null && !/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(row.url as string)) c.fail('url', `"${String(row.url)}" is not a URL`);
      // A repeated or syndicated story: the source it repeats.
      if (rec.derivedFrom !== undefined && rec.derivedFrom !== null && rec.derivedFrom !== '') {
        const origin = c.ref('derivedFrom', rec.derivedFrom, dataset, 'source');
        if (origin) refs.push(refColumns('derivedFrom', 'origin', 'source', origin));
      }
      break;
    }
    case 'event': {
      const loc = rec.location ?? {};
      const location = (typeof loc === 'object' && loc !== null && !Array.isArray(loc) ? loc : (c.fail('location', 'must be an object'), {})) as Record<string, unknown>;
      row = {
        type: c.oneOf('type', ENUMS.eventType, { required: true }),
        title: c.required('title'),
        description: c.text('description'),
        ...spanColumns('span', c.span('date', rec.date, true)),
        location_name: c.text('location.name', location.name),
        location_country_code: c.country('location.countryCode', location.countryCode),
        latitude: c.number('location.latitude', location.latitude, { min: -90, max: 90 }),
        longitude: c.number('location.longitude', location.longitude, { min: -180, max: 180 }),
        confidence: c.oneOf('confidence', ENUMS.confidence, { required: true }),
      };
      for (const [i, p] of c.array('participants', rec.participants).entries()) {
        const f = `participants[${i}]`;
        if (p === null || typeof p !== 'object' || Array.isArray(p)) {
          c.fail(f, 'must be an object { actor, role }');
          continue;
        }
        const pp = p as Record<string, unknown>;
        const role = c.oneOf(`${f}.role`, ENUMS.participantRole, { fallback: 'PARTICIPANT' }, pp.role);
        const ref = c.ref(`${f}.actor`, pp.actor, dataset, 'actor');
        if (ref && role) refs.push(refColumns(`${f}.actor`, 'participant', 'actor', ref, role));
      }
      const keys = new Set(refs.map((r) => `${r.role}\u0000${r.ref_dataset}\u0000${r.ref_external_id}\u0000${r.ref_name?.toLowerCase()}`));
      if (keys.size !== refs.length) c.fail('participants', 'lists the same actor in the same role twice');
      break;
    }
    case 'shipment': {
      const quantity = c.number('quantity', rec.quantity, { min: 0 });
      const unit = c.text('unit');
      if (quantity !== null && unit === null) c.fail('unit', 'a quantity needs a unit ("containers", "rounds", "tonnes" …)');
      row = {
        category: c.oneOf('category', ENUMS.category, { required: true }),
        description: c.text('description'),
        quantity,
        unit,
        ...spanColumns('delivery', c.span('delivery', rec.delivery, true)),
        status: c.oneOf('status', ENUMS.status, { required: true }),
        route: c.text('route'),
        confidence: c.oneOf('confidence', ENUMS.confidence, { required: true }),
      };
      const supplier = c.ref('supplier', rec.supplier, dataset, 'actor');
      const recipient = c.ref('recipient', rec.recipient, dataset, 'actor');
      if (supplier) refs.push(refColumns('supplier', 'supplier', 'actor', supplier));
      if (recipient) refs.push(refColumns('recipient', 'recipient', 'actor', recipient));
      if (supplier && recipient && sameRef(supplier, recipient)) c.fail('recipient', 'supplier and recipient must be different actors');
      const seen = new Set<string>();
      for (const [i, e] of c.array('events', rec.events).entries()) {
        const ref = c.ref(`events[${i}]`, e, dataset, 'event');
        if (!ref) continue;
        const key = `${ref.dataset}\u0000${ref.externalId}`;
        if (seen.has(key)) c.fail(`events[${i}]`, 'lists the same event twice');
        seen.add(key);
        refs.push(refColumns(`events[${i}]`, 'event', 'event', ref));
      }
      break;
    }
    case 'affiliation': {
      row = {
        role: c.oneOf('role', ENUMS.affiliationRole, { required: true }),
        title: c.text('title'),
        ...spanColumns('span', c.span('span', rec.span, false)),
        confidence: c.oneOf('confidence', ENUMS.confidence, { fallback: 'REPORTED' }),
      };
      const actor = c.ref('actor', rec.actor, dataset, 'actor');
      const target = c.ref('target', rec.target, dataset, 'actor');
      if (actor) refs.push(refColumns('actor', 'actor', 'actor', actor));
      if (target) refs.push(refColumns('target', 'target', 'actor', target));
      if (actor && target && sameRef(actor, target)) c.fail('target', 'an actor cannot be affiliated with itself');
      break;
    }
    case 'citation': {
      row = {
        excerpt: c.required('excerpt'),
        credibility: c.number('credibility', rec.credibility, { min: 1, max: 6, integer: true }) ?? 6,
        evidence_type: c.oneOf('evidenceType', ENUMS.evidenceType, { fallback: 'OTHER' }),
      };
      const source = c.ref('source', rec.source, dataset, 'source');
      if (source) refs.push(refColumns('source', 'source', 'source', source));
      const subjects = (['event', 'shipment', 'affiliation'] as const).filter((k) => rec[k] !== undefined && rec[k] !== null && rec[k] !== '');
      if (subjects.length !== 1) {
        c.fail(subjects[1] ?? 'event', 'a citation supports exactly one of event, shipment, affiliation');
      } else {
        const ref = c.ref(subjects[0], rec[subjects[0]], dataset, subjects[0]);
        if (ref) refs.push(refColumns(subjects[0], 'subject', subjects[0], ref));
      }
      break;
    }
    case 'claim': {
      const claimant = c.ref('claimant', rec.claimant, dataset, 'actor');
      if (claimant) refs.push(refColumns('claimant', 'claimant', 'actor', claimant));
      const subjects = (['event', 'shipment'] as const).filter((k) => rec[k] !== undefined && rec[k] !== null && rec[k] !== '');
      let field: string | null = null;
      let value: string | null = null;
      if (subjects.length !== 1) {
        c.fail(subjects[1] ?? 'event', 'a claim is about exactly one of event, shipment');
      } else {
        const ref = c.ref(subjects[0], rec[subjects[0]], dataset, subjects[0]);
        if (ref) refs.push(refColumns(subjects[0], 'subject', subjects[0], ref));
        try {
          // The API's rules (src/domain/claims.ts): a field of the subject, a value of its type.
          field = checkClaimField(subjects[0], c.text('field'), 'field');
          value = canonicalClaimValue(subjects[0], field, c.text('value'), 'value');
        } catch (err) {
          if (!(err instanceof ValidationError)) throw err;
          c.fail(err.field, err.message);
        }
      }
      if (rec.citation !== undefined && rec.citation !== null && rec.citation !== '') {
        const citation = c.ref('citation', rec.citation, dataset, 'citation');
        if (citation) refs.push(refColumns('citation', 'citation', 'citation', citation));
      }
      row = {
        stated_on: c.date('statedOn', rec.statedOn),
        field,
        value,
        likelihood: c.oneOf('likelihood', ENUMS.likelihood, { required: true }),
        confidence: c.oneOf('confidence', ENUMS.confidence, { fallback: 'REPORTED' }),
        accepted: c.boolean('accepted', rec.accepted, false),
      };
      break;
    }
  }
  if (c.issues.length > 0 || externalId === null) return { ok: false, kind, dataset, externalId, issues: c.issues };
  return { ok: true, record: { kind, dataset, externalId, row: { id, dataset, external_id: externalId, ...row }, refs } };
}

function sameRef(a: Ref, b: Ref): boolean {
  if (a.name !== null && b.name !== null) return a.name.toLowerCase() === b.name.toLowerCase();
  return a.externalId !== null && a.externalId === b.externalId && a.dataset === b.dataset;
}
