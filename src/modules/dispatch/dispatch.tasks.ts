// Dispatch's jobs on graphile-worker: the offer timer of each request (timers.ts) and a tick
// (DISPATCH_TICK_CRON, every minute) that applies the dispatch rules and sweeps offers whose
// timer never ran. Each request is handled in its own transaction as the system, so one bad
// row never holds back the others; graphile-worker runs each job and each tick once, whatever
// the number of replicas.
import type { JobHelpers, Task, TaskList } from 'graphile-worker';
import type pg from 'pg';
import { runAsSystem } from '../../jobs/system-context';
import type { Services } from '../../server/context';
import { openRequest, expireOffer } from './dispatch.service';
import { dueOrders, overdueOffers } from './rules';
import { DISPATCH_TASKS, type OfferTimeoutPayload } from './timers';
import { Executor } from '../../db/executor';
import { principal } from '../../auth/principal';
import { Role } from '../../permissions/tier';
import type { Context } from '../../server/context';

function readOnlyContext(client: pg.PoolClient, services: Services): Context {
  return { principal: principal(Role.ADMIN), exec: new Executor(client), services, memo: new Map(), requestId: 'job:dispatch', rows: 0 };
}

export function dispatchTasks(pool: pg.Pool, services: Services): TaskList {
  const offerTimeout: Task = async (payload: unknown, helpers: JobHelpers) => {
    const p = payload as Partial<OfferTimeoutPayload>;
    if (!Number.isInteger(p.requestId)) throw new Error('dispatch_offer_timeout: requestId missing');
    const outcome = await runAsSystem(pool, services, { id: String(helpers.job.id), task: DISPATCH_TASKS.offerTimeout }, (ctx) => expireOffer(ctx, p.requestId!, p.offerSeq));
    helpers.logger.info(`service request ${p.requestId}: offer ${p.offerSeq} ${outcome}`);
  };

  const tick: Task = async (_payload: unknown, helpers: JobHelpers) => {
    const client = await pool.connect();
    let due, overdue;
    try {
      const ctx = readOnlyContext(client, services);
      [due, overdue] = [await dueOrders(ctx), await overdueOffers(ctx)];
    } finally {
      client.release();
    }
    const job = { id: String(helpers.job.id), task: DISPATCH_TASKS.tick };
    let opened = 0;
    for (const d of due) {
      try {
        await runAsSystem(pool, services, job, (ctx) =>
          openRequest(
            { serviceType: d.request_service_type, customerId: String(d.customer_id), city: d.city, windowStart: new Date(), windowEnd: new Date(Date.now() + d.window_minutes * 60_000) },
            ctx,
            { ruleId: Number(d.rule_id), sourceOrderId: Number(d.order_id), customerId: Number(d.customer_id), servicePointId: d.service_point_id === null ? null : Number(d.service_point_id) },
          ),
        );
        opened++;
      } catch (err) {
        // Another tick took it (unique rule + source order), or the row is unusable: logged, never blocking the rest.
        if ((err as { code?: string }).code !== '23505') helpers.logger.error(`dispatch rule ${d.rule_id} on order ${d.order_id}: ${(err as Error).message}`);
      }
    }
    for (const o of overdue) {
      await runAsSystem(pool, services, job, (ctx) => expireOffer(ctx, Number(o.id), Number(o.offer_seq)));
    }
    if (opened || overdue.length) helpers.logger.info(`dispatch tick: ${opened} requests opened by rules, ${overdue.length} overdue offers expired`);
  };

  return { [DISPATCH_TASKS.offerTimeout]: offerTimeout, [DISPATCH_TASKS.tick]: tick };
}

export function dispatchCrontab(services: Services): string[] {
  return [`${services.config.dispatch.tickCron} ${DISPATCH_TASKS.tick}`];
}
