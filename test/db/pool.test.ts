// A pooled client that loses its server while it is held between statements (a transaction, the
// rollup refresh's session) must not end the process with an unhandled 'error' event: the
// pool reports it and the holder's next statement fails.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { createPool } from '../../src/db/pool';
import { TEST_SECRET } from '../setup/constants';
import { useEmptyDatabase } from '../setup/database';

describe('createPool', () => {
  it('survives a checked-out client whose backend is terminated', async () => {
    const url = await useEmptyDatabase();
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: url, ECOGRAPH_SECRET: TEST_SECRET });
    const reported: string[] = [];
    const pool = createPool(url, config, { onIdleError: (err) => reported.push(err.message) });
    const held = await pool.connect();
    const pid = (await held.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    const killer = new pg.Client({ connectionString: url });
    await killer.connect();
    try {
      await killer.query('select pg_terminate_backend($1)', [pid]);
      // The socket closes while no query runs on the held client: its 'error' event fires now.
      const deadline = Date.now() + 5_000;
      while (reported.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(reported.length).toBeGreaterThan(0);
      await expect(held.query('select 1')).rejects.toThrow();
      held.release(true);
      expect((await pool.query<{ one: number }>('select 1 as one')).rows[0]!.one).toBe(1);
    } finally {
      await killer.end();
      await pool.end();
    }
  });
});
