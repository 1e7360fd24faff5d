// Structured JSON logs. Never pass row values here: only ids, roles, codes and timings.
import pino from 'pino';
import type { Config } from '../config';

export type Logger = pino.Logger;

export function createLogger(config: Pick<Config, 'logLevel' | 'nodeEnv'>): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'ecograph' },
    redact: { paths: ['req.headers.authorization', 'authorization', 'key'], censor: '[redacted]' },
  });
}
