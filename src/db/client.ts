// Prisma client over node-postgres (the Rust-free client with @prisma/adapter-pg).
import crypto from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool, types as pgTypes, type ClientBase, type CustomTypesConfig } from 'pg';
import { Prisma, PrismaClient } from '../generated/prisma/client';

export type Db = PrismaClient;

/** What a raw read needs of a client: Prisma's $queryRaw (tagged template or Prisma.Sql). */
export interface RawReader {
  $queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<T>;
}

/** One SQL statement sent, for the benchmark's floor and the tests that count statements. */
export interface Statement {
  query: string;
  /** The parameters as a JSON array. */
  params: string;
  durationMs: number;
  /** The server-side prepared statement's name when it ran as one (raw reads, see createPrisma). */
  name?: string;
}

/** How long a transaction may wait for a pooled connection before it fails (SERVICE_UNAVAILABLE). */
export const TRANSACTION_MAX_WAIT_MS = 30_000;

export interface DbHandle {
  prisma: PrismaClient;
  pool: Pool;
  /** Number of SQL statements sent since start (Prisma's and the raw reads'); lets tests prove there is no N+1. */
  statementCount(): number;
  /** Calls `listener` after each statement (Prisma's query events and the raw reads alike). */
  onStatement(listener: (s: Statement) => void): void;
  close(): Promise<void>;
}

/**
 * The session settings of every pooled connection, set by one statement before it is handed out
 * (the embedded database takes them too):
 * - statement_timeout: a runaway statement (a huge report) is cancelled by PostgreSQL and frees
 *   its connection;
 * - jit off: the planner cannot see how many rows a generate_series over dates yields and
 *   assumes 1,000 per call, so it costs a report at millions of rows and JIT spends seconds
 *   compiling a statement that runs in less (200,000 shipments: 2.4 s with JIT, 0.9 s without);
 *   nothing here runs long enough to gain from it. Per session rather than SET LOCAL around each
 *   report: that was a transaction (BEGIN, SET, COMMIT) per report.
 */
export function sessionSettingsSql(statementTimeoutMs = 0): string {
  const timeout = Math.max(0, Math.floor(statementTimeoutMs));
  return `SELECT set_config('jit', 'off', false), set_config('statement_timeout', '${timeout}', false)`;
}

export interface CreatePrismaOptions {
  statementTimeoutMs?: number;
  connectionTimeoutMs?: number;
  /**
   * Raw reads as named (server-side) prepared statements, one per distinct SQL text and pooled
   * connection. PostgreSQL then plans a statement once per connection instead of on every
   * request: the timeline's statements span every yearly partition of events and shipments and
   * took 5-20 ms to plan against 2-4 ms to run (bench/README.md). After five executions
   * PostgreSQL keeps a generic plan only when it costs no more than the custom ones
   * (plan_cache_mode auto), pruning partitions at executor start. Never on PGlite (found on
   * connecting): its connections share one backend session, where names collide.
   */
  prepare?: boolean;
  /**
   * How many statements one connection prepares before it is retired (closed after the read that
   * would have prepared one more, which runs unnamed; the pool opens a fresh one). A prepared
   * timeline statement holds ~1.4 MB of its backend's memory (its generic plan over every
   * partition), and selections vary without end: unbounded, a busy pool's backends grew by that
   * much for every new selection (bench/README.md). Default MAX_PREPARED_PER_CONNECTION.
   */
  maxPrepared?: number;
}

/** Statements prepared per pooled connection before it is retired (see maxPrepared). */
export const MAX_PREPARED_PER_CONNECTION = 32;

export function createPrisma(connectionString: string, poolSize: number, opts: CreatePrismaOptions = {}): DbHandle {
  const timeout = Math.floor(opts.statementTimeoutMs ?? 0);
  const settings = sessionSettingsSql(timeout);
  // PGlite (the embedded database, also when reached through DATABASE_URL as the tests do) runs
  // every connection in one backend session: a name prepared by a closed connection is still
  // there when the pool opens the next one, which then fails to prepare it again.
  let sharedSession = false;
  const pool = new Pool({
    connectionString,
    max: poolSize,
    ...(opts.connectionTimeoutMs ? { connectionTimeoutMillis: opts.connectionTimeoutMs } : {}),
    onConnect: async (client: ClientBase) => {
      await client.query(settings);
      if (opts.prepare && !sharedSession) {
        const { rows } = await client.query<{ pglite: boolean }>(`SELECT version() LIKE '%PGlite%' AS pglite`);
        sharedSession = rows[0].pglite;
      }
    },
  });
  // An idle connection that dies (database restart) must not crash the process.
  pool.on('error', () => undefined);
  const prisma = new PrismaClient({
    adapter: new PrismaPg(pool),
    log: [{ emit: 'event', level: 'query' }],
    // Prisma's defaults (2 s to get a connection, 5 s per interactive transaction) turn a busy
    // moment — writers queued on one alias's unique index, a pool of one on the embedded
    // database — into internal errors. A mutation waits for a connection as plain reads do (as
    // long as an import, importer.ts); its statements are bounded by statement_timeout.
    transactionOptions: { maxWait: TRANSACTION_MAX_WAIT_MS, timeout: Math.max(60_000, 2 * timeout) },
  });
  let statements = 0;
  const listeners: ((s: Statement) => void)[] = [];
  const counted = (s: () => Statement) => {
    statements += 1;
    if (listeners.length) for (const l of listeners) l(s());
  };
  prisma.$on('query', (e) => counted(() => ({ query: e.query, params: e.params, durationMs: e.duration })));
  const maxPrepared = opts.maxPrepared ?? MAX_PREPARED_PER_CONNECTION;
  readers.set(prisma, directReader(pool, counted, () => ((opts.prepare ?? false) && !sharedSession ? maxPrepared : 0)));
  return {
    prisma,
    pool,
    statementCount: () => statements,
    onStatement: (listener) => void listeners.push(listener),
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/** The direct raw reader of each client made by createPrisma (not of its transactions or extensions). */
const readers = new WeakMap<object, RawReader>();

/**
 * Where `db`'s raw reads go: straight to its `pg` pool when `db` is a client made by
 * createPrisma, else (a transaction, an extended client) through Prisma. The same SQL and the
 * same row objects as Prisma's $queryRaw, without its per-query work (the request through its
 * query compiler and executor, then re-encoding every value): in CPU profiles of the lookup
 * that was the largest single share of the server's time.
 */
export function rawReader(db: RawReader): RawReader {
  return readers.get(db) ?? db;
}

const ignore = () => undefined;

/** The statements each pooled connection has prepared (by name). */
const preparedOn = new WeakMap<ClientBase, Set<string>>();

/**
 * The name to run `sql` under on `client`, and whether to retire the connection after it: a name
 * when it may be prepared (already is, or the connection has room for one more); none, and
 * retire, when the connection has prepared `max` others.
 */
function preparedName(client: ClientBase, sql: Prisma.Sql, max: number): { name?: string; retire: boolean } {
  if (max <= 0 || planEachTime.has(sql)) return { retire: false };
  const name = statementName(sql.text);
  let names = preparedOn.get(client);
  if (!names) preparedOn.set(client, (names = new Set()));
  if (names.has(name)) return { name, retire: false };
  if (names.size >= max) return { retire: true };
  names.add(name);
  return { name, retire: false };
}

function directReader(pool: Pool, counted: (s: () => Statement) => void, maxPrepared: () => number): RawReader {
  return {
    async $queryRaw<T>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<T> {
      const sql = query instanceof Prisma.Sql ? query : Prisma.sql(query, ...values);
      const params = sql.values.map(toParam);
      let name: string | undefined;
      const started = performance.now();
      try {
        // Connected first: whether to prepare is known once the connection has said what it is.
        const client = await pool.connect();
        // As pool.query does: while a connection is checked out the pool no longer listens for its
        // errors, and a connection the server ends mid-query (a restart, pg_terminate_backend)
        // emits one besides failing the query: unheard, it would be an uncaught exception.
        client.on('error', ignore);
        let failed: Error | undefined;
        let retire = false;
        try {
          ({ name, retire } = preparedName(client, sql, maxPrepared()));
          const { rows } = await client.query({ name, text: sql.text, values: params, types: PRISMA_TYPES });
          return rows as T;
        } catch (err) {
          // As pool.query does: a connection that failed is discarded, not reused.
          failed = err as Error;
          throw err;
        } finally {
          client.removeListener('error', ignore);
          // Closed too when full of prepared statements: its backend's memory goes with it.
          client.release(failed ?? retire);
        }
      } finally {
        counted(() => ({ query: sql.text, params: JSON.stringify(params), durationMs: performance.now() - started, name }));
      }
    },
  };
}

/**
 * Statements that must be planned for their parameters on every run, never prepared: a report's
 * window and filters change its plan (which rollup rows, which partitions, how many periods),
 * and a generic plan for them measured 177 ms against 29 ms planned each time (op 5).
 */
const planEachTime = new WeakSet<Prisma.Sql>();

export function unprepared(sql: Prisma.Sql): Prisma.Sql {
  planEachTime.add(sql);
  return sql;
}

/** A prepared statement's name, from its text: the same SQL gets the same name on every connection. */
export function statementName(text: string): string {
  return `r_${crypto.createHash('sha1').update(text).digest('base64url')}`;
}

/** Parameters as Prisma's adapter sends them: instants in UTC, exact numbers as text. */
function toParam(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint' || v instanceof Prisma.Decimal) return v.toString();
  if (Array.isArray(v)) return v.map(toParam);
  return v;
}

/**
 * Column values decoded as Prisma's $queryRaw decodes them (its pg adapter, then its client):
 * int8 as BigInt, numeric as Decimal, date and timestamp as UTC Dates; user types (enums)
 * and their arrays as text; everything else as `pg` parses it.
 */
const utcDate = (v: string) => new Date(v);
const utcTimestamp = (v: string) => new Date(`${v.replace(' ', 'T')}+00:00`);
const decimal = (v: string) => new Prisma.Decimal(v);
const SCALARS: Record<number, (v: string) => unknown> = {
  [pgTypes.builtins.INT8]: BigInt,
  [pgTypes.builtins.OID]: BigInt,
  [pgTypes.builtins.NUMERIC]: decimal,
  [pgTypes.builtins.MONEY]: (v) => v.slice(1),
  [pgTypes.builtins.DATE]: utcDate,
  [pgTypes.builtins.TIMESTAMP]: utcTimestamp,
};
/** Array type oid → its element's decoder (pg parses these arrays to arrays of strings). */
const ARRAYS: Record<number, (v: string) => unknown> = { 1016: BigInt, 1028: BigInt, 1231: decimal, 1182: utcDate, 1115: utcTimestamp };
const deepMap = (v: unknown, f: (s: string) => unknown): unknown => (Array.isArray(v) ? v.map((x) => deepMap(x, f)) : v == null ? v : f(v as string));
const PRISMA_TYPES: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    const scalar = SCALARS[oid];
    if (scalar) return (v: string) => scalar(v);
    const element = ARRAYS[oid];
    if (element) {
      const parseStrings = pgTypes.getTypeParser(1009 as never); // text[]: the elements as strings
      return (v: string) => deepMap(parseStrings(v), element);
    }
    return pgTypes.getTypeParser(oid, format as 'text');
  }) as CustomTypesConfig['getTypeParser'],
};
