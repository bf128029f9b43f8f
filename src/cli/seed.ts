// npm run db:seed — loads the seed article as start-up does (seed/load.ts; a second run changes nothing).
import { seedDatabase } from '../../seed/load';
import { openCliDatabase } from './open';
import { runCli } from './run';

async function main(): Promise<void> {
  const db = await openCliDatabase();
  try {
    const report = await seedDatabase(db.prisma);
    const { inserted, updated, unchanged, removed } = report;
    console.log(`seed ${report.version} loaded: ${inserted} inserted, ${updated} updated, ${unchanged} unchanged, ${removed} removed`);
    for (const k of report.kept) console.log(`  left as it is: ${k.kind} ${k.slug} (${k.id}): ${k.reason}${k.detail ? ` — ${k.detail}` : ''}`);
  } finally {
    await db.close();
  }
}

runCli({ run: main });
