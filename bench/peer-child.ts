// The peer of `npm run bench -- --peer` (issue #7): PostGraphile 5 with @graphile/pg-aggregates
// serving the same benchmark database, in its own process like our server (bench/server-child.ts,
// whose IPC messages it answers, so the benchmark drives both alike). Dev dependencies only:
// nothing in src/ imports PostGraphile.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PgAggregatesPreset, type AggregateGroupBySpec } from '@graphile/pg-aggregates';
import { postgraphile } from 'postgraphile';
import { PEER_SCHEMA } from './peer';
import { benchmarkIpc } from './children';

// Subpath exports, which this project's moduleResolution ("node") does not read: required by
// their exported names at run time, typed from the files they point to.
/* eslint-disable @typescript-eslint/no-require-imports -- subpath exports, as said above */
const { makePgService } = require('postgraphile/adaptors/pg') as typeof import('@dataplan/pg/dist/adaptors/pg');
const { grafserv } = require('postgraphile/grafserv/node') as typeof import('grafserv/dist/servers/node');
const { PostGraphileAmberPreset } = require('postgraphile/presets/amber') as typeof import('postgraphile/dist/presets/amber');
/* eslint-enable @typescript-eslint/no-require-imports */

// pg-aggregates groups timestamps by hour or day only; our spans are dates, and the report
// compared with it is monthly. Its README's way to add a derivative, as a PostGraphile 5 plugin.
const MonthGroupByPlugin: GraphileConfig.Plugin = {
  name: 'BenchMonthGroupByPlugin',
  version: '0.0.0',
  after: ['PgAggregatesSpecsPlugin'],
  schema: {
    hooks: {
      build(build) {
        const { sql, dataplanPg } = build as typeof build & { sql: NonNullable<typeof build.sql>; dataplanPg: NonNullable<typeof build.dataplanPg> };
        const month: AggregateGroupBySpec = {
          id: 'truncated-to-month',
          isSuitableType: (codec) => codec === dataplanPg.TYPES.date,
          sqlWrap: (frag) => sql`date_trunc('month', ${frag})::date`,
          sqlWrapCodec: (codec) => codec,
        };
        const b = build as typeof build & { pgAggregateGroupBySpecs: AggregateGroupBySpec[] };
        b.pgAggregateGroupBySpecs = [...b.pgAggregateGroupBySpecs, month];
        return build;
      },
    },
  },
};

// PostGraphile 5.1 calls Promise.withResolvers (Node 22); this project runs Node 20, where
// every data query would fail with "Cannot read properties of undefined (reading 'items')".
const promiseStatics = Promise as unknown as {
  withResolvers?: () => { promise: Promise<unknown>; resolve: (v: unknown) => void; reject: (e: unknown) => void };
};
promiseStatics.withResolvers ??= () => {
  let resolve!: (v: unknown) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

async function main(): Promise<void> {
  const preset: GraphileConfig.Preset = {
    extends: [PostGraphileAmberPreset, PgAggregatesPreset],
    plugins: [MonthGroupByPlugin],
    pgServices: [
      makePgService({
        connectionString: process.env.PEER_DATABASE_URL,
        schemas: ['public', PEER_SCHEMA],
        poolConfig: { max: Number(process.env.PEER_POOL_SIZE ?? 10) },
      }),
    ],
    grafserv: { graphqlPath: '/graphql', graphiql: false },
    grafast: { explain: false },
  };
  const pgl = postgraphile(preset);
  await pgl.getSchema();
  const serv = pgl.createServ(grafserv);
  const server = createServer();
  await serv.addTo(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  benchmarkIpc(`http://127.0.0.1:${port}/graphql`, () => {
    server.close();
    void Promise.resolve(pgl.release()).finally(() => process.exit(0));
  });
}

main().catch((err) => {
  process.send?.({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exit(1);
});
