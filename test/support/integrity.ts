// Referential integrity as readers see it: live records that refer to a deleted record, written
// out table by table (not derived from src/domain/dependents.ts, which it checks).
import type { Pool } from 'pg';

const CHECKS = [
  ['shipment', 'supplier', `SELECT s.id FROM shipments s JOIN actors a ON a.id = s.supplier_id WHERE s.deleted_at IS NULL AND a.deleted_at IS NOT NULL`],
  ['shipment', 'recipient', `SELECT s.id FROM shipments s JOIN actors a ON a.id = s.recipient_id WHERE s.deleted_at IS NULL AND a.deleted_at IS NOT NULL`],
  [
    'shipment',
    'event',
    `SELECT s.id FROM shipments s JOIN shipment_events l ON l.shipment_id = s.id JOIN events e ON e.id = l.event_id WHERE s.deleted_at IS NULL AND e.deleted_at IS NOT NULL`,
  ],
  [
    'event',
    'participant',
    `SELECT e.id FROM events e JOIN event_participants p ON p.event_id = e.id JOIN actors a ON a.id = p.actor_id WHERE e.deleted_at IS NULL AND a.deleted_at IS NOT NULL`,
  ],
  [
    'affiliation',
    'actor',
    `SELECT f.id FROM affiliations f JOIN actors a ON a.id IN (f.actor_id, f.target_id) WHERE f.deleted_at IS NULL AND a.deleted_at IS NOT NULL`,
  ],
  ['citation', 'source', `SELECT c.id FROM citations c JOIN sources s ON s.id = c.source_id WHERE c.deleted_at IS NULL AND s.deleted_at IS NOT NULL`],
  ['citation', 'event', `SELECT c.id FROM citations c JOIN events e ON e.id = c.event_id WHERE c.deleted_at IS NULL AND e.deleted_at IS NOT NULL`],
  ['citation', 'shipment', `SELECT c.id FROM citations c JOIN shipments s ON s.id = c.shipment_id WHERE c.deleted_at IS NULL AND s.deleted_at IS NOT NULL`],
  [
    'citation',
    'affiliation',
    `SELECT c.id FROM citations c JOIN affiliations f ON f.id = c.affiliation_id WHERE c.deleted_at IS NULL AND f.deleted_at IS NOT NULL`,
  ],
  ['claim', 'claimant', `SELECT k.id FROM claims k JOIN actors a ON a.id = k.claimant_id WHERE k.deleted_at IS NULL AND a.deleted_at IS NOT NULL`],
  ['claim', 'event', `SELECT k.id FROM claims k JOIN events e ON e.id = k.event_id WHERE k.deleted_at IS NULL AND e.deleted_at IS NOT NULL`],
  ['claim', 'shipment', `SELECT k.id FROM claims k JOIN shipments s ON s.id = k.shipment_id WHERE k.deleted_at IS NULL AND s.deleted_at IS NOT NULL`],
  ['claim', 'citation', `SELECT k.id FROM claims k JOIN citations c ON c.id = k.citation_id WHERE k.deleted_at IS NULL AND c.deleted_at IS NOT NULL`],
  ['source', 'origin', `SELECT s.id FROM sources s JOIN sources o ON o.id = s.derived_from_id WHERE s.deleted_at IS NULL AND o.deleted_at IS NOT NULL`],
] as const;

/** "shipment <id> → its supplier is deleted", one per live record referring to a deleted one; empty when there is none. */
export async function danglingReferences(pool: Pool): Promise<string[]> {
  const sql = CHECKS.map(([kind, what, q]) => `SELECT '${kind} ' || x.id || ' → its ${what} is deleted' AS line FROM (${q}) x`).join(' UNION ALL ');
  const { rows } = await pool.query<{ line: string }>(`${sql} ORDER BY 1`);
  return rows.map((r) => r.line);
}

/** The tables the seed writes and a start-up could change. */
export const SEEDED_TABLES = [
  'actors',
  'actor_aliases',
  'affiliations',
  'events',
  'event_participants',
  'shipments',
  'shipment_events',
  'sources',
  'citations',
  'claims',
  'audit_log',
];

/** Per table: its rows and a digest of every row, so that two snapshots differ when anything in them changed. */
export async function snapshotTables(pool: Pool, tables: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of tables) {
    const { rows } = await pool.query(`SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS d FROM ${t} t`);
    out[t] = `${rows[0].n} ${rows[0].d}`;
  }
  return out;
}

/** Rows per table (`tables`), as { table: count }. */
export async function rowCounts(pool: Pool, tables: string[]): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ t: string; n: number }>(tables.map((t) => `SELECT '${t}' AS t, count(*)::int AS n FROM ${t}`).join(' UNION ALL '));
  return Object.fromEntries(rows.map((r) => [r.t, r.n]));
}
