-- A coarser shipment rollup for the common report (src/db/queries/reports.ts): shipments per
-- month, supplier, recipient and unit only. shipment_month_rollup (20261201100000_report_rollups)
-- hardly aggregates, being also keyed by category, status and confidence: 1,873,715 rows for
-- 200,000 shipments, and a monthly 10-year report of 1 supplier × 4 recipients read 15,078 of
-- them. A report whose groupBy and filters need none of those three keys reads this table:
-- 4,828 rows for that report (its statement: 65-81 ms CPU before, 26-33 ms with this table and
-- one output row per group; bench/README.md). Over all the data it aggregates little more
-- (1,470,722 rows: most supplier-recipient pairs are rare), but it does at the busy pairs
-- reports look at. Its price, on the trigger of a 10,000-shipment statement: about +25% for an
-- INSERT, +40-90% for an UPDATE of quantities.
--
-- Same columns, same meaning, same exactness as shipment_month_rollup (see its migration): it
-- is maintained by the same trigger function, in the same statement as the finer rollup: the
-- statement that trigger function EXECUTEs (shipment_month_rollup_statement) now groups the
-- statement's contributions once and upserts both tables from them (a data-modifying WITH),
-- and its TRUNCATE empties both.

CREATE TABLE "shipment_pair_month_rollup" (
    "month" DATE NOT NULL,
    "supplier_id" UUID NOT NULL,
    "recipient_id" UUID NOT NULL,
    "unit" TEXT NOT NULL,
    "overlapping" INTEGER NOT NULL,
    "starting" INTEGER NOT NULL,
    "ending" INTEGER NOT NULL,
    "unknown_overlapping" INTEGER NOT NULL,
    "unknown_starting" INTEGER NOT NULL,
    "unknown_ending" INTEGER NOT NULL,
    "quantity_pro_rata" DOUBLE PRECISION NOT NULL,
    "quantity_start" DOUBLE PRECISION NOT NULL,
    "quantity_end" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "shipment_pair_month_rollup_pkey" PRIMARY KEY ("supplier_id", "recipient_id", "month", "unit")
) WITH (fillfactor = 60);
-- fillfactor and indexes: as shipment_month_rollup's, for the same reasons (HOT count updates;
-- supplierIds by the primary key, recipientIds alone and no actor filter by these).
CREATE INDEX "shipment_pair_month_rollup_recipient_id_month_idx" ON "shipment_pair_month_rollup"("recipient_id", "month");
CREATE INDEX "shipment_pair_month_rollup_month_idx" ON "shipment_pair_month_rollup"("month");

-- INSERT … ON CONFLICT DO UPDATE adding the grouped rows of `source` (columns of
-- shipment_month_contributions, or sums of them) to the rollup `target` keyed by `keys` (its
-- primary key's columns, in order). Quantities go back to exactly 0 when only unknown ones remain.
CREATE FUNCTION "shipment_rollup_upsert"(target text, keys text, source text) RETURNS text LANGUAGE sql IMMUTABLE
RETURN format($sql$
    INSERT INTO %1$I AS r (%2$s, overlapping, starting, ending, unknown_overlapping, unknown_starting, unknown_ending,
                           quantity_pro_rata, quantity_start, quantity_end)
    SELECT %2$s, sum(overlapping), sum(starting), sum(ending), sum(unknown_overlapping), sum(unknown_starting), sum(unknown_ending),
           sum(quantity_pro_rata), sum(quantity_start), sum(quantity_end)
    FROM %3$s AS c
    GROUP BY %2$s
    ORDER BY %2$s
    ON CONFLICT (%2$s) DO UPDATE SET
      overlapping = r.overlapping + excluded.overlapping,
      starting = r.starting + excluded.starting,
      ending = r.ending + excluded.ending,
      unknown_overlapping = r.unknown_overlapping + excluded.unknown_overlapping,
      unknown_starting = r.unknown_starting + excluded.unknown_starting,
      unknown_ending = r.unknown_ending + excluded.unknown_ending,
      quantity_pro_rata = CASE WHEN r.overlapping + excluded.overlapping = r.unknown_overlapping + excluded.unknown_overlapping
                               THEN 0 ELSE r.quantity_pro_rata + excluded.quantity_pro_rata END,
      quantity_start = CASE WHEN r.starting + excluded.starting = r.unknown_starting + excluded.unknown_starting
                            THEN 0 ELSE r.quantity_start + excluded.quantity_start END,
      quantity_end = CASE WHEN r.ending + excluded.ending = r.unknown_ending + excluded.unknown_ending
                          THEN 0 ELSE r.quantity_end + excluded.quantity_end END
  $sql$, target, keys, source);

-- Both rollups from one pass over the contributions: the finer rollup's rows (grouped once,
-- materialised), then the pair rollup's as sums of those. Rows are upserted in key order in
-- each table, as before.
CREATE OR REPLACE FUNCTION "shipment_month_rollup_statement"(contributions text) RETURNS text LANGUAGE sql IMMUTABLE
RETURN format($sql$
    WITH fine AS MATERIALIZED (
      SELECT month, supplier_id, recipient_id, category, status, confidence, unit,
             sum(overlapping) AS overlapping, sum(starting) AS starting, sum(ending) AS ending,
             sum(unknown_overlapping) AS unknown_overlapping, sum(unknown_starting) AS unknown_starting,
             sum(unknown_ending) AS unknown_ending, sum(quantity_pro_rata) AS quantity_pro_rata,
             sum(quantity_start) AS quantity_start, sum(quantity_end) AS quantity_end
      FROM (%s) AS c
      GROUP BY supplier_id, recipient_id, month, category, status, confidence, unit
    ),
    upsert_fine AS (%s)
    %s
  $sql$, contributions,
    shipment_rollup_upsert('shipment_month_rollup', 'supplier_id, recipient_id, month, category, status, confidence, unit', 'fine'),
    shipment_rollup_upsert('shipment_pair_month_rollup', 'supplier_id, recipient_id, month, unit', 'fine'));

-- The trigger function as before, but TRUNCATE empties both rollups.
CREATE OR REPLACE FUNCTION "shipment_month_rollup_trigger"() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    TRUNCATE shipment_month_rollup, shipment_pair_month_rollup;
  ELSIF TG_OP = 'INSERT' THEN
    EXECUTE shipment_month_rollup_statement('SELECT c.* FROM new_rows n CROSS JOIN LATERAL shipment_month_contributions(1, n) c');
  ELSIF TG_OP = 'DELETE' THEN
    EXECUTE shipment_month_rollup_statement('SELECT c.* FROM old_rows o CROSS JOIN LATERAL shipment_month_contributions(-1, o) c');
  ELSE
    EXECUTE shipment_month_rollup_statement($q$
      SELECT c.* FROM old_rows o JOIN new_rows n ON n.id = o.id
      CROSS JOIN LATERAL (SELECT * FROM shipment_month_contributions(-1, o) UNION ALL SELECT * FROM shipment_month_contributions(1, n)) c
      WHERE (o.supplier_id, o.recipient_id, o.category, o.status, o.confidence, o.unit, o.quantity,
             o.delivery_start, o.delivery_end, o.deleted_at IS NULL)
            IS DISTINCT FROM
            (n.supplier_id, n.recipient_id, n.category, n.status, n.confidence, n.unit, n.quantity,
             n.delivery_start, n.delivery_end, n.deleted_at IS NULL)$q$);
  END IF;
  RETURN NULL;
END
$fn$;

-- Backfill from the finer rollup (the same figures, summed), in the pair rollup's key order.
DO $$
BEGIN
  EXECUTE shipment_rollup_upsert('shipment_pair_month_rollup', 'supplier_id, recipient_id, month, unit', 'shipment_month_rollup');
END
$$;
ANALYZE "shipment_pair_month_rollup";
