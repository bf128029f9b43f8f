// The server under test, in its own process (so its RSS is its own): startServer() with the
// configuration from the environment the benchmark gives it (NODE_ENV=production, …), plus an
// IPC channel to the benchmark for what it cannot see over HTTP: the SQL statement count
// (db.statements.count()), the statements one request issues (db.statements.listen: Prisma's query
// events and the raw reads, replayed by the benchmark as the database floor) and its memory.
import { createApiKey } from '../src/auth/store';
import { startServer } from '../src/server';
import { processStatsSampler, type ProcessStats } from './process-stats';

import type { Statement as CapturedStatement } from '../src/db/statements';

export type { CapturedStatement };

export type ChildRequest = { type: 'stats'; resetPeak?: boolean } | { type: 'capture'; on: boolean } | { type: 'stop' };

export type ChildMessage =
  | { type: 'ready'; url: string; viewerKey: string; editorKey: string; pid: number }
  | ({ type: 'stats'; statements: number } & ProcessStats)
  | { type: 'captured'; statements: CapturedStatement[] }
  | { type: 'error'; message: string };

async function main(): Promise<void> {
  const send = (m: ChildMessage) => process.send?.(m);
  const server = await startServer(undefined, { countStatements: true });
  const viewer = await createApiKey(server.db, { role: 'VIEWER', label: 'bench viewer' });
  const editor = await createApiKey(server.db, { role: 'EDITOR', label: 'bench editor' });

  const stats = processStatsSampler();

  let captured: CapturedStatement[] | null = null;
  server.db.statements!.listen((s) => {
    if (captured) captured.push(s);
  });

  process.on('message', (m: ChildRequest) => {
    if (m.type === 'stats') {
      send({ type: 'stats', statements: server.db.statements!.count(), ...stats.read(m.resetPeak) });
    } else if (m.type === 'capture') {
      if (m.on) captured = [];
      else {
        send({ type: 'captured', statements: captured ?? [] });
        captured = null;
      }
    } else if (m.type === 'stop') {
      void server.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    }
  });
  process.on('disconnect', () => void server.stop().finally(() => process.exit(0)));
  send({ type: 'ready', url: server.url, viewerKey: viewer.key, editorKey: editor.key, pid: process.pid });
}

main().catch((err) => {
  process.send?.({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exit(1);
});
