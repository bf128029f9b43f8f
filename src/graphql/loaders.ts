// Per-request DataLoaders: every nested field of a page is fetched in one
// query per kind, whatever the page size (no N+1). The reads are src/db/queries/batches.ts.
import DataLoader from 'dataloader';
import type { Db } from '../db/client';
import {
  actorsByIds,
  affiliationsOfActors,
  affiliationsOfActorsReportedBy,
  aliasesOfActors,
  citationsByIds,
  citationsOf,
  citationsReportedBy,
  claimsOf,
  claimsReportedBy,
  eventsByIds,
  eventsOfShipments,
  linkedReportedBy,
  linksAsOf,
  participantsOfEvents,
  shipmentsByIds,
  shipmentsOfEvents,
  sourcesByIds,
  type CitingColumn,
} from '../db/queries/batches';
import { sourceCounts, type CitedKind } from '../db/queries/corroboration';
import type { ReportedBy, ReportedFilter } from '../db/queries/reported';
import { asOfOf, reportedByOf, tagRead } from '../services/history';
import type { Affiliation, Citation, Claim, Event, Shipment } from '../generated/prisma/client';

function byId<T extends { id: string }>(load: (ids: string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = new Map((await load([...ids])).map((r) => [r.id, r]));
    return ids.map((id) => rows.get(id) ?? null);
  });
}

function groupedBy<T>(load: (keys: string[]) => Promise<T[]>, keyOf: (row: T) => string | null) {
  return new DataLoader<string, T[]>(async (keys) => {
    const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
    for (const row of await load([...keys])) groups.get(keyOf(row) ?? '')?.push(row);
    return keys.map((k) => groups.get(k) ?? []);
  });
}

/** Independent sources per record of one kind (as of `asOf`, as reported by a day, if given), one grouped statement per batch. */
function sourceCountOf(db: Db, kind: CitedKind, view: ReportedFilter) {
  return new DataLoader<string, number>(async (ids) => {
    const counts = await sourceCounts(db, kind, ids, view);
    return ids.map((id) => counts.get(id) ?? 0);
  });
}

/**
 * The loaders of the versioned nested fields, live (asOf null) or as the database held them at
 * `asOf`, and as reported by a day (reportedBy; src/db/queries/reported.ts); rows read so are
 * marked with both, so their own nested fields read the same way. References resolve even to a
 * soft-deleted actor or source: the fact that cites it stays whole.
 */
function loadersAt(db: Db, asOf: string | null, reportedBy: ReportedBy | null) {
  const at = <T extends object>(rows: Promise<T[]>) => rows.then((r) => tagRead(r, asOf, reportedBy));
  const reported = reportedBy && { asOf, reportedBy };
  const citations = (column: CitingColumn, ids: string[]) => at(reported ? citationsReportedBy(db, column, ids, reported) : citationsOf(db, column, ids, asOf));
  const claims = (column: 'event_id' | 'shipment_id', ids: string[]) =>
    at(reported ? claimsReportedBy(db, column, ids, reported) : claimsOf(db, column, ids, asOf));
  /** As reported by the day: the records linked to the given ends, marked so. */
  const linked = async <T extends object>(table: 'shipments' | 'events', endIds: string[]) => {
    const rows = await linkedReportedBy<T>(db, table, endIds, reported!);
    tagRead(
      rows.map((r) => r.record),
      asOf,
      reportedBy,
    );
    return rows;
  };
  const event = byId<Event>((ids) => at(eventsByIds(db, ids, asOf)));
  const shipment = byId<Shipment>((ids) => at(shipmentsByIds(db, ids, asOf)));
  /** As of an instant: the shipment–event links of the given ends, with the other end (if undeleted then). */
  const links = async <K extends 'eventId' | 'shipmentId'>(end: K, ids: string[], instant: string) => {
    const rows = await linksAsOf(db, end, ids, instant);
    const [events, shipments] = await Promise.all([event.loadMany(rows.map((r) => r.eventId)), shipment.loadMany(rows.map((r) => r.shipmentId))]);
    return rows.flatMap((r, i) => {
      const [e, s] = [events[i], shipments[i]];
      return e && s && !(e instanceof Error) && !(s instanceof Error) ? [{ ...r, event: e, shipment: s }] : [];
    });
  };
  return {
    actor: byId((ids) => at(actorsByIds(db, ids, asOf))),
    source: byId((ids) => at(sourcesByIds(db, ids, asOf))),
    citation: byId((ids) => at(citationsByIds(db, ids, asOf))),
    event,
    shipment,
    aliases: groupedBy(
      (actorIds) => aliasesOfActors(db, actorIds, asOf),
      (a) => a.actorId,
    ),
    participants: groupedBy(
      (eventIds) => at(participantsOfEvents(db, eventIds, asOf)),
      (p) => p.eventId,
    ),
    affiliationsOfActor: new DataLoader<string, Affiliation[]>(async (actorIds) => {
      const rows = await at(reported ? affiliationsOfActorsReportedBy(db, [...actorIds], reported) : affiliationsOfActors(db, [...actorIds], asOf));
      return actorIds.map((id) => rows.filter((r) => r.actorId === id || r.targetId === id));
    }),
    eventCitations: groupedBy<Citation>(
      (ids) => citations('event_id', ids),
      (c) => c.eventId,
    ),
    shipmentCitations: groupedBy<Citation>(
      (ids) => citations('shipment_id', ids),
      (c) => c.shipmentId,
    ),
    affiliationCitations: groupedBy<Citation>(
      (ids) => citations('affiliation_id', ids),
      (c) => c.affiliationId,
    ),
    eventClaims: groupedBy<Claim>(
      (ids) => claims('event_id', ids),
      (c) => c.eventId,
    ),
    shipmentClaims: groupedBy<Claim>(
      (ids) => claims('shipment_id', ids),
      (c) => c.shipmentId,
    ),
    eventSourceCount: sourceCountOf(db, 'event', { asOf, reportedBy }),
    shipmentSourceCount: sourceCountOf(db, 'shipment', { asOf, reportedBy }),
    shipmentsOfEvent: groupedBy(
      async (eventIds): Promise<{ eventId: string; shipment: Shipment }[]> => {
        if (reported) return (await linked<Shipment>('shipments', eventIds)).map(({ end, record }) => ({ eventId: end, shipment: record }));
        return asOf ? (await links('eventId', eventIds, asOf)).map(({ eventId, shipment: s }) => ({ eventId, shipment: s })) : shipmentsOfEvents(db, eventIds);
      },
      (l) => l.eventId,
    ),
    eventsOfShipment: groupedBy(
      async (shipmentIds): Promise<{ shipmentId: string; event: Event }[]> => {
        if (reported) return (await linked<Event>('events', shipmentIds)).map(({ end, record }) => ({ shipmentId: end, event: record }));
        return asOf
          ? (await links('shipmentId', shipmentIds, asOf)).map(({ shipmentId, event: e }) => ({ shipmentId, event: e }))
          : eventsOfShipments(db, shipmentIds);
      },
      (l) => l.shipmentId,
    ),
  };
}

type AsOfLoaders = ReturnType<typeof loadersAt>;

export function createLoaders(db: Db) {
  const byView = new Map<string, AsOfLoaders>();
  return {
    ...loadersAt(db, null, null),
    /** The loaders of the versioned fields for `record`: as it was read (as of an instant, as reported by a day), else live. */
    at(record: object): AsOfLoaders {
      const asOf = asOfOf(record);
      const reportedBy = reportedByOf(record);
      if (!asOf && !reportedBy) return this;
      const key = `${asOf ?? ''}|${reportedBy?.date ?? ''}`;
      let l = byView.get(key);
      if (!l) byView.set(key, (l = loadersAt(db, asOf, reportedBy)));
      return l;
    },
    /** The loaders as of an instant (null: live). */
    instant(asOf: string | null): AsOfLoaders {
      return asOf ? this.at({ asOf }) : this;
    },
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
