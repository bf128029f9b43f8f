-- Issue #31, bulk import speed: the participations' span copy done per statement on the bulk path.
--
-- event_participants_copy_span is the one per-row trigger a bulk import still paid for (one
-- look-up in event_keys per participation written, about half of the participations' insert).
-- The importer writes the spans itself in the same INSERT (from the events it has just written,
-- so they are the same values the trigger would copy) and says so with the transaction-local
-- setting att.bulk_spans = 'on'; every other writer keeps the trigger. See
-- docs/decisions/bulk-import.md.
DROP TRIGGER "event_participants_copy_span" ON "event_participants";
CREATE TRIGGER "event_participants_copy_span" BEFORE INSERT OR UPDATE OF "event_id", "span_start", "span_end"
  ON "event_participants" FOR EACH ROW
  WHEN (current_setting('att.bulk_spans', true) IS DISTINCT FROM 'on')
  EXECUTE FUNCTION "event_participants_copy_span"();
