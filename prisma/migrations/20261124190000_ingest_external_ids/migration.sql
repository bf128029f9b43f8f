-- Bulk import (src/ingest/): records carry the id they have in their own dataset, so
-- that a file can refer to them and re-importing it updates instead of duplicating.
-- (dataset, external_id) is unique per table; rows created through the API have neither.
-- Actor names in import files resolve case- and accent-insensitively (unaccent).

CREATE EXTENSION IF NOT EXISTS unaccent;

-- unaccent() is only STABLE (it reads a dictionary); this wrapper names the dictionary
-- explicitly so that it may be declared IMMUTABLE and used in an index.
CREATE FUNCTION "fold_name"(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN lower(unaccent('unaccent'::regdictionary, $1));

-- AlterTable
ALTER TABLE "actors" ADD COLUMN "dataset" TEXT, ADD COLUMN "external_id" TEXT;
ALTER TABLE "events" ADD COLUMN "dataset" TEXT, ADD COLUMN "external_id" TEXT;
ALTER TABLE "shipments" ADD COLUMN "dataset" TEXT, ADD COLUMN "external_id" TEXT;
ALTER TABLE "sources" ADD COLUMN "dataset" TEXT, ADD COLUMN "external_id" TEXT;
ALTER TABLE "citations" ADD COLUMN "dataset" TEXT, ADD COLUMN "external_id" TEXT;
ALTER TABLE "affiliations" ADD COLUMN "dataset" TEXT, ADD COLUMN "external_id" TEXT;

-- an external id comes with its dataset, and neither is blank
ALTER TABLE "actors" ADD CONSTRAINT "actors_external_id_check" CHECK (("dataset" IS NULL) = ("external_id" IS NULL) AND btrim("dataset") <> '' AND btrim("external_id") <> '');
ALTER TABLE "events" ADD CONSTRAINT "events_external_id_check" CHECK (("dataset" IS NULL) = ("external_id" IS NULL) AND btrim("dataset") <> '' AND btrim("external_id") <> '');
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_external_id_check" CHECK (("dataset" IS NULL) = ("external_id" IS NULL) AND btrim("dataset") <> '' AND btrim("external_id") <> '');
ALTER TABLE "sources" ADD CONSTRAINT "sources_external_id_check" CHECK (("dataset" IS NULL) = ("external_id" IS NULL) AND btrim("dataset") <> '' AND btrim("external_id") <> '');
ALTER TABLE "citations" ADD CONSTRAINT "citations_external_id_check" CHECK (("dataset" IS NULL) = ("external_id" IS NULL) AND btrim("dataset") <> '' AND btrim("external_id") <> '');
ALTER TABLE "affiliations" ADD CONSTRAINT "affiliations_external_id_check" CHECK (("dataset" IS NULL) = ("external_id" IS NULL) AND btrim("dataset") <> '' AND btrim("external_id") <> '');

-- CreateIndex
CREATE UNIQUE INDEX "actors_dataset_external_id_key" ON "actors"("dataset", "external_id");
CREATE UNIQUE INDEX "events_dataset_external_id_key" ON "events"("dataset", "external_id");
CREATE UNIQUE INDEX "shipments_dataset_external_id_key" ON "shipments"("dataset", "external_id");
CREATE UNIQUE INDEX "sources_dataset_external_id_key" ON "sources"("dataset", "external_id");
CREATE UNIQUE INDEX "citations_dataset_external_id_key" ON "citations"("dataset", "external_id");
CREATE UNIQUE INDEX "affiliations_dataset_external_id_key" ON "affiliations"("dataset", "external_id");
-- actor names in import files: case- and accent-insensitive equality, and near matches
CREATE INDEX "actor_aliases_fold_name_idx" ON "actor_aliases"("fold_name"("alias"));
