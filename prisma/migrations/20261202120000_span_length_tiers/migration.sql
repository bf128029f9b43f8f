-- Issue #9, windowed lists on partitioned tables: partial indexes by span length.
--
-- A list window's lower bound ("ends on or after from") does not bound the start column from
-- below, so lists.ts reads a page in arms by span length (windowArms): spans of at most 31 days
-- from 31 days before the window, 32-92 days from the 61 days before that, 93-366 days from the
-- year before, longer ones from anywhere. Each arm past the first scans a partial index of the
-- spans longer than its bound, so it reads only those rows of the earlier dates. Before, spans up
-- to 366 days were read from the plain index a whole year back: a 3-month window in 2020 scanned
-- all of events_y2019's index and kept none of it (bench, 10 M events: 8,286 buffers, 221 ms).
-- The predicates are repeated in lists.ts, which PostgreSQL requires written the same way.
-- events_long_span_idx (> 366, migration 20261201160000) serves the events' last arm.
CREATE INDEX "events_span_over_31_idx" ON "events"("span_start", "span_end", "id") WHERE "span_end" - "span_start" > 31;
CREATE INDEX "events_span_over_92_idx" ON "events"("span_start", "span_end", "id") WHERE "span_end" - "span_start" > 92;
CREATE INDEX "shipments_delivery_over_31_idx" ON "shipments"("delivery_start", "delivery_end", "id") WHERE "delivery_end" - "delivery_start" > 31;
CREATE INDEX "shipments_delivery_over_92_idx" ON "shipments"("delivery_start", "delivery_end", "id") WHERE "delivery_end" - "delivery_start" > 92;
CREATE INDEX "shipments_delivery_over_366_idx" ON "shipments"("delivery_start", "delivery_end", "id") WHERE "delivery_end" - "delivery_start" > 366;
