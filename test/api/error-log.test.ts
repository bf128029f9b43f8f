// Every 500 that remains possible is logged with its cause (issue #27, item 6): a real server
// process (as `npm start` runs it) over a database whose schema an operator broke (a table
// renamed away). GraphQL answers INTERNAL_SERVER_ERROR and the CSV report HTTP 500; each is
// logged with the error, its stack and the request's id, the one the response carried.
import { Client } from 'pg';
import { createTestDatabase } from '../support/database';
import { eventually } from '../support/eventually';
import { useBeforeAll } from '../support/hooks';
import { spawnServer } from '../support/process';

const file = useBeforeAll(async (cleanup) => {
  const database = await createTestDatabase();
  cleanup(() => database.drop());
  const server = await spawnServer(database.url, { NODE_ENV: 'production' });
  cleanup(() => server.stop());
  const admin = new Client({ connectionString: database.url });
  await admin.connect();
  try {
    // (reports read the events table directly when a filter keeps them off the rollups)
    await admin.query('ALTER TABLE sources RENAME TO sources_gone; ALTER TABLE events RENAME TO events_gone');
  } finally {
    await admin.end();
  }
  return { server };
}, 180_000);

/** Expects the one log line (pino's JSON) of level error with this request id: `msg`, with the cause's message and stack. */
async function expectLoggedOnce(reqId: string, msg: string, cause: RegExp): Promise<void> {
  const lines = await eventually(
    async () =>
      file.server.logLines().filter((l) => l.reqId === reqId && (l.level as number) >= 50) as { msg: string; err?: { message?: string; stack?: string } }[],
    (l) => l.length > 0,
  );
  expect(lines).toHaveLength(1);
  expect(lines[0].msg).toBe(msg);
  expect(lines[0].err?.message).toMatch(cause);
  expect(lines[0].err?.stack).toMatch(/\n\s+at /);
}

it('GraphQL: INTERNAL_SERVER_ERROR to the client, the cause in the log under the request id', async () => {
  const res = await fetch(file.server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': 'broken-graphql-1' },
    body: JSON.stringify({ query: '{ sources { id } }' }),
  });
  expect(res.headers.get('x-request-id')).toBe('broken-graphql-1');
  const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
  expect(body.errors[0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  expect(JSON.stringify(body)).not.toMatch(/relation|does not exist|stacktrace/);
  await expectLoggedOnce('broken-graphql-1', 'unexpected error in GraphQL request', /sources/);
});

it('CSV report: HTTP 500 to the client, the cause in the log under the request id', async () => {
  const base = file.server.url.replace(/\/graphql$/, '');
  const res = await fetch(`${base}/reports/events.csv?from=2023-01-01&to=2023-12-31&search=x`, { headers: { 'x-request-id': 'broken-csv-1' } });
  expect(res.status).toBe(500);
  expect(await res.json()).toEqual({ error: 'INTERNAL_SERVER_ERROR', message: 'The report could not be produced' });
  await expectLoggedOnce('broken-csv-1', 'unexpected error producing a CSV report', /events/);
});
