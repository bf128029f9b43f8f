// Helpers for the knowledge-time (asOf) tests.
import type { TestServer } from './server';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * An instant strictly between the changes before and after it: versions carry their
 * transaction's start time to the microsecond, asOf is read to the millisecond.
 */
export async function instant(): Promise<string> {
  await sleep(5);
  const at = new Date().toISOString();
  await sleep(5);
  return at;
}

/** The data of a GraphQL request that must not fail. */
export async function expectData<T = any>(server: TestServer, query: string, variables?: Record<string, unknown>): Promise<T> {
  const res = await server.gql<T>(query, variables);
  expect(res.errors).toBeUndefined();
  return res.data as T;
}
