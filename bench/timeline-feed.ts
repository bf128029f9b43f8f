// The generated feed the timeline page is tested (test/browser/timeline.test.ts) and measured
// (bench/timeline-page.ts) with: two actors whose timeline together holds 5,000 items —
// 4,000 events and 1,000 shipments with spans of every precision over 2015–2024, from the
// synthetic generator — loaded through the bulk importer, as `npm run import` loads a file.
import type { Pool } from 'pg';
import { importWithPool } from '../src/ingest/importer';
import { textInput } from '../src/ingest/read';
import { synthRecords, type SynthOptions } from '../src/ingest/synth';

/** Two actors, so that every event (1–3 participants drawn from them) and every shipment involves one. */
export const TIMELINE_FEED: SynthOptions = { events: 4_000, shipments: 1_000, actors: 2, affiliations: 0, seed: 30, dataset: 'timeline-feed' };

export const TIMELINE_FEED_ITEMS = TIMELINE_FEED.events + TIMELINE_FEED.shipments;

/** Imports the feed into the database behind `pool`; returns its two actors' ids. */
export async function loadTimelineFeed(pool: Pool): Promise<string[]> {
  const ndjson = Array.from(synthRecords(TIMELINE_FEED), (r) => JSON.stringify(r)).join('\n');
  const report = await importWithPool(pool, [textInput('timeline-feed.ndjson', ndjson)]);
  if (!report.committed) throw new Error(`the timeline feed did not import: ${JSON.stringify(report.errors?.slice(0, 3))}`);
  const { rows } = await pool.query<{ id: string }>('SELECT id FROM actors WHERE dataset = $1 ORDER BY external_id', [TIMELINE_FEED.dataset]);
  return rows.map((r) => r.id);
}
