import pino, { type Logger } from 'pino';
import type { Config } from './config';

export type { Logger };

/** Never logged: API keys, Authorization headers, GraphQL variables (they may hold anything). */
const REDACT = ['authorization', '*.authorization', 'headers.authorization', 'req.headers.authorization', 'key', 'variables', '*.variables'];

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  // Asynchronous writes: a line per request written synchronously to stdout showed in CPU
  // profiles of the lookup; lines logged while a write is in flight go out together
  // with the next one, none waits for more traffic, and pino flushes what is left at exit.
  return pino({ level: config.logLevel, base: undefined, redact: { paths: REDACT, censor: '[redacted]' } }, pino.destination({ dest: 1, sync: false }));
}
