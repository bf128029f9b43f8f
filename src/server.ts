// The composition root: configuration → database (migrated, seeded) → Apollo → HTTP.
// `npm start` runs this file; tests call startServer() with their own config.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, type Config } from './config';
import { openDatabase, type Database } from './db/database';
import { createApolloServer } from './graphql/apollo';
import { createApp } from './http/app';
import { createLogger } from './logger';
import { seedDatabase } from '../seed/load';

export interface RunningServer {
  url: string;
  db: Database;
  stop(): Promise<void>;
}

export async function startServer(config: Config = loadConfig()): Promise<RunningServer> {
  const logger = createLogger(config);
  const db = await openDatabase(config);
  logger.info(
    { database: db.embedded ? `embedded PGlite (${config.embedded.dataDir})` : 'DATABASE_URL', applied: db.migrations.applied },
    'database ready',
  );
  try {
    if (config.seedOnStart) logger.info({ seed: await seedDatabase(db.prisma) }, 'seed data loaded');
    const apollo = createApolloServer({ production: config.production, introspection: config.introspection, logger });
    await apollo.start();
    const httpServer = http.createServer(createApp(apollo, db));
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, resolve);
    });
    const { port } = httpServer.address() as AddressInfo;
    const url = `http://localhost:${port}/graphql`;
    logger.info({ url }, 'server ready');
    return {
      url,
      db,
      async stop() {
        await apollo.stop();
        await new Promise<void>((resolve) => httpServer.close(() => resolve()));
        await db.close();
      },
    };
  } catch (err) {
    await db.close();
    throw err;
  }
}

if (require.main === module) {
  startServer().then(
    (server) => {
      const shutdown = () => void server.stop().then(() => process.exit(0));
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
