// The door to the database (Db) and the client factory that makes it: one pg pool per database,
// with the session settings and the shutdown guard every connection needs, and the Prisma client
// (the Rust-free one, @prisma/adapter-pg) and the raw reader over it.
import { PrismaPg } from '@prisma/adapter-pg';
import { Client, Pool, type ClientBase } from 'pg';
import { PrismaClient, type Prisma } from '../generated/prisma/client';
import { ShuttingDown } from './faults';
import { MAX_PREPARED_PER_CONNECTION } from './prepared';
import { createRawReader, type RawReader } from './rawReader';
import { Statements } from './statements';

/**
 * The one typed door to the database that services and queries receive: Prisma's client, the
 * raw reader and transactions, carried openly (docs/architecture.md, "Data access").
 */
export interface Db {
  /** Prisma's client for model reads and writes; behind a replica-routing door its model reads outside transactions go to a replica. */
  readonly prisma: PrismaClient;
  /** Raw SQL reads straight through the primary's pool (docs/decisions/raw-reader.md); in a transaction, use its tx.$queryRaw. */
  readonly raw: RawReader;
  /** Runs `run` in an interactive transaction on the primary (Prisma's $transaction). */
  transaction<T>(run: (tx: Tx) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Where this door's read-only raw SQL goes instead of `raw` (see onReplica): only on the door ReplicaSet.reads() gives. */
  readonly readReplicas?: ReplicaReads;
}

/** A transaction's client: Prisma's models and $queryRaw/$executeRaw, on the transaction's connection. */
export type Tx = Prisma.TransactionClient;
/** Prisma's options for one interactive transaction (its defaults: createPrisma's transactionOptions). */
export type TransactionOptions = { maxWait?: number; timeout?: number; isolationLevel?: Prisma.TransactionIsolationLevel };

/** Raw reads on a replica in rotation (the primary when none is): see replicas.ts. */
export interface ReplicaReads {
  run<T>(run: (reader: RawReader) => Promise<T>): Promise<T>;
}

/** The door over `prisma` and `raw`, reading raw SQL on `readReplicas` when given. */
export function door(prisma: PrismaClient, raw: RawReader, readReplicas?: ReplicaReads): Db {
  return { prisma, raw, transaction: (run, options) => prisma.$transaction(run, options), readReplicas };
}

/** How long a transaction may wait for a pooled connection before it fails (SERVICE_UNAVAILABLE). */
export const TRANSACTION_MAX_WAIT_MS = 30_000;

/** A door with its pool and its lifecycle: what createPrisma makes. */
export interface DbHandle extends Db {
  pool: Pool;
  /** The statements sent, when counted (CreatePrismaOptions.countStatements); undefined otherwise. */
  statements?: Statements;
  /**
   * For a shutdown whose time is up: from now on no transaction commits (a COMMIT becomes a
   * ROLLBACK and fails, a BEGIN fails) and the statements running now are cancelled, so that
   * whatever is still in flight ends rolled back, and its caller learns so.
   */
  interrupt(): Promise<void>;
  /**
   * Closes the pool. Connections still lent out after `graceMs` (default CLOSE_GRACE_MS) are
   * closed under their holders: PostgreSQL rolls back their open transactions.
   */
  close(opts?: { graceMs?: number }): Promise<void>;
}

/** How long close() waits for lent-out connections to come back before closing them. */
export const CLOSE_GRACE_MS = 5_000;

/** Statements that start or end a transaction (the forms Prisma, the importer and psql send). */
const BEGIN = /^\s*(BEGIN|START\s+TRANSACTION)\b/i;
const COMMIT = /^\s*(COMMIT|END)\b/i;

/**
 * The session settings of every pooled connection, set by one statement before it is handed out:
 * - statement_timeout: a runaway statement (a huge report) is cancelled by PostgreSQL and frees
 *   its connection;
 * - jit off: the planner cannot see how many rows a generate_series over dates yields and
 *   assumes 1,000 per call, so it costs a report at millions of rows and JIT spends longer
 *   compiling a statement than running it; nothing here runs long enough to gain from it. Per
 *   session rather than SET LOCAL around each report: that was a transaction per report.
 *   Why: docs/decisions/jit-off.md.
 * - TimeZone UTC: Prisma's pg adapter writes and reads a timestamptz as wall-clock text without
 *   its offset, so a database whose sessions default to another zone would store every instant
 *   Prisma writes, and read every one it reads, shifted by that zone's offset.
 */
export function sessionSettingsSql(statementTimeoutMs = 0): string {
  const timeout = Math.max(0, Math.floor(statementTimeoutMs));
  return `SELECT set_config('jit', 'off', false), set_config('statement_timeout', '${timeout}', false), set_config('TimeZone', 'UTC', false)`;
}

export interface CreatePrismaOptions {
  /** Count every statement sent (an event per query): for the tests and the benchmark, off in production. */
  countStatements?: boolean;
  statementTimeoutMs?: number;
  connectionTimeoutMs?: number;
  /**
   * Raw reads as named (server-side) prepared statements, one per distinct SQL text and pooled
   * connection. PostgreSQL then plans a statement once per connection instead of on every
   * request: the timeline's statements span every yearly partition of events and shipments and
   * cost more to plan than to run. After five executions PostgreSQL keeps a generic plan only
   * when it costs no more than the custom ones (plan_cache_mode auto), pruning partitions at
   * executor start. Why: docs/decisions/prepared-statements.md.
   */
  prepare?: boolean;
  /**
   * How many statements one connection prepares before it is retired (closed after the read that
   * would have prepared one more, which runs unnamed; the pool opens a fresh one). A prepared
   * timeline statement's generic plan over every partition holds its backend's memory, and
   * selections vary without end: unbounded, a busy pool's backends grew with every new
   * selection (docs/decisions/prepared-statements.md). Default MAX_PREPARED_PER_CONNECTION.
   */
  maxPrepared?: number;
}

export function createPrisma(connectionString: string, poolSize: number, opts: CreatePrismaOptions = {}): DbHandle {
  const timeout = Math.floor(opts.statementTimeoutMs ?? 0);
  const settings = sessionSettingsSql(timeout);
  // Lent-out connections, for interrupt() and close(); and whether commits are refused.
  const busy = new Set<Client>();
  let interrupted = false;
  // Every transaction of the app (Prisma's, the importer's, the raw reader's) goes through these
  // connections, so this is where a shutdown can refuse commits without a race: a COMMIT sent
  // before interrupt() completes and is answered as it ends; none is sent after.
  class GuardedClient extends Client {
    constructor(config?: ConstructorParameters<typeof Client>[0]) {
      super(config);
      // A connection the server ends (a restart, pg_terminate_backend) emits an error besides
      // failing its query; the pool listens only while it is idle, so one lent out (a Prisma
      // transaction between statements) would crash the process unheard. Its queries still fail.
      this.on('error', ignore);
    }

    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    query(...args: any[]): any {
      const config = args[0] as string | { text?: string; submit?: unknown } | undefined;
      const text = typeof config === 'string' ? config : config && typeof config.submit !== 'function' ? config.text : undefined;
      if (interrupted && text !== undefined) {
        if (COMMIT.test(text)) {
          return (super.query('ROLLBACK') as Promise<unknown>).then(() => Promise.reject(new ShuttingDown()));
        }
        if (BEGIN.test(text)) return Promise.reject(new ShuttingDown());
      }
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return (super.query as (...a: any[]) => any)(...args);
    }
  }
  const pool = new Pool({
    Client: GuardedClient,
    connectionString,
    max: poolSize,
    ...(opts.connectionTimeoutMs ? { connectionTimeoutMillis: opts.connectionTimeoutMs } : {}),
    onConnect: async (client: ClientBase) => {
      await client.query(settings);
    },
  });
  // An idle connection that dies (database restart) must not crash the process.
  pool.on('error', () => undefined);
  pool.on('acquire', (client) => void busy.add(client as Client));
  pool.on('release', (_err, client) => void busy.delete(client as Client));
  pool.on('remove', (client) => void busy.delete(client as Client));
  const prisma = new PrismaClient({
    adapter: new PrismaPg(pool),
    ...(opts.countStatements ? { log: [{ emit: 'event' as const, level: 'query' as const }] } : {}),
    // Prisma's defaults (2 s to get a connection, 5 s per interactive transaction) turn a busy
    // moment — writers queued on one alias's unique index, a small pool — into internal errors. A mutation waits for a connection as plain reads do (as
    // long as an import, importer.ts); its statements are bounded by statement_timeout.
    transactionOptions: { maxWait: TRANSACTION_MAX_WAIT_MS, timeout: Math.max(60_000, 2 * timeout) },
  });
  const statements = opts.countStatements ? new Statements() : undefined;
  if (statements) {
    (prisma as PrismaClient<'query'>).$on('query', (e) => statements.record(() => ({ query: e.query, params: e.params, durationMs: e.duration })));
  }
  const maxPrepared = opts.maxPrepared ?? MAX_PREPARED_PER_CONNECTION;
  const raw = createRawReader(pool, { maxPrepared: opts.prepare ? maxPrepared : 0, record: statements && ((s) => statements.record(s)) });
  return {
    ...door(prisma, raw),
    pool,
    statements,
    async interrupt() {
      interrupted = true;
      const pids = [...busy].map((c) => (c as Client & { processID?: number }).processID).filter((p): p is number => typeof p === 'number');
      if (!pids.length) return;
      // Cancelled, not terminated: a COMMIT already under way still completes and is answered.
      const admin = new Client({ connectionString, connectionTimeoutMillis: 5_000 });
      admin.on('error', () => undefined);
      try {
        await admin.connect();
        await admin.query('SELECT pg_cancel_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
      } catch {
        // The database is gone: so are the transactions.
      } finally {
        await admin.end().catch(() => undefined);
      }
    },
    async close(opts = {}) {
      await prisma.$disconnect();
      const ended = pool.end();
      if (await settlesWithin(ended, opts.graceMs ?? CLOSE_GRACE_MS)) return;
      // Lent out and not coming back: closing the connection makes PostgreSQL roll back its transaction.
      await Promise.all([...busy].map((c) => c.end().catch(() => undefined)));
      await settlesWithin(ended, CLOSE_GRACE_MS);
    },
  };
}

/** Whether `p` settles within `ms`. */
async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
  try {
    return await Promise.race([
      p.then(
        () => true,
        () => true,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const ignore = () => undefined;
