// HTTP routes: /graphql (Apollo), /health (process up), /ready (database reachable, schema current),
// /reports. In front of /graphql and /reports: request log, CORS, body limit, API key, rate limit.
import crypto from 'node:crypto';
import { expressMiddleware } from '@as-integrations/express5';
import type { ApolloServer } from '@apollo/server';
import cors from 'cors';
import express from 'express';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { requireRead, UNAUTHENTICATED_MESSAGE, type AuthMode } from '../auth/access';
import { parseAuthorization } from '../auth/keys';
import { authenticateKey, recordWrite, type Caller } from '../auth/store';
import type { Config } from '../config';
import type { Db } from '../db/client';
import type { Database } from '../db/database';
import { databaseFault } from '../db/faults';
import { pendingMigrations } from '../db/migrate';
import { readsFromPrimary } from '../db/replicas';
import { createContext, type GraphQLContext } from '../graphql/context';
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
}

interface Locals {
  requestId: string;
  caller: Caller | null;
  request: { id: string; operationName: string | null };
}

/** An error answered before GraphQL runs, in GraphQL's response shape. */
function sendError(res: express.Response, status: number, code: string, message: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

export function createApp(apollo: ApolloServer<GraphQLContext>, db: Database, opts: AppOptions = {}): express.Express {
  const authMode = opts.authMode ?? 'open';
  const limits = opts.limits ?? { maxBodyBytes: 262_144, ratePoints: 0, rateWindowSeconds: 60 };
  const limiter = createRateLimiter(db, limits);
  const readYourWritesSeconds = opts.readYourWritesSeconds ?? 10;
  const keyCacheMs = db.replicas ? 0 : (opts.apiKeyCacheSeconds ?? 0) * 1000;
  /** Where a caller's reads go: a replica, unless there are none or the caller wrote within the window. */
  const readsFor = (caller: Caller | null): Db =>
    !db.replicas || readsFromPrimary(caller?.lastWriteAt, readYourWritesSeconds) ? db.prisma : db.replicas.reads();
  const readAfterWrite = db.replicas && {
    primary: db.prisma,
    async recordWrite(keyId: string) {
      // The write itself succeeded: a lost marker only means the next reads may be a little stale.
      await recordWrite(db.prisma, keyId).catch((err: unknown) => opts.logger?.warn({ err: String(err), keyId }, 'could not record the write for read-your-writes'));
    },
  };
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  // No ETags on the API's answers: express would hash every body (SHA-1 of 1.6 MB for a 10-year
  // monthly report, ~2% of the server's CPU on it) for a header POST answers are never revalidated with.
  app.set('etag', false);

  // Request id and one log line per request: method, path, status, duration, operation, key id (never the key).
  app.use((req, res, next) => {
    const locals = res.locals as Locals;
    const incoming = req.get('x-request-id');
    locals.requestId = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : crypto.randomUUID();
    locals.caller = null;
    locals.request = { id: locals.requestId, operationName: null };
    res.setHeader('x-request-id', locals.requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      opts.logger?.info(
        {
          reqId: locals.requestId,
          method: req.method,
          path: req.path,
          status: res.statusCode,
          durationMs: Number(process.hrtime.bigint() - started) / 1e6,
          operationName: locals.request.operationName ?? undefined,
          keyId: locals.caller?.keyId,
        },
        'request',
      );
    });
    next();
  });

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

  /** Reads the API key, if any. A key that is sent but not usable is refused here, whatever the operation. */
  const authenticate: express.RequestHandler = async (req, res, next) => {
    const locals = res.locals as Locals;
    const bearer = parseAuthorization(req.get('authorization'));
    if (bearer.kind === 'none') return next();
    try {
      locals.caller = bearer.kind === 'key' ? await authenticateKey(db.prisma, bearer.key, new Date(), { cacheMs: keyCacheMs }) : null;
    } catch (err) {
      opts.logger?.warn({ reqId: locals.requestId, err: databaseFault(err) ? String(err) : err }, 'API key check failed');
      return sendError(res, 503, 'SERVICE_UNAVAILABLE', 'The database is unavailable; try again shortly');
    }
    if (locals.caller) return next();
    // Failed attempts count against the client's address, so keys cannot be guessed at full speed.
    if (limiter && !(await consume(limiter, `ip:${req.ip}`, res))) return;
    res.setHeader('WWW-Authenticate', 'Bearer');
    return sendError(res, 401, 'UNAUTHENTICATED', UNAUTHENTICATED_MESSAGE);
  };

  const rateLimit: express.RequestHandler = async (req, res, next) => {
    const caller = (res.locals as Locals).caller;
    if (!limiter || (await consume(limiter, caller ? `key:${caller.keyId}` : `ip:${req.ip}`, res))) next();
  };

  const corsMiddleware = cors<cors.CorsRequest>({
    origin: opts.corsOrigins === undefined || opts.corsOrigins === true ? true : opts.corsOrigins,
    credentials: false,
    maxAge: 600,
  });

  // CORS first: the pages router below has GET routes on these paths, and express would answer
  // a preflight (OPTIONS) for them itself, without the CORS headers.
  app.use(['/graphql', '/reports'], corsMiddleware);

  // Static pages (GraphiQL, the chart page): no key needed to load them; their requests carry it.
  app.use(pagesRouter({ mode: opts.playground ?? 'graphiql' }));

  app.use(
    '/reports',
    authenticate,
    rateLimit,
    (_req, res, next) => {
      try {
        requireRead((res.locals as Locals).caller, authMode);
      } catch (err) {
        res.setHeader('WWW-Authenticate', 'Bearer');
        return sendError(res, 401, 'UNAUTHENTICATED', (err as Error).message);
      }
      next();
    },
    reportsRouter((res) => readsFor((res.locals as Locals).caller)),
  );

  app.use(
    '/graphql',
    express.json({ limit: limits.maxBodyBytes }),
    authenticate,
    rateLimit,
    expressMiddleware(apollo, {
      context: async ({ res }) => {
        const locals = res.locals as Locals;
        return createContext(readsFor(locals.caller), locals.caller, locals.request, readAfterWrite);
      },
    }),
  );

  // Body-parser errors (too large, not JSON) as GraphQL-shaped client errors, never a 500 page.
  app.use((err: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) return next(err);
    const e = err as { status?: number; type?: string };
    if (e.type === 'entity.too.large') return sendError(res, 413, 'PAYLOAD_TOO_LARGE', `Request body exceeds ${limits.maxBodyBytes} bytes`);
    if (e.status && e.status >= 400 && e.status < 500) return sendError(res, e.status, 'BAD_REQUEST', 'Malformed request body');
    opts.logger?.error({ err }, 'unexpected HTTP error');
    return sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
  });
  return app;
}

/**
 * The request limiter: counters in PostgreSQL (table rate_limits, made by a migration), shared by
 * every app instance; or in this process' memory (RATE_LIMIT_STORE=memory, the embedded default).
 * If PostgreSQL cannot answer, the insurance limiter counts in memory meanwhile.
 */
function createRateLimiter(db: Database, limits: NonNullable<AppOptions['limits']>): RateLimiterAbstract | undefined {
  if (limits.ratePoints <= 0) return undefined;
  const opts = { points: limits.ratePoints, duration: limits.rateWindowSeconds };
  if ((limits.rateStore ?? 'memory') === 'memory') return new RateLimiterMemory(opts);
  return new RateLimiterPostgres({
    ...opts,
    storeClient: db.pool,
    storeType: 'pool',
    tableName: 'rate_limits',
    tableCreated: true,
    insuranceLimiter: new RateLimiterMemory(opts),
  });
}

/** Takes one point for `key`; when none is left, answers 429 with Retry-After and returns false. */
async function consume(limiter: RateLimiterAbstract, key: string, res: express.Response): Promise<boolean> {
  try {
    await limiter.consume(key);
    return true;
  } catch (rej) {
    if (!(rej instanceof RateLimiterRes)) throw rej;
    const seconds = Math.max(1, Math.ceil(rej.msBeforeNext / 1000));
    res.setHeader('Retry-After', String(seconds));
    sendError(res, 429, 'RATE_LIMITED', `Too many requests; retry in ${seconds} s`);
    return false;
  }
}
