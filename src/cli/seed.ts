// npm run db:seed — loads the seed article (idempotent: a second run changes nothing).
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { seedDatabase } from '../../seed/load';

async function main(): Promise<void> {
  const db = await openDatabase(loadConfig());
  try {
    const counts = await seedDatabase(db.prisma);
    console.log(`seed loaded: ${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ')}`);
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
