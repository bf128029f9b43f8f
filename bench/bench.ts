// npm run bench -- [--scale large|default|small|tiny] [--seed 42] [--duration 5] [--connections 16]
//                  [--ops 1,2a,…] [--fresh] [--database att_bench_copy] [--server postgresql://…] [--explain] [--cpu-prof]
//                  [--peer]
// The benchmark of issue #7: see bench/README.md for the method.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Pool, type PoolConfig } from 'pg';
import { sessionSettingsSql } from '../src/db/client';
import { BenchChild } from './children';
import { copyDatabase, prepareDatabase, SCALES, type LoadInfo } from './dataset';
import { floorLoad, hasTransaction, httpLoad, send, toReplay, type Budget, type Figures, type HttpTarget, type Replay } from './load';
import { deepCursor, discoverParams, operations, windowedRequests, type BenchParams, type GqlRequest, type Operation } from './ops';
import { median, pairedRounds, type PairedResult } from './paired';
import { peerOperations, preparePeerSchema, type PeerOperation } from './peer';
import { backendMemory, machine } from './process-stats';
import type { CapturedStatement, ChildMessage } from './server-child';

const USAGE = `Usage: npm run bench -- [options]
  --scale large|default|small|tiny  data set: 1,000,000 events / 200,000 shipments / 10,000 actors; large = 10x; small = 1/20; tiny (default: default)
  --seed N                     generator seed (default 42); the database att_bench_<scale>_<seed> is reused
  --duration S                 seconds of each measurement (default 5)
  --connections N              concurrency of the throughput measurement (default 16)
  --pool N                     the server's DATABASE_POOL_SIZE, and the floor's pool (default 10)
  --ops LIST                   operations to run, e.g. 1,2a,5 (default all)
  --fresh                      drop and reload the database
  --database NAME              run against NAME (att_bench_…), a copy of the loaded database made on first use
  --server URL                 the PostgreSQL server (default postgresql://postgres@127.0.0.1:5432/postgres)
  --explain                    print EXPLAIN (ANALYZE, BUFFERS) of each operation's slowest statement, and of a windowed
                               timeline and report (which yearly partitions they read)
  --cpu-prof                   run the server with --cpu-prof (profiles in bench/results/cpu/)
  --soak [--soak-minutes M]    after the operations, the mix (7) at --connections for M minutes (default 5),
                               the server's RSS sampled every 10 s
  --peer                       then PostGraphile 5 (+ @graphile/pg-aggregates) on the same database, its closest
                               equivalents of 1, 2e (and 2a) and 5 measured alike, with our/peer ratios (needs --database);
                               then each pair again in alternating rounds, back to back (--peer-rounds N, default 3; 0: none)
  --node-flags="FLAGS"         Node.js flags for the server's process after production's (package.json start:prod),
                               e.g. --node-flags="--max-semi-space-size=32"
  --tsx                        run the server from its TypeScript through tsx (as \`npm start\` does) instead of
                               compiled as in production (\`npm run build\`, \`npm run start:prod\`)`;

interface OpResult {
  id: string;
  title: string;
  /** Statements per request by db.statements.count() around single requests (API-key check and COMMIT included). */
  statementsPerRequest: number;
  /** The statements one request's resolvers issued (captured), as replayed for the floor. */
  resolverStatements: number;
  server: { c1: Figures; cN: Figures };
  floor: { c1: Figures; cN: Figures } | null;
  /** server p50 / floor p50 at concurrency 1. */
  ratioP50: number | null;
  peakRssMB: number;
  /** What the database's backends held of their own after the operation's load (bench/process-stats.ts, backendMemory). */
  backendsMB?: number;
  /**
   * The server process's CPU time (user + system) per request at concurrency 1, in ms: what a
   * request costs the server whatever else runs on the machine (latencies on a shared machine
   * stretch with the run queue; this barely does). Includes the IPC and the sampler, a few µs.
   */
  serverCpuMs: number;
  /** Size of each distinct response body (bytes), from the captured requests. */
  responseBytes: number[];
  /** The captured statements of one cycle (first 160 characters each). */
  statements: string[];
  slowest?: { sql: string; ms: number; plan?: string[] };
  /**
   * Reads whose answer is at least ANSWER_FLOOR_BYTES: the same answer served by a bare
   * node:http server (bench/answer-child.ts) at concurrency 1, what sending it costs here.
   */
  answerFloor?: { bytes: number; c1: Figures };
  budget?: string;
  /** Set when the operation could not be measured. */
  failed?: string;
}

/**
 * Compiles the server and its IPC child as production runs it (tsc, like `npm run build`, into
 * dist/bench): served through tsx, the same server starts larger (docs/decisions/production-runtime.md).
 * Returns the child's path.
 */
function buildServer(log: (line: string) => void): string {
  log('compiling the server (tsc -p bench/tsconfig.server.json)');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(__dirname, 'tsconfig.server.json')], { stdio: 'inherit' });
  return path.join(__dirname, '..', 'dist', 'bench', 'bench', 'server-child.js');
}

/** The Node.js flags production runs the server with: those of package.json's start:prod. */
function productionNodeFlags(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  return pkg.scripts['start:prod'].split(/\s+/).filter((w) => w.startsWith('--'));
}

/** The server's RSS and how much of it V8 accounts for. */
function memory(s: Extract<ChildMessage, { type: 'stats' }>): string {
  const mb = (b: number) => (b / 2 ** 20).toFixed(0);
  return `RSS ${mb(s.rssBytes)} MB (V8 heap ${mb(s.heapTotalBytes)} MB, ${mb(s.heapUsedBytes)} used; external ${mb(s.externalBytes)} MB)`;
}

/** Sends `r` with statement capture on: the statements it issued. */
async function captured(
  server: BenchChild,
  t: HttpTarget,
  r: GqlRequest,
): Promise<{ stmts: CapturedStatement[]; data: Record<string, unknown>; bytes: number; counted: number }> {
  // A request first, so that the API key's check is cached as it is for the measured requests
  // (API_KEY_CACHE_SECONDS): after the previous operation's floor runs it has expired, and its
  // look-up (and last-used update) would be counted as this operation's statements.
  await send(t, { query: '{ __typename }' });
  const before = await server.ask({ type: 'stats' }, 'stats');
  server.tell({ type: 'capture', on: true });
  const data = await send(t, r);
  const stmts = (await server.ask({ type: 'capture', on: false }, 'captured')).statements;
  const after = await server.ask({ type: 'stats' }, 'stats');
  return { stmts, data, bytes: Buffer.byteLength(JSON.stringify({ data })), counted: after.statements - before.statements };
}

/** `fn` given a pool of one connection to `dbUrl` (with `config`), closed afterwards. */
async function withPool<T>(dbUrl: string, fn: (pool: Pool) => Promise<T>, config: PoolConfig = {}): Promise<T> {
  const pool = new Pool({ ...config, connectionString: dbUrl, max: 1 });
  try {
    return await fn(pool);
  } finally {
    await pool.end();
  }
}

/** EXPLAIN (ANALYZE, BUFFERS) of one captured statement, as the server ran it. */
async function explainStatement(dbUrl: string, s: CapturedStatement): Promise<string[]> {
  // The server's session settings (JIT off), as the statement ran.
  const { rows } = await withPool(dbUrl, (pool) => pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${s.query}`, JSON.parse(s.params) as unknown[]), {
    onConnect: async (c) => void (await c.query(sessionSettingsSql())),
  });
  return rows.map((r: Record<string, string>) => r['QUERY PLAN']);
}

/**
 * The windowed timeline and report (bench/ops.ts windowedRequests): the plan of each statement
 * that reads events or shipments, and which of their yearly partitions it scanned (pruning).
 */
async function explainWindowed(server: BenchChild, t: HttpTarget, dbUrl: string, p: BenchParams, log: (l: string) => void): Promise<void> {
  for (const { title, request } of windowedRequests(p)) {
    const { stmts } = await captured(server, t, request);
    for (const s of stmts.filter((x) => /\b(events|shipments)\b/.test(x.query) && /^\s*(WITH|SELECT)/i.test(x.query))) {
      const plan = await explainStatement(dbUrl, s);
      // Partitions left out at planning are not in the plan (Subplans Removed counts those pruned
      // at executor start-up); those pruned at run time show as never executed. The longest-span
      // probe (the *_expr_idx scans, one per partition) is left out: it reads one index entry.
      const lines = plan.filter((l) => !/_expr_idx\b/.test(l));
      const named = (l: string) => l.match(/\b(events|shipments)_(y\d{4}|default)\b/g) ?? [];
      const read = [...new Set(lines.filter((l) => !l.includes('(never executed)')).flatMap(named))].sort();
      const pruned = [...new Set(lines.flatMap(named))].filter((x) => !read.includes(x)).sort();
      const removed = plan
        .flatMap((l) => l.match(/Subplans Removed: (\d+)/)?.[1] ?? [])
        .map(Number)
        .reduce((a, b) => a + b, 0);
      log(
        `${title} (${p.window.from} to ${p.window.to}), ${s.durationMs} ms when captured; partitions read: ${read.join(', ') || 'none'}; ` +
          `never executed (pruned at run time): ${pruned.join(', ') || 'none'}; subplans removed at start-up: ${removed}\n${plan.join('\n')}`,
      );
    }
  }
}

/** A child's CPU time so far (user + system), in microseconds. */
async function cpuMicros(child: BenchChild): Promise<number> {
  return (await child.ask({ type: 'stats' }, 'stats')).cpuMicros;
}

/**
 * Waits until what a load run left in flight is done: the server's statement count stops
 * moving and no statement is running on the database (a client gone does not stop PostgreSQL).
 */
async function settle(server: BenchChild, dbUrl: string): Promise<void> {
  await withPool(dbUrl, async (pool) => {
    let last = -1;
    for (;;) {
      const { statements } = await server.ask({ type: 'stats' }, 'stats');
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state <> 'idle' AND pid <> pg_backend_pid()`,
      );
      if (statements === last && rows[0].n === 0) return;
      last = statements;
      await new Promise((r) => setTimeout(r, 300));
    }
  });
}

const ms = (n: number | null | undefined) => (n == null || Number.isNaN(n) ? '—' : n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0));
const int = (n: number) => Math.round(n).toLocaleString('en-US');

/** Columns padded to their widest cell: the first `textColumns` left-aligned, the figures right-aligned. */
function grid(head: string[], rows: string[][], textColumns: number): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < textColumns ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function table(results: OpResult[], connections: number, load: LoadInfo): string {
  const head = [
    'op',
    'p50',
    'p95',
    'p99',
    `req/s c1`,
    `req/s c${connections}`,
    'floor p50',
    'floor p95',
    `floor req/s c${connections}`,
    'p50/floor',
    'stmts/req',
    'CPU ms/req',
    'peak RSS MB',
    'errors',
  ];
  const rows = results.map((r) => [
    r.id,
    ms(r.server.c1.p50),
    ms(r.server.c1.p95),
    ms(r.server.c1.p99),
    int(r.server.c1.rps),
    int(r.server.cN.rps),
    ms(r.floor?.c1.p50),
    ms(r.floor?.c1.p95),
    r.floor ? int(r.floor.cN.rps) : '—',
    r.ratioP50 == null ? '—' : r.ratioP50.toFixed(2),
    r.statementsPerRequest.toFixed(1),
    ms(r.serverCpuMs),
    r.peakRssMB.toFixed(0),
    r.failed ? 'FAILED' : String(r.server.c1.errors + r.server.cN.errors + (r.floor ? r.floor.c1.errors + r.floor.cN.errors : 0)),
  ]);
  const out = [grid(head, rows, 1)];
  out.push('', ...results.map((r) => `${r.id.padEnd(3)} ${r.title}`));
  const sent = results.filter((r) => r.answerFloor);
  if (sent.length) out.push('', answerTable(sent));
  out.push(
    '',
    `latencies in ms at concurrency 1; import: ${int(load.import.records)} records in ${load.import.seconds.toFixed(1)} s = ${int(load.import.recordsPerSecond)} records/s` +
      (load.reused ? ` (from the run that loaded ${load.database}, ${load.loadedAt})` : ''),
  );
  return out.join('\n');
}

/**
 * Large answers: what sending them alone costs (the answer floor), the database floor plus that
 * (what a server that added nothing else would answer in), and our p50 against that sum.
 */
function answerTable(results: OpResult[]): string {
  const head = ['op', 'answer', 'answer p50', 'answer p95', 'floor p50 + answer p50', 'p50', 'p50/(floor + answer)'];
  const rows = results.map((r) => {
    const a = r.answerFloor!;
    const both = (r.floor?.c1.p50 ?? NaN) + a.c1.p50;
    return [r.id, `${(a.bytes / 1024).toFixed(0)} KB`, ms(a.c1.p50), ms(a.c1.p95), ms(both), ms(r.server.c1.p50), (r.server.c1.p50 / both).toFixed(2)];
  });
  return [grid(head, rows, 1), '', 'answer floor: the same answer from a bare node:http server (JSON.stringify per request), no GraphQL, no database'].join(
    '\n',
  );
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      scale: { type: 'string', default: 'default' },
      seed: { type: 'string', default: '42' },
      duration: { type: 'string', default: '5' },
      connections: { type: 'string', default: '16' },
      pool: { type: 'string', default: '10' },
      ops: { type: 'string' },
      fresh: { type: 'boolean', default: false },
      database: { type: 'string' },
      server: { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432/postgres' },
      explain: { type: 'boolean', default: false },
      'cpu-prof': { type: 'boolean', default: false },
      soak: { type: 'boolean', default: false },
      'soak-minutes': { type: 'string', default: '5' },
      peer: { type: 'boolean', default: false },
      'peer-rounds': { type: 'string', default: '3' },
      tsx: { type: 'boolean', default: false },
      'node-flags': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const scale = SCALES[values.scale];
  if (!scale) throw new Error(`--scale must be one of ${Object.keys(SCALES).join(', ')}`);
  if (values.peer && !values.database) throw new Error('--peer adds a function to the database it runs on: give a private copy with --database');
  const seed = Number(values.seed);
  const seconds = Number(values.duration);
  const connections = Number(values.connections);
  const poolSize = Number(values.pool);
  const peerRounds = Number(values['peer-rounds']);
  if (!Number.isInteger(peerRounds) || peerRounds < 0) throw new Error('--peer-rounds must be a whole number, 0 or more');
  const log = (l: string) => console.error(`[bench] ${l}`);

  const loadavgAtStart = os.loadavg();
  const base = await prepareDatabase(values.server, scale, seed, { fresh: values.fresh, log });
  const load = values.database ? await copyDatabase(values.server, base, values.database, log) : base;
  const pg = new Pool({ connectionString: load.url, max: 2 });
  let params: BenchParams;
  try {
    params = await discoverParams(pg);
  } finally {
    await pg.end();
  }
  log(`parameters: ${JSON.stringify({ ...params, shipmentIds: params.shipmentIds.length, participantIds: params.participantIds.length })}`);

  const resultsDir = path.join(__dirname, 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const cpuDir = path.join(resultsDir, 'cpu');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: load.url,
    DATABASE_POOL_SIZE: String(poolSize),
    AUTH_MODE: 'required',
    RATE_LIMIT_POINTS: '0',
    SEED_ON_START: 'false',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
  };
  const serverScript = values.tsx ? path.join(__dirname, 'server-child.ts') : buildServer(log);
  const nodeFlags = [
    ...productionNodeFlags(),
    ...(values['node-flags']?.split(/\s+/).filter(Boolean) ?? []),
    ...(values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${cpuDir}`] : []),
  ];
  const answerFlags = nodeFlags.filter((f) => !f.startsWith('--cpu-prof'));
  const { child: server, ready } = await BenchChild.start(env, nodeFlags, serverScript);
  const target: HttpTarget = { url: ready.url.replace('localhost', '127.0.0.1'), viewerKey: ready.viewerKey, editorKey: ready.editorKey };
  log(
    `server ${target.url} (pid ${ready.pid}, ${values.tsx ? 'through tsx' : 'compiled'}, node ${nodeFlags.join(' ')}, NODE_ENV=production, AUTH_MODE=required, pool ${poolSize})`,
  );

  const results: OpResult[] = [];
  let soak: SoakResult | undefined;
  let peer: PeerResult[] | undefined;
  const idle = await server.ask({ type: 'stats' }, 'stats');
  log(`server at start: ${memory(idle)}`);
  try {
    const deep = await deepCursor((r) => send(target, r), params.busiest, 1000);
    const wanted = values.ops?.split(',').map((s) => s.trim());
    const all = operations(params, deep);
    const ops = all.filter((o) => !wanted || wanted.includes(o.id));
    for (const op of ops) {
      try {
        results.push(await runOperation(op, server, target, load.url, poolSize, connections, seconds, values.explain, answerFlags, log));
      } catch (err) {
        log(`  ${op.id}: FAILED: ${(err as Error).message}`);
        const none: Figures = { requests: 0, seconds: 0, rps: NaN, p50: NaN, p95: NaN, p99: NaN, max: NaN, errors: 1 };
        results.push({
          id: op.id,
          title: op.title,
          statementsPerRequest: NaN,
          resolverStatements: NaN,
          serverCpuMs: NaN,
          server: { c1: none, cN: none },
          floor: null,
          ratioP50: null,
          peakRssMB: NaN,
          responseBytes: [],
          statements: [],
          failed: (err as Error).message,
        });
      }
    }
    if (values.explain) await explainWindowed(server, target, load.url, params, log);
    if (values.soak)
      soak = await runSoak(
        server,
        target,
        all.find((o) => o.id === '7')!,
        connections,
        Number(values['soak-minutes']),
        log,
      );
    // Our server stays up (idle) while the peer runs: the alternating rounds need both.
    if (values.peer) {
      peer = await runPeer(params, { server, target, ops: all }, results, load.url, { poolSize, connections, seconds, rounds: peerRounds }, log);
    }
  } finally {
    await server.stop();
  }

  const report = {
    date: new Date().toISOString(),
    scale,
    seed,
    loadavgAtStart,
    machine: machine(),
    settings: { seconds, connections, poolSize, server: values.tsx ? 'tsx' : 'compiled', nodeFlags },
    /** The server's RSS once started, before any load. */
    idleRssMB: idle.rssBytes / 2 ** 20,
    load,
    params,
    results,
    ...(soak ? { soak } : {}),
    ...(peer ? { peer } : {}),
  };
  const file = path.join(resultsDir, `${report.date.slice(0, 10)}-${scale.name}.json`);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(table(results, connections, load));
  if (peer) console.log(`\n${peerTable(peer, connections)}`);
  if (soak) {
    console.log(
      `\nsoak: ${soak.minutes} min of the mix at ${connections}: ${int(soak.figures.requests)} requests, ${soak.figures.errors} errors, ` +
        `p50 ${ms(soak.figures.p50)} p99 ${ms(soak.figures.p99)} ms; RSS ${soak.firstMB.toFixed(0)} MB after the first minute → ` +
        `${soak.lastMB.toFixed(0)} MB at the end (peak ${soak.peakMB.toFixed(0)}; trend ${soak.slopeMBPerMinute.toFixed(1)} MB/min after the first minute)`,
    );
  }
  console.log(`\nwritten ${path.relative(process.cwd(), file)}`);
  return 0;
}

async function runOperation(
  op: Operation,
  server: BenchChild,
  t: HttpTarget,
  dbUrl: string,
  poolSize: number,
  connections: number,
  seconds: number,
  explain: boolean,
  /** The server's Node.js flags, for the answer floor's process. */
  nodeFlags: string[],
  log: (l: string) => void,
): Promise<OpResult> {
  log(`${op.id}: ${op.title}`);
  // Capture what each request of the cycle issues (the writes: both kinds, once each).
  const cycle: (Replay & { tx?: boolean })[] = [];
  const all: CapturedStatement[] = [];
  const responseBytes: number[] = [];
  const seen = new Set<GqlRequest>();
  let answer: Record<string, unknown> | undefined;
  let counted = 0;
  let sent = 0;
  for (const { request, vary } of op.requests) {
    const variants = vary ? [vary(0), vary(0)] : [request];
    for (const r of variants) {
      const { stmts, data, bytes, counted: n } = await captured(server, t, r);
      answer = { data };
      counted += n;
      sent += 1;
      if (!seen.has(r)) responseBytes.push(bytes);
      seen.add(r);
      all.push(...stmts);
      cycle.push({ ...toReplay(stmts, !!r.mutation), tx: hasTransaction(stmts) || stmts.some((s) => /^SET LOCAL/i.test(s.query.trim())) });
    }
  }
  // Reads: 9 in 10 of the mix; the floor's cycle keeps that proportion with both write kinds.
  const floorCycle = op.kind === 'mix' ? [...cycle.slice(0, 9), cycle[9], ...cycle.slice(0, 9), cycle[10]] : cycle;
  const resolverStatements = cycle.reduce((n, r) => n + r.statements.length, 0) / cycle.length;

  // Warm-up, then concurrency 1 (latency) and N (throughput).
  // Slow operations (a request longer than a fifth of the duration) run a fixed number of requests instead.
  const slowMs = Math.max(...all.map((st) => st.durationMs), 0);
  const slow = (slowMs * 5) / 1000 > seconds;
  const b1: Budget = slow ? { amount: 3 } : { seconds };
  const bN: Budget = slow ? { amount: connections } : { seconds };
  await settle(server, dbUrl);
  await httpLoad(t, op, slow ? 1 : 4, slow ? { amount: 1 } : { seconds: Math.min(2, seconds) });
  await settle(server, dbUrl);
  const s0 = await server.ask({ type: 'stats', resetPeak: true }, 'stats');
  const c1 = await httpLoad(t, op, 1, b1);
  const s1 = await server.ask({ type: 'stats' }, 'stats');
  await settle(server, dbUrl);
  const cN = await httpLoad(t, op, connections, bN);
  await settle(server, dbUrl);
  const s2 = await server.ask({ type: 'stats' }, 'stats');
  if (c1.errors || cN.errors) log(`  ${op.id}: ${c1.errors + cN.errors} failed responses`);
  const backends = await withPool(dbUrl, backendMemory);
  log(
    `  ${op.id}: server peak RSS ${(s2.peakRssBytes / 2 ** 20).toFixed(0)} MB; now ${memory(s2)}` +
      (backends ? `; PostgreSQL's ${backends.backends} backends hold ${backends.mb.toFixed(0)} MB of their own` : ''),
  );
  // db.statements.count() around each captured request, one at a time (the mix: both write kinds).
  const statementsPerRequest = counted / Math.max(1, sent);

  let floor: OpResult['floor'] = null;
  try {
    floor = {
      c1: await floorLoad(dbUrl, poolSize, floorCycle, 1, b1),
      cN: await floorLoad(dbUrl, poolSize, floorCycle, connections, bN),
    };
  } catch (err) {
    log(`  ${op.id}: floor failed: ${(err as Error).message}`);
  }

  let answerFloor: OpResult['answerFloor'];
  const answerBytes = responseBytes[0] ?? 0;
  if (op.kind !== 'mix' && answer && answerBytes >= ANSWER_FLOOR_BYTES) {
    try {
      answerFloor = { bytes: answerBytes, c1: await answerLoad(answer, op, nodeFlags, b1) };
    } catch (err) {
      log(`  ${op.id}: answer floor failed: ${(err as Error).message}`);
    }
  }

  // The slowest statement of the capture, with its plan.
  const slowest = [...all]
    .filter((s) => !/"api_keys"/.test(s.query) && !/^(BEGIN|COMMIT|SET)/i.test(s.query.trim()))
    .sort((a, b) => b.durationMs - a.durationMs)[0];
  let slowStmt: OpResult['slowest'];
  if (slowest) {
    slowStmt = { sql: slowest.query, ms: slowest.durationMs };
    if (explain && !/^\s*(INSERT|UPDATE|DELETE)/i.test(slowest.query)) {
      try {
        slowStmt.plan = await explainStatement(dbUrl, slowest);
        log(`  ${op.id}: slowest statement, ${slowest.durationMs} ms when captured:\n${slowStmt.plan.join('\n')}`);
      } catch (err) {
        log(`  ${op.id}: EXPLAIN failed: ${(err as Error).message}`);
      }
    }
  }
  const result: OpResult = {
    id: op.id,
    title: op.title,
    statementsPerRequest,
    resolverStatements,
    server: { c1, cN },
    floor,
    ratioP50: floor ? c1.p50 / floor.c1.p50 : null,
    peakRssMB: s2.peakRssBytes / 2 ** 20,
    ...(backends ? { backendsMB: backends.mb } : {}),
    serverCpuMs: (s1.cpuMicros - s0.cpuMicros) / 1000 / Math.max(1, c1.requests),
    responseBytes,
    statements: all.map((st) => st.query.replace(/\s+/g, ' ').trim().slice(0, 160)),
    slowest: slowStmt,
    answerFloor,
    budget: slow ? `3 requests at 1, ${connections} at ${connections}` : `${seconds} s each`,
  };
  log(
    `  ${op.id}: p50 ${ms(c1.p50)} p95 ${ms(c1.p95)} p99 ${ms(c1.p99)} ms, ${int(cN.rps)} req/s at ${connections}; ` +
      `floor p50 ${ms(floor?.c1.p50)} ms, ${floor ? int(floor.cN.rps) : '—'} req/s; ${statementsPerRequest.toFixed(1)} stmts/req; ` +
      `server CPU ${ms(result.serverCpuMs)} ms/req` +
      (answerFloor
        ? `; answer floor (${(answerFloor.bytes / 1024).toFixed(0)} KB, bare node:http) p50 ${ms(answerFloor.c1.p50)} p95 ${ms(answerFloor.c1.p95)} ms`
        : ''),
  );
  return result;
}

/** Answers at least this large (bytes) get an answer floor: below it sending costs well under a millisecond. */
const ANSWER_FLOOR_BYTES = 65_536;

/** `answer` served by bench/answer-child.ts (with the server's Node.js flags), loaded as `op` is at concurrency 1. */
async function answerLoad(answer: Record<string, unknown>, op: Operation, nodeFlags: string[], budget: Budget): Promise<Figures> {
  const file = path.join(os.tmpdir(), `att-bench-answer-${process.pid}.json`);
  fs.writeFileSync(file, JSON.stringify(answer));
  try {
    const { child, ready } = await BenchChild.start({ ...process.env, ANSWER_FILE: file }, nodeFlags, path.join(__dirname, 'answer-child.ts'));
    try {
      const target: HttpTarget = { url: ready.url, viewerKey: '', editorKey: '' };
      await httpLoad(target, op, 1, 'seconds' in budget ? { seconds: Math.min(2, budget.seconds) } : { amount: 1 });
      return await httpLoad(target, op, 1, budget);
    } finally {
      await child.stop();
    }
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** Ours / peer for one of our operations the peer's stands beside, from the same run. */
interface PeerRatio {
  versus: string;
  oursP50: number;
  ratioP50: number;
  ratioP95: number;
  ratioRps: number;
}

interface PeerResult {
  id: string;
  versus: string[];
  title: string;
  server: { c1: Figures; cN: Figures };
  peakRssMB: number;
  responseBytes: number;
  budget: string;
  /** One per operation of `versus` that ran in this run. */
  against: PeerRatio[];
  /** The same pairs in alternating rounds (--peer-rounds), when asked for. */
  paired?: PairedResult[];
  failed?: string;
}

/** Our server, where it answers, and our operations (the peer's stand beside some of them). */
interface OurServer {
  server: BenchChild;
  target: HttpTarget;
  ops: Operation[];
}

/**
 * PostGraphile on the same database: each peer operation measured as ours are, then each against
 * the ours it stands beside in `rounds` alternating rounds (see ./paired.ts).
 */
async function runPeer(
  params: BenchParams,
  ours: OurServer,
  results: OpResult[],
  dbUrl: string,
  o: { poolSize: number; connections: number; seconds: number; rounds: number },
  log: (l: string) => void,
): Promise<PeerResult[]> {
  await preparePeerSchema(dbUrl);
  const { child, ready } = await BenchChild.start(
    { ...process.env, NODE_ENV: 'production', GRAPHILE_ENV: 'production', PEER_DATABASE_URL: dbUrl, PEER_POOL_SIZE: String(o.poolSize) },
    [],
    path.join(__dirname, 'peer-child.ts'),
  );
  log(`peer: PostGraphile ${ready.url} (pid ${ready.pid}, pool ${o.poolSize})`);
  const target: HttpTarget = { url: ready.url, viewerKey: '', editorKey: '' };
  const peer: PeerResult[] = [];
  try {
    for (const op of peerOperations(params)) {
      const measured = op.versus.map((id) => results.find((r) => r.id === id && !r.failed)).filter((r) => r !== undefined);
      // Nothing of ours to stand beside (--ops left it out): not measured either.
      if (!measured.length) continue;
      let result: PeerResult;
      try {
        result = await runPeerOperation(op, measured, child, target, dbUrl, o.connections, o.seconds, log);
      } catch (err) {
        log(`  ${op.id}: FAILED: ${(err as Error).message}`);
        peer.push({ id: op.id, versus: op.versus, title: op.title, against: [] as PeerRatio[], failed: (err as Error).message } as PeerResult);
        continue;
      }
      if (o.rounds > 0) {
        result.paired = [];
        for (const m of measured) {
          const mine = ours.ops.find((x) => x.id === m.id)!;
          const paired = await pairedRounds(
            { peer: op.id, versus: m.id },
            { target: ours.target, op: mine, settle: () => settle(ours.server, dbUrl), cpuMicros: () => cpuMicros(ours.server) },
            { target, op, settle: () => settle(child, dbUrl), cpuMicros: () => cpuMicros(child) },
            o.rounds,
            o.connections,
            o.seconds,
          );
          const each = paired.rounds.map((r) => `${r.ratioP50.toFixed(2)}/${r.ratioRps.toFixed(2)}`).join(', ');
          const cpu = (side: 'ours' | 'peer') =>
            `${ms(median(paired.rounds.map((r) => r[side].cpu.serverMs)))}/${ms(median(paired.rounds.map((r) => r[side].cpu.machineMs ?? NaN)))}`;
          log(
            `  ${op.id} against ${m.id}, ${o.rounds} alternating rounds, ours/peer p50/req/s: ${each}; medians ${paired.ratioP50.toFixed(2)}/${paired.ratioRps.toFixed(2)}; ` +
              `CPU ms/req at ${o.connections}, server/machine: ours ${cpu('ours')}, peer ${cpu('peer')}`,
          );
          result.paired.push(paired);
        }
      }
      peer.push(result);
    }
  } finally {
    await child.stop();
  }
  return peer;
}

/** A peer operation measured as ours are (same warm-up, budgets, concurrency), against our figures for `versus`. */
async function runPeerOperation(
  op: PeerOperation,
  ours: OpResult[],
  child: BenchChild,
  t: HttpTarget,
  dbUrl: string,
  connections: number,
  seconds: number,
  log: (l: string) => void,
): Promise<PeerResult> {
  log(`${op.id}: ${op.title}`);
  const t0 = performance.now();
  const data = await send(t, op.requests[0].request);
  const slow = ((performance.now() - t0) * 5) / 1000 > seconds;
  const b1: Budget = slow ? { amount: 3 } : { seconds };
  const bN: Budget = slow ? { amount: connections } : { seconds };
  await settle(child, dbUrl);
  await httpLoad(t, op, slow ? 1 : 4, slow ? { amount: 1 } : { seconds: Math.min(2, seconds) });
  await settle(child, dbUrl);
  await child.ask({ type: 'stats', resetPeak: true }, 'stats');
  const c1 = await httpLoad(t, op, 1, b1);
  await settle(child, dbUrl);
  const cN = await httpLoad(t, op, connections, bN);
  await settle(child, dbUrl);
  const stats = await child.ask({ type: 'stats' }, 'stats');
  const result: PeerResult = {
    id: op.id,
    versus: op.versus,
    title: op.title,
    server: { c1, cN },
    peakRssMB: stats.peakRssBytes / 2 ** 20,
    responseBytes: Buffer.byteLength(JSON.stringify({ data })),
    budget: slow ? `3 requests at 1, ${connections} at ${connections}` : `${seconds} s each`,
    against: ours.map((o) => ({
      versus: o.id,
      oursP50: o.server.c1.p50,
      ratioP50: o.server.c1.p50 / c1.p50,
      ratioP95: o.server.c1.p95 / c1.p95,
      ratioRps: o.server.cN.rps / cN.rps,
    })),
  };
  const ratios = result.against.map((a) => `; ours (${a.versus})/peer p50 ${a.ratioP50.toFixed(2)}`).join('');
  log(`  ${op.id}: p50 ${ms(c1.p50)} p95 ${ms(c1.p95)} ms, ${int(cN.rps)} req/s at ${connections}${ratios}`);
  return result;
}

function peerTable(peer: PeerResult[], connections: number): string {
  const head = [
    'peer',
    'vs',
    'p50',
    'p95',
    `req/s c${connections}`,
    'ours p50',
    'ours/peer p50',
    'ours/peer p95',
    `ours/peer req/s c${connections}`,
    'peak RSS MB',
    'errors',
    'response',
  ];
  const ratio = (n?: number) => (n == null || !Number.isFinite(n) ? '—' : n.toFixed(2));
  // One row per (peer operation, our operation it stands beside); its own figures on the first.
  const rows = peer.flatMap((r) => {
    if (r.failed) return [[r.id, r.versus.join(', '), '—', '—', '—', '—', '—', '—', '—', '—', 'FAILED', '—']];
    const own = [ms(r.server.c1.p50), ms(r.server.c1.p95), int(r.server.cN.rps)];
    const tail = [r.peakRssMB.toFixed(0), String(r.server.c1.errors + r.server.cN.errors), `${(r.responseBytes / 1024).toFixed(1)} KB`];
    const against: (PeerRatio | null)[] = r.against.length ? r.against : [null];
    return against.map((a, i) => [
      i === 0 ? r.id : '',
      a?.versus ?? '—',
      ...(i === 0 ? own : ['', '', '']),
      a ? ms(a.oursP50) : '—',
      ratio(a?.ratioP50),
      ratio(a?.ratioP95),
      ratio(a?.ratioRps),
      ...(i === 0 ? tail : ['', '', '']),
    ]);
  });
  const out = [grid(head, rows, 2)];
  const paired = peer.flatMap((r) => r.paired ?? []);
  if (paired.length) {
    const range = (xs: number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
    out.push(
      '',
      `alternating rounds (${paired[0].rounds.length}; ours first in odd rounds), ours/peer:`,
      grid(
        ['peer', 'vs', 'p50 median', 'p50 range', `req/s c${connections} median`, `req/s c${connections} range`, 'errors'],
        paired.map((p) => [
          p.peer,
          p.versus,
          ratio(p.ratioP50),
          range(p.rounds.map((r) => r.ratioP50)),
          ratio(p.ratioRps),
          range(p.rounds.map((r) => r.ratioRps)),
          String(p.errors),
        ]),
        2,
      ),
    );
  }
  out.push('', ...peer.map((r) => `${r.id.padEnd(4)} ${r.title}`));
  out.push('', 'ours/peer < 1: ours is faster (latency) — for req/s, > 1 means ours serves more');
  return out.join('\n');
}

interface SoakResult {
  minutes: number;
  figures: Figures;
  /** [seconds since start, RSS MB] every 10 s. */
  samples: [number, number][];
  firstMB: number;
  lastMB: number;
  peakMB: number;
  /** Least-squares slope of RSS after the first minute (warm-up), MB per minute. */
  slopeMBPerMinute: number;
}

/** The mix for `minutes` at `connections`, the server's RSS sampled every 10 s: does it grow? */
async function runSoak(server: BenchChild, t: HttpTarget, mix: Operation, connections: number, minutes: number, log: (l: string) => void): Promise<SoakResult> {
  log(`soak: the mix at ${connections} for ${minutes} min`);
  await server.ask({ type: 'stats', resetPeak: true }, 'stats');
  const samples: [number, number][] = [];
  const t0 = performance.now();
  const sample = async () => {
    const st = await server.ask({ type: 'stats' }, 'stats');
    samples.push([(performance.now() - t0) / 1000, st.rssBytes / 2 ** 20]);
  };
  await sample();
  const timer = setInterval(() => void sample(), 10_000);
  let figures: Figures;
  try {
    figures = await httpLoad(t, mix, connections, { seconds: minutes * 60 });
  } finally {
    clearInterval(timer);
  }
  await sample();
  const peak = await server.ask({ type: 'stats' }, 'stats');
  const late = samples.filter(([sec]) => sec >= 60);
  const n = late.length;
  const mx = late.reduce((a, [x]) => a + x, 0) / Math.max(1, n);
  const my = late.reduce((a, [, y]) => a + y, 0) / Math.max(1, n);
  const slope = n > 1 ? late.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / late.reduce((a, [x]) => a + (x - mx) ** 2, 0) : 0;
  return {
    minutes,
    figures,
    samples,
    firstMB: late[0]?.[1] ?? samples[0][1],
    lastMB: samples[samples.length - 1][1],
    peakMB: peak.peakRssBytes / 2 ** 20,
    slopeMBPerMinute: slope * 60,
  };
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  },
);
