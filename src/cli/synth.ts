// npm run generate -- --events 1000000 --shipments 200000 --actors 10000 --seed 42 [--out FILE]
// npm run generate -- --format acled|sipri|ucdp --rows 60000 [--seed 42] [--out FILE]
// Writes synthetic records in the import format (NDJSON), or a file in a real dataset's export
// layout, to standard output or FILE (.gz: compressed). Deterministic for a given seed. See
// src/ingest/synth.ts and src/ingest/synthDatasets.ts.
import fs from 'node:fs';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { writeSynthNdjson } from '../ingest/synth';
import { DATASET_LAYOUTS, datasetFile, type DatasetLayout } from '../ingest/synthDatasets';
import { runCli } from './run';

const USAGE = `Usage: npm run generate -- [--events N] [--shipments N] [--actors N] [--sources N] [--affiliations N]
                          [--seed N] [--dataset NAME] [--out FILE]
       npm run generate -- --format acled|sipri|ucdp [--rows N] [--inter-words] [--seed N] [--out FILE]
Defaults: 1000 events, 200 shipments, 100 actors, events/100+10 sources, actors/10 affiliations, seed 42;
--dataset: the records' dataset (default synth); another one's actor names and aliases end in
" (NAME)", so that its file imports beside the default one (npm run bench:import -- --into).
--format: a file in that dataset's export layout of --rows rows (default 1000); ACLED with numeric
inter codes unless --inter-words.`;

/** The options, or null for --help. */
function options(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      events: { type: 'string', default: '1000' },
      shipments: { type: 'string', default: '200' },
      actors: { type: 'string', default: '100' },
      sources: { type: 'string' },
      affiliations: { type: 'string' },
      seed: { type: 'string', default: '42' },
      format: { type: 'string', default: 'ndjson' },
      rows: { type: 'string', default: '1000' },
      'inter-words': { type: 'boolean', default: false },
      dataset: { type: 'string', default: 'synth' },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  return values.help ? null : values;
}

async function main(values: NonNullable<ReturnType<typeof options>>): Promise<number> {
  const num = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number ≥ 0`);
    return n;
  };
  const opts = {
    events: num('events', values.events)!,
    shipments: num('shipments', values.shipments)!,
    actors: num('actors', values.actors)!,
    sources: num('sources', values.sources),
    affiliations: num('affiliations', values.affiliations),
    seed: num('seed', values.seed)!,
    dataset: values.dataset,
  };
  let out: Writable = process.stdout;
  if (values.out) {
    const file = fs.createWriteStream(values.out);
    if (values.out.endsWith('.gz')) {
      const gz = zlib.createGzip({ level: 1 });
      gz.pipe(file);
      out = gz;
    } else out = file;
  }
  if (values.format !== 'ndjson') {
    if (!DATASET_LAYOUTS.includes(values.format as DatasetLayout)) throw new Error(`--format must be ndjson or one of ${DATASET_LAYOUTS.join(', ')}`);
    const rows = num('rows', values.rows)!;
    const bytes = datasetFile(values.format as DatasetLayout, { rows, seed: opts.seed, interWords: values['inter-words'] });
    await new Promise<void>((resolve, reject) => out.end(bytes, (err?: Error | null) => (err ? reject(err) : resolve())));
    process.stderr.write(`generated ${rows} ${values.format} rows\n`);
    return 0;
  }
  const n = await writeSynthNdjson(opts, out);
  process.stderr.write(`generated ${n} records\n`);
  return 0;
}

runCli({ usage: USAGE, parse: options, run: main, failure: { prefix: 'generate', status: 2 } });
