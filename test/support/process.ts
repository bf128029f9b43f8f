// The server and the CLI commands as real processes, as `npm start` and `npm run …` run them:
// node with tsx's loader, so that a signal sent to the child reaches the program itself.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { eventually } from './eventually';

export const ROOT = path.resolve(__dirname, '../..');

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal) once it has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once its output matches `pattern` (or it exits), with the match; `ms` at most. */
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpExecArray | null>;
}

/** What a test server process is started with unless told otherwise (no seed, no rate limit, open access). */
const BASE_ENV = {
  PORT: '0',
  HOST: '127.0.0.1',
  SEED_ON_START: 'false',
  LOG_LEVEL: 'info',
  AUTH_MODE: 'open',
  RATE_LIMIT_POINTS: '0',
  NODE_ENV: 'development',
};

/** Runs `script` (relative to the project root) under node with tsx's loader. */
export function spawnNode(script: string, args: string[], env: Record<string, string | undefined>): ServerProcess {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  // The suite's own database settings must not leak into the child unless passed on purpose.
  delete childEnv.DATABASE_URL;
  delete childEnv.TEST_DATABASE_URL;
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete childEnv[k];
    else childEnv[k] = v;
  }
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, script), ...args], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  let done = false;
  child.once('exit', () => (done = true));
  // 'close': exited, and its output pipes drained.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    pid: child.pid!,
    output: () => out,
    exited,
    waitFor: async (pattern, ms = 120_000) => {
      const match = await eventually(
        async () => pattern.exec(out) ?? (done ? 'exited' : null),
        (m) => m !== null,
        ms,
      );
      return match === 'exited' ? pattern.exec(out) : match;
    },
  };
}

/** `npm start`'s server as a process; resolves once it logged its URL. */
export async function startServerProcess(env: Record<string, string | undefined>): Promise<ServerProcess & { url: string; origin: string; port: number }> {
  const proc = spawnNode('src/server.ts', [], { ...BASE_ENV, ...env });
  const m = await proc.waitFor(/"url":"(http:\/\/[^"]+)"/);
  if (!m) {
    proc.child.kill('SIGKILL');
    throw new Error(`the server did not start:\n${proc.output()}`);
  }
  const url = m[1].replace('localhost', '127.0.0.1');
  const origin = new URL(url).origin;
  return { ...proc, url, origin, port: Number(new URL(url).port) };
}

/** Runs a CLI (`src/cli/<name>.ts`) to its end. */
export async function runCli(
  name: string,
  args: string[],
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; output: string; stdout: string }> {
  const proc = spawnNode(`src/cli/${name}.ts`, args, env);
  let stdout = '';
  proc.child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  const { code } = await proc.exited;
  return { code, output: proc.output(), stdout };
}

/** How a CLI run ended, and what it wrote. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `src/cli/<script>` on the database at `databaseUrl` to its end, quiet in its log. `onStderr`
 * is called with the error output so far each time it grows (to signal the child mid-run).
 */
export function runCliOn(databaseUrl: string, script: string, args: string[], onStderr?: (text: string, child: ChildProcess) => void): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli', script), ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, TEST_DATABASE_URL: '', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export { alive } from '../../src/db/embedded';

/** A server process on a given database, its JSON log parsed, stopped by a real SIGTERM to its pid. */
export interface ServerOnDatabase {
  url: string;
  pid: number;
  /** Everything the process wrote so far (pino's JSON lines, stdout and stderr). */
  log(): string;
  /** The JSON log lines so far, parsed (lines that are not JSON are left out). */
  logLines(): Record<string, unknown>[];
  /** SIGTERM to its pid; resolves with its exit code. */
  stop(): Promise<number | null>;
}

/** Starts the server on `databaseUrl` (a pool of two, no seed unless `env` says) and waits until it is ready. */
export async function spawnServer(databaseUrl: string, env: Record<string, string> = {}): Promise<ServerOnDatabase> {
  const proc = await startServerProcess({ NODE_ENV: 'test', DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '2', ...env });
  let exited = false;
  void proc.exited.then(() => (exited = true));
  const logLines = () =>
    proc
      .output()
      .split('\n')
      .flatMap((l) => {
        try {
          return l.startsWith('{') ? [JSON.parse(l) as Record<string, unknown>] : [];
        } catch {
          return []; // a line still being written
        }
      });
  return {
    url: proc.url,
    pid: proc.pid,
    log: proc.output,
    logLines,
    async stop() {
      if (!exited) process.kill(proc.pid, 'SIGTERM');
      return (await proc.exited).code;
    },
  };
}

/** A GraphQL request to a server process. */
export async function request<T = any>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  key?: string,
): Promise<{ status: number; data?: T; errors?: { message: string; extensions?: Record<string, any> }[] }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, ...((await res.json()) as object) };
}
