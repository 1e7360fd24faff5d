// Starts graphile-worker beside the HTTP server, on the primary: its own schema
// (graphile_worker), its own migrations, LISTEN/NOTIFY for new jobs. main.ts stops it on
// shutdown, after the HTTP drain, letting the jobs in progress finish.
import { Logger, run, runMigrations, type LogLevel, type Runner } from 'graphile-worker';
import type pg from 'pg';
import type { Services } from '../server/context';
import type { Logger as AppLogger } from '../server/logger';
import { crontab, taskList } from './tasks';

function bridge(log: AppLogger): Logger {
  return new Logger((scope) => (level: LogLevel, message: string) => {
    const entry = { worker: (scope as { workerId?: string }).workerId, task: (scope as { taskIdentifier?: string }).taskIdentifier };
    if (level === 'error') log.error(entry, message);
    else if (level === 'warning') log.warn(entry, message);
    else if (level === 'info') log.info(entry, message);
    else log.debug(entry, message);
  });
}

/** Any number, the same for every replica: serialises graphile-worker's schema installation. */
const MIGRATION_LOCK = 7_240_312;

/**
 * graphile-worker installs its schema with `create schema` on first start; replicas starting
 * together on a fresh database would race (one fails with a duplicate pg_namespace entry). One
 * at a time under an advisory lock; the others then find the schema installed.
 */
async function migrateOnce(pool: pg.Pool, logger: Logger): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await runMigrations({ pgPool: pool, logger });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}

export async function startJobs(pool: pg.Pool, services: Services, log: AppLogger): Promise<Runner> {
  await migrateOnce(pool, bridge(log));
  return run({
    pgPool: pool,
    // Webhook deliveries wait on partners' servers: several jobs at once (JOBS_CONCURRENCY).
    concurrency: services.config.jobs.concurrency,
    // main.ts owns the signals and stops the runner in order.
    noHandleSignals: true,
    pollInterval: 2_000,
    logger: bridge(log),
    taskList: taskList(pool, services, log),
    crontab: crontab(services),
  });
}
