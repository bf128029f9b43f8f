// npm run generate -- --events 1000000 --shipments 200000 --actors 10000 --seed 42 [--out FILE]
// Writes synthetic records in the import format (NDJSON) to standard output or FILE (.gz:
// compressed). Deterministic for a given seed. See src/ingest/synth.ts.
import fs from 'node:fs';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { writeSynthNdjson } from '../ingest/synth';

const USAGE = `Usage: npm run generate -- [--events N] [--shipments N] [--actors N] [--sources N] [--affiliations N]
                          [--seed N] [--dataset NAME] [--out FILE]
Defaults: 1000 events, 200 shipments, 100 actors, events/100+10 sources, actors/10 affiliations, seed 42.`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        events: { type: 'string', default: '1000' },
        shipments: { type: 'string', default: '200' },
        actors: { type: 'string', default: '100' },
        sources: { type: 'string' },
        affiliations: { type: 'string' },
        seed: { type: 'string', default: '42' },
        dataset: { type: 'string', default: 'synth' },
        out: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
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
  const n = await writeSynthNdjson(opts, out);
  process.stderr.write(`generated ${n} records\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`generate failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
