// Execution through graphql-jit: each operation is compiled once (when it runs a second time)
// into a JavaScript function that walks its selection set directly, where graphql-js interprets the document field by
// field on every request. A 10-year monthly report returns ~7,200 buckets (~80,000 fields):
// walking them was a large share of the server's CPU (issue #7, bench/README.md: 79.6 → ~51 ms).
//
// Apollo Server 5 has no executor option; its documented hook for a custom executor is the
// gateway interface (`gateway: { load, onSchemaLoadOrUpdate, stop }`), which is all this is:
// Apollo still parses, validates (limits included), runs its plugins and formats errors.
import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { execute, GraphQLError, valueFromASTUntyped, type DocumentNode, type ExecutionResult, type GraphQLSchema, type VariableDefinitionNode } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

type Compiled = CompiledQuery | ExecutionResult;

/**
 * An operation is compiled on its second run; its first runs through graphql-js. Compiling costs
 * more than interpreting one answer (the benchmark's op 8, a new document each request: server CPU
 * 8.2 ms a request when each was compiled), and a document sent once (a playground edit, a
 * client building its queries) would pay for it and never gain.
 */
const COMPILE_ON_RUN = 2;

/**
 * Operations per document: how often each ran, and once compiled, the compiled query. Apollo
 * hands the same DocumentNode for the same query text (its parsed-document cache), so a weak map
 * keyed by document lives exactly as long as Apollo keeps the document: bounded by that cache
 * (src/graphql/apollo.ts), nothing to evict here.
 */
function compiler(schema: GraphQLSchema) {
  const cache = new WeakMap<DocumentNode, Map<string, { runs: number; compiled?: Compiled }>>();
  /** The operation compiled, or undefined while it is to run through graphql-js. */
  return (document: DocumentNode, operationName: string | null): Compiled | undefined => {
    let byName = cache.get(document);
    if (!byName) cache.set(document, (byName = new Map()));
    const key = operationName ?? '';
    let entry = byName.get(key);
    if (!entry) byName.set(key, (entry = { runs: 0 }));
    entry.runs += 1;
    // Leaf serialisation stays on: our scalars (Date, DateTime, ID, enums) serialise and check as in graphql-js.
    if (!entry.compiled && entry.runs >= COMPILE_ON_RUN) entry.compiled = compileQuery(schema, document, operationName ?? undefined);
    return entry.compiled;
  };
}

/**
 * The variables with the document's defaults filled in where the request left one out (not where
 * it sent null). graphql-jit 0.8.9 refuses a non-null variable that has a default and was not
 * sent (`query ($ids: [ID!]! = [...])`, as the playground's examples are written), where
 * graphql-js (and the spec) take the default: given the default's literal as an input value, it
 * coerces it as graphql-js does.
 */
function withDefaults(definitions: readonly VariableDefinitionNode[], variables: Record<string, unknown>): Record<string, unknown> {
  let filled = variables;
  for (const { variable, defaultValue } of definitions) {
    const name = variable.name.value;
    if (!defaultValue || variables[name] !== undefined) continue;
    if (filled === variables) filled = { ...variables };
    filled[name] = valueFromASTUntyped(defaultValue);
  }
  return filled;
}

/**
 * graphql-jit's errors are graphql-js GraphQLErrors by prototype only (no `extensions` object,
 * which Apollo reads): the same error rebuilt by graphql-js, with its path, locations and the
 * resolver's original error (which src/graphql/errors.ts maps to a code and a field).
 */
function asGraphQLError(e: GraphQLError): GraphQLError {
  const error = new GraphQLError(e.message, { path: e.path, originalError: e.originalError ?? undefined, extensions: e.extensions ?? undefined });
  (error as { locations?: GraphQLError['locations'] }).locations = e.locations;
  return error;
}

/** An Apollo "gateway" that serves `schema` itself, executing with graphql-jit. */
export function jitGateway(schema: GraphQLSchema): GatewayInterface {
  const compile = compiler(schema);
  const executor: GatewayExecutor = async ({ document, operation, request, context }) => {
    // The name the client asked for (the context's operationName is the resolved operation's).
    const operationName = request.operationName ?? null;
    // No operation by that name (or several and none named): graphql-js says so, as before.
    // And an operation's first run (see COMPILE_ON_RUN).
    const compiled = operation ? compile(document, operationName) : undefined;
    if (!compiled) return execute({ schema, document, operationName, variableValues: request.variables, contextValue: context });
    // Not compilable (an invalid document would be; validation has refused those): its errors.
    if (!isCompiledQuery(compiled)) return { errors: compiled.errors?.map(asGraphQLError) };
    // Variables are checked by graphql-js first, so that their errors (messages, the variable's
    // node, which Apollo turns into BAD_USER_INPUT) are graphql-js's, as clients know them.
    const definitions = operation.variableDefinitions ?? [];
    const coerced = getVariableValues(schema, definitions, request.variables ?? {});
    if (coerced.errors) return { errors: coerced.errors };
    const result = await compiled.query(undefined, context, withDefaults(definitions, request.variables ?? {}));
    return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
  };
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    async load() {
      return { executor };
    },
    async stop() {},
  };
}
