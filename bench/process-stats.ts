// What the benchmark's children (our server, the peer, the answer floor) report of their own
// process: RSS with its peak since the last reset (sampled every 50 ms: maxRSS cannot be reset),
// what V8 accounts for, and CPU time. And what PostgreSQL's backends hold (backendMemory), and
// the machine a run's results were taken on (machine).
import fs from 'node:fs';
import os from 'node:os';
import type { Pool } from 'pg';

export interface ProcessStats {
  rssBytes: number;
  peakRssBytes: number;
  heapUsedBytes: number;
  /** What V8 holds (its heap, used or not) and what it knows of outside it (Buffers, WASM memories). */
  heapTotalBytes: number;
  externalBytes: number;
  cpuMicros: number;
}

export function processStatsSampler(): { read(resetPeak?: boolean): ProcessStats } {
  let peak = process.memoryUsage.rss();
  setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50).unref();
  return {
    read(resetPeak = false) {
      const mem = process.memoryUsage();
      peak = Math.max(peak, mem.rss);
      const cpu = process.cpuUsage();
      const stats = {
        rssBytes: mem.rss,
        peakRssBytes: peak,
        heapUsedBytes: mem.heapUsed,
        heapTotalBytes: mem.heapTotal,
        externalBytes: mem.external,
        cpuMicros: cpu.user + cpu.system,
      };
      if (resetPeak) peak = mem.rss;
      return stats;
    },
  };
}

/**
 * What PostgreSQL's backends of `pool`'s database hold of their own (anonymous memory: catalog
 * caches, prepared statements and their plans; not the shared buffers), summed from
 * /proc/<pid>/smaps_rollup. Null when they cannot be read: a server on another machine, or not
 * Linux.
 */
export async function backendMemory(pool: Pool): Promise<{ backends: number; mb: number } | null> {
  const { rows } = await pool.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
  );
  let kb = 0;
  for (const { pid } of rows) {
    let anonymous: string | undefined;
    try {
      anonymous = /^Anonymous:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1];
    } catch {
      return null;
    }
    if (anonymous === undefined) return null;
    kb += Number(anonymous);
  }
  return { backends: rows.length, mb: kb / 1024 };
}

/**
 * CPU time the whole machine spent busy (every process and the kernel: our server, PostgreSQL and
 * the load generator alike), in microseconds since boot, from /proc/stat; null where unreadable.
 * At a saturating concurrency, what a request costs the machine is what bounds its throughput.
 */
export function machineCpuMicros(): number | null {
  try {
    const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal …: all but idle and iowait are busy.
    const busy = cpu.slice(0, 8).reduce((a, b) => a + b, 0) - cpu[3] - cpu[4];
    return (busy * 1e6) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** USER_HZ: the unit of /proc/stat's times, 100 on every Linux this runs on. */
const CLOCK_TICKS = 100;

/** The machine a benchmark ran on, as bench/results keeps it: its cores, memory and load now. */
export function machine() {
  return { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGB: Math.round(os.totalmem() / 2 ** 30), loadavg: os.loadavg(), node: process.version };
}

/** machine() as one line of a benchmark's output. */
export function machineLine(): string {
  const m = machine();
  return `machine: ${m.cpus} cores, load average ${m.loadavg.map((l) => l.toFixed(1)).join(' ')}`;
}
