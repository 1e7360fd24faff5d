// A job's writes, as a mutation's: one transaction, the same services and row rules, and one
// ledger record (role ADMIN, no key, request id "job:<id>") written with the change.
import type pg from 'pg';
import { principal } from '../auth/principal';
import { Executor } from '../db/executor';
import { Role } from '../permissions/tier';
import type { Context, Services } from '../server/context';
import { insertMutationRecord } from '../writes/mutation-ledger';

export async function runAsSystem<T>(pool: pg.Pool, services: Services, job: { id: string; task: string }, fn: (ctx: Context) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  const onError = () => {
    broken = true;
  };
  client.on('error', onError);
  try {
    await client.query('begin');
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
    await client.query('commit');
    return result;
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.off('error', onError);
    client.release(broken ? true : undefined);
  }
}
