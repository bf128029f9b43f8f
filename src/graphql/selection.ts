// What a request's selection needs, so that a page reads that and no more, as PostGraphile reads
// only what its selection needs. A timeline page: the node fields selected, mapped to the model
// fields their resolvers read (read whole — 16 columns an event, 17 a shipment: descriptions,
// locations, timestamps decoded into Dates — the benchmark's first timeline page cost ~25% more
// server CPU, bench/README.md, op 2a) — and the actors of its shipments and affiliations, if
// selected. A page of actors: whether their aliases are selected; of shipments: their supplier or
// recipient; of events: their participants and citations, with the actors and sources of these.
// What is selected of these is read in the page's own statement and put on each row, where its
// field resolver finds it (src/db/models.ts): one statement where there were two to five.
import type { GraphQLResolveInfo } from 'graphql';
import { parseResolveInfo, type ResolveTree } from 'graphql-parse-resolve-info';
import type { EventPageInclude } from '../db/queries/lists';
import type { ActorReferences, NodeFieldSelection } from '../db/queries/timeline';
import type { TimelineKind } from '../domain/timeline';

const TYPE_OF: Record<TimelineKind, string> = { EVENT: 'Event', SHIPMENT: 'Shipment', AFFILIATION: 'Affiliation' };

/**
 * Per GraphQL field of each node type, the model fields its resolver (or the default one) reads.
 * Every field of the three types must be here (test/api/timeline-selection.test.ts checks it
 * against schema.graphql): a field missing from the map makes the page read the kind's every column.
 * Fields resolved through a DataLoader by the node's id need nothing more than the id, which is
 * always read, as are the span (the edge's `at`) and, for the union's __resolveType, the fields
 * that tell the kinds apart (see ALWAYS in src/db/queries/timeline.ts).
 */
export const NODE_FIELD_COLUMNS: Record<TimelineKind, Record<string, readonly string[]>> = {
  EVENT: {
    id: [],
    type: ['type'],
    title: ['title'],
    description: ['description'],
    date: [],
    location: ['locationName', 'locationCountryCode', 'latitude', 'longitude'],
    participants: [],
    confidence: ['confidence'],
    citations: [],
    shipments: [],
    claims: [],
    sourceCount: [],
    createdAt: ['createdAt'],
    updatedAt: ['updatedAt'],
  },
  SHIPMENT: {
    id: [],
    supplier: [],
    recipient: ['recipientId'],
    category: ['category'],
    description: ['description'],
    quantity: ['quantity'],
    unit: ['unit'],
    deliverySpan: [],
    status: ['status'],
    confidence: ['confidence'],
    route: ['route'],
    citations: [],
    events: [],
    claims: [],
    sourceCount: [],
    createdAt: ['createdAt'],
    updatedAt: ['updatedAt'],
  },
  AFFILIATION: {
    id: [],
    actor: ['actorId'],
    role: ['role'],
    target: [],
    title: ['title'],
    span: [],
    confidence: ['confidence'],
    citations: [],
  },
};

/** The node fields that are actors, loaded by the id in a model field: the page brings them along when selected. */
const ACTOR_FIELDS: Partial<Record<TimelineKind, Record<string, string>>> = {
  SHIPMENT: { supplier: 'supplierId', recipient: 'recipientId' },
  AFFILIATION: { actor: 'actorId', target: 'targetId' },
};

const children = (tree: ResolveTree, type: string): Record<string, ResolveTree> => tree.fieldsByTypeName[type] ?? {};

/** The `edges { node }` selections of a connection field (one per alias or fragment that selects them). */
function connectionNodes(tree: ResolveTree, connection: string, edge: string): ResolveTree[] {
  return Object.values(children(tree, connection))
    .filter((f) => f.name === 'edges')
    .flatMap((edges) => Object.values(children(edges, edge)).filter((f) => f.name === 'node'));
}

export interface TimelineSelection {
  /** The model fields read of each kind's nodes (besides those always read); a kind absent is read whole. */
  fields: NodeFieldSelection;
  /** The fields whose actors the selection asks for (supplier, target, …). */
  actors: ActorReferences;
}

/**
 * What the `timeline` field's selection reads from each kind's nodes: a kind is read whole when
 * a field is not in NODE_FIELD_COLUMNS or the selection could not be parsed.
 */
export function timelineSelection(info: GraphQLResolveInfo): TimelineSelection {
  const fields: NodeFieldSelection = {};
  const actors: Partial<Record<TimelineKind, string[]>> = {};
  const result = { fields, actors };
  const tree = parseResolveInfo(info) as ResolveTree | null;
  if (!tree) return result;
  const nodes = connectionNodes(tree, 'TimelineConnection', 'TimelineEdge');
  // Fields selected through an interface the members implement (`... on Node { id }`): only the
  // id is always read, so anything else there reads every kind whole.
  const members = Object.values(TYPE_OF);
  const throughInterface = nodes.some((node) =>
    Object.entries(node.fieldsByTypeName).some(([type, fields]) => !members.includes(type) && Object.values(fields).some((f) => f.name !== 'id' && f.name !== '__typename')),
  );
  if (throughInterface) return result;
  for (const kind of Object.keys(TYPE_OF) as TimelineKind[]) {
    const columns = new Set<string>();
    let known = true;
    for (const node of nodes) {
      // A fragment on the union itself selects only __typename; fields are per member type.
      for (const field of Object.values(children(node, TYPE_OF[kind]))) {
        if (field.name === '__typename') continue;
        const needs = NODE_FIELD_COLUMNS[kind][field.name];
        if (!needs) known = false;
        else needs.forEach((c) => columns.add(c));
        const actorId = ACTOR_FIELDS[kind]?.[field.name];
        if (actorId && !actors[kind]?.includes(actorId)) (actors[kind] ??= []).push(actorId);
      }
    }
    if (known) fields[kind] = [...columns];
  }
  return result;
}

/** Whether a connection field's selection asks any of `names` of its nodes (of type `type`). */
function nodesSelect(info: GraphQLResolveInfo, type: string, names: readonly string[]): boolean {
  const tree = parseResolveInfo(info) as ResolveTree | null;
  if (!tree) return false;
  return connectionNodes(tree, `${type}Connection`, `${type}Edge`).some((node) => Object.values(children(node, type)).some((f) => names.includes(f.name)));
}

/** Whether the `actors` field's selection asks for the actors' aliases. */
export const actorsSelectAliases = (info: GraphQLResolveInfo) => nodesSelect(info, 'Actor', ['aliases']);

/** Whether the `shipments` field's selection asks for the shipments' supplier or recipient. */
export const shipmentsSelectActors = (info: GraphQLResolveInfo) => nodesSelect(info, 'Shipment', ['supplier', 'recipient']);

/** What the `events` field's selection reads of each event's participants and citations (read then with the page). */
export function eventsSelectRelated(info: GraphQLResolveInfo): EventPageInclude {
  const tree = parseResolveInfo(info) as ResolveTree | null;
  if (!tree) return {};
  const fields = connectionNodes(tree, 'EventConnection', 'EventEdge').flatMap((node) => Object.values(children(node, 'Event')));
  const nested = (name: string, type: string, inner: string) => {
    const selected = fields.filter((f) => f.name === name);
    return [selected.length > 0, selected.some((f) => Object.values(children(f, type)).some((g) => g.name === inner))];
  };
  const [participants, actors] = nested('participants', 'Participant', 'actor');
  const [citations, sources] = nested('citations', 'Citation', 'source');
  return { participants, actors, citations, sources };
}
