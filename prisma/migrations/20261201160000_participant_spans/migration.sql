-- Issue #7, timeline and list speed (src/db/queries/timeline.ts, lists.ts).
--
-- 1. Each participation carries its event's span, so an actor's events come out of one
--    index in feed order (actor_id, span_start, span_end, event_id): a page of a rare
--    actor or pair is an ordered range scan that stops after the page, instead of
--    events read in order and probed (busy actors) or every participation gathered,
--    joined to events and sorted (rare actors, pairs). The copies are written only by
--    the triggers below: a participation takes its event's span when inserted (or moved
--    to another event), and a statement that changes events' spans updates their
--    participations in one set-based statement.
ALTER TABLE "event_participants" ADD COLUMN "span_start" DATE, ADD COLUMN "span_end" DATE;

UPDATE "event_participants" p SET "span_start" = e."span_start", "span_end" = e."span_end"
FROM "events" e WHERE e."id" = p."event_id";

CREATE FUNCTION "event_participants_copy_span"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT e."span_start", e."span_end" INTO NEW."span_start", NEW."span_end" FROM "events" e WHERE e."id" = NEW."event_id";
  RETURN NEW;
END $$;

CREATE TRIGGER "event_participants_copy_span" BEFORE INSERT OR UPDATE OF "event_id", "span_start", "span_end"
  ON "event_participants" FOR EACH ROW EXECUTE FUNCTION "event_participants_copy_span"();

CREATE FUNCTION "events_span_to_participants"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "event_participants" p SET "span_start" = n."span_start", "span_end" = n."span_end"
  FROM "changed_events" n
  WHERE p."event_id" = n."id" AND (p."span_start", p."span_end") IS DISTINCT FROM (n."span_start", n."span_end");
  RETURN NULL;
END $$;

CREATE TRIGGER "events_span_to_participants" AFTER UPDATE ON "events"
  REFERENCING NEW TABLE AS "changed_events" FOR EACH STATEMENT EXECUTE FUNCTION "events_span_to_participants"();

CREATE INDEX "event_participants_actor_id_span_start_span_end_event_id_idx"
  ON "event_participants"("actor_id", "span_start", "span_end", "event_id");

-- 2. Events overlapping a window [from, to] in (span_start, span_end, id) order: the
--    overlap condition (span_end >= from AND span_start <= to) gives span_start no lower
--    bound, so the scan started at the oldest event. The list now reads spans of at most
--    LONG_SPAN_DAYS (366: every precision but RANGE) from span_start >= from - 366, and
--    the longer ones from this small partial index. The 366 is repeated in lists.ts
--    (a partial index is only used when the query states its predicate as written).
CREATE INDEX "events_long_span_idx" ON "events"("span_start", "span_end", "id") WHERE "span_end" - "span_start" > 366;

