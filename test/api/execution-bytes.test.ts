// Every valid document gets the same bytes on every run, equal to what graphql-js's `execute`
// answers on the same schema and database (issue #27, item 7): aliases that are Object.prototype
// names, fragments and inline fragments that reorder and merge fields, @include/@skip (also from
// variables), nested aliases. Each document is sent five times over HTTP; the body of each answer
// must be, byte for byte, JSON.stringify of graphql-js's result.
import { execute, parse, type ExecutionResult } from 'graphql';
import { buildSchema } from '../../src/graphql/apollo';
import { createContext } from '../../src/graphql/context';
import { useServer } from '../support/server';

const server = useServer({ seedOnStart: true });

const PROTO_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__', 'then'];

const DOCUMENTS: [string, string, Record<string, unknown>?][] = [
  ...PROTO_NAMES.map((name): [string, string] => [`alias ${name}`, `{ actors(first: 1) { ${name}: edges { node { id } } } }`]),
  [
    'every prototype name at once, nested',
    `{ actors(first: 2) { ${PROTO_NAMES.map((n, i) => `${n}: edges { node { ${PROTO_NAMES[(i + 1) % PROTO_NAMES.length]}: id } }`).join(' ')} } }`,
  ],
  ['a prototype name at the root', '{ __proto__: sources { id } constructor: sources { title } }'],
  [
    'fragments that reorder and merge fields',
    '{ actors(first: 2) { edges { node { ... on Actor { name } id ...F kind name } } totalCount } } fragment F on Actor { kind id countryCode }',
  ],
  [
    'the same field in two fragments with different sub-selections',
    '{ events(first: 2) { edges { node { ...A ...B } } } } fragment A on Event { id participants { role } } fragment B on Event { title participants { actor { name } } id }',
  ],
  ['@include(if: false) before the same field included', '{ actors(first: 1) { edges { node { id @include(if: false) name id } } } }'],
  ['@skip on an inline fragment', '{ actors(first: 1) { edges { node { ... @skip(if: true) { id } name ... on Actor { id } } } } }'],
  ['@skip on a repeated field', '{ actors(first: 1) { edges { node { id kind @skip(if: true) name kind } } } }'],
  [
    '@include from variables',
    'query ($a: Boolean!, $b: Boolean!) { actors(first: 2) { edges { node { id @include(if: $a) name kind @include(if: $b) id } } } }',
    { a: false, b: true },
  ],
  [
    '@include from variables, the other way',
    'query ($a: Boolean!, $b: Boolean!) { actors(first: 2) { edges { node { id @include(if: $a) name kind @include(if: $b) id } } } }',
    { a: true, b: false },
  ],
  [
    '@skip on a fragment spread',
    'query ($s: Boolean!) { actors(first: 1) { edges { node { ...F @skip(if: $s) name ...F } } } } fragment F on Actor { id kind }',
    { s: true },
  ],
  ['nested aliases', '{ a: actors(first: 1) { b: edges { c: node { d: id e: name f: events(first: 1) { g: edges { h: node { i: title j: id } } } } } } }'],
  [
    'one field under several aliases and the same alias twice',
    '{ x: actors(first: 1) { totalCount } actors(first: 1) { totalCount } x: actors(first: 1) { totalCount } }',
  ],
  [
    'union members through inline fragments',
    `{ timeline(actorIds: ["dfad88f4-4fe1-55a7-bf1b-16bb86e7f8a4"], first: 5) { edges { kind node { __typename ... on Shipment { id } ... on Event { title id } ... on Event { id __typename } } } } }`,
  ],
  ['__typename under aliases', '{ constructor: __typename __proto__: __typename actors(first: 1) { __typename toString: __typename } }'],
  ['a field error beside data', '{ a: sources { id } b: actor(id: "not-an-id") { name } c: sources { title } }'],
];

/** What graphql-js answers, serialised as Apollo sends a single result. */
async function reference(query: string, variables?: Record<string, unknown>): Promise<string> {
  const schema = buildSchema('open');
  const result = (await execute({ schema, document: parse(query), variableValues: variables, contextValue: createContext(server.db) })) as ExecutionResult;
  // As the server formats errors (its code, field and path), not their stack traces.
  const errors = result.errors?.map((e) => ({ message: e.message, locations: e.locations, path: e.path }));
  return JSON.stringify({ ...(errors ? { errors } : {}), data: result.data });
}

/**
 * The answer's body as sent; with errors, their extensions (code, field, stack: the server's own
 * additions) taken out. JSON.parse keeps key order and own "__proto__" keys, so parsing and
 * writing back a body JSON.stringify wrote gives the same bytes.
 */
async function sent(query: string, variables?: Record<string, unknown>): Promise<string> {
  const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const text = (await res.text()).trimEnd();
  const body = JSON.parse(text) as { errors?: Record<string, unknown>[] };
  if (!body.errors) return text;
  for (const e of body.errors) delete e.extensions;
  return JSON.stringify(body);
}

// (every row has its variables: jest would take a missing third argument for a `done` callback)
it.each(DOCUMENTS.map(([name, query, variables]) => [name, query, variables ?? {}] as const))(
  '%s: five runs, each byte-identical to graphql-js',
  async (_name, query, variables) => {
    const expected = await reference(query, variables);
    for (let run = 0; run < 5; run += 1) expect(await sent(query, variables)).toBe(expected);
  },
);
