// Persisted queries. `apq` (the default): Apollo's automatic persisted queries — a client
// sends the SHA-256 of its operation; the server answers PERSISTED_QUERY_NOT_FOUND the first
// time, the client sends the text once, and later requests carry only the hash. `only`: a
// safelist — the server runs only the operations registered in a manifest file (Apollo's
// persisted-query manifest format, written by `npm run persisted:manifest`), by hash or by
// text, and registers nothing at run time. `off`: no persisted queries; full text only.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { ApolloServerOptions, ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, parse, print, type DocumentNode } from 'graphql';

export type PersistedQueriesMode = 'apq' | 'only' | 'off';

/** Apollo's persisted-query manifest (as written by @apollo/generate-persisted-query-manifest). */
export interface PersistedQueryManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: { id: string; name: string; type: 'query' | 'mutation' | 'subscription'; body: string }[];
}

export const NOT_IN_LIST = 'PERSISTED_QUERY_NOT_IN_LIST';

export function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** The text a document is registered under: graphql-js's print, so comments and layout do not matter. */
export function normalizeOperation(source: string | DocumentNode): string {
  return print(typeof source === 'string' ? parse(source) : source);
}

/** Reads and checks a manifest: the format, and that every id is the SHA-256 of its body. */
export function loadManifest(file: string): PersistedQueryManifest {
  let manifest: PersistedQueryManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as PersistedQueryManifest;
  } catch (err) {
    throw new Error(`Persisted-query manifest ${file} cannot be read: ${(err as Error).message}`);
  }
  if (manifest?.format !== 'apollo-persisted-query-manifest' || manifest.version !== 1 || !Array.isArray(manifest.operations)) {
    throw new Error(`Persisted-query manifest ${file} is not an apollo-persisted-query-manifest, version 1`);
  }
  for (const op of manifest.operations) {
    if (typeof op.body !== 'string' || op.id !== sha256(op.body)) {
      throw new Error(`Persisted-query manifest ${file}: operation ${op.name ?? '?'} has an id that is not the SHA-256 of its body`);
    }
  }
  return manifest;
}

/** A document made only of introspection fields (`__schema`, `__type`), as GraphiQL sends for its docs. */
function isIntrospectionOnly(doc: DocumentNode): boolean {
  return doc.definitions.every(
    (d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ||
      (d.kind === Kind.OPERATION_DEFINITION &&
        d.operation === 'query' &&
        d.selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.name.value.startsWith('__'))),
  );
}

/**
 * Apollo Server options for a mode: the `persistedQueries` setting and, for `only`, the
 * plugin that refuses operations outside the manifest (introspection stays allowed when
 * introspection is on, so GraphiQL's docs work).
 */
export function persistedQueriesOptions<T extends object>(opts: {
  mode: PersistedQueriesMode;
  manifestPath?: string;
  introspection: boolean;
}): { persistedQueries: ApolloServerOptions<T>['persistedQueries']; plugins: ApolloServerPlugin<T>[] } {
  if (opts.mode === 'apq') return { persistedQueries: undefined, plugins: [] };
  if (opts.mode === 'off') return { persistedQueries: false, plugins: [] };
  if (!opts.manifestPath) throw new Error('PERSISTED_QUERIES=only needs a manifest (PERSISTED_QUERIES_MANIFEST)');
  const manifest = loadManifest(opts.manifestPath);
  const byId = new Map(manifest.operations.map((op) => [op.id, op.body]));
  // Also accept the same operations sent as text with other layout or comments.
  const normalized = new Set(manifest.operations.map((op) => sha256(normalizeOperation(op.body))));
  const cache = {
    // Apollo prefixes its keys ("apq:<hash>"); hashes only ever resolve to registered bodies.
    async get(key: string) {
      return byId.get(key.replace(/^apq:/, ''));
    },
    async set() {},
    async delete() {},
  };
  // Checked once the operation is parsed and validated: errors thrown at that stage reach the
  // client as they are (earlier hooks would turn them into a bare 500), and nothing has run yet.
  const plugin: ApolloServerPlugin<T> = {
    async requestDidStart() {
      return {
        async didResolveOperation(ctx) {
          const { source, queryHash, document } = ctx;
          if (byId.has(queryHash) || byId.has(sha256(source))) return;
          if (normalized.has(sha256(normalizeOperation(document)))) return;
          if (opts.introspection && isIntrospectionOnly(document)) return;
          throw new GraphQLError('This server runs only registered operations; this one is not in its persisted-query list', {
            extensions: { code: NOT_IN_LIST, http: { status: 400 } },
          });
        },
      };
    },
  };
  return { persistedQueries: { cache }, plugins: [plugin] };
}
