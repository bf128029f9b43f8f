// A minimal typed GraphQL client over fetch: give it a typed document node (generated from
// operations.graphql) and its variables, get back typed data. It uses automatic persisted
// queries: it first sends only the operation's SHA-256; when the server answers
// PERSISTED_QUERY_NOT_FOUND it sends the text once, after which the hash alone suffices.
// Against a server in safelist mode (PERSISTED_QUERIES=only) the hash of a registered
// operation is all it ever sends.
import crypto from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

export interface ClientOptions {
  /** The API endpoint, e.g. http://localhost:4000/graphql. */
  url: string;
  /** An API key, sent as `Authorization: Bearer <key>`. */
  apiKey?: string;
  /** false: always send the full text (for servers with PERSISTED_QUERIES=off). */
  persistedQueries?: boolean;
}

export interface GraphQLErrorItem {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

export class GraphQLRequestError extends Error {
  constructor(
    readonly status: number,
    readonly errors: GraphQLErrorItem[],
  ) {
    super(errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; '));
  }
}

export interface Client {
  request<TResult, TVariables extends Record<string, unknown>>(document: TypedDocumentNode<TResult, TVariables>, variables: TVariables): Promise<TResult>;
  /** How many requests carried only a hash, and how many the full text (for the curious). */
  stats: { hashOnly: number; withText: number };
}

export function createClient(options: ClientOptions): Client {
  const texts = new WeakMap<object, { query: string; hash: string }>();
  const stats = { hashOnly: 0, withText: 0 };

  async function post(body: object): Promise<{ status: number; data?: unknown; errors?: GraphQLErrorItem[] }> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
    const res = await fetch(options.url, { method: 'POST', headers, body: JSON.stringify(body) });
    const text = await res.text();
    try {
      return { status: res.status, ...(JSON.parse(text) as { data?: unknown; errors?: GraphQLErrorItem[] }) };
    } catch {
      return { status: res.status, errors: [{ message: `HTTP ${res.status}: ${text.slice(0, 200)}` }] };
    }
  }

  return {
    stats,
    async request(document, variables) {
      let printed = texts.get(document);
      if (!printed) {
        const query = print(document);
        printed = { query, hash: crypto.createHash('sha256').update(query).digest('hex') };
        texts.set(document, printed);
      }
      const persistedQuery = { version: 1, sha256Hash: printed.hash };
      let answer;
      if (options.persistedQueries !== false) {
        stats.hashOnly++;
        answer = await post({ variables, extensions: { persistedQuery } });
        if (answer.errors?.some((e) => e.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND')) {
          stats.withText++;
          answer = await post({ query: printed.query, variables, extensions: { persistedQuery } });
        }
      } else {
        stats.withText++;
        answer = await post({ query: printed.query, variables });
      }
      if (answer.errors?.length || answer.data == null) throw new GraphQLRequestError(answer.status, answer.errors ?? [{ message: 'No data' }]);
      return answer.data as never;
    },
  };
}
