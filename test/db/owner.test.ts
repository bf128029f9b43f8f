// One owner for the embedded data directory, with real processes as `npm start` and `npm run …`
// run them: a command beside a running server works through the server's PostgreSQL (a key it
// makes works at once over HTTP; import, export and report run concurrently); a second server
// refuses, naming the first; a server killed with SIGKILL leaves its PostgreSQL behind, which the
// next start stops by its pid; a command that started the database itself keeps servers and other
// commands out until it is done; two servers starting at once: one runs, the other says who.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readOwner } from '../../src/db/embedded';
import { eventually } from '../support/eventually';
import { useClusterDir } from '../support/hooks';
import { gqlAt } from '../support/server';
import { ROOT, alive, runCli, spawnNode, startServerProcess, type ServerProcess } from '../support/process';

const TIMEOUT = 240_000;
const SMALL = path.join(ROOT, 'test/fixtures/ingest/small.ndjson');

const processes: ServerProcess[] = [];
const tmp = useClusterDir('att-owner-', async (root) => {
  for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  // Whatever a killed server left behind: stopped by its pid.
  for (const dir of fs.existsSync(root) ? fs.readdirSync(root) : []) {
    const lock = path.join(root, dir, 'cluster', 'postmaster.pid');
    if (fs.existsSync(lock)) {
      const pid = Number(fs.readFileSync(lock, 'utf8').split('\n')[0]);
      if (alive(pid)) process.kill(pid, 'SIGINT');
      await eventually(
        async () => alive(pid),
        (a) => !a,
        30_000,
      );
    }
  }
});

const env = (dataDir: string) => ({ EMBEDDED_DATA_DIR: dataDir });

async function server(dataDir: string, extra: Record<string, string> = {}) {
  const s = await startServerProcess({ ...env(dataDir), ...extra });
  processes.push(s);
  return s;
}

describe('beside a running server', () => {
  const dataDir = () => path.join(tmp.root, 'beside');
  let first: Awaited<ReturnType<typeof server>>;
  let postmaster: number;

  beforeAll(async () => {
    first = await server(dataDir(), { SEED_ON_START: 'true' });
    postmaster = readOwner(dataDir())!.postmasterPid;
  }, TIMEOUT);

  it(
    '`keys create` prints a key that works at once over HTTP',
    async () => {
      const run = await runCli('keys', ['create', '--role', 'editor', '--label', 'made beside the server'], env(dataDir()));
      expect(run.code).toBe(0);
      const key = /att_[\w-]+/.exec(run.stdout)?.[0];
      expect(key).toBeDefined();
      const res = await gqlAt(first.url, 'mutation { createSource(input: { publisher: "Beside", title: "the server" }) { id } }', key);
      expect({ status: res.status, errors: res.errors }).toEqual({ status: 200, errors: undefined });
      // (without a key the mutation is refused: the key is what let it in)
      expect((await gqlAt(first.url, 'mutation { createSource(input: { publisher: "No", title: "key" }) { id } }')).status).toBe(401);
    },
    TIMEOUT,
  );

  it(
    'import, export and report run at the same time, on the same PostgreSQL as the server',
    async () => {
      const [imported, exported, reported] = await Promise.all([
        runCli('import', [SMALL, '--quiet'], env(dataDir())),
        runCli('export', ['--format', 'ndjson', '--kind', 'actor'], env(dataDir())),
        runCli('report', ['--from', '2023-01-01', '--to', '2023-12-31'], env(dataDir())),
      ]);
      expect([imported.code, exported.code, reported.code]).toEqual([0, 0, 0]);
      expect(exported.stdout).toContain('"kind":"actor"');
      expect(reported.stdout).toContain('Shipments 2023-01-01');
      // the server reads what the import wrote, at once
      const res = await gqlAt(first.url, '{ actors(search: "Choïgou") { edges { node { name } } } }');
      expect(res.data.actors.edges.map((e: { node: { name: string } }) => e.node.name)).toContain('Sergueï Choïgou');
      // and the server's PostgreSQL is the only one: the commands joined it
      expect(readOwner(dataDir())).toMatchObject({ pid: first.pid, role: 'server', postmasterPid: postmaster });
      expect(alive(postmaster)).toBe(true);
    },
    TIMEOUT,
  );

  it(
    'a second server refuses at once, naming the running one and what to do',
    async () => {
      const second = spawnNode('src/server.ts', [], { ...env(dataDir()), PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'development' });
      processes.push(second);
      const { code } = await second.exited;
      expect(code).toBe(1);
      expect(second.output()).toContain(`is in use by a running server: pid ${first.pid} (src/server.ts`);
      expect(second.output()).toContain(`kill -TERM ${first.pid}`);
      expect(second.output()).not.toMatch(/\n\s+at /); // a message, not a stack trace
    },
    TIMEOUT,
  );

  it(
    'a server killed with SIGKILL leaves its PostgreSQL behind; the next start stops it by pid and runs',
    async () => {
      first.child.kill('SIGKILL');
      await first.exited;
      expect(alive(postmaster)).toBe(true);
      const next = await server(dataDir());
      const owner = readOwner(dataDir())!;
      expect(owner).toMatchObject({ pid: next.pid, role: 'server' });
      expect(owner.postmasterPid).not.toBe(postmaster);
      expect(alive(postmaster)).toBe(false);
      expect(next.output()).toContain(`stopping PostgreSQL pid ${postmaster} left running by pid ${first.pid}`);
      // the data survived the kill
      const keys = await runCli('keys', ['list'], env(dataDir()));
      expect(keys.stdout).toContain('made beside the server');
      // and a clean stop leaves nothing running
      next.child.kill('SIGTERM');
      expect((await next.exited).code).toBe(0);
      expect(alive(owner.postmasterPid)).toBe(false);
      expect(readOwner(dataDir())).toBeUndefined();
    },
    TIMEOUT,
  );
});

it(
  'a command that started the database itself keeps a server and other commands out until it is done, then stops it',
  async () => {
    const dataDir = path.join(tmp.root, 'cli-owned');
    // An import whose input is a named pipe: it holds the database until this test writes the
    // records (--format given: it reads its input once, where detecting the format reads it twice).
    const fifo = path.join(tmp.root, 'records.ndjson');
    execFileSync('mkfifo', [fifo]);
    const importing = spawnNode('src/cli/import.ts', [fifo, '--format', 'ndjson', '--quiet'], env(dataDir));
    processes.push(importing);
    const owner = await eventually(
      async () => readOwner(dataDir),
      (o) => o?.role === 'cli',
      120_000,
    );
    expect(owner).toMatchObject({ pid: importing.pid, role: 'cli' });

    const refused = spawnNode('src/server.ts', [], { ...env(dataDir), PORT: '0', NODE_ENV: 'development' });
    processes.push(refused);
    expect((await refused.exited).code).toBe(1);
    expect(refused.output()).toContain(`in use by a command that started it because no server was running: pid ${importing.pid} (src/cli/import.ts`);
    const keys = await runCli('keys', ['list'], env(dataDir));
    expect(keys.code).toBe(1);
    expect(keys.output).toContain(`pid ${importing.pid} (src/cli/import.ts`);
    expect(keys.output).toContain('commands run while a server is running (npm start) share its database');

    await fs.promises.writeFile(fifo, fs.readFileSync(SMALL));
    expect((await importing.exited).code).toBe(0);
    expect(alive(owner!.postmasterPid)).toBe(false);
    expect(readOwner(dataDir)).toBeUndefined();
    // and now a server starts, with what the import wrote
    const s = await server(dataDir);
    const res = await gqlAt(s.url, '{ actors(search: "Choïgou") { totalCount } }');
    expect(res.data.actors.totalCount).toBe(1);
    s.child.kill('SIGTERM');
    expect((await s.exited).code).toBe(0);
  },
  TIMEOUT,
);

it(
  'two servers starting at once on a fresh directory: one runs, the other refuses naming it',
  async () => {
    const dataDir = path.join(tmp.root, 'race');
    const racers = [0, 1].map(() =>
      spawnNode('src/server.ts', [], { ...env(dataDir), PORT: '0', HOST: '127.0.0.1', NODE_ENV: 'development', SEED_ON_START: 'false' }),
    );
    processes.push(...racers);
    const outcome = await Promise.race(racers.map((r, i) => r.exited.then(() => i)));
    const loser = racers[outcome];
    const winner = racers[1 - outcome];
    expect((await loser.exited).code).toBe(1);
    expect(loser.output()).toContain(`in use by a running server: pid ${winner.pid}`);
    expect(await winner.waitFor(/"msg":"server ready"/)).not.toBeNull();
    const postmaster = readOwner(dataDir)!.postmasterPid;
    winner.child.kill('SIGTERM');
    expect((await winner.exited).code).toBe(0);
    expect(alive(postmaster)).toBe(false);
  },
  TIMEOUT,
);
