// Load generation and its figures: autocannon against the server over HTTP, and the same
// measurement (closed loop, fixed duration, per-request latency) of the database floor:
// the statements each request issued, replayed directly through `pg`.
import autocannon from 'autocannon';
import { Pool, type PoolClient } from 'pg';
import { sessionSettingsSql } from '../src/db/client';
import type { CapturedStatement } from './server-child';
import type { GqlRequest, Operation } from './ops';

export interface Figures {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

function figures(latencies: number[], seconds: number, errors: number): Figures {
  const s = [...latencies].sort((a, b) => a - b);
  return {
    requests: s.length,
    seconds,
    // Successful responses per second (a response with GraphQL errors does not count).
    rps: Math.max(0, s.length - errors) / seconds,
    p50: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    max: s[s.length - 1] ?? NaN,
    errors,
  };
}

export interface HttpTarget {
  url: string;
  viewerKey: string;
  editorKey: string;
}

function headers(t: HttpTarget, r: GqlRequest): Record<string, string> {
  return { 'content-type': 'application/json', authorization: `Bearer ${r.mutation ? t.editorKey : t.viewerKey}` };
}

/** One request with fetch: its parsed body (throws on GraphQL errors or a non-200). */
export async function send(t: HttpTarget, r: GqlRequest): Promise<Record<string, unknown>> {
  const res = await fetch(t.url, { method: 'POST', headers: headers(t, r), body: JSON.stringify({ query: r.query, variables: r.variables }) });
  const body = (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string; extensions?: { code?: string } }[] };
  if (res.status !== 200 || body.errors?.length) {
    throw new Error(`HTTP ${res.status}: ${JSON.stringify(body.errors ?? body).slice(0, 400)}`);
  }
  return body.data ?? {};
}

/** How long a measurement runs: a fixed duration, or a fixed number of requests (slow operations). */
export type Budget = { seconds: number } | { amount: number };

/**
 * autocannon at `connections` for the budget, every response's latency recorded (ms, from
 * hrtime). A response with GraphQL errors (HTTP 200 included) counts as an error.
 */
export async function httpLoad(t: HttpTarget, op: Operation, connections: number, budget: Budget): Promise<Figures> {
  const latencies: number[] = [];
  const requests = op.requests.map(({ request, vary }) => ({
    method: 'POST' as const,
    headers: headers(t, request),
    body: JSON.stringify({ query: request.query, variables: request.variables }),
    ...(vary
      ? {
          setupRequest: (req: autocannon.Request) => {
            const r = vary(0);
            return { ...req, body: JSON.stringify({ query: r.query, variables: r.variables }) };
          },
        }
      : {}),
  }));
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: t.url,
        connections,
        ...('seconds' in budget ? { duration: budget.seconds } : { amount: budget.amount }),
        requests,
        timeout: 60,
        verifyBody: (body) => typeof body === 'string' && !body.includes('"errors"'),
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      latencies.push(responseTime);
    });
  });
  return figures(latencies, result.duration, result.errors + result.timeouts + result.non2xx + result.mismatches);
}

/** What one request sent to PostgreSQL, ready to replay. */
export interface Replay {
  /** `name`: run as the server ran it, a named prepared statement. */
  statements: { text: string; values: unknown[]; name?: string }[];
  /** A write: replayed in a transaction that is rolled back (its ids would collide on commit). */
  write: boolean;
}

const TX = /^(BEGIN|COMMIT|ROLLBACK)\b/i;

/** Statements the resolvers issued (the API-key check is the HTTP layer's, not the operation's). */
export function toReplay(captured: CapturedStatement[], write: boolean): Replay {
  const statements = captured
    .filter((s) => !/"api_keys"/.test(s.query) && !TX.test(s.query.trim()))
    .map((s) => ({ text: s.query, values: parseParams(s.params), name: s.name }));
  return { statements, write };
}

function parseParams(params: string): unknown[] {
  try {
    const v = JSON.parse(params) as unknown;
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

/** Which statements of the captured request ran inside a transaction: replayed in one too. */
export function hasTransaction(captured: CapturedStatement[]): boolean {
  return captured.some((s) => /^BEGIN\b/i.test(s.query.trim()));
}

async function replayOne(client: PoolClient, r: Replay & { tx?: boolean }): Promise<void> {
  const tx = r.write || r.tx;
  if (tx) await client.query('BEGIN');
  try {
    for (const s of r.statements) await client.query({ name: s.name, text: s.text, values: s.values });
  } finally {
    if (tx) await client.query(r.write ? 'ROLLBACK' : 'COMMIT');
  }
}

/**
 * The floor: each worker replays the requests' statements in turn, in a closed loop for
 * `seconds`, one pooled connection per request (the server's pool size), timed per request.
 */
export async function floorLoad(url: string, poolSize: number, cycle: (Replay & { tx?: boolean })[], connections: number, budget: Budget): Promise<Figures> {
  // The server's session settings (JIT off), so that the same statements plan alike.
  const pool = new Pool({ connectionString: url, max: Math.min(poolSize, connections), onConnect: async (c) => void (await c.query(sessionSettingsSql())) });
  try {
    // Warm the connections (and their plan caches) first.
    await Promise.all(
      Array.from({ length: Math.min(poolSize, connections) }, async () => {
        const c = await pool.connect();
        try {
          for (const r of cycle) await replayOne(c, r);
        } finally {
          c.release();
        }
      }),
    );
    const latencies: number[] = [];
    let errors = 0;
    const start = performance.now();
    const until = 'seconds' in budget ? start + budget.seconds * 1000 : Infinity;
    let left = 'amount' in budget ? budget.amount : Infinity;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        let i = 0;
        while (performance.now() < until && left-- > 0) {
          const r = cycle[i++ % cycle.length];
          const t0 = performance.now();
          const c = await pool.connect();
          try {
            await replayOne(c, r);
            latencies.push(performance.now() - t0);
          } catch {
            errors += 1;
          } finally {
            c.release();
          }
        }
      }),
    );
    return figures(latencies, (performance.now() - start) / 1000, errors);
  } finally {
    await pool.end();
  }
}
