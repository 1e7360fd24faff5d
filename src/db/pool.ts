// The connection pool the API reads through. Dates stay strings ("YYYY-MM-DD"), bigints and
// numerics stay strings: exact values, converted only where a scalar formats them.
//
// Faults: acquiring a connection waits at most DB_CONNECT_TIMEOUT_MS, a statement runs at most
// DB_STATEMENT_TIMEOUT_MS on the server (statement_timeout, SQLSTATE 57014), and the client
// gives up on an answer 2 s after that (read-timeout-client.ts: a server that vanished without
// closing the socket). TCP keepalive notices dead peers. A connection that fails is dropped
// from the pool and the next acquire opens a new one, so the pool reconnects by itself once
// the database is back (test/ops/db-outage.test.ts).
import pg from 'pg';
import type { Config } from '../config';
import { clientWithReadTimeout } from './read-timeout-client';

const DATE_OID = 1082;
const TIMESTAMPTZ_OID = 1184;
const defaultTimestamptz = pg.types.getTypeParser(TIMESTAMPTZ_OID, 'text');

/** "2026-10-31 15:23:50.123+08" as ISO for Date's fast path; anything unusual goes to pg's parser. */
function parseTimestamptz(v: string): Date {
  if (v.length >= 22 && v[10] === ' ' && v.charCodeAt(0) >= 48 && v.charCodeAt(0) <= 57) {
    const iso = `${v.slice(0, 10)}T${v.slice(11)}${/[+-]\d\d$/.test(v) ? ':00' : ''}`;
    const d = new Date(iso);
    if (!Number.isNaN(d.getTime())) return d;
  }
  return defaultTimestamptz(v) as Date;
}
/** Slack between the server-side statement_timeout and the client-side read timeout. */
const QUERY_TIMEOUT_SLACK_MS = 2_000;

export interface PoolOptions {
  /** Told about errors of idle connections (the database went away); defaults to nothing. */
  onIdleError?: (err: Error) => void;
  applicationName?: string;
}

export function createPool(url: string, config: Pick<Config, 'db'>, opts: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: config.db.poolMax,
    connectionTimeoutMillis: config.db.connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    statement_timeout: config.db.statementTimeoutMs,
    // Not pg's query_timeout: read-timeout-client.ts says why.
    Client: clientWithReadTimeout(config.db.statementTimeoutMs + QUERY_TIMEOUT_SLACK_MS),
    keepAlive: true,
    application_name: opts.applicationName ?? 'ecograph-api',
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === DATE_OID ? (v: string) => v : oid === TIMESTAMPTZ_OID && format !== 'binary' ? parseTimestamptz : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client that loses its server must not crash the process; the pool drops it and the
  // next query reports the fault.
  pool.on('error', (err) => opts.onIdleError?.(err));
  // The same for a client held outside a query (a transaction between statements, the rollup
  // refresh's session): with no listener, its 'error' event would end the process. The next
  // statement on it fails and the holder releases it as broken.
  pool.on('connect', (client) => client.on('error', (err) => opts.onIdleError?.(err)));
  return pool;
}
