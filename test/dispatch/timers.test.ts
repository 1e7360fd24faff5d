// Offer timers live in PostgreSQL (graphile-worker jobs added in the offer's transaction): they
// survive a restart of the server, and with two replicas on one database an expired offer is
// handled once.
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { loadConfig } from '../../src/config';
import { Executor } from '../../src/db/executor';
import { principal } from '../../src/auth/principal';
import { Role } from '../../src/permissions/tier';
import { expireOffer } from '../../src/modules/dispatch/dispatch.service';
import type { Context, Services } from '../../src/server/context';
import { useTestDatabase } from '../setup/database';
import { TEST_SECRET } from '../setup/constants';
import { startWebhookServer } from '../webhooks/helpers';
import { dispatchCity, expireOfferNow, waitFor } from './fixtures';

const OPEN = `mutation($input: OpenServiceRequestInput!) { openServiceRequest(input: $input) { serviceRequest { id status partner { slug } } } }`;

async function stepOutcomes(pool: pg.Pool, requestId: number): Promise<string[]> {
  const { rows } = await pool.query(`select outcome from allocation_step where request_id = $1 order by position`, [requestId]);
  return rows.map((r) => r.outcome);
}

describe('offer timers', () => {
  it('survive a restart: an offer that expired while no server ran moves on when one starts', async () => {
    const databaseUrl = await useTestDatabase();
    const first = await startWebhookServer({}, databaseUrl);
    const c = await dispatchCity(first.pool, [{ slug: 'a', tier: 'GOLD' }, { slug: 'b', tier: 'GOLD' }]);
    const res = await first.gql(OPEN, { input: { serviceType: 'COURTESY_CAR', customerId: String(c.customerId), servicePointId: String(c.servicePointId) } });
    const id = Number(res.body.data!.openServiceRequest.serviceRequest.id);
    await first.close();

    // While no server runs, the offer's time passes.
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    try {
      await expireOfferNow(pool, id);
      expect(await stepOutcomes(pool, id)).toEqual(['OFFERED', 'WAITING']);
      const second = await startWebhookServer({}, databaseUrl);
      await waitFor('the timer to fire after the restart', async () => (await stepOutcomes(pool, id))[0] === 'TIMED_OUT');
      expect(await stepOutcomes(pool, id)).toEqual(['TIMED_OUT', 'OFFERED']);
      await second.close();
    } finally {
      await pool.end();
    }
  });

  it('run once with two replicas on one database', async () => {
    const databaseUrl = await useTestDatabase();
    const a = await startWebhookServer({}, databaseUrl);
    const b = await startWebhookServer({}, databaseUrl);
    const c = await dispatchCity(a.pool, [{ slug: 'a', tier: 'GOLD' }, { slug: 'b', tier: 'GOLD' }, { slug: 'c', tier: 'GOLD' }]);
    const res = await b.gql(OPEN, { input: { serviceType: 'COURTESY_CAR', customerId: String(c.customerId), servicePointId: String(c.servicePointId) } });
    const id = Number(res.body.data!.openServiceRequest.serviceRequest.id);
    await expireOfferNow(a.pool, id);
    await waitFor('the timeout', async () => (await stepOutcomes(a.pool, id))[0] === 'TIMED_OUT');
    await new Promise((r) => setTimeout(r, 2_500)); // both replicas poll meanwhile
    expect(await stepOutcomes(a.pool, id)).toEqual(['TIMED_OUT', 'OFFERED', 'WAITING']);
    const { rows } = await a.pool.query(`select offer_seq, status from service_request where id = $1`, [id]);
    expect(rows[0]).toEqual({ offer_seq: 2, status: 'OFFERED' });
    const runs = await a.pool.query(`select count(*)::int as n from access_ledger where mutation = 'dispatch_offer_timeout'`);
    expect(runs.rows[0].n).toBe(1);
    await Promise.all([a.close(), b.close()]);
  });

  it('handle a timer that fires twice at once (or late, after an answer) once', async () => {
    const databaseUrl = await useTestDatabase();
    const server = await startWebhookServer({ JOBS_ENABLED: 'false' }, databaseUrl);
    const c = await dispatchCity(server.pool, [{ slug: 'a', tier: 'GOLD' }, { slug: 'b', tier: 'GOLD' }]);
    const res = await server.gql(OPEN, { input: { serviceType: 'COURTESY_CAR', customerId: String(c.customerId), servicePointId: String(c.servicePointId) } });
    const id = Number(res.body.data!.openServiceRequest.serviceRequest.id);
    await server.pool.query(`update service_request set offer_expires_at = now() - interval '1 second' where id = $1`, [id]);

    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl, ECOGRAPH_SECRET: TEST_SECRET });
    const services = { config } as unknown as Services;
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    const run = async () => {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const ctx: Context = { principal: principal(Role.ADMIN), exec: new Executor(client), services, memo: new Map(), requestId: 'test', rows: 0, write: { changes: [] } };
        const outcome = await expireOffer(ctx, id, 1);
        await client.query('commit');
        return outcome;
      } catch (err) {
        await client.query('rollback');
        throw err;
      } finally {
        client.release();
      }
    };
    try {
      const outcomes = await Promise.all([run(), run(), run()]);
      expect(outcomes.sort()).toEqual(['expired', 'stale', 'stale']);
      expect(await stepOutcomes(pool, id)).toEqual(['TIMED_OUT', 'OFFERED']);
    } finally {
      await pool.end();
    }
  });
});
