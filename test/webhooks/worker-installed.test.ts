// graphile-worker's presence is asked once per pool or connection once it is there, and never
// carried over to another database (here two in one process); a "no" is asked again each time.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Executor } from '../../src/db/executor';
import { workerInstalled } from '../../src/webhooks/queue';
import { useEmptyDatabase } from '../setup/database';

let withWorker: pg.Pool;
let without: pg.Pool;
beforeAll(async () => {
  withWorker = new pg.Pool({ connectionString: await useEmptyDatabase(), max: 2 });
  without = new pg.Pool({ connectionString: await useEmptyDatabase(), max: 2 });
  await withWorker.query('create schema graphile_worker');
});
afterAll(async () => {
  await withWorker.end();
  await without.end();
});

/** The answer and the statements it cost. */
async function ask(db: pg.Pool | pg.PoolClient): Promise<[boolean, number]> {
  const exec = new Executor(db);
  return [await workerInstalled(exec), exec.statements];
}

describe('workerInstalled', () => {
  it('remembers a yes per pool and per connection, never for another database', async () => {
    expect(await ask(withWorker)).toEqual([true, 1]);
    expect(await ask(withWorker)).toEqual([true, 0]);
    expect(await ask(without)).toEqual([false, 1]);
    const client = await withWorker.connect();
    const other = await without.connect();
    try {
      expect(await ask(client)).toEqual([true, 1]);
      expect(await ask(client)).toEqual([true, 0]);
      expect(await ask(other)).toEqual([false, 1]);
    } finally {
      client.release();
      other.release();
    }
  });

  it('asks again while the answer is no, and remembers the first yes', async () => {
    const client = await without.connect();
    try {
      expect(await ask(without)).toEqual([false, 1]);
      expect(await ask(client)).toEqual([false, 1]);
      await without.query('create schema graphile_worker');
      expect(await ask(without)).toEqual([true, 1]);
      expect(await ask(without)).toEqual([true, 0]);
      expect(await ask(client)).toEqual([true, 1]);
      expect(await ask(client)).toEqual([true, 0]);
    } finally {
      client.release();
    }
  });
});
