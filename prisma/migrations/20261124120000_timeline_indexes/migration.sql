-- Timeline (src/db/queries/timeline.ts): the shipment arms of the feed read the
-- shipments of one actor as supplier, or as recipient, in feed order
-- (delivery_start, delivery_end, id) from a keyset cursor, so that a page is an
-- ordered index range scan that stops after LIMIT rows instead of a sort of all the
-- actor's shipments. These indexes extend (supplier_id, delivery_start) and
-- (recipient_id, delivery_start), which they replace: every query those served
-- is served by their longer successors.
DROP INDEX "shipments_supplier_id_delivery_start_idx";
DROP INDEX "shipments_recipient_id_delivery_start_idx";
CREATE INDEX "shipments_supplier_id_delivery_start_delivery_end_id_idx" ON "shipments"("supplier_id", "delivery_start", "delivery_end", "id");
CREATE INDEX "shipments_recipient_id_delivery_start_delivery_end_id_idx" ON "shipments"("recipient_id", "delivery_start", "delivery_end", "id");
