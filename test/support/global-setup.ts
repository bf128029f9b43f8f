// Without TEST_DATABASE_URL (or DATABASE_URL) the suite runs on an embedded PostgreSQL of its own:
// one throwaway cluster for the whole run, started here through the app's own lifecycle
// (src/db/embedded.ts) and stopped by its pid in global-teardown.ts. Its URL reaches the test
// workers as TEST_DATABASE_URL, so every test file makes its own database exactly as on a
// PostgreSQL server (test/support/database.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testDatabaseUrl } from '../../src/config';
import { openEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded';

declare global {
  var embeddedTestCluster: { pg: EmbeddedPostgres; dir: string } | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (testDatabaseUrl()) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'att-test-cluster-'));
  // As root the cluster runs as the postgres user, which must be able to enter the directory.
  fs.chmodSync(dir, 0o755);
  const started = Date.now();
  const pg = await openEmbeddedPostgres({
    dataDir: dir,
    role: 'server',
    command: 'the test suite (jest)',
    noSync: true,
    // Throwaway: nothing here needs to survive a crash.
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '200' },
    log: (line) => console.warn(line),
  });
  globalThis.embeddedTestCluster = { pg, dir };
  process.env.TEST_DATABASE_URL = pg.url;
  console.warn(`\nembedded PostgreSQL for the tests: pid ${pg.pid} in ${dir} (${Date.now() - started} ms)`);
}
