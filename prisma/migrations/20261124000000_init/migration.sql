-- Initial schema: actors, aliases, affiliations, events, shipments, sources, citations.
-- Written to match prisma/schema.prisma (see test/db/schema-drift.test.ts), plus what
-- Prisma cannot express: CHECK constraints, expression, partial and GIN indexes.

-- CreateEnum
CREATE TYPE "ActorKind" AS ENUM ('STATE', 'ORGANIZATION', 'PERSON', 'MILITARY_UNIT', 'COMPANY');
CREATE TYPE "AffiliationRole" AS ENUM ('LEADER_OF', 'HEAD_OF', 'DEFENCE_MINISTER_OF', 'FOREIGN_MINISTER_OF', 'SPOKESPERSON_OF', 'OFFICIAL_OF', 'EXPERT_AT', 'MEMBER_OF', 'CITIZEN_OF', 'PART_OF', 'OTHER');
CREATE TYPE "EventType" AS ENUM ('MEETING', 'VISIT', 'STATEMENT', 'ACCUSATION', 'SANCTION', 'TRANSFER_REPORT', 'OBSERVATION', 'BATTLEFIELD_FINDING', 'AGREEMENT', 'OTHER');
CREATE TYPE "ParticipantRole" AS ENUM ('INITIATOR', 'TARGET', 'PARTICIPANT', 'SPEAKER', 'SUBJECT');
CREATE TYPE "ShipmentCategory" AS ENUM ('ARTILLERY_AMMUNITION', 'MLRS_AMMUNITION', 'MISSILES', 'SMALL_ARMS', 'VEHICLES', 'MILITARY_EQUIPMENT', 'FOOD', 'FUEL', 'OTHER');
CREATE TYPE "ShipmentStatus" AS ENUM ('PLANNED', 'REPORTED', 'CONFIRMED', 'DENIED');
CREATE TYPE "Confidence" AS ENUM ('CONFIRMED', 'REPORTED', 'ALLEGED', 'ASSESSED');
CREATE TYPE "DatePrecision" AS ENUM ('DAY', 'MONTH', 'QUARTER', 'YEAR', 'RANGE');
CREATE TYPE "Reliability" AS ENUM ('A', 'B', 'C', 'D', 'E', 'F');

-- CreateTable
CREATE TABLE "actors" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "kind" "ActorKind" NOT NULL,
    "country_code" CHAR(3),
    "description" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "actors_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "actors_country_code_check" CHECK ("country_code" ~ '^[A-Z]{3}$'),
    CONSTRAINT "actors_name_check" CHECK (btrim("name") <> '')
);

CREATE TABLE "actor_aliases" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "actor_id" UUID NOT NULL,
    "alias" TEXT NOT NULL,

    CONSTRAINT "actor_aliases_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "actor_aliases_alias_check" CHECK (btrim("alias") <> '')
);

CREATE TABLE "affiliations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "actor_id" UUID NOT NULL,
    "target_id" UUID NOT NULL,
    "role" "AffiliationRole" NOT NULL,
    "title" TEXT,
    "span_start" DATE,
    "span_end" DATE,
    "span_precision" "DatePrecision",
    "span_text" TEXT,
    "confidence" "Confidence" NOT NULL DEFAULT 'REPORTED',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "affiliations_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "affiliations_not_self_check" CHECK ("actor_id" <> "target_id"),
    -- a span is all or nothing, and ends on or after its start
    CONSTRAINT "affiliations_span_check" CHECK (
        ("span_start" IS NULL AND "span_end" IS NULL AND "span_precision" IS NULL)
        OR ("span_start" IS NOT NULL AND "span_end" IS NOT NULL AND "span_precision" IS NOT NULL AND "span_end" >= "span_start"))
);

CREATE TABLE "events" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "type" "EventType" NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "span_start" DATE NOT NULL,
    "span_end" DATE NOT NULL,
    "span_precision" "DatePrecision" NOT NULL,
    "span_text" TEXT,
    "location_name" TEXT,
    "location_country_code" CHAR(3),
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "confidence" "Confidence" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "events_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "events_span_check" CHECK ("span_end" >= "span_start"),
    CONSTRAINT "events_title_check" CHECK (btrim("title") <> ''),
    CONSTRAINT "events_latitude_check" CHECK ("latitude" BETWEEN -90 AND 90),
    CONSTRAINT "events_longitude_check" CHECK ("longitude" BETWEEN -180 AND 180)
);

CREATE TABLE "event_participants" (
    "event_id" UUID NOT NULL,
    "actor_id" UUID NOT NULL,
    "role" "ParticipantRole" NOT NULL,

    CONSTRAINT "event_participants_pkey" PRIMARY KEY ("event_id","actor_id","role")
);

CREATE TABLE "shipments" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "supplier_id" UUID NOT NULL,
    "recipient_id" UUID NOT NULL,
    "category" "ShipmentCategory" NOT NULL,
    "description" TEXT,
    "quantity" DOUBLE PRECISION,
    "unit" TEXT,
    "delivery_start" DATE NOT NULL,
    "delivery_end" DATE NOT NULL,
    "delivery_precision" "DatePrecision" NOT NULL,
    "delivery_text" TEXT,
    "status" "ShipmentStatus" NOT NULL,
    "route" TEXT,
    "confidence" "Confidence" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "shipments_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "shipments_span_check" CHECK ("delivery_end" >= "delivery_start"),
    CONSTRAINT "shipments_parties_check" CHECK ("supplier_id" <> "recipient_id"),
    CONSTRAINT "shipments_quantity_check" CHECK ("quantity" IS NULL OR "quantity" >= 0),
    CONSTRAINT "shipments_unit_check" CHECK ("quantity" IS NULL OR ("unit" IS NOT NULL AND btrim("unit") <> ''))
);

CREATE TABLE "shipment_events" (
    "shipment_id" UUID NOT NULL,
    "event_id" UUID NOT NULL,

    CONSTRAINT "shipment_events_pkey" PRIMARY KEY ("shipment_id","event_id")
);

CREATE TABLE "sources" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "publisher" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "url" TEXT,
    "published_at" DATE,
    "reliability" "Reliability" NOT NULL DEFAULT 'F',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "sources_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "citations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "source_id" UUID NOT NULL,
    "excerpt" TEXT NOT NULL,
    "credibility" SMALLINT NOT NULL DEFAULT 6,
    "event_id" UUID,
    "shipment_id" UUID,
    "affiliation_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "citations_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "citations_credibility_check" CHECK ("credibility" BETWEEN 1 AND 6),
    -- a citation supports exactly one record
    CONSTRAINT "citations_subject_check" CHECK (num_nonnulls("event_id", "shipment_id", "affiliation_id") = 1)
);

-- CreateIndex
CREATE INDEX "actors_kind_idx" ON "actors"("kind");
CREATE INDEX "actor_aliases_actor_id_idx" ON "actor_aliases"("actor_id");
-- aliases resolve case-insensitively to one actor
CREATE UNIQUE INDEX "actor_aliases_lower_alias_key" ON "actor_aliases"(lower("alias"));
-- partial, case-insensitive alias search: actors(search: "kor")
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "actor_aliases_alias_trgm_idx" ON "actor_aliases" USING GIN (lower("alias") gin_trgm_ops);
CREATE INDEX "affiliations_actor_id_idx" ON "affiliations"("actor_id");
CREATE INDEX "affiliations_target_id_idx" ON "affiliations"("target_id");
CREATE INDEX "events_span_start_span_end_id_idx" ON "events"("span_start", "span_end", "id");
CREATE INDEX "events_type_span_start_idx" ON "events"("type", "span_start");
CREATE INDEX "events_search_idx" ON "events" USING GIN (to_tsvector('english', "title" || ' ' || coalesce("description", '')));
CREATE INDEX "event_participants_actor_id_event_id_idx" ON "event_participants"("actor_id", "event_id");
CREATE INDEX "shipments_delivery_start_delivery_end_id_idx" ON "shipments"("delivery_start", "delivery_end", "id");
CREATE INDEX "shipments_supplier_id_delivery_start_idx" ON "shipments"("supplier_id", "delivery_start");
CREATE INDEX "shipments_recipient_id_delivery_start_idx" ON "shipments"("recipient_id", "delivery_start");
CREATE INDEX "shipments_category_delivery_start_idx" ON "shipments"("category", "delivery_start");
CREATE INDEX "shipment_events_event_id_idx" ON "shipment_events"("event_id");
CREATE INDEX "citations_source_id_idx" ON "citations"("source_id");
CREATE INDEX "citations_event_id_idx" ON "citations"("event_id");
CREATE INDEX "citations_shipment_id_idx" ON "citations"("shipment_id");
CREATE INDEX "citations_affiliation_id_idx" ON "citations"("affiliation_id");

-- AddForeignKey
ALTER TABLE "actor_aliases" ADD CONSTRAINT "actor_aliases_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "actors"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "affiliations" ADD CONSTRAINT "affiliations_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "actors"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "affiliations" ADD CONSTRAINT "affiliations_target_id_fkey" FOREIGN KEY ("target_id") REFERENCES "actors"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "event_participants" ADD CONSTRAINT "event_participants_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "event_participants" ADD CONSTRAINT "event_participants_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "actors"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_supplier_id_fkey" FOREIGN KEY ("supplier_id") REFERENCES "actors"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_recipient_id_fkey" FOREIGN KEY ("recipient_id") REFERENCES "actors"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "shipment_events" ADD CONSTRAINT "shipment_events_shipment_id_fkey" FOREIGN KEY ("shipment_id") REFERENCES "shipments"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "shipment_events" ADD CONSTRAINT "shipment_events_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "citations" ADD CONSTRAINT "citations_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "citations" ADD CONSTRAINT "citations_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "citations" ADD CONSTRAINT "citations_shipment_id_fkey" FOREIGN KEY ("shipment_id") REFERENCES "shipments"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "citations" ADD CONSTRAINT "citations_affiliation_id_fkey" FOREIGN KEY ("affiliation_id") REFERENCES "affiliations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
