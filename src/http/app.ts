// HTTP routes: /graphql (Apollo, see graphql.ts), /health (process up), /ready (database
// reachable, schema current), /reports, the browser pages. Every request gets an id and a log
// line; /graphql and /reports check the API key and the rate limit (pipeline.ts).
import type http from 'node:http';
import type { ApolloServer } from '@apollo/server';
import express from 'express';
import type { Logger } from 'pino';
import { requireRead, type AuthMode } from '../auth/access';
import type { Config } from '../config';
import type { Database } from '../db/database';
import { pendingMigrations } from '../db/migrate';
import type { GraphQLContext } from '../graphql/context';
import { graphqlHandler } from './graphql';
import { corsPolicy, createGate, localsOf, pathnameOf, sendError, sendRequestError, trackRequest } from './pipeline';
import { pagesRouter, type PlaygroundMode } from './playground';
import { reportsRouter } from './reports';

export interface AppOptions {
  logger?: Logger;
  authMode?: AuthMode;
  corsOrigins?: Config['corsOrigins'];
  limits?: Pick<Config['limits'], 'maxBodyBytes' | 'ratePoints' | 'rateWindowSeconds'> & Partial<Pick<Config['limits'], 'rateStore'>>;
  /** With replicas: a key that wrote within this many seconds reads from the primary (default 10). */
  readYourWritesSeconds?: number;
  /**
   * How long a verified API key is trusted without a look-up (default 0: every request). Off with
   * replicas: the look-up also reads the key's last write, which read-your-writes needs fresh.
   */
  apiKeyCacheSeconds?: number;
  /** Browser pages: GraphiQL at GET /graphql and / (default), Apollo Sandbox, or none; the chart page always. */
  playground?: PlaygroundMode;
  /** Serve the pages' source maps (default: no; the server turns them on outside production). */
  sourceMaps?: boolean;
}

/**
 * The server's request listener. POST /graphql (nearly all API traffic), its CORS preflight and
 * any other method but GET go straight to the GraphQL handler; everything else, GET /graphql
 * included (the GraphiQL page for a browser, else a GraphQL GET), goes through express.
 */
export function createApp(apollo: ApolloServer<GraphQLContext>, db: Database, opts: AppOptions = {}): http.RequestListener {
  const authMode = opts.authMode ?? 'open';
  const limits = opts.limits ?? { maxBodyBytes: 262_144, ratePoints: 0, rateWindowSeconds: 60 };
  const gate = createGate(db, {
    logger: opts.logger,
    limits,
    readYourWritesSeconds: opts.readYourWritesSeconds ?? 10,
    apiKeyCacheSeconds: opts.apiKeyCacheSeconds ?? 0,
  });
  const corsOrigins = opts.corsOrigins === undefined || opts.corsOrigins === true ? true : opts.corsOrigins;
  const graphql = graphqlHandler(apollo, gate, { logger: opts.logger, corsOrigins, maxBodyBytes: limits.maxBodyBytes });
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  // No ETags: express would hash every body it sends (SHA-1 of a CSV report's megabytes) for a
  // header answers computed afresh each time gain little from.
  app.set('etag', false);

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/ready', async (_req, res) => {
    try {
      const pending = await pendingMigrations((sql) => db.prisma.$queryRawUnsafe(sql));
      const ready = pending.length === 0;
      // Replicas do not decide readiness: with none in rotation the primary serves reads.
      const replicas = db.replicas ? { replicas: db.replicas.statuses() } : {};
      res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'migrations pending', database: 'up', pendingMigrations: pending, ...replicas });
    } catch {
      res.status(503).json({ status: 'database unreachable', database: 'down', ...(db.replicas ? { replicas: db.replicas.statuses() } : {}) });
    }
  });

  /** A gate step as express middleware: on to the next one unless the step answered. */
  const step =
    (check: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<boolean>): express.RequestHandler =>
    (req, res, next) =>
      void check(req, res).then((ok) => ok && next(), next);

  // CORS before the pages router: it has GET routes on /reports paths, and express would answer a
  // preflight (OPTIONS) for them itself, without the CORS headers.
  app.use('/reports', corsPolicy(corsOrigins));

  // Static pages (GraphiQL, the chart and timeline pages): no key needed to load them; their requests carry it.
  app.use(pagesRouter({ mode: opts.playground ?? 'graphiql', sourceMaps: opts.sourceMaps }));

  app.use(
    '/reports',
    step(gate.authenticate),
    step(gate.rateLimit),
    (_req, res, next) => {
      try {
        requireRead(localsOf(res).caller, authMode);
      } catch (err) {
        res.setHeader('WWW-Authenticate', 'Bearer');
        return sendError(res, 401, 'UNAUTHENTICATED', (err as Error).message);
      }
      next();
    },
    reportsRouter({ dbFor: (res) => gate.readsFor(localsOf(res).caller), requestId: (res) => localsOf(res).requestId, logger: opts.logger }),
  );

  // What reaches express at /graphql: a GraphQL GET (not the GraphiQL page), and the path's
  // variants express also matches (a trailing slash, other letter cases).
  app.all('/graphql', (req, res) => graphql(req, res));

  // Errors express caught (a failed step, a static file): GraphQL-shaped, never a 500 page.
  app.use((err: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) return next(err);
    sendRequestError(res, err, limits.maxBodyBytes, opts.logger);
  });

  return (req, res) => {
    const path = pathnameOf(req);
    trackRequest(req, res, path, opts.logger);
    if (path === '/graphql' && req.method !== 'GET' && req.method !== 'HEAD') graphql(req, res);
    else app(req, res);
  };
}
