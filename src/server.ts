// The composition root: configuration → database (migrated, seeded) → Apollo → HTTP.
// `npm start` runs this file; tests call startServer() with their own config.
import type { AddressInfo } from 'node:net';
import { loadConfig, type Config } from './config';
import { connectLater, openDatabase, type Database } from './db/database';
import { EmbeddedDatabaseError } from './db/embedded';
import { databaseFault } from './db/faults';
import { applyMigrations } from './db/migrate';
import { createApolloServer } from './graphql/apollo';
import { createApp } from './http/app';
import { createDrainingServer } from './http/shutdown';
import { createLogger, type Logger } from './logger';
import { seedDatabase, seedSummary, type SeedReport } from '../seed/load';

export interface RunningServer {
  url: string;
  db: Database;
  /**
   * Stops accepting, lets in-flight requests finish (at most shutdownTimeoutMs; what still runs
   * then is rolled back and answered 503), then closes the pool (and stops the embedded database).
   */
  stop(): Promise<void>;
  /** During stop(): stop waiting for in-flight requests, roll them back now. */
  hurry(): void;
}

/** How often a server that started without its database tries to reach it again. */
const RECONNECT_INTERVAL_MS = 2_000;

export interface StartOptions {
  /** Count the SQL statements sent (db.statements): for the tests and the benchmark, never in production. */
  countStatements?: boolean;
}

export async function startServer(config: Config = loadConfig(), opts: StartOptions = {}): Promise<RunningServer> {
  const logger = createLogger(config);
  let db: Database;
  let pendingSetup = false;
  try {
    db = await openDatabase(config, { role: 'server', log: (line) => logger.warn(line), countStatements: opts.countStatements });
    logger.info(
      {
        database: db.embedded ? `embedded PostgreSQL (${db.embedded.dataDir}, postmaster pid ${db.embedded.pid})` : 'DATABASE_URL',
        applied: db.migrations.applied,
      },
      'database ready',
    );
  } catch (err) {
    // A database that is down must not keep the API down once it comes back: serve now
    // (/ready says 503, queries SERVICE_UNAVAILABLE) and set the database up when it answers.
    if (!config.databaseUrl || !databaseFault(err)) throw err;
    logger.warn({ err: String(err) }, 'database unreachable at start; serving and retrying');
    db = connectLater(config, opts);
    pendingSetup = true;
  }
  let retry: NodeJS.Timeout | undefined;
  try {
    if (config.seedOnStart && !pendingSetup) logSeed(logger, await seedDatabase(db.prisma));
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
      sourceMaps: !config.production,
      readYourWritesSeconds: config.replicas.readYourWritesSeconds,
      apiKeyCacheSeconds: config.apiKeyCacheSeconds,
    });
    const { server: httpServer, shutdown, hurry } = createDrainingServer(app, logger);
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
          await shutdown({ timeoutMs: config.shutdownTimeoutMs, interrupt: () => db.interrupt() });
          await apollo.stop();
          await db.close();
          logger.info('server stopped');
        })();
        return stopping;
      },
      hurry,
    };
  } catch (err) {
    if (retry) clearInterval(retry);
    await db.close();
    throw err;
  }
}

/**
 * One line for the seed: its figures, and every seed record left as someone made it (edited,
 * deleted, merged, purged) or that could not be written, with the reason.
 */
function logSeed(logger: Logger, report: SeedReport): void {
  logger.info({ seed: seedSummary(report), keptAsTheyAre: report.kept }, 'seed data loaded');
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
      if (config.seedOnStart) logSeed(logger, await seedDatabase(db.prisma));
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
  // This process's one owner of termination signals (Apollo's own handler is off, see
  // graphql/apollo.ts): the first drains and stops, a second stops waiting for in-flight requests.
  // Listening from the start: a signal during start-up stops the server once it is up, rather
  // than killing the process and leaving the embedded database behind.
  let server: RunningServer | undefined;
  let signalled = 0;
  const stop = (s: RunningServer) =>
    void s.stop().then(
      () => process.exit(0),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  const onSignal = () => {
    signalled += 1;
    if (!server) return;
    if (signalled === 1) stop(server);
    else server.hurry();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  startServer().then(
    (s) => {
      server = s;
      if (signalled) stop(s);
    },
    (err) => {
      console.error(err instanceof EmbeddedDatabaseError ? err.message : err);
      process.exit(1);
    },
  );
}
