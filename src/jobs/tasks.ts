// The jobs Ecograph runs on graphile-worker (a job queue in PostgreSQL): scheduled by cron,
// retried on failure, and run once however many replicas run (graphile-worker locks each job
// and each cron tick in the database).
import type { JobHelpers, Task, TaskList } from 'graphile-worker';
import type pg from 'pg';
import { evaluateQualityMonth } from '../metrics/quality/consequences';
import { BUSINESS_TIME_ZONE } from '../metrics/settlements/settlement.sql';
import type { Services } from '../server/context';
import { runAsSystem } from './system-context';
import { pruneChangeLog } from '../changes/retention';
import type { Logger } from '../server/logger';
import { webhookCrontab, webhookTasks } from '../webhooks/tasks';
import { dispatchCrontab, dispatchTasks } from '../modules/dispatch/dispatch.tasks';
import { settleMonth } from '../modules/dispatch/orders';

export const TASKS = { qualityEvaluation: 'quality_evaluation', idempotencyCleanup: 'idempotency_cleanup', changeLogPrune: 'change_log_prune', settlement: 'settlement_refresh' } as const;

/** The month before the one `at` falls in, in the business time zone: "YYYY-MM-01". */
export function previousMonth(at: Date, timeZone = BUSINESS_TIME_ZONE): string {
  const [y, m] = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).format(at).split('-').map(Number);
  const d = new Date(Date.UTC(y!, m! - 2, 1));
  return d.toISOString().slice(0, 10);
}

interface QualityPayload {
  month?: string;
  _cron?: { ts: string };
}

export function taskList(pool: pg.Pool, services: Services, log: Logger): TaskList {
  /** The monthly tiers and their consequences (suspension, exit, recovery) for the month that just closed. */
  const qualityEvaluation: Task = async (payload: unknown, helpers: JobHelpers) => {
    const p = (payload ?? {}) as QualityPayload;
    const month = p.month ?? previousMonth(p._cron ? new Date(p._cron.ts) : new Date());
    if (!/^\d{4}-\d{2}-01$/.test(month)) throw new Error(`quality_evaluation: month must be "YYYY-MM-01", got ${month}`);
    const { evaluated, changed } = await runAsSystem(pool, services, { id: String(helpers.job.id), task: TASKS.qualityEvaluation }, (ctx) => evaluateQualityMonth(month, ctx));
    helpers.logger.info(`quality tiers of ${month}: ${evaluated} partners evaluated, ${changed.length} status changes`);
  };
  /** Answers of Idempotency-Keys past their retention. */
  const idempotencyCleanup: Task = async (_payload: unknown, helpers: JobHelpers) => {
    const res = await pool.query('delete from idempotency_key where created_at < now() - make_interval(hours => $1)', [services.config.writes.idempotencyTtlHours]);
    if (res.rowCount) helpers.logger.info(`forgot ${res.rowCount} expired idempotency keys`);
  };
  /** Changes past the feed's retention; the horizon makes older cursors fail with CURSOR_EXPIRED. */
  const changeLogPrune: Task = async (_payload: unknown, helpers: JobHelpers) => {
    const pruned = await pruneChangeLog(pool, services.config.changes.retentionHours);
    if (pruned) helpers.logger.info(`pruned ${pruned} changes older than ${services.config.changes.retentionHours} h from the feed`);
  };
  /**
   * The settlements of the month that closed and of the current one, every night: fixed monthly
   * fees are charged for months without orders too (completing a dispatched order re-settles its
   * month at once).
   */
  const settlement: Task = async (payload: unknown, helpers: JobHelpers) => {
    const p = (payload ?? {}) as QualityPayload;
    const at = p._cron ? new Date(p._cron.ts) : new Date();
    const current = new Intl.DateTimeFormat('en-CA', { timeZone: BUSINESS_TIME_ZONE, year: 'numeric', month: '2-digit' }).format(at);
    const months = [previousMonth(at).slice(0, 7), current];
    await runAsSystem(pool, services, { id: String(helpers.job.id), task: TASKS.settlement }, async (ctx) => {
      for (const m of months) await settleMonth(ctx, m);
    });
    helpers.logger.info(`settled ${months.join(' and ')}`);
  };
  return {
    [TASKS.qualityEvaluation]: qualityEvaluation,
    [TASKS.settlement]: settlement,
    [TASKS.idempotencyCleanup]: idempotencyCleanup,
    [TASKS.changeLogPrune]: changeLogPrune,
    // Webhooks (src/webhooks/tasks.ts): fanout from the feed, deliveries, the log's retention.
    ...webhookTasks(pool, services, log),
    // Dispatch (src/modules/dispatch/dispatch.tasks.ts): offer timers and the rules' tick.
    ...dispatchTasks(pool, services),
  };
}

export function crontab(services: Services): string {
  const cron = services.config.jobs;
  return [
    // Backfill a day: a tick missed while every replica was down still runs once.
    `${cron.qualityEvaluationCron} ${TASKS.qualityEvaluation} ?fill=1d&max=3`,
    `17 * * * * ${TASKS.idempotencyCleanup}`,
    `23 * * * * ${TASKS.changeLogPrune}`,
    `40 3 * * * ${TASKS.settlement}`,
    ...webhookCrontab(),
    ...dispatchCrontab(services),
  ].join('\n');
}
