// Variables that do not coerce (a malformed Date or DateTime, a wrong enum, a missing required
// variable) are refused by graphql-js before any resolver runs: BAD_USER_INPUT with
// extensions.field naming the argument path at fault, as the resolvers' own errors do.
import { startTestServer, useServer, type GqlResponse } from '../support/server';

const server = useServer({ seedOnStart: false });

const ID = '00000000-0000-4000-8000-000000000000';

function expectField(res: GqlResponse<unknown>, field: string) {
  expect(res.status).toBe(400);
  expect(res.data).toBeUndefined();
  expect(res.errors).toHaveLength(1);
  expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
}

it.each<[string, string, Record<string, unknown>, string]>([
  [
    'a day that does not exist in an input field (Date)',
    'mutation ($input: CreateClaimInput!) { createClaim(input: $input) { id } }',
    { input: { claimantId: ID, eventId: ID, likelihood: 'LIKELY', statedOn: '2030-02-30' } },
    'input.statedOn',
  ],
  ['a malformed instant as an argument (DateTime)', 'query ($t: DateTime) { events(asOf: $t) { totalCount } }', { t: '2030-02-30T00:00:00Z' }, 'asOf'],
  [
    'a variable inside an input object written in the document',
    'query ($f: Date) { events(filter: { from: $f }) { totalCount } }',
    { f: '2023-13-01' },
    'filter.from',
  ],
  [
    'a wrong enum deep in a list of the variable',
    'mutation ($input: CreateEventInput!) { createEvent(input: $input) { id } }',
    {
      input: {
        type: 'MEETING',
        title: 't',
        confidence: 'REPORTED',
        date: { edtf: '2023' },
        participants: [
          { actorId: ID, role: 'INITIATOR' },
          { actorId: ID, role: 'KING' },
        ],
      },
    },
    'input.participants[1].role',
  ],
  ['a required variable left out', 'query ($s: DateTime!) { changes(since: $s) { settledUntil } }', {}, 'since'],
  ['a variable of the wrong type, named differently from its argument', 'query ($n: Int) { actors(first: $n) { totalCount } }', { n: 'many' }, 'first'],
  [
    'a variable used in two places: its own name',
    'query ($t: DateTime) { events(asOf: $t) { totalCount } shipments(asOf: $t) { totalCount } }',
    { t: 'yesterday' },
    't',
  ],
])('%s', async (_case, query, variables, field) => {
  expectField(await server.gql(query, variables), field);
});

it('keeps the field in production, where other details are stripped', async () => {
  const production = await startTestServer({ seedOnStart: false, production: true }, { database: server.database });
  try {
    expectField(await production.gql('query ($t: DateTime) { events(asOf: $t) { totalCount } }', { t: '2030-02-30T00:00:00Z' }), 'asOf');
  } finally {
    await production.stop();
  }
});
