// Paged reads: actors, events and shipments as Relay connections over keyset pages.
import { toConnection, type ConnectionResult } from '../domain/connection';
import { ACTOR_CURSOR, SPAN_CURSOR } from '../domain/cursor';
import { checkIds } from '../domain/ids';
import { pageSize } from '../domain/pagination';
import { checkMinFatalities, checkMinSources, checkText } from '../domain/validation';
import { utcToDate } from '../domain/dateSpan';
import type { Db } from '../db/client';
import type { Columns } from '../db/queries/rows';
import type { ReportedFilter } from '../db/queries/reported';
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
import { tagRead } from './history';

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/** Counts at most once per connection, and only if a client asks for totalCount. */
function lazy(count: () => Promise<number>): () => Promise<number> {
  let n: Promise<number> | undefined;
  return () => (n ??= count());
}

/**
 * A page of `first` rows of a list in span order (events, shipments): `list` reads `limit` rows
 * after the cursor's key (one more than the page, to tell whether another follows), then tagged
 * with the filter's asOf and reportedBy; `spanOf` gives a row's bounds.
 */
async function spanConnection<T extends { id: string }>(
  first: number,
  page: PageArgs,
  view: ReportedFilter,
  list: (limit: number, key: ReturnType<typeof SPAN_CURSOR.decode> | undefined) => Promise<T[]>,
  spanOf: (row: T) => [Date, Date],
  count: () => Promise<number>,
): Promise<ConnectionResult<T>> {
  const key = page.after ? SPAN_CURSOR.decode(page.after) : undefined;
  const rows = tagRead(await list(first + 1, key), view.asOf, view.reportedBy);
  return toConnection(
    rows,
    first,
    (row) => {
      const [start, end] = spanOf(row);
      return [utcToDate(start), utcToDate(end), row.id];
    },
    lazy(count),
    !!key,
  );
}

/** With `include`, each event comes with the related rows it names (see listEvents), read in the page's statement. */
export async function eventsConnection(db: Db, filter: EventListFilter, page: PageArgs, include: EventPageInclude = {}): Promise<ConnectionResult<Event>> {
  const first = pageSize(page.first);
  checkText(filter.search, 'filter.search');
  const f = {
    ...filter,
    actorIds: checkIds(filter.actorIds, 'filter.actorIds'),
    minSources: checkMinSources(filter.minSources, 'filter.minSources'),
    minFatalities: checkMinFatalities(filter.minFatalities, 'filter.minFatalities'),
  };
  return spanConnection(
    first,
    page,
    f,
    (limit, key) => listEvents(db, f, limit, key, include),
    (e) => [e.spanStart, e.spanEnd],
    () => countEvents(db, f),
  );
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
  return spanConnection(
    first,
    page,
    f,
    (limit, key) => listShipments(db, f, limit, key, include),
    (s) => [s.deliveryStart, s.deliveryEnd],
    () => countShipments(db, f),
  );
}

/** With `aliases`, each actor comes with its aliases (models.ts), read in the page's statement. */
export async function actorsConnection(db: Db, filter: ActorListFilter, page: PageArgs, opts: { aliases?: boolean } = {}): Promise<ConnectionResult<Actor>> {
  const first = pageSize(page.first);
  checkText(filter.search, 'search');
  const key = page.after ? ACTOR_CURSOR.decode(page.after) : undefined;
  const rows = await listActors(db, filter, first + 1, key, opts);
  return toConnection(
    rows,
    first,
    (a) => [a.rank, a.name, a.id],
    lazy(() => countActors(db, filter)),
    !!key,
  );
}
