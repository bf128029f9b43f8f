// For the tests of pages that read what their selection needs (timeline-selection, row-selection):
// the schema's fields as selections, and the statement a query made the server issue.
import fs from 'node:fs';
import { buildSchema, getNamedType, isLeafType, isObjectType, type GraphQLObjectType } from 'graphql';
import { SCHEMA_PATH } from '../../src/graphql/apollo';
import { useFileServer, type TestServer } from './server';

const schema = buildSchema(fs.readFileSync(SCHEMA_PATH, 'utf8'));
const objectType = (name: string) => schema.getType(name) as GraphQLObjectType;

/** The fields of an object type of schema.graphql. */
export const fieldsOf = (type: string) => Object.keys(objectType(type).getFields());

/** A field's selection: its name, and for an object its leaf fields without required arguments (one level down). */
export function selectionOf(type: string, name: string): string {
  const named = getNamedType(objectType(type).getFields()[name].type);
  if (isLeafType(named)) return name;
  if (!isObjectType(named)) throw new Error(`${type}.${name}: not an object`);
  const leaves = Object.values(named.getFields()).filter((f) => isLeafType(getNamedType(f.type)) && !f.args.some((a) => a.type.toString().endsWith('!')));
  return `${name} { ${leaves.map((f) => f.name).join(' ')} }`;
}

/** Records the server's statements: `statementOf` sends a query and returns the statement it issued that contains `marker`. */
export function statementRecorder(server: TestServer) {
  let statements: string[] | null = null;
  server.db.statements!.listen((s) => statements?.push(s.query));
  return async function statementOf(query: string, variables: Record<string, unknown> | undefined, marker: string): Promise<string> {
    statements = [];
    const res = await server.gql(query, variables);
    expect(res.errors).toBeUndefined();
    const sql = statements.find((s) => s.includes(marker));
    statements = null;
    expect(sql).toBeDefined();
    return sql!;
  };
}

/** The calling file's server on the seeded data, from beforeAll to afterAll, with its statements recorded. */
export function useSeededServer() {
  const file = useFileServer({ seedOnStart: true }, (server) => ({ statementOf: statementRecorder(server) }));
  type Recorder = ReturnType<typeof statementRecorder>;
  return {
    get server(): TestServer {
      return file.server;
    },
    // Bound late, so that a test file may take it apart at load time.
    statementOf: (...args: Parameters<Recorder>): ReturnType<Recorder> => file.statementOf(...args),
  };
}

/** The statement names every column of `reads` and none of `skips` (as written in it: `a.name`, `"EVENT.title"`). */
export function expectColumns(sql: string, reads: string[], skips: string[]): void {
  expect({ reads: reads.filter((c) => sql.includes(c)), skips: skips.filter((c) => sql.includes(c)) }).toEqual({ reads, skips: [] });
}
