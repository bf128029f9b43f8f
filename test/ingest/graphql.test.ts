// importRecords over HTTP: small batches, EDITOR only, all-or-nothing with every error listed.
import fs from 'node:fs';
import path from 'node:path';
import { startTestServer, type TestServer } from '../support/server';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.stop();
});

const IMPORT = `mutation ($format: ImportFormat!, $data: String!, $partial: Boolean, $kind: String) {
  importRecords(format: $format, data: $data, partial: $partial, kind: $kind) {
    committed records createdActors rejectedLines
    counts { kind created updated unchanged }
    errors { line kind field reason }
  } }`;

const fixture = (name: string) => fs.readFileSync(path.resolve(__dirname, '../fixtures/ingest', name), 'utf8');

it('imports NDJSON onto the seeded database (its actors adopted by name), then finds it all unchanged', async () => {
  const first = await server.gql(IMPORT, { format: 'NDJSON', data: fixture('small.ndjson') });
  expect(first.errors).toBeUndefined();
  const result = first.data.importRecords;
  expect(result.errors).toEqual([]);
  expect(result.committed).toBe(true);
  expect(result.records).toBe(11);
  expect(result.counts.find((c: { kind: string }) => c.kind === 'event')).toEqual({ kind: 'event', created: 2, updated: 0, unchanged: 0 });
  // North Korea, Russia and Shoigu are the seed's actors (adopted by name or alias, their other aliases kept).
  expect(result.counts.find((c: { kind: string }) => c.kind === 'actor')).toMatchObject({ kind: 'actor', created: 0 });
  const nk = await server.gql(`{ actors(search: "DPRK", first: 1) { totalCount edges { node { name aliases } } } }`);
  expect(nk.data.actors.edges[0].node.aliases).toEqual(expect.arrayContaining(['DPRK', "Democratic People's Republic of Korea", 'North Korea']));
  const again = await server.gql(IMPORT, { format: 'NDJSON', data: fixture('small.ndjson') });
  expect(again.data.importRecords.counts.every((c: { created: number; updated: number }) => c.created === 0 && c.updated === 0)).toBe(true);
  const read = await server.gql(`{ actors(search: "Choïgou") { edges { node { name aliases } } } }`);
  expect(read.data.actors.edges[0].node.name).toBe('Sergueï Choïgou');
});

it('reports every bad record and writes nothing; partial writes the good ones', async () => {
  const bad = await server.gql(IMPORT, { format: 'NDJSON', data: fixture('bad.ndjson') });
  expect(bad.data.importRecords.committed).toBe(false);
  expect(bad.data.importRecords.rejectedLines).toEqual([3, 4, 5, 6, 7, 8, 9]);
  expect(bad.data.importRecords.errors).toContainEqual({ line: 5, kind: 'shipment', field: 'unit', reason: expect.stringMatching(/needs a unit/) });
  const partial = await server.gql(IMPORT, { format: 'NDJSON', data: fixture('bad.ndjson'), partial: true });
  expect(partial.data.importRecords.committed).toBe(true);
});

it('imports CSV of one kind', async () => {
  const res = await server.gql(IMPORT, { format: 'CSV', data: fixture('actors.csv'), kind: 'actor' });
  expect(res.data.importRecords.errors).toEqual([]);
  const { created, updated, unchanged } = res.data.importRecords.counts.find((c: { kind: string }) => c.kind === 'actor');
  expect(created + updated + unchanged).toBe(2);
});

it('needs EDITOR: a VIEWER key is refused', async () => {
  const { key } = await server.mintKey('VIEWER');
  const res = await server.gql(IMPORT, { format: 'NDJSON', data: fixture('small.ndjson') }, { authorization: `Bearer ${key}` });
  expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
});

it('an unknown kind is bad input', async () => {
  const res = await server.gql(IMPORT, { format: 'CSV', data: fixture('actors.csv'), kind: 'planet' });
  expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'kind' });
});

it('text PostgreSQL cannot store (a NUL character) in data or dataset is bad input on that argument, and nothing is written', async () => {
  const count = async () =>
    (await server.db.pool.query('SELECT (SELECT count(*) FROM actors)::int AS actors, (SELECT count(*) FROM audit_log)::int AS audit')).rows[0];
  const before = await count();
  const record = (name: string) => JSON.stringify({ kind: 'actor', externalId: 'nul', name, actorKind: 'STATE' });
  const cases: [Record<string, unknown>, string][] = [
    [{ format: 'NDJSON', data: `${record('ok')}\u0000` }, 'data'],
    [{ format: 'NDJSON', data: record('ok'), dataset: 'nul\u0000set' }, 'dataset'],
  ];
  for (const [variables, field] of cases) {
    const res = await server.gql(
      'mutation ($format: ImportFormat!, $data: String!, $dataset: String) { importRecords(format: $format, data: $data, dataset: $dataset) { committed } }',
      variables,
    );
    expect(res.status).toBeLessThan(500);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  }
  // escaped inside a record's JSON, it is that record's error (the importer's own check)
  const escaped = await server.gql(IMPORT, { format: 'NDJSON', data: record('nul\u0000name') });
  expect(escaped.data.importRecords).toMatchObject({ committed: false, errors: [expect.objectContaining({ field: 'name' })] });
  expect(await count()).toEqual(before);
});

it('leaves one audit entry per import, by the importing key, with its inputs and counts; a failed import none', async () => {
  const editor = await server.mintKey('EDITOR', { label: 'importer' });
  const headers = { authorization: `Bearer ${editor.key}` };
  const AUDIT = `{ auditLog(entity: IMPORT) { totalCount edges { node { keyId operation entity entityId before after } } } }`;
  const res = await server.gql(
    `mutation ($data: String!) { importRecords(format: CSV, kind: "actor", data: $data) { committed importId counts { kind created updated unchanged } } }`,
    { data: fixture('actors.csv') },
    headers,
  );
  expect(res.data.importRecords.committed).toBe(true);
  const bad = await server.gql(IMPORT, { format: 'NDJSON', data: fixture('bad.ndjson') }, headers);
  expect(bad.data.importRecords.committed).toBe(false);
  const log = await server.gql(AUDIT, {}, headers);
  expect(log.data.auditLog.totalCount).toBe(1);
  expect(log.data.auditLog.edges[0].node).toEqual({
    keyId: editor.id,
    operation: 'importRecords',
    entity: 'IMPORT',
    entityId: res.data.importRecords.importId,
    before: null,
    after: expect.objectContaining({ inputs: [{ name: '(request)', format: 'csv' }], dataset: 'default', records: 2, rejected: 0 }),
  });
  const actorCounts = res.data.importRecords.counts.find((c: { kind: string }) => c.kind === 'actor');
  expect(log.data.auditLog.edges[0].node.after.counts.actor).toEqual({
    created: actorCounts.created,
    updated: actorCounts.updated,
    unchanged: actorCounts.unchanged,
  });
});
