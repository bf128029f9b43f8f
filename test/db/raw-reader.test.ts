// The raw reads go straight to the pg pool (the door's raw reader, src/db/rawReader.ts) instead of through
// Prisma's $queryRaw: the same statement must give the same row objects either way, for every
// column type the queries return, and be counted and reported like Prisma's statements.
import { locatedError } from 'graphql';
import { Prisma } from '../../src/generated/prisma/client';
import { createPrisma, type DbHandle } from '../../src/db/client';
import { statementName } from '../../src/db/prepared';
import type { Statement } from '../../src/db/statements';
import { toGraphQLError } from '../../src/graphql/errors';
import { createTestDatabase, type TestDatabase } from '../support/database';

let database: TestDatabase;
let db: DbHandle;

beforeAll(async () => {
  database = await createTestDatabase();
  db = createPrisma(database.url, 1, { statementTimeoutMs: 30_000, countStatements: true });
}, 180_000);
afterAll(async () => {
  await db?.close();
  await database?.drop();
}, 180_000);

const at = new Date('2024-02-29T13:45:06.789Z');

// Every type the query modules return (scalars, arrays, enums, nulls), with parameters of each kind they send.
const statements: [string, Prisma.Sql][] = [
  [
    'scalars',
    Prisma.sql`SELECT 1::int AS i, 2::smallint AS s, 9007199254740993::int8 AS big, 12.3400::numeric AS dec, 1.5::float8 AS f,
    0.25::float4 AS r, true AS b, 'x'::text AS t, 'c'::varchar AS v, 'ab'::char(3) AS ch, '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b'::uuid AS u`,
  ],
  [
    'dates and times',
    Prisma.sql`SELECT '2023-09-07'::date AS d, '2023-09-07 12:34:56.123456'::timestamp AS ts,
    '2023-09-07 12:34:56.5+02'::timestamptz AS tz`,
  ],
  ['json', Prisma.sql`SELECT '{"a":[1,"b",null]}'::json AS j, '{"k":{"n":1.5}}'::jsonb AS jb, '[1,2]'::jsonb AS arr`],
  ['enums', Prisma.sql`SELECT 'MEETING'::"EventType" AS e, ARRAY['MEETING','VISIT']::"EventType"[] AS es`],
  [
    'arrays',
    Prisma.sql`SELECT ARRAY[1,2,NULL]::int[] AS ints, ARRAY[1.5,NULL]::float8[] AS floats, ARRAY['a',NULL,'c,d']::text[] AS texts,
    ARRAY['0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b']::uuid[] AS uuids, ARRAY['2020-01-01','2020-02-01']::date[] AS dates,
    ARRAY[1,2]::int8[] AS bigs, ARRAY[1.10,2]::numeric[] AS decs, ARRAY[true,false] AS bools, '{}'::int[] AS empty`,
  ],
  ['nulls', Prisma.sql`SELECT NULL::int AS i, NULL::date AS d, NULL::numeric AS n, NULL::int8 AS b, NULL::json AS j, NULL::text[] AS a`],
  [
    'parameters',
    Prisma.sql`SELECT ${at}::timestamptz AS at, ${'2020-01-01'}::date AS d, ${['a', 'b']}::text[] AS texts, ${[1, 2]}::int[] AS ints,
    ${42} AS n, ${1.5}::float8 AS f, ${true} AS b, ${null}::text AS nothing, ${'0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b'}::uuid AS u,
    ${['0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b']}::uuid[] AS us`,
  ],
  [
    'several rows, repeated names',
    Prisma.sql`SELECT g AS n, g * 2 AS n, to_char(d, 'YYYY-MM') AS label FROM generate_series(1, 3) g,
    LATERAL (SELECT '2020-01-01'::date + g AS d) x ORDER BY g`,
  ],
  ['no rows', Prisma.sql`SELECT 1 AS one WHERE false`],
];

test.each(statements)("%s: the same rows as Prisma's $queryRaw", async (_name, sql) => {
  const viaPrisma = await db.prisma.$queryRaw<Record<string, unknown>[]>(sql);
  const direct = await db.raw.$queryRaw<Record<string, unknown>[]>(sql);
  expect(direct).toEqual(viaPrisma);
  // toEqual treats a Decimal and a string alike when they print alike: compare the kinds too.
  const kinds = (rows: Record<string, unknown>[]) =>
    rows.map((r) =>
      Object.values(r).map((v) =>
        v === null ? 'null' : Array.isArray(v) ? `array:${v.map((x) => x?.constructor?.name).join()}` : (v as object).constructor.name,
      ),
    );
  expect(kinds(direct)).toEqual(kinds(viaPrisma));
});

test('as named prepared statements (prepare: true) the reads give the same rows, planned once per connection', async () => {
  const prepared = createPrisma(database.url, 1, { prepare: true, countStatements: true });
  try {
    const reader = prepared.raw;
    const seen: Statement[] = [];
    prepared.statements!.listen((s) => seen.push(s));
    for (const [, sql] of statements) {
      const viaPrisma = await db.prisma.$queryRaw<Record<string, unknown>[]>(sql);
      // Twice: the second runs the statement the first prepared.
      for (let i = 0; i < 2; i++) expect(await reader.$queryRaw(sql)).toEqual(viaPrisma);
    }
    const named = (sql: Prisma.Sql) => statementName(sql.text);
    expect(seen.map((s) => s.name)).toEqual(statements.flatMap(([, sql]) => [named(sql), named(sql)]));
    const names = (await reader.$queryRaw<{ name: string }[]>`SELECT name FROM pg_prepared_statements`).map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(statements.map(([, sql]) => statementName(sql.text))));
    // Without prepare, statements run unnamed.
    const plain: Statement[] = [];
    db.statements!.listen((s) => plain.push(s));
    await db.raw.$queryRaw`SELECT 1 AS one`;
    expect(plain).toHaveLength(1);
    expect(plain[0].name).toBeUndefined();
  } finally {
    await prepared.close();
  }
});

test('a connection that has prepared maxPrepared statements is retired after the read that would prepare one more, which runs unnamed', async () => {
  const prepared = createPrisma(database.url, 1, { prepare: true, maxPrepared: 2, countStatements: true });
  try {
    const reader = prepared.raw;
    const seen: Statement[] = [];
    prepared.statements!.listen((s) => seen.push(s));
    // Distinct texts (each its own statement), each telling its backend and that backend's prepared statements.
    const read = async (i: number) => {
      const [row] = await reader.$queryRaw<{ pid: number; prepared: number }[]>(
        Prisma.sql`SELECT ${Prisma.raw(String(i))} AS i, pg_backend_pid() AS pid, (SELECT count(*)::int FROM pg_prepared_statements) AS prepared`,
      );
      return row;
    };
    const first = await read(1);
    const second = await read(2);
    await read(1); // prepared already: no new name, the same connection
    const third = await read(3);
    const after = await read(1);
    expect(seen.map((s) => s.name !== undefined)).toEqual([true, true, true, false, true]);
    expect([first.pid, first.prepared, second.prepared]).toEqual([second.pid, 1, 2]);
    // The third ran unnamed on the full connection, which was then closed: the next read is on a fresh one.
    expect(third).toMatchObject({ pid: first.pid, prepared: 2 });
    expect(after.pid).not.toBe(first.pid);
    expect(after.prepared).toBe(1);
  } finally {
    await prepared.close();
  }
});

test('a tagged template works as with Prisma', async () => {
  const rows = await db.raw.$queryRaw<{ n: number; t: string }[]>`SELECT ${7}::int AS n, ${'x'}::text AS t`;
  expect(rows).toEqual([{ n: 7, t: 'x' }]);
});

test("raw reads are counted and reported like Prisma's statements", async () => {
  const seen: Statement[] = [];
  db.statements!.listen((s) => seen.push(s));
  const before = db.statements!.count();
  await db.raw.$queryRaw`SELECT ${'2020-01-01'}::date AS d`;
  await db.prisma.$queryRaw`SELECT 1 AS one`;
  expect(db.statements!.count() - before).toBe(2);
  expect(seen).toHaveLength(2);
  expect(seen[0]).toMatchObject({ query: 'SELECT $1::date AS d', params: '["2020-01-01"]' });
  expect(seen[0].durationMs).toEqual(expect.any(Number));
  expect(JSON.parse(seen[1].params)).toEqual([]);
});

test('a failing raw read fails as the database says, and is still counted', async () => {
  const before = db.statements!.count();
  await expect(db.raw.$queryRaw`SELECT ${'not a date'}::date AS d`).rejects.toMatchObject({ code: '22007' });
  expect(db.statements!.count() - before).toBe(1);
});

test('the pooled sessions run with JIT off and the statement timeout set', async () => {
  const [row] = await db.raw.$queryRaw<
    { jit: string; timeout: string }[]
  >`SELECT current_setting('jit') AS jit, current_setting('statement_timeout') AS timeout`;
  expect(row).toEqual({ jit: 'off', timeout: '30s' });
});

test('a transaction reads through Prisma (its own connection), with the same rows as the raw reader', async () => {
  const rows = await db.transaction(async (tx) => tx.$queryRaw<{ d: Date }[]>`SELECT '2023-09-07'::date AS d`);
  expect(rows).toEqual([{ d: new Date('2023-09-07T00:00:00Z') }]);
  expect(await db.raw.$queryRaw`SELECT '2023-09-07'::date AS d`).toEqual(rows);
});

test('a raw read cut by statement_timeout is QUERY_TIMEOUT; one on an unreachable database SERVICE_UNAVAILABLE, as graphql-js hands it over', async () => {
  const short = createPrisma(database.url, 1, { statementTimeoutMs: 100 });
  try {
    const err = await short.raw.$queryRaw`SELECT pg_sleep(2)`.catch((e: unknown) => e);
    expect(toGraphQLError(locatedError(err, []).originalError)?.extensions.code).toBe('QUERY_TIMEOUT');
  } finally {
    await short.close();
  }
  const down = createPrisma('postgresql://postgres@127.0.0.1:1/nothing', 1);
  try {
    const err = await down.raw.$queryRaw`SELECT 1`.catch((e: unknown) => e);
    expect(toGraphQLError(locatedError(err, []).originalError)?.extensions.code).toBe('SERVICE_UNAVAILABLE');
  } finally {
    await down.close();
  }
});

test('a connection the server ends mid-read fails that read only: no uncaught error event, and the next read gets a new connection', async () => {
  const own = createPrisma(database.url, 1, { statementTimeoutMs: 30_000 });
  try {
    const reader = own.raw;
    const [{ pid }] = await reader.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
    const reading = reader.$queryRaw`SELECT pg_sleep(5)`.catch((e: unknown) => e);
    const admin = createPrisma(database.url, 1);
    try {
      // Once the sleep is running on that backend (pool of one: the same connection), end it.
      for (let i = 0; i < 50; i++) {
        const [{ active }] = await admin.raw.$queryRaw<
          { active: boolean }[]
        >`SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = ${pid} AND query LIKE '%pg_sleep%') AS active`;
        if (active) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await admin.raw.$queryRaw`SELECT pg_terminate_backend(${pid})`;
    } finally {
      await admin.close();
    }
    expect(await reading).toMatchObject({ code: '57P01' });
    const [{ pid: next }] = await reader.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
    expect(next).not.toBe(pid);
  } finally {
    await own.close();
  }
});

test('statements are counted only when asked (countStatements): production pays no event per query', async () => {
  const quiet = createPrisma(database.url, 1);
  try {
    expect(quiet.statements).toBeUndefined();
    // Reads still work, Prisma's and the raw reader's alike.
    await expect(quiet.raw.$queryRaw`SELECT 1 AS one`).resolves.toEqual([{ one: 1 }]);
    await expect(quiet.prisma.$queryRaw`SELECT 1 AS one`).resolves.toEqual([{ one: 1 }]);
  } finally {
    await quiet.close();
  }
});
