// Starts a fanout soon after each captured write: a dedicated connection LISTENs on
// 'ecograph_changes' (the change-feed triggers NOTIFY it on every captured write, whoever
// writes), and notifications are coalesced into one add_job per short interval. The job key
// dedupes across replicas: however many servers listen, one fanout waits at a time. On
// (re)connect a fanout is asked for too, so that writes made while nobody listened are picked
// up at once; the cron fanout every minute covers whatever still slips through.
import type pg from 'pg';
import type { Logger } from '../server/logger';
import { Executor } from '../db/executor';
import { listen } from '../db/listener';
import { sql } from '../db/sql';
import { FANOUT_JOB_KEY, FANOUT_QUEUE, WEBHOOK_TASKS } from './queue';

export const CHANGES_CHANNEL = 'ecograph_changes';
const COALESCE_MS = 200;

export interface FanoutTrigger {
  stop(): Promise<void>;
}

export function startFanoutTrigger(databaseUrl: string, jobsPool: pg.Pool, log: Logger): FanoutTrigger {
  let stopped = false;
  let pending: NodeJS.Timeout | undefined;
  let inFlight: Promise<unknown> = Promise.resolve();

  const request = () => {
    if (stopped || pending) return;
    pending = setTimeout(() => {
      pending = undefined;
      // Only when some endpoint is ACTIVE: without endpoints, writes cost no job.
      inFlight = new Executor(jobsPool)
        .rows(sql`select graphile_worker.add_job(${WEBHOOK_TASKS.fanout}, '{}'::json, queue_name := ${FANOUT_QUEUE}, job_key := ${FANOUT_JOB_KEY}, job_key_mode := 'preserve_run_at')
                   where exists (select 1 from webhook_endpoint where status = 'ACTIVE')`)
        .catch((err: Error) => log.warn({ err: err.message }, 'webhooks: could not enqueue a fanout; the cron fanout will'));
    }, COALESCE_MS);
  };

  const listener = listen(databaseUrl, { name: 'webhooks', channels: [CHANGES_CHANNEL], log, onNotification: request, onUp: request });
  return {
    async stop() {
      stopped = true;
      clearTimeout(pending);
      await listener.stop();
      await inFlight;
    },
  };
}
