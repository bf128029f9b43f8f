-- History: an UPDATE that changes no versioned column makes no version (the participant-span
-- copy of the next migration, or a no-op update, is not a change of what we knew). Same
-- function as 20261201130000_history otherwise.
CREATE OR REPLACE FUNCTION history.record_versions() RETURNS trigger
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
    same    text;
    src_old text := 'old_rows';
    src_new text := 'new_rows';
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

    -- An UPDATE that leaves every versioned column as it was (e.g. a column the history does
    -- not keep, like the span copied onto participations) is no change of knowledge: only the
    -- rows whose versioned columns changed make versions. Compared as text: every type has it.
    IF TG_OP = 'UPDATE' THEN
        -- The key's equality first, so that PostgreSQL can hash-join old and new rows.
        SELECT string_agg(format('o.%1$I = r.%1$I', k), ' AND ') INTO same FROM unnest(t.key_columns) AS k;
        SELECT same || ' AND ' || string_agg(format('o.%1$I::text IS NOT DISTINCT FROM r.%1$I::text', a.attname), ' AND ')
          INTO same
          FROM pg_attribute a
         WHERE a.attrelid = TG_RELID AND a.attnum > 0 AND NOT a.attisdropped
           AND EXISTS (SELECT 1 FROM pg_attribute b
                        WHERE b.attrelid = h::regclass AND b.attname = a.attname AND NOT b.attisdropped);
        src_old := format('(SELECT o.* FROM old_rows o WHERE NOT EXISTS (SELECT 1 FROM new_rows r WHERE %s))', same);
        src_new := format('(SELECT r.* FROM new_rows r WHERE NOT EXISTS (SELECT 1 FROM old_rows o WHERE %s))', same);
    END IF;

    op := CASE WHEN t.has_deleted_at THEN
            'CASE WHEN c.deleted_at IS NOT NULL AND r.deleted_at IS NULL THEN ''RESTORE''
                  WHEN c.deleted_at IS NULL AND r.deleted_at IS NOT NULL THEN ''DELETE'' ELSE ''UPDATE'' END'
          ELSE '''UPDATE''' END;
    -- Close the current versions of the old rows; each row's new version starts where its old one
    -- ends; a closed version whose key is gone (deleted, or updated to another key) gets its RETRACT.
    EXECUTE format(
        'WITH c AS (UPDATE %1$s v SET sys_to = greatest($1, v.sys_from) FROM %7$s r
                     WHERE %2$s AND v.sys_to = ''infinity'' RETURNING v.*),
              n AS (%3$s)
         INSERT INTO %1$s (%4$s, sys_operation, sys_from, sys_to, sys_tx)
         SELECT %5$s, ''RETRACT'', c.sys_to, c.sys_to, $2 FROM c %6$s',
        h, join_vr,
        CASE WHEN TG_OP = 'UPDATE' THEN format(
            'INSERT INTO %s (%s, sys_operation, sys_from, sys_tx)
             SELECT %s, %s, coalesce(c.sys_to, $1), $2 FROM %s r LEFT JOIN c ON %s', h, cols, r_cols, op, src_new, join_rc)
        ELSE 'SELECT 1' END,
        cols, c_cols,
        CASE WHEN TG_OP = 'UPDATE' THEN format('WHERE NOT EXISTS (SELECT 1 FROM new_rows r WHERE %s)', join_rc) ELSE '' END,
        src_old)
        USING stamp, tx;
    RETURN NULL;
END
$fn$;
