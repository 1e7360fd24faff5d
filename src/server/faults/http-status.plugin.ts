// The HTTP status of a GraphQL response that carries errors, decided from the formatted errors
// (formatError in ../errors.ts has given them their codes):
// - any DATABASE_UNAVAILABLE: 503 with Retry-After; else any DATABASE_TIMEOUT: 504 with
//   Retry-After (the database is down, restarting, out of connections, or too slow);
// - no data at all and only input errors (a bad cursor, a page size over the maximum, a bad
//   argument): 400, like a request that failed validation. Partial results stay 200.
import type { ApolloServerPlugin } from '@apollo/server';
import { dbFaultStatus } from './db-errors';

const INPUT_ERRORS = new Set(['BAD_USER_INPUT', 'BAD_CURSOR', 'PAGE_SIZE_EXCEEDED']);

export function httpStatusPlugin<C extends object>(retryAfterSeconds: number): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { errors, data } = response.body.singleResult;
          if (!errors || errors.length === 0) return;
          const codes = errors.map((e) => e.extensions?.code);
          const fault = dbFaultStatus(codes);
          if (fault) {
            response.http.status = fault.status;
            response.http.headers.set('retry-after', String(retryAfterSeconds));
          } else if ((data === null || data === undefined) && codes.every((c) => typeof c === 'string' && INPUT_ERRORS.has(c))) {
            if (response.http.status === undefined || response.http.status === 200) response.http.status = 400;
          }
        },
      };
    },
  };
}
