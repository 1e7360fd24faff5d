// The client-side read timeout: a statement whose answer has not come `ms` after it was sent
// fails with "Query read timeout" (DATABASE_TIMEOUT, src/server/faults/db-errors.ts) and its
// connection is closed, so a server that vanished without closing the socket (or stopped
// answering) costs a request that long, never a hang. The server's statement_timeout ends slow
// statements first; this is the net under it.
//
// Why not pg's own query_timeout, which does the same: with it, every answer's rows outlived two
// young-generation collections and were promoted to the old generation (measured on the partner
// pull, 1M orders: about 70 KB promoted per answer and a full mark-compact every second, 0.5 ms of
// server CPU per answer). A timer of our own around the statement promotes nothing (same
// measurement: 4 MB over 2,000 answers, no mark-compact); docs/performance.md has the figures.
import pg from 'pg';

type Callback = (err: Error | null, res?: unknown) => void;
type Query = (this: pg.Client, config: unknown, values?: unknown, callback?: unknown) => unknown;

const baseQuery = pg.Client.prototype.query as unknown as Query;

/** The message pg's own query_timeout used, which the fault mapping knows. */
export const READ_TIMEOUT_MESSAGE = 'Query read timeout';

function giveUp(client: pg.Client): void {
  // Erroring the socket fails the statement in flight with this error and marks the client
  // broken; the pool then drops it (pool.ts listens for the client's 'error').
  (client as unknown as { connection: { stream: { destroy(err: Error): void } } }).connection.stream.destroy(new Error(READ_TIMEOUT_MESSAGE));
}

/** pg.Client whose statements give up `ms` after they were sent. */
export function clientWithReadTimeout(ms: number): typeof pg.Client {
  class ReadTimeoutClient extends pg.Client {}
  const timed: Query = function (this: pg.Client, config, values, callback) {
    if (typeof values === 'function') {
      callback = values;
      values = undefined;
    }
    // A cursor or a stream (a submittable) ends by its own events.
    const submittable = typeof config === 'object' && config !== null && typeof (config as { submit?: unknown }).submit === 'function';
    if (submittable) return baseQuery.call(this, config, values, callback);
    const timer = setTimeout(() => giveUp(this), ms);
    if (typeof callback === 'function') {
      const cb = callback as Callback;
      return baseQuery.call(this, config, values, (err: Error | null, res: unknown) => {
        clearTimeout(timer);
        cb(err, res);
      });
    }
    const answer = baseQuery.call(this, config, values) as Promise<unknown>;
    const clear = () => clearTimeout(timer);
    answer.then(clear, clear);
    return answer;
  };
  (ReadTimeoutClient.prototype as unknown as { query: Query }).query = timed;
  return ReadTimeoutClient;
}
