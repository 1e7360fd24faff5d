// A job's writes, as a mutation's: one transaction, the same services and row rules, and one
// ledger record (role ADMIN, no key, request id "job:<id>") written with the change.
import type pg from 'pg';
import { principal } from '../auth/principal';
import { Executor } from '../db/executor';
import { Role } from '../permissions/tier';
import type { Context, Services } from '../server/context';
import { insertMutationRecord } from '../writes/mutation-ledger';
import { inTransaction } from '../db/transaction';

export async function runAsSystem<T>(pool: pg.Pool, services: Services, job: { id: string; task: string }, fn: (ctx: Context) => Promise<T>): Promise<T> {
  return inTransaction(pool, async (client) => {
    const ctx: Context = {
      principal: principal(Role.ADMIN),
      exec: new Executor(client),
      services,
      memo: new Map(),
      requestId: `job:${job.id}`,
      rows: 0,
      write: { changes: [] },
    };
    const started = performance.now();
    const result = await fn(ctx);
    await insertMutationRecord(client, ctx, {
      operationName: job.task,
      query: job.task,
      mutation: job.task,
      used: { byTier: { PUBLIC: [], ANONYMIZED: [], SENSITIVE: [] }, filterOnly: [] },
      durationMs: Math.round(performance.now() - started),
    });
    return result;
  });
}
