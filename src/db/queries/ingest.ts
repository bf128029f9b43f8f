// Bulk import in SQL: records are staged in temporary tables (one COPY per batch of thousands,
// or, where COPY is not available, one INSERT with the batch as a JSON parameter), then checked, resolved and written with
// one set-based statement per step (UPDATE … FROM, INSERT … SELECT), all inside the caller's
// transaction on one connection (temporary tables live in its session). Nothing is written to
// the real tables before every check has passed, so a rollback leaves the database untouched.
import { PARTITIONED_YEARS } from '../partitions';
import type { Sql } from '../sql';
import type { Kind, StagedRefRow, StagedRow } from '../staging';

const COPY_SPECIAL = /[\\\n\r\t]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const escapeCopy = (s: string) => (COPY_SPECIAL.test(s) ? s.replace(/[\\\n\r\t]/g, (c) => COPY_ESCAPES[c]) : s);

/** One value in COPY's text format: \N for null, arrays as array literals. */
function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'string') return escapeCopy(v);
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (Array.isArray(v)) return escapeCopy(`{${v.map((x) => `"${String(x).replace(/["\\]/g, '\\$&')}"`).join(',')}}`);
  if (typeof v === 'object') return escapeCopy(JSON.stringify(v));
  return String(v);
}

/** Rows in COPY's text format: tab-separated columns, one row a line. */
function copyRows(rows: object[], columns: string[]): string {
  let out = '';
  for (const row of rows) {
    for (let i = 0; i < columns.length; i += 1) out += (i === 0 ? '' : '\t') + copyValue((row as Record<string, unknown>)[columns[i]]);
    out += '\n';
  }
  return out;
}

interface KindSpec {
  table: string;
  /**
   * A partitioned table's key table (id, the partition key `start`, dataset, external_id: unique
   * across the partitions), where ids and external ids are looked up.
   */
  keys?: { table: string; start: string };
  /** Data columns compared and written, with their staging types. */
  columns: Record<string, string>;
  /** Staging-only columns. */
  extra?: Record<string, string>;
}

export const SPECS: Record<Kind, KindSpec> = {
  actor: {
    table: 'actors',
    columns: { name: 'text', kind: '"ActorKind"', country_code: 'char(3)', description: 'text' },
    extra: { aliases: 'text[]' },
  },
  source: {
    table: 'sources',
    columns: {
      publisher: 'text',
      title: 'text',
      url: 'text',
      published_at: 'date',
      published_end: 'date',
      published_precision: '"DatePrecision"',
      published_text: 'text',
      published_edtf: 'text',
      reliability: '"Reliability"',
      derived_from_id: 'uuid',
    },
  },
  event: {
    table: 'events',
    keys: { table: 'event_keys', start: 'span_start' },
    columns: {
      type: '"EventType"',
      title: 'text',
      description: 'text',
      span_start: 'date',
      span_end: 'date',
      span_precision: '"DatePrecision"',
      span_text: 'text',
      span_edtf: 'text',
      location_name: 'text',
      location_country_code: 'char(3)',
      latitude: 'float8',
      longitude: 'float8',
      confidence: '"Confidence"',
      fatalities: 'float8',
      fatalities_low: 'float8',
      fatalities_high: 'float8',
      fatalities_qualifier: '"QuantityQualifier"',
      dataset_fields: 'jsonb',
    },
  },
  affiliation: {
    table: 'affiliations',
    columns: {
      actor_id: 'uuid',
      target_id: 'uuid',
      role: '"AffiliationRole"',
      title: 'text',
      span_start: 'date',
      span_end: 'date',
      span_precision: '"DatePrecision"',
      span_text: 'text',
      span_edtf: 'text',
      confidence: '"Confidence"',
    },
  },
  shipment: {
    table: 'shipments',
    keys: { table: 'shipment_keys', start: 'delivery_start' },
    columns: {
      supplier_id: 'uuid',
      recipient_id: 'uuid',
      category: '"ShipmentCategory"',
      description: 'text',
      quantity: 'float8',
      quantity_low: 'float8',
      quantity_high: 'float8',
      quantity_qualifier: '"QuantityQualifier"',
      unit: 'text',
      delivery_start: 'date',
      delivery_end: 'date',
      delivery_precision: '"DatePrecision"',
      delivery_text: 'text',
      delivery_edtf: 'text',
      delivery_open: 'boolean',
      status: '"ShipmentStatus"',
      route: 'text',
      confidence: '"Confidence"',
      dataset_fields: 'jsonb',
    },
  },
  citation: {
    table: 'citations',
    columns: {
      source_id: 'uuid',
      event_id: 'uuid',
      shipment_id: 'uuid',
      affiliation_id: 'uuid',
      excerpt: 'text',
      credibility: 'int2',
      evidence_type: '"EvidenceType"',
    },
  },
  claim: {
    table: 'claims',
    columns: {
      claimant_id: 'uuid',
      stated_on: 'date',
      citation_id: 'uuid',
      event_id: 'uuid',
      shipment_id: 'uuid',
      field: 'text',
      value: 'text',
      likelihood: '"Likelihood"',
      confidence: '"Confidence"',
      accepted: 'boolean',
    },
  },
};

/** The order records are written in: what a record points at is written before it. */
export const APPLY_ORDER: readonly Kind[] = ['actor', 'source', 'event', 'affiliation', 'shipment', 'citation', 'claim'];

const stage = (kind: Kind) => `ingest_${kind}`;
/**
 * The table of `kind` as `t` joined on `x.dataset`/`x.external_id` = the given ones: a partitioned
 * table through its key table `x` (its unique index finds the key, whose start prunes the look-up
 * to one partition), another table directly (`x` is `t`). `probe`: a partitioned table's row is
 * looked up per reference (LATERAL … LIMIT 1) instead of joined: the planner takes the join of
 * key table and table for a few rows (its two equalities as independent) and builds all of it,
 * a million events to resolve a few thousand references (see probedKinds).
 */
function byExternalKey(kind: Kind, dataset: string, externalId: string, live = '', probe = false): string {
  const { table, keys } = SPECS[kind];
  const on = (x: string) => `${x}.dataset = ${dataset} AND ${x}.external_id = ${externalId}`;
  if (!keys) return `${table} t ON ${on('t')}${live && ` AND ${live}`}`;
  const join = `${keys.table} x JOIN ${table} t ON t.id = x.id AND t.${keys.start} = x.${keys.start}${live && ` AND ${live}`}`;
  return probe ? `LATERAL (SELECT t.id FROM ${join} WHERE ${on('x')} LIMIT 1) t ON true` : `(${join}) ON ${on('x')}`;
}

/**
 * The partitioned kinds whose references are few beside their key table's rows: resolved by a
 * look-up each (byExternalKey's `probe`). Measured at default scale (1,000,000 events): 17,000
 * references 0.06 s probed against 0.85-1.4 s joined; 1,000,000 references 5.1 s against 1.7 s.
 * Probes pay when the references are under about a fifth of the rows.
 */
export async function probedKinds(sql: Sql): Promise<Set<Kind>> {
  const partitioned = (Object.keys(SPECS) as Kind[]).filter((k) => SPECS[k].keys);
  // The references counted in one pass over ingest_ref (millions of rows on a large import).
  const rows = await sql.query<{ kind: Kind }>(
    `SELECT k.kind FROM unnest($1::text[], $2::text[]) AS k(kind, keys)
       LEFT JOIN (SELECT target_kind, count(*) AS n FROM ingest_ref WHERE target_kind = ANY($1::text[]) GROUP BY 1) r ON r.target_kind = k.kind
      WHERE coalesce(r.n, 0) * 5 < (SELECT reltuples FROM pg_class WHERE oid = k.keys::regclass)`,
    [partitioned, partitioned.map((k) => SPECS[k].keys!.table)],
  );
  return new Set(rows.map((r) => r.kind));
}
const cols = (kind: Kind) => Object.keys(SPECS[kind].columns);
/** Columns filled from references after staging, not from the record itself. */
const RESOLVED: Partial<Record<Kind, string[]>> = {
  source: ['derived_from_id'],
  claim: ['claimant_id', 'citation_id', 'event_id', 'shipment_id'],
  affiliation: ['actor_id', 'target_id'],
  shipment: ['supplier_id', 'recipient_id'],
  citation: ['source_id', 'event_id', 'shipment_id', 'affiliation_id'],
};
const recordCols = (kind: Kind) => [...cols(kind).filter((c) => !RESOLVED[kind]?.includes(c)), ...Object.keys(SPECS[kind].extra ?? {})];

/** Creates the (transaction-scoped) staging tables. */
export async function createStaging(sql: Sql): Promise<void> {
  for (const kind of APPLY_ORDER) {
    const spec = SPECS[kind];
    const defs = Object.entries({ ...spec.columns, ...spec.extra }).map(([c, t]) => `"${c}" ${t}`);
    await sql.query(
      `CREATE TEMP TABLE ${stage(kind)} (
         seq int NOT NULL, file int NOT NULL, line int NOT NULL,
         id uuid NOT NULL, given_id boolean NOT NULL DEFAULT false,
         dataset text NOT NULL, external_id text NOT NULL,
         existed boolean NOT NULL DEFAULT false, adopt boolean NOT NULL DEFAULT false, changed boolean NOT NULL DEFAULT false,
         ${defs.join(', ')}
       ) ON COMMIT DROP`,
    );
  }
  await sql.query(
    `CREATE TEMP TABLE ingest_ref (
       seq int NOT NULL, file int NOT NULL, line int NOT NULL, kind text NOT NULL,
       field text NOT NULL, slot text NOT NULL, role "ParticipantRole", target_kind text NOT NULL,
       ref_dataset text, ref_external_id text, ref_name text, ref_kind "ActorKind", ref_country char(3), ref_aliases text[]
     ) ON COMMIT DROP`,
  );
}

/** Stages rows: one COPY where the connection can, else one INSERT … SELECT from the batch as a JSON parameter. */
async function stageBatch<R extends object>(sql: Sql, table: string, columns: string[], rows: R[]): Promise<void> {
  if (rows.length === 0) return;
  const list = columns.map((c) => `"${c}"`);
  if (sql.copyText) return sql.copyText(table, list, copyRows(rows, columns));
  await sql.query(`INSERT INTO ${table} (${list.join(', ')}) SELECT ${list.join(', ')} FROM json_populate_recordset(NULL::${table}, $1::json)`, [
    JSON.stringify(rows),
  ]);
}

/** One batch of records of one kind. */
export async function stageRows(sql: Sql, kind: Kind, rows: StagedRow[]): Promise<void> {
  await stageBatch(sql, stage(kind), ['seq', 'file', 'line', 'id', 'given_id', 'dataset', 'external_id', ...recordCols(kind)], rows);
}

const REF_COLUMNS = [
  'seq',
  'file',
  'line',
  'kind',
  'field',
  'slot',
  'role',
  'target_kind',
  'ref_dataset',
  'ref_external_id',
  'ref_name',
  'ref_kind',
  'ref_country',
  'ref_aliases',
];

export async function stageRefs(sql: Sql, refs: StagedRefRow[]): Promise<void> {
  await stageBatch(sql, 'ingest_ref', REF_COLUMNS, refs);
}

export async function analyzeStaging(sql: Sql): Promise<void> {
  // A sample of 3,000 rows (not 30,000) is plenty to choose hash joins, and ANALYZE runs thrice.
  await sql.query(`SET LOCAL default_statistics_target = 10`);
  await sql.query(`ANALYZE ${APPLY_ORDER.map(stage).join(', ')}, ingest_ref`);
  await sql.query(`RESET default_statistics_target`);
}

/** Serialises imports: two imports of overlapping files cannot interleave (no duplicates, no deadlocks). */
export async function lockImports(sql: Sql): Promise<void> {
  await sql.query(`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtext('arms-transfer-tracker:ingest'))) l`);
}

export interface RowError {
  seq: number;
  file: number;
  line: number;
  kind: Kind;
  field: string;
  reason: string;
}

/**
 * Gives every staged record its database id: the existing row's for a known (dataset, externalId);
 * else the id the record carries (an export's) when free or on a row without external id (adopted);
 * else the random id it was staged with. Marks records whose key is used twice in the input.
 */
export async function matchExisting(sql: Sql): Promise<RowError[]> {
  const errors: RowError[] = [];
  for (const kind of APPLY_ORDER) {
    const s = stage(kind);
    const t = SPECS[kind].keys?.table ?? SPECS[kind].table;
    errors.push(
      ...(await sql.query<RowError>(
        `SELECT d.seq, d.file, d.line, '${kind}' AS kind, 'externalId' AS field,
                format('duplicate externalId "%s" in dataset "%s" (first at line %s)', d.external_id, d.dataset, d.first_line) AS reason
           FROM (SELECT seq, file, line, dataset, external_id,
                        row_number() OVER w AS n, first_value(line) OVER w AS first_line
                   FROM ${s} WHERE (dataset, external_id) IN (SELECT dataset, external_id FROM ${s} GROUP BY 1, 2 HAVING count(*) > 1)
                 WINDOW w AS (PARTITION BY dataset, external_id ORDER BY seq)) d
          WHERE d.n > 1 ORDER BY d.seq`,
      )),
    );
    await sql.query(`UPDATE ${s} s SET id = t.id, existed = true FROM ${t} t WHERE t.dataset = s.dataset AND t.external_id = s.external_id`);
    if (kind === 'actor') {
      // An actor entered through the API (no external id) with one of the record's names or
      // aliases is the same actor: the record adopts it (its name first). Aliases only ever add up.
      await sql.query(
        `UPDATE ingest_actor s SET id = m.actor_id, existed = true, adopt = true
           FROM (SELECT DISTINCT ON (x.seq) x.seq, aa.actor_id
                   FROM ingest_actor x CROSS JOIN LATERAL unnest(x.aliases) WITH ORDINALITY n(alias, i)
                   JOIN actor_aliases aa ON fold_name(aa.alias) = fold_name(n.alias)
                   JOIN actors a ON a.id = aa.actor_id AND a.external_id IS NULL AND a.deleted_at IS NULL
                  WHERE NOT x.existed ORDER BY x.seq, n.i, aa.actor_id) m
          WHERE s.seq = m.seq`,
      );
    }
    const [{ given }] = await sql.query<{ given: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${s} WHERE given_id) AS given`);
    if (!given) continue;
    await sql.query(`UPDATE ${s} s SET existed = true, adopt = true FROM ${t} t WHERE s.given_id AND NOT s.existed AND t.id = s.id AND t.external_id IS NULL`);
    // An id already taken by another record, or given twice in the input: a fresh one.
    await sql.query(
      `UPDATE ${s} s SET id = gen_random_uuid() WHERE s.given_id AND NOT s.existed
          AND (EXISTS (SELECT 1 FROM ${t} t WHERE t.id = s.id)
               OR s.seq IN (SELECT seq FROM (SELECT seq, row_number() OVER (PARTITION BY id ORDER BY seq) AS n FROM ${s} WHERE given_id) o WHERE o.n > 1))`,
    );
  }
  return errors;
}

/** Removes rejected records (and their references) from the staging tables. */
export async function dropRejected(sql: Sql, seqs: number[]): Promise<void> {
  if (seqs.length === 0) return;
  for (const kind of APPLY_ORDER) await sql.query(`DELETE FROM ${stage(kind)} WHERE seq = ANY($1::int[])`, [seqs]);
  await sql.query(`DELETE FROM ingest_ref WHERE seq = ANY($1::int[])`, [seqs]);
}

/**
 * Resolves every reference into ingest_resolved(seq, slot, role, target_kind, target_id …):
 * by (dataset, externalId) to a record of the input, else of the database; actors by name or
 * alias (case- and accent-insensitive), the input's own actors first; then, a STATE with a
 * country code, by that code (the input's states first, then the oldest live one); then by
 * any of the reference's aliases. `learn`: the names an actor reference gives that the actor
 * should be known by (its aliases, and its name when it was found otherwise), see learnAliases.
 * Events and shipments are looked up one by one or joined as probedKinds decides, or `lookups` says.
 */
export async function resolveRefs(sql: Sql, lookups?: 'probe' | 'join'): Promise<void> {
  const probed = lookups ? undefined : await probedKinds(sql);
  const probes = (kind: Kind) => (lookups ? lookups === 'probe' : probed!.has(kind));
  await sql.query(`DROP TABLE IF EXISTS ingest_names`);
  await sql.query(`DROP TABLE IF EXISTS ingest_states`);
  await sql.query(`DROP TABLE IF EXISTS ingest_alias_hits`);
  await sql.query(`DROP TABLE IF EXISTS ingest_resolved`);
  await sql.query(
    `CREATE TEMP TABLE ingest_names ON COMMIT DROP AS
     WITH wanted AS (SELECT fold_name(ref_name) AS folded FROM ingest_ref WHERE ref_name IS NOT NULL
                     UNION SELECT fold_name(a) FROM ingest_ref, unnest(ref_aliases) a WHERE ref_aliases IS NOT NULL)
     SELECT DISTINCT ON (folded) folded, id FROM (
       SELECT fold_name(x.alias) AS folded, s.id, 0 AS pri FROM ingest_actor s, unnest(s.aliases) x(alias)
        WHERE fold_name(x.alias) IN (SELECT folded FROM wanted)
       UNION ALL
       SELECT fold_name(aa.alias), aa.actor_id, 1 FROM actor_aliases aa JOIN actors a ON a.id = aa.actor_id AND a.deleted_at IS NULL
        WHERE fold_name(aa.alias) IN (SELECT folded FROM wanted)
     ) m ORDER BY folded, pri, id`,
  );
  await sql.query(
    `CREATE TEMP TABLE ingest_states ON COMMIT DROP AS
     SELECT DISTINCT ON (country_code) country_code, id FROM (
       SELECT s.country_code, s.id, 0 AS pri, s.seq::bigint AS o, now() AS created FROM ingest_actor s
        WHERE s.kind = 'STATE' AND s.country_code IS NOT NULL
       UNION ALL
       SELECT a.country_code, a.id, 1, 0, a.created_at FROM actors a
        WHERE a.kind = 'STATE' AND a.deleted_at IS NULL AND a.country_code IN (SELECT ref_country FROM ingest_ref WHERE ref_country IS NOT NULL)
     ) m ORDER BY country_code, pri, o, created, id`,
  );
  await sql.query(
    `CREATE TEMP TABLE ingest_alias_hits ON COMMIT DROP AS
     SELECT DISTINCT ON (r.seq, r.field) r.seq, r.field, n.id
       FROM ingest_ref r CROSS JOIN LATERAL unnest(r.ref_aliases) WITH ORDINALITY a(alias, i) JOIN ingest_names n ON n.folded = fold_name(a.alias)
      WHERE r.ref_aliases IS NOT NULL
      ORDER BY r.seq, r.field, a.i`,
  );
  const byKey = (kind: 'actor' | 'event' | 'shipment' | 'affiliation' | 'source' | 'citation') =>
    kind === 'actor'
      ? `SELECT r.*, coalesce(s.id, t.id, n.id, st.id, ah.id) AS target_id,
                CASE WHEN s.id IS NULL AND t.id IS NULL AND n.id IS NULL AND (st.id IS NOT NULL OR ah.id IS NOT NULL)
                     THEN array_prepend(r.ref_name, coalesce(r.ref_aliases, '{}')) ELSE r.ref_aliases END AS learn
           FROM ingest_ref r
           LEFT JOIN ${stage(kind)} s ON s.dataset = r.ref_dataset AND s.external_id = r.ref_external_id
           LEFT JOIN ${byExternalKey(kind, 'r.ref_dataset', 'r.ref_external_id', 't.deleted_at IS NULL', probes(kind))}
           LEFT JOIN ingest_names n ON n.folded = fold_name(r.ref_name)
           LEFT JOIN ingest_states st ON st.country_code = r.ref_country AND r.ref_kind = 'STATE'
           LEFT JOIN ingest_alias_hits ah ON ah.seq = r.seq AND ah.field = r.field
          WHERE r.target_kind = 'actor'`
      : `SELECT r.*, coalesce(s.id, t.id) AS target_id, NULL::text[] AS learn
           FROM ingest_ref r
           LEFT JOIN ${stage(kind)} s ON s.dataset = r.ref_dataset AND s.external_id = r.ref_external_id
           LEFT JOIN ${byExternalKey(kind, 'r.ref_dataset', 'r.ref_external_id', 't.deleted_at IS NULL', probes(kind))}
          WHERE r.target_kind = '${kind}'`;
  await sql.query(
    `CREATE TEMP TABLE ingest_resolved ON COMMIT DROP AS
     ${(['actor', 'event', 'shipment', 'affiliation', 'source', 'citation'] as const).map(byKey).join('\nUNION ALL\n')}`,
  );
  await sql.query(`ANALYZE ingest_names, ingest_resolved`);
}

/**
 * Creates the actors named in the input but found nowhere (--create-missing-actors); returns how
 * many. One per name; a state with a country code once per code (other names of it then find it
 * by its code and become its aliases, see learnAliases), with that code.
 */
export async function createMissingActors(sql: Sql, defaultKind: string): Promise<number> {
  const created = await sql.query<{ id: string }>(
    `WITH refs AS (
       SELECT DISTINCT ON (folded, ref_name, kind, ref_country) * FROM (
         SELECT fold_name(ref_name) AS folded, ref_name, coalesce(ref_kind, $1::"ActorKind") AS kind, ref_country, seq, field
           FROM ingest_resolved WHERE target_kind = 'actor' AND target_id IS NULL AND ref_name IS NOT NULL) r
        ORDER BY folded, ref_name, kind, ref_country, seq, field),
     named AS (SELECT DISTINCT ON (folded) folded, ref_name AS name, kind, seq FROM refs ORDER BY folded, seq, field),
     coded AS (SELECT DISTINCT ON (folded) folded, ref_country AS country FROM refs WHERE ref_country IS NOT NULL ORDER BY folded, seq, field),
     candidates AS (SELECT n.name, n.kind, c.country, n.seq FROM named n LEFT JOIN coded c ON c.folded = n.folded),
     missing AS (
       SELECT name, kind, CASE WHEN kind = 'STATE' THEN country END AS country FROM candidates WHERE kind <> 'STATE' OR country IS NULL
       UNION ALL
       (SELECT DISTINCT ON (country) name, kind, country FROM candidates WHERE kind = 'STATE' AND country IS NOT NULL ORDER BY country, seq)),
     actor AS (INSERT INTO actors (name, kind, country_code) SELECT name, kind, country FROM missing RETURNING id, name)
     INSERT INTO actor_aliases (actor_id, alias) SELECT id, name FROM actor RETURNING actor_id AS id`,
    [defaultKind],
  );
  return created.length;
}

/**
 * The names references give actors that the actors do not have yet (ingest_learned), and those
 * another actor already has, as errors: they are added to the actor's aliases when the import
 * writes (applyKind), so that the next import finds the actor by them. A name is one actor's.
 */
export async function learnAliases(sql: Sql): Promise<RowError[]> {
  await sql.query(`DROP TABLE IF EXISTS ingest_learned`);
  await sql.query(
    `CREATE TEMP TABLE ingest_learned ON COMMIT DROP AS
     SELECT DISTINCT ON (fold_name(x.alias), r.target_id) r.seq, r.file, r.line, r.kind, r.field, r.target_id AS actor_id, x.alias
       FROM ingest_resolved r CROSS JOIN LATERAL unnest(r.learn) x(alias)
      WHERE r.learn IS NOT NULL AND r.target_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM actor_aliases aa WHERE aa.actor_id = r.target_id AND fold_name(aa.alias) = fold_name(x.alias))
        AND NOT EXISTS (SELECT 1 FROM ingest_actor s, unnest(s.aliases) y WHERE s.id = r.target_id AND fold_name(y) = fold_name(x.alias))
      ORDER BY fold_name(x.alias), r.target_id, r.seq`,
  );
  return sql.query<RowError>(
    `WITH l AS (SELECT l.*, coalesce(a.name, s.name) AS actor_name FROM ingest_learned l
                  LEFT JOIN actors a ON a.id = l.actor_id LEFT JOIN ingest_actor s ON s.id = l.actor_id)
     SELECT l.seq, l.file, l.line, l.kind, l.field,
            format('"%s", another name the input gives actor "%s", already belongs to actor "%s"', l.alias, l.actor_name, o.name) AS reason
       FROM l JOIN actor_aliases aa ON fold_name(aa.alias) = fold_name(l.alias) AND aa.actor_id <> l.actor_id JOIN actors o ON o.id = aa.actor_id
     UNION ALL
     SELECT l.seq, l.file, l.line, l.kind, l.field,
            format('"%s", another name the input gives actor "%s", is given another actor too (line %s)', l.alias, l.actor_name, m.line)
       FROM l JOIN ingest_learned m ON fold_name(m.alias) = fold_name(l.alias) AND m.actor_id <> l.actor_id AND m.seq < l.seq
     UNION ALL
     SELECT l.seq, l.file, l.line, l.kind, l.field,
            format('"%s", another name the input gives actor "%s", is a name of the input''s actor "%s"', l.alias, l.actor_name, s.name)
       FROM l JOIN ingest_actor s ON s.id <> l.actor_id CROSS JOIN LATERAL unnest(s.aliases) y(alias)
      WHERE fold_name(y.alias) = fold_name(l.alias)
     ORDER BY 1`,
  );
}

const KIND_LABEL: Record<string, string> = {
  actor: 'actor',
  event: 'event',
  shipment: 'shipment',
  affiliation: 'affiliation',
  source: 'source',
  citation: 'citation',
};

/** Every reference that points nowhere, with near matches (trigram similarity) for actor names. */
export async function unresolvedErrors(sql: Sql): Promise<RowError[]> {
  const rows = await sql.query<RowError & { ref_name: string | null; target_kind: string; ref_dataset: string | null; ref_external_id: string | null }>(
    `SELECT seq, file, line, kind, field, ref_name, target_kind, ref_dataset, ref_external_id, '' AS reason
       FROM ingest_resolved WHERE target_id IS NULL ORDER BY seq, field`,
  );
  const names = [...new Set(rows.filter((r) => r.ref_name !== null).map((r) => r.ref_name as string))].slice(0, 1000);
  const near = new Map<string, string[]>();
  if (names.length > 0) {
    const found = await sql.query<{ name: string; matches: string[] }>(
      `SELECT n.name, ARRAY(
          SELECT alias FROM (
            SELECT alias FROM actor_aliases WHERE lower(alias) % lower(n.name)
            UNION SELECT x FROM ingest_actor, unnest(aliases) x WHERE lower(x) % lower(n.name)
          ) c ORDER BY similarity(lower(alias), lower(n.name)) DESC, alias LIMIT 3) AS matches
         FROM unnest($1::text[]) n(name)`,
      [names],
    );
    for (const f of found) near.set(f.name, f.matches);
  }
  return rows.map((r) => {
    let reason: string;
    if (r.ref_name !== null) {
      const m = near.get(r.ref_name) ?? [];
      reason = `unknown actor "${r.ref_name}"` + (m.length ? ` (near matches: ${m.map((x) => `"${x}"`).join(', ')})` : ' (no near matches)');
    } else {
      reason = `unknown ${KIND_LABEL[r.target_kind]} "${r.ref_external_id}" in dataset "${r.ref_dataset}": not in the input (or rejected) nor in the database`;
    }
    return { seq: r.seq, file: r.file, line: r.line, kind: r.kind, field: r.field, reason };
  });
}

/** Aliases that another actor already has (in the database or earlier in the input). */
export async function aliasErrors(sql: Sql): Promise<RowError[]> {
  return sql.query<RowError>(
    `WITH a AS (
       SELECT s.seq, s.file, s.line, s.id, s.name, x.alias, x.i, lower(x.alias) AS l
         FROM ingest_actor s CROSS JOIN LATERAL unnest(s.aliases) WITH ORDINALITY x(alias, i)),
     dup AS (
       SELECT a.*, first_value(name) OVER w AS first_name, first_value(id) OVER w AS first_id
         FROM a WHERE l IN (SELECT l FROM a GROUP BY l HAVING count(DISTINCT id) > 1)
       WINDOW w AS (PARTITION BY l ORDER BY seq))
     SELECT seq, file, line, 'actor' AS kind, CASE WHEN i = 1 THEN 'name' ELSE format('aliases[%s]', i - 2) END AS field,
            format('alias "%s" already belongs to the input''s actor "%s"', alias, first_name) AS reason
       FROM dup WHERE id <> first_id
     UNION ALL
     SELECT a.seq, a.file, a.line, 'actor', CASE WHEN a.i = 1 THEN 'name' ELSE format('aliases[%s]', a.i - 2) END,
            format('alias "%s" already belongs to actor "%s"', a.alias, o.name)
       FROM a JOIN actor_aliases aa ON lower(aa.alias) = a.l AND aa.actor_id <> a.id JOIN actors o ON o.id = aa.actor_id
     ORDER BY 1, 5`,
  );
}

/** Copies resolved ids into the staging rows, and reports rules that need them (supplier ≠ recipient …). */
export async function fillResolved(sql: Sql): Promise<RowError[]> {
  // Both ends in one pass over the references (a self-join of ingest_resolved misleads the planner).
  const pair = (stageTable: string, a: string, b: string, ca: string, cb: string) =>
    sql.query(
      `UPDATE ${stageTable} s SET ${ca} = r.a, ${cb} = r.b
         FROM (SELECT seq, (array_agg(target_id) FILTER (WHERE slot = '${a}'))[1] AS a, (array_agg(target_id) FILTER (WHERE slot = '${b}'))[1] AS b
                 FROM ingest_resolved WHERE slot IN ('${a}', '${b}') GROUP BY seq) r
        WHERE r.seq = s.seq`,
    );
  await pair('ingest_affiliation', 'actor', 'target', 'actor_id', 'target_id');
  await pair('ingest_shipment', 'supplier', 'recipient', 'supplier_id', 'recipient_id');
  await sql.query(`UPDATE ingest_citation s SET source_id = r.target_id FROM ingest_resolved r WHERE r.seq = s.seq AND r.slot = 'source'`);
  await sql.query(
    `UPDATE ingest_citation s SET event_id = CASE WHEN r.target_kind = 'event' THEN r.target_id END,
            shipment_id = CASE WHEN r.target_kind = 'shipment' THEN r.target_id END,
            affiliation_id = CASE WHEN r.target_kind = 'affiliation' THEN r.target_id END
       FROM ingest_resolved r WHERE r.seq = s.seq AND r.slot = 'subject'`,
  );
  // A repeat is stored as a repeat of the root of its chain (one hop to the origin publisher).
  await sql.query(`UPDATE ingest_source s SET derived_from_id = r.target_id FROM ingest_resolved r WHERE r.seq = s.seq AND r.slot = 'origin'`);
  await sql.query(
    `UPDATE ingest_source s SET derived_from_id = o.root
       FROM (SELECT y.seq, coalesce(x.derived_from_id, t.derived_from_id) AS root FROM ingest_source y
               LEFT JOIN ingest_source x ON x.id = y.derived_from_id
               LEFT JOIN sources t ON t.id = y.derived_from_id AND x.id IS NULL
              WHERE y.derived_from_id IS NOT NULL) o
      WHERE o.seq = s.seq AND o.root IS NOT NULL`,
  );
  await sql.query(
    `UPDATE ingest_claim s SET claimant_id = r.a, citation_id = r.c,
            event_id = CASE WHEN r.k = 'event' THEN r.s END, shipment_id = CASE WHEN r.k = 'shipment' THEN r.s END
       FROM (SELECT seq, (array_agg(target_id) FILTER (WHERE slot = 'claimant'))[1] AS a, (array_agg(target_id) FILTER (WHERE slot = 'citation'))[1] AS c,
                    (array_agg(target_id) FILTER (WHERE slot = 'subject'))[1] AS s, (array_agg(target_kind) FILTER (WHERE slot = 'subject'))[1] AS k
               FROM ingest_resolved WHERE kind = 'claim' GROUP BY seq) r
      WHERE r.seq = s.seq`,
  );
  return sql.query<RowError>(
    `SELECT seq, file, line, 'shipment' AS kind, 'recipient' AS field, 'supplier and recipient must be different actors' AS reason
       FROM ingest_shipment WHERE supplier_id = recipient_id
     UNION ALL
     SELECT seq, file, line, 'source', 'derivedFrom', 'a source cannot repeat itself (directly or through a repeat of it)'
       FROM ingest_source WHERE derived_from_id = id
     UNION ALL
     SELECT s.seq, s.file, s.line, 'claim', 'citation', 'the citation must support the claim''s event or shipment'
       FROM ingest_claim s
       LEFT JOIN ingest_citation x ON x.id = s.citation_id
       LEFT JOIN citations t ON t.id = s.citation_id AND x.id IS NULL
      WHERE s.citation_id IS NOT NULL
        AND (coalesce(x.event_id, t.event_id) IS DISTINCT FROM s.event_id OR coalesce(x.shipment_id, t.shipment_id) IS DISTINCT FROM s.shipment_id)
     UNION ALL
     SELECT s.seq, s.file, s.line, 'claim', 'accepted', 'another claim about this field of the record is accepted'
       FROM ingest_claim s
      WHERE s.accepted AND s.field IS NOT NULL
        AND (EXISTS (SELECT 1 FROM ingest_claim o WHERE o.accepted AND o.field = s.field AND o.seq < s.seq
                       AND coalesce(o.event_id, o.shipment_id) = coalesce(s.event_id, s.shipment_id))
             OR EXISTS (SELECT 1 FROM claims t WHERE t.accepted AND t.deleted_at IS NULL AND t.field = s.field AND t.id <> s.id
                          AND coalesce(t.event_id, t.shipment_id) = coalesce(s.event_id, s.shipment_id)
                          AND t.id NOT IN (SELECT id FROM ingest_claim)))
     UNION ALL
     SELECT seq, file, line, 'affiliation', 'target', 'an actor cannot be affiliated with itself'
       FROM ingest_affiliation WHERE actor_id = target_id
     ORDER BY seq`,
  );
}

/** Marks the existing records whose data, participants or events differ from the input's, or that lack one of its aliases. */
export async function markChanged(sql: Sql): Promise<void> {
  // The flags changed since the last ANALYZE: without fresh statistics the planner believes
  // no staged row exists and picks nested loops over hundreds of thousands of rows.
  await analyzeStaging(sql);
  const existing = await sql.query<{ kind: Kind }>(
    APPLY_ORDER.map((kind) => `SELECT '${kind}' AS kind WHERE EXISTS (SELECT 1 FROM ${stage(kind)} WHERE existed)`).join(' UNION ALL '),
  );
  const has = (kind: Kind) => existing.some((e) => e.kind === kind);
  for (const kind of APPLY_ORDER) {
    if (!has(kind)) continue;
    const c = cols(kind);
    await sql.query(
      `UPDATE ${stage(kind)} s SET changed = true FROM ${SPECS[kind].table} t
        WHERE s.existed AND t.id = s.id
          AND (t.deleted_at IS NOT NULL OR (${c.map((x) => `t."${x}"`).join(', ')}) IS DISTINCT FROM (${c.map((x) => `s."${x}"`).join(', ')}))`,
    );
  }
  if (has('actor'))
    await sql.query(
      `UPDATE ingest_actor s SET changed = true WHERE s.existed AND NOT s.changed
        AND EXISTS (SELECT 1 FROM unnest(s.aliases) x
                     WHERE NOT EXISTS (SELECT 1 FROM actor_aliases aa WHERE aa.actor_id = s.id AND aa.alias = x))`,
    );
  // Per record, its participants (events) as a sorted array on each side: hash joins, not a
  // set difference correlated per row.
  if (has('event'))
    await sql.query(
      `UPDATE ingest_event s SET changed = true FROM (
       SELECT e.id FROM ingest_event e
         LEFT JOIN (SELECT seq, array_agg(target_id::text || ':' || role ORDER BY target_id::text || ':' || role) AS a
                      FROM ingest_resolved WHERE slot = 'participant' GROUP BY seq) w ON w.seq = e.seq
         LEFT JOIN (SELECT p.event_id, array_agg(p.actor_id::text || ':' || p.role ORDER BY p.actor_id::text || ':' || p.role) AS a
                      FROM event_participants p JOIN ingest_event x ON x.id = p.event_id AND x.existed GROUP BY p.event_id) h ON h.event_id = e.id
        WHERE e.existed AND NOT e.changed AND w.a IS DISTINCT FROM h.a) d
      WHERE s.id = d.id`,
    );
  if (has('shipment'))
    await sql.query(
      `UPDATE ingest_shipment s SET changed = true FROM (
       SELECT x.id FROM ingest_shipment x
         LEFT JOIN (SELECT seq, array_agg(target_id::text ORDER BY target_id::text) AS a
                      FROM ingest_resolved WHERE slot = 'event' GROUP BY seq) w ON w.seq = x.seq
         LEFT JOIN (SELECT se.shipment_id, array_agg(se.event_id::text ORDER BY se.event_id::text) AS a
                      FROM shipment_events se JOIN ingest_shipment y ON y.id = se.shipment_id AND y.existed GROUP BY se.shipment_id) h ON h.shipment_id = x.id
        WHERE x.existed AND NOT x.changed AND w.a IS DISTINCT FROM h.a) d
      WHERE s.id = d.id`,
    );
}

/**
 * Creates the yearly partitions the staged events and shipments to be written need (those that
 * exist already cost one catalogue look-up; years without one, PARTITIONED_YEARS, stay in the default
 * partition). Runs in the import's transaction, before writing:
 * creating one locks its table's default partition until the import commits, so
 * `npm run db:partitions` creates them ahead for the years imports usually bring.
 */
export async function createNeededPartitions(sql: Sql): Promise<string[]> {
  const [{ created }] = await sql.query<{ created: string[] }>(
    `SELECT ensure_year_partitions('events', array(SELECT DISTINCT extract(year FROM span_start)::int FROM ingest_event
                                                    WHERE (NOT existed OR changed OR adopt) AND extract(year FROM span_start) BETWEEN $1 AND $2))
         || ensure_year_partitions('shipments', array(SELECT DISTINCT extract(year FROM delivery_start)::int FROM ingest_shipment
                                                    WHERE (NOT existed OR changed OR adopt) AND extract(year FROM delivery_start) BETWEEN $1 AND $2))
         AS created`,
    [PARTITIONED_YEARS.first, PARTITIONED_YEARS.last],
  );
  return created;
}

/**
 * Tells the per-row trigger that copies an event's span to its participations that the writes of
 * this transaction supply the spans themselves (applyKind does): the copy is then per statement
 * (migration 20261207810000_participant_spans_bulk). Transaction-local.
 */
export async function bulkSpans(sql: Sql): Promise<void> {
  await sql.query(`SELECT set_config('att.bulk_spans', 'on', true)`);
}

/**
 * Writes the records of one kind (new, changed, adopted), then their aliases, participants or
 * events. Existing records (matched by key, so their ids exist) are updated and new ones
 * inserted, by two statements: ON CONFLICT (id) cannot serve the partitioned tables, whose
 * unique constraints include the partition key (a changed span may move the row).
 */
export async function applyKind(sql: Sql, kind: Kind): Promise<void> {
  const s = stage(kind);
  const data = ['dataset', 'external_id', ...cols(kind)].map((x) => `"${x}"`);
  await sql.query(
    `UPDATE ${SPECS[kind].table} t SET ${data.map((x) => `${x} = s.${x}`).join(', ')}, updated_at = now(), deleted_at = NULL
       FROM ${s} s WHERE s.existed AND (s.changed OR s.adopt) AND t.id = s.id`,
  );
  await sql.query(`INSERT INTO ${SPECS[kind].table} (id, ${data.join(', ')}) SELECT id, ${data.join(', ')} FROM ${s} WHERE NOT existed`);
  if (kind === 'actor') {
    // Aliases add up: a name an actor was once known by stays (removeActorAlias removes one).
    await sql.query(
      `INSERT INTO actor_aliases (actor_id, alias)
       SELECT s.id, x FROM ingest_actor s, unnest(s.aliases) x WHERE NOT s.existed OR s.changed
       ON CONFLICT ((lower(alias))) DO UPDATE SET alias = EXCLUDED.alias WHERE actor_aliases.actor_id = EXCLUDED.actor_id`,
    );
    // Other names the input gives actors (learnAliases has refused those another actor has).
    await sql.query(`INSERT INTO actor_aliases (actor_id, alias) SELECT actor_id, alias FROM ingest_learned ON CONFLICT DO NOTHING`);
  } else if (kind === 'event') {
    // In id order (time-ordered for new records): the primary key's inserts and the per-row
    // foreign-key checks then walk the indexes in order instead of at random.
    await sql.query(`DELETE FROM event_participants p USING ingest_event s WHERE s.existed AND s.changed AND p.event_id = s.id`);
    // Each participation's copy of its event's span is written here, from the values the event
    // was just written with, instead of looked up per row by its trigger (skipped by BULK_SPANS).
    await sql.query(
      `INSERT INTO event_participants (event_id, actor_id, role, span_start, span_end)
       SELECT s.id, r.target_id, r.role, s.span_start, s.span_end FROM ingest_resolved r JOIN ingest_event s ON s.seq = r.seq
        WHERE r.slot = 'participant' AND (NOT s.existed OR s.changed)
        ORDER BY s.id
       ON CONFLICT DO NOTHING`,
    );
  } else if (kind === 'shipment') {
    await sql.query(`DELETE FROM shipment_events p USING ingest_shipment s WHERE s.existed AND s.changed AND p.shipment_id = s.id`);
    await sql.query(
      `INSERT INTO shipment_events (shipment_id, event_id)
       SELECT s.id, r.target_id FROM ingest_resolved r JOIN ingest_shipment s ON s.seq = r.seq
        WHERE r.slot = 'event' AND (NOT s.existed OR s.changed)
        ORDER BY s.id
       ON CONFLICT DO NOTHING`,
    );
  }
}

export interface KindCounts {
  created: number;
  updated: number;
  unchanged: number;
}

/**
 * The import's audit entry: one row of the audit log (entity IMPORT, entity_id the import's id)
 * with who, the inputs and the counts, in the import's transaction. Per-record before/after
 * is not written for bulk imports (millions of rows): see docs/decisions/bulk-import.md.
 */
export async function auditImport(sql: Sql, entry: { id: string; keyId: string | null; operation: string; summary: unknown }): Promise<void> {
  await sql.query(`INSERT INTO audit_log (key_id, operation, entity, entity_id, after) VALUES ($1::uuid, $2, 'IMPORT', $3::uuid, $4::jsonb)`, [
    entry.keyId,
    entry.operation,
    entry.id,
    JSON.stringify(entry.summary),
  ]);
}

export async function countStaged(sql: Sql): Promise<Record<Kind, KindCounts>> {
  const rows = await sql.query<{ kind: Kind; created: number; updated: number; unchanged: number }>(
    APPLY_ORDER.map(
      (kind) =>
        `SELECT '${kind}' AS kind, count(*) FILTER (WHERE NOT existed)::int AS created,
                count(*) FILTER (WHERE existed AND changed)::int AS updated, count(*) FILTER (WHERE existed AND NOT changed)::int AS unchanged
           FROM ${stage(kind)}`,
    ).join(' UNION ALL '),
  );
  return Object.fromEntries(rows.map((r) => [r.kind, { created: r.created, updated: r.updated, unchanged: r.unchanged }])) as Record<Kind, KindCounts>;
}

/** The link tables applyKind writes with a kind's records. */
const LINKS: Partial<Record<Kind, string[]>> = {
  actor: ['actor_aliases'],
  event: ['event_participants'],
  shipment: ['shipment_events'],
};

/** Every table an import writes a kind's records to: its own, its key table, its links. */
const writtenTables = (kind: Kind): string[] => [SPECS[kind].table, ...(SPECS[kind].keys ? [SPECS[kind].keys.table] : []), ...(LINKS[kind] ?? [])];

/**
 * Refreshes the planner's statistics on the tables this import wrote a tenth or more of
 * (autovacuum's own analyze threshold), inside the transaction so they commit with the rows.
 * Autovacuum would get there only after the commit and its next round, and never analyses a
 * partitioned table's parent; until then the next import planned its joins on a few rows per
 * table (columns never analysed; docs/decisions/bulk-import.md). Small imports into large
 * tables skip it: sampling costs seconds there.
 */
export async function analyzeWritten(sql: Sql, counts: Record<Kind, KindCounts>): Promise<void> {
  const kinds = APPLY_ORDER.filter((k) => counts[k].created + counts[k].updated > 0);
  if (kinds.length === 0) return;
  const sizes = await sql.query<{ relname: string; rows: number }>(`SELECT relname, reltuples::float8 AS rows FROM pg_class WHERE oid = ANY($1::regclass[])`, [
    kinds.map((k) => SPECS[k].table),
  ]);
  const rows = new Map(sizes.map((s) => [s.relname, Number(s.rows)]));
  const tables = kinds.filter((k) => counts[k].created + counts[k].updated >= 0.1 * Math.max(0, rows.get(SPECS[k].table) ?? 0)).flatMap(writtenTables);
  if (tables.length > 0) await sql.query(`ANALYZE ${tables.join(', ')}`);
}
