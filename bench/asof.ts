// npx tsx bench/asof.ts --database att_bench_<name> [--server postgresql://…/postgres] [--runs N]
//
// Knowledge time on the benchmark data: the canonical reads (bench/ops.ts's parameters) run
// through the services, live and `asOf` an instant after the load (every row visible: the most
// rows the history can hold for the instant), median of N runs after one warm-up; then the change
// feed's first page and a page from the middle. Prints the figures; asserts nothing.
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import { createPrisma } from '../src/db/client';
import { sourceCounts } from '../src/db/queries/corroboration';
import { changesConnection, checkAsOf } from '../src/services/history';
import { eventsConnection } from '../src/services/connections';
import { eventStats, shipmentReport } from '../src/services/reports';
import { timelineConnection } from '../src/services/timeline';
import { discoverParams } from './ops';

async function main() {
  const { values } = parseArgs({
    options: {
      database: { type: 'string' },
      server: { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432/postgres' },
      runs: { type: 'string', default: '3' },
    },
  });
  if (!values.database || !/^att_bench_/.test(values.database)) throw new Error('give --database att_bench_…');
  const url = new URL(values.server!);
  url.pathname = `/${values.database}`;
  const pool = new Pool({ connectionString: url.toString(), max: 2 });
  const handle = createPrisma(url.toString(), 2);
  const db = handle;
  try {
    const p = await discoverParams(pool);
    const asOf = await checkAsOf(db, new Date(Date.now() - 1000));
    const runs = Number(values.runs);
    const time = async (label: string, fn: (asOf: string | null) => Promise<unknown>) => {
      const ms: Record<string, number> = {};
      for (const at of [null, asOf]) {
        await fn(at);
        const t: number[] = [];
        for (let i = 0; i < runs; i++) {
          const start = performance.now();
          await fn(at);
          t.push(performance.now() - start);
        }
        ms[at ? 'asOf' : 'live'] = t.sort((a, b) => a - b)[Math.floor(t.length / 2)];
      }
      console.log(`${label.padEnd(58)} live ${ms.live.toFixed(0).padStart(6)} ms   asOf ${ms.asOf.toFixed(0).padStart(6)} ms`);
    };
    console.log(`asOf ${asOf}; median of ${runs} runs`);
    await time('2a timeline, busiest actor, first 50', (at) => timelineConnection(db, { actorIds: [p.busiest], asOf: at }, { first: 50 }));
    await time('3  timeline, busiest pair, ALL, first 50', (at) => timelineConnection(db, { actorIds: p.pair, match: 'ALL', asOf: at }, { first: 50 }));
    await time('   timeline, busiest actor, totalCount', async (at) =>
      (await timelineConnection(db, { actorIds: [p.busiest], asOf: at }, { first: 1 })).totalCount(),
    );
    await time('4  events, type + 3-month window, first 50', (at) =>
      eventsConnection(db, { types: [p.eventType], from: p.window.from, to: p.window.to, asOf: at }, { first: 50 }),
    );
    await time('5  shipmentReport, monthly 10 years, supplier+recipient', (at) =>
      shipmentReport(db, {
        ...p.years,
        granularity: 'MONTH',
        groupBy: ['SUPPLIER', 'RECIPIENT'],
        filter: { supplierIds: p.reportSuppliers, recipientIds: p.reportRecipients },
        asOf: at,
      }),
    );
    await time('6  eventStats, monthly 10 years, by type', (at) => eventStats(db, { ...p.years, granularity: 'MONTH', groupBy: ['TYPE'], asOf: at }));
    // Corroboration as of the instant: citations and sources read from their history too.
    await time('   events, type + 3-month window, minSources 2, first 50', (at) =>
      eventsConnection(db, { types: [p.eventType], from: p.window.from, to: p.window.to, minSources: 2, asOf: at }, { first: 50 }),
    );
    await time('   timeline, busiest actor, minSources 2, first 50', (at) =>
      timelineConnection(db, { actorIds: [p.busiest], minSources: 2, asOf: at }, { first: 50 }),
    );
    await time('   eventStats, monthly 10 years, by type, minSources 2', (at) =>
      eventStats(db, { ...p.years, granularity: 'MONTH', groupBy: ['TYPE'], filter: { minSources: 2 }, asOf: at }),
    );
    const page = (await eventsConnection(db, { types: [p.eventType], from: p.window.from, to: p.window.to }, { first: 50 })).edges.map((e) => e.node.id);
    await time('   sourceCount of a page of 50 events', (at) => sourceCounts(db, 'event', page, { asOf: at }));

    const feed = async (label: string, args: Parameters<typeof changesConnection>[1]) => {
      await changesConnection(db, args);
      const start = performance.now();
      const page = await changesConnection(db, args);
      console.log(`${label.padEnd(58)} ${(performance.now() - start).toFixed(0).padStart(6)} ms (${page.edges.length} changes)`);
      return page;
    };
    const since = new Date(0);
    const first = await feed('changes(since: 1970, first: 500), first page', { since, first: 500 });
    const { rows } = await pool.query<{ at: Date }>(`SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY sys_from) AS at FROM history.events`);
    await feed('changes(since: median version instant, first: 500)', { since: rows[0].at, first: 500 });
    await feed('changes(after: first page end cursor, first: 500)', { since, first: 500, after: first.pageInfo.endCursor });
    const sizes = await pool.query(
      `SELECT c.relname AS table, c.reltuples::bigint AS rows, pg_size_pretty(pg_total_relation_size(c.oid)) AS size
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'history' AND c.relkind = 'r' ORDER BY 1`,
    );
    console.table(sizes.rows);
  } finally {
    await handle.close();
    await pool.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
