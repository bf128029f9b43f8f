-- Knowledge time for provenance (issue #10): sources, citations and claims get their history
-- (history.attach, migration 20261201130000_history), so the change feed reports them and asOf
-- reads nested citations, sources, claims and corroboration as the database held them.
-- Backfill: existing rows get one version from their created_at (a soft-deleted one is live
-- until its deleted_at), with today's values.
SELECT history.attach('sources', 'SOURCE', '{id}', 'r.created_at');
SELECT history.attach('citations', 'CITATION', '{id}', 'r.created_at');
SELECT history.attach('claims', 'CLAIM', '{id}', 'r.created_at');

-- asOf reads: a record's citations and claims (nested fields, corroboration), a claim list.
CREATE INDEX "citations_event_idx" ON history.citations (event_id);
CREATE INDEX "citations_shipment_idx" ON history.citations (shipment_id);
CREATE INDEX "citations_affiliation_idx" ON history.citations (affiliation_id);
CREATE INDEX "claims_event_idx" ON history.claims (event_id);
CREATE INDEX "claims_shipment_idx" ON history.claims (shipment_id);

ANALYZE history.sources, history.citations, history.claims;
