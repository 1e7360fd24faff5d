// What a client may learn from an error: a message and a machine-readable code. Never a
// stack trace, never "Did you mean ...?" (it would name fields the caller cannot see), and
// for anything unexpected only a generic message (the details go to the log).
import type { GraphQLFormattedError } from 'graphql';
import type { Response } from 'express';

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
  'FIELD_NOT_ALLOWED',
  'PAGE_SIZE_EXCEEDED',
  'QUERY_TOO_DEEP',
  'QUERY_TOO_COSTLY',
  'TOO_MANY_ALIASES',
  'DATABASE_UNAVAILABLE',
  'DATABASE_TIMEOUT',
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
  if (!CLIENT_CODES.has(code)) {
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
export function sendError(res: Response, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}
