// schema.prisma and the migrated database must agree: the migration SQL is
// written by hand (Prisma's schema engine cannot be downloaded here), so nothing
// else keeps it in step with the data model the Prisma client is generated from.
//
// The data model comes from Prisma's own schema parser: the prisma-schema WASM
// module that ships inside the `prisma` CLI package (the same get_dmmf that
// @prisma/internals' getDMMF calls), loaded by a minimal wasm-bindgen shim below.
// The generated client only carries a reduced runtime data model (no nullability,
// ids, native types, relations or enum values), which is not enough to compare;
// a separate test checks that the generated client matches that full model.
import fs from 'node:fs';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { Client } from 'pg';
import * as generatedEnums from '../../src/generated/prisma/enums';
import { Prisma, PrismaClient } from '../../src/generated/prisma/client';
import { useClientDatabase } from '../support/database';

const SCHEMA_PATH = path.resolve(__dirname, '../../prisma/schema.prisma');

// ---------------------------------------------------------------------------
// Prisma's data model (DMMF), from the prisma-schema WASM module
// ---------------------------------------------------------------------------

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'enum' | 'object' | 'unsupported';
  isList: boolean;
  isRequired: boolean;
  isUnique: boolean;
  isId: boolean;
  isUpdatedAt: boolean;
  hasDefaultValue: boolean;
  type: string;
  nativeType?: [string, string[]] | null;
  default?: unknown;
  relationName?: string;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}

interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
  primaryKey: { name: string | null; fields: string[] } | null;
  uniqueFields: string[][];
}

interface DmmfEnum {
  name: string;
  dbName?: string | null;
  values: { name: string; dbName: string | null }[];
}

interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  dbName?: string | null;
  algorithm?: string;
  fields: { name: string }[];
}

interface Datamodel {
  models: DmmfModel[];
  enums: DmmfEnum[];
  indexes: DmmfIndex[];
}

// The project's TypeScript libs (ES2022, no DOM) do not declare WebAssembly; the little used here:
interface WasmTable {
  get(index: number): unknown;
  set(index: number, value: unknown): void;
  grow(delta: number): number;
}
interface WasmApi {
  Module: { new (bytes: Uint8Array): object; imports(module: object): { module: string; name: string }[] };
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const WebAssembly = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface SchemaWasm {
  memory: { buffer: ArrayBuffer };
  __wbindgen_externrefs: WasmTable;
  __wbindgen_malloc(size: number, align: number): number;
  __wbindgen_free(ptr: number, size: number, align: number): void;
  __externref_table_dealloc(index: number): void;
  __wbindgen_start(): void;
  get_dmmf(ptr: number, len: number): [number, number, number, number];
}

let schemaWasm: SchemaWasm | undefined;
/** The message of the schema parser's last Rust panic, if any. */
let lastPanic = '';

/** Instantiates node_modules/prisma/build/prisma_schema_build_bg.wasm with the few imports it needs. */
function loadSchemaWasm(): SchemaWasm {
  if (schemaWasm) return schemaWasm;
  const file = path.join(path.dirname(require.resolve('prisma/package.json')), 'build', 'prisma_schema_build_bg.wasm');
  const module = new WebAssembly.Module(fs.readFileSync(file));
  // eslint-disable-next-line prefer-const -- assigned once the module is instantiated, after the closures that read it
  let wasm: SchemaWasm;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const text = (ptr: number, len: number): string => decoder.decode(new Uint8Array(wasm.memory.buffer, ptr >>> 0, len));
  // wasm-bindgen suffixes its imports with a hash; match them by prefix.
  const implementations: [string, (...args: number[]) => unknown][] = [
    ['__wbg_set_message_', (ptr, len) => void (lastPanic = text(ptr, len))],
    ['__wbg_Error_', (ptr, len) => new Error(text(ptr, len))],
    [
      '__wbg___wbindgen_throw_',
      (ptr, len) => {
        throw new Error(text(ptr, len));
      },
    ],
    [
      '__wbindgen_init_externref_table',
      () => {
        const table = wasm.__wbindgen_externrefs;
        const offset = table.grow(4);
        table.set(0, undefined);
        [undefined, null, true, false].forEach((v, i) => table.set(offset + i, v));
      },
    ],
  ];
  const imports: Record<string, Record<string, (...args: number[]) => unknown>> = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    const impl = implementations.find(([prefix]) => imp.name.startsWith(prefix));
    if (!impl) throw new Error(`prisma-schema WASM wants an import this shim lacks: ${imp.module}.${imp.name}`);
    (imports[imp.module] ??= {})[imp.name] = impl[1];
  }
  wasm = new WebAssembly.Instance(module, imports).exports as unknown as SchemaWasm;
  wasm.__wbindgen_start();
  schemaWasm = wasm;
  return wasm;
}

/** Prisma's DMMF data model of a schema, exactly as `prisma generate` sees it. */
function getDatamodel(schema: string): Datamodel {
  const wasm = loadSchemaWasm();
  const input = new TextEncoder().encode(JSON.stringify({ prismaSchema: [['schema.prisma', schema]], noColor: true }));
  const ptr = wasm.__wbindgen_malloc(input.length, 1) >>> 0;
  new Uint8Array(wasm.memory.buffer, ptr, input.length).set(input);
  let result: [number, number, number, number];
  try {
    result = wasm.get_dmmf(ptr, input.length);
  } catch (err) {
    // A Rust panic surfaces as a WebAssembly trap; its message came through the panic hook.
    schemaWasm = undefined;
    throw new Error(`prisma-schema WASM panicked: ${lastPanic || (err as Error).message}`);
  }
  const [out, len, errorRef, failed] = result;
  if (failed) {
    const error = wasm.__wbindgen_externrefs.get(errorRef);
    wasm.__externref_table_dealloc(errorRef);
    throw error instanceof Error ? error : new Error(String(error));
  }
  try {
    const json = new TextDecoder().decode(new Uint8Array(wasm.memory.buffer, out >>> 0, len));
    return (JSON.parse(json) as { datamodel: Datamodel }).datamodel;
  } finally {
    wasm.__wbindgen_free(out, len, 1);
  }
}

// ---------------------------------------------------------------------------
// The database's schema, from the PostgreSQL catalogs
// ---------------------------------------------------------------------------

interface DbColumn {
  table: string;
  name: string;
  /** format_type(): 'text', 'character(3)', 'timestamp(3) with time zone', '"ActorKind"', 'text[]' … */
  type: string;
  /** The base type's name and whether it is an enum (for arrays: the element type). */
  typeName: string;
  isEnum: boolean;
  isArray: boolean;
  notNull: boolean;
  default: string | null;
}

interface DbIndex {
  table: string;
  name: string;
  primary: boolean;
  unique: boolean;
  method: string;
  /** Expression or partial index: something Prisma cannot express (kept in the migration SQL only). */
  sqlOnly: boolean;
  columns: string[];
}

interface DbForeignKey {
  table: string;
  name: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
  onDelete: string;
  onUpdate: string;
}

interface DbSchema {
  tables: string[];
  columns: DbColumn[];
  enums: { name: string; labels: string[] }[];
  indexes: DbIndex[];
  foreignKeys: DbForeignKey[];
}

/**
 * The partitioned tables (migration 20261202100000_partition_events_shipments). PostgreSQL makes
 * a partitioned table's primary key hold the partition key too, and lets foreign keys reference
 * only such a constraint; so what the model declares unique across the table — the id relations
 * point at, and its @@unique constraints — is enforced by the entity's key table: its primary key
 * (id), its unique indexes, and the foreign keys reference it instead of the table.
 */
const PARTITIONED: Record<string, { start: string; keys: string }> = {
  events: { start: 'span_start', keys: 'event_keys' },
  shipments: { start: 'delivery_start', keys: 'shipment_keys' },
};

/** Tables of the database that are not part of the data model (the key tables are checked with their partitioned tables). */
const IGNORED_TABLES = new Set(['_prisma_migrations', ...Object.values(PARTITIONED).map((p) => p.keys)]);

const REFERENTIAL_ACTIONS: Record<string, string> = { a: 'NoAction', r: 'Restrict', c: 'Cascade', n: 'SetNull', d: 'SetDefault' };

async function introspect(c: Client, schema = 'public'): Promise<DbSchema> {
  const tables = await c.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`,
    [schema],
  );
  const columns = await c.query<DbColumn>(
    `SELECT c.relname AS "table", a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
            coalesce(et.typname, t.typname)::text AS "typeName", coalesce(et.typtype, t.typtype) = 'e' AS "isEnum",
            et.oid IS NOT NULL AS "isArray", a.attnotnull AS "notNull", pg_get_expr(d.adbin, d.adrelid) AS default
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY c.relname, a.attnum`,
    [schema],
  );
  const enums = await c.query<{ name: string; labels: string[] }>(
    `SELECT t.typname::text AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
      WHERE n.nspname = $1 GROUP BY t.typname ORDER BY 1`,
    [schema],
  );
  const indexes = await c.query<DbIndex>(
    `SELECT c.relname AS "table", i.relname AS name, x.indisprimary AS primary, x.indisunique AS unique, am.amname AS method,
            (x.indexprs IS NOT NULL OR x.indpred IS NOT NULL) AS "sqlOnly",
            array(SELECT a.attname::text FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns
       FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_class c ON c.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_am am ON am.oid = i.relam
      WHERE n.nspname = $1 AND NOT c.relispartition ORDER BY 1, 2`,
    [schema],
  );
  const foreignKeys = await c.query<DbForeignKey & { onDelete: string; onUpdate: string }>(
    `SELECT c.relname AS "table", k.conname AS name, r.relname AS "refTable",
            array(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum ORDER BY u.ord) AS columns,
            array(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY u(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.attnum ORDER BY u.ord) AS "refColumns",
            k.confdeltype AS "onDelete", k.confupdtype AS "onUpdate"
       FROM pg_constraint k
       JOIN pg_class c ON c.oid = k.conrelid
       JOIN pg_class r ON r.oid = k.confrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND k.contype = 'f' AND k.conparentid = 0 ORDER BY 1, 2`,
    [schema],
  );
  return {
    tables: tables.rows.map((t) => t.name),
    columns: columns.rows,
    enums: enums.rows,
    indexes: indexes.rows,
    foreignKeys: foreignKeys.rows.map((fk) => ({
      ...fk,
      onDelete: REFERENTIAL_ACTIONS[fk.onDelete] ?? fk.onDelete,
      onUpdate: REFERENTIAL_ACTIONS[fk.onUpdate] ?? fk.onUpdate,
    })),
  };
}

// ---------------------------------------------------------------------------
// The comparison
// ---------------------------------------------------------------------------

const tableOf = (m: DmmfModel): string => m.dbName ?? m.name;
const columnOf = (f: DmmfField): string => f.dbName ?? f.name;
const enumTypeOf = (e: DmmfEnum): string => e.dbName ?? e.name;
const list = (names: readonly string[]): string => `(${names.join(', ')})`;
const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The column types PostgreSQL reports (format_type) for a scalar field: its @db
 * native type, or the type Prisma Migrate gives the Prisma type by default.
 * Null: a type this comparison does not know (reported as a difference).
 */
function expectedScalarTypes(field: DmmfField): string[] | null {
  const [native, args] = field.nativeType ?? [null, []];
  const arg = (fallback?: string): string => (args.length > 0 ? `(${args.join(',')})` : (fallback ?? ''));
  let types: string[] | undefined;
  if (native === null) {
    types = {
      String: ['text'],
      Int: ['integer'],
      BigInt: ['bigint'],
      Float: ['double precision'],
      Decimal: ['numeric(65,30)'],
      Boolean: ['boolean'],
      DateTime: ['timestamp(3) without time zone'],
      Json: ['jsonb'],
      Bytes: ['bytea'],
    }[field.type];
  } else {
    // Without a precision, PostgreSQL's default (6) may be spelt out or not.
    const time = (base: string, zone: string): string[] => (args.length > 0 ? [`${base}${arg()} ${zone}`] : [`${base} ${zone}`, `${base}(6) ${zone}`]);
    types = {
      Text: ['text'],
      Char: [`character${arg('(1)')}`],
      VarChar: [`character varying${arg()}`],
      Uuid: ['uuid'],
      Citext: ['citext'],
      Xml: ['xml'],
      Inet: ['inet'],
      Bit: [`bit${arg('(1)')}`],
      VarBit: [`bit varying${arg()}`],
      SmallInt: ['smallint'],
      Integer: ['integer'],
      Oid: ['oid'],
      BigInt: ['bigint'],
      Real: ['real'],
      DoublePrecision: ['double precision'],
      Decimal: [`numeric${arg()}`],
      Money: ['money'],
      Boolean: ['boolean'],
      Date: ['date'],
      Time: time('time', 'without time zone'),
      Timetz: time('time', 'with time zone'),
      Timestamp: time('timestamp', 'without time zone'),
      Timestamptz: time('timestamp', 'with time zone'),
      Json: ['json'],
      JsonB: ['jsonb'],
      ByteA: ['bytea'],
    }[native];
  }
  if (!types) return null;
  return field.isList ? types.map((t) => `${t}[]`) : types;
}

/** Strips casts and parentheses PostgreSQL adds to a default: `'F'::"Reliability"` → `'F'`, `(-1)` → `-1`. */
function bareDefault(expr: string): string {
  let e = expr.trim();
  for (;;) {
    const cast = /^(.*?)::[\w" .]+(\[\])?(\(\d+(,\d+)?\))?$/s.exec(e);
    // (A cast inside a string literal leaves an odd number of quotes before it.)
    if (cast && (cast[1].match(/'/g)?.length ?? 0) % 2 === 0) e = cast[1].trim();
    else if (/^\(.*\)$/s.test(e)) e = e.slice(1, -1).trim();
    else return e;
  }
}

const sqlString = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/**
 * What the database default of a field's column should be, as a check on
 * pg_get_expr()'s text; null when the column should have no default.
 */
function expectedDefault(field: DmmfField, enums: Map<string, DmmfEnum>): ((actual: string) => boolean) | null {
  const d = field.default;
  if (d === undefined || d === null || field.isList) return null;
  if (typeof d === 'object') {
    const fn = d as { name: string; args: unknown[] };
    switch (fn.name) {
      case 'dbgenerated':
        return fn.args.length === 0 ? () => true : (actual) => actual.replace(/\s+/g, ' ') === String(fn.args[0]).replace(/\s+/g, ' ');
      case 'now':
        return (actual) => ['CURRENT_TIMESTAMP', 'now()'].includes(actual);
      case 'autoincrement':
        return (actual) => actual.startsWith('nextval(');
      default:
        // uuid(), cuid(), nanoid(), ulid() …: generated by the client, no database default.
        return null;
    }
  }
  if (field.kind === 'enum') {
    const value = enums.get(field.type)?.values.find((v) => v.name === d);
    return (actual) => bareDefault(actual) === sqlString(value?.dbName ?? String(d));
  }
  if (typeof d === 'string') return (actual) => bareDefault(actual) === sqlString(d);
  if (typeof d === 'number') return (actual) => Number(bareDefault(actual).replace(/^'(.*)'$/, '$1')) === d;
  if (typeof d === 'boolean') return (actual) => bareDefault(actual) === String(d);
  return () => false;
}

/**
 * Every difference between Prisma's data model and the database schema, as
 * readable sentences; empty when they agree. Parts the data model cannot express
 * (CHECK constraints, expression, partial and non-B-tree indexes) are ignored.
 */
function schemaDifferences(datamodel: Datamodel, db: DbSchema): string[] {
  const out: string[] = [];
  const enums = new Map(datamodel.enums.map((e) => [e.name, e]));
  const models = new Map(datamodel.models.map((m) => [m.name, m]));
  const dbEnums = new Map(db.enums.map((e) => [e.name, e.labels]));
  const columnsOf = (table: string): Map<string, DbColumn> => new Map(db.columns.filter((c) => c.table === table).map((c) => [c.name, c]));
  const fieldsByName = (m: DmmfModel): Map<string, DmmfField> => new Map(m.fields.map((f) => [f.name, f]));
  const columnsFor = (m: DmmfModel, fields: readonly string[]): string[] =>
    fields.map((name) => {
      const f = fieldsByName(m).get(name);
      return f ? columnOf(f) : `<unknown field ${name}>`;
    });

  // Enums
  for (const e of datamodel.enums) {
    const labels = dbEnums.get(enumTypeOf(e));
    const expected = e.values.map((v) => v.dbName ?? v.name);
    if (!labels) out.push(`enum ${e.name}: type "${enumTypeOf(e)}" is missing from the database`);
    else if (!sameList(labels, expected)) {
      out.push(`enum ${e.name}: database labels ${list(labels)} differ from the schema's ${list(expected)} (values and order must match)`);
    }
  }
  const enumTypes = new Set(datamodel.enums.map(enumTypeOf));
  for (const e of db.enums) {
    if (!enumTypes.has(e.name)) out.push(`enum type "${e.name}" exists in the database but not in schema.prisma`);
  }

  // Tables and columns
  const modelTables = new Set(datamodel.models.map(tableOf));
  for (const table of db.tables) {
    if (!modelTables.has(table) && !IGNORED_TABLES.has(table)) out.push(`table "${table}" exists in the database but no model maps to it`);
  }
  for (const m of datamodel.models) {
    const table = tableOf(m);
    if (!db.tables.includes(table)) {
      out.push(`model ${m.name}: table "${table}" is missing`);
      continue;
    }
    const columns = columnsOf(table);
    const scalars = m.fields.filter((f) => f.kind !== 'object');
    for (const f of scalars) {
      const where = `model ${m.name}, field ${f.name}: column "${table}"."${columnOf(f)}"`;
      const col = columns.get(columnOf(f));
      if (!col) {
        out.push(`${where} is missing`);
        continue;
      }
      if (f.kind === 'enum') {
        const e = enums.get(f.type);
        const typeName = e ? enumTypeOf(e) : f.type;
        if (!col.isEnum || col.typeName !== typeName || col.isArray !== f.isList) {
          out.push(`${where} has type ${col.type}, expected the enum type "${typeName}"${f.isList ? '[]' : ''}`);
        }
      } else if (f.kind === 'scalar') {
        const expected = expectedScalarTypes(f);
        if (expected === null) out.push(`${where}: no known column type for ${f.type}${f.nativeType ? ` @db.${f.nativeType[0]}` : ''}`);
        else if (!expected.includes(col.type)) out.push(`${where} has type ${col.type}, expected ${expected.join(' or ')}`);
      } else {
        out.push(`${where}: field kind "${f.kind}" is not compared`);
      }
      if (col.notNull !== f.isRequired) {
        out.push(`${where} is ${col.notNull ? 'NOT NULL' : 'NULLable'} but the field is ${f.isRequired ? 'required' : 'optional'}`);
      }
      const check = expectedDefault(f, enums);
      if (check === null && col.default !== null) {
        out.push(`${where} has default ${col.default} but the field has no database default`);
      } else if (check !== null && (col.default === null || !check(col.default))) {
        out.push(`${where} has default ${col.default ?? '(none)'}, expected ${JSON.stringify(f.default)}`);
      }
    }
    const fieldColumns = new Set(scalars.map(columnOf));
    for (const name of columns.keys()) {
      if (!fieldColumns.has(name)) out.push(`model ${m.name}: column "${table}"."${name}" has no field in the model`);
    }

    // Primary key
    const pkFields = m.primaryKey?.fields ?? m.fields.filter((f) => f.isId).map((f) => f.name);
    const pk = db.indexes.find((i) => i.table === table && i.primary);
    const pkColumns = columnsFor(m, pkFields);
    const partitioned = PARTITIONED[table];
    const tablePk = partitioned ? [...pkColumns, partitioned.start] : pkColumns;
    if (!pk) out.push(`model ${m.name}: table "${table}" has no primary key, expected ${list(tablePk)}`);
    else if (!sameList(pk.columns, tablePk)) out.push(`model ${m.name}: primary key is ${list(pk.columns)}, expected ${list(tablePk)}`);
    if (partitioned) {
      const keysPk = db.indexes.find((i) => i.table === partitioned.keys && i.primary);
      if (!keysPk || !sameList(keysPk.columns, pkColumns)) {
        out.push(
          `model ${m.name}: key table "${partitioned.keys}" has ${keysPk ? `primary key ${list(keysPk.columns)}` : 'no primary key'}, expected ${list(pkColumns)}`,
        );
      }
    }

    // Unique constraints and indexes (@unique, @@unique, @@index)
    const modelIndexes = datamodel.indexes.filter((i) => i.model === m.name && i.type !== 'id');
    const plainIndexesOf = (t: string) => db.indexes.filter((i) => i.table === t && !i.primary && !i.sqlOnly);
    const plainIndexes = plainIndexesOf(table);
    for (const idx of modelIndexes) {
      const cols = columnsFor(
        m,
        idx.fields.map((f) => f.name),
      );
      const unique = idx.type === 'unique';
      const method = (idx.algorithm ?? 'BTree').toLowerCase();
      const where = unique && partitioned ? partitioned.keys : table;
      const found = plainIndexesOf(where).find((i) => sameList(i.columns, cols) && i.unique === unique && i.method === method);
      if (!found) {
        out.push(
          `model ${m.name}: ${unique ? 'unique constraint' : `${method} index`} on ${list(cols)}${where === table ? '' : ` (in "${where}")`} is missing`,
        );
      }
    }
    for (const i of plainIndexes) {
      const declared = modelIndexes.some(
        (idx) =>
          sameList(
            columnsFor(
              m,
              idx.fields.map((f) => f.name),
            ),
            i.columns,
          ) && (idx.type === 'unique') === i.unique,
      );
      // Non-unique, non-B-tree indexes (GIN, GiST …) may live in the migration SQL only.
      if (!declared && (i.unique || i.method === 'btree')) {
        out.push(`model ${m.name}: ${i.unique ? 'unique ' : ''}index "${i.name}" on ${list(i.columns)} is not declared in the model`);
      }
    }

    // Foreign keys of the relation fields that hold them
    const fks = db.foreignKeys.filter((k) => k.table === table);
    const matched = new Set<DbForeignKey>();
    for (const f of m.fields.filter((r) => r.kind === 'object' && (r.relationFromFields?.length ?? 0) > 0)) {
      const target = models.get(f.type);
      const cols = columnsFor(m, f.relationFromFields!);
      const refCols = target ? columnsFor(target, f.relationToFields ?? []) : [];
      const refTable = target ? (PARTITIONED[tableOf(target)]?.keys ?? tableOf(target)) : f.type;
      const where = `model ${m.name}, relation ${f.name}: foreign key ${list(cols)} → "${refTable}"${list(refCols)}`;
      const fk = fks.find((k) => sameList(k.columns, cols) && k.refTable === refTable && sameList(k.refColumns, refCols));
      if (!fk) {
        out.push(`${where} is missing`);
        continue;
      }
      matched.add(fk);
      // Prisma's defaults: Restrict when the relation is required, SetNull when optional; updates cascade.
      const allRequired = f.relationFromFields!.every((name) => fieldsByName(m).get(name)?.isRequired);
      const onDelete = f.relationOnDelete ?? (allRequired ? 'Restrict' : 'SetNull');
      const onUpdate = f.relationOnUpdate ?? 'Cascade';
      if (fk.onDelete !== onDelete) out.push(`${where}: ON DELETE ${fk.onDelete}, expected ${onDelete}`);
      if (fk.onUpdate !== onUpdate) out.push(`${where}: ON UPDATE ${fk.onUpdate}, expected ${onUpdate}`);
    }
    for (const k of fks) {
      if (!matched.has(k)) out.push(`model ${m.name}: foreign key "${k.name}" ${list(k.columns)} → "${k.refTable}" has no relation in the model`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

const datamodel = getDatamodel(fs.readFileSync(SCHEMA_PATH, 'utf8'));
const clone = (): Datamodel => structuredClone(datamodel);

const database = useClientDatabase();
let migrated: DbSchema;
beforeAll(async () => {
  migrated = await introspect(database.client);
});

it("reads the data model with Prisma's own schema parser", () => {
  expect(datamodel.models.length).toBeGreaterThan(0);
  expect(datamodel.models.map((m) => m.name)).toContain('Actor');
  expect(() => getDatamodel('model Broken {\n  id Int @id\n  other Missing\n}')).toThrow(/Missing/);
});

it('generated client matches schema.prisma (run `npm run codegen` if not)', async () => {
  // Models, their scalar fields and enums as the generated client knows them …
  expect(Object.keys(Prisma.ModelName)).toEqual(datamodel.models.map((m) => m.name));
  const namespace = Prisma as unknown as Record<string, Record<string, string>>;
  for (const m of datamodel.models) {
    expect({ model: m.name, fields: Object.keys(namespace[`${m.name}ScalarFieldEnum`] ?? {}) }).toEqual({
      model: m.name,
      fields: m.fields.filter((f) => f.kind !== 'object').map((f) => f.name),
    });
  }
  const clientEnums = Object.entries(generatedEnums).map(([name, values]) => ({ name, values: Object.values(values) }));
  expect(clientEnums).toEqual(datamodel.enums.map((e) => ({ name: e.name, values: e.values.map((v) => v.name) })));

  // … and the table and column names it sends to the database (its runtime data model).
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.url }) });
  try {
    const runtime = (
      prisma as unknown as { _runtimeDataModel?: { models: Record<string, { dbName: string | null; fields: { name: string; dbName?: string | null }[] }> } }
    )._runtimeDataModel;
    expect(runtime).toBeDefined();
    const names = (models: Record<string, { dbName: string | null; fields: { name: string; dbName?: string | null }[] }>) =>
      Object.entries(models).map(([name, m]) => ({ name, table: m.dbName ?? name, columns: m.fields.map((f) => f.dbName ?? f.name) }));
    expect(names(runtime!.models)).toEqual(names(Object.fromEntries(datamodel.models.map((m) => [m.name, { dbName: m.dbName, fields: m.fields }]))));
  } finally {
    await prisma.$disconnect();
  }
});

it('the migrated database matches schema.prisma', () => {
  // On failure Jest prints every difference found.
  expect(schemaDifferences(datamodel, migrated)).toEqual([]);
  // The comparison saw the whole schema, not an empty one.
  expect(migrated.tables.filter((t) => !IGNORED_TABLES.has(t)).sort()).toEqual(datamodel.models.map(tableOf).sort());
  expect(migrated.foreignKeys.length).toBeGreaterThan(0);
});

describe('the comparison reports drift', () => {
  it('in the data model: every kind of alteration is found', () => {
    const altered = clone();
    const model = (name: string): DmmfModel => altered.models.find((m) => m.name === name)!;
    const field = (m: string, f: string): DmmfField => model(m).fields.find((x) => x.name === f)!;

    field('Actor', 'description').isRequired = true; // nullability
    field('Actor', 'countryCode').dbName = 'iso_code'; // @map to a column that does not exist
    field('Event', 'latitude').type = 'Int'; // type
    field('Source', 'url').nativeType = ['VarChar', ['200']]; // @db type
    field('Affiliation', 'confidence').default = 'ALLEGED'; // default
    field('Citation', 'source').relationOnDelete = 'Cascade'; // referential action
    model('EventParticipant').primaryKey = { name: null, fields: ['eventId', 'actorId'] }; // @@id
    altered.indexes.push({ model: 'Source', type: 'unique', fields: [{ name: 'title' }] }); // @@unique
    altered.enums.find((e) => e.name === 'Confidence')!.values.reverse(); // enum order
    model('ShipmentEvent').dbName = 'shipment_reports'; // @@map

    const differences = schemaDifferences(altered, migrated);
    const expected = [
      /model Actor, field description: column "actors"."description" is NULLable but the field is required/,
      /model Actor, field countryCode: column "actors"."iso_code" is missing/,
      /model Actor: column "actors"."country_code" has no field in the model/,
      /model Event, field latitude: column "events"."latitude" has type double precision, expected integer/,
      /model Source, field url: column "sources"."url" has type text, expected character varying\(200\)/,
      /model Affiliation, field confidence: column "affiliations"."confidence" has default 'REPORTED'::"Confidence", expected "ALLEGED"/,
      /model Citation, relation source: foreign key \(source_id\) → "sources"\(id\): ON DELETE Restrict, expected Cascade/,
      /model EventParticipant: primary key is \(event_id, actor_id, role\), expected \(event_id, actor_id\)/,
      /model Source: unique constraint on \(title\) is missing/,
      /enum Confidence: database labels \(CONFIRMED, REPORTED, ALLEGED, ASSESSED\) differ/,
      /model ShipmentEvent: table "shipment_reports" is missing/,
      /table "shipment_events" exists in the database but no model maps to it/,
    ];
    for (const pattern of expected) expect(differences).toContainEqual(expect.stringMatching(pattern));
    expect(differences).toHaveLength(expected.length);
  });

  it('in the database: a scratch copy altered with DDL is caught on every point', async () => {
    // The scratch copy is the migrated database inside a transaction that is rolled
    // back afterwards (PostgreSQL DDL is transactional), so the alterations never stick.
    await database.client.query('BEGIN');
    try {
      await database.client.query(`
        ALTER TABLE "actors" DROP COLUMN "description";
        ALTER TABLE "actors" ADD COLUMN "nickname" TEXT;
        ALTER TABLE "events" ALTER COLUMN "latitude" TYPE REAL;
        ALTER TABLE "sources" ALTER COLUMN "url" SET NOT NULL;
        ALTER TABLE "citations" ALTER COLUMN "credibility" DROP DEFAULT;
        ALTER TABLE "citations" DROP CONSTRAINT "citations_source_id_fkey";
        ALTER TABLE "actor_aliases" DROP CONSTRAINT "actor_aliases_actor_id_fkey",
          ADD CONSTRAINT "actor_aliases_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "actors"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
        ALTER TABLE "shipment_events" DROP CONSTRAINT "shipment_events_pkey";
        CREATE UNIQUE INDEX "sources_title_key" ON "sources"("title");
        DROP INDEX "events_type_span_start_idx";
        DROP INDEX "shipment_keys_dataset_external_id_key";
        ALTER TYPE "Reliability" ADD VALUE 'G';
        CREATE TYPE "Mood" AS ENUM ('HAPPY');
        CREATE TABLE "stray" ("id" INTEGER PRIMARY KEY);
      `);
      const differences = schemaDifferences(datamodel, await introspect(database.client));
      const expected = [
        /model Actor, field description: column "actors"."description" is missing/,
        /model Actor: column "actors"."nickname" has no field in the model/,
        /model Event, field latitude: column "events"."latitude" has type real, expected double precision/,
        /model Source, field url: column "sources"."url" is NOT NULL but the field is optional/,
        /model Citation, field credibility: column "citations"."credibility" has default \(none\), expected 6/,
        /model Citation, relation source: foreign key \(source_id\) → "sources"\(id\) is missing/,
        /model ActorAlias, relation actor: foreign key \(actor_id\) → "actors"\(id\): ON DELETE Restrict, expected Cascade/,
        /model ShipmentEvent: table "shipment_events" has no primary key, expected \(shipment_id, event_id\)/,
        /model Source: unique index "sources_title_key" on \(title\) is not declared in the model/,
        /model Event: btree index on \(type, span_start\) is missing/,
        /model Shipment: unique constraint on \(dataset, external_id\) \(in "shipment_keys"\) is missing/,
        /enum Reliability: database labels \(A, B, C, D, E, F, G\) differ from the schema's \(A, B, C, D, E, F\)/,
        /enum type "Mood" exists in the database but not in schema.prisma/,
        /table "stray" exists in the database but no model maps to it/,
      ];
      for (const pattern of expected) expect(differences).toContainEqual(expect.stringMatching(pattern));
      expect(differences).toHaveLength(expected.length);
    } finally {
      await database.client.query('ROLLBACK');
    }
    // Rolled back: the database agrees with the schema again.
    expect(schemaDifferences(datamodel, await introspect(database.client))).toEqual([]);
  });
});
