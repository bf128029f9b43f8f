-- Issue #26 item 3: every report figure says what it is made of. The shipment rollups
-- (20261201100000_report_rollups, 20261201170000_shipment_pair_rollup) gain what a report needs
-- to give, beside the best sum it always gave, the low and high sums, how many parts have an
-- unknown bound, how many parts are estimates, and the same report with the estimates left out
-- (src/db/queries/reports.ts reads them; docs/decisions/report-estimates.md says why and what
-- it costs). The rollups stay exact in every writing transaction, as before.
--
-- What a shipment is, for a report (quantities: migration 20261207300000_uncertainty):
--   unquantified  nothing is known of its quantity (quantity_qualifier IS NULL);
--   exact         an EXACT quantity and a closed delivery span (delivery_open false): its whole
--                 quantity placed in one period is exact;
--   otherwise     an estimated quantity (APPROXIMATE, AT_LEAST, AT_MOST, ESTIMATE), or one whose
--                 placement comes from the bounding rule (an open or unknown end): every part of
--                 it is an estimate.
-- Under PRO_RATA an exact shipment is an estimate in a period that holds only a share of it
-- (its span crosses the period's bounds). Which it is depends on the report's granularity, so a
-- month row counts the exact shipments starting in it whose span ends in the same month
-- (exact_month), the same quarter (exact_quarter) or the same year (exact_year): a period P of
-- whole months holds Σ_{m ∈ P} exact_<granularity>(m) exact shipments placed whole, and the
-- other shipments of known quantity attributed to P are estimates.
--
-- New per month (and, as before, per supplier, recipient, category, status, confidence, unit):
--   quantity_low_*, quantity_high_*            the low and high bounds, as quantity_* the best
--   unknown_low_*, unknown_high_*              shipments whose low/high bound is unknown, as unknown_*
--   unquantified_overlapping/_starting/_ending shipments of which nothing is known
--   exact_starting, exact_ending               exact shipments starting/ending in the month
--   exact_month, exact_quarter, exact_year     exact shipments starting in the month, ending in the same month/quarter/year
--   exact_quantity_*                           their quantities

-- The rollups are rebuilt from the shipments below: emptied first, so the new columns need no default.
TRUNCATE "shipment_month_rollup", "shipment_pair_month_rollup";

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['shipment_month_rollup', 'shipment_pair_month_rollup'] LOOP
    EXECUTE format($sql$ALTER TABLE %I
      ADD COLUMN "unknown_low_overlapping" INTEGER NOT NULL,
      ADD COLUMN "unknown_low_starting" INTEGER NOT NULL,
      ADD COLUMN "unknown_low_ending" INTEGER NOT NULL,
      ADD COLUMN "unknown_high_overlapping" INTEGER NOT NULL,
      ADD COLUMN "unknown_high_starting" INTEGER NOT NULL,
      ADD COLUMN "unknown_high_ending" INTEGER NOT NULL,
      ADD COLUMN "unquantified_overlapping" INTEGER NOT NULL,
      ADD COLUMN "unquantified_starting" INTEGER NOT NULL,
      ADD COLUMN "unquantified_ending" INTEGER NOT NULL,
      ADD COLUMN "exact_starting" INTEGER NOT NULL,
      ADD COLUMN "exact_ending" INTEGER NOT NULL,
      ADD COLUMN "exact_month" INTEGER NOT NULL,
      ADD COLUMN "exact_quarter" INTEGER NOT NULL,
      ADD COLUMN "exact_year" INTEGER NOT NULL,
      ADD COLUMN "quantity_low_pro_rata" DOUBLE PRECISION NOT NULL,
      ADD COLUMN "quantity_low_start" DOUBLE PRECISION NOT NULL,
      ADD COLUMN "quantity_low_end" DOUBLE PRECISION NOT NULL,
      ADD COLUMN "quantity_high_pro_rata" DOUBLE PRECISION NOT NULL,
      ADD COLUMN "quantity_high_start" DOUBLE PRECISION NOT NULL,
      ADD COLUMN "quantity_high_end" DOUBLE PRECISION NOT NULL,
      ADD COLUMN "exact_quantity_start" DOUBLE PRECISION NOT NULL,
      ADD COLUMN "exact_quantity_end" DOUBLE PRECISION NOT NULL,
      ADD COLUMN "exact_quantity_month" DOUBLE PRECISION NOT NULL,
      ADD COLUMN "exact_quantity_quarter" DOUBLE PRECISION NOT NULL,
      ADD COLUMN "exact_quantity_year" DOUBLE PRECISION NOT NULL$sql$, t);
  END LOOP;
END
$$;

-- The figures of a shipment rollup row, in one place for the statements below. A sum names the
-- counts that say it is exactly 0 (`known` equal to `unknown`, or `known` 0 when there is no
-- `unknown`): it is then reset to 0, so that float rounding of added and removed parts never lingers.
CREATE FUNCTION "shipment_rollup_figures"() RETURNS TABLE ("ord" integer, "name" text, "known" text, "unknown" text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  VALUES (1, 'overlapping', NULL, NULL), (2, 'starting', NULL, NULL), (3, 'ending', NULL, NULL),
         (4, 'unknown_overlapping', NULL, NULL), (5, 'unknown_starting', NULL, NULL), (6, 'unknown_ending', NULL, NULL),
         (7, 'unknown_low_overlapping', NULL, NULL), (8, 'unknown_low_starting', NULL, NULL), (9, 'unknown_low_ending', NULL, NULL),
         (10, 'unknown_high_overlapping', NULL, NULL), (11, 'unknown_high_starting', NULL, NULL), (12, 'unknown_high_ending', NULL, NULL),
         (13, 'unquantified_overlapping', NULL, NULL), (14, 'unquantified_starting', NULL, NULL), (15, 'unquantified_ending', NULL, NULL),
         (16, 'exact_starting', NULL, NULL), (17, 'exact_ending', NULL, NULL),
         (18, 'exact_month', NULL, NULL), (19, 'exact_quarter', NULL, NULL), (20, 'exact_year', NULL, NULL),
         (21, 'quantity_pro_rata', 'overlapping', 'unknown_overlapping'),
         (22, 'quantity_start', 'starting', 'unknown_starting'),
         (23, 'quantity_end', 'ending', 'unknown_ending'),
         (24, 'quantity_low_pro_rata', 'overlapping', 'unknown_low_overlapping'),
         (25, 'quantity_low_start', 'starting', 'unknown_low_starting'),
         (26, 'quantity_low_end', 'ending', 'unknown_low_ending'),
         (27, 'quantity_high_pro_rata', 'overlapping', 'unknown_high_overlapping'),
         (28, 'quantity_high_start', 'starting', 'unknown_high_starting'),
         (29, 'quantity_high_end', 'ending', 'unknown_high_ending'),
         (30, 'exact_quantity_start', 'exact_starting', NULL),
         (31, 'exact_quantity_end', 'exact_ending', NULL),
         (32, 'exact_quantity_month', 'exact_month', NULL),
         (33, 'exact_quantity_quarter', 'exact_quarter', NULL),
         (34, 'exact_quantity_year', 'exact_year', NULL)
$$;

-- What one shipment row adds to the rollups (sign +1) or takes from them (-1): one row per month
-- its delivery span overlaps, nothing when it is soft-deleted; the figures in the order of
-- shipment_rollup_figures. The pro-rata share is the direct report's: days of the span inside the
-- month over days of the span. What depends on the shipment alone (q: its flags, as signed 0/±1
-- integers, and its signed quantities) and on the month alone (m) is computed once, in subqueries
-- kept apart by OFFSET 0: pulled up into the figures, each flag's expression (date_trunc
-- included) would be evaluated again in every figure that uses it, which tripled the triggers'
-- time; a figure is then a product or two.
DROP FUNCTION "shipment_month_contributions"(integer, "shipments");
CREATE FUNCTION "shipment_month_contributions"(sign integer, s "shipments")
RETURNS TABLE (
    "month" date, "supplier_id" uuid, "recipient_id" uuid, "category" "ShipmentCategory", "status" "ShipmentStatus",
    "confidence" "Confidence", "unit" text,
    "overlapping" integer, "starting" integer, "ending" integer,
    "unknown_overlapping" integer, "unknown_starting" integer, "unknown_ending" integer,
    "unknown_low_overlapping" integer, "unknown_low_starting" integer, "unknown_low_ending" integer,
    "unknown_high_overlapping" integer, "unknown_high_starting" integer, "unknown_high_ending" integer,
    "unquantified_overlapping" integer, "unquantified_starting" integer, "unquantified_ending" integer,
    "exact_starting" integer, "exact_ending" integer, "exact_month" integer, "exact_quarter" integer, "exact_year" integer,
    "quantity_pro_rata" double precision, "quantity_start" double precision, "quantity_end" double precision,
    "quantity_low_pro_rata" double precision, "quantity_low_start" double precision, "quantity_low_end" double precision,
    "quantity_high_pro_rata" double precision, "quantity_high_start" double precision, "quantity_high_end" double precision,
    "exact_quantity_start" double precision, "exact_quantity_end" double precision, "exact_quantity_month" double precision,
    "exact_quantity_quarter" double precision, "exact_quantity_year" double precision)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT m.month, s.supplier_id, s.recipient_id, s.category, s.status, s.confidence, coalesce(s.unit, ''),
         sign, sign * m.starts, sign * m.ends,
         q.unknown, m.starts * q.unknown, m.ends * q.unknown,
         q.unknown_low, m.starts * q.unknown_low, m.ends * q.unknown_low,
         q.unknown_high, m.starts * q.unknown_high, m.ends * q.unknown_high,
         q.unquantified, m.starts * q.unquantified, m.ends * q.unquantified,
         m.starts * q.exact, m.ends * q.exact, m.starts * q.exact_month, m.starts * q.exact_quarter, m.starts * q.exact_year,
         m.share * q.best, m.starts * q.best, m.ends * q.best,
         m.share * q.low, m.starts * q.low, m.ends * q.low,
         m.share * q.high, m.starts * q.high, m.ends * q.high,
         m.starts * q.exact_best, m.ends * q.exact_best, m.starts * q.exact_month_best, m.starts * q.exact_quarter_best,
         m.starts * q.exact_year_best
  FROM (SELECT sign * (s.quantity IS NULL)::int AS unknown, sign * (s.quantity_low IS NULL)::int AS unknown_low,
               sign * (s.quantity_high IS NULL)::int AS unknown_high, sign * (s.quantity_qualifier IS NULL)::int AS unquantified,
               sign * x.exact AS exact, sign * x.exact_month AS exact_month, sign * x.exact_quarter AS exact_quarter,
               sign * x.exact_year AS exact_year,
               sign * coalesce(s.quantity, 0) AS best, sign * coalesce(s.quantity_low, 0) AS low, sign * coalesce(s.quantity_high, 0) AS high,
               sign * x.exact * coalesce(s.quantity, 0) AS exact_best, sign * x.exact_month * coalesce(s.quantity, 0) AS exact_month_best,
               sign * x.exact_quarter * coalesce(s.quantity, 0) AS exact_quarter_best,
               sign * x.exact_year * coalesce(s.quantity, 0) AS exact_year_best, x.first, x.last
          FROM (SELECT y.exact, y.exact * (y.first = y.last)::int AS exact_month,
                       y.exact * (date_trunc('quarter', y.first) = date_trunc('quarter', y.last))::int AS exact_quarter,
                       y.exact * (date_trunc('year', y.first) = date_trunc('year', y.last))::int AS exact_year, y.first, y.last
                  FROM (SELECT coalesce(s.quantity_qualifier = 'EXACT' AND NOT s.delivery_open, false)::int AS exact,
                               date_trunc('month', s.delivery_start::timestamp) AS first,
                               date_trunc('month', s.delivery_end::timestamp) AS last OFFSET 0) AS y) AS x
        OFFSET 0) AS q,
       LATERAL (SELECT g::date AS month, (g = q.first)::int AS starts, (g = q.last)::int AS ends,
                       (LEAST(s.delivery_end, (g + interval '1 month')::date - 1) - GREATEST(s.delivery_start, g::date) + 1)::float8
                         / (s.delivery_end - s.delivery_start + 1) AS share
                  FROM generate_series(q.first, q.last, interval '1 month') AS g OFFSET 0) AS m
  WHERE s.deleted_at IS NULL
$$;

-- INSERT … ON CONFLICT DO UPDATE adding the grouped rows of `source` (columns of
-- shipment_month_contributions, or sums of them) to the rollup `target` keyed by `keys` (its
-- primary key's columns, in order): every figure of shipment_rollup_figures added, a sum reset to
-- exactly 0 when nothing it sums remains.
CREATE OR REPLACE FUNCTION "shipment_rollup_upsert"(target text, keys text, source text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT format($sql$
    INSERT INTO %1$I AS r (%2$s, %4$s)
    SELECT %2$s, %5$s
    FROM %3$s AS c
    GROUP BY %2$s
    ORDER BY %2$s
    ON CONFLICT (%2$s) DO UPDATE SET %6$s
  $sql$, target, keys, source,
    string_agg(format('%I', f.name), ', ' ORDER BY f.ord),
    string_agg(format('sum(%I)', f.name), ', ' ORDER BY f.ord),
    string_agg(CASE
      WHEN f.known IS NULL THEN format('%1$I = r.%1$I + excluded.%1$I', f.name)
      WHEN f.unknown IS NULL THEN format('%1$I = CASE WHEN r.%2$I + excluded.%2$I = 0 THEN 0 ELSE r.%1$I + excluded.%1$I END', f.name, f.known)
      ELSE format('%1$I = CASE WHEN r.%2$I + excluded.%2$I = r.%3$I + excluded.%3$I THEN 0 ELSE r.%1$I + excluded.%1$I END',
                  f.name, f.known, f.unknown)
    END, ', ' ORDER BY f.ord))
  FROM shipment_rollup_figures() AS f
$$;

-- Both rollups from one pass over the contributions, as before (the finer rollup's rows grouped
-- once and materialised, the pair rollup's summed from them), with every figure.
CREATE OR REPLACE FUNCTION "shipment_month_rollup_statement"(contributions text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT format($sql$
    WITH fine AS MATERIALIZED (
      SELECT month, supplier_id, recipient_id, category, status, confidence, unit, %2$s
      FROM (%1$s) AS c
      GROUP BY supplier_id, recipient_id, month, category, status, confidence, unit
    ),
    upsert_fine AS (%3$s)
    %4$s
  $sql$, contributions,
    (SELECT string_agg(format('sum(%1$I) AS %1$I', f.name), ', ' ORDER BY f.ord) FROM shipment_rollup_figures() AS f),
    shipment_rollup_upsert('shipment_month_rollup', 'supplier_id, recipient_id, month, category, status, confidence, unit', 'fine'),
    shipment_rollup_upsert('shipment_pair_month_rollup', 'supplier_id, recipient_id, month, unit', 'fine'))
$$;

-- The trigger function as before; an UPDATE now also counts when it changes the quantity's
-- bounds or qualifier, or whether the delivery has an open end.
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
      WHERE (o.supplier_id, o.recipient_id, o.category, o.status, o.confidence, o.unit, o.quantity, o.quantity_low,
             o.quantity_high, o.quantity_qualifier, o.delivery_start, o.delivery_end, o.delivery_open, o.deleted_at IS NULL)
            IS DISTINCT FROM
            (n.supplier_id, n.recipient_id, n.category, n.status, n.confidence, n.unit, n.quantity, n.quantity_low,
             n.quantity_high, n.quantity_qualifier, n.delivery_start, n.delivery_end, n.delivery_open, n.deleted_at IS NULL)$q$);
  END IF;
  RETURN NULL;
END
$fn$;

-- Rebuilt from the shipments there.
DO $$
BEGIN
  EXECUTE shipment_month_rollup_statement('SELECT c.* FROM shipments s CROSS JOIN LATERAL shipment_month_contributions(1, s) c');
END
$$;
ANALYZE "shipment_month_rollup", "shipment_pair_month_rollup";
