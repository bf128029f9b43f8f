// Field resolvers of the object types: nested data is what the parent row brought along
// (src/db/models.ts), else it comes through the request's DataLoaders.
import { spanDetails, utcToDate, type DateSpan, type SpanDetails } from '../../domain/dateSpan';
import type { Resolvers } from '../../generated/graphql';
import { categoryGroup, type ShipmentCategory } from '../../domain/categories';
import { affiliationSpan, deliverySpan, eventSpan, fatalitiesText, publishedSpan, quantityText } from '../../domain/spans';
import { checkClaimField, LEGACY_FLAT_LIKELIHOOD, LIKELIHOOD_RANGE, type ClaimSubjectKind } from '../../domain/claims';
import { eventsConnection, shipmentsConnection } from '../../services/connections';
import { asOfOf } from '../../services/history';
import type { Claim } from '../../generated/prisma/client';

/** A record's claims, optionally only those about one field (a field the record has). */
async function aboutField(kind: ClaimSubjectKind, claims: Promise<Claim[]>, field: string | null | undefined): Promise<Claim[]> {
  const name = checkClaimField(kind, field, 'field');
  return name === null ? claims : (await claims).filter((c) => c.field === name);
}

/** A span's details, worked out once per span object however many of its fields are asked. */
const details = new WeakMap<DateSpan, SpanDetails>();
function detailsOf(span: DateSpan): SpanDetails {
  let d = details.get(span);
  if (!d) details.set(span, (d = spanDetails(span)));
  return d;
}

/** The referenced row must exist: foreign keys guarantee it, so a miss is a bug worth an error. */
async function required<T>(value: Promise<T | null>, what: string): Promise<T> {
  const row = await value;
  if (!row) throw new Error(`dangling reference: ${what}`);
  return row;
}

export const types: Resolvers = {
  Node: { __resolveType: () => null },
  // start, end, precision and text are the span's own fields; the rest come from its EDTF.
  DateSpan: {
    edtf: (s) => detailsOf(s).edtf,
    startDate: (s) => detailsOf(s).startDate,
    endDate: (s) => detailsOf(s).endDate,
    startBound: (s) => detailsOf(s).startBound,
    endBound: (s) => detailsOf(s).endBound,
    startQualifier: (s) => detailsOf(s).startQualifier,
    endQualifier: (s) => detailsOf(s).endQualifier,
    uncertain: (s) => detailsOf(s).uncertain,
    approximate: (s) => detailsOf(s).approximate,
  },
  Actor: {
    aliases: async (a, _, { loaders }) => (a.aliases ?? (await loaders.at(a).aliases.load(a.id))).map((al) => al.alias),
    affiliations: (a, _, { loaders }) => loaders.at(a).affiliationsOfActor.load(a.id),
    // An actor read as of an instant lists its events and shipments as of the same instant.
    events: (a, { first, after }, { db }) => eventsConnection(db, { actorIds: [a.id], asOf: asOfOf(a) }, { first, after }),
    shipmentsSupplied: (a, { first, after }, { db }) => shipmentsConnection(db, { supplierIds: [a.id], asOf: asOfOf(a) }, { first, after }),
    shipmentsReceived: (a, { first, after }, { db }) => shipmentsConnection(db, { recipientIds: [a.id], asOf: asOfOf(a) }, { first, after }),
  },
  Affiliation: {
    actor: (f, _, { loaders }) => f.actor ?? required(loaders.at(f).actor.load(f.actorId), `actor ${f.actorId}`),
    target: (f, _, { loaders }) => f.target ?? required(loaders.at(f).actor.load(f.targetId), `actor ${f.targetId}`),
    span: (f) => affiliationSpan(f),
    citations: (f, _, { loaders }) => loaders.at(f).affiliationCitations.load(f.id),
  },
  Event: {
    date: (e) => eventSpan(e),
    location: (e) => (e.locationName || e.locationCountryCode || e.latitude !== null || e.longitude !== null ? e : null),
    participants: (e, _, { loaders }) => e.participants ?? loaders.at(e).participants.load(e.id),
    citations: (e, _, { loaders }) => e.citations ?? loaders.at(e).eventCitations.load(e.id),
    shipments: async (e, _, { loaders }) => (await loaders.at(e).shipmentsOfEvent.load(e.id)).map((se) => se.shipment),
    claims: (e, { field }, { loaders }) => aboutField('event', loaders.at(e).eventClaims.load(e.id), field),
    sourceCount: (e, _, { loaders }) => loaders.at(e).eventSourceCount.load(e.id),
    fatalitiesText: (e) => fatalitiesText(e),
  },
  Location: {
    name: (e) => e.locationName,
    countryCode: (e) => e.locationCountryCode,
    latitude: (e) => e.latitude,
    longitude: (e) => e.longitude,
  },
  Participant: {
    actor: (p, _, { loaders }) => p.actor ?? required(loaders.at(p).actor.load(p.actorId), `actor ${p.actorId}`),
  },
  Shipment: {
    supplier: (s, _, { loaders }) => s.supplier ?? required(loaders.at(s).actor.load(s.supplierId), `actor ${s.supplierId}`),
    recipient: (s, _, { loaders }) => s.recipient ?? required(loaders.at(s).actor.load(s.recipientId), `actor ${s.recipientId}`),
    deliverySpan: (s) => deliverySpan(s),
    quantityText: (s) => quantityText(s),
    categoryGroup: (s) => categoryGroup(s.category as ShipmentCategory),
    citations: (s, _, { loaders }) => loaders.at(s).shipmentCitations.load(s.id),
    events: async (s, _, { loaders }) => (await loaders.at(s).eventsOfShipment.load(s.id)).map((se) => se.event),
    claims: (s, { field }, { loaders }) => aboutField('shipment', loaders.at(s).shipmentClaims.load(s.id), field),
    sourceCount: (s, _, { loaders }) => loaders.at(s).shipmentSourceCount.load(s.id),
  },
  Source: {
    publishedAt: (s) => (s.publishedAt ? utcToDate(s.publishedAt) : null),
    published: (s) => publishedSpan(s),
    derivedFrom: (s, _, { loaders }) => (s.derivedFromId ? loaders.at(s).source.load(s.derivedFromId) : null),
  },
  Citation: {
    source: (c, _, { loaders }) => c.source ?? required(loaders.at(c).source.load(c.sourceId), `source ${c.sourceId}`),
  },
  Claim: {
    claimant: (c, _, { loaders }) => required(loaders.at(c).actor.load(c.claimantId), `actor ${c.claimantId}`),
    statedOn: (c) => (c.statedOn ? utcToDate(c.statedOn) : null),
    citation: (c, _, { loaders }) => (c.citationId ? loaders.at(c).citation.load(c.citationId) : null),
    subject: (c, _, { loaders }) => (c.eventId ? loaders.at(c).event.load(c.eventId) : loaders.at(c).shipment.load(c.shipmentId!)),
    statedLikelihood: (c) => c.likelihood,
    statedLikelihoodRange: (c) => (c.likelihood ? LIKELIHOOD_RANGE[c.likelihood] : null),
    likelihood: (c) => c.likelihood ?? LEGACY_FLAT_LIKELIHOOD,
    likelihoodRange: (c) => LIKELIHOOD_RANGE[c.likelihood ?? LEGACY_FLAT_LIKELIHOOD],
  },
  ClaimSubject: {
    // The nodes are the Prisma rows: a shipment has a supplier.
    __resolveType: (node) => ('supplierId' in node ? 'Shipment' : 'Event'),
  },
  ClaimConnection: { totalCount: (c) => c.totalCount() },
  ActorConnection: { totalCount: (c) => c.totalCount() },
  EventConnection: { totalCount: (c) => c.totalCount() },
  ShipmentConnection: { totalCount: (c) => c.totalCount() },
};
