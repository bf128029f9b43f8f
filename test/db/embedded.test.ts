// The embedded PostgreSQL's lifecycle (src/db/embedded.ts) with real postmasters: made once, kept
// between runs, stopped by its pid; a password on 127.0.0.1 only; the owner rules inside one
// process (another server refuses, a command joins a server's cluster, nobody shares a command's);
// stale and corrupt lock and owner files. Rules across real processes: owner.test.ts.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { useClusterDir } from '../support/hooks';
import { EmbeddedDatabaseError, alive, openEmbeddedPostgres, readOwner, type EmbeddedPostgres } from '../../src/db/embedded';

// initdb and a first start take seconds on a busy 2-core machine.
const TIMEOUT = 180_000;

const started: EmbeddedPostgres[] = [];
const tmp = useClusterDir('att-embedded-', async () => {
  for (const pg of started) await pg.stop();
});

const open = async (dataDir: string, role: 'server' | 'cli', command?: string) => {
  const pg = await openEmbeddedPostgres({ dataDir, role, command, noSync: true });
  started.push(pg);
  return pg;
};

/** Stops `pg` and expects its postmaster gone. */
async function stopAndExpectGone(pg: EmbeddedPostgres): Promise<void> {
  await pg.stop();
  expect(alive(pg.pid)).toBe(false);
}

async function query<T extends object>(url: string, sql: string): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

it(
  'makes the cluster once, keeps its data between runs, and stops by pid',
  async () => {
    const dir = path.join(tmp.root, 'kept');
    const first = await open(dir, 'server');
    expect(first.owner).toBe(true);
    expect(alive(first.pid)).toBe(true);
    expect(readOwner(dir)).toMatchObject({ pid: process.pid, role: 'server', postmasterPid: first.pid });
    await query(first.url, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
    await stopAndExpectGone(first);
    expect(readOwner(dir)).toBeUndefined();

    const second = await open(dir, 'server');
    expect(second.pid).not.toBe(first.pid);
    expect(await query(second.url, 'SELECT v FROM kept')).toEqual([{ v: 'still here' }]);
    await stopAndExpectGone(second);
  },
  TIMEOUT,
);

it(
  'is PostgreSQL 18 with UTF-8, UTC, the extensions the migrations need (trigrams of non-ASCII words), and a password',
  async () => {
    const pg = await open(path.join(tmp.root, 'features'), 'server');
    try {
      await query(pg.url, 'CREATE EXTENSION pg_trgm; CREATE EXTENSION unaccent');
      const [row] = await query<Record<string, string>>(
        pg.url,
        `SELECT current_setting('server_version_num') AS version, current_setting('server_encoding') AS encoding,
              current_setting('TimeZone') AS tz, similarity('Шойгу', 'шойгу')::text AS trgm, unaccent('Ким Чен Ын, Pyongyang–Vostochny é') AS plain,
              upper('ä') AS upper`,
      );
      expect(Number(row.version)).toBeGreaterThanOrEqual(180000);
      expect(row).toMatchObject({ encoding: 'UTF8', tz: 'UTC', trgm: '1', plain: 'Ким Чен Ын, Pyongyang-Vostochny e', upper: 'Ä' });
      // Only with the generated password: another local user cannot connect as the superuser.
      const url = new URL(pg.url);
      url.password = '';
      await expect(query(url.toString(), 'SELECT 1')).rejects.toThrow(/password/);
      url.password = 'guess';
      await expect(query(url.toString(), 'SELECT 1')).rejects.toThrow(/password authentication failed/);
      expect(url.hostname).toBe('127.0.0.1');
    } finally {
      await pg.stop();
    }
  },
  TIMEOUT,
);

it(
  'as root it runs as the postgres user, which must be able to enter the data directory; as anyone else, as that user',
  async () => {
    const dir = fs.mkdtempSync(path.join(tmp.root, 'private-')); // mode 0700
    const uidOf = (pid: number) => Number(/^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
    if (process.getuid!() === 0) {
      const refusal = await open(path.join(dir, 'pg'), 'server').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(refusal).toBeInstanceOf(EmbeddedDatabaseError);
      expect((refusal as Error).message).toContain(`cannot enter ${dir} (mode 0700, owner uid 0)`);
      fs.chmodSync(dir, 0o755);
      const pg = await open(path.join(dir, 'pg'), 'server');
      expect(uidOf(pg.pid)).toBe(Number(execFileSync('id', ['-u', 'postgres']).toString()));
      expect(fs.statSync(path.join(dir, 'pg', 'cluster')).uid).toBe(uidOf(pg.pid));
      await pg.stop();
    } else {
      const pg = await open(path.join(dir, 'pg'), 'server');
      expect(uidOf(pg.pid)).toBe(process.getuid!());
      await pg.stop();
    }
  },
  TIMEOUT,
);

describe('one owner', () => {
  it(
    "a server's cluster: another server is refused, naming it; a command joins it and leaves it running",
    async () => {
      const dir = path.join(tmp.root, 'server-owned');
      const server = await open(dir, 'server', 'the first server');
      const refusal = await open(dir, 'server').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(refusal).toBeInstanceOf(EmbeddedDatabaseError);
      expect((refusal as Error).message).toMatch(new RegExp(`in use by a running server: pid ${process.pid} \\(the first server`));
      expect((refusal as Error).message).toContain(`kill -TERM ${process.pid}`);

      const cli = await open(dir, 'cli');
      expect({ owner: cli.owner, pid: cli.pid }).toEqual({ owner: false, pid: server.pid });
      expect(await query(cli.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
      await cli.stop();
      expect(alive(server.pid)).toBe(true);
      await server.stop();
    },
    TIMEOUT,
  );

  it(
    "a command's cluster: a server and another command are refused, naming it",
    async () => {
      const dir = path.join(tmp.root, 'cli-owned');
      const cli = await open(dir, 'cli', 'npm run import -- big.ndjson');
      for (const role of ['server', 'cli'] as const) {
        const refusal = await open(dir, role).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(refusal).toBeInstanceOf(EmbeddedDatabaseError);
        expect((refusal as Error).message).toContain(
          `in use by a command that started it because no server was running: pid ${process.pid} (npm run import -- big.ndjson`,
        );
      }
      await stopAndExpectGone(cli);
    },
    TIMEOUT,
  );

  it(
    'two starts at once on a fresh directory: one cluster, one owner; the other is told who has it',
    async () => {
      const dir = path.join(tmp.root, 'race');
      const results = await Promise.allSettled([open(dir, 'server', 'racer'), open(dir, 'server', 'racer')]);
      const won = results.filter((r): r is PromiseFulfilledResult<EmbeddedPostgres> => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect([won.length, lost.length]).toEqual([1, 1]);
      expect(lost[0].reason).toBeInstanceOf(EmbeddedDatabaseError);
      expect(lost[0].reason.message).toContain('in use by a running server');
      expect(readOwner(dir)).toMatchObject({ postmasterPid: won[0].value.pid });
      expect(fs.readdirSync(dir).filter((f) => f.startsWith('cluster'))).toEqual(['cluster']);
      await won[0].value.stop();
    },
    TIMEOUT,
  );

  it(
    'a corrupt owner record, and a lock file naming a live process that is not PostgreSQL: both stale, the start goes on',
    async () => {
      const dir = path.join(tmp.root, 'stale');
      const first = await open(dir, 'server');
      await first.stop();
      fs.writeFileSync(path.join(dir, 'owner.json'), '{"pid": 12'); // cut short
      // A live process that is not a postmaster holds the pid the lock file names.
      const sleeper = spawn('sleep', ['60']);
      try {
        const lock = `${sleeper.pid}\n${path.join(dir, 'cluster')}\n1700000000\n5432\n\n127.0.0.1\n  1234  5678\nready   \n`;
        fs.writeFileSync(path.join(dir, 'cluster', 'postmaster.pid'), lock);
        const next = await open(dir, 'server');
        expect(next.pid).not.toBe(sleeper.pid);
        expect(readOwner(dir)).toMatchObject({ pid: process.pid, postmasterPid: next.pid });
        expect(await query(next.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
        await next.stop();
      } finally {
        sleeper.kill('SIGKILL');
      }
    },
    TIMEOUT,
  );
});
