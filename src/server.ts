// The composition root: configuration → database (migrated, seeded) → Apollo → HTTP.
// `npm start` runs this file; tests call startServer() with their own config.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, type Config } from './config';
import { connectLater, openDatabase, type Database } from './db/database';
import { databaseFault } from './db/faults';
import { applyMigrations } from './db/migrate';
import { createApolloServer } from './graphql/apollo';
import { createApp } from './http/app';
import { createLogger, type Logger } from './logger';
import { seedDatabase } from '../seed/load';

export interface RunningServer {
  url: string;
  db: Database;
  /** Stops accepting, lets in-flight requests finish (at most shutdownTimeoutMs), then closes the pool. */
  stop(): Promise<void>;
}

/** How often a server that started without its database tries to reach it again. */
const RECONNECT_INTERVAL_MS = 2_000;

export async function startServer(config: Config = loadConfig()): Promise<RunningServer> {
  const logger = createLogger(config);
  let db: Database;
  let pendingSetup = false;
  try {
    db = await openDatabase(config);
    logger.info(
      { database: db.embedded ? `embedded PGlite (${config.embedded.dataDir})` : 'DATABASE_URL', applied: db.migrations.applied },
      'database ready',
    );
  } catch (err) {
    // A database that is down must not keep the API down once it comes back: serve now
    // (/ready says 503, queries SERVICE_UNAVAILABLE) and set the database up when it answers.
    if (!config.databaseUrl || !databaseFault(err)) throw err;
    logger.warn({ err: String(err) }, 'database unreachable at start; serving and retrying');
    db = connectLater(config);
    pendingSetup = true;
  }
  let retry: NodeJS.Timeout | undefined;
  try {
    if (config.seedOnStart && !pendingSetup) logger.info({ seed: await seedDatabase(db.prisma) }, 'seed data loaded');
    if (pendingSetup) retry = setupWhenReachable(db, config, logger, () => (retry = undefined));
    if (db.replicas) {
      await db.replicas.start(logger);
      logger.info({ replicas: db.replicas.statuses() }, 'read replicas checked');
    }
    const apollo = createApolloServer({
      production: config.production,
      introspection: config.introspection,
      logger,
      authMode: config.authMode,
      limits: config.limits,
      playground: config.playground,
      persistedQueries: config.persistedQueries,
    });
    await apollo.start();
    const app = createApp(apollo, db, {
      logger,
      authMode: config.authMode,
      corsOrigins: config.corsOrigins,
      limits: config.limits,
      playground: config.playground,
      readYourWritesSeconds: config.replicas.readYourWritesSeconds,
      apiKeyCacheSeconds: config.apiKeyCacheSeconds,
    });
    const httpServer = http.createServer(app);
    // Idle keep-alive connections outlive the usual client and proxy timeouts (clients such as
    // undici close theirs first, per the Keep-Alive hint), so a client never sends on a socket
    // the server is closing at that moment (ECONNRESET). Shutdown closes idle ones at once.
    httpServer.keepAliveTimeout = 65_000;
    httpServer.headersTimeout = 66_000;
    // Responses sent while shutting down say `Connection: close`, so kept-alive connections end with
    // the request they carry instead of waiting to be closed as idle.
    const shutdown = { draining: false, inFlight: new Set<http.ServerResponse>() };
    httpServer.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
      if (shutdown.draining) return void (res.headersSent || res.setHeader('Connection', 'close'));
      shutdown.inFlight.add(res);
      res.once('close', () => shutdown.inFlight.delete(res));
    });
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, resolve);
    });
    const { port } = httpServer.address() as AddressInfo;
    const url = `http://localhost:${port}/graphql`;
    logger.info({ url, authMode: config.authMode }, 'server ready');
    let stopping: Promise<void> | undefined;
    return {
      url,
      db,
      stop() {
        stopping ??= (async () => {
          if (retry) clearInterval(retry);
          shutdown.draining = true;
          for (const res of shutdown.inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
          await drain(httpServer, config.shutdownTimeoutMs, logger);
          await apollo.stop();
          await db.close();
          logger.info('server stopped');
        })();
        return stopping;
      },
    };
  } catch (err) {
    if (retry) clearInterval(retry);
    await db.close();
    throw err;
  }
}

/** Stops accepting connections and waits for in-flight requests, closing whatever is left after `timeoutMs`. */
async function drain(server: http.Server, timeoutMs: number, logger: Logger): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const outcome = await Promise.race([closed, timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    logger.warn({ timeoutMs }, 'shutdown: closing requests still in flight');
    server.closeAllConnections();
    await closed;
  }
}

/** Retries the migrations (and seed) until the database answers; then the server is ready. */
function setupWhenReachable(db: Database, config: Config, logger: Logger, done: () => void): NodeJS.Timeout {
  let running = false;
  const timer: NodeJS.Timeout = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const migrations = await applyMigrations(db.url);
      db.migrations = migrations;
      if (config.seedOnStart) await seedDatabase(db.prisma);
      clearInterval(timer);
      done();
      logger.info({ applied: migrations.applied }, 'database reachable again; ready');
    } catch (err) {
      logger.debug({ err: String(err) }, 'database still unreachable');
    } finally {
      running = false;
    }
  }, RECONNECT_INTERVAL_MS);
  timer.unref();
  return timer;
}

if (require.main === module) {
  startServer().then(
    (server) => {
      const shutdown = () =>
        void server.stop().then(
          () => process.exit(0),
          (err) => {
            console.error(err);
            process.exit(1);
          },
        );
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
