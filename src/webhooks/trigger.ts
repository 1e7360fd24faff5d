// Starts a fanout soon after each captured write: a dedicated connection LISTENs on
// 'ecograph_changes' (the change-feed triggers NOTIFY it on every captured write, whoever
// writes), and notifications are coalesced into one add_job per short interval. The job key
// dedupes across replicas: however many servers listen, one fanout waits at a time. On
// (re)connect a fanout is asked for too, so that writes made while nobody listened are picked
// up at once; the cron fanout every minute covers whatever still slips through.
import pg from 'pg';
import type { Logger } from '../server/logger';
import { Executor } from '../db/executor';
import { sql } from '../db/sql';
import { FANOUT_JOB_KEY, FANOUT_QUEUE, WEBHOOK_TASKS } from './queue';

export const CHANGES_CHANNEL = 'ecograph_changes';
const COALESCE_MS = 200;
const MAX_RECONNECT_MS = 30_000;

export interface FanoutTrigger {
  stop(): Promise<void>;
}

export function startFanoutTrigger(databaseUrl: string, jobsPool: pg.Pool, log: Logger): FanoutTrigger {
  let client: pg.Client | undefined;
  let stopped = false;
  let pending: NodeJS.Timeout | undefined;
  let reconnect: NodeJS.Timeout | undefined;
  let delay = 500;
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

  const connect = async () => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: databaseUrl, application_name: 'ecograph-webhooks', keepAlive: true });
    // A connection that fails (PostgreSQL restarted) is replaced after a growing pause.
    c.on('error', (err) => {
      log.warn({ err: err.message }, 'webhooks: the change listener lost its connection; reconnecting');
      retry(c);
    });
    c.on('end', () => retry(c));
    c.on('notification', (msg) => {
      if (msg.channel === CHANGES_CHANNEL) request();
    });
    try {
      await c.connect();
      await c.query(`listen ${CHANGES_CHANNEL}`);
      if (stopped) {
        await c.end().catch(() => undefined);
        return;
      }
      client = c;
      delay = 500;
      request();
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'webhooks: the change listener could not connect; retrying');
      retry(c);
    }
  };

  const retry = (c: pg.Client) => {
    if (stopped || reconnect || (client !== undefined && client !== c)) return;
    client = undefined;
    c.removeAllListeners('notification');
    c.end().catch(() => undefined);
    reconnect = setTimeout(() => {
      reconnect = undefined;
      void connect();
    }, delay);
    delay = Math.min(delay * 2, MAX_RECONNECT_MS);
  };

  void connect();
  return {
    async stop() {
      stopped = true;
      clearTimeout(pending);
      clearTimeout(reconnect);
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
      await inFlight;
    },
  };
}
