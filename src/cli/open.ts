// How every command opens the database: DATABASE_URL's, or the embedded one — the running
// server's, joined as a client, or started for this command's run when no server is running
// (src/db/embedded.ts). Notices go to standard error; a refusal is an EmbeddedDatabaseError
// whose message says which process has the database and what to do.
import { loadConfig, type Config } from '../config';
import { openDatabase, type Database } from '../db/database';

export function openCliDatabase(overrides: Partial<Config> = {}): Promise<Database> {
  return openDatabase({ ...loadConfig(), ...overrides }, { role: 'cli', log: (line) => process.stderr.write(`${line}\n`) });
}
