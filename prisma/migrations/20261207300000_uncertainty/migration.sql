-- Issue #26, uncertainty kept end to end (docs/pending/uncertainty.md, "Data model").
--
-- Date spans keep their real bounds (start/end stay NOT NULL where they were: partition keys,
-- indexes, windows and reports use them) and gain the canonical EDTF when the bounds and
-- precision do not say it all: a qualifier (`2023-11~`), an open or unknown end
-- (`2023-09-11/..`, `2023-09-11/`), a season. NULL is a plain span, so existing rows need no
-- rewrite. An open or unknown end is bounded by the known end alone (src/domain/dateSpan.ts,
-- boundsOf); delivery_open says so of a shipment in SQL, for reports to mark its placement.
--
-- Shipment quantities: UCDP's low/best/high. `quantity` stays the best value; quantity_low and
-- quantity_high are the effective bounds (EXACT n: n and n; AT_LEAST n: n and NULL unless
-- stated; AT_MOST n: NULL unless stated and n), NULL when unknown, never a made-up 0;
-- quantity_qualifier is NULL exactly when nothing at all is known. Rows written before this
-- migration hold a bare number: they become EXACT (the assumption is in the docs).
--
-- Sources: the publication date becomes a span (a window such as 2023-10-13..2023-10-31, or
-- `2023-10~`): published_at stays its first day (what Source.publishedAt has always answered),
-- published_end/_precision/_text/_edtf complete it; an existing date is a DAY span.
--
-- Writers that predate these columns (raw SQL, seed and scripts not yet taught them) still
-- write consistent rows: a bare quantity is EXACT, a bare publication date a DAY span, filled
-- in by BEFORE ROW triggers whose WHEN clauses let every other write pass untouched
-- (docs/decisions/bare-legacy-values.md).

CREATE TYPE "QuantityQualifier" AS ENUM ('EXACT', 'APPROXIMATE', 'AT_LEAST', 'AT_MOST', 'ESTIMATE');

-- ---------------------------------------------------------------- spans

ALTER TABLE "events" ADD COLUMN "span_edtf" TEXT;
ALTER TABLE "events" ADD CONSTRAINT "events_span_edtf_check" CHECK (btrim("span_edtf") <> '');

ALTER TABLE "affiliations" ADD COLUMN "span_edtf" TEXT;
ALTER TABLE "affiliations" ADD CONSTRAINT "affiliations_span_edtf_check" CHECK ("span_edtf" IS NULL OR ("span_start" IS NOT NULL AND btrim("span_edtf") <> ''));

ALTER TABLE "shipments"
  ADD COLUMN "delivery_edtf" TEXT,
  -- An end of the delivery span is open or unknown: the bounds hold the known end only.
  ADD COLUMN "delivery_open" BOOLEAN NOT NULL DEFAULT false,
  ADD COLUMN "quantity_low" DOUBLE PRECISION,
  ADD COLUMN "quantity_high" DOUBLE PRECISION,
  ADD COLUMN "quantity_qualifier" "QuantityQualifier";
-- delivery_open is what the EDTF says: an interval with an empty or `..` end.
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_delivery_edtf_check" CHECK (
  btrim("delivery_edtf") <> ''
  AND "delivery_open" = ("delivery_edtf" IS NOT NULL AND "delivery_edtf" ~ '^(\.\.)?/|/(\.\.)?$'));

-- ---------------------------------------------------------------- quantities

UPDATE "shipments" SET "quantity_qualifier" = 'EXACT', "quantity_low" = "quantity", "quantity_high" = "quantity"
 WHERE "quantity" IS NOT NULL;

ALTER TABLE "shipments" DROP CONSTRAINT "shipments_unit_check";
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_unit_check" CHECK (
  ("quantity" IS NULL AND "quantity_low" IS NULL AND "quantity_high" IS NULL) OR ("unit" IS NOT NULL AND btrim("unit") <> ''));
-- Finite (NaN sorts above Infinity in PostgreSQL, so "< 'Infinity'" refuses both), never
-- negative, low <= best <= high where present.
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_quantity_bounds_check" CHECK (
  ("quantity" IS NULL OR "quantity" < 'Infinity'::float8)
  AND ("quantity_low" IS NULL OR ("quantity_low" >= 0 AND "quantity_low" < 'Infinity'::float8))
  AND ("quantity_high" IS NULL OR ("quantity_high" >= 0 AND "quantity_high" < 'Infinity'::float8))
  AND ("quantity_low" IS NULL OR "quantity" IS NULL OR "quantity_low" <= "quantity")
  AND ("quantity" IS NULL OR "quantity_high" IS NULL OR "quantity" <= "quantity_high")
  AND ("quantity_low" IS NULL OR "quantity_high" IS NULL OR "quantity_low" <= "quantity_high"));
-- The qualifier says how the bounds were got (src/domain/quantity.ts, normalizeQuantity). Written
-- with coalesce so that a missing value fails the rule instead of making it NULL (which passes).
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_quantity_qualifier_check" CHECK (
  ("quantity_qualifier" IS NULL) = ("quantity" IS NULL AND "quantity_low" IS NULL AND "quantity_high" IS NULL)
  AND CASE "quantity_qualifier"
        WHEN 'EXACT' THEN coalesce("quantity_low" = "quantity" AND "quantity_high" = "quantity", false)
        WHEN 'AT_LEAST' THEN coalesce("quantity_low" = "quantity", false)
        WHEN 'AT_MOST' THEN coalesce("quantity_high" = "quantity", false)
        WHEN 'APPROXIMATE' THEN "quantity" IS NOT NULL OR ("quantity_low" IS NOT NULL AND "quantity_high" IS NOT NULL)
        WHEN 'ESTIMATE' THEN "quantity" IS NOT NULL OR ("quantity_low" IS NOT NULL AND "quantity_high" IS NOT NULL)
        ELSE true END);

-- A bare number from a writer that knows only `quantity` is EXACT: on insert, and when an
-- update changes only the number of an EXACT (or unknown) quantity.
CREATE FUNCTION "shipments_bare_quantity"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."quantity" IS NULL THEN
    NEW."quantity_low" := NULL;
    NEW."quantity_high" := NULL;
    NEW."quantity_qualifier" := NULL;
  ELSE
    NEW."quantity_low" := NEW."quantity";
    NEW."quantity_high" := NEW."quantity";
    NEW."quantity_qualifier" := 'EXACT';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "shipments_bare_quantity_insert" BEFORE INSERT ON "shipments" FOR EACH ROW
  WHEN (NEW."quantity" IS NOT NULL AND NEW."quantity_qualifier" IS NULL AND NEW."quantity_low" IS NULL AND NEW."quantity_high" IS NULL)
  EXECUTE FUNCTION "shipments_bare_quantity"();
CREATE TRIGGER "shipments_bare_quantity_update" BEFORE UPDATE ON "shipments" FOR EACH ROW
  WHEN (NEW."quantity" IS DISTINCT FROM OLD."quantity"
        AND NEW."quantity_low" IS NOT DISTINCT FROM OLD."quantity_low" AND NEW."quantity_high" IS NOT DISTINCT FROM OLD."quantity_high"
        AND NEW."quantity_qualifier" IS NOT DISTINCT FROM OLD."quantity_qualifier"
        AND (OLD."quantity_qualifier" IS NULL OR OLD."quantity_qualifier" = 'EXACT'))
  EXECUTE FUNCTION "shipments_bare_quantity"();

-- ---------------------------------------------------------------- sources

ALTER TABLE "sources"
  ADD COLUMN "published_end" DATE,
  ADD COLUMN "published_precision" "DatePrecision",
  ADD COLUMN "published_text" TEXT,
  ADD COLUMN "published_edtf" TEXT;
UPDATE "sources" SET "published_end" = "published_at", "published_precision" = 'DAY' WHERE "published_at" IS NOT NULL;
-- A publication span is all or nothing, and ends on or after its first day (published_at).
ALTER TABLE "sources" ADD CONSTRAINT "sources_published_check" CHECK (
  ("published_at" IS NULL AND "published_end" IS NULL AND "published_precision" IS NULL AND "published_text" IS NULL AND "published_edtf" IS NULL)
  OR ("published_at" IS NOT NULL AND "published_end" IS NOT NULL AND "published_precision" IS NOT NULL
      AND "published_end" >= "published_at" AND ("published_edtf" IS NULL OR btrim("published_edtf") <> '')));

-- A bare publication date from a writer that knows only published_at is that DAY.
CREATE FUNCTION "sources_bare_published_at"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."published_end" := NEW."published_at";
  NEW."published_precision" := CASE WHEN NEW."published_at" IS NULL THEN NULL ELSE 'DAY'::"DatePrecision" END;
  NEW."published_edtf" := NULL;
  IF NEW."published_at" IS NULL THEN NEW."published_text" := NULL; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "sources_bare_published_at_insert" BEFORE INSERT ON "sources" FOR EACH ROW
  WHEN (NEW."published_at" IS NOT NULL AND NEW."published_end" IS NULL AND NEW."published_precision" IS NULL)
  EXECUTE FUNCTION "sources_bare_published_at"();
CREATE TRIGGER "sources_bare_published_at_update" BEFORE UPDATE ON "sources" FOR EACH ROW
  WHEN (NEW."published_at" IS DISTINCT FROM OLD."published_at"
        AND NEW."published_end" IS NOT DISTINCT FROM OLD."published_end" AND NEW."published_precision" IS NOT DISTINCT FROM OLD."published_precision"
        AND NEW."published_edtf" IS NOT DISTINCT FROM OLD."published_edtf"
        AND (OLD."published_precision" IS NULL OR (OLD."published_precision" = 'DAY' AND OLD."published_edtf" IS NULL)))
  EXECUTE FUNCTION "sources_bare_published_at"();

-- ---------------------------------------------------------------- history

-- The histories keep the new columns (history.attach adds what a table gained; the updates
-- above changed no column the histories kept, so they made no version). Past versions get
-- the same reading as the live rows: a bare quantity EXACT, a bare publication date a DAY.
SELECT history.attach('events', 'EVENT', '{id}', 'r.created_at');
SELECT history.attach('affiliations', 'AFFILIATION', '{id}', 'r.created_at');
SELECT history.attach('shipments', 'SHIPMENT', '{id}', 'r.created_at');
SELECT history.attach('sources', 'SOURCE', '{id}', 'r.created_at');
UPDATE history.shipments SET "delivery_open" = false WHERE "delivery_open" IS NULL;
UPDATE history.shipments SET "quantity_qualifier" = 'EXACT', "quantity_low" = "quantity", "quantity_high" = "quantity"
 WHERE "quantity" IS NOT NULL AND "quantity_qualifier" IS NULL;
UPDATE history.sources SET "published_end" = "published_at", "published_precision" = 'DAY'
 WHERE "published_at" IS NOT NULL AND "published_precision" IS NULL;
