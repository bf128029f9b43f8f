-- Issue #31, bulk import speed: the finer shipment rollup's rows are added as the rollups'
-- statement groups them, not grouped and sorted a second time.
--
-- shipment_month_rollup_statement groups the contributions once by the finer rollup's key (the
-- CTE `fine`), then upserted them through shipment_rollup_upsert, which grouped and sorted its
-- source again: for `fine` a no-op that cost, at default scale (200,000 shipments, 1.9 M rows),
-- about 6 s of the statement's 59. The finer rollup now takes `fine` as it is (a sorted
-- aggregation hands its groups over in the rollup's key order); the pair rollup still groups
-- `fine` by its own, coarser key.
DROP FUNCTION "shipment_rollup_upsert"(text, text, text);

-- INSERT … ON CONFLICT DO UPDATE adding the rows of `source` (columns of
-- shipment_month_contributions, or sums of them) to the rollup `target` keyed by `keys` (its
-- primary key's columns, in order): grouped by `keys` first unless `grouped` says the source
-- already has one row per key; every figure of shipment_rollup_figures added, a sum reset to
-- exactly 0 when nothing it sums remains.
CREATE FUNCTION "shipment_rollup_upsert"(target text, keys text, source text, grouped boolean) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT format($sql$
    INSERT INTO %1$I AS r (%2$s, %4$s)
    SELECT %2$s, %5$s
    FROM %3$s AS c
    %7$s
    ON CONFLICT (%2$s) DO UPDATE SET %6$s
  $sql$, target, keys, source,
    string_agg(format('%I', f.name), ', ' ORDER BY f.ord),
    string_agg(format(CASE WHEN grouped THEN '%I' ELSE 'sum(%I)' END, f.name), ', ' ORDER BY f.ord),
    string_agg(CASE
      WHEN f.known IS NULL THEN format('%1$I = r.%1$I + excluded.%1$I', f.name)
      WHEN f.unknown IS NULL THEN format('%1$I = CASE WHEN r.%2$I + excluded.%2$I = 0 THEN 0 ELSE r.%1$I + excluded.%1$I END', f.name, f.known)
      ELSE format('%1$I = CASE WHEN r.%2$I + excluded.%2$I = r.%3$I + excluded.%3$I THEN 0 ELSE r.%1$I + excluded.%1$I END',
                  f.name, f.known, f.unknown)
    END, ', ' ORDER BY f.ord),
    CASE WHEN grouped THEN '' ELSE format('GROUP BY %1$s ORDER BY %1$s', keys) END)
  FROM shipment_rollup_figures() AS f
$$;

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
    shipment_rollup_upsert('shipment_month_rollup', 'supplier_id, recipient_id, month, category, status, confidence, unit', 'fine', true),
    shipment_rollup_upsert('shipment_pair_month_rollup', 'supplier_id, recipient_id, month, unit', 'fine', false))
$$;
