// Converting date spans and quantities between the domain (calendar-date strings, Quantity) and
// the Prisma models (PostgreSQL `date` columns, which Prisma hands over as JS Dates at UTC
// midnight; quantity columns). Conversions go through UTC so no time zone shifts a day.
//
// A span read from a partial row (a page that did not select its EDTF) has `edtf` undefined:
// the bounds are right, and spanDetails refuses to describe it rather than call it plain.
import { dateToUtc, hasOpenEnd, utcToDate, type DatePrecision, type DateSpan } from './dateSpan';
import { formatQuantity, type Quantity, type QuantityQualifier } from './quantity';

// The columns read here, as Prisma's models hold them (structural, so the domain needs no generated code).
type Event = { spanStart: Date; spanEnd: Date; spanPrecision: DatePrecision; spanText: string | null } & EventFatalities;
type Affiliation = { spanStart: Date | null; spanEnd: Date | null; spanPrecision: DatePrecision | null; spanText: string | null };
type Shipment = {
  deliveryStart: Date;
  deliveryEnd: Date;
  deliveryPrecision: DatePrecision;
  deliveryText: string | null;
  quantity: number | null;
  quantityLow: number | null;
  quantityHigh: number | null;
  quantityQualifier: QuantityQualifier | null;
};
type Source = {
  publishedAt: Date | null;
  publishedEnd: Date | null;
  publishedPrecision: DatePrecision | null;
  publishedText: string | null;
  publishedEdtf: string | null;
};

export function eventSpanFields(span: DateSpan) {
  return {
    spanStart: dateToUtc(span.start),
    spanEnd: dateToUtc(span.end),
    spanPrecision: span.precision,
    spanText: span.text,
    spanEdtf: span.edtf ?? null,
  };
}

export function deliverySpanFields(span: DateSpan) {
  return {
    deliveryStart: dateToUtc(span.start),
    deliveryEnd: dateToUtc(span.end),
    deliveryPrecision: span.precision,
    deliveryText: span.text,
    deliveryEdtf: span.edtf ?? null,
    deliveryOpen: hasOpenEnd(span),
  };
}

/** A source's publication span (null: not known) as its columns. */
export function publishedSpanFields(span: DateSpan | null) {
  return {
    publishedAt: span ? dateToUtc(span.start) : null,
    publishedEnd: span ? dateToUtc(span.end) : null,
    publishedPrecision: span?.precision ?? null,
    publishedText: span?.text ?? null,
    publishedEdtf: span?.edtf ?? null,
  };
}

/** A span from its columns (bounds as UTC midnights). */
function spanOf(start: Date, end: Date, precision: DatePrecision, text: string | null, edtf: string | null | undefined): DateSpan {
  return { start: utcToDate(start), end: utcToDate(end), precision, text, edtf };
}

export function eventSpan(e: Pick<Event, 'spanStart' | 'spanEnd' | 'spanPrecision' | 'spanText'> & { spanEdtf?: string | null }): DateSpan {
  return spanOf(e.spanStart, e.spanEnd, e.spanPrecision, e.spanText, e.spanEdtf);
}

export function deliverySpan(
  s: Pick<Shipment, 'deliveryStart' | 'deliveryEnd' | 'deliveryPrecision' | 'deliveryText'> & { deliveryEdtf?: string | null },
): DateSpan {
  return spanOf(s.deliveryStart, s.deliveryEnd, s.deliveryPrecision, s.deliveryText, s.deliveryEdtf);
}

export function affiliationSpan(a: Pick<Affiliation, 'spanStart' | 'spanEnd' | 'spanPrecision' | 'spanText'> & { spanEdtf?: string | null }): DateSpan | null {
  if (!a.spanStart || !a.spanEnd || !a.spanPrecision) return null;
  return spanOf(a.spanStart, a.spanEnd, a.spanPrecision, a.spanText, a.spanEdtf);
}

/** A source's publication span, null when not known. */
export function publishedSpan(
  s: Pick<Source, 'publishedAt'> & Partial<Pick<Source, 'publishedEnd' | 'publishedPrecision' | 'publishedText' | 'publishedEdtf'>>,
): DateSpan | null {
  if (!s.publishedAt) return null;
  return spanOf(s.publishedAt, s.publishedEnd!, s.publishedPrecision as DatePrecision, s.publishedText ?? null, s.publishedEdtf);
}

/** A quantity (null: unknown) as a shipment's columns. */
export function quantityFields(q: Quantity | null) {
  return {
    quantity: q?.best ?? null,
    quantityLow: q?.low ?? null,
    quantityHigh: q?.high ?? null,
    quantityQualifier: (q?.qualifier ?? null) as QuantityQualifier | null,
  };
}

/** A shipment's quantity, null when nothing is known of it. */
export function shipmentQuantity(s: Pick<Shipment, 'quantity' | 'quantityLow' | 'quantityHigh' | 'quantityQualifier'>): Quantity | null {
  if (s.quantityQualifier === null || s.quantityQualifier === undefined) return null;
  return { best: s.quantity, low: s.quantityLow, high: s.quantityHigh, qualifier: s.quantityQualifier };
}

/** A shipment's quantity as canonical text, null when unknown. */
export function quantityText(s: Pick<Shipment, 'quantity' | 'quantityLow' | 'quantityHigh' | 'quantityQualifier'>): string | null {
  const q = shipmentQuantity(s);
  return q ? formatQuantity(q) : null;
}

type EventFatalities = {
  fatalities: number | null;
  fatalitiesLow: number | null;
  fatalitiesHigh: number | null;
  fatalitiesQualifier: QuantityQualifier | null;
};

/** Fatalities (null: unknown) as an event's columns. */
export function fatalityFields(q: Quantity | null) {
  return {
    fatalities: q?.best ?? null,
    fatalitiesLow: q?.low ?? null,
    fatalitiesHigh: q?.high ?? null,
    fatalitiesQualifier: (q?.qualifier ?? null) as QuantityQualifier | null,
  };
}

/** An event's fatalities as canonical text, null when unknown. */
export function fatalitiesText(e: EventFatalities): string | null {
  if (e.fatalitiesQualifier === null || e.fatalitiesQualifier === undefined) return null;
  return formatQuantity({ best: e.fatalities, low: e.fatalitiesLow, high: e.fatalitiesHigh, qualifier: e.fatalitiesQualifier });
}
