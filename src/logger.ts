import pino, { type Logger } from 'pino';
import type { Config } from './config';

export type { Logger };

/** Never logged: API keys, Authorization headers, GraphQL variables (they may hold anything). */
const REDACT = ['authorization', '*.authorization', 'headers.authorization', 'req.headers.authorization', 'key', 'variables', '*.variables'];

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({ level: config.logLevel, base: undefined, redact: { paths: REDACT, censor: '[redacted]' } });
}
