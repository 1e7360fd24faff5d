// The HTTP status of a GraphQL response that carries errors, decided from the formatted errors
// (formatError in ../errors.ts has given them their codes):
// - any DATABASE_UNAVAILABLE: 503 with Retry-After; else any DATABASE_TIMEOUT: 504 with
//   Retry-After (the database is down, restarting, out of connections, or too slow);
// - a refused mutation (every error a write code: 400, 404, 409 or 422, see writes/errors.ts);
// - no data at all and only input errors (a bad cursor, a page size over the maximum, a bad
//   argument): 400, like a request that failed validation. Partial results stay 200.
// - except for a client that accepts application/json only (not the GraphQL response media
//   type): a document that does not parse, does not validate, or whose variables do not coerce
//   is answered 200, as the GraphQL-over-HTTP specification recommends for application/json
//   (such a client reads the errors from the body); application/graphql-response+json keeps 4xx.
import type { ApolloServerPlugin } from '@apollo/server';
import { WRITE_ERROR_STATUS, type WriteErrorCode } from '../../writes/errors';
import { dbFaultStatus } from './db-errors';

const INPUT_ERRORS = new Set(['BAD_USER_INPUT', 'BAD_CURSOR', 'CURSOR_EXPIRED', 'PAGE_SIZE_EXCEEDED']);
/** Errors of the request itself (before execution: no `data` at all). */
const REQUEST_ERRORS = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT']);

function acceptsOnlyJson(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept.split(',').map((t) => t.split(';')[0]!.trim().toLowerCase());
  return types.includes('application/json') && !types.includes('application/graphql-response+json') && !types.includes('*/*');
}

export function httpStatusPlugin<C extends object>(retryAfterSeconds: number): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ request, response }) {
          if (response.body.kind !== 'single') return;
          const { errors, data } = response.body.singleResult;
          if (!errors || errors.length === 0) return;
          const codes = errors.map((e) => e.extensions?.code);
          if (data === undefined && acceptsOnlyJson(request.http?.headers.get('accept')) && codes.every((c) => typeof c === 'string' && REQUEST_ERRORS.has(c))) {
            response.http.status = 200;
            return;
          }
          const fault = dbFaultStatus(codes);
          if (fault) {
            response.http.status = fault.status;
            response.http.headers.set('retry-after', String(retryAfterSeconds));
          } else if ((data === null || data === undefined) && codes.every((c) => typeof c === 'string' && INPUT_ERRORS.has(c))) {
            if (response.http.status === undefined || response.http.status === 200) response.http.status = 400;
          } else if (codes.length > 0 && codes.every((c) => typeof c === 'string' && c in WRITE_ERROR_STATUS)) {
            // A refused mutation (nothing was written: its transaction rolled back).
            if (response.http.status === undefined || response.http.status === 200) response.http.status = WRITE_ERROR_STATUS[codes[0] as WriteErrorCode];
          }
        },
      };
    },
  };
}
