// Converting date spans between the domain (calendar-date strings) and the
// Prisma models (PostgreSQL `date` columns, which Prisma hands over as JS Dates
// at UTC midnight). Conversions go through UTC so no time zone shifts a day.
import { dateToUtc, utcToDate, type DatePrecision, type DateSpan } from '../domain/dateSpan';
import type { Affiliation, Event, Shipment } from '../generated/prisma/client';

export function eventSpanFields(span: DateSpan) {
  return { spanStart: dateToUtc(span.start), spanEnd: dateToUtc(span.end), spanPrecision: span.precision, spanText: span.text };
}

export function deliverySpanFields(span: DateSpan) {
  return {
    deliveryStart: dateToUtc(span.start),
    deliveryEnd: dateToUtc(span.end),
    deliveryPrecision: span.precision,
    deliveryText: span.text,
  };
}

export function eventSpan(e: Pick<Event, 'spanStart' | 'spanEnd' | 'spanPrecision' | 'spanText'>): DateSpan {
  return { start: utcToDate(e.spanStart), end: utcToDate(e.spanEnd), precision: e.spanPrecision as DatePrecision, text: e.spanText };
}

export function deliverySpan(s: Pick<Shipment, 'deliveryStart' | 'deliveryEnd' | 'deliveryPrecision' | 'deliveryText'>): DateSpan {
  return {
    start: utcToDate(s.deliveryStart),
    end: utcToDate(s.deliveryEnd),
    precision: s.deliveryPrecision as DatePrecision,
    text: s.deliveryText,
  };
}

export function affiliationSpan(a: Pick<Affiliation, 'spanStart' | 'spanEnd' | 'spanPrecision' | 'spanText'>): DateSpan | null {
  if (!a.spanStart || !a.spanEnd || !a.spanPrecision) return null;
  return eventSpan({ spanStart: a.spanStart, spanEnd: a.spanEnd, spanPrecision: a.spanPrecision, spanText: a.spanText });
}
