// Paged reads: actors, events and shipments as Relay connections over keyset pages.
import { toConnection, type ConnectionResult } from '../domain/connection';
import { decodeCursor } from '../domain/cursor';
import { checkIds } from '../domain/ids';
import { pageSize } from '../domain/pagination';
import { checkMinSources, checkText } from '../domain/validation';
import { utcToDate } from '../domain/dateSpan';
import type { Db } from '../db/client';
import type { Columns } from '../db/queries/rows';
import {
  countActors,
  countEvents,
  countShipments,
  listActors,
  listEvents,
  listShipments,
  type ActorListFilter,
  type EventListFilter,
  type EventPageInclude,
  type ShipmentListFilter,
} from '../db/queries/lists';
import type { Actor, Event, Shipment } from '../db/models';
import { tagAsOf } from './history';

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/** Counts at most once per connection, and only if a client asks for totalCount. */
function lazy(count: () => Promise<number>): () => Promise<number> {
  let n: Promise<number> | undefined;
  return () => (n ??= count());
}

/** With `include`, each event comes with the related rows it names (see listEvents), read in the page's statement. */
export async function eventsConnection(db: Db, filter: EventListFilter, page: PageArgs, include: EventPageInclude = {}): Promise<ConnectionResult<Event>> {
  const first = pageSize(page.first);
  checkText(filter.search, 'filter.search');
  const f = { ...filter, actorIds: checkIds(filter.actorIds, 'filter.actorIds'), minSources: checkMinSources(filter.minSources, 'filter.minSources') };
  const key = page.after ? decodeCursor(page.after, 3) : undefined;
  const rows = tagAsOf(await listEvents(db, f, first + 1, key, include), f.asOf);
  return toConnection(rows, first, (e) => [utcToDate(e.spanStart), utcToDate(e.spanEnd), e.id], lazy(() => countEvents(db, f)), !!key);
}

/** With `actors`, each shipment comes with its supplier and recipient (models.ts), read in the page's statement. */
export async function shipmentsConnection(
  db: Db,
  filter: ShipmentListFilter,
  page: PageArgs,
  include: { actors?: Columns } = {},
): Promise<ConnectionResult<Shipment>> {
  const first = pageSize(page.first);
  const f = {
    ...filter,
    supplierIds: checkIds(filter.supplierIds, 'filter.supplierIds'),
    recipientIds: checkIds(filter.recipientIds, 'filter.recipientIds'),
    minSources: checkMinSources(filter.minSources, 'filter.minSources'),
  };
  const key = page.after ? decodeCursor(page.after, 3) : undefined;
  const rows = tagAsOf(await listShipments(db, f, first + 1, key, include), f.asOf);
  return toConnection(
    rows,
    first,
    (s) => [utcToDate(s.deliveryStart), utcToDate(s.deliveryEnd), s.id],
    lazy(() => countShipments(db, f)),
    !!key,
  );
}

/** With `aliases`, each actor comes with its aliases (models.ts), read in the page's statement. */
export async function actorsConnection(
  db: Db,
  filter: ActorListFilter,
  page: PageArgs,
  opts: { aliases?: boolean } = {},
): Promise<ConnectionResult<Actor>> {
  const first = pageSize(page.first);
  checkText(filter.search, 'search');
  const key = page.after ? decodeCursor(page.after, 3) : undefined;
  const rows = await listActors(db, filter, first + 1, key, opts);
  return toConnection(rows, first, (a) => [a.rank, a.name, a.id], lazy(() => countActors(db, filter)), !!key);
}
