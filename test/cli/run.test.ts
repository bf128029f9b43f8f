// The commands' one runner (src/cli/run.ts), through the real commands as processes: --help on
// standard output with status 0; a usage error as its message, then the usage, on standard error
// with the command's status; any other failure as its message (prefixed for the data commands).
// None of these reaches a database.
import { runCli } from '../support/process';

const USAGE: Record<string, RegExp> = {
  export: /^Usage: npm run export -- /m,
  import: /^Usage: npm run import -- /m,
  report: /^Usage: npm run report -- /m,
  synth: /^Usage: npm run generate -- /m,
  partitions: /^usage: npm run db:partitions -- /m,
  keys: /^usage:\n {2}npm run keys -- create/m,
};

it.each([
  ['export', ['--help']],
  ['import', ['--help']],
  ['report', ['-h']],
  ['synth', ['--help']],
  ['keys', ['help']],
])('%s %j prints the usage on standard output, status 0', async (name, args) => {
  const run = await runCli(name, args, {});
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(USAGE[name]);
});

it.each([
  ['export', ['--format', 'xml'], '--format must be ndjson, csv or xlsx\n\n', 2],
  ['import', [], 'no input file given\n\n', 2],
  ['report', ['--from', '2023-01-01'], '--from and --to are required\n\n', 2],
  ['report', ['--nope'], "Unknown option '--nope'", 2],
  ['synth', ['--bogus'], "Unknown option '--bogus'", 2],
  ['partitions', ['--from', '1990', '--to', '1980'], '--to must not be before --from\n', 2],
])("%s %j: the message, then the usage, on standard error, with the command's status", async (name, args, message, status) => {
  const run = await runCli(name, args, {});
  expect(run.code).toBe(status);
  expect(run.stdout).toBe('');
  expect(run.output.startsWith(message)).toBe(true);
  expect(run.output).toMatch(USAGE[name]);
});

it("a failure that is not bad usage is its message alone, after the command's name where it has always been", async () => {
  const run = await runCli('synth', ['--events', 'x'], {});
  expect(run.code).toBe(2);
  expect(run.output).toBe('generate failed: --events must be a whole number ≥ 0\n');
});
