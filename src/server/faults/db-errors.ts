// Database faults as the client sees them. A request that fails because PostgreSQL is down,
// restarting, unreachable or out of connections is not the caller's fault and not a bug: it
// gets 503 DATABASE_UNAVAILABLE with Retry-After. A statement cut by statement_timeout (or the
// client-side read timeout) gets 504 DATABASE_TIMEOUT. Everything else stays an internal error.
import { GraphQLError } from 'graphql';
import { READ_TIMEOUT_MESSAGE } from '../../db/read-timeout-client';

export type DbFaultCode = 'DATABASE_UNAVAILABLE' | 'DATABASE_TIMEOUT';

export const DB_FAULT_STATUS: Record<DbFaultCode, number> = { DATABASE_UNAVAILABLE: 503, DATABASE_TIMEOUT: 504 };

export const DB_FAULT_MESSAGE: Record<DbFaultCode, string> = {
  DATABASE_UNAVAILABLE: 'The database is unavailable right now; retry after the number of seconds in the Retry-After header',
  DATABASE_TIMEOUT: 'The database did not answer in time; retry later or ask for less (smaller pages, fewer relations)',
};

/** Socket-level failures reaching the server. */
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** SQLSTATEs meaning "the server cannot serve you now". */
function unavailableSqlState(code: string): boolean {
  return (
    code.startsWith('08') || // connection exception
    code === '57P01' || // admin_shutdown
    code === '57P02' || // crash_shutdown
    code === '57P03' || // cannot_connect_now (starting up, shutting down, in recovery)
    code === '53300' || // too_many_connections
    code === '53400' // configuration_limit_exceeded
  );
}

const UNAVAILABLE_MESSAGES = [
  /timeout exceeded when trying to connect/i, // pg-pool acquire timeout
  /^Connection terminated/i, // 'Connection terminated', '... unexpectedly', '... due to connection timeout'
  /is not queryable/i, // client errored or closed
  /Cannot use a pool after calling end on the pool/i,
  /the database system is (starting up|shutting down|in recovery)/i,
];

function classifyOne(err: unknown): DbFaultCode | undefined {
  if (err === null || typeof err !== 'object') return undefined;
  const e = err as { code?: unknown; message?: unknown; extensions?: { code?: unknown } };
  const ext = e.extensions?.code;
  if (ext === 'DATABASE_UNAVAILABLE' || ext === 'DATABASE_TIMEOUT') return ext;
  const code = typeof e.code === 'string' ? e.code : '';
  if (code === '57014') return 'DATABASE_TIMEOUT'; // query_canceled (statement_timeout)
  if (UNAVAILABLE_ERRNO.has(code) || (/^[0-9A-Z]{5}$/.test(code) && unavailableSqlState(code))) return 'DATABASE_UNAVAILABLE';
  const message = typeof e.message === 'string' ? e.message : '';
  if (message === READ_TIMEOUT_MESSAGE) return 'DATABASE_TIMEOUT'; // the client-side read timeout (src/db/read-timeout-client.ts)
  if (UNAVAILABLE_MESSAGES.some((re) => re.test(message))) return 'DATABASE_UNAVAILABLE';
  return undefined;
}

/**
 * The database fault behind an error, if any: looks through GraphQLError.originalError,
 * Error.cause and AggregateError (a failed connect to 'localhost' tries ::1 and 127.0.0.1).
 */
export function classifyDbError(err: unknown): DbFaultCode | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length > 0 && seen.size < 20) {
    const e = queue.shift();
    if (e === null || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const found = classifyOne(e);
    if (found) return found;
    const x = e as { originalError?: unknown; cause?: unknown; errors?: unknown };
    queue.push(x.originalError, x.cause);
    if (Array.isArray(x.errors)) queue.push(...x.errors);
  }
  return undefined;
}

/** The client-facing error for a database fault; the original stays attached for the log. */
export function dbFaultError(code: DbFaultCode, original?: unknown): GraphQLError {
  return new GraphQLError(DB_FAULT_MESSAGE[code], {
    originalError: original instanceof Error ? original : undefined,
    extensions: { code },
  });
}

/**
 * SQLSTATEs that a value from the request causes: a NUL character or one the encoding lacks,
 * a number too large for the column, text that is not a number or a date, a bad pattern.
 */
const INPUT_SQLSTATES = new Set(['22021', '22P05', '22003', '22P02', '22007', '22008', '22001', '2201B', '22025', '22019', '22023']);

/** True for a database error caused by a value in the request (answered 400 BAD_USER_INPUT). */
export function isInputDbError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && INPUT_SQLSTATES.has(code);
}

export function inputDbError(original: unknown): GraphQLError {
  return new GraphQLError('A value in the request cannot be used: it contains a NUL or invalid character, or a number or date out of range', {
    originalError: original instanceof Error ? original : undefined,
    extensions: { code: 'BAD_USER_INPUT' },
  });
}

/** HTTP status for a set of error codes: 503 wins over 504; undefined when neither is there. */
export function dbFaultStatus(codes: Iterable<unknown>): { status: number; code: DbFaultCode } | undefined {
  let timeout = false;
  for (const c of codes) {
    if (c === 'DATABASE_UNAVAILABLE') return { status: 503, code: 'DATABASE_UNAVAILABLE' };
    if (c === 'DATABASE_TIMEOUT') timeout = true;
  }
  return timeout ? { status: 504, code: 'DATABASE_TIMEOUT' } : undefined;
}
