// The monthly quality evaluation runs as a graphile-worker job: with two server replicas on
// one database the job runs once, applies the consequences, and leaves its ledger record; the
// cron schedule is valid and names the month that just closed.
import { describe, expect, it } from 'vitest';
import { parseCrontab, quickAddJob } from 'graphile-worker';
import { loadConfig } from '../../src/config';
import { crontab, previousMonth, TASKS } from '../../src/jobs/tasks';
import { createLogger } from '../../src/server/logger';
import { startServer } from '../../src/server/start';
import { createActors } from '../setup/actors';
import { startTestServer } from '../setup/server';
import { useTestDatabase } from '../setup/database';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the quality evaluation job', () => {
  it('is scheduled for the month that just closed in Asia/Shanghai', () => {
    const config = loadConfig({ NODE_ENV: 'test' });
    const items = parseCrontab(crontab({ config } as never));
    expect(items.map((i) => i.task)).toEqual(expect.arrayContaining([TASKS.qualityEvaluation, TASKS.idempotencyCleanup, TASKS.changeLogPrune]));
    // 2026-12-01 03:00 UTC is 11:00 in Shanghai: November has closed.
    expect(previousMonth(new Date('2026-12-01T03:00:00Z'))).toBe('2026-11-01');
    // 2026-11-30 20:00 UTC is already 1 December in Shanghai.
    expect(previousMonth(new Date('2026-11-30T20:00:00Z'))).toBe('2026-11-01');
    expect(previousMonth(new Date('2026-01-15T00:00:00Z'))).toBe('2025-12-01');
    expect(() => loadConfig({ QUALITY_EVALUATION_CRON: 'every month' })).toThrow(/QUALITY_EVALUATION_CRON/);
  });

  it('runs once with two replicas, suspends a yellow-card partner and records why', async () => {
    const first = await startTestServer({ JOBS_ENABLED: 'true' });
    const config = loadConfig({ ...first.config, NODE_ENV: 'test', DATABASE_URL: first.databaseUrl, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ECOGRAPH_SECRET: 'test-secret-0123456789abcdef0123456789abcdef', JOBS_ENABLED: 'true' } as never);
    const second = await startServer(config, createLogger(config));
    try {
      const actors = await createActors(first.pool);
      const pid = actors.partnerAId;
      const d = new Date();
      const month = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 10);
      await first.pool.query(`delete from rating where order_id in (select id from service_order where created_at >= $1::date)`, [month]);
      await first.pool.query(
        `with c as (select id from customer order by id limit 25),
              o as (insert into service_order (customer_id, partner_id, service_type, city, channel, status, created_at, amount_minor)
                    select c.id, $1, 'COURTESY_CAR', 'Shanghai', 'ONLINE', 'FULFILLED', $2::date + interval '9 days', 12000 from c returning id, customer_id, created_at)
         insert into rating (order_id, partner_id, customer_id, score, created_at) select o.id, $1, o.customer_id, 2, o.created_at from o`,
        [pid, month],
      );
      await quickAddJob({ pgPool: first.pool }, TASKS.qualityEvaluation, { month }, { jobKey: `quality-${month}` });
      let status = '';
      for (let i = 0; i < 100 && status !== 'SUSPENDED'; i++) {
        await sleep(200);
        status = (await first.pool.query<{ status: string }>('select status from partner where id = $1', [pid])).rows[0]!.status;
      }
      expect(status).toBe('SUSPENDED');
      for (let i = 0; i < 50; i++) {
        if ((await first.pool.query('select 1 from graphile_worker.jobs')).rowCount === 0) break;
        await sleep(100);
      }
      const changes = await first.pool.query(`select rule, month::text as month from partner_status_change where partner_id = $1`, [pid]);
      expect(changes.rows).toEqual([{ rule: 'QUALITY_YELLOW_CARD', month }]);
      const records = await first.pool.query(`select role, key_id, mutation from access_ledger where request_id like 'job:%'`);
      expect(records.rows).toEqual([{ role: 'ADMIN', key_id: null, mutation: TASKS.qualityEvaluation }]);
      // Running the month again (a retry, a manual re-run) changes nothing more.
      await quickAddJob({ pgPool: first.pool }, TASKS.qualityEvaluation, { month });
      for (let i = 0; i < 100; i++) {
        if ((await first.pool.query(`select 1 from access_ledger where request_id like 'job:%'`)).rowCount === 2) break;
        await sleep(100);
      }
      expect((await first.pool.query(`select 1 from access_ledger where request_id like 'job:%'`)).rowCount).toBe(2);
      expect((await first.pool.query(`select 1 from partner_status_change where partner_id = $1`, [pid])).rowCount).toBe(1);
    } finally {
      await second.close();
    }
  }, 60_000);

  it('prunes the change feed past its retention, and says so to older cursors', async () => {
    const server = await startTestServer({ JOBS_ENABLED: 'true', CHANGE_RETENTION_HOURS: '1' });
    const before = (await server.gql('{ changesCursor }')).body.data!.changesCursor as string;
    await server.pool.query(`update service_order set response_minutes = 1 where id = (select min(id) from service_order)`);
    await server.pool.query(`update change_log set at = now() - interval '2 hours'`);
    await quickAddJob({ pgPool: server.pool }, TASKS.changeLogPrune, {});
    let left = -1;
    for (let i = 0; i < 100 && left !== 0; i++) {
      await sleep(200);
      left = (await server.pool.query<{ n: number }>('select count(*)::int as n from change_log')).rows[0]!.n;
    }
    expect(left).toBe(0);
    expect((await server.pool.query('select 1 from change_log_horizon')).rowCount).toBe(1);
    const res = await server.gql('query($a: String) { changes(after: $a) { endCursor } }', { a: before });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('CURSOR_EXPIRED');
  }, 60_000);

  it('starts with two replicas at once on a database the worker has never seen', async () => {
    const databaseUrl = await useTestDatabase();
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ECOGRAPH_SECRET: 'test-secret-0123456789abcdef0123456789abcdef', JOBS_ENABLED: 'true', SEED_ON_START: 'false' });
    const servers = await Promise.all([startServer(config, createLogger(config)), startServer(config, createLogger(config)), startServer(config, createLogger(config))]);
    try {
      for (const s of servers) expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  }, 60_000);
});
