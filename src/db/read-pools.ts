// Queries of the API go to the read replicas of DATABASE_READ_URLS when there are any, in
// turn; everything that writes or must see the latest state (keys, the access ledger, the
// rollup refresh, migrations) stays on the primary.
import type pg from 'pg';
import type { Config } from '../config';
import type { Logger } from '../server/logger';
import { createPool } from './pool';

export interface ReadPools {
  /** The pool for the next request's queries (the primary when there are no replicas). */
  next(): pg.Pool;
  end(): Promise<void>;
}

export function createReadPools(config: Config, primary: pg.Pool, log: Logger): ReadPools {
  const replicas = config.ops.readUrls.map((url) =>
    createPool(url, config, {
      applicationName: 'ecograph-read',
      onIdleError: (err) => log.warn({ err: err.message }, 'an idle read-replica connection failed; the pool drops it'),
    }),
  );
  let turn = 0;
  return {
    next: () => (replicas.length === 0 ? primary : replicas[turn++ % replicas.length]),
    end: async () => {
      await Promise.all(replicas.map((p) => p.end()));
    },
  };
}
