// Read replicas for real: a throwaway PostgreSQL 15 primary and a streaming replica of it
// (test/support/cluster.ts), app servers with DATABASE_REPLICA_URLS pointing at the replica.
// Who served a read is read from the servers' statement logs (log_statement = all): the
// unique value a request carries shows up in the log of the server that ran it.
import crypto from 'node:crypto';
import { Client } from 'pg';
import type { ReplicaStatus } from '../../src/db/replicas';
import { startReplicatedCluster, type ReplicatedCluster } from '../support/cluster';
import { eventually } from '../support/eventually';
import { useBeforeAll } from '../support/hooks';
import { startTestServer, type TestServer } from '../support/server';

const DATABASE = 'att_test_replicas';
const SLOW = 240_000;

describe('read replicas', () => {
  /**
   * a and b: two instances on the same primary and replica, with a lag bound they never reach;
   * strict: a third that takes a replica out once it is more than a second behind.
   */
  const file = useBeforeAll(async (cleanup) => {
    const cluster = await startReplicatedCluster();
    cleanup(() => cluster.destroy());
    const database = await cluster.createDatabase(DATABASE);
    // The replica must have replayed the schema before it serves reads.
    await eventually(() => tableOnReplica(cluster), Boolean);
    const replicas = (maxLagSeconds: number) => ({ urls: [cluster.replicaUrl(DATABASE)], readYourWritesSeconds: 60, maxLagSeconds, checkIntervalMs: 200 });
    const server = async (maxLagSeconds: number) => {
      const started = await startTestServer({ seedOnStart: false, replicas: replicas(maxLagSeconds) }, { database });
      cleanup(() => started.stop());
      return started;
    };
    return { cluster, a: await server(3600), b: await server(3600), strict: await server(1) };
  }, SLOW);

  it('sends reads to the replica, raw SQL lists and Prisma model reads alike, and /ready reports it', async () => {
    expect((await ready(file.a)).replicas).toEqual([expect.objectContaining({ state: 'up', lagSeconds: 0 })]);
    const search = `needle-${crypto.randomUUID()}`;
    const id = crypto.randomUUID();
    const list = await file.a.gql(`{ actors(search: "${search}") { totalCount } }`);
    const one = await file.a.gql(`{ actor(id: "${id}") { id } }`);
    expect(list).toMatchObject({ status: 200, data: { actors: { totalCount: 0 } } });
    expect(one).toMatchObject({ status: 200, data: { actor: null } });
    await eventually(
      async () => file.cluster.replicaLog(),
      (log) => log.includes(search) && log.includes(id),
    );
    expect(file.cluster.replicaLog()).toContain(search);
    expect(file.cluster.replicaLog()).toContain(id);
    expect(file.cluster.primaryLog()).not.toContain(search);
    expect(file.cluster.primaryLog()).not.toContain(id);
  });

  it('keeps reads as of an instant on the primary (the instant is checked against its settled horizon)', async () => {
    const search = `asof-${crypto.randomUUID()}`;
    const res = await file.a.gql(`{ events(filter: { search: "${search}" }, asOf: "2020-01-01T00:00:00Z") { totalCount } }`);
    expect(res).toMatchObject({ status: 200, data: { events: { totalCount: 0 } } });
    await eventually(
      async () => file.cluster.primaryLog(),
      (log) => log.includes(search),
    );
    expect(file.cluster.replicaLog()).not.toContain(search);
  });

  it('reads your writes: within the writing request, and for the key on another instance, while the replica is behind', async () => {
    const { key } = await file.a.mintKey('EDITOR');
    const name = `written-${crypto.randomUUID()}`;
    await file.cluster.onReplica('SELECT pg_wal_replay_pause()');
    try {
      // The mutation's own selection reads back what it wrote.
      const created = await file.a.gql(`mutation { createActor(input: { name: "${name}", kind: STATE }) { name aliases } }`, undefined, {
        authorization: `Bearer ${key}`,
      });
      expect(created).toMatchObject({ status: 200, data: { createActor: { name, aliases: [name] } } });
      // The same key on instance B: B has no memory of the write, the marker is in PostgreSQL.
      const mine = await file.b.gql(`{ actors(search: "${name}") { totalCount } }`, undefined, { authorization: `Bearer ${key}` });
      expect(mine).toMatchObject({ status: 200, data: { actors: { totalCount: 1 } } });
      // Anyone else still reads from the replica, which has not replayed the write yet.
      expect((await ready(file.b)).replicas).toEqual([expect.objectContaining({ state: 'up' })]);
      const others = await file.b.gql(`{ actors(search: "${name}") { totalCount } }`);
      expect(others).toMatchObject({ status: 200, data: { actors: { totalCount: 0 } } });
    } finally {
      await file.cluster.onReplica('SELECT pg_wal_replay_resume()');
    }
    const caughtUp = await eventually(
      () => file.b.gql(`{ actors(search: "${name}") { totalCount } }`),
      (r) => r.data?.actors.totalCount === 1,
    );
    expect(caughtUp.data.actors.totalCount).toBe(1);
  });

  it('takes a replica that lags beyond the bound out of rotation (the primary serves reads) and puts it back once caught up', async () => {
    const name = `lagging-${crypto.randomUUID()}`;
    await file.cluster.onReplica('SELECT pg_wal_replay_pause()');
    try {
      expect((await file.a.gql(`mutation { createActor(input: { name: "${name}", kind: STATE }) { id } }`)).status).toBe(200);
      const out = await eventually(
        () => ready(file.strict),
        (r) => r.replicas![0]!.state === 'lagging',
      );
      expect(out.replicas![0]).toMatchObject({ state: 'lagging' });
      expect(out.replicas![0]!.lagSeconds).toBeGreaterThan(1);
      expect(out.status).toBe('ready');
      // No replica in rotation: the primary answers, with the write the replica has not replayed.
      const read = await file.strict.gql(`{ actors(search: "${name}") { totalCount } }`);
      expect(read).toMatchObject({ status: 200, data: { actors: { totalCount: 1 } } });
    } finally {
      await file.cluster.onReplica('SELECT pg_wal_replay_resume()');
    }
    const back = await eventually(
      () => ready(file.strict),
      (r) => r.replicas![0]!.state === 'up',
    );
    expect(back.replicas![0]).toMatchObject({ state: 'up', lagSeconds: 0 });
  });

  it(
    'keeps answering when the replica stops mid-run (the primary takes over), and uses it again once it is back',
    async () => {
      const failures: string[] = [];
      let requests = 0;
      let running = true;
      // Steady traffic of both kinds of read while the replica goes away.
      const traffic = (async () => {
        while (running) {
          for (const query of [`{ actors(search: "traffic") { totalCount } }`, `{ sources { id } }`, `{ actor(id: "${crypto.randomUUID()}") { id } }`]) {
            const res = await file.a.gql(query);
            requests += 1;
            if (res.status !== 200 || res.errors) failures.push(`${res.status} ${JSON.stringify(res.errors)}`);
          }
        }
      })();
      try {
        await eventually(
          async () => requests,
          (n) => n >= 6,
        );
        await file.cluster.stopReplica();
        const down = await eventually(
          () => ready(file.a),
          (r) => r.replicas![0]!.state === 'down',
        );
        expect(down.replicas![0]).toMatchObject({ state: 'down', lagSeconds: null });
        expect(down.status).toBe('ready');
        const after = requests;
        await eventually(
          async () => requests,
          (n) => n >= after + 6,
        );
      } finally {
        running = false;
        await traffic;
      }
      expect(failures).toEqual([]);

      await file.cluster.startReplica();
      const back = await eventually(
        () => ready(file.a),
        (r) => r.replicas![0]!.state === 'up',
      );
      expect(back.replicas![0]).toMatchObject({ state: 'up' });
      const search = `again-${crypto.randomUUID()}`;
      expect((await file.a.gql(`{ actors(search: "${search}") { totalCount } }`)).status).toBe(200);
      const log = await eventually(
        async () => file.cluster.replicaLog(),
        (l) => l.includes(search),
      );
      expect(log).toContain(search);
      expect(file.cluster.primaryLog()).not.toContain(search);
    },
    SLOW,
  );
});

async function ready(server: TestServer): Promise<{ status: string; replicas?: ReplicaStatus[] }> {
  const res = await fetch(server.url.replace(/\/graphql$/, '/ready'));
  return (await res.json()) as { status: string; replicas?: ReplicaStatus[] };
}

async function tableOnReplica(cluster: ReplicatedCluster): Promise<boolean> {
  const c = new Client({ connectionString: cluster.replicaUrl(DATABASE) });
  try {
    await c.connect();
    const { rows } = await c.query<{ t: string | null }>(`SELECT to_regclass('public.rate_limits')::text AS t`);
    return rows[0]!.t !== null;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}
