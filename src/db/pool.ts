// The connection pool the API reads through. Dates stay strings ("YYYY-MM-DD"), bigints and
// numerics stay strings: exact values, converted only where a scalar formats them.
import pg from 'pg';
import type { Config } from '../config';

const DATE_OID = 1082;

export function createPool(url: string, config: Pick<Config, 'db'>): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: config.db.poolMax,
    connectionTimeoutMillis: config.db.connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    statement_timeout: config.db.statementTimeoutMs,
    application_name: 'ecograph-api',
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === DATE_OID ? (v: string) => v : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  return pool;
}
