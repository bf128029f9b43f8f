// npm run schema:check: graphql-js's findBreakingChanges against the last release (or the
// committed baseline), and the documentation rule (every type, field, argument, input field
// and enum value described; @deprecated with a reason).
import { buildSchema } from 'graphql';
import fs from 'node:fs';
import { baseline, checkSchema, deprecations, documentationGaps, lastReleaseTag, SCHEMA_FILE } from '../scripts/schema-check';

const base = `
"Root."
type Query {
  "An item."
  item(
    "Its id."
    id: ID!
  ): Item
}
"An item."
type Item {
  "Its id."
  id: ID!
  "Its name."
  name: String!
  "Its kind."
  kind: Kind
}
"Kinds."
enum Kind {
  "One kind."
  A
  "Another."
  B
}
`;
const against = { label: 'test', sdl: base };

test('no change: nothing to report', () => {
  expect(checkSchema(base, against)).toEqual({ breaking: [], dangerous: [], gaps: [], deprecated: [] });
});

test('deprecating a field is no breaking change, and is listed', () => {
  const sdl = base.replace('kind: Kind', 'kind: Kind @deprecated(reason: "Use `name`.")');
  expect(checkSchema(sdl, against)).toEqual({ breaking: [], dangerous: [], gaps: [], deprecated: ['Item.kind'] });
  expect(deprecations(buildSchema(sdl))).toEqual(['Item.kind']);
});

test('schema.graphql deprecates exactly these since the baseline (fields whose meaning had to change)', () => {
  const { deprecated, breaking } = checkSchema(fs.readFileSync(SCHEMA_FILE, 'utf8'), baseline());
  expect(breaking).toEqual([]);
  // Issue #26: an open or unknown end, a publication window, a claim without estimative language
  // (each keeps answering as before).
  expect(deprecated).toEqual([
    'Claim.likelihood',
    'Claim.likelihoodRange',
    'CreateClaimInput.likelihood',
    'CreateSourceInput.publishedAt',
    'DateSpan.end',
    'DateSpan.start',
    'Source.publishedAt',
    'UpdateClaimInput.likelihood',
    'UpdateSourceInput.publishedAt',
  ]);
});

test('removing a field, changing its type, adding a required argument or removing an enum value is breaking', () => {
  const cases = [
    base.replace('  "Its name."\n  name: String!\n', ''),
    base.replace('name: String!', 'name: Int!'),
    base.replace('id: ID!\n  ): Item', 'id: ID!\n    "New."\n    strict: Boolean!\n  ): Item'),
    base.replace('  "Another."\n  B\n', ''),
  ];
  const types = cases.map((sdl) => checkSchema(sdl, against).breaking.map((c) => c.type));
  expect(types).toEqual([['FIELD_REMOVED'], ['FIELD_CHANGED_KIND'], ['REQUIRED_ARG_ADDED'], ['VALUE_REMOVED_FROM_ENUM']]);
});

test('adding a described field is fine; adding an enum value is dangerous, not breaking', () => {
  const added = checkSchema(base.replace('  "Its kind."', '  "New."\n  note: String\n  "Its kind."'), against);
  expect(added).toEqual({ breaking: [], dangerous: [], gaps: [], deprecated: [] });
  const value = checkSchema(base.replace('  B\n', '  B\n  "Third."\n  C\n'), against);
  expect(value.breaking).toEqual([]);
  expect(value.dangerous.map((c) => c.type)).toEqual(['VALUE_ADDED_TO_ENUM']);
});

test('undocumented elements and reasonless deprecations are gaps', () => {
  const sdl = base
    .replace('  "Its name."\n', '')
    .replace('    "Its id."\n', '')
    .replace('"Kinds."\n', '')
    .replace('  "Another."\n  B', '  B')
    .replace('kind: Kind', 'kind: Kind @deprecated');
  expect(documentationGaps(buildSchema(sdl)).sort()).toEqual([
    'argument Query.item(id)',
    'enum value Kind.B',
    'field Item.kind: @deprecated needs a reason of its own',
    'field Item.name',
    'type Kind',
  ]);
  expect(documentationGaps(buildSchema(base.replace('kind: Kind', 'kind: Kind @deprecated(reason: "Use `name`.")')))).toEqual([]);
});

test('the baseline: the newest v* tag when there is one, else schema.baseline.graphql; --against reads any git ref', () => {
  const b = baseline();
  if (lastReleaseTag()) expect(b.label).toMatch(/^schema\.graphql at v/);
  else expect(b.label).toMatch(/^schema\.baseline\.graphql/);
  expect(() => buildSchema(b.sdl)).not.toThrow();
  expect(baseline('HEAD').label).toBe('schema.graphql at HEAD');
  expect(() => baseline('no-such-ref-xyz')).toThrow(/cannot be read/);
});
