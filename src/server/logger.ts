// Structured JSON logs. Never pass row values here: only ids, roles, codes and timings.
import pino from 'pino';
import type { Config } from '../config';

export type Logger = pino.Logger;

/** `destination`: where the JSON lines go (default stdout); tests pass a stream to read them. */
export function createLogger(config: Pick<Config, 'logLevel' | 'nodeEnv'>, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { service: 'ecograph' },
    redact: { paths: ['req.headers.authorization', 'authorization', 'key'], censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
