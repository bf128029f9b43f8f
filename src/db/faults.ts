// Recognising database faults in whatever wraps them (Prisma, its pg adapter, pg, graphql-js):
// an unreachable or restarting database (or a pool too busy to lend a connection in time, or a
// server shutting down: its statements cancelled, its commits refused), or a statement cancelled
// by statement_timeout.

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  '57P01',
  '57P02',
  '57P03', // admin_shutdown, crash_shutdown, cannot_connect_now
  '08000',
  '08001',
  '08003',
  '08004',
  '08006', // connection exceptions
  'P1001',
  'P1002',
  'P1017', // Prisma: can't reach, timed out, server closed the connection
]);
const UNAVAILABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TlsConnectionError', 'DatabaseDoesNotExist']);
const UNAVAILABLE_MESSAGE =
  /Connection terminated|connect ECONNREFUSED|Can't reach database|server closed the connection|terminating connection|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)|Unable to start a transaction in the given time/i;

/** A transaction refused (rolled back) because the server is shutting down and its time is up. */
export class ShuttingDown extends Error {
  constructor() {
    super('the server is shutting down: the transaction was rolled back');
  }
}
const SHUTTING_DOWN = /^the server is shutting down: the transaction was rolled back/;

/**
 * `interrupted`: cut short by a shutting-down server (its commit refused, its statement cancelled:
 * rolled back), or by an administrator's pg_cancel_backend; no fault of the request either.
 */
export type DatabaseFault = 'unavailable' | 'timeout' | 'interrupted';

/** What kind of database fault `err` (or anything it wraps) is, if it is one. */
export function databaseFault(err: unknown): DatabaseFault | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length) {
    const e = queue.shift();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const o = e as Record<string, unknown>;
    const code = typeof o.code === 'string' ? o.code : typeof o.originalCode === 'string' ? o.originalCode : undefined;
    // 57014 is any cancelled statement: statement_timeout's, or one cancelled on request (a
    // shutting-down server's, or an administrator's pg_cancel_backend), which is no fault of the query.
    const message = typeof o.originalMessage === 'string' ? o.originalMessage : typeof o.message === 'string' ? o.message : '';
    if ((code === '57014' && /due to user request/i.test(message)) || SHUTTING_DOWN.test(message)) return 'interrupted';
    if (code === '57014' || /statement timeout/i.test(message)) return 'timeout';
    if (code && UNAVAILABLE_CODES.has(code)) return 'unavailable';
    if (typeof o.kind === 'string' && UNAVAILABLE_KINDS.has(o.kind)) return 'unavailable';
    if (typeof o.message === 'string' && UNAVAILABLE_MESSAGE.test(o.message)) return 'unavailable';
    // thrownValue: graphql-js wraps what is not `instanceof Error` (a socket error made in another
    // realm, as under jest's VM, where pg's own connection errors reach the resolvers unwrapped).
    queue.push(o.cause, o.meta, o.originalError, o.driverAdapterError, o.thrownValue);
    if (Array.isArray(o.errors)) queue.push(...o.errors);
  }
  return undefined;
}
