-- Provenance depth (issue #10, part 1): claims with an estimative likelihood, the evidence
-- type of citations, and what corroboration needs on sources (a repeat of another story).

-- CreateEnum
CREATE TYPE "EvidenceType" AS ENUM ('OFFICIAL_STATEMENT', 'SATELLITE_IMAGERY', 'BATTLEFIELD_EVIDENCE', 'EXPERT_ASSESSMENT', 'MEDIA_REPORT', 'LEAK', 'OTHER');
CREATE TYPE "Likelihood" AS ENUM ('ALMOST_NO_CHANCE', 'VERY_UNLIKELY', 'UNLIKELY', 'ROUGHLY_EVEN', 'LIKELY', 'VERY_LIKELY', 'ALMOST_CERTAIN');

-- AlterTable: existing citations (and clients that send no evidence type) get OTHER.
ALTER TABLE "citations" ADD COLUMN "evidence_type" "EvidenceType" NOT NULL DEFAULT 'OTHER';

-- AlterTable: a syndicated or repeated story points at its origin and counts as the origin's
-- publisher. The service stores the root of a chain, so one hop always reaches the origin.
ALTER TABLE "sources" ADD COLUMN "derived_from_id" UUID;
ALTER TABLE "sources" ADD CONSTRAINT "sources_derived_from_check" CHECK ("derived_from_id" <> "id");
ALTER TABLE "sources" ADD CONSTRAINT "sources_derived_from_id_fkey" FOREIGN KEY ("derived_from_id") REFERENCES "sources"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
CREATE INDEX "sources_derived_from_id_idx" ON "sources"("derived_from_id");

-- CreateTable
CREATE TABLE "claims" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "claimant_id" UUID NOT NULL,
    "stated_on" DATE,
    "citation_id" UUID,
    "event_id" UUID,
    "shipment_id" UUID,
    "field" TEXT,
    "value" TEXT,
    "likelihood" "Likelihood" NOT NULL,
    "confidence" "Confidence" NOT NULL DEFAULT 'REPORTED',
    "accepted" BOOLEAN NOT NULL DEFAULT false,
    "dataset" TEXT,
    "external_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "claims_pkey" PRIMARY KEY ("id"),
    -- a claim is about exactly one event or shipment
    CONSTRAINT "claims_subject_check" CHECK (num_nonnulls("event_id", "shipment_id") = 1),
    -- the fields a claim may be about, per kind of subject (src/domain/claims.ts)
    CONSTRAINT "claims_field_check" CHECK ("field" IS NULL
        OR ("event_id" IS NOT NULL AND "field" IN ('type', 'title', 'description', 'date'))
        OR ("shipment_id" IS NOT NULL AND "field" IN ('supplier', 'recipient', 'category', 'description', 'quantity', 'unit', 'deliverySpan', 'status', 'route'))),
    -- a claim about a field states a value
    CONSTRAINT "claims_value_check" CHECK ("field" IS NULL OR "value" IS NOT NULL),
    CONSTRAINT "claims_external_id_check" CHECK (("dataset" IS NULL) = ("external_id" IS NULL) AND btrim("dataset") <> '' AND btrim("external_id") <> '')
);

-- CreateIndex
CREATE INDEX "claims_event_id_idx" ON "claims"("event_id");
CREATE INDEX "claims_shipment_id_idx" ON "claims"("shipment_id");
CREATE INDEX "claims_claimant_id_idx" ON "claims"("claimant_id");
CREATE INDEX "claims_citation_id_idx" ON "claims"("citation_id");
CREATE UNIQUE INDEX "claims_dataset_external_id_key" ON "claims"("dataset", "external_id");
-- at most one accepted live claim per field of a record
CREATE UNIQUE INDEX "claims_accepted_key" ON "claims"((coalesce("event_id", "shipment_id")), "field")
    WHERE "accepted" AND "deleted_at" IS NULL AND "field" IS NOT NULL;

-- AddForeignKey
ALTER TABLE "claims" ADD CONSTRAINT "claims_claimant_id_fkey" FOREIGN KEY ("claimant_id") REFERENCES "actors"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "claims" ADD CONSTRAINT "claims_citation_id_fkey" FOREIGN KEY ("citation_id") REFERENCES "citations"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "claims" ADD CONSTRAINT "claims_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "claims" ADD CONSTRAINT "claims_shipment_id_fkey" FOREIGN KEY ("shipment_id") REFERENCES "shipments"("id") ON DELETE CASCADE ON UPDATE CASCADE;
