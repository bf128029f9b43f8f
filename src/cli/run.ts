// The one runner of the commands in src/cli: it parses the arguments, prints the usage for --help
// or after a usage error, runs the command and sets the exit status, so that each command is only
// its options and a thin shell over the services. The knobs keep each command's long-standing
// statuses and wording (scripts and tests rely on them).

/** Bad arguments: printed with the usage, never with a stack. */
export class UsageError extends Error {}

export interface Command<O> {
  /** What --help prints (standard output), and what follows a usage error's message (standard error). */
  usage?: string;
  /** The options from the arguments, or null for --help. Anything it throws is a usage error. */
  parse?(argv: string[]): O | null;
  /** Runs the command; resolves to its exit status (nothing: 0). A UsageError it throws is printed as parse's. */
  run(opts: O): Promise<number | void>;
  /** The exit status of a usage error (default 2). */
  usageStatus?: number;
  /** Between a usage error's message and the usage (default a blank line). */
  usageGap?: string;
  /** How another failure ends: "<prefix> failed: message" and its status (default: the message alone, status 1). */
  failure?: { prefix?: string; status: number };
  /** Exits as soon as the command is done, whatever is still open (default: when nothing is left to do). */
  exitAtOnce?: boolean;
}

/** Whether `err` is bad usage: a UsageError, or node:util's parseArgs refusing an option. */
function isUsageError(err: unknown): err is Error {
  return err instanceof UsageError || (err instanceof Error && String((err as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS'));
}

/** Runs `command` on this process's arguments and sets its exit status. */
export function runCli<O>(command: Command<O>, argv = process.argv.slice(2)): void {
  const usageError = (err: Error) => {
    process.stderr.write(`${err.message}${command.usage === undefined ? '' : `${command.usageGap ?? '\n\n'}${command.usage}`}\n`);
    return command.usageStatus ?? 2;
  };
  const finish = (status: number, atOnce: boolean) => {
    if (atOnce) process.exit(status);
    process.exitCode = status;
  };
  let opts: O | null;
  try {
    opts = command.parse ? command.parse(argv) : ({} as O);
  } catch (err) {
    finish(usageError(err instanceof Error ? err : new UsageError(String(err))), command.exitAtOnce ?? false);
    return;
  }
  if (opts === null) {
    process.stdout.write(`${command.usage ?? ''}\n`);
    finish(0, command.exitAtOnce ?? false);
    return;
  }
  command.run(opts).then(
    (status) => finish(status ?? 0, command.exitAtOnce ?? false),
    (err: unknown) => {
      if (isUsageError(err)) return finish(usageError(err), true);
      const message = err instanceof Error ? err.message : String(err);
      process.stderr.write(`${command.failure?.prefix ? `${command.failure.prefix} failed: ` : ''}${message}\n`);
      finish(command.failure?.status ?? 1, true);
    },
  );
}
