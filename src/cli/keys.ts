// npm run keys -- create --role editor --label "alice laptop" [--expires 2027-01-01]
// npm run keys -- list
// npm run keys -- revoke <id>
// Works on DATABASE_URL, or on the embedded database (the running server's, if one runs: the key works there at once).
import { parseArgs } from 'node:util';
import { parseRole } from '../auth/keys';
import { createApiKey, listApiKeys, revokeApiKey, type ApiKeyInfo } from '../auth/store';
import type { Db } from '../db/client';
import { NotFoundError, ValidationError } from '../domain/errors';
import { isId } from '../domain/ids';
import { openCliDatabase } from './open';
import { runCli, UsageError } from './run';

export { UsageError };

export const USAGE = `usage:
  npm run keys -- create --role viewer|editor|admin --label "<label>" [--expires YYYY-MM-DD]
  npm run keys -- list
  npm run keys -- revoke <id>`;

const iso = (d: Date | null) => (d ? d.toISOString() : '-');

function describe(k: ApiKeyInfo, now: Date): string {
  const state = k.revokedAt ? 'revoked' : k.expiresAt && k.expiresAt <= now ? 'expired' : 'active';
  return [
    k.id,
    k.role.padEnd(6),
    state.padEnd(7),
    `created ${iso(k.createdAt)}`,
    `last used ${iso(k.lastUsedAt)}`,
    `expires ${iso(k.expiresAt)}`,
    JSON.stringify(k.label),
  ].join('  ');
}

/** Runs one keys command; returns what it prints. */
export async function runKeys(argv: string[], db: Db, now = new Date()): Promise<string> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'create': {
      const { values } = parseArgs({
        args: rest,
        options: { role: { type: 'string' }, label: { type: 'string' }, expires: { type: 'string' } },
        strict: true,
      });
      const role = values.role ? parseRole(values.role) : undefined;
      if (!role) throw new UsageError('--role must be viewer, editor or admin');
      if (!values.label?.trim()) throw new UsageError('--label is required');
      let expiresAt: Date | null = null;
      if (values.expires) {
        expiresAt = new Date(/^\d{4}-\d{2}-\d{2}$/.test(values.expires) ? `${values.expires}T00:00:00Z` : values.expires);
        if (Number.isNaN(expiresAt.getTime())) throw new UsageError(`--expires: "${values.expires}" is not a date`);
        if (expiresAt <= now) throw new UsageError('--expires must be in the future');
      }
      const { key, info } = await createApiKey(db, { role, label: values.label, expiresAt }, undefined, now).catch((err: unknown) => {
        throw err instanceof ValidationError ? new UsageError(err.message) : err;
      });
      return [
        `created ${info.role} key ${info.id} (${JSON.stringify(info.label)}${expiresAt ? `, expires ${iso(expiresAt)}` : ''})`,
        '',
        `  ${key}`,
        '',
        'This is the only time the key is shown; only its hash is stored. Send it as: Authorization: Bearer <key>',
      ].join('\n');
    }
    case 'list': {
      parseArgs({ args: rest, options: {}, strict: true });
      const keys = await listApiKeys(db);
      return keys.length ? keys.map((k) => describe(k, now)).join('\n') : 'no keys';
    }
    case 'revoke': {
      const { positionals } = parseArgs({ args: rest, options: {}, allowPositionals: true, strict: true });
      if (positionals.length !== 1) throw new UsageError('revoke takes one key id');
      if (!isId(positionals[0])) throw new UsageError(`no key ${positionals[0]}`);
      let info: ApiKeyInfo;
      try {
        info = await revokeApiKey(db, positionals[0], { now });
      } catch (err) {
        if (err instanceof NotFoundError) throw new UsageError(`no key ${positionals[0]}`);
        if (err instanceof ValidationError) throw new UsageError(err.message);
        throw err;
      }
      return `revoked ${info.id} (${JSON.stringify(info.label)}) at ${iso(info.revokedAt)}`;
    }
    default:
      throw new UsageError(command ? `unknown command "${command}"` : 'no command');
  }
}

async function main(argv: string[]): Promise<void> {
  const db = await openCliDatabase();
  try {
    console.log(await runKeys(argv, db));
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  runCli({
    usage: USAGE,
    parse: (argv) => (!argv.length || argv[0] === '--help' || argv[0] === 'help' ? null : argv),
    run: main,
    usageStatus: 1,
    usageGap: '\n',
  });
}
