// npm run report -- [--events [--fatalities]] --from 2023-01-01 --to 2023-12-31 [--granularity MONTH]
//   [--group-by SUPPLIER,RECIPIENT] [--attribution PRO_RATA] [--estimates EXCLUDE] [--as-of 2026-12-01T13:46:57Z]
//   [--reported-by 2023-10-31] [--non-empty] [--csv]
//
// Prints the shipment report (the same as GraphQL's shipmentReport and /reports/shipments.csv)
// as a table, followed by the totals per group; with --events the event statistics (eventStats,
// /reports/events.csv) instead. --csv prints the CSV export. The table prints figures by the
// display rule (src/domain/display.ts): estimates with ≈ and two significant figures.
// Reads DATABASE_URL, or the embedded database (the running server's, if one runs).
import { parseArgs } from 'node:util';
import type { Db } from '../db/client';
import { printFigure, printRange } from '../domain/display';
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
  type ReportEstimates,
  type ShipmentDimension,
  type ShipmentFigures,
  type ShipmentReportResult,
  type ShipmentTotalRow,
} from '../services/reports';
import { openCliDatabase } from './open';
import { runCli, UsageError } from './run';

const USAGE = `Usage: npm run report -- [--events] --from YYYY-MM-DD --to YYYY-MM-DD [options]

  --events                                      event statistics instead of the shipment report
  --fatalities                                  with --events: the events' fatality sums too (best, low–high, unknown, estimated)
  --granularity DAY|WEEK|MONTH|QUARTER|YEAR     period length (default MONTH)
  --group-by SUPPLIER,RECIPIENT,CATEGORY,STATUS,CONFIDENCE
                                                dimensions to group by (default: none, per unit only);
             TYPE,ACTOR,COUNTRY,CONFIDENCE      with --events
  --attribution PRO_RATA|START|END              where multi-period deliveries (events) count (default PRO_RATA)
  --estimates INCLUDE|EXCLUDE                   keep or leave out the estimated parts of quantities (default INCLUDE)
  --as-of DATE-TIME                             as the database stood at that instant (ISO 8601, e.g. 2026-12-01T13:46:57Z)
  --reported-by YYYY-MM-DD                      only what sources published by that day had reported, with the values claimed then
  --non-empty                                   leave out buckets without shipments (events)
  --csv                                         print CSV instead of a table (UTF-8 with a byte-order mark)
  --no-bom                                      with --csv: no byte-order mark (for programs reading it)
  --help`;

const NO_UNIT = '(no unit)';

export function options(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      events: { type: 'boolean', default: false },
      fatalities: { type: 'boolean', default: false },
      from: { type: 'string' },
      to: { type: 'string' },
      granularity: { type: 'string' },
      'group-by': { type: 'string' },
      attribution: { type: 'string' },
      estimates: { type: 'string' },
      'as-of': { type: 'string' },
      'reported-by': { type: 'string' },
      'non-empty': { type: 'boolean', default: false },
      csv: { type: 'boolean', default: false },
      'no-bom': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return null;
  if (!values.from || !values.to) throw new UsageError('--from and --to are required');
  if (values.fatalities && !values.events) throw new UsageError('--fatalities goes with --events');
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
      estimates: values.estimates?.toUpperCase() as ReportEstimates | undefined,
      reportedBy: values['reported-by'],
    },
    asOf: values['as-of'],
    events: values.events,
    fatalities: values.fatalities,
    nonEmpty: values['non-empty'],
    csv: values.csv,
    bom: !values['no-bom'],
  };
}

/**
 * A figure as printed (display rule: an estimate with ≈ and two significant figures). A null one
 * is unknown where there are records, and nothing to say where there are none.
 */
function printed(value: number | null, estimated: boolean, records: number): string {
  if (value === null) return records > 0 ? 'unknown' : '-';
  return printFigure(value, estimated);
}

/** A low–high range as printed (rounded outwards when estimated); both bounds unknown as `printed` says it. */
function printedRange(low: number | null, high: number | null, estimated: boolean, records: number): string {
  return printRange(low, high, estimated) ?? printed(null, estimated, records);
}

/** A bucket's or a total's figure cells. */
function figureCells(f: ShipmentFigures): string[] {
  const estimated = f.estimated > 0;
  return [
    String(f.shipments),
    printed(f.quantity, estimated, f.shipments),
    printedRange(f.quantityLow, f.quantityHigh, estimated, f.shipments),
    String(f.unknownQuantity),
    String(f.estimated),
  ];
}

/** The group's dimension cells, in groupBy order. */
function groupCells(report: ShipmentReportResult, row: ShipmentTotalRow): string[] {
  const cell: Record<ShipmentDimension, () => string> = {
    SUPPLIER: () => row.supplierName ?? '',
    RECIPIENT: () => row.recipientName ?? '',
    CATEGORY: () => row.category ?? '',
    STATUS: () => row.status ?? '',
    CONFIDENCE: () => row.confidence ?? '',
    CATEGORY_GROUP: () => row.categoryGroup ?? '',
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
  const figures = ['shipments', 'quantity', 'low–high', 'unknown qty', 'estimated'];
  const buckets = report.buckets
    .filter((b) => !nonEmpty || b.shipments > 0)
    .map((b) => [b.period, ...groupCells(report, b), b.unit ?? NO_UNIT, ...figureCells(b)]);
  const totals = report.totals.map((t) => [...groupCells(report, t), t.unit ?? NO_UNIT, ...figureCells(t)]);
  const title =
    `Shipments ${report.start} .. ${report.end} by ${report.granularity.toLowerCase()}` +
    `${dims.length ? `, grouped by ${dims.join(', ')}` : ''}; attribution ${report.attribution}` +
    `${report.estimates === 'EXCLUDE' ? '; estimates left out' : ''}`;
  if (!buckets.length && !totals.length) return `${title}\n\nNo shipments in this window.`;
  const lines = [
    title,
    '',
    table(['period', ...dims, 'unit', ...figures], buckets, figures.length),
    '',
    'Totals over the window (each shipment counted once):',
    '',
    table([...dims, 'unit', ...figures], totals, figures.length),
  ];
  if ([...report.buckets, ...report.totals].some((f) => f.estimated > 0)) lines.push('', estimateNote(report.attribution, 'shipments'));
  return lines.join('\n');
}

/** What an estimated part is, by what is counted: the words of estimateNote. */
const ESTIMATED_PARTS = {
  shipments: { figure: 'a quantity that is not exact (about, at least, at most, estimated)', record: 'a delivery' },
  events: { figure: "a figure that is not exact (ACLED's and UCDP's are estimates)", record: 'an event' },
};

/** What ≈ means under the report's attribution (the display rule: src/domain/display.ts). */
function estimateNote(attribution: Attribution, counted: keyof typeof ESTIMATED_PARTS): string {
  const { figure, record } = ESTIMATED_PARTS[counted];
  const split = attribution === 'PRO_RATA' ? `, or a share of ${record} split between periods pro rata by its days` : '';
  return (
    `≈ an estimate, printed to 2 significant figures (a range rounded outwards); \`estimated\` counts the ${counted} whose part is one:\n` +
    `${figure}, ${record} with an open end${split}.\n` +
    'The CSV (--csv) and the API keep the unrounded values.'
  );
}

/** An event bucket's fatality cells: the sum by the display rule, its range, the events of unknown and of estimated figure. */
function fatalityCells(b: EventBucketRow): string[] {
  const estimated = (b.estimatedFatalities ?? 0) > 0;
  return [
    printed(b.fatalities ?? null, estimated, b.events),
    printedRange(b.fatalitiesLow ?? null, b.fatalitiesHigh ?? null, estimated, b.events),
    String(b.unknownFatalities ?? 0),
    String(b.estimatedFatalities ?? 0),
  ];
}

export function formatEventStats(
  buckets: EventBucketRow[],
  groupBy: readonly EventDimension[],
  nonEmpty = false,
  fatalities: { attribution: Attribution } | null = null,
): string {
  const dims = EVENT_DIMENSIONS.filter((d) => groupBy.includes(d));
  const cell: Record<EventDimension, (b: EventBucketRow) => string> = {
    TYPE: (b) => b.type ?? '',
    ACTOR: (b) => b.actorName ?? '(no participant)',
    COUNTRY: (b) => b.country ?? '(no country)',
    CONFIDENCE: (b) => b.confidence ?? '',
  };
  const figures = ['events', ...(fatalities ? ['fatalities', 'low–high', 'unknown', 'estimated'] : [])];
  const rows = buckets
    .filter((b) => !nonEmpty || b.events > 0)
    .map((b) => [b.period, ...dims.map((d) => cell[d](b)), String(b.events), ...(fatalities ? fatalityCells(b) : [])]);
  const title = `Events by period${dims.length ? `, grouped by ${dims.map((d) => d.toLowerCase()).join(', ')}` : ''}`;
  if (!rows.length) return `${title}\n\nNo events in this window.`;
  const lines = [title, '', table(['period', ...dims.map((d) => d.toLowerCase()), ...figures], rows, figures.length)];
  if (fatalities && buckets.some((b) => (b.estimatedFatalities ?? 0) > 0)) lines.push('', estimateNote(fatalities.attribution, 'events'));
  return lines.join('\n');
}

/** The report (or, with --events, the event statistics) as the text to print. */
export async function produce(db: Db, opts: NonNullable<ReturnType<typeof options>>): Promise<string> {
  const asOf = await checkAsOf(db, parseDateTime(opts.asOf, 'asOf'));
  if (opts.events) {
    const args = { ...opts.args, asOf, groupBy: opts.args.groupBy as EventDimension[] | undefined, fatalities: opts.fatalities };
    const buckets = await eventStats(db, args);
    const fatalities = opts.fatalities ? { attribution: args.attribution ?? 'PRO_RATA' } : null;
    return opts.csv
      ? eventStatsCsv(buckets, args.groupBy ?? [], opts.fatalities, { bom: opts.bom })
      : `${formatEventStats(buckets, args.groupBy ?? [], opts.nonEmpty, fatalities)}\n`;
  }
  const report = await shipmentReport(db, { ...opts.args, asOf, groupBy: opts.args.groupBy as ShipmentDimension[] | undefined });
  return opts.csv ? shipmentReportCsv(report, { bom: opts.bom }) : `${formatReport(report, opts.nonEmpty)}\n`;
}

async function main(opts: NonNullable<ReturnType<typeof options>>): Promise<number> {
  const db = await openCliDatabase();
  try {
    process.stdout.write(await produce(db, opts));
    return 0;
  } catch (err) {
    if (err instanceof ValidationError) {
      // Name the option, as the user typed it.
      const names: Record<string, string> = { asOf: '--as-of', reportedBy: '--reported-by' };
      const option = err.field === 'groupBy' || err.field.startsWith('groupBy[') ? '--group-by' : (names[err.field] ?? `--${err.field}`);
      console.error(`${option}: ${err.message}`);
      return 2;
    }
    throw err;
  } finally {
    await db.close();
  }
}

if (require.main === module) runCli({ usage: USAGE, parse: options, run: main, exitAtOnce: true });
