// ESLint (flat config): typescript-eslint's recommended rules, and the layers of
// docs/architecture.md as import rules, so that nobody has to remember them. Not type-aware:
// the type checker already runs in CI (npm run typecheck), and type-aware rules would double its time.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** A relative import that climbs out of its folder into one of `folders` of src (`../db/client`, `../../graphql`). */
const into = (folders) => `^(\\.\\./)+(${folders.join('|')})(/|$)`;

/** Imports refused from `folders`, with why (`types`: folders whose types, not values, may be imported). */
const layer = (message, folders, types = []) => ({
  '@typescript-eslint/no-restricted-imports': [
    'error',
    {
      patterns: [{ regex: into(folders), message }, ...(types.length ? [{ regex: into(types), message, allowTypeImports: true }] : [])],
    },
  ],
});

export default tseslint.config(
  { ignores: ['src/generated/**', 'dist/**', 'web/dist/**', 'coverage/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: {
      // `_name` marks an argument or binding kept for its position (a callback's signature, a destructured rest).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // `let [start, end]` where only one is reassigned stays one declaration.
      'prefer-const': ['error', { destructuring: 'all' }],
    },
  },
  {
    // Tests read GraphQL and JSON answers whose shape each test asserts itself; typing every one
    // would restate schema.graphql in the tests. Production code keeps the rule.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  { files: ['web/**/*.{ts,tsx}'], languageOptions: { globals: { ...globals.browser } } },
  { files: ['**/*.js', '**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },

  // The layers (docs/architecture.md): each imports only from those below it.
  {
    files: ['src/domain/**/*.ts'],
    // The schema's types (its enums) are the domain's vocabulary; their values are not imported.
    rules: layer(
      'src/domain is pure: no database, no generated code, nothing from the layers above it',
      ['db', 'services', 'graphql', 'http', 'auth', 'ingest', 'cli', 'server', 'config'],
      ['generated'],
    ),
  },
  {
    files: ['src/db/**/*.ts'],
    rules: layer('src/db is the bottom door to PostgreSQL: it imports nothing from the layers above it', [
      'services',
      'graphql',
      'http',
      'auth',
      'ingest',
      'cli',
      'server',
    ]),
  },
  {
    files: ['src/services/**/*.ts'],
    rules: layer('services serve the API; they do not know it (no graphql, no http)', ['graphql', 'http']),
  },
  {
    files: ['src/graphql/resolvers/**/*.ts'],
    rules: layer('resolvers reach data only through the services', ['db']),
  },
);
