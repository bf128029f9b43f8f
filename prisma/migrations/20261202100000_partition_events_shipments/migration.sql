-- Issue #9: events and shipments partitioned by year of their span's start (declarative RANGE
-- partitioning on span_start / delivery_start), so windowed timelines and reports read only the
-- years they ask for, and old years can be detached, vacuumed or archived alone.
--
-- PostgreSQL requires a primary key or unique constraint on a partitioned table to include the
-- partition key, and a foreign key to reference such a constraint. So:
--   * the tables' primary keys are (id, span_start) and (id, delivery_start);
--   * a small unpartitioned key table per entity, event_keys / shipment_keys (id primary key,
--     the partition key's value, dataset, external_id unique), keeps ids and external ids
--     globally unique and is what the other tables' foreign keys reference (ON DELETE CASCADE
--     through it: deleting an event still deletes its participations, links, citations and
--     claims). Statement-level triggers on the partitioned table keep it in step, in the
--     writing statement's transaction; an id never changes (refused).
--   * The key table also routes a look-up by id to one partition: join it on (id, start) and
--     PostgreSQL prunes the other partitions at run time (the participant-span copy does).
-- Chosen over composite foreign keys carrying the span start (citations, claims and
-- shipment_events would each need a copy of it kept in step, and the Prisma model would change):
-- here the Prisma model keeps @id on id and its relations; test/db/schema-drift.test.ts knows
-- that the database enforces them through the key tables.
--
-- Partitions are yearly (<table>_y<year>) plus a DEFAULT partition (<table>_default) that takes
-- any row no yearly partition covers, so a write never fails for want of a partition.
-- ensure_year_partitions() creates yearly partitions (the maintenance command
-- `npm run db:partitions`, the importer on demand, this migration for the years present) and
-- moves their rows out of the default partition (PostgreSQL refuses to attach a partition
-- whose rows sit in the default one).
--
-- Conversion: the old tables move to a scratch schema, the new ones are created and filled,
-- then the scratch schema is dropped (with the old foreign keys and the two functions taking
-- the old row types, re-created below). On an empty database this is a few dozen catalogue
-- statements; on 1,000,000 events it rewrites both tables and rebuilds their indexes.

-- Creates the yearly partitions of `parent` for `years` that do not exist yet, moving their rows
-- out of the default partition. Idempotent; returns the names of the partitions it created.
-- Serialised per table by an advisory lock; when every partition exists it takes no lock at all.
CREATE FUNCTION "ensure_year_partitions"(parent text, years int[]) RETURNS text[]
LANGUAGE plpgsql AS $fn$
DECLARE
  key     text;
  dflt    text := parent || '_default';
  part    text;
  lo      date;
  created text[] := '{}';
  y       int;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM unnest(years) AS u(y) WHERE to_regclass(format('public.%I', parent || '_y' || u.y)) IS NULL) THEN
    RETURN created;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('ensure_year_partitions:' || parent));
  SELECT a.attname INTO STRICT key
    FROM pg_partitioned_table p JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
   WHERE p.partrelid = format('public.%I', parent)::regclass;
  FOR y IN SELECT DISTINCT u.y FROM unnest(years) AS u(y) ORDER BY 1 LOOP
    part := parent || '_y' || y;
    CONTINUE WHEN to_regclass(format('public.%I', part)) IS NOT NULL;
    IF y NOT BETWEEN 1 AND 9998 THEN
      RAISE EXCEPTION 'no yearly partition for year %', y USING ERRCODE = 'invalid_parameter_value';
    END IF;
    lo := make_date(y, 1, 1);
    EXECUTE format('CREATE TABLE public.%I (LIKE public.%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part, parent);
    -- Rows moved between partitions directly: the parent's triggers (keys, rollups, history)
    -- do not fire, as nothing about the records changes.
    IF to_regclass(format('public.%I', dflt)) IS NOT NULL THEN
      EXECUTE format('WITH moved AS (DELETE FROM public.%2$I WHERE %3$I >= $1 AND %3$I < $2 RETURNING *)
                      INSERT INTO public.%1$I SELECT * FROM moved', part, dflt, key)
        USING lo, (lo + interval '1 year')::date;
    END IF;
    EXECUTE format('ALTER TABLE public.%I ATTACH PARTITION public.%I FOR VALUES FROM (%L) TO (%L)',
                   parent, part, lo, (lo + interval '1 year')::date);
    created := created || part;
  END LOOP;
  RETURN created;
END
$fn$;

-- Keeps a key table (TG_ARGV[0]: id, the partition key column TG_ARGV[1], dataset, external_id)
-- in step with its partitioned table, one statement per statement. Its trigger names sort before
-- the tables' other triggers (fired in name order), so those see the keys already current.
CREATE FUNCTION "partition_keys_sync"() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  keys text := TG_ARGV[0];
  part text := TG_ARGV[1];
BEGIN
  IF TG_OP = 'INSERT' THEN
    EXECUTE format('INSERT INTO %1$I (id, %2$I, dataset, external_id) SELECT id, %2$I, dataset, external_id FROM new_rows', keys, part);
  ELSIF TG_OP = 'UPDATE' THEN
    IF EXISTS (SELECT id FROM new_rows EXCEPT SELECT id FROM old_rows) THEN
      RAISE EXCEPTION 'the id of a row of % cannot change', TG_TABLE_NAME USING ERRCODE = 'feature_not_supported';
    END IF;
    EXECUTE format('UPDATE %1$I k SET %2$I = n.%2$I, dataset = n.dataset, external_id = n.external_id FROM new_rows n
                     WHERE k.id = n.id AND (k.%2$I, k.dataset, k.external_id) IS DISTINCT FROM (n.%2$I, n.dataset, n.external_id)', keys, part);
  ELSIF TG_OP = 'DELETE' THEN
    EXECUTE format('DELETE FROM %I k USING old_rows o WHERE k.id = o.id', keys);
  ELSE
    -- TRUNCATE: the records are gone, so are their keys and, through the keys' foreign keys,
    -- what hangs on them (as a TRUNCATE … CASCADE of the old table did). A DELETE, not a
    -- TRUNCATE … CASCADE: that would fail when the same TRUNCATE names those tables too.
    EXECUTE format('DELETE FROM %I', keys);
  END IF;
  RETURN NULL;
END
$fn$;

-- What hangs on the old tables and must be re-created on the new ones, as the catalogue has it:
-- their triggers (rollups, history, participant spans) and the two rollup functions that take
-- their row types (dropped with the old tables). Captured before the tables move, so that the
-- definitions name public.events and public.shipments.
CREATE TEMP TABLE "partition_conversion_ddl" ON COMMIT DROP AS
  SELECT pg_get_functiondef(p.oid) AS ddl FROM pg_proc p
   WHERE p.oid IN ('shipment_month_contributions(integer, shipments)'::regprocedure, 'event_month_contributions(integer, events)'::regprocedure)
  UNION ALL
  SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t
   WHERE t.tgrelid IN ('events'::regclass, 'shipments'::regclass) AND NOT t.tgisinternal;

CREATE SCHEMA "partition_conversion";
ALTER TABLE "events" SET SCHEMA "partition_conversion";
ALTER TABLE "shipments" SET SCHEMA "partition_conversion";

-- Same columns in the same order, defaults, NOT NULL and CHECK constraints (with their names).
CREATE TABLE "events" (LIKE "partition_conversion"."events" INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE ("span_start");
CREATE TABLE "events_default" PARTITION OF "events" DEFAULT;
CREATE TABLE "shipments" (LIKE "partition_conversion"."shipments" INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE ("delivery_start");
CREATE TABLE "shipments_default" PARTITION OF "shipments" DEFAULT;

-- The years present get their partitions; rows are copied before the indexes exist (one index
-- build per partition instead of a million index insertions).
SELECT ensure_year_partitions('events', array(
  SELECT generate_series(min(extract(year FROM "span_start"))::int, max(extract(year FROM "span_start"))::int)
    FROM "partition_conversion"."events"));
SELECT ensure_year_partitions('shipments', array(
  SELECT generate_series(min(extract(year FROM "delivery_start"))::int, max(extract(year FROM "delivery_start"))::int)
    FROM "partition_conversion"."shipments"));
INSERT INTO "events" SELECT * FROM "partition_conversion"."events";
INSERT INTO "shipments" SELECT * FROM "partition_conversion"."shipments";

CREATE TABLE "event_keys" (
    "id" UUID NOT NULL,
    "span_start" DATE NOT NULL,
    "dataset" TEXT,
    "external_id" TEXT,
    CONSTRAINT "event_keys_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "shipment_keys" (
    "id" UUID NOT NULL,
    "delivery_start" DATE NOT NULL,
    "dataset" TEXT,
    "external_id" TEXT,
    CONSTRAINT "shipment_keys_pkey" PRIMARY KEY ("id")
);
INSERT INTO "event_keys" SELECT "id", "span_start", "dataset", "external_id" FROM "partition_conversion"."events" ORDER BY "id";
INSERT INTO "shipment_keys" SELECT "id", "delivery_start", "dataset", "external_id" FROM "partition_conversion"."shipments" ORDER BY "id";
CREATE UNIQUE INDEX "event_keys_dataset_external_id_key" ON "event_keys"("dataset", "external_id");
CREATE UNIQUE INDEX "shipment_keys_dataset_external_id_key" ON "shipment_keys"("dataset", "external_id");

-- Drops the old tables with their indexes, triggers, the foreign keys to them and the two
-- rollup functions that take their row types.
DROP SCHEMA "partition_conversion" CASCADE;

ALTER TABLE "events" ADD CONSTRAINT "events_pkey" PRIMARY KEY ("id", "span_start");
CREATE INDEX "events_span_start_span_end_id_idx" ON "events"("span_start", "span_end", "id");
CREATE INDEX "events_type_span_start_idx" ON "events"("type", "span_start");
CREATE INDEX "events_search_idx" ON "events" USING GIN (to_tsvector('english', "title" || ' ' || coalesce("description", '')));
CREATE INDEX "events_long_span_idx" ON "events"("span_start", "span_end", "id") WHERE "span_end" - "span_start" > 366;
-- The longest span (max over this index, one probe per partition) gives windowed reads a lower
-- bound on the start, which prunes the years before the window (spanStartLowerBound in
-- src/db/partitions.ts: reports computed from the tables, the timeline's shipments).
CREATE INDEX "events_span_length_idx" ON "events"(("span_end" - "span_start"));

ALTER TABLE "shipments" ADD CONSTRAINT "shipments_pkey" PRIMARY KEY ("id", "delivery_start");
CREATE INDEX "shipments_delivery_start_delivery_end_id_idx" ON "shipments"("delivery_start", "delivery_end", "id");
CREATE INDEX "shipments_category_delivery_start_idx" ON "shipments"("category", "delivery_start");
CREATE INDEX "shipments_supplier_id_delivery_start_delivery_end_id_idx" ON "shipments"("supplier_id", "delivery_start", "delivery_end", "id");
CREATE INDEX "shipments_recipient_id_delivery_start_delivery_end_id_idx" ON "shipments"("recipient_id", "delivery_start", "delivery_end", "id");
CREATE INDEX "shipments_delivery_length_idx" ON "shipments"(("delivery_end" - "delivery_start"));

ALTER TABLE "shipments" ADD CONSTRAINT "shipments_supplier_id_fkey" FOREIGN KEY ("supplier_id") REFERENCES "actors"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_recipient_id_fkey" FOREIGN KEY ("recipient_id") REFERENCES "actors"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "event_participants" ADD CONSTRAINT "event_participants_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "event_keys"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "shipment_events" ADD CONSTRAINT "shipment_events_shipment_id_fkey" FOREIGN KEY ("shipment_id") REFERENCES "shipment_keys"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "shipment_events" ADD CONSTRAINT "shipment_events_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "event_keys"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "citations" ADD CONSTRAINT "citations_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "event_keys"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "citations" ADD CONSTRAINT "citations_shipment_id_fkey" FOREIGN KEY ("shipment_id") REFERENCES "shipment_keys"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "claims" ADD CONSTRAINT "claims_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "event_keys"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "claims" ADD CONSTRAINT "claims_shipment_id_fkey" FOREIGN KEY ("shipment_id") REFERENCES "shipment_keys"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The rollup functions and the tables' triggers again, on the partitioned tables (statement-level
-- with transition tables: an UPDATE that moves a row to another partition is still one UPDATE
-- to them).
DO $$
DECLARE d text;
BEGIN
  FOR d IN SELECT ddl FROM "partition_conversion_ddl" ORDER BY ddl LIKE 'CREATE TRIGGER%' LOOP
    EXECUTE d;
  END LOOP;
END
$$;

-- The key tables' triggers (named to fire before the others, see partition_keys_sync).
DO $$
DECLARE
  t record;
  op text;
BEGIN
  FOR t IN VALUES ('events', 'event_keys', 'span_start'), ('shipments', 'shipment_keys', 'delivery_start') LOOP
    FOREACH op IN ARRAY ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE'] LOOP
      EXECUTE format('CREATE TRIGGER %I AFTER %s ON %I %s FOR EACH STATEMENT EXECUTE FUNCTION partition_keys_sync(%L, %L)',
                     t.column2 || '_' || lower(op), op, t.column1,
                     CASE op WHEN 'INSERT' THEN 'REFERENCING NEW TABLE AS new_rows'
                             WHEN 'UPDATE' THEN 'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows'
                             WHEN 'DELETE' THEN 'REFERENCING OLD TABLE AS old_rows' ELSE '' END,
                     t.column2, t.column3);
    END LOOP;
  END LOOP;
END
$$;

-- A participation's span copy: the event found through its key (one partition probed, not all).
CREATE OR REPLACE FUNCTION "event_participants_copy_span"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT e."span_start", e."span_end" INTO NEW."span_start", NEW."span_end"
    FROM "event_keys" k JOIN "events" e ON e."id" = k."id" AND e."span_start" = k."span_start"
   WHERE k."id" = NEW."event_id";
  RETURN NEW;
END $$;

-- Autovacuum never analyses a partitioned table itself (only its partitions): statistics for
-- the parents now; `npm run db:partitions` refreshes them.
ANALYZE "events", "shipments", "event_keys", "shipment_keys";
