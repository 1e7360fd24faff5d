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

export { inTransaction } from '../db/transaction';
