// The webhook jobs on graphile-worker (registered in src/jobs/tasks.ts):
//   webhook_fanout    the feed -> deliveries (after each captured write, via trigger.ts, and
//                     every minute as a safety net, which also re-enqueues any PENDING delivery
//                     left without a job);
//   webhook_deliver   one attempt of one delivery; a failure is retried with graphile-worker's
//                     exponential backoff, up to WEBHOOK_MAX_ATTEMPTS;
//   webhook_log_prune finished deliveries past WEBHOOK_LOG_RETENTION_DAYS.
import type { JobHelpers, Task } from 'graphile-worker';
import type pg from 'pg';
import { Executor } from '../db/executor';
import type { Services } from '../server/context';
import type { Logger } from '../server/logger';
import { deliverOnce, RetryLater } from './deliver';
import { fanout } from './fanout';
import { enqueueDeliveries, enqueueFanout, FANOUT_QUEUE, WEBHOOK_TASKS } from './queue';

/** PENDING deliveries of ACTIVE endpoints with no live job (enqueued before graphile-worker was installed, or a job lost). */
async function sweep(pool: pg.Pool, maxAttempts: number): Promise<number> {
  const orphans = await pool.query<{ id: number; endpoint_id: number }>(
    `select d.id, d.endpoint_id from webhook_delivery d join webhook_endpoint e on e.id = d.endpoint_id and e.status = 'ACTIVE'
      where d.status = 'PENDING' and d.created_at < now() - interval '1 minute'
        and not exists (select 1 from graphile_worker.jobs j where j.key = 'webhook_delivery:' || d.id and (j.attempts < j.max_attempts or j.locked_at is not null))
      order by d.id limit 1000`,
  );
  await enqueueDeliveries(new Executor(pool), orphans.rows.map((r) => ({ id: Number(r.id), endpointId: Number(r.endpoint_id) })), maxAttempts);
  return orphans.rowCount ?? 0;
}

export function webhookTasks(pool: pg.Pool, services: Services, log: Logger): Record<string, Task> {
  const cfg = services.config.webhooks;
  const webhookFanout: Task = async (payload: unknown, helpers: JobHelpers) => {
    const { more, deliveries } = await fanout(pool, services, log);
    if (deliveries) helpers.logger.debug(`webhooks: ${deliveries} deliveries created`);
    // More to read, or changes committed behind an older transaction still running: soon again.
    if (more) await enqueueFanout(new Executor(pool), 1);
    if ((payload as { _cron?: unknown } | null)?._cron) {
      const swept = await sweep(pool, cfg.maxAttempts);
      if (swept) helpers.logger.info(`webhooks: ${swept} pending deliveries without a job enqueued again`);
    }
  };
  const webhookDeliver: Task = async (payload: unknown, helpers: JobHelpers) => {
    const deliveryId = Number((payload as { deliveryId?: unknown } | null)?.deliveryId);
    if (!Number.isInteger(deliveryId)) throw new Error('webhook_deliver: payload.deliveryId must be an integer');
    try {
      await deliverOnce(pool, services, log, deliveryId, { attempt: helpers.job.attempts, maxAttempts: helpers.job.max_attempts, signal: helpers.abortSignal });
    } catch (err) {
      // graphile-worker logs the failure and schedules the retry; no stack trace for an expected one.
      if (err instanceof RetryLater) throw new Error(`webhook delivery ${deliveryId}: ${err.message}`);
      throw err;
    }
  };
  const webhookLogPrune: Task = async (_payload: unknown, helpers: JobHelpers) => {
    const res = await pool.query(`delete from webhook_delivery where status <> 'PENDING' and created_at < now() - make_interval(days => $1)`, [cfg.logRetentionDays]);
    if (res.rowCount) helpers.logger.info(`webhooks: pruned ${res.rowCount} deliveries older than ${cfg.logRetentionDays} days`);
  };
  return { [WEBHOOK_TASKS.fanout]: webhookFanout, [WEBHOOK_TASKS.deliver]: webhookDeliver, [WEBHOOK_TASKS.prune]: webhookLogPrune };
}

/**
 * Crontab lines: the fanout every minute (in the fanout queue, so never beside a triggered one;
 * its own job, so that its sweep is not replaced by a triggered fanout's payload), the prune hourly.
 */
export function webhookCrontab(): string[] {
  return [`* * * * * ${WEBHOOK_TASKS.fanout} ?queue=${FANOUT_QUEUE}`, `41 * * * * ${WEBHOOK_TASKS.prune}`];
}
