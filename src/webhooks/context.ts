// A Context for work done as a partner outside a request (fanout, delivery checks): the
// partner's principal as a key of it would get now, statements on the given connection.
import type pg from 'pg';
import type { Principal } from '../auth/principal';
import { Executor } from '../db/executor';
import type { Context, Services } from '../server/context';

export function partnerContext(principal: Principal, db: pg.PoolClient | pg.Pool | Executor, services: Services, requestId: string): Context {
  return {
    principal,
    exec: db instanceof Executor ? db : new Executor(db),
    services,
    memo: new Map(),
    requestId,
    rows: 0,
  };
}

/** One transaction on a client of the pool; a connection that failed is not reused. */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  const onError = () => {
    broken = true;
  };
  client.on('error', onError);
  try {
    await client.query('begin');
    const result = await fn(client);
    await client.query('commit');
    return result;
  } catch (err) {
    await client.query('rollback').catch(() => {
      broken = true;
    });
    throw err;
  } finally {
    client.off('error', onError);
    client.release(broken ? true : undefined);
  }
}
