// Writes persisted-queries.json: the safelist the server enforces with PERSISTED_QUERIES=only,
// in Apollo's persisted-query manifest format. It registers every operation the project's own
// clients send — the playground's examples (web/examples), the chart page's query
// (web/reports), the timeline page's (web/timeline) and the example client
// (examples/client) — each validated against
// schema.graphql. The body is graphql-js's print of the operation (with the fragments it
// uses), the id its SHA-256: what the example client sends as its persisted-query hash.
//
//   npm run persisted:manifest            write the file
//   npm run persisted:manifest -- --check fail if the file is not up to date
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, Kind, parse, print, validate, visit, type DefinitionNode, type DocumentNode, type FragmentDefinitionNode } from 'graphql';
import { sha256, type PersistedQueryManifest } from '../src/graphql/persisted';

const root = path.resolve(__dirname, '..');
export const MANIFEST_PATH = path.join(root, 'persisted-queries.json');
export const OPERATION_SOURCES = ['web/examples', 'web/reports', 'web/timeline', 'examples/client'];

function graphqlFiles(dir: string): string[] {
  return fs
    .readdirSync(path.join(root, dir))
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => path.join(root, dir, f));
}

/** The fragments an operation uses, transitively. */
function usedFragments(def: DefinitionNode, fragments: Map<string, FragmentDefinitionNode>, seen = new Set<string>()): FragmentDefinitionNode[] {
  const out: FragmentDefinitionNode[] = [];
  visit(def, {
    FragmentSpread(node) {
      if (seen.has(node.name.value)) return;
      seen.add(node.name.value);
      const frag = fragments.get(node.name.value);
      if (frag) out.push(frag, ...usedFragments(frag, fragments, seen));
    },
  });
  return out;
}

export function buildManifest(): PersistedQueryManifest {
  const schema = buildSchema(fs.readFileSync(path.join(root, 'schema.graphql'), 'utf8'));
  const operations: PersistedQueryManifest['operations'] = [];
  for (const file of OPERATION_SOURCES.flatMap(graphqlFiles)) {
    const doc = parse(fs.readFileSync(file, 'utf8'));
    const errors = validate(schema, doc);
    if (errors.length)
      throw new Error(`${path.relative(root, file)} does not validate against schema.graphql:\n  ${errors.map((e) => e.message).join('\n  ')}`);
    const fragments = new Map(doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
    for (const def of doc.definitions) {
      if (def.kind !== Kind.OPERATION_DEFINITION) continue;
      if (!def.name) throw new Error(`${path.relative(root, file)}: every registered operation needs a name`);
      const single: DocumentNode = { kind: Kind.DOCUMENT, definitions: [def, ...usedFragments(def, fragments)] };
      const body = print(single);
      operations.push({ id: sha256(body), name: def.name.value, type: def.operation, body });
    }
  }
  const names = operations.map((o) => o.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new Error(`Two registered operations are named ${dup}`);
  operations.sort((a, b) => a.name.localeCompare(b.name));
  return { format: 'apollo-persisted-query-manifest', version: 1, operations };
}

export function manifestText(manifest: PersistedQueryManifest = buildManifest()): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

if (require.main === module) {
  const text = manifestText();
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(MANIFEST_PATH) ? fs.readFileSync(MANIFEST_PATH, 'utf8') : '';
    if (current !== text) {
      console.error('persisted-queries.json is out of date: run npm run persisted:manifest');
      process.exit(1);
    }
    console.log('persisted-queries.json is up to date');
  } else {
    fs.writeFileSync(MANIFEST_PATH, text);
    console.log(`persisted-queries.json: ${JSON.parse(text).operations.length} operations`);
  }
}
