// Ours against the peer in alternating rounds (`npm run bench -- --peer`, `--peer-rounds N`).
// On a shared machine whose speed drifts from minute to minute, our operations and the peer's,
// measured minutes apart, carry the drift into their ratios (bench/README.md, "Alternating
// rounds"). Here both are measured back to back
// in each round, ours first in odd rounds and the peer first in even ones, and each ratio is the
// median of the rounds' ratios.
import { httpLoad, type Figures, type HttpTarget } from './load';
import type { Operation } from './ops';
import { machineCpuMicros } from './process-stats';

/** One server's side of a pair: where it answers, what to send, how to wait until it is idle. */
export interface PairedSide {
  target: HttpTarget;
  op: Operation;
  settle: () => Promise<void>;
  /** The server process's CPU time so far (user + system), in microseconds. */
  cpuMicros: () => Promise<number>;
}

/** CPU per request at concurrency N, in ms: the server's own, and the whole machine's (server, PostgreSQL, load generator). */
export interface RoundCpu {
  serverMs: number;
  machineMs: number | null;
}

export interface PairedRound {
  ours: Measured;
  peer: Measured;
  /** ours / peer: p50 at concurrency 1 (below 1: ours faster), req/s at N (above 1: ours serves more). */
  ratioP50: number;
  ratioRps: number;
}

export interface PairedResult {
  peer: string;
  versus: string;
  rounds: PairedRound[];
  /** Medians of the rounds' ratios. */
  ratioP50: number;
  ratioRps: number;
  errors: number;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

type Measured = { c1: Figures; cN: Figures; cpu: RoundCpu };

async function measure(side: PairedSide, connections: number, seconds: number): Promise<Measured> {
  await side.settle();
  const c1 = await httpLoad(side.target, side.op, 1, { seconds });
  await side.settle();
  const [server0, machine0] = [await side.cpuMicros(), machineCpuMicros()];
  const cN = await httpLoad(side.target, side.op, connections, { seconds });
  const [server1, machine1] = [await side.cpuMicros(), machineCpuMicros()];
  const per = (micros: number) => micros / 1000 / Math.max(1, cN.requests);
  return { c1, cN, cpu: { serverMs: per(server1 - server0), machineMs: machine0 === null || machine1 === null ? null : per(machine1 - machine0) } };
}

export async function pairedRounds(
  ids: { peer: string; versus: string },
  ours: PairedSide,
  peer: PairedSide,
  rounds: number,
  connections: number,
  seconds: number,
): Promise<PairedResult> {
  const out: PairedRound[] = [];
  for (let r = 0; r < rounds; r++) {
    const first = r % 2 === 0 ? ours : peer;
    const a = await measure(first, connections, seconds);
    const b = await measure(first === ours ? peer : ours, connections, seconds);
    const [o, p] = first === ours ? [a, b] : [b, a];
    out.push({ ours: o, peer: p, ratioP50: o.c1.p50 / p.c1.p50, ratioRps: o.cN.rps / p.cN.rps });
  }
  return {
    ...ids,
    rounds: out,
    ratioP50: median(out.map((r) => r.ratioP50)),
    ratioRps: median(out.map((r) => r.ratioRps)),
    errors: out.reduce((n, r) => n + r.ours.c1.errors + r.ours.cN.errors + r.peer.c1.errors + r.peer.cN.errors, 0),
  };
}
