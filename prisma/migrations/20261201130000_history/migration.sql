-- Knowledge time (bitemporal): every version of a tracked row, with the period during which
-- the database held it (sys_from inclusive, sys_to exclusive; 'infinity' while current).
--
-- history.attach(table, entity, key columns, backfill expression) attaches the mechanism to a
-- table in one line: it creates history.<table> (the table's columns plus the sys_* columns),
-- records the table in history.tracked, backfills it and installs three STATEMENT-level
-- triggers with transition tables, so set-based writes (the bulk importer's INSERT … SELECT …
-- ON CONFLICT) stay set-based: one INSERT into the history per statement, not one per row.
--
-- Versions are stamped with now(), the start time of the writing transaction, so a
-- transaction's changes appear together. A version never starts before the one it supersedes
-- (greatest()), should an older transaction update a row after a younger one. Readers only
-- trust times before the oldest transaction still open (src/db/queries/history.ts): such a
-- transaction may still commit versions stamped with its start time.
--
-- Operations: CREATE (insert), UPDATE, DELETE (deleted_at set: a soft delete), RESTORE
-- (deleted_at cleared), RETRACT (the row is removed from its table: a participant, alias or
-- link taken off, or a hard delete). A RETRACT is a zero-length version (sys_from = sys_to)
-- holding the last values: no asOf ever sees it, the change feed shows it.
--
-- Tables live in their own schema: they are not part of the Prisma data model.

CREATE SCHEMA history;

CREATE SEQUENCE history.version_seq;

-- One row per tracked table: the entity name of its changes and the columns identifying a row
-- (the first one is the id the change feed reports).
CREATE TABLE history.tracked (
    table_name     text PRIMARY KEY,
    entity         text NOT NULL UNIQUE,
    key_columns    text[] NOT NULL,
    has_deleted_at boolean NOT NULL
);

-- The trigger function shared by every tracked table (TG_OP: INSERT, UPDATE or DELETE).
CREATE FUNCTION history.record_versions() RETURNS trigger
    LANGUAGE plpgsql AS $fn$
DECLARE
    t       history.tracked;
    h       text := format('history.%I', TG_TABLE_NAME);
    stamp   timestamptz := now();
    tx      bigint := (pg_current_xact_id()::text)::bigint;
    cols    text;
    r_cols  text;
    c_cols  text;
    join_rc text;
    join_vr text;
    op      text;
BEGIN
    SELECT * INTO STRICT t FROM history.tracked WHERE table_name = TG_TABLE_NAME;
    -- The columns both tables have: a column added to the table later is kept once it is added
    -- to its history too (history.attach again does it), and never breaks writes meanwhile.
    SELECT string_agg(format('%I', a.attname), ', ' ORDER BY a.attnum),
           string_agg(format('r.%I', a.attname), ', ' ORDER BY a.attnum),
           string_agg(format('c.%I', a.attname), ', ' ORDER BY a.attnum)
      INTO cols, r_cols, c_cols
      FROM pg_attribute a
     WHERE a.attrelid = TG_RELID AND a.attnum > 0 AND NOT a.attisdropped
       AND EXISTS (SELECT 1 FROM pg_attribute b
                    WHERE b.attrelid = h::regclass AND b.attname = a.attname AND NOT b.attisdropped);
    SELECT string_agg(format('c.%1$I = r.%1$I', k), ' AND '), string_agg(format('v.%1$I = r.%1$I', k), ' AND ')
      INTO join_rc, join_vr
      FROM unnest(t.key_columns) AS k;

    IF TG_OP = 'INSERT' THEN
        EXECUTE format('INSERT INTO %s (%s, sys_operation, sys_from, sys_tx) SELECT %s, ''CREATE'', $1, $2 FROM new_rows r',
                       h, cols, r_cols) USING stamp, tx;
        RETURN NULL;
    END IF;

    op := CASE WHEN t.has_deleted_at THEN
            'CASE WHEN c.deleted_at IS NOT NULL AND r.deleted_at IS NULL THEN ''RESTORE''
                  WHEN c.deleted_at IS NULL AND r.deleted_at IS NOT NULL THEN ''DELETE'' ELSE ''UPDATE'' END'
          ELSE '''UPDATE''' END;
    -- Close the current versions of the old rows; each row's new version starts where its old one
    -- ends; a closed version whose key is gone (deleted, or updated to another key) gets its RETRACT.
    EXECUTE format(
        'WITH c AS (UPDATE %1$s v SET sys_to = greatest($1, v.sys_from) FROM old_rows r
                     WHERE %2$s AND v.sys_to = ''infinity'' RETURNING v.*),
              n AS (%3$s)
         INSERT INTO %1$s (%4$s, sys_operation, sys_from, sys_to, sys_tx)
         SELECT %5$s, ''RETRACT'', c.sys_to, c.sys_to, $2 FROM c %6$s',
        h, join_vr,
        CASE WHEN TG_OP = 'UPDATE' THEN format(
            'INSERT INTO %s (%s, sys_operation, sys_from, sys_tx)
             SELECT %s, %s, coalesce(c.sys_to, $1), $2 FROM new_rows r LEFT JOIN c ON %s', h, cols, r_cols, op, join_rc)
        ELSE 'SELECT 1' END,
        cols, c_cols,
        CASE WHEN TG_OP = 'UPDATE' THEN format('WHERE NOT EXISTS (SELECT 1 FROM new_rows r WHERE %s)', join_rc) ELSE '' END)
        USING stamp, tx;
    RETURN NULL;
END
$fn$;

-- Attaches the history to public.<tbl> (idempotent: run again after adding a column to the table).
-- backfill_from: an SQL expression over the table's row `r` giving when an existing row was first
-- known (its created_at, or its parent's); a soft-deleted row gets a second version from deleted_at.
CREATE FUNCTION history.attach(tbl text, entity text, key_columns text[], backfill_from text) RETURNS void
    LANGUAGE plpgsql AS $fn$
DECLARE
    h           text := format('history.%I', tbl);
    has_deleted boolean;
    col         record;
    cols        text;
    r_cols      text;
    live_cols   text;
    is_new      boolean := to_regclass(format('history.%I', tbl)) IS NULL;
BEGIN
    EXECUTE format('CREATE TABLE IF NOT EXISTS %s (LIKE public.%I)', h, tbl);
    FOR col IN SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type
                 FROM pg_attribute a
                WHERE a.attrelid = format('public.%I', tbl)::regclass AND a.attnum > 0 AND NOT a.attisdropped
                  AND NOT EXISTS (SELECT 1 FROM pg_attribute b WHERE b.attrelid = h::regclass
                                     AND b.attname = a.attname AND NOT b.attisdropped) LOOP
        EXECUTE format('ALTER TABLE %s ADD COLUMN %I %s', h, col.attname, col.type);
    END LOOP;
    EXECUTE format('ALTER TABLE %s
        ADD COLUMN IF NOT EXISTS sys_version bigint NOT NULL DEFAULT nextval(''history.version_seq''),
        ADD COLUMN IF NOT EXISTS sys_operation text NOT NULL,
        ADD COLUMN IF NOT EXISTS sys_from timestamptz NOT NULL,
        ADD COLUMN IF NOT EXISTS sys_to timestamptz NOT NULL DEFAULT ''infinity'',
        ADD COLUMN IF NOT EXISTS sys_tx bigint', h);
    -- a row's versions in time order (superseding, single records as of a time)
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %s (%s, sys_from)', tbl || '_key_idx', h,
                   (SELECT string_agg(format('%I', k), ', ') FROM unnest(key_columns) AS k));
    -- the change feed's order
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %s (sys_from, sys_version)', tbl || '_feed_idx', h);

    has_deleted := EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = format('public.%I', tbl)::regclass
                                                           AND attname = 'deleted_at' AND NOT attisdropped);
    INSERT INTO history.tracked VALUES (tbl, entity, key_columns, has_deleted)
        ON CONFLICT (table_name) DO UPDATE SET entity = EXCLUDED.entity, key_columns = EXCLUDED.key_columns,
                                               has_deleted_at = EXCLUDED.has_deleted_at;

    IF is_new THEN
        SELECT string_agg(format('%I', a.attname), ', ' ORDER BY a.attnum),
               string_agg(format('r.%I', a.attname), ', ' ORDER BY a.attnum),
               string_agg(CASE WHEN a.attname = 'deleted_at' THEN 'NULL' ELSE format('r.%I', a.attname) END, ', ' ORDER BY a.attnum)
          INTO cols, r_cols, live_cols
          FROM pg_attribute a
         WHERE a.attrelid = format('public.%I', tbl)::regclass AND a.attnum > 0 AND NOT a.attisdropped;
        IF has_deleted THEN
            -- live from when it was first known until it was deleted, then deleted
            EXECUTE format('INSERT INTO %1$s (%2$s, sys_operation, sys_from, sys_to)
                SELECT %3$s, ''CREATE'', %5$s, CASE WHEN r.deleted_at IS NULL THEN ''infinity'' ELSE greatest(r.deleted_at, %5$s) END
                  FROM public.%6$I r;
                INSERT INTO %1$s (%2$s, sys_operation, sys_from)
                SELECT %4$s, ''DELETE'', greatest(r.deleted_at, %5$s) FROM public.%6$I r WHERE r.deleted_at IS NOT NULL',
                h, cols, live_cols, r_cols, backfill_from, tbl);
        ELSE
            EXECUTE format('INSERT INTO %s (%s, sys_operation, sys_from) SELECT %s, ''CREATE'', %s FROM public.%I r',
                           h, cols, r_cols, backfill_from, tbl);
        END IF;
    END IF;

    EXECUTE format('DROP TRIGGER IF EXISTS history_insert ON public.%1$I;
        CREATE TRIGGER history_insert AFTER INSERT ON public.%1$I REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION history.record_versions();
        DROP TRIGGER IF EXISTS history_update ON public.%1$I;
        CREATE TRIGGER history_update AFTER UPDATE ON public.%1$I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION history.record_versions();
        DROP TRIGGER IF EXISTS history_delete ON public.%1$I;
        CREATE TRIGGER history_delete AFTER DELETE ON public.%1$I REFERENCING OLD TABLE AS old_rows
            FOR EACH STATEMENT EXECUTE FUNCTION history.record_versions();', tbl);
END
$fn$;

-- Existing rows: one version from when they were created (rows without created_at: their
-- parent's; links: the later of their two ends), with today's values — earlier edits are in
-- audit_log's before/after, not replayed here; a soft-deleted row is live until deleted_at.
SELECT history.attach('actors', 'ACTOR', '{id}', 'r.created_at');
SELECT history.attach('actor_aliases', 'ACTOR_ALIAS', '{id}', '(SELECT a.created_at FROM public.actors a WHERE a.id = r.actor_id)');
SELECT history.attach('affiliations', 'AFFILIATION', '{id}', 'r.created_at');
SELECT history.attach('events', 'EVENT', '{id}', 'r.created_at');
SELECT history.attach('event_participants', 'EVENT_PARTICIPANT', '{event_id,actor_id,role}',
                      '(SELECT e.created_at FROM public.events e WHERE e.id = r.event_id)');
SELECT history.attach('shipments', 'SHIPMENT', '{id}', 'r.created_at');
SELECT history.attach('shipment_events', 'SHIPMENT_EVENT', '{shipment_id,event_id}',
                      '(SELECT greatest(s.created_at, e.created_at) FROM public.shipments s, public.events e WHERE s.id = r.shipment_id AND e.id = r.event_id)');

-- asOf reads of the timeline, lists and reports: the same orders as the live tables' indexes.
CREATE INDEX "events_span_idx" ON history.events (span_start, span_end, id);
CREATE INDEX "shipments_delivery_idx" ON history.shipments (delivery_start, delivery_end, id);
CREATE INDEX "shipments_supplier_idx" ON history.shipments (supplier_id, delivery_start);
CREATE INDEX "shipments_recipient_idx" ON history.shipments (recipient_id, delivery_start);
CREATE INDEX "event_participants_actor_idx" ON history.event_participants (actor_id, event_id);
CREATE INDEX "affiliations_actor_idx" ON history.affiliations (actor_id);
CREATE INDEX "affiliations_target_idx" ON history.affiliations (target_id);
CREATE INDEX "actor_aliases_actor_idx" ON history.actor_aliases (actor_id);

-- The transaction of each audit entry, so the change feed can name the key behind a version.
ALTER TABLE "audit_log" ADD COLUMN "tx" BIGINT DEFAULT ((pg_current_xact_id())::text)::bigint;
CREATE INDEX "audit_log_tx_idx" ON "audit_log"("tx");

-- Statistics for the backfilled tables now, not whenever autovacuum comes: without them the
-- planner misjudges the asOf reads (1M events: timeline page 2 s before, 80 ms after).
ANALYZE history.actors, history.actor_aliases, history.affiliations, history.events,
        history.event_participants, history.shipments, history.shipment_events;
