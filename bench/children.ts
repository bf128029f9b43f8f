// The benchmark's child processes and their IPC, both sides: BenchChild is how the benchmark
// (and the tests of its children) starts one, asks it and stops it; benchmarkIpc is the child
// side for those that are not our server (bench/server-child.ts speaks the same messages itself).
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { processStatsSampler } from './process-stats';
import type { ChildMessage, ChildRequest } from './server-child';

/** A child process the benchmark drives over IPC: our server, the peer or the answer floor. */
export class BenchChild {
  private waiting: ((m: ChildMessage) => void)[] = [];
  private constructor(private child: ChildProcess) {
    child.on('message', (m: ChildMessage) => this.waiting.shift()?.(m));
  }

  /** Forks `script` (a .ts file runs through tsx, a .js file as it is). */
  static start(env: NodeJS.ProcessEnv, execArgv: string[], script: string): Promise<{ child: BenchChild; ready: Extract<ChildMessage, { type: 'ready' }> }> {
    const cp = fork(script, [], {
      env,
      execArgv: [...(script.endsWith('.ts') ? ['--import', 'tsx'] : []), ...execArgv],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const child = new BenchChild(cp);
    return new Promise((resolve, reject) => {
      cp.once('exit', (code) => reject(new Error(`${path.basename(script)} exited with ${code}`)));
      child.waiting.push((m) => (m.type === 'ready' ? resolve({ child, ready: m }) : reject(new Error(m.type === 'error' ? m.message : 'unexpected'))));
    });
  }

  ask<T extends ChildMessage['type']>(req: ChildRequest, expect: T): Promise<Extract<ChildMessage, { type: T }>> {
    return new Promise((resolve, reject) => {
      this.waiting.push((m) => (m.type === expect ? resolve(m as Extract<ChildMessage, { type: T }>) : reject(new Error(`expected ${expect}, got ${m.type}`))));
      this.child.send(req);
    });
  }

  tell(req: ChildRequest): void {
    this.child.send(req);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.send({ type: 'stop' });
      setTimeout(() => this.child.kill('SIGKILL'), 15_000).unref();
    });
  }
}

/**
 * The benchmark's IPC for a child that is not our server (the peer, the answer floor): its
 * process stats, no statement count or capture (the benchmark waits on pg_stat_activity), stop;
 * then `ready` with its URL.
 */
export function benchmarkIpc(url: string, stop: () => void): void {
  const send = (m: ChildMessage) => process.send?.(m);
  const stats = processStatsSampler();
  process.on('message', (m: ChildRequest) => {
    if (m.type === 'stats') send({ type: 'stats', statements: 0, ...stats.read(m.resetPeak) });
    else if (m.type === 'capture') {
      if (!m.on) send({ type: 'captured', statements: [] });
    } else if (m.type === 'stop') stop();
  });
  process.on('disconnect', stop);
  send({ type: 'ready', url, viewerKey: '', editorKey: '', pid: process.pid });
}
