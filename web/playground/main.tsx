// The self-hosted GraphiQL: bundled at build time (scripts/build-web.js), served by the
// API itself, so it works with no internet. Opens with the example operations as tabs
// and the docs explorer; the key field above it is remembered in localStorage and sent
// as `Authorization: Bearer <key>` with every request, with the CSRF-prevention header.
import { GraphiQL, type GraphiQLProps } from 'graphiql';
import '../shared/header.css';
import 'graphiql/style.css';
import { createRoot } from 'react-dom/client';
import { EXAMPLES } from '../examples';
import { bindKeyField, postGraphQL } from '../shared/session';
import { EXAMPLES_PLUGIN } from './examples-plugin';
import './playground.css';

type Fetcher = GraphiQLProps['fetcher'];

const PLUGINS = [EXAMPLES_PLUGIN];

const fetcher: Fetcher = async (params, opts) => {
  // Headers typed into GraphiQL's headers editor win over the key field.
  const editorHeaders = Object.fromEntries(Object.entries(opts?.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
  return postGraphQL(params, editorHeaders) as ReturnType<Fetcher>;
};

// A new key may see a different schema (in AUTH_MODE=required, none without one): re-fetch it.
let refetch: ReturnType<typeof setTimeout> | undefined;
bindKeyField(() => {
  clearTimeout(refetch);
  refetch = setTimeout(() => document.querySelector<HTMLButtonElement>('button[aria-label="Re-fetch GraphQL schema"]')?.click(), 600);
});

const defaultTabs = EXAMPLES.map((e) => ({
  query: e.query,
  variables: e.variables ? JSON.stringify(e.variables, null, 2) : undefined,
}));

/**
 * Opens the docs explorer once GraphiQL has drawn its sidebar. (GraphiQL 4's
 * `visiblePlugin` prop marks the plugin visible but leaves its pane collapsed.)
 */
function openDocsExplorer(deadline = Date.now() + 10_000): void {
  const button = document.querySelector<HTMLButtonElement>('.graphiql-sidebar button[aria-label="Show Documentation Explorer"]');
  if (button) button.click();
  else if (Date.now() < deadline) setTimeout(() => openDocsExplorer(deadline), 50);
}

createRoot(document.getElementById('graphiql')!).render(
  <GraphiQL
    fetcher={fetcher}
    plugins={PLUGINS}
    defaultTabs={defaultTabs}
    defaultEditorToolsVisibility="variables"
    shouldPersistHeaders={false}
    schemaDescription
  />,
);
openDocsExplorer();
