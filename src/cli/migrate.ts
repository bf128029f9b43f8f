// npm run db:migrate — applies pending migrations to DATABASE_URL, or to the embedded database.
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';

async function main(): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase(config);
  try {
    const { applied, alreadyApplied } = db.migrations;
    console.log(`${db.embedded ? `embedded database ${config.embedded.dataDir}` : 'DATABASE_URL'}: ` +
      `${applied.length} migration(s) applied${applied.length ? ` (${applied.join(', ')})` : ''}, ${alreadyApplied.length} already applied`);
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
