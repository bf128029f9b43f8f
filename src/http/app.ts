// HTTP routes: /graphql (Apollo), /health (process up), /ready (database reachable, schema current).
import { expressMiddleware } from '@as-integrations/express5';
import type { ApolloServer } from '@apollo/server';
import cors from 'cors';
import express from 'express';
import type { Database } from '../db/database';
import { pendingMigrations } from '../db/migrate';
import { createContext, type GraphQLContext } from '../graphql/context';
import { reportsRouter } from './reports';

export function createApp(apollo: ApolloServer<GraphQLContext>, db: Database): express.Express {
  const app = express();
  app.disable('x-powered-by');

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/ready', async (_req, res) => {
    try {
      const pending = await pendingMigrations((sql) => db.prisma.$queryRawUnsafe(sql));
      const ready = pending.length === 0;
      res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'migrations pending', database: 'up', pendingMigrations: pending });
    } catch {
      res.status(503).json({ status: 'database unreachable', database: 'down' });
    }
  });

  app.use('/reports', reportsRouter(db.prisma));

  app.use(
    '/graphql',
    cors<cors.CorsRequest>(),
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, { context: async () => createContext(db.prisma) }),
  );
  return app;
}
