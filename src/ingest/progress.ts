// Import progress on standard error: a bar redrawn in place on a terminal (records/s, ETA from
// the bytes read), plain lines every few seconds otherwise (logs, CI).
import type { Progress } from './importer';

export function progressReporter(stream: NodeJS.WriteStream = process.stderr, opts: { intervalMs?: number } = {}) {
  const tty = Boolean(stream.isTTY);
  const interval = opts.intervalMs ?? (tty ? 200 : 5000);
  const started = Date.now();
  let last = 0;
  let lastPhase = '';
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  return {
    update(p: Progress) {
      const now = Date.now();
      if (p.phase === lastPhase && now - last < interval) return;
      const phaseChanged = p.phase !== lastPhase;
      last = now;
      lastPhase = p.phase;
      const secs = (now - started) / 1000;
      const rate = secs > 0 ? p.records / secs : 0;
      if (p.phase !== 'read') {
        const label = { check: 'checking references and duplicates', write: 'writing', done: 'done' }[p.phase];
        if (tty) stream.write(`\r\x1b[K${label} (${fmt(p.records)} records, ${secs.toFixed(1)} s)${p.phase === 'done' ? '\n' : ''}`);
        else if (phaseChanged) stream.write(`${label}: ${fmt(p.records)} records, ${secs.toFixed(1)} s\n`);
        return;
      }
      const frac = p.totalBytes ? Math.min(1, p.bytes / p.totalBytes) : undefined;
      const eta = frac && frac > 0 ? (secs / frac) * (1 - frac) : undefined;
      const tail = `${fmt(p.records)} records, ${fmt(rate)} records/s${eta !== undefined ? `, ETA ${Math.ceil(eta)} s` : ''}`;
      if (tty) {
        const width = 30;
        const filled = frac === undefined ? 0 : Math.round(frac * width);
        const pct = frac === undefined ? '' : ` ${String(Math.floor(frac * 100)).padStart(3)}%`;
        stream.write(`\r\x1b[K[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]${pct} ${tail}`);
      } else {
        stream.write(`reading ${p.file}: ${frac !== undefined ? `${Math.floor(frac * 100)}%, ` : ''}${tail}\n`);
      }
    },
  };
}
