// npm run schema:check — keeps client apps from being broken by surprise:
//   1. schema.graphql against the last release: the newest `v*` git tag's schema.graphql, or,
//      while no release is tagged, the committed baseline schema.baseline.graphql. Breaking
//      changes (graphql-js findBreakingChanges) fail the check; dangerous ones are listed.
//   2. Documentation: every type, field, argument, input field and enum value has a
//      description (they are the docs in GraphiQL's explorer), and every @deprecated has a
//      reason of its own.
//   3. Deprecations since the baseline are listed (a field whose meaning had to change keeps
//      answering as before, deprecated beside its successor); test/schema-check.test.ts pins
//      the list, so that a new one is a decision, not an accident.
//
//   npm run schema:check                        check (exit 1 on a breaking change or a gap)
//   npm run schema:check -- --against <ref>     compare with schema.graphql at a git ref instead
//   npm run schema:check -- --update-baseline   make the current schema the baseline (at a release)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  buildSchema,
  findBreakingChanges,
  findDangerousChanges,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLSchema,
} from 'graphql';

const root = path.resolve(__dirname, '..');
export const SCHEMA_FILE = path.join(root, 'schema.graphql');
export const BASELINE_FILE = path.join(root, 'schema.baseline.graphql');

function git(args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

/** The newest release tag (v1.2.3, by version order), if any. */
export function lastReleaseTag(): string | undefined {
  return git(['tag', '--list', 'v*', '--sort=-v:refname'])?.split('\n').find(Boolean);
}

/** What to compare with: a git ref's schema.graphql, else the committed baseline. */
export function baseline(ref?: string): { label: string; sdl: string } {
  const tag = ref ?? lastReleaseTag();
  if (tag) {
    const sdl = git(['show', `${tag}:schema.graphql`]);
    if (sdl === undefined) throw new Error(`schema.graphql cannot be read at ${tag}`);
    return { label: `schema.graphql at ${tag}`, sdl };
  }
  return { label: 'schema.baseline.graphql (no release tag yet: the committed baseline)', sdl: fs.readFileSync(BASELINE_FILE, 'utf8') };
}

/** Everything a client sees that has no description, or a deprecation without a reason. */
export function documentationGaps(schema: GraphQLSchema): string[] {
  const gaps: string[] = [];
  const deprecated = (where: string, reason: string | null | undefined) => {
    if (reason !== undefined && reason !== null && (reason.trim() === '' || reason === 'No longer supported'))
      gaps.push(`${where}: @deprecated needs a reason of its own`);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    if (!type.description?.trim()) gaps.push(`type ${type.name}`);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!field.description?.trim()) gaps.push(`field ${type.name}.${field.name}`);
        deprecated(`field ${type.name}.${field.name}`, field.deprecationReason);
        for (const arg of field.args) {
          if (!arg.description?.trim()) gaps.push(`argument ${type.name}.${field.name}(${arg.name})`);
          deprecated(`argument ${type.name}.${field.name}(${arg.name})`, arg.deprecationReason);
        }
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!field.description?.trim()) gaps.push(`input field ${type.name}.${field.name}`);
        deprecated(`input field ${type.name}.${field.name}`, field.deprecationReason);
      }
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) {
        if (!value.description?.trim()) gaps.push(`enum value ${type.name}.${value.name}`);
        deprecated(`enum value ${type.name}.${value.name}`, value.deprecationReason);
      }
    }
  }
  return gaps;
}

/** Every deprecated field, argument, input field and enum value, as "Type.field" (arguments "Type.field(arg)"). */
export function deprecations(schema: GraphQLSchema): string[] {
  const out: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (field.deprecationReason != null) out.push(`${type.name}.${field.name}`);
        for (const arg of field.args) if (arg.deprecationReason != null) out.push(`${type.name}.${field.name}(${arg.name})`);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) if (field.deprecationReason != null) out.push(`${type.name}.${field.name}`);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) if (value.deprecationReason != null) out.push(`${type.name}.${value.name}`);
    }
  }
  return out.sort();
}

export function checkSchema(currentSdl: string, base: { label: string; sdl: string }) {
  const current = buildSchema(currentSdl);
  const old = buildSchema(base.sdl);
  const before = new Set(deprecations(old));
  return {
    breaking: findBreakingChanges(old, current),
    dangerous: findDangerousChanges(old, current),
    gaps: documentationGaps(current),
    deprecated: deprecations(current).filter((d) => !before.has(d)),
  };
}

function main(argv: string[]): number {
  const sdl = fs.readFileSync(SCHEMA_FILE, 'utf8');
  if (argv.includes('--update-baseline')) {
    buildSchema(sdl);
    fs.writeFileSync(BASELINE_FILE, sdl);
    console.log('schema.baseline.graphql now holds the current schema.graphql');
    return 0;
  }
  const at = argv.indexOf('--against');
  const base = baseline(at >= 0 ? argv[at + 1] : undefined);
  const { breaking, dangerous, gaps, deprecated } = checkSchema(sdl, base);
  console.log(`schema:check: schema.graphql against ${base.label}`);
  for (const d of deprecated) console.log(`  deprecated since: ${d}`);
  for (const c of dangerous) console.log(`  dangerous (${c.type}): ${c.description}`);
  for (const c of breaking) console.log(`  BREAKING (${c.type}): ${c.description}`);
  for (const g of gaps) console.log(`  undocumented: ${g}`);
  if (breaking.length || gaps.length) {
    console.log(
      `schema:check failed: ${breaking.length} breaking change(s), ${gaps.length} undocumented element(s).` +
        (breaking.length ? ' Keep the old field/argument/value (mark it @deprecated(reason: "…")) or, for a new major release, tag it and compare again.' : ''),
    );
    return 1;
  }
  console.log(`schema:check passed: no breaking change, ${deprecated.length} deprecation(s), ${dangerous.length} dangerous change(s), everything documented`);
  return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
