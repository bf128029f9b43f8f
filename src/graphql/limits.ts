// Abuse limits on GraphQL documents. GraphQL Armor: depth, aliases, directives
// and, where introspection is off, no field suggestions. Tokens (document size):
// graphql-js's own parser limit (Apollo's parseOptions), since Armor's token plugin
// throws from a hook Apollo answers with a 500.
// graphql-query-complexity: a cost that grows with list sizes (`first`) × nesting,
// which Armor's cost rule does not know about.
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, getNamedType, getNullableType, isListType, visit, type DocumentNode, type ValidationRule } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import type { Config } from '../config';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../domain/pagination';

export type Limits = Pick<Config['limits'], 'maxDepth' | 'maxCost' | 'maxAliases' | 'maxDirectives' | 'maxTokens'>;

/** Assumed size of a list field without `first` (aliases, participants, citations…). */
export const UNPAGED_LIST_SIZE = 10;

/**
 * Cost of a field: 1, plus its selection's cost times the number of items it can return —
 * `first` or `last` (default 20, at most 500) for paginated fields, UNPAGED_LIST_SIZE for other lists.
 * A connection's `edges` are already counted by its `first`.
 */
export const listAwareEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  let items = 1;
  if (field.args.some((a) => a.name === 'first')) {
    // Backward pages (`last`) return as many items as forward ones; with both sent, the larger counts.
    const sizes = [args.first, args.last].filter((n): n is number => typeof n === 'number');
    const size = sizes.length ? Math.max(...sizes) : DEFAULT_PAGE_SIZE;
    items = Math.min(Math.max(size, 1), MAX_PAGE_SIZE);
  } else if (isListType(getNullableType(field.type)) && !getNamedType(field.type).name.endsWith('Edge')) {
    items = UNPAGED_LIST_SIZE;
  }
  return 1 + childComplexity * items;
};

/**
 * A refused document. Apollo recodes validation errors as GRAPHQL_VALIDATION_FAILED;
 * `limitCode` survives that and the error formatter makes it the code (see ./errors.ts).
 */
function limitError(code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, limitCode: code, http: { status: 400 } } });
}

/**
 * The variables a document's cost can depend on: those given to `first`/`last` (read by
 * listAwareEstimator) and to directives (`@include`/`@skip` drop fields from the count).
 */
export function costVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  const collect = (node: Parameters<typeof visit>[0]) =>
    visit(node, {
      Variable(v) {
        names.add(v.name.value);
      },
    });
  visit(document, {
    Argument(arg) {
      if (arg.name.value === 'first' || arg.name.value === 'last') collect(arg.value);
    },
    Directive(d) {
      collect(d);
      return false;
    },
    VariableDefinition() {
      return false;
    },
  });
  return [...names].sort();
}

/** Costs remembered per operation and variable values, for one document. */
interface DocumentCosts {
  variables: string[];
  costs: Map<string, number>;
}
/** Enough for the few `first` values a client sends with one document; beyond it, costs are recomputed. */
const MAX_COSTS_PER_DOCUMENT = 64;

/**
 * Apollo plugin rejecting operations whose cost (with the request's variables) exceeds maxCost.
 * The cost of a document with the same operation and cost variables is computed once: Apollo
 * hands out the same DocumentNode for a document it has already parsed and validated, and
 * walking it again with the schema was visible in CPU profiles of small requests.
 */
export function costLimitPlugin(maxCost: number): ApolloServerPlugin {
  const byDocument = new WeakMap<DocumentNode, DocumentCosts>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, operationName }) {
          let entry = byDocument.get(document);
          if (!entry) byDocument.set(document, (entry = { variables: costVariables(document), costs: new Map() }));
          const variables = request.variables ?? {};
          const key = JSON.stringify([operationName ?? null, ...entry.variables.map((v) => variables[v] ?? null)]);
          let cost = entry.costs.get(key);
          if (cost === undefined) {
            try {
              cost = getComplexity({ schema, query: document, variables, operationName: operationName ?? undefined, estimators: [listAwareEstimator] });
            } catch (err) {
              // Bad variables are reported by execution as BAD_USER_INPUT; anything else is too big to cost.
              if (err instanceof GraphQLError && /Variable/.test(err.message)) return;
              throw limitError('QUERY_TOO_COMPLEX', `Query is too complex to evaluate (${(err as Error).message})`);
            }
            if (entry.costs.size < MAX_COSTS_PER_DOCUMENT) entry.costs.set(key, cost);
          }
          if (cost > maxCost) {
            throw limitError('QUERY_TOO_COMPLEX', `Query cost ${cost} exceeds the limit of ${maxCost} (lower \`first\` or select less)`);
          }
        },
      };
    },
  };
}

export function queryLimits(
  limits: Limits,
  opts: { blockFieldSuggestions: boolean },
): {
  plugins: ApolloServerPlugin[];
  validationRules: ValidationRule[];
  parseOptions: { maxTokens: number };
} {
  const reject = (code: string) => ({
    propagateOnRejection: false,
    onReject: [(ctx: { reportError(e: GraphQLError): void } | null, error: GraphQLError) => ctx?.reportError(limitError(code, error.message))],
  });
  const armor = new ApolloArmor({
    costLimit: { enabled: false },
    maxDepth: { n: limits.maxDepth, exposeLimits: true, ignoreIntrospection: true, flattenFragments: true, ...reject('QUERY_TOO_DEEP') },
    maxAliases: { n: limits.maxAliases, exposeLimits: true, ...reject('TOO_MANY_ALIASES') },
    maxDirectives: { n: limits.maxDirectives, exposeLimits: true, ...reject('TOO_MANY_DIRECTIVES') },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: opts.blockFieldSuggestions },
  });
  const { plugins, validationRules } = armor.protect();
  return { plugins: [...plugins, costLimitPlugin(limits.maxCost)], validationRules, parseOptions: { maxTokens: limits.maxTokens } };
}
