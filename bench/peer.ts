// The peer of `npm run bench -- --peer` (issue #7): the closest PostGraphile 5 equivalents of
// our lookup (1), an actor's events page (2a) and the monthly grouped shipment report (5).
// What differs from ours is in bench/README.md ("Peer").
import { Client } from 'pg';
import type { BenchParams, Operation } from './ops';

/**
 * PostGraphile has no substring search over a child table: its users add a function. This is
 * ours (src/db/queries/lists.ts: aliases through their trigram index, ranked exact > prefix >
 * contains), in a schema of its own that only the peer exposes. It is created in the benchmark
 * database, hence --peer needs a private copy (--database).
 */
export const PEER_SCHEMA = 'bench_peer';
const PEER_SCHEMA_SQL = `
CREATE SCHEMA IF NOT EXISTS ${PEER_SCHEMA};
-- The participations' events: the foreign key references the key table event_keys (events are
-- partitioned), so PostGraphile is told the relation to events on their primary key (id, span_start).
COMMENT ON TABLE public.event_participants IS E'@foreignKey (event_id, span_start) references public.events (id, span_start)|@fieldName eventByEventId';
CREATE OR REPLACE FUNCTION ${PEER_SCHEMA}.search_actors(q text) RETURNS SETOF public.actors
LANGUAGE sql STABLE AS $$
  SELECT a.* FROM (
    SELECT al.actor_id, min(CASE WHEN lower(al.alias) = lower(q) THEN 0 WHEN starts_with(lower(al.alias), lower(q)) THEN 1 ELSE 2 END) AS rank
    FROM public.actor_aliases al WHERE lower(al.alias) LIKE '%' || lower(q) || '%' GROUP BY al.actor_id) m
  JOIN public.actors a ON a.id = m.actor_id AND a.deleted_at IS NULL
  ORDER BY m.rank, a.name, a.id
$$;`;

export async function preparePeerSchema(url: string): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(PEER_SCHEMA_SQL);
  } finally {
    await c.end();
  }
}

export interface PeerOperation extends Operation {
  /** Our operations it stands beside, the closest first. */
  versus: string[];
}

const LOOKUP = `query PeerLookup($q: String!) { benchPeerSearchActors(q: $q, first: 10) {
  edges { cursor node { rowId name kind countryCode actorAliasesByActorId { nodes { alias } } } } pageInfo { hasNextPage endCursor } } }`;

// The actor's participations in feed order (the same index as our timeline's events), each with its event.
const EVENTS_PAGE = `query PeerActorEvents($id: UUID!) { actorByRowId(rowId: $id) {
  eventParticipantsByActorId(first: 50, orderBy: [SPAN_START_ASC, SPAN_END_ASC, EVENT_ID_ASC]) {
    pageInfo { hasNextPage endCursor }
    edges { cursor node { role eventByEventId { rowId type title confidence spanStart spanEnd spanPrecision } } } } } }`;

// Grouped by delivery month (our plugin in bench/peer-child.ts) and recipient: the supplier's shipments.
const REPORT = `query PeerReport($supplier: UUID!) { allShipments(condition: { supplierId: $supplier }) {
  groupedAggregates(groupBy: [DELIVERY_START_TRUNCATED_TO_MONTH, RECIPIENT_ID]) {
    keys distinctCount { rowId } sum { quantity } } } }`;

// At our 5n's work: the same groups (recipient and unit) and months (START, only those with shipments).
const REPORT_EQUAL = `query PeerReportEqual($supplier: UUID!) { allShipments(condition: { supplierId: $supplier }) {
  groupedAggregates(groupBy: [DELIVERY_START_TRUNCATED_TO_MONTH, RECIPIENT_ID, UNIT]) {
    keys distinctCount { rowId } sum { quantity } } } }`;

export function peerOperations(p: BenchParams): PeerOperation[] {
  return [
    {
      id: 'P1',
      versus: ['1'],
      title: 'peer: benchPeerSearchActors(q) (our lookup SQL as a function), first 10',
      kind: 'lookup',
      requests: [{ request: { query: LOOKUP, variables: { q: p.alias } } }],
    },
    {
      id: 'P2a',
      // 2e reads what it reads (the actor's events); 2a, the operation, adds shipments and affiliations.
      versus: ['2e', '2a'],
      title: "peer: busiest actor's participations by span, first 50, with events",
      kind: 'timeline',
      requests: [{ request: { query: EVENTS_PAGE, variables: { id: p.busiest } } }],
    },
    {
      id: 'P5',
      // 5s is the same report (PRO_RATA, gap-filled) in the series shape recommended for long windows.
      versus: ['5', '5s'],
      title: 'peer: groupedAggregates of the busiest supplier by delivery month and recipient',
      kind: 'report',
      requests: [{ request: { query: REPORT, variables: { supplier: p.reportSuppliers[0] } } }],
    },
    {
      id: 'P5n',
      versus: ['5n'],
      title: "peer: groupedAggregates of the busiest supplier by delivery month, recipient and unit (5n's work)",
      kind: 'report',
      requests: [{ request: { query: REPORT_EQUAL, variables: { supplier: p.reportSuppliers[0] } } }],
    },
  ];
}
