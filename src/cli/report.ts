// npm run report -- [--events] --from 2023-01-01 --to 2023-12-31 [--granularity MONTH]
//   [--group-by SUPPLIER,RECIPIENT] [--attribution PRO_RATA] [--as-of 2026-12-01T13:46:57Z] [--non-empty] [--csv]
//
// Prints the shipment report (the same as GraphQL's shipmentReport and /reports/shipments.csv)
// as a table, followed by the totals per group; with --events the event statistics (eventStats,
// /reports/events.csv) instead. --csv prints the CSV export.
// Reads DATABASE_URL, or the embedded database (see README, "Configuration").
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import type { Db } from '../db/client';
import { openDatabase } from '../db/database';
import { ValidationError } from '../domain/errors';
import { eventStatsCsv, parseDateTime, shipmentReportCsv } from '../http/reports';
import { checkAsOf } from '../services/history';
import {
  EVENT_DIMENSIONS,
  eventStats,
  shipmentReport,
  type EventBucketRow,
  type EventDimension,
  type Attribution,
  type Granularity,
  type ShipmentDimension,
  type ShipmentReportResult,
  type ShipmentTotalRow,
} from '../services/reports';

const USAGE = `Usage: npm run report -- [--events] --from YYYY-MM-DD --to YYYY-MM-DD [options]

  --events                                      event statistics instead of the shipment report
  --granularity DAY|WEEK|MONTH|QUARTER|YEAR     period length (default MONTH)
  --group-by SUPPLIER,RECIPIENT,CATEGORY,STATUS,CONFIDENCE
                                                dimensions to group by (default: none, per unit only);
             TYPE,ACTOR,COUNTRY,CONFIDENCE      with --events
  --attribution PRO_RATA|START|END              where multi-period deliveries (events) count (default PRO_RATA)
  --as-of DATE-TIME                             as the database stood at that instant (ISO 8601, e.g. 2026-12-01T13:46:57Z)
  --non-empty                                   leave out buckets without shipments (events)
  --csv                                         print CSV instead of a table
  --help`;

class UsageError extends Error {}

const NO_UNIT = '(no unit)';

export function options(argv: string[]) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        events: { type: 'boolean', default: false },
        from: { type: 'string' },
        to: { type: 'string' },
        granularity: { type: 'string' },
        'group-by': { type: 'string' },
        attribution: { type: 'string' },
        'as-of': { type: 'string' },
        'non-empty': { type: 'boolean', default: false },
        csv: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if (values.help) return null;
  if (!values.from || !values.to) throw new UsageError('--from and --to are required');
  return {
    args: {
      from: values.from,
      to: values.to,
      granularity: values.granularity?.toUpperCase() as Granularity | undefined,
      groupBy: values['group-by']
        ?.split(',')
        .map((d) => d.trim().toUpperCase())
        .filter(Boolean),
      attribution: values.attribution?.toUpperCase() as Attribution | undefined,
    },
    asOf: values['as-of'],
    events: values.events,
    nonEmpty: values['non-empty'],
    csv: values.csv,
  };
}

/** A null quantity is unknown where there are shipments, and nothing to say where there are none. */
function quantity(q: number | null, shipments: number): string {
  if (q === null) return shipments > 0 ? 'unknown' : '-';
  return Number.isInteger(q) ? q.toLocaleString('en-US') : q.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** The group's dimension cells, in groupBy order. */
function groupCells(report: ShipmentReportResult, row: ShipmentTotalRow): string[] {
  const cell: Record<ShipmentDimension, () => string> = {
    SUPPLIER: () => row.supplierName ?? '',
    RECIPIENT: () => row.recipientName ?? '',
    CATEGORY: () => row.category ?? '',
    STATUS: () => row.status ?? '',
    CONFIDENCE: () => row.confidence ?? '',
  };
  return report.groupBy.map((d) => cell[d]());
}

/** Left-aligned text, right-aligned figures (the last `numeric` columns). */
function table(header: string[], rows: string[][], numeric: number): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i >= cells.length - numeric ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatReport(report: ShipmentReportResult, nonEmpty = false): string {
  const dims = report.groupBy.map((d) => d.toLowerCase());
  const figures = ['shipments', 'quantity', 'unknown qty'];
  const buckets = report.buckets
    .filter((b) => !nonEmpty || b.shipments > 0)
    .map((b) => [b.period, ...groupCells(report, b), b.unit ?? NO_UNIT, String(b.shipments), quantity(b.quantity, b.shipments), String(b.unknownQuantity)]);
  const totals = report.totals.map((t) => [
    ...groupCells(report, t),
    t.unit ?? NO_UNIT,
    String(t.shipments),
    quantity(t.quantity, t.shipments),
    String(t.unknownQuantity),
  ]);
  const title =
    `Shipments ${report.start} .. ${report.end} by ${report.granularity.toLowerCase()}` +
    `${dims.length ? `, grouped by ${dims.join(', ')}` : ''}; attribution ${report.attribution}`;
  if (!buckets.length && !totals.length) return `${title}\n\nNo shipments in this window.`;
  return [
    title,
    '',
    table(['period', ...dims, 'unit', ...figures], buckets, 3),
    '',
    'Totals over the window (each shipment counted once):',
    '',
    table([...dims, 'unit', ...figures], totals, 3),
  ].join('\n');
}

export function formatEventStats(buckets: EventBucketRow[], groupBy: readonly EventDimension[], nonEmpty = false): string {
  const dims = EVENT_DIMENSIONS.filter((d) => groupBy.includes(d));
  const cell: Record<EventDimension, (b: EventBucketRow) => string> = {
    TYPE: (b) => b.type ?? '',
    ACTOR: (b) => b.actorName ?? '(no participant)',
    COUNTRY: (b) => b.country ?? '(no country)',
    CONFIDENCE: (b) => b.confidence ?? '',
  };
  const rows = buckets.filter((b) => !nonEmpty || b.events > 0).map((b) => [b.period, ...dims.map((d) => cell[d](b)), String(b.events)]);
  const title = `Events by period${dims.length ? `, grouped by ${dims.map((d) => d.toLowerCase()).join(', ')}` : ''}`;
  if (!rows.length) return `${title}\n\nNo events in this window.`;
  return [title, '', table(['period', ...dims.map((d) => d.toLowerCase()), 'events'], rows, 1)].join('\n');
}

/** The report (or, with --events, the event statistics) as the text to print. */
export async function produce(db: Db, opts: NonNullable<ReturnType<typeof options>>): Promise<string> {
  const asOf = await checkAsOf(db, parseDateTime(opts.asOf, 'asOf'));
  if (opts.events) {
    const args = { ...opts.args, asOf, groupBy: opts.args.groupBy as EventDimension[] | undefined };
    const buckets = await eventStats(db, args);
    return opts.csv ? eventStatsCsv(buckets, args.groupBy ?? []) : `${formatEventStats(buckets, args.groupBy ?? [], opts.nonEmpty)}\n`;
  }
  const report = await shipmentReport(db, { ...opts.args, asOf, groupBy: opts.args.groupBy as ShipmentDimension[] | undefined });
  return opts.csv ? shipmentReportCsv(report) : `${formatReport(report, opts.nonEmpty)}\n`;
}

async function main(): Promise<number> {
  let opts;
  try {
    opts = options(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (!opts) {
    console.log(USAGE);
    return 0;
  }
  const db = await openDatabase(loadConfig());
  try {
    process.stdout.write(await produce(db.prisma, opts));
    return 0;
  } catch (err) {
    if (err instanceof ValidationError) {
      // Name the option, as the user typed it.
      const option = err.field === 'groupBy' || err.field.startsWith('groupBy[') ? '--group-by' : err.field === 'asOf' ? '--as-of' : `--${err.field}`;
      console.error(`${option}: ${err.message}`);
      return 2;
    }
    throw err;
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
