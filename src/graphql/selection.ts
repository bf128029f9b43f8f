// What a request's selection needs, so that a page reads that and no more, as PostGraphile reads
// only what its selection needs (why: docs/decisions/selection-in-sql.md). A timeline page: the
// node fields selected, mapped to the model fields their resolvers read (rather than whole rows:
// 16 columns an event, 17 a shipment, descriptions, locations, timestamps decoded into Dates) —
// and the actors of its shipments and affiliations, if selected. A page of actors: whether their
// aliases are selected; of shipments: their supplier or recipient; of events: the event fields
// selected, and their participants and citations, with the actors and sources of these. What is
// selected of these is read in the page's own statement, of each only the columns the selection
// needs (ROW_FIELD_COLUMNS), and put on each row, where its field resolver finds it
// (src/db/models.ts): one statement where there were two to five.
import { visit, BREAK, type ASTNode, type FieldNode, type GraphQLResolveInfo, type OperationDefinitionNode } from 'graphql';
import { parseResolveInfo, type ResolveTree } from 'graphql-parse-resolve-info';
import type { EventPageInclude } from '../db/queries/lists';
import type { Columns } from '../db/queries/rows';
import type { ActorReferences, NodeFieldSelection } from '../db/queries/timeline';
import type { TimelineKind } from '../domain/timeline';

/** Whether an operation (or a fragment it may spread) has a directive whose argument is a variable (`@include(if: $x)`). */
const variableDirectives = new WeakMap<OperationDefinitionNode, boolean>();
function readsVariablesInDirectives(info: GraphQLResolveInfo): boolean {
  let found = variableDirectives.get(info.operation);
  if (found === undefined) {
    found = false;
    const onDirective = {
      Directive(d: ASTNode) {
        visit(d, { Variable: () => ((found = true), BREAK) });
        return found ? BREAK : false;
      },
    };
    for (const node of [info.operation, ...Object.values(info.fragments)]) if (!found) visit(node, onDirective);
    variableDirectives.set(info.operation, found);
  }
  return found;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * `compute` once per field of a document rather than per request: Apollo hands out the same
 * parsed DocumentNode for a document it has seen, so the field's AST node is the key, and parsing
 * the selection again showed in CPU profiles of small pages. Computed afresh where the selection
 * depends on the request (`@include`/`@skip` on a variable) or merges several field nodes. What
 * is kept is frozen: callers share it.
 */
function perDocument<T>(compute: (info: GraphQLResolveInfo) => T): (info: GraphQLResolveInfo) => T {
  const cache = new WeakMap<FieldNode, { parent: string; value: T }>();
  return (info) => {
    if (info.fieldNodes.length !== 1 || readsVariablesInDirectives(info)) return compute(info);
    const node = info.fieldNodes[0];
    const hit = cache.get(node);
    if (hit && hit.parent === info.parentType.name) return hit.value;
    const value = deepFreeze(compute(info));
    cache.set(node, { parent: info.parentType.name, value });
    return value;
  };
}

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
    fatalities: ['fatalities'],
    fatalitiesLow: ['fatalitiesLow'],
    fatalitiesHigh: ['fatalitiesHigh'],
    fatalitiesQualifier: ['fatalitiesQualifier'],
    fatalitiesText: ['fatalities', 'fatalitiesLow', 'fatalitiesHigh', 'fatalitiesQualifier'],
    datasetFields: ['datasetFields'],
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
    categoryGroup: ['category'],
    datasetFields: ['datasetFields'],
    description: ['description'],
    quantity: ['quantity'],
    quantityLow: ['quantityLow'],
    quantityHigh: ['quantityHigh'],
    quantityQualifier: ['quantityQualifier'],
    quantityText: ['quantity', 'quantityLow', 'quantityHigh', 'quantityQualifier'],
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

/**
 * Of each node type, its DateSpan field and the model field holding the span's EDTF. The span's
 * bounds are always read; its EDTF only when the DateSpan's selection needs more than them
 * (spanNeedsEdtf), or when the edge's `at` does.
 */
const SPAN_EDTF: Record<TimelineKind, { field: string; edtf: string }> = {
  EVENT: { field: 'date', edtf: 'spanEdtf' },
  SHIPMENT: { field: 'deliverySpan', edtf: 'deliveryEdtf' },
  AFFILIATION: { field: 'span', edtf: 'spanEdtf' },
};

/** The DateSpan fields answered from the bounds, precision and text alone. */
const SPAN_BOUNDS_FIELDS = new Set(['start', 'end', 'precision', 'text', '__typename']);

/** Whether DateSpan selections ask for anything its EDTF says (edtf, startDate, qualifiers …). */
function spanNeedsEdtf(trees: ResolveTree[]): boolean {
  return trees.some((t) =>
    Object.entries(t.fieldsByTypeName).some(([type, fields]) => type !== 'DateSpan' || Object.values(fields).some((f) => !SPAN_BOUNDS_FIELDS.has(f.name))),
  );
}

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
  /** What is read of those actors (ROW_FIELD_COLUMNS). */
  actorColumns: Columns;
}

/**
 * What the `timeline` field's selection reads from each kind's nodes: a kind is read whole when
 * a field is not in NODE_FIELD_COLUMNS or the selection could not be parsed.
 */
export const timelineSelection = perDocument(function timelineSelection(info: GraphQLResolveInfo): TimelineSelection {
  const fields: NodeFieldSelection = {};
  const actors: Partial<Record<TimelineKind, string[]>> = {};
  const result: TimelineSelection = { fields, actors, actorColumns: 'all' };
  const actorTrees: ResolveTree[] = [];
  const tree = parseResolveInfo(info) as ResolveTree | null;
  if (!tree) return result;
  const nodes = connectionNodes(tree, 'TimelineConnection', 'TimelineEdge');
  // Fields selected through an interface the members implement (`... on Node { id }`): only the
  // id is always read, so anything else there reads every kind whole.
  const members = Object.values(TYPE_OF);
  const throughInterface = nodes.some((node) =>
    Object.entries(node.fieldsByTypeName).some(
      ([type, fields]) => !members.includes(type) && Object.values(fields).some((f) => f.name !== 'id' && f.name !== '__typename'),
    ),
  );
  if (throughInterface) return result;
  // The edges' `at` is each node's span: what it asks of the span, every kind's node reads.
  const atEdtf = spanNeedsEdtf(
    Object.values(children(tree, 'TimelineConnection'))
      .filter((f) => f.name === 'edges')
      .flatMap((edges) => Object.values(children(edges, 'TimelineEdge')).filter((f) => f.name === 'at')),
  );
  for (const kind of Object.keys(TYPE_OF) as TimelineKind[]) {
    const columns = new Set<string>(atEdtf ? [SPAN_EDTF[kind].edtf] : []);
    let known = true;
    for (const node of nodes) {
      // A fragment on the union itself selects only __typename; fields are per member type.
      for (const field of Object.values(children(node, TYPE_OF[kind]))) {
        if (field.name === '__typename') continue;
        const needs = NODE_FIELD_COLUMNS[kind][field.name];
        if (!needs) known = false;
        else needs.forEach((c) => columns.add(c));
        if (field.name === SPAN_EDTF[kind].field && spanNeedsEdtf([field])) columns.add(SPAN_EDTF[kind].edtf);
        const actorId = ACTOR_FIELDS[kind]?.[field.name];
        if (actorId) actorTrees.push(field);
        if (actorId && !actors[kind]?.includes(actorId)) (actors[kind] ??= []).push(actorId);
      }
    }
    if (known) fields[kind] = [...columns];
  }
  if (actorTrees.length) result.actorColumns = rowColumns(actorTrees, 'Actor').columns;
  return result;
});

/** The selections of any of `names` of a connection field's nodes (of type `type`). */
function nodesSelect(info: GraphQLResolveInfo, type: string, names: readonly string[]): ResolveTree[] {
  const tree = parseResolveInfo(info) as ResolveTree | null;
  if (!tree) return [];
  return connectionNodes(tree, `${type}Connection`, `${type}Edge`).flatMap((node) => Object.values(children(node, type)).filter((f) => names.includes(f.name)));
}

/** Whether the `actors` field's selection asks for the actors' aliases. */
export const actorsSelectAliases = perDocument((info: GraphQLResolveInfo) => nodesSelect(info, 'Actor', ['aliases']).length > 0);

/** What the `shipments` field's selection reads of the shipments' suppliers and recipients; undefined: neither is selected. */
export const shipmentsSelectActors = perDocument(function shipmentsSelectActors(info: GraphQLResolveInfo): Columns | undefined {
  const actors = nodesSelect(info, 'Shipment', ['supplier', 'recipient']);
  return actors.length ? rowColumns(actors, 'Actor').columns : undefined;
});

/**
 * What a report's selection reads of the actors its rows name (the supplier and recipient of its
 * buckets, totals or series; the actor of eventStats' buckets); undefined: no actor is selected.
 */
export const reportSelectsActors = perDocument(function reportSelectsActors(info: GraphQLResolveInfo): Columns | undefined {
  const tree = parseResolveInfo(info) as ResolveTree | null;
  if (!tree) return 'all';
  // The fields of the report (eventStats: of its rows) and of its lists of rows (shipmentReport).
  const fieldsOf = (t: ResolveTree) => Object.values(t.fieldsByTypeName).flatMap((fs) => Object.values(fs));
  const fields = fieldsOf(tree);
  const actors = [...fields, ...fields.flatMap(fieldsOf)].filter((f) => ['supplier', 'recipient', 'actor'].includes(f.name));
  return actors.length ? rowColumns(actors, 'Actor').columns : undefined;
});

/** The types whose rows a page brings along (src/db/queries/rows.ts, `pick`). */
type RowType = 'Participant' | 'Citation' | 'Actor' | 'Source';

/**
 * Per GraphQL field of each type a page brings along as rows, the model fields its resolver (or
 * the default one) reads, besides those the row always has (its ids, rows.ts). Every field of the
 * four types must be here (test/api/row-selection.test.ts checks it against schema.graphql):
 * a field missing from the map makes the page read the type's every column.
 */
export const ROW_FIELD_COLUMNS: Record<RowType, Record<string, readonly string[]>> = {
  Participant: { actor: [], role: ['role'] },
  Citation: { id: [], source: [], excerpt: ['excerpt'], credibility: ['credibility'], evidenceType: ['evidenceType'], updatedAt: ['updatedAt'] },
  Actor: {
    id: [],
    name: ['name'],
    kind: ['kind'],
    countryCode: ['countryCode'],
    aliases: [],
    description: ['description'],
    affiliations: [],
    events: [],
    shipmentsSupplied: [],
    shipmentsReceived: [],
    createdAt: ['createdAt'],
    updatedAt: ['updatedAt'],
  },
  Source: {
    id: [],
    publisher: ['publisher'],
    title: ['title'],
    url: ['url'],
    publishedAt: ['publishedAt'],
    published: ['publishedAt', 'publishedEnd', 'publishedPrecision', 'publishedText', 'publishedEdtf'],
    reliability: ['reliability'],
    derivedFrom: ['derivedFromId'],
    updatedAt: ['updatedAt'],
  },
};

/**
 * The model fields the selections `trees` of one field (of type `type`) read, per `map`, and
 * their fields: 'all' when one is not in the map or is selected through an interface (only the id
 * is always read).
 */
function selectedColumns(trees: ResolveTree[], type: string, map: Record<string, readonly string[]>): { columns: Columns; fields: ResolveTree[] } {
  const fields = trees.flatMap((t) => Object.values(children(t, type))).filter((f) => f.name !== '__typename');
  const throughInterface = trees.some((t) =>
    Object.entries(t.fieldsByTypeName).some(([name, fs]) => name !== type && Object.values(fs).some((f) => f.name !== 'id' && f.name !== '__typename')),
  );
  if (throughInterface || fields.some((f) => !map[f.name])) return { columns: 'all', fields };
  return { columns: [...new Set(fields.flatMap((f) => map[f.name]))], fields };
}

/** selectedColumns for a type a page brings along as rows (ROW_FIELD_COLUMNS). */
const rowColumns = (trees: ResolveTree[], type: RowType) => selectedColumns(trees, type, ROW_FIELD_COLUMNS[type]);

/** What the `events` field's selection reads of each event (NODE_FIELD_COLUMNS.EVENT), of its participants and citations, and of their actors and sources. */
export const eventsSelection = perDocument(function eventsSelection(info: GraphQLResolveInfo): EventPageInclude {
  const tree = parseResolveInfo(info) as ResolveTree | null;
  if (!tree) return {};
  const { columns, fields } = selectedColumns(connectionNodes(tree, 'EventConnection', 'EventEdge'), 'Event', NODE_FIELD_COLUMNS.EVENT);
  const dates = fields.filter((f) => f.name === 'date');
  const include: EventPageInclude = { columns: columns !== 'all' && spanNeedsEdtf(dates) ? [...columns, 'spanEdtf'] : columns };
  // A related row's columns, and those of the row it brings in turn (a participant's actor, a citation's source).
  const related = (name: string, type: RowType, innerName: string, innerType: RowType): [Columns?, Columns?] => {
    const selected = fields.filter((f) => f.name === name);
    if (!selected.length) return [];
    const { columns, fields: inner } = rowColumns(selected, type);
    const nested = inner.filter((f) => f.name === innerName);
    return [columns, nested.length ? rowColumns(nested, innerType).columns : undefined];
  };
  [include.participants, include.actors] = related('participants', 'Participant', 'actor', 'Actor');
  [include.citations, include.sources] = related('citations', 'Citation', 'source', 'Source');
  return include;
});
