// Stops the suite's embedded PostgreSQL (global-setup.ts) by its pid and removes its files.
import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const cluster = globalThis.embeddedTestCluster;
  if (!cluster) return;
  await cluster.pg.stop();
  fs.rmSync(cluster.dir, { recursive: true, force: true });
  globalThis.embeddedTestCluster = undefined;
}
