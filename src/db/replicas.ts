// Read replicas (DATABASE_REPLICA_URLS): streaming standbys of the primary that serve reads.
//
// - Prisma model reads outside transactions go to a replica through Prisma's read-replicas
//   extension; writes and transactions stay on the primary (the extension's rules).
// - Raw read-only SQL (lists, timeline, reports) goes through onReplica(), the same rotation.
// - A periodic check takes a replica that is down or lags more than maxLagSeconds out of
//   rotation and puts it back once healthy. The extension only knows a fixed list of clients,
//   so the routing client is rebuilt (one cheap $extends) whenever the healthy set changes.
// - A replica that fails under a read (stopped, restarting) is taken out at once and that read
//   runs again on the primary: reads are idempotent, and the client never sees the fault.
import { readReplicas } from '@prisma/extension-read-replicas';
import type { Logger } from 'pino';
import type { PrismaClient } from '../generated/prisma/client';
import { createPrisma, door, type Db, type DbHandle, type ReplicaReads } from './client';
import type { RawReader } from './rawReader';
import { databaseFault } from './faults';

export type ReplicaState = 'starting' | 'up' | 'lagging' | 'down';

export interface ReplicaStatus {
  /** host:port/database of the replica (never its credentials). */
  name: string;
  state: ReplicaState;
  /** Seconds of replay lag at the last check (0: caught up with the primary); null if unknown. */
  lagSeconds: number | null;
  checkedAt: string | null;
  error?: string;
}

export interface ReplicaOptions {
  maxLagSeconds: number;
  checkIntervalMs: number;
  poolSize: number;
  statementTimeoutMs?: number;
}

interface Replica {
  status: ReplicaStatus;
  handle: DbHandle;
  /** The replica's client as given to the extension: falls back to the primary on a fault. */
  routed: PrismaClient;
}

/** A stopped or unreachable replica must not hold a request for long before the primary answers. */
const REPLICA_CONNECT_TIMEOUT_MS = 3_000;

// Caught up when it has replayed everything the primary had written when the check began;
// otherwise the lag is the age of the last transaction it replayed (PostgreSQL's own measure).
const LAG_SQL = `SELECT pg_is_in_recovery() AS standby,
  COALESCE(pg_last_wal_replay_lsn() >= $1::pg_lsn, pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn(), false) AS caught_up,
  EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8 AS lag`;

export class ReplicaSet implements ReplicaReads {
  private readonly replicas: Replica[];
  /** The door for reads now (see reads()). */
  private routing: Db;
  /** The replicas' clients inside `routing`. */
  private members: PrismaClient[] = [];
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;
  private logger: Logger | undefined;

  constructor(
    private readonly primary: DbHandle,
    urls: string[],
    private readonly opts: ReplicaOptions,
  ) {
    this.replicas = urls.map((url) => {
      const handle = createPrisma(url, opts.poolSize, {
        statementTimeoutMs: opts.statementTimeoutMs,
        connectionTimeoutMs: REPLICA_CONNECT_TIMEOUT_MS,
        prepare: true,
      });
      const replica = { status: { name: replicaName(url), state: 'starting', lagSeconds: null, checkedAt: null }, handle } as Replica;
      replica.routed = this.withFallback(replica);
      return replica;
    });
    this.routing = primary;
  }

  /** The door for reads now: the primary's client extended with the replicas in rotation, raw reads on them too; or the primary alone. */
  reads(): Db {
    return this.routing;
  }

  statuses(): ReplicaStatus[] {
    return this.replicas.map((r) => ({ ...r.status }));
  }

  /** Checks every replica now, then every checkIntervalMs (unref'd: it never keeps the process alive). */
  async start(logger?: Logger): Promise<void> {
    this.logger = logger;
    await this.check();
    this.timer = setInterval(() => void this.check(), this.opts.checkIntervalMs);
    this.timer.unref();
  }

  /** One round of health checks (a round still running is awaited, not doubled). */
  check(): Promise<void> {
    this.checking ??= this.checkAll().finally(() => (this.checking = undefined));
    return this.checking;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.checking;
    await Promise.all(this.replicas.map((r) => r.handle.close()));
  }

  /** Runs `run` on a replica in rotation (the primary if none); a replica that fails is taken out and the primary answers. */
  async run<T>(run: (client: RawReader) => Promise<T>): Promise<T> {
    const healthy = this.replicas.filter((r) => r.status.state === 'up');
    const replica = healthy[Math.floor(Math.random() * healthy.length)];
    if (!replica) return run(this.primary.raw);
    try {
      return await run(replica.handle.raw);
    } catch (err) {
      if (databaseFault(err) !== 'unavailable') throw err;
      this.markDown(replica, err);
      return run(this.primary.raw);
    }
  }

  private async checkAll(): Promise<void> {
    let primaryLsn: string | null = null;
    try {
      primaryLsn = (await this.primary.pool.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]?.lsn ?? null;
    } catch {
      // Primary unreachable: judge each replica by what it has received.
    }
    await Promise.all(this.replicas.map((r) => this.checkOne(r, primaryLsn)));
    this.rebuild();
  }

  private async checkOne(replica: Replica, primaryLsn: string | null): Promise<void> {
    const status = replica.status;
    const before = status.state;
    try {
      const { rows } = await replica.handle.pool.query<{ standby: boolean; caught_up: boolean; lag: number | null }>(LAG_SQL, [primaryLsn]);
      const row = rows[0]!;
      // A server that is not a standby (promoted, or misconfigured) has no lag to speak of.
      const lag = !row.standby || row.caught_up ? 0 : (row.lag ?? 0);
      // The state is decided on the figure /ready reports, so the two never disagree.
      status.lagSeconds = Math.round(lag * 1000) / 1000;
      status.state = status.lagSeconds > this.opts.maxLagSeconds ? 'lagging' : 'up';
      delete status.error;
    } catch (err) {
      status.state = 'down';
      status.lagSeconds = null;
      status.error = errorText(err);
    }
    status.checkedAt = new Date().toISOString();
    if (status.state !== before) this.logChange(status, before);
  }

  private markDown(replica: Replica, err: unknown): void {
    if (replica.status.state === 'down') return;
    const before = replica.status.state;
    Object.assign(replica.status, { state: 'down', lagSeconds: null, error: errorText(err), checkedAt: new Date().toISOString() });
    this.logChange(replica.status, before);
    this.rebuild();
  }

  private logChange(status: ReplicaStatus, before: ReplicaState): void {
    const entry = { replica: status.name, from: before, to: status.state, lagSeconds: status.lagSeconds, error: status.error };
    if (status.state === 'up') this.logger?.info(entry, 'replica in rotation');
    else this.logger?.warn(entry, 'replica out of rotation');
  }

  /** A new routing client over the replicas now in rotation (the extension needs at least one). */
  private rebuild(): void {
    const healthy = this.replicas.filter((r) => r.status.state === 'up').map((r) => r.routed);
    if (healthy.length === this.members.length && healthy.every((c) => this.members.includes(c))) return;
    this.members = healthy;
    // The extension's types want the generated PrismaClient; ours is that client, extended.
    this.routing = healthy.length
      ? door(this.primary.prisma.$extends(readReplicas({ replicas: healthy as never[] })) as unknown as PrismaClient, this.primary.raw, this)
      : this.primary;
  }

  /** The replica's client for the extension: a read that meets a fault runs again on the primary. */
  private withFallback(replica: Replica): PrismaClient {
    const primary = this.primary.prisma as unknown as Record<string, Record<string, (args: unknown) => Promise<unknown>>>;
    return replica.handle.prisma.$extends({
      query: {
        $allModels: {
          $allOperations: async ({ model, operation, args, query }) => {
            try {
              return await query(args);
            } catch (err) {
              if (databaseFault(err) !== 'unavailable') throw err;
              this.markDown(replica, err);
              return primary[model.charAt(0).toLowerCase() + model.slice(1)]![operation]!(args);
            }
          },
        },
      },
    }) as unknown as PrismaClient;
  }
}

/**
 * Runs read-only raw SQL where `db` sends its reads: on a replica in rotation when `db` is a
 * routing door (see ReplicaSet.reads()), otherwise on its raw reader (the primary).
 * A read as of an instant (`asOf`) stays on the primary: the instant was checked against the
 * primary's settled horizon, which a replica may not have replayed yet.
 */
export function onReplica<T>(db: Db, run: (client: RawReader) => Promise<T>, asOf?: string | null): Promise<T> {
  const replicas = asOf ? undefined : db.readReplicas;
  return replicas ? replicas.run(run) : run(db.raw);
}

/** Whether a key that last wrote at `lastWriteAt` still reads from the primary (read-your-writes). */
export function readsFromPrimary(lastWriteAt: Date | null | undefined, windowSeconds: number, now = Date.now()): boolean {
  return Boolean(lastWriteAt) && now - lastWriteAt!.getTime() < windowSeconds * 1000;
}

function replicaName(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'replica';
  }
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 200);
}
