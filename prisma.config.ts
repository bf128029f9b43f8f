// Prisma CLI configuration. Only `prisma generate` is used here; migrations are
// applied by src/db/migrate.ts (see README, "Migrations").
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
