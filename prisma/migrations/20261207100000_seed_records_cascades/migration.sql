-- Issue #27, items 1, 2 and 5.
--
-- seed_records: what the database remembers of the seed it was loaded from (seed/load.ts).
-- One row per seed record it loaded (or found already there): the record's kind, id and seed
-- key, the values the seed gave it (as loaded), their hash and the version (hash) of the seed
-- that gave them. Start-up compares each record's current values with them: equal means nobody
-- touched it, so a newer seed may update it; different, deleted or gone means someone did,
-- and the seed leaves it alone. No foreign keys: the row of a purged record stays, which is
-- how a purged seed record is never loaded again.
CREATE TABLE "seed_records" (
    "kind" TEXT NOT NULL,
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "content" JSONB NOT NULL,
    "content_hash" TEXT NOT NULL,
    "seed_version" TEXT NOT NULL,
    "loaded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- When a newer seed no longer carried the record (it was then soft-deleted if untouched).
    "removed_at" TIMESTAMPTZ(3),

    CONSTRAINT "seed_records_pkey" PRIMARY KEY ("kind", "id"),
    CONSTRAINT "seed_records_kind_check" CHECK ("kind" IN ('source', 'actor', 'affiliation', 'event', 'shipment', 'citation', 'claim'))
);

-- audit_log.cascade_of: the audit entry of the delete (or restore) whose cascade made this
-- change. A delete with cascade soft-deletes the records that refer to its record (and theirs),
-- each with an entry pointing at the entry of the record it was deleted for; restoring a record
-- walks that tree from the entry of its own deletion, so it brings back what its cascade deleted
-- and nothing deleted apart.
ALTER TABLE "audit_log" ADD COLUMN "cascade_of" BIGINT;
-- NOT VALID: every existing entry has NULL there, so validating would only read the whole log.
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_cascade_of_fkey" FOREIGN KEY ("cascade_of") REFERENCES "audit_log"("id") ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;
CREATE INDEX "audit_log_cascade_of_idx" ON "audit_log"("cascade_of") WHERE "cascade_of" IS NOT NULL;
