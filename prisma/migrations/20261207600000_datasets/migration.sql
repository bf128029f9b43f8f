-- Issue #28, real datasets in, faithfully (docs/pending/datasets.md).
--
-- Shipment categories: SIPRI's weapon categories, and finer types within two of them, join the
-- values already recorded (src/domain/categories.ts maps each category to its group; reports
-- derive the group at query time, so no rollup changes). Added before FOOD so that enum order
-- (reports sort by it) reads weapons, then other goods. Nothing uses the new values in this
-- transaction (PostgreSQL refuses a value added in the same transaction).
ALTER TYPE "ShipmentCategory" ADD VALUE 'AIRCRAFT' BEFORE 'FOOD';
ALTER TYPE "ShipmentCategory" ADD VALUE 'UNMANNED_AIRCRAFT' BEFORE 'FOOD';
ALTER TYPE "ShipmentCategory" ADD VALUE 'AIR_DEFENCE_SYSTEMS' BEFORE 'FOOD';
ALTER TYPE "ShipmentCategory" ADD VALUE 'ANTI_SUBMARINE_WARFARE' BEFORE 'FOOD';
ALTER TYPE "ShipmentCategory" ADD VALUE 'ARMOURED_VEHICLES' BEFORE 'FOOD';
ALTER TYPE "ShipmentCategory" ADD VALUE 'ARTILLERY' BEFORE 'FOOD';
ALTER TYPE "ShipmentCategory" ADD VALUE 'MULTIPLE_ROCKET_LAUNCHERS' BEFORE 'FOOD';
ALTER TYPE "ShipmentCategory" ADD VALUE 'ENGINES' BEFORE 'FOOD';
ALTER TYPE "ShipmentCategory" ADD VALUE 'LOITERING_MUNITIONS' BEFORE 'FOOD';
ALTER TYPE "ShipmentCategory" ADD VALUE 'NAVAL_WEAPONS' BEFORE 'FOOD';
ALTER TYPE "ShipmentCategory" ADD VALUE 'SATELLITES' BEFORE 'FOOD';
ALTER TYPE "ShipmentCategory" ADD VALUE 'SENSORS' BEFORE 'FOOD';
ALTER TYPE "ShipmentCategory" ADD VALUE 'SHIPS' BEFORE 'FOOD';
ALTER TYPE "ShipmentCategory" ADD VALUE 'OTHER_MAJOR_ARMS' BEFORE 'FOOD';

-- ACLED's associated actors (assoc_actor_1/2): acting with a main actor, in a role of their own.
ALTER TYPE "ParticipantRole" ADD VALUE 'ASSOCIATED';

-- ---------------------------------------------------------------- events: fatalities

-- An event's fatalities, as shipments' quantities (src/domain/quantity.ts): `fatalities` the best
-- value, fatalities_low/_high the effective bounds (UCDP's low and high), the qualifier NULL
-- exactly when nothing is known. NULL is unknown, never 0: existing events stay unknown.
ALTER TABLE "events"
  ADD COLUMN "fatalities" DOUBLE PRECISION,
  ADD COLUMN "fatalities_low" DOUBLE PRECISION,
  ADD COLUMN "fatalities_high" DOUBLE PRECISION,
  ADD COLUMN "fatalities_qualifier" "QuantityQualifier",
  -- The dataset's own fields of the row the event was imported from that have no column of
  -- their own (ACLED's inter codes, UCDP's precision codes …), as the dataset wrote them.
  ADD COLUMN "dataset_fields" JSONB;
ALTER TABLE "events" ADD CONSTRAINT "events_fatalities_bounds_check" CHECK (
  ("fatalities" IS NULL OR ("fatalities" >= 0 AND "fatalities" < 'Infinity'::float8))
  AND ("fatalities_low" IS NULL OR ("fatalities_low" >= 0 AND "fatalities_low" < 'Infinity'::float8))
  AND ("fatalities_high" IS NULL OR ("fatalities_high" >= 0 AND "fatalities_high" < 'Infinity'::float8))
  AND ("fatalities_low" IS NULL OR "fatalities" IS NULL OR "fatalities_low" <= "fatalities")
  AND ("fatalities" IS NULL OR "fatalities_high" IS NULL OR "fatalities" <= "fatalities_high")
  AND ("fatalities_low" IS NULL OR "fatalities_high" IS NULL OR "fatalities_low" <= "fatalities_high"));
ALTER TABLE "events" ADD CONSTRAINT "events_fatalities_qualifier_check" CHECK (
  ("fatalities_qualifier" IS NULL) = ("fatalities" IS NULL AND "fatalities_low" IS NULL AND "fatalities_high" IS NULL)
  AND CASE "fatalities_qualifier"
        WHEN 'EXACT' THEN coalesce("fatalities_low" = "fatalities" AND "fatalities_high" = "fatalities", false)
        WHEN 'AT_LEAST' THEN coalesce("fatalities_low" = "fatalities", false)
        WHEN 'AT_MOST' THEN coalesce("fatalities_high" = "fatalities", false)
        WHEN 'APPROXIMATE' THEN "fatalities" IS NOT NULL OR ("fatalities_low" IS NOT NULL AND "fatalities_high" IS NOT NULL)
        WHEN 'ESTIMATE' THEN "fatalities" IS NOT NULL OR ("fatalities_low" IS NOT NULL AND "fatalities_high" IS NOT NULL)
        ELSE true END);
ALTER TABLE "events" ADD CONSTRAINT "events_dataset_fields_check" CHECK (jsonb_typeof("dataset_fields") = 'object');

-- ---------------------------------------------------------------- shipments: the dataset's fields

-- SIPRI's order year and number ordered with their marks, its status, its TIV figures …
ALTER TABLE "shipments" ADD COLUMN "dataset_fields" JSONB;
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_dataset_fields_check" CHECK (jsonb_typeof("dataset_fields") = 'object');

-- ---------------------------------------------------------------- history

-- The histories keep the new columns (history.attach adds what a table gained; existing rows
-- did not change, so no version is made).
SELECT history.attach('events', 'EVENT', '{id}', 'r.created_at');
SELECT history.attach('shipments', 'SHIPMENT', '{id}', 'r.created_at');
