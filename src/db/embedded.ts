// The embedded default: PostgreSQL compiled to WASM (PGlite), served over the
// wire protocol on a local port so that `pg` and Prisma connect to it like to
// any PostgreSQL. It runs one query at a time: the app uses a pool of one.
import fs from 'node:fs';
import { PGlite, type Extension } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

// The contrib entry points ship CommonJS builds, but their type declarations are
// only reachable under ESM resolution; require() them with their declared shape.
/* eslint-disable @typescript-eslint/no-require-imports */
const { pg_trgm } = require('@electric-sql/pglite/contrib/pg_trgm') as { pg_trgm: Extension };
const { unaccent } = require('@electric-sql/pglite/contrib/unaccent') as { unaccent: Extension };

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/** `dataDir`: a directory kept between runs, or undefined for an in-memory database (tests). */
export async function startEmbeddedPostgres(opts: { dataDir?: string; port?: number }): Promise<EmbeddedPostgres> {
  if (opts.dataDir) fs.mkdirSync(opts.dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: opts.dataDir, extensions: { pg_trgm, unaccent } });
  // node-postgres' pool drops a connection after a failed query and opens a new one
  // at once, before the server has noticed the old one closing: allow a few
  // connections (PGlite still runs their queries one at a time) so the new one
  // is not refused. The app itself keeps a pool of one (see database.ts).
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: opts.port ?? 0, maxConnections: 8 });
  await server.start();
  // getServerConn() gives "host:port" with the port actually bound (port 0 picks a free one).
  const url = `postgresql://postgres:postgres@${server.getServerConn()}/postgres?sslmode=disable`;
  return {
    url,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
