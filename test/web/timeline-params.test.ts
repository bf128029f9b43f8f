// The timeline page's URL (web/timeline/params.ts): what it carries, what it leaves out, the
// variables it sends, and its enum lists kept equal to schema.graphql's.
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, GraphQLEnumType } from 'graphql';
import { CONFIDENCES, DEFAULTS, EVENT_TYPES, feedVariables, KINDS, paramsFromSearch, searchOf, type TimelineParams } from '../../web/timeline/params';

const schema = buildSchema(fs.readFileSync(path.resolve(__dirname, '../../schema.graphql'), 'utf8'));
const enumValues = (name: string) => (schema.getType(name) as GraphQLEnumType).getValues().map((v) => v.name);

const FULL: TimelineParams = {
  actors: ['a1', 'a2'],
  match: 'ALL',
  from: '2023-07-01',
  to: '2023-10-31',
  window: 'WITHIN',
  kinds: ['EVENT', 'SHIPMENT'],
  types: ['MEETING', 'VISIT'],
  minConfidence: 'REPORTED',
  minSources: 2,
  asOf: '2026-12-01T13:46:57Z',
  reportedBy: '2023-10-13',
  view: { from: '2023-08-01', to: '2023-09-30' },
  item: 'i1',
};

describe('the timeline URL', () => {
  it('round-trips every choice', () => {
    const search = searchOf(FULL);
    expect(search).toBe(
      'actors=a1,a2&match=ALL&from=2023-07-01&to=2023-10-31&window=WITHIN&kinds=EVENT,SHIPMENT&types=MEETING,VISIT' +
        '&minConfidence=REPORTED&minSources=2&asOf=2026-12-01T13:46:57Z&reportedBy=2023-10-13&view=2023-08-01/2023-09-30&item=i1',
    );
    expect(paramsFromSearch(search)).toEqual({ params: FULL, ignored: [] });
  });

  it('leaves the defaults out, and reads an empty query string as the defaults', () => {
    expect(searchOf(DEFAULTS)).toBe('');
    expect(searchOf({ ...DEFAULTS, actors: ['a1'], kinds: [...KINDS] })).toBe('actors=a1');
    expect(paramsFromSearch('')).toEqual({ params: DEFAULTS, ignored: [] });
  });

  it('keeps a "+" of a time zone in asOf', () => {
    const p = { ...DEFAULTS, actors: ['a1'], asOf: '2026-12-01T14:46:57+01:00' };
    expect(paramsFromSearch(searchOf(p)).params.asOf).toBe('2026-12-01T14:46:57+01:00');
  });

  it('reads lists repeated or comma-separated, without duplicates; every kind is the same as none', () => {
    const { params } = paramsFromSearch('?actors=a1&actors=a2,a1&kinds=EVENT,SHIPMENT,AFFILIATION&types=VISIT,MEETING');
    expect(params.actors).toEqual(['a1', 'a2']);
    expect(params.kinds).toEqual([]);
    expect(params.types).toEqual(['VISIT', 'MEETING']);
  });

  it('says which values it could not use, and uses the rest', () => {
    const { params, ignored } = paramsFromSearch('?actors=a1&match=SOME&kinds=EVENT,PLANE&minConfidence=SURE&minSources=two&view=2023-09-30/2023-08-01');
    expect([...ignored].sort()).toEqual(['kinds=PLANE', 'match=SOME', 'minConfidence=SURE', 'minSources=two', 'view=2023-09-30/2023-08-01']);
    expect(params).toMatchObject({ match: 'ANY', kinds: ['EVENT'], minConfidence: '', minSources: null, view: null });
  });

  it('passes dates and asOf on as given, for the API to refuse with the field named', () => {
    expect(paramsFromSearch('?from=2023-13-45&asOf=yesterday').params).toMatchObject({ from: '2023-13-45', asOf: 'yesterday' });
  });
});

describe('feedVariables', () => {
  const all = new Set(['actorIds', 'match', 'from', 'to', 'window', 'include', 'types', 'minConfidence', 'minSources', 'asOf', 'reportedBy']);

  it('sends every choice the operation declares: actors as actorIds, kinds as include, the rest under its own name; never the view or the item', () => {
    const { actors, kinds, view, item, ...sameName } = FULL;
    expect(Object.keys(sameName)).toHaveLength(9);
    expect(feedVariables(FULL, all)).toEqual({ ...sameName, actorIds: actors, include: kinds });
  });

  it('leaves out what is not chosen (the API defaults apply) and what the operation does not declare (reportedBy today)', () => {
    const declared = new Set([...all].filter((v) => v !== 'reportedBy'));
    expect(feedVariables({ ...DEFAULTS, actors: ['a1'], reportedBy: '2023-10-13' }, declared)).toEqual({ actorIds: ['a1'], match: 'ANY', window: 'OVERLAPS' });
  });
});

describe('the page’s enum lists are the schema’s', () => {
  it.each([
    ['EventType', EVENT_TYPES],
    ['Confidence', CONFIDENCES],
    ['TimelineKind', KINDS],
  ] as const)('%s', (name, values) => {
    expect([...values]).toEqual(enumValues(name));
  });
});
