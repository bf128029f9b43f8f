// The raw reader: raw SQL reads straight through the pg pool, with the same SQL and the same row
// objects as Prisma's $queryRaw but without its per-query work (the request through its query
// compiler and executor, then re-encoding every value). Why: docs/decisions/raw-reader.md.
import { types as pgTypes, type CustomTypesConfig, type Pool } from 'pg';
import { Prisma } from '../generated/prisma/client';
import { preparedName, type PreparingConnection } from './prepared';
import type { Statement } from './statements';

/** What a raw read needs of a client: Prisma's $queryRaw (tagged template or Prisma.Sql). */
export interface RawReader {
  $queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<T>;
}

export interface RawReaderOptions {
  /** Statements each connection may prepare (0: run every read unnamed); see prepared.ts. */
  maxPrepared: number;
  /** Told of each read, when statements are counted (statements.ts). */
  record?: (describe: () => Statement) => void;
}

/** A reader of raw SQL on `pool`'s connections, decoding values as Prisma's $queryRaw does. */
export function createRawReader(pool: Pool, opts: RawReaderOptions): RawReader {
  const { maxPrepared, record } = opts;
  return {
    async $queryRaw<T>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<T> {
      const sql = query instanceof Prisma.Sql ? query : Prisma.sql(query, ...values);
      const params = sql.values.map(toParam);
      let name: string | undefined;
      const started = record && performance.now();
      try {
        const client = await pool.connect();
        let failed: Error | undefined;
        let retire = false;
        try {
          ({ name, retire } = preparedName(client as PreparingConnection, sql, maxPrepared));
          const { rows } = await client.query({ name, text: sql.text, values: params, types: PRISMA_TYPES });
          return rows as T;
        } catch (err) {
          // As pool.query does: a connection that failed is discarded, not reused.
          failed = err as Error;
          throw err;
        } finally {
          // Closed too when full of prepared statements: its backend's memory goes with it.
          client.release(failed ?? retire);
        }
      } finally {
        record?.(() => ({ query: sql.text, params: JSON.stringify(params), durationMs: performance.now() - started!, name }));
      }
    },
  };
}

/** Parameters as Prisma's adapter sends them: instants in UTC, exact numbers as text. */
function toParam(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint' || v instanceof Prisma.Decimal) return v.toString();
  if (Array.isArray(v)) return v.map(toParam);
  return v;
}

/**
 * Column values decoded as Prisma's $queryRaw decodes them (its pg adapter, then its client):
 * int8 as BigInt, numeric as Decimal, date and timestamp as UTC Dates; user types (enums)
 * and their arrays as text; everything else as `pg` parses it.
 */
const utcDate = (v: string) => new Date(v);
const utcTimestamp = (v: string) => new Date(`${v.replace(' ', 'T')}+00:00`);
const decimal = (v: string) => new Prisma.Decimal(v);
const SCALARS: Record<number, (v: string) => unknown> = {
  [pgTypes.builtins.INT8]: BigInt,
  [pgTypes.builtins.OID]: BigInt,
  [pgTypes.builtins.NUMERIC]: decimal,
  [pgTypes.builtins.MONEY]: (v) => v.slice(1),
  [pgTypes.builtins.DATE]: utcDate,
  [pgTypes.builtins.TIMESTAMP]: utcTimestamp,
};
/** Array type oid → its element's decoder (pg parses these arrays to arrays of strings). */
const ARRAYS: Record<number, (v: string) => unknown> = { 1016: BigInt, 1028: BigInt, 1231: decimal, 1182: utcDate, 1115: utcTimestamp };
const deepMap = (v: unknown, f: (s: string) => unknown): unknown => (Array.isArray(v) ? v.map((x) => deepMap(x, f)) : v == null ? v : f(v as string));
function parserOf(oid: number, format?: 'text' | 'binary'): (v: string) => unknown {
  const scalar = SCALARS[oid];
  if (scalar) return scalar;
  const element = ARRAYS[oid];
  if (element) {
    const parseStrings = pgTypes.getTypeParser(1009 as never); // text[]: the elements as strings
    return (v: string) => deepMap(parseStrings(v), element);
  }
  return pgTypes.getTypeParser(oid, format as 'text');
}
// pg asks for every column of every result: made once per type, not once per column read.
const textParsers = new Map<number, (v: string) => unknown>();
const PRISMA_TYPES: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (format === 'binary') return parserOf(oid, format);
    let parser = textParsers.get(oid);
    if (!parser) textParsers.set(oid, (parser = parserOf(oid)));
    return parser;
  }) as CustomTypesConfig['getTypeParser'],
};
