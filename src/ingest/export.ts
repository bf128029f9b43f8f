// Export in the import format: every record (or those of some kinds, or overlapping a date
// window) as NDJSON records, built by PostgreSQL, read in keyset pages by id (memory stays flat).
// References are (dataset, externalId); a record created through the API, which has none, is
// exported as dataset "db" with its id as externalId. Every record carries its id, so importing
// an export into an empty database reproduces it exactly, ids included.
import type { Sql } from '../db/sql';
import { isValidDate } from '../domain/dateSpan';
import { ValidationError } from '../domain/errors';
import { KINDS, type Kind } from './records';

export interface ExportFilter {
  kinds?: Kind[];
  /** Keep events, shipments and affiliations whose span overlaps [from, to] (and what they need). */
  from?: string | null;
  to?: string | null;
}

const DS = (t: string) => `coalesce(${t}.dataset, 'db')`;
const XID = (t: string) => `coalesce(${t}.external_id, ${t}.id::text)`;
const REF = (t: string) => `json_build_object('dataset', ${DS(t)}, 'externalId', ${XID(t)})`;
const HEAD = (kind: Kind, t: string) => `'kind', '${kind}', 'id', ${t}.id, 'dataset', ${DS(t)}, 'externalId', ${XID(t)}`;
// A span's bounds, and its EDTF when they do not say it all (qualifiers, open ends): the
// importer reads the EDTF and checks the bounds against it. `start` names the first day's column.
const SPAN = (t: string, p: string, start = `${p}_start`) =>
  `CASE WHEN ${t}.${start} IS NULL THEN NULL ELSE json_build_object('start', ${t}.${start}, 'end', ${t}.${p}_end, 'precision', ${t}.${p}_precision, 'text', ${t}.${p}_text, 'edtf', ${t}.${p}_edtf) END`;

/** The SQL that selects each kind's exported rows (alias x) and their JSON record. */
function statement(kind: Kind, windowed: boolean): { from: string; json: string } {
  // $1, $2: the window (from, to); only used when windowed.
  const overlap = (t: string, p: string) => `${t}.${p}_end >= $1::date AND ${t}.${p}_start <= $2::date`;
  const sh = windowed ? `AND ${overlap('s', 'delivery')}` : '';
  const af = windowed ? `AND (f.span_start IS NULL OR ${overlap('f', 'span')})` : '';
  const shipments = `SELECT s.id FROM shipments s WHERE s.deleted_at IS NULL ${sh}`;
  // Windowed: the events that overlap, and those that report a shipment that does.
  const events = windowed
    ? `SELECT e.id FROM events e WHERE e.deleted_at IS NULL AND (${overlap('e', 'span')}
         OR e.id IN (SELECT se.event_id FROM shipment_events se WHERE se.shipment_id IN (${shipments})))`
    : `SELECT e.id FROM events e WHERE e.deleted_at IS NULL`;
  const affiliations = `SELECT f.id FROM affiliations f WHERE f.deleted_at IS NULL ${af}`;
  // Claims of the exported events and shipments whose claimant is live (the actor is exported).
  const claims = `SELECT k.id FROM claims k WHERE k.deleted_at IS NULL AND (k.event_id IN (${events}) OR k.shipment_id IN (${shipments}))
                    AND k.claimant_id IN (SELECT id FROM actors WHERE deleted_at IS NULL)`;
  // Sources cited by what is exported, and the origins those repeat.
  const cited = `SELECT c.source_id FROM citations c WHERE c.deleted_at IS NULL
                   AND (c.event_id IN (${events}) OR c.shipment_id IN (${shipments}) OR c.affiliation_id IN (${affiliations}))`;
  switch (kind) {
    case 'actor':
      return {
        from: `actors x WHERE x.deleted_at IS NULL${
          windowed
            ? ` AND (x.id IN (SELECT actor_id FROM event_participants WHERE event_id IN (${events}))
                  OR x.id IN (SELECT supplier_id FROM shipments WHERE id IN (${shipments}))
                  OR x.id IN (SELECT recipient_id FROM shipments WHERE id IN (${shipments}))
                  OR x.id IN (SELECT actor_id FROM affiliations WHERE id IN (${affiliations}))
                  OR x.id IN (SELECT target_id FROM affiliations WHERE id IN (${affiliations}))
                  OR x.id IN (SELECT claimant_id FROM claims WHERE id IN (${claims})))`
            : ''
        }`,
        json: `json_build_object(${HEAD('actor', 'x')}, 'name', x.name, 'actorKind', x.kind, 'countryCode', x.country_code,
                 'description', x.description,
                 'aliases', (SELECT json_agg(a.alias ORDER BY lower(a.alias), a.alias) FROM actor_aliases a WHERE a.actor_id = x.id AND a.alias <> x.name))`,
      };
    case 'source':
      return {
        from: `sources x WHERE x.deleted_at IS NULL${
          windowed ? ` AND (x.id IN (${cited}) OR x.id IN (SELECT derived_from_id FROM sources WHERE id IN (${cited})))` : ''
        }`,
        // publishedAt (the first day) for readers of files written before `published` existed.
        json: `json_build_object(${HEAD('source', 'x')}, 'publisher', x.publisher, 'title', x.title, 'url', x.url,
                 'publishedAt', x.published_at, 'published', ${SPAN('x', 'published', 'published_at')}, 'reliability', x.reliability,
                 'derivedFrom', (SELECT ${REF('t')} FROM sources t WHERE t.id = x.derived_from_id))`,
      };
    case 'event':
      return {
        from: `events x WHERE x.id IN (${events})`,
        json: `json_build_object(${HEAD('event', 'x')}, 'type', x.type, 'title', x.title, 'description', x.description,
                 'date', ${SPAN('x', 'span')},
                 'location', json_build_object('name', x.location_name, 'countryCode', x.location_country_code, 'latitude', x.latitude, 'longitude', x.longitude),
                 'confidence', x.confidence,
                 'fatalities', x.fatalities, 'fatalitiesLow', x.fatalities_low, 'fatalitiesHigh', x.fatalities_high,
                 'fatalitiesQualifier', x.fatalities_qualifier, 'datasetFields', x.dataset_fields,
                 'participants', (SELECT json_agg(json_build_object('actor', ${REF('a')}, 'role', p.role) ORDER BY p.role, ${DS('a')}, ${XID('a')})
                                    FROM event_participants p JOIN actors a ON a.id = p.actor_id WHERE p.event_id = x.id))`,
      };
    case 'affiliation':
      return {
        from: `affiliations x WHERE x.id IN (${affiliations})`,
        json: `json_build_object(${HEAD('affiliation', 'x')},
                 'actor', (SELECT ${REF('a')} FROM actors a WHERE a.id = x.actor_id),
                 'target', (SELECT ${REF('a')} FROM actors a WHERE a.id = x.target_id),
                 'role', x.role, 'title', x.title, 'span', ${SPAN('x', 'span')}, 'confidence', x.confidence)`,
      };
    case 'shipment':
      return {
        from: `shipments x WHERE x.id IN (${shipments})`,
        json: `json_build_object(${HEAD('shipment', 'x')},
                 'supplier', (SELECT ${REF('a')} FROM actors a WHERE a.id = x.supplier_id),
                 'recipient', (SELECT ${REF('a')} FROM actors a WHERE a.id = x.recipient_id),
                 'category', x.category, 'description', x.description, 'quantity', x.quantity,
                 'quantityLow', x.quantity_low, 'quantityHigh', x.quantity_high, 'quantityQualifier', x.quantity_qualifier, 'unit', x.unit,
                 'delivery', ${SPAN('x', 'delivery')}, 'status', x.status, 'route', x.route, 'confidence', x.confidence,
                 'datasetFields', x.dataset_fields,
                 'events', (SELECT json_agg(${REF('e')} ORDER BY ${DS('e')}, ${XID('e')})
                              FROM shipment_events se JOIN events e ON e.id = se.event_id AND e.deleted_at IS NULL WHERE se.shipment_id = x.id))`,
      };
    case 'citation':
      return {
        from: `citations x WHERE x.deleted_at IS NULL
                 AND (x.event_id IN (${events}) OR x.shipment_id IN (${shipments}) OR x.affiliation_id IN (${affiliations}))
                 AND x.source_id IN (SELECT id FROM sources WHERE deleted_at IS NULL)`,
        json: `json_build_object(${HEAD('citation', 'x')},
                 'source', (SELECT ${REF('t')} FROM sources t WHERE t.id = x.source_id),
                 'event', (SELECT ${REF('t')} FROM events t WHERE t.id = x.event_id),
                 'shipment', (SELECT ${REF('t')} FROM shipments t WHERE t.id = x.shipment_id),
                 'affiliation', (SELECT ${REF('t')} FROM affiliations t WHERE t.id = x.affiliation_id),
                 'excerpt', x.excerpt, 'credibility', x.credibility, 'evidenceType', x.evidence_type)`,
      };
    case 'claim':
      return {
        from: `claims x WHERE x.id IN (${claims})`,
        // A citation that is not exported (deleted, or its source is) is left out, not dangling.
        json: `json_build_object(${HEAD('claim', 'x')},
                 'claimant', (SELECT ${REF('a')} FROM actors a WHERE a.id = x.claimant_id),
                 'statedOn', x.stated_on,
                 'event', (SELECT ${REF('t')} FROM events t WHERE t.id = x.event_id),
                 'shipment', (SELECT ${REF('t')} FROM shipments t WHERE t.id = x.shipment_id),
                 'citation', (SELECT ${REF('t')} FROM citations t JOIN sources so ON so.id = t.source_id AND so.deleted_at IS NULL
                               WHERE t.id = x.citation_id AND t.deleted_at IS NULL),
                 'field', x.field, 'value', x.value, 'likelihood', x.likelihood, 'confidence', x.confidence, 'accepted', x.accepted)`,
      };
  }
}

export function checkExportFilter(filter: ExportFilter): void {
  for (const k of ['from', 'to'] as const) {
    const v = filter[k];
    if (v != null && !isValidDate(v)) throw new ValidationError(k, `${k} "${v}" is not a valid YYYY-MM-DD date`);
  }
  if (filter.from && filter.to && filter.to < filter.from) throw new ValidationError('to', `to (${filter.to}) is before from (${filter.from})`);
}

/** Yields the exported records, kind by kind in dependency order, each kind in id order. */
export async function* exportRecords(sql: Sql, filter: ExportFilter = {}, pageSize = 5000): AsyncGenerator<{ kind: Kind; record: Record<string, unknown> }> {
  checkExportFilter(filter);
  const windowed = filter.from != null || filter.to != null;
  const window = [filter.from ?? '0001-01-01', filter.to ?? '9999-12-31'];
  for (const kind of KINDS) {
    if (filter.kinds && !filter.kinds.includes(kind)) continue;
    const { from, json } = statement(kind, windowed);
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const params = windowed ? [...window, after] : [after];
      const p = windowed ? '$3' : '$1';
      const rows = await sql.query<{ id: string; record: Record<string, unknown> }>(
        `SELECT x.id, json_strip_nulls(${json}) AS record FROM ${from} AND x.id > ${p}::uuid ORDER BY x.id LIMIT ${pageSize}`,
        params,
      );
      for (const r of rows) yield { kind, record: r.record };
      if (rows.length < pageSize) break;
      after = rows[rows.length - 1].id;
    }
  }
}
