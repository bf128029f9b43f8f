-- Issues #6 and #9, import speed: a participation's span copy read from the key table alone.
--
-- event_participants_copy_span runs once per participation written. Since the partitioning it
-- found the span by joining event_keys to the partitioned events table; measured on the small
-- benchmark data set (98,791 participations re-inserted in one statement), that trigger was half
-- of the statement's time: 9.6-10.2 s with it, 4.7 s with the spans supplied and the trigger off.
-- With the event's span end kept in event_keys beside its start, the trigger reads that one plain
-- table by its primary key: 6.0 s. event_keys is kept by partition_keys_sync, statement by
-- statement, which now copies a list of columns (TG_ARGV[1], comma-separated) instead of one.
ALTER TABLE "event_keys" ADD COLUMN "span_end" DATE;
UPDATE "event_keys" k SET "span_end" = e."span_end" FROM "events" e WHERE e."id" = k."id" AND e."span_start" = k."span_start";
ALTER TABLE "event_keys" ALTER COLUMN "span_end" SET NOT NULL;

CREATE OR REPLACE FUNCTION "partition_keys_sync"() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  keys text := TG_ARGV[0];
  -- The columns copied beside id, dataset and external_id: the partition key first.
  cols text[] := string_to_array(TG_ARGV[1], ',');
  list text := (SELECT string_agg(quote_ident(c), ', ') FROM unnest(cols) c);
BEGIN
  IF TG_OP = 'INSERT' THEN
    EXECUTE format('INSERT INTO %I (id, %s, dataset, external_id) SELECT id, %2$s, dataset, external_id FROM new_rows', keys, list);
  ELSIF TG_OP = 'UPDATE' THEN
    IF EXISTS (SELECT id FROM new_rows EXCEPT SELECT id FROM old_rows) THEN
      RAISE EXCEPTION 'the id of a row of % cannot change', TG_TABLE_NAME USING ERRCODE = 'feature_not_supported';
    END IF;
    EXECUTE format('UPDATE %I k SET (%s, dataset, external_id) = (%s, n.dataset, n.external_id) FROM new_rows n
                     WHERE k.id = n.id AND (%s, k.dataset, k.external_id) IS DISTINCT FROM (%3$s, n.dataset, n.external_id)',
                   keys, list,
                   (SELECT string_agg('n.' || quote_ident(c), ', ') FROM unnest(cols) c),
                   (SELECT string_agg('k.' || quote_ident(c), ', ') FROM unnest(cols) c));
  ELSIF TG_OP = 'DELETE' THEN
    EXECUTE format('DELETE FROM %I k USING old_rows o WHERE k.id = o.id', keys);
  ELSE
    -- TRUNCATE: the records are gone, so are their keys and, through the keys' foreign keys,
    -- what hangs on them (as a TRUNCATE … CASCADE of the old table did).
    EXECUTE format('DELETE FROM %I', keys);
  END IF;
  RETURN NULL;
END
$fn$;

-- The events' key triggers again, copying the span's end too (the shipments' are unchanged).
DO $$
DECLARE op text;
BEGIN
  FOREACH op IN ARRAY ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE'] LOOP
    EXECUTE format('DROP TRIGGER %I ON "events"', 'event_keys_' || lower(op));
    EXECUTE format('CREATE TRIGGER %I AFTER %s ON "events" %s FOR EACH STATEMENT EXECUTE FUNCTION partition_keys_sync(%L, %L)',
                   'event_keys_' || lower(op), op,
                   CASE op WHEN 'INSERT' THEN 'REFERENCING NEW TABLE AS new_rows'
                           WHEN 'UPDATE' THEN 'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows'
                           WHEN 'DELETE' THEN 'REFERENCING OLD TABLE AS old_rows' ELSE '' END,
                   'event_keys', 'span_start,span_end');
  END LOOP;
END
$$;

CREATE OR REPLACE FUNCTION "event_participants_copy_span"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT k."span_start", k."span_end" INTO NEW."span_start", NEW."span_end" FROM "event_keys" k WHERE k."id" = NEW."event_id";
  RETURN NEW;
END $$;
