// Registered operations, sent as an analyst's client app sends them: the SHA-256 of the
// operation first (Apollo's persisted-query protocol); the text only when the server asks
// for it (PERSISTED_QUERY_NOT_FOUND: its automatic persisted-query cache does not hold it
// yet) or does not take hashes (PERSISTED_QUERY_NOT_SUPPORTED). Bodies and ids come from
// persisted-queries.json, the manifest a safelisting server (PERSISTED_QUERIES=only) runs.
import manifest from '../../persisted-queries.json';
import { postGraphQL, type GraphQLResult } from './session';

export interface RegisteredOperation {
  id: string;
  name: string;
  body: string;
}

/** A registered operation by name; throws when the manifest has none by that name. */
export function registeredOperation(name: string): RegisteredOperation {
  const op = (manifest.operations as RegisteredOperation[]).find((o) => o.name === name);
  if (!op) throw new Error(`No operation ${name} in persisted-queries.json: run npm run persisted:manifest`);
  return op;
}

/** The variables an operation declares (`$name`), read from its registered body. */
export function declaredVariables(name: string): Set<string> {
  const body = registeredOperation(name).body;
  const header = body.slice(0, body.indexOf('{'));
  return new Set([...header.matchAll(/\$(\w+)\s*:/g)].map((m) => m[1]));
}

/** Runs a registered operation by its hash, sending its text only when the server asks. */
export async function runPersisted<T>(name: string, variables: Record<string, unknown>): Promise<GraphQLResult<T>> {
  const op = registeredOperation(name);
  const persistedQuery = { version: 1, sha256Hash: op.id };
  const answer = await postGraphQL<T>({ operationName: name, variables, extensions: { persistedQuery } });
  const codes = new Set(answer.errors?.map((e) => e.extensions?.code));
  if (codes.has('PERSISTED_QUERY_NOT_FOUND')) return postGraphQL<T>({ operationName: name, query: op.body, variables, extensions: { persistedQuery } });
  if (codes.has('PERSISTED_QUERY_NOT_SUPPORTED')) return postGraphQL<T>({ operationName: name, query: op.body, variables });
  return answer;
}
