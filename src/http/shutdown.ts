// The HTTP server's way out: from the shutdown on, new connections are refused, a request that
// arrives on a kept-alive connection is answered 503 with `Connection: close` (it did nothing:
// the client may send it again elsewhere), and the requests already in flight may finish for
// `timeoutMs`. Whatever still runs then is interrupted (the database refuses its commit and
// cancels its statement, see DbHandle.interrupt) and answered 503; so every request that was
// answered as done is committed, and nothing committed goes unanswered.
import http from 'node:http';
import net from 'node:net';
import type { Logger } from 'pino';
import { sendError } from './pipeline';

/** After the interrupt, how long requests get to answer (their statements cancelled) before their connections are cut. */
export const INTERRUPT_GRACE_MS = 5_000;

export interface ShutdownOptions {
  /** How long requests in flight may take to finish. */
  timeoutMs: number;
  /** Called when that time is up with requests still in flight: make their work end, rolled back. */
  interrupt(): Promise<void>;
}

export interface DrainingServer {
  server: http.Server;
  /** Stops accepting, drains, interrupts what is left at the timeout; resolves once every connection is closed. */
  shutdown(opts: ShutdownOptions): Promise<void>;
  /** Ends the wait for in-flight requests now (a second Ctrl-C): interrupt them as at the timeout. */
  hurry(): void;
}

/** Answers a request that will not be served: 503, and the connection closes after it. */
function refuse(res: http.ServerResponse, message: string): void {
  if (res.headersSent) return;
  res.setHeader('Connection', 'close');
  sendError(res, 503, 'SERVICE_UNAVAILABLE', message);
}

export function createDrainingServer(app: http.RequestListener, logger: Logger): DrainingServer {
  let draining = false;
  const inFlight = new Map<http.ServerResponse, http.IncomingMessage>();
  let onIdle: (() => void) | undefined;
  const server = http.createServer((req, res) => {
    if (draining) return refuse(res, 'The server is shutting down; send the request again');
    inFlight.set(res, req);
    res.once('close', () => {
      inFlight.delete(res);
      if (inFlight.size === 0) onIdle?.();
    });
    app(req, res);
  });
  // Idle keep-alive connections outlive the usual client and proxy timeouts (clients such as
  // undici close theirs first, per the Keep-Alive hint), so a client never sends on a socket
  // the server is closing at that moment (ECONNRESET).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  let hurry: () => void = () => undefined;
  const hurried = new Promise<void>((resolve) => (hurry = resolve));

  async function shutdown({ timeoutMs, interrupt }: ShutdownOptions): Promise<void> {
    draining = true;
    const closed = new Promise<void>((resolve) => server.once('close', () => resolve()));
    // net's close, not http's: http's would also close idle kept-alive connections at once, and a
    // request a client is sending on one right now would meet a reset instead of a 503.
    net.Server.prototype.close.call(server);
    // Responses still to come say `Connection: close`: kept-alive connections end with them.
    for (const res of inFlight.keys()) if (!res.headersSent) res.setHeader('Connection', 'close');
    logger.info({ inFlight: inFlight.size, timeoutMs }, 'shutdown: draining');
    const idle = new Promise<void>((resolve) => (onIdle = resolve));
    if (inFlight.size === 0) onIdle!();
    const timedOut = !(await settles(
      Promise.race([idle, hurried]).then(() => inFlight.size === 0),
      timeoutMs,
    ));
    if (timedOut || inFlight.size > 0) {
      logger.warn({ inFlight: inFlight.size, timeoutMs }, 'shutdown: timed out; rolling back what still runs');
      // A request whose body has not all arrived has not run: answered at once.
      for (const [res, req] of inFlight) if (!req.complete) refuse(res, 'The server shut down before the request arrived in full; send it again');
      await interrupt();
      if (!(await settles(idle, INTERRUPT_GRACE_MS))) {
        logger.error({ inFlight: inFlight.size }, 'shutdown: requests still unanswered after the interrupt; closing their connections');
        server.closeAllConnections();
      }
    }
    server.closeIdleConnections();
    await closed;
    // http's own close: stops its connection-checking timer (the listener is already closed).
    server.close();
  }

  return { server, shutdown, hurry: () => hurry() };
}

/** Whether `p` resolves to true within `ms`. */
async function settles(p: Promise<boolean | void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
  try {
    return (await Promise.race([p.then((v) => v !== false), timeout])) === true;
  } finally {
    clearTimeout(timer);
  }
}
