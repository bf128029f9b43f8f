// A claim's stated likelihood: an ICD 203 band only where the claimant's words carry estimative
// language, null otherwise — through the API (create, update, the deprecated field answering as
// before), bad input naming its field, and an export → import round trip into a fresh database.
import { csvPerKind, exportedRecords, IMPORT_RECORDS, ndjsonOf } from '../support/records';
import { useServer, useServersPerTest, type GqlResponse, type TestServer } from '../support/server';

const server = useServer({});

function data<T = any>(res: GqlResponse<T>): T {
  expect(res.errors).toBeUndefined();
  return res.data as T;
}

const CLAIM = 'id statedLikelihood statedLikelihoodRange { min max } likelihood likelihoodRange { min max }';
const CREATE = `mutation ($input: CreateClaimInput!) { createClaim(input: $input) { ${CLAIM} } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateClaimInput!) { updateClaim(id: $id, input: $input) { ${CLAIM} } }`;

let claimantId: string;
let eventId: string;

beforeAll(async () => {
  claimantId = data(await server.gql(`mutation { createActor(input: { name: "An Expert", kind: PERSON }) { id } }`)).createActor.id;
  eventId = data(
    await server.gql(
      `mutation ($a: ID!) { createEvent(input: { type: STATEMENT, title: "A statement", date: { edtf: "2023-09" }, confidence: REPORTED,
      participants: [{ actorId: $a, role: SPEAKER }] }) { id } }`,
      { a: claimantId },
    ),
  ).createEvent.id;
});

const claim = (extra: Record<string, unknown>) => ({ claimantId, eventId, value: 'supplies will not change the situation', ...extra });

it('null: the words carry no estimative language; the deprecated field answers ALMOST_CERTAIN as flat assertions did', async () => {
  const created = data(await server.gql(CREATE, { input: claim({ statedLikelihood: null }) })).createClaim;
  expect(created).toMatchObject({ statedLikelihood: null, statedLikelihoodRange: null, likelihood: 'ALMOST_CERTAIN', likelihoodRange: { min: 95, max: 99 } });
  const { rows } = await server.db.pool.query('SELECT likelihood FROM claims WHERE id = $1', [created.id]);
  expect(rows).toEqual([{ likelihood: null }]);
});

it('a band where the words carry one; the deprecated input still works and both fields agree', async () => {
  const stated = data(await server.gql(CREATE, { input: claim({ statedLikelihood: 'LIKELY' }) })).createClaim;
  expect(stated).toMatchObject({ statedLikelihood: 'LIKELY', statedLikelihoodRange: { min: 55, max: 80 }, likelihood: 'LIKELY' });
  const legacy = data(await server.gql(CREATE, { input: claim({ likelihood: 'UNLIKELY' }) })).createClaim;
  expect(legacy).toMatchObject({ statedLikelihood: 'UNLIKELY', likelihood: 'UNLIKELY', likelihoodRange: { min: 20, max: 45 } });
});

it('update: null clears the band, leaving it out keeps it', async () => {
  const { id } = data(await server.gql(CREATE, { input: claim({ statedLikelihood: 'VERY_LIKELY' }) })).createClaim;
  expect(data(await server.gql(UPDATE, { id, input: { confidence: 'ALLEGED' } })).updateClaim.statedLikelihood).toBe('VERY_LIKELY');
  expect(data(await server.gql(UPDATE, { id, input: { statedLikelihood: null } })).updateClaim).toMatchObject({
    statedLikelihood: null,
    likelihood: 'ALMOST_CERTAIN',
  });
  expect(data(await server.gql(UPDATE, { id, input: { likelihood: 'LIKELY' } })).updateClaim.statedLikelihood).toBe('LIKELY');
});

it('neither or both: BAD_USER_INPUT on the field at fault, nothing written', async () => {
  const before = (await server.db.pool.query('SELECT count(*)::int AS n FROM claims')).rows[0].n;
  const neither = await server.gql(CREATE, { input: claim({}) });
  expect(neither.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.statedLikelihood' });
  const both = await server.gql(CREATE, { input: claim({ statedLikelihood: 'LIKELY', likelihood: 'LIKELY' }) });
  expect(both.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.likelihood' });
  expect((await server.db.pool.query('SELECT count(*)::int AS n FROM claims')).rows[0].n).toBe(before);
});

describe('export → import into a fresh database', () => {
  const bands = async (on: TestServer) =>
    (await on.db.pool.query('SELECT value, likelihood FROM claims ORDER BY likelihood NULLS FIRST, id')).rows.map((r) => [r.likelihood]);

  const startFresh = useServersPerTest();

  it('as NDJSON and as CSV, a claim without estimative language stays without', async () => {
    const records = await exportedRecords(server.database.url);
    const claims = records.filter((r) => r.kind === 'claim').map((r) => r.record);
    expect(claims.some((r) => !('likelihood' in r))).toBe(true);
    let fresh = await startFresh();
    expect(data(await fresh.gql(IMPORT_RECORDS, { format: 'NDJSON', data: ndjsonOf(records) })).importRecords).toEqual({ committed: true, errors: [] });
    expect(await bands(fresh)).toEqual(await bands(server));
    await fresh.stop();

    fresh = await startFresh();
    for (const { kind, data: csv } of csvPerKind(records)) {
      const result = data(await fresh.gql(IMPORT_RECORDS, { format: 'CSV', data: csv, kind })).importRecords;
      expect([kind, result]).toEqual([kind, { committed: true, errors: [] }]);
    }
    expect(await bands(fresh)).toEqual(await bands(server));
  }, 120_000);

  it('a claim record without a likelihood (as export writes one) has no estimative language; a bad one is named', async () => {
    const fresh = await startFresh();
    const lines = (likelihood?: string) =>
      [
        { kind: 'actor', externalId: 'x', name: 'X', actorKind: 'PERSON' },
        { kind: 'event', externalId: 'e', type: 'STATEMENT', title: 'T', date: { edtf: '2023-09' }, confidence: 'REPORTED' },
        { kind: 'claim', externalId: 'c', claimant: { externalId: 'x' }, event: { externalId: 'e' }, value: 'v', likelihood },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n');
    const bad = data(await fresh.gql(IMPORT_RECORDS, { format: 'NDJSON', data: lines('SOMEWHAT') })).importRecords;
    expect(bad.committed).toBe(false);
    expect(bad.errors).toContainEqual(expect.objectContaining({ kind: 'claim', field: 'likelihood' }));
    expect(data(await fresh.gql(IMPORT_RECORDS, { format: 'NDJSON', data: lines() })).importRecords).toEqual({ committed: true, errors: [] });
    expect((await fresh.db.pool.query('SELECT likelihood FROM claims')).rows).toEqual([{ likelihood: null }]);
  }, 120_000);
});
