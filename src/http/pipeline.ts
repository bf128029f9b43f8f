// What every API request goes through, whichever part answers it (the /graphql handler in
// graphql.ts, express in app.ts for the rest): its id and log line, the API key and the rate
// limit, errors in GraphQL's response shape. Written against node:http's request and response,
// which express's extend, so both parts run the same code.
import crypto from 'node:crypto';
import cors from 'cors';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { UNAUTHENTICATED_MESSAGE } from '../auth/access';
import { parseAuthorization } from '../auth/keys';
import { authenticateKey, recordWrite, type Caller } from '../auth/store';
import type { Config } from '../config';
import type { Db } from '../db/client';
import type { Database } from '../db/database';
import { databaseFault } from '../db/faults';
import { readsFromPrimary } from '../db/replicas';
import type { GraphQLContext } from '../graphql/context';

/** A request's own state, from its first step on. */
export interface RequestLocals {
  requestId: string;
  caller: Caller | null;
  /** For the log line and the GraphQL context: the operation is filled in once resolved. */
  request: { id: string; operationName: string | null };
}

/** Kept where express keeps a request's locals (`res.locals`; express leaves one already set). */
export function localsOf(res: ServerResponse): RequestLocals {
  return (res as ServerResponse & { locals: RequestLocals }).locals;
}

/** The path without its query string. */
export function pathnameOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/**
 * The request's id (the client's `x-request-id` when it is a plain token, else a new UUID), sent
 * back as `x-request-id`, and one log line when the response is sent: method, path, status,
 * duration, operation and key id (never the key).
 */
export function trackRequest(req: IncomingMessage, res: ServerResponse, path: string, logger?: Logger): void {
  const incoming = req.headers['x-request-id'];
  const requestId = typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming) ? incoming : crypto.randomUUID();
  const locals: RequestLocals = { requestId, caller: null, request: { id: requestId, operationName: null } };
  (res as ServerResponse & { locals: RequestLocals }).locals = locals;
  res.setHeader('x-request-id', requestId);
  if (logger?.isLevelEnabled('info')) {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      logger.info(
        {
          reqId: requestId,
          method: req.method,
          path,
          status: res.statusCode,
          durationMs: Number(process.hrtime.bigint() - started) / 1e6,
          operationName: locals.request.operationName ?? undefined,
          keyId: locals.caller?.keyId,
        },
        'request',
      );
    });
  }
}

/** The CORS policy of /graphql and /reports: the origins allowed (true: any), no credentials, preflights cached 10 minutes. */
export function corsPolicy(origins: true | string[]) {
  return cors<cors.CorsRequest>({ origin: origins, credentials: false, maxAge: 600 });
}

/** An error answered before GraphQL runs, in GraphQL's response shape. */
export function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  // Already answered (a shutdown answers a request whose body is still arriving): nothing more to say.
  if (res.headersSent) return;
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

/**
 * An error raised before GraphQL ran: a body the JSON parser refused (too large, not JSON) is a
 * client error; anything else a 500 (logged). GraphQL-shaped either way, never an HTML page.
 */
export function sendRequestError(res: ServerResponse, err: unknown, maxBodyBytes: number, logger?: Logger): void {
  const e = err as { status?: number; type?: string };
  if (e.type === 'entity.too.large') return sendError(res, 413, 'PAYLOAD_TOO_LARGE', `Request body exceeds ${maxBodyBytes} bytes`);
  if (e.status && e.status >= 400 && e.status < 500) return sendError(res, e.status, 'BAD_REQUEST', 'Malformed request body');
  logger?.error({ err }, 'unexpected HTTP error');
  return sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
}

export interface GateOptions {
  logger?: Logger;
  limits: Pick<Config['limits'], 'ratePoints' | 'rateWindowSeconds'> & Partial<Pick<Config['limits'], 'rateStore'>>;
  /** With replicas: a key that wrote within this many seconds reads from the primary. */
  readYourWritesSeconds: number;
  /** How long a verified API key is trusted without a look-up (0: every request; always 0 with replicas). */
  apiKeyCacheSeconds: number;
}

/** Who may come in, how often, and where their reads go. */
export interface Gate {
  /** Reads the API key, if any; a key sent but not usable is refused (401). False: answered here. */
  authenticate(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Takes a point for the caller's key (or address); false: answered here (429). */
  rateLimit(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Where a caller's reads go: a replica, unless there are none or the caller wrote within the window. */
  readsFor(caller: Caller | null): Db;
  readAfterWrite: GraphQLContext['readAfterWrite'];
}

export function createGate(db: Database, opts: GateOptions): Gate {
  const limiter = createRateLimiter(db, opts.limits);
  // Off with replicas: the look-up also reads the key's last write, which read-your-writes needs fresh.
  const keyCacheMs = db.replicas ? 0 : opts.apiKeyCacheSeconds * 1000;
  const readAfterWrite = db.replicas
    ? {
        primary: db,
        async recordWrite(keyId: string) {
          // The write itself succeeded: a lost marker only means the next reads may be a little stale.
          await recordWrite(db, keyId).catch((err: unknown) =>
            opts.logger?.warn({ err: String(err), keyId }, 'could not record the write for read-your-writes'),
          );
        },
      }
    : undefined;
  const clientAddress = (req: IncomingMessage) => req.socket.remoteAddress ?? 'unknown';
  return {
    async authenticate(req, res) {
      const locals = localsOf(res);
      const bearer = parseAuthorization(req.headers.authorization);
      if (bearer.kind === 'none') return true;
      try {
        locals.caller = bearer.kind === 'key' ? await authenticateKey(db, bearer.key, new Date(), { cacheMs: keyCacheMs }) : null;
      } catch (err) {
        opts.logger?.warn({ reqId: locals.requestId, err: databaseFault(err) ? String(err) : err }, 'API key check failed');
        sendError(res, 503, 'SERVICE_UNAVAILABLE', 'The database is unavailable; try again shortly');
        return false;
      }
      if (locals.caller) return true;
      // Failed attempts count against the client's address, so keys cannot be guessed at full speed.
      if (limiter && !(await consume(limiter, `ip:${clientAddress(req)}`, res))) return false;
      res.setHeader('WWW-Authenticate', 'Bearer');
      sendError(res, 401, 'UNAUTHENTICATED', UNAUTHENTICATED_MESSAGE);
      return false;
    },
    async rateLimit(req, res) {
      const caller = localsOf(res).caller;
      return !limiter || consume(limiter, caller ? `key:${caller.keyId}` : `ip:${clientAddress(req)}`, res);
    },
    readsFor: (caller) => (!db.replicas || readsFromPrimary(caller?.lastWriteAt, opts.readYourWritesSeconds) ? db : db.replicas.reads()),
    readAfterWrite,
  };
}

/**
 * The request limiter: counters in PostgreSQL (table rate_limits, made by a migration), shared by
 * every app instance; or in this process' memory (RATE_LIMIT_STORE=memory).
 * If PostgreSQL cannot answer, the insurance limiter counts in memory meanwhile.
 */
function createRateLimiter(db: Database, limits: GateOptions['limits']): RateLimiterAbstract | undefined {
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
async function consume(limiter: RateLimiterAbstract, key: string, res: ServerResponse): Promise<boolean> {
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
