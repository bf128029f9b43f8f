// Prisma client over node-postgres (the Rust-free client with @prisma/adapter-pg).
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool, type ClientBase } from 'pg';
import { PrismaClient } from '../generated/prisma/client';

export type Db = PrismaClient;

/** How long a transaction may wait for a pooled connection before it fails (SERVICE_UNAVAILABLE). */
export const TRANSACTION_MAX_WAIT_MS = 30_000;

export interface DbHandle {
  prisma: PrismaClient;
  pool: Pool;
  /** Number of SQL statements Prisma has sent since start; lets tests prove there is no N+1. */
  statementCount(): number;
  close(): Promise<void>;
}

export function createPrisma(connectionString: string, poolSize: number, opts: { statementTimeoutMs?: number; connectionTimeoutMs?: number } = {}): DbHandle {
  // statement_timeout: a runaway statement (a huge report) is cancelled by PostgreSQL and frees its connection.
  // Set by a statement on each new connection before it is handed out (the embedded database takes it too).
  const timeout = Math.floor(opts.statementTimeoutMs ?? 0);
  const pool = new Pool({
    connectionString,
    max: poolSize,
    ...(opts.connectionTimeoutMs ? { connectionTimeoutMillis: opts.connectionTimeoutMs } : {}),
    ...(timeout > 0 ? { onConnect: async (client: ClientBase) => void (await client.query(`SET statement_timeout = ${timeout}`)) } : {}),
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
  prisma.$on('query', () => {
    statements += 1;
  });
  return {
    prisma,
    pool,
    statementCount: () => statements,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
