// Statement counting: every SQL statement sent (Prisma's and the raw reads') as an event, for the
// tests that prove there is no N+1 and for the benchmark's floor. Opt-in (createPrisma's
// countStatements): production does not pay for an event per query.

/** One SQL statement sent, for the benchmark's floor and the tests that count statements. */
export interface Statement {
  query: string;
  /** The parameters as a JSON array. */
  params: string;
  durationMs: number;
  /** The server-side prepared statement's name when it ran as one (raw reads, see prepared.ts). */
  name?: string;
}

/** The statements one handle has sent. */
export class Statements {
  private sent = 0;
  private readonly listeners: ((s: Statement) => void)[] = [];

  /** Number of SQL statements sent since start (Prisma's and the raw reads'); lets tests prove there is no N+1. */
  count(): number {
    return this.sent;
  }

  /** Calls `listener` after each statement (Prisma's query events and the raw reads alike). */
  listen(listener: (s: Statement) => void): void {
    this.listeners.push(listener);
  }

  /** Records one statement; `describe` runs only when someone listens. */
  record(describe: () => Statement): void {
    this.sent += 1;
    if (this.listeners.length) for (const l of this.listeners) l(describe());
  }
}
