// A TCP proxy in front of a test database, to make the database "go away" and
// "come back" under a running server without touching the database itself.
import net from 'node:net';

export interface DbProxy {
  /** The database URL, through the proxy. */
  url: string;
  /** Starts accepting (again) on the same port. */
  up(): Promise<void>;
  /** Stops accepting and drops every open connection: the database is gone. */
  down(): Promise<void>;
  /**
   * Arms a one-shot cut timed on traffic: the first chunk a client sends that matches
   * `pattern` (e.g. the COMMIT of a transaction) is held back, `beforeCut` runs (to look
   * at the database while the transaction is still open), then the proxy goes down
   * without forwarding it. Resolves with what clients sent from arming to the cut.
   */
  cutBefore(pattern: RegExp, beforeCut?: () => Promise<void>): Promise<{ sent: string }>;
  close(): Promise<void>;
}

/** A TCP port nobody listens on now (on 127.0.0.1). */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A proxy to `targetUrl`'s host and port; it starts down. */
export async function createDbProxy(targetUrl: string): Promise<DbProxy> {
  const target = new URL(targetUrl);
  const port = await freePort();
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let armed: { pattern: RegExp; beforeCut?: () => Promise<void>; sent: string; done(r: { sent: string }): void; fail(e: unknown): void } | undefined;
  const url = new URL(targetUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  const down = async () => {
    const s = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    if (s) await new Promise<void>((r) => s.close(() => r()));
  };
  return {
    url: url.toString(),
    async up() {
      if (server) return;
      server = net.createServer((client) => {
        const upstream = net.connect(Number(target.port || 5432), target.hostname);
        sockets.add(client);
        sockets.add(upstream);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
        client.on('data', (chunk: Buffer) => {
          const cut = armed;
          if (cut) {
            const text = chunk.toString('latin1');
            if (cut.pattern.test(text)) {
              armed = undefined;
              client.pause();
              void (async () => cut.beforeCut?.())()
                .then(down)
                .then(() => cut.done({ sent: cut.sent }), cut.fail);
              return;
            }
            cut.sent += text;
          }
          upstream.write(chunk);
        });
        upstream.pipe(client);
      });
      await new Promise<void>((r) => server!.listen(port, '127.0.0.1', r));
    },
    down,
    cutBefore(pattern, beforeCut) {
      return new Promise((done, fail) => {
        armed = { pattern, beforeCut, sent: '', done, fail };
      });
    },
    close: down,
  };
}
