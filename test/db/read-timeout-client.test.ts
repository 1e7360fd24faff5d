// The client-side read timeout (src/db/read-timeout-client.ts) on a real PostgreSQL: a statement
// whose answer does not come in time fails as DATABASE_TIMEOUT, by the promise and by the
// callback (pg-pool's own pool.query) alike, the broken connection leaves the pool, and the
// pool answers the next statement. statement_timeout is lifted on the session so that the
// server does not end the statement first, as a server that stopped answering would not.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { createPool } from '../../src/db/pool';
import { READ_TIMEOUT_MESSAGE } from '../../src/db/read-timeout-client';
import { classifyDbError } from '../../src/server/faults/db-errors';
import { TEST_SECRET } from '../setup/constants';
import { useEmptyDatabase } from '../setup/database';

// statement_timeout 200 ms: the client gives up 2 s after that.
const poolFor = async (poolMax: number) => {
  const url = await useEmptyDatabase();
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: url, ECOGRAPH_SECRET: TEST_SECRET, DB_STATEMENT_TIMEOUT_MS: '200', DB_POOL_MAX: String(poolMax) });
  return createPool(url, config);
};

describe('client-side read timeout', () => {
  it('fails a statement still unanswered 2 s after statement_timeout, and the pool goes on', async () => {
    const pool = await poolFor(2);
    try {
      const held = await pool.connect();
      await held.query('set statement_timeout = 0');
      const started = Date.now();
      const err = await held.query('select pg_sleep(30)').then(
        () => undefined,
        (e: unknown) => e,
      );
      const waited = Date.now() - started;
      expect((err as Error).message).toBe(READ_TIMEOUT_MESSAGE);
      expect(classifyDbError(err)).toBe('DATABASE_TIMEOUT');
      expect(waited).toBeGreaterThanOrEqual(2_000);
      expect(waited).toBeLessThan(10_000);
      // The connection is broken: released as such, and the pool opens a fresh one.
      await expect(held.query('select 1')).rejects.toThrow();
      held.release(true);
      expect((await pool.query<{ one: number }>('select 1 as one')).rows[0]!.one).toBe(1);
    } finally {
      await pool.end();
    }
  });

  it('times pool.query (pg-pool calls back) the same way', async () => {
    const pool = await poolFor(1);
    try {
      const only = await pool.connect();
      await only.query('set statement_timeout = 0');
      only.release();
      await expect(pool.query('select pg_sleep(30)')).rejects.toThrow(READ_TIMEOUT_MESSAGE);
      expect((await pool.query<{ one: number }>('select 1 as one')).rows[0]!.one).toBe(1);
    } finally {
      await pool.end();
    }
  });

  it('leaves answers in time alone: values, named statements, callbacks', async () => {
    const pool = await poolFor(1);
    try {
      expect((await pool.query<{ n: number }>({ name: 'rt-add', text: 'select $1::int + 1 as n', values: [41] })).rows[0]!.n).toBe(42);
      const client = await pool.connect();
      try {
        const viaCallback = await new Promise<number>((resolve, reject) =>
          client.query<{ n: number }>('select $1::int * 2 as n', [21], (err, res) => (err ? reject(err) : resolve(res.rows[0]!.n))),
        );
        expect(viaCallback).toBe(42);
        // A statement the server refuses keeps its own error.
        await expect(client.query('select 1/0')).rejects.toMatchObject({ code: '22012' });
        expect((await client.query<{ one: number }>('select 1 as one')).rows[0]!.one).toBe(1);
      } finally {
        client.release();
      }
    } finally {
      await pool.end();
    }
  });
});
