// Helpers for the knowledge-time (asOf) tests.
import { useFileServer, type TestServer } from './server';

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

/** Runs `mutation(id: …, args) { id }` on one record (an update, delete or restore), expecting no error. */
export function mutateById(server: TestServer, mutation: string, id: string, args?: string): Promise<unknown> {
  return expectData(server, `mutation ($id: ID!) { ${mutation}(id: $id${args ? `, ${args}` : ''}) { id } }`, { id });
}

/** A server without the seed for the calling file's tests, with `ok` and `byId` on it (both may be taken apart at load time). */
export function useUnseededServer() {
  const file = useFileServer({ seedOnStart: false });
  return {
    get server(): TestServer {
      return file.server;
    },
    ok: <T = any>(query: string, variables?: Record<string, unknown>) => expectData<T>(file.server, query, variables),
    byId: (mutation: string, id: string, args?: string) => mutateById(file.server, mutation, id, args),
  };
}
