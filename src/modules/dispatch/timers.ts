// The offer timers of dispatch, on graphile-worker: one job per request ("dispatch_offer:<id>"),
// added with SQL in the transaction that makes the offer, so the timer commits (or not) with it
// and survives any restart. A later offer replaces the job; the job carries the offer's sequence
// number, so a stale run finds the request moved on and does nothing.
import type { Executor } from '../../db/executor';
import { sql } from '../../db/sql';
import { workerInstalled } from '../../webhooks/queue';

export const DISPATCH_TASKS = { offerTimeout: 'dispatch_offer_timeout', tick: 'dispatch_tick' } as const;

export interface OfferTimeoutPayload {
  requestId: number;
  offerSeq: number;
}

const jobKey = (requestId: number) => `dispatch_offer:${requestId}`;

/**
 * Runs the timeout when the offer expires. Without graphile-worker installed yet (no replica has
 * run jobs), the dispatch tick sweeps expired offers once one does.
 */
export async function scheduleOfferTimeout(exec: Executor, requestId: number, offerSeq: number): Promise<void> {
  if (!(await workerInstalled(exec))) return;
  await exec.rows(sql`select graphile_worker.add_job(${DISPATCH_TASKS.offerTimeout},
      json_build_object('requestId', ${requestId}::int, 'offerSeq', ${offerSeq}::int),
      queue_name := null, run_at := r.offer_expires_at, max_attempts := 10,
      job_key := ${jobKey(requestId)}, job_key_mode := 'replace')
    from service_request r where r.id = ${requestId}`);
}

/** The request needs no timer any more (accepted, closed). */
export async function cancelOfferTimeout(exec: Executor, requestId: number): Promise<void> {
  if (!(await workerInstalled(exec))) return;
  await exec.rows(sql`select graphile_worker.remove_job(${jobKey(requestId)})`);
}
