// What the benchmark's children (our server, the peer, the answer floor) report of their own
// process: RSS with its peak since the last reset (sampled every 50 ms: maxRSS cannot be reset),
// what V8 accounts for, and CPU time.
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
