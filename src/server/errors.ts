// What a client may learn from an error: a message and a machine-readable code. Never a
// stack trace, never "Did you mean ...?" (it would name fields the caller cannot see), and
// for anything unexpected only a generic message (the details go to the log).
import type { GraphQLFormattedError } from 'graphql';
import type { ServerResponse } from 'node:http';
import { classifyDbError, DB_FAULT_MESSAGE } from './faults/db-errors';
import { sendJson } from './lean-http';
import { WRITE_ERROR_STATUS } from '../writes/errors';

const SUGGESTION = /\s*Did you mean .*\?$/s;

const CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'FORBIDDEN',
  'BAD_CURSOR',
  'LEDGER_UNAVAILABLE',
  'CURSOR_EXPIRED',
  'FIELD_NOT_ALLOWED',
  'PAGE_SIZE_EXCEEDED',
  'QUERY_TOO_DEEP',
  'QUERY_TOO_COSTLY',
  'TOO_MANY_ALIASES',
  'TOO_MANY_TOKENS',
  'DATABASE_UNAVAILABLE',
  'DATABASE_TIMEOUT',
  'UNSUPPORTED_MEDIA_TYPE',
  'METHOD_NOT_ALLOWED',
  'NOT_ACCEPTABLE',
  'RATE_LIMITED',
  'QUOTA_EXCEEDED',
  ...Object.keys(WRITE_ERROR_STATUS),
]);

export function formatError(formatted: GraphQLFormattedError, onInternal: (error: unknown) => void, original: unknown): GraphQLFormattedError {
  // Apollo files every validation error under GRAPHQL_VALIDATION_FAILED; our limit rules
  // carry a more precise code on the original error.
  const inner = (original as { originalError?: { extensions?: { code?: unknown } } } | undefined)?.originalError?.extensions?.code;
  const code = String(
    formatted.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' && typeof inner === 'string' && CLIENT_CODES.has(inner)
      ? inner
      : (formatted.extensions?.code ?? 'INTERNAL_SERVER_ERROR'),
  );
  // Apollo refuses some requests with a GraphQLError that has an HTTP status but no code
  // ("provided sha does not match query", "Unsupported persisted query version"): the
  // request's fault, with a message Apollo wrote, not an internal error.
  const own = (original as { extensions?: { code?: unknown; http?: { status?: unknown } } } | undefined)?.extensions;
  const httpStatus = own?.http?.status;
  if (code === 'INTERNAL_SERVER_ERROR' && own?.code === undefined && typeof httpStatus === 'number' && httpStatus >= 400 && httpStatus < 500) {
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code: 'BAD_REQUEST' } };
  }
  if (!CLIENT_CODES.has(code)) {
    // The database down, restarting or out of connections is not a bug: a 503 with a code the
    // client can act on (the HTTP status and Retry-After are set by faults/http-status.plugin.ts).
    const fault = classifyDbError(original);
    if (fault) return { message: DB_FAULT_MESSAGE[fault], path: formatted.path, extensions: { code: fault } };
    onInternal(original);
    return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' }, path: formatted.path };
  }
  const extensions: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(formatted.extensions ?? {})) {
    if (k !== 'stacktrace' && k !== 'exception' && k !== 'http') extensions[k] = v;
  }
  extensions.code = code;
  return {
    message: formatted.message.replace(SUGGESTION, ''),
    locations: formatted.locations,
    path: formatted.path,
    extensions,
  };
}

/** A JSON error outside GraphQL execution (auth, body parsing, routing). */
export function sendError(res: ServerResponse & { locals?: Record<string, unknown> }, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  // For the request log and the metrics (observability/request-log.ts).
  if (res.locals) res.locals.errorCodes = [code];
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}

/**
 * An error as it may appear in the log: type, code, message, stack and nothing else. pino's
 * default serializer copies every enumerable property, and a PostgreSQL error carries
 * `detail`, `where` and `parameters`, which can hold row values.
 */
export function loggableError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const e = err as Error & { code?: unknown; originalError?: unknown };
  const out: Record<string, unknown> = { type: e.name, message: e.message };
  if (typeof e.code === 'string' || typeof e.code === 'number') out.code = e.code;
  if (e.stack) out.stack = e.stack;
  if (e.originalError instanceof Error) out.original = loggableError(e.originalError);
  return out;
}
