// Enqueuing webhook work on graphile-worker with SQL, so that a job commits (or not) with the
// rows it is about: `graphile_worker.add_job` on the caller's own connection and transaction.
// One queue per endpoint ("webhook:<endpoint id>") keeps one endpoint's attempts one at a time;
// one job key per delivery ("webhook_delivery:<delivery id>") makes enqueuing twice harmless
// (replace: "run it now", the retry count starting again).
import type { Executor } from '../db/executor';
import { sql } from '../db/sql';

export const WEBHOOK_TASKS = { fanout: 'webhook_fanout', deliver: 'webhook_deliver', prune: 'webhook_log_prune' } as const;

export const FANOUT_QUEUE = 'webhook_fanout';
export const FANOUT_JOB_KEY = 'webhook_fanout';

// graphile-worker's schema, once installed, stays (nothing here drops it): a yes is remembered
// for the pool or connection the Executor wraps, each bound to one database for life, so a yes
// is never used for another database (tests run several in one process). A pooled connection
// has no link to its pool (pg-pool keeps none), so each connection asks once. A no is asked again.
const installed = new WeakSet<object>();

/** graphile-worker has installed its schema in this database (some replica runs jobs). */
export async function workerInstalled(exec: Executor): Promise<boolean> {
  const db = exec.target;
  if (installed.has(db)) return true;
  const [r] = await exec.rows<{ ok: boolean }>(sql`select to_regnamespace('graphile_worker') is not null as ok`);
  if (r?.ok !== true) return false;
  installed.add(db);
  return true;
}

/**
 * A job per delivery, in the caller's transaction. Deliveries are then PENDING with a job; when
 * no replica has installed graphile-worker yet they stay PENDING and the sweep (fanout's cron
 * tick) enqueues them once one has.
 */
export async function enqueueDeliveries(exec: Executor, deliveries: { id: number; endpointId: number }[], maxAttempts: number): Promise<void> {
  if (deliveries.length === 0 || !(await workerInstalled(exec))) return;
  await exec.rows(sql`select graphile_worker.add_job(${WEBHOOK_TASKS.deliver}, json_build_object('deliveryId', d.id),
      queue_name := 'webhook:' || d.endpoint_id, max_attempts := ${maxAttempts}::int,
      job_key := 'webhook_delivery:' || d.id, job_key_mode := 'replace')
    from unnest(${deliveries.map((d) => d.id)}::int[], ${deliveries.map((d) => d.endpointId)}::int[]) as d(id, endpoint_id)`);
}

/** A fanout soon (deduplicated: one waiting fanout job at most, whatever asks). */
export async function enqueueFanout(exec: Executor, delaySeconds = 0): Promise<void> {
  if (!(await workerInstalled(exec))) return;
  await exec.rows(sql`select graphile_worker.add_job(${WEBHOOK_TASKS.fanout}, '{}'::json, queue_name := ${FANOUT_QUEUE},
      run_at := now() + make_interval(secs => ${delaySeconds}::int), job_key := ${FANOUT_JOB_KEY}, job_key_mode := 'preserve_run_at')`);
}
