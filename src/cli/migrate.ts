// npm run db:migrate — applies pending migrations to DATABASE_URL, or to the embedded database.
import { loadConfig } from '../config';
import { openCliDatabase } from './open';
import { runCli } from './run';

async function main(): Promise<void> {
  const config = loadConfig();
  const db = await openCliDatabase();
  try {
    const { applied, alreadyApplied } = db.migrations;
    console.log(
      `${db.embedded ? `embedded database ${config.embedded.dataDir}${db.embedded.owner ? '' : " (the running server's)"}` : 'DATABASE_URL'}: ` +
        `${applied.length} migration(s) applied${applied.length ? ` (${applied.join(', ')})` : ''}, ${alreadyApplied.length} already applied`,
    );
  } finally {
    await db.close();
  }
}

runCli({ run: main });
