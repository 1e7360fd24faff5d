// Runs the statements of one request and counts them, so that tests and benchmarks can hold
// a request to a bounded number of statements.
import type pg from 'pg';
import type { Sql } from './sql';

export class Executor {
  statements = 0;
  constructor(private readonly pool: pg.Pool) {}

  async rows<T = Record<string, unknown>>(query: Sql): Promise<T[]> {
    this.statements++;
    const { text, values } = query.toQuery();
    const result = await this.pool.query(text, values);
    return result.rows as T[];
  }
}
