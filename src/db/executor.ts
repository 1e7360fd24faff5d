// Runs the statements of one request and counts them, so that tests and benchmarks can hold
// a request to a bounded number of statements. A database fault (down, restarting, out of
// connections, statement timeout) becomes a GraphQL error with the code the client acts on:
// DATABASE_UNAVAILABLE (HTTP 503) or DATABASE_TIMEOUT (504); a value PostgreSQL refuses
// becomes BAD_USER_INPUT (400); see src/server/faults.
import type pg from 'pg';
import { classifyDbError, dbFaultError, inputDbError, isInputDbError } from '../server/faults/db-errors';
import type { Sql } from './sql';

// Statements the API sends again and again are prepared once per connection (saves planning).
// Only repeated texts get a name, and only so many, so that ad-hoc filter shapes cannot make
// each connection hold an unbounded number of prepared statements.
const MAX_PREPARED = 500;
const seen = new Map<string, number>();
const prepared = new Map<string, string>();

/** The name to prepare `text` under, once it has been seen a few times; undefined: send it unnamed. */
export function statementName(text: string): string | undefined {
  const name = prepared.get(text);
  if (name) return name;
  if (prepared.size >= MAX_PREPARED || text.length > 8_000) return undefined;
  const count = (seen.get(text) ?? 0) + 1;
  if (count < 3) {
    if (seen.size > 5_000) seen.clear();
    seen.set(text, count);
    return undefined;
  }
  seen.delete(text);
  const fresh = `eg${prepared.size}`;
  prepared.set(text, fresh);
  return fresh;
}

export class Executor {
  statements = 0;
  /** A pool, or the client of a mutation's transaction. */
  constructor(private readonly pool: Pick<pg.Pool, 'query'> | pg.PoolClient) {}

  /** What the statements go to: one database for its whole life (src/webhooks/queue.ts keys by it). */
  get target(): object {
    return this.pool;
  }

  async rows<T = Record<string, unknown>>(query: Sql): Promise<T[]> {
    this.statements++;
    const { text, values } = query.toQuery();
    try {
      const result = await this.pool.query({ name: statementName(text), text, values });
      return result.rows as T[];
    } catch (err) {
      const fault = classifyDbError(err);
      if (fault) throw dbFaultError(fault, err);
      // A value from the request PostgreSQL cannot take (a NUL in a string, 1000000 for a
      // smallint column): the caller's mistake, not ours.
      if (isInputDbError(err)) throw inputDbError(err);
      throw err;
    }
  }
}
