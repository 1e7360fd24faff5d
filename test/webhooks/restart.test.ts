// A restart in the middle loses no delivery: with deliveries failing and waiting for their
// retry (one attempt in flight as the server stops), the server is stopped; more changes are
// written while no server runs; a new server on the same database delivers every event, each
// delivery created once.
import { beforeAll, describe, expect, it } from 'vitest';
import { createActors, type Actors } from '../setup/actors';
import { useTestDatabase } from '../setup/database';
import { register, startReceiver, startWebhookServer, waitFor, type Receiver } from './helpers';

const ENV = { WEBHOOK_MAX_CONSECUTIVE_FAILURES: '1000', WEBHOOK_MAX_ATTEMPTS: '10' };

let databaseUrl: string;
let receiver: Receiver;
beforeAll(async () => {
  databaseUrl = await useTestDatabase();
  receiver = await startReceiver();
});

describe('a restart in the middle', () => {
  it('loses no delivery and creates none twice', async () => {
    const first = await startWebhookServer(ENV, databaseUrl);
    const actors: Actors = await createActors(first.pool);
    const orders = (await first.pool.query<{ id: number }>(
      `select o.id from service_order o join customer c on c.id = o.customer_id and c.consent_data_sharing where o.partner_id = $1 order by o.id limit 5`,
      [actors.partnerAId],
    )).rows.map((r) => r.id);
    expect(orders).toHaveLength(5);
    receiver.respond = () => 503;
    receiver.delayMs = 1_000;
    await register(first, actors.partnerA, { url: receiver.url, eventTypes: ['ServiceOrder'] });
    for (const id of orders.slice(0, 3)) await first.pool.query('update service_order set response_minutes = coalesce(response_minutes, 0) + 1 where id = $1', [id]);
    await waitFor('a failed attempt of each', () => new Set(receiver.requests.map((r) => r.headers['webhook-id'])).size === 3, 20_000);
    // Stopped while a retry is at the receiver, waiting for its answer.
    await waitFor('a retry in flight', () => receiver.arrived > receiver.requests.length, 20_000, 20);
    await first.close();
    const failedBefore = receiver.requests.length;
    expect(receiver.delivered()).toEqual([]);

    // Written while no server runs: only the feed has them.
    const pool = new (await import('pg')).default.Pool({ connectionString: databaseUrl, max: 1 });
    for (const id of orders.slice(3)) await pool.query('update service_order set response_minutes = coalesce(response_minutes, 0) + 1 where id = $1', [id]);
    const pending = await pool.query(`select status, count(*)::int as n from webhook_delivery group by status`);
    expect(pending.rows).toEqual([{ status: 'PENDING', n: 3 }]);

    receiver.respond = () => 200;
    receiver.delayMs = 0;
    await startWebhookServer(ENV, databaseUrl);
    await waitFor('every order delivered', () => orders.every((id) => receiver.delivered().some((d) => d.data.id === String(id))), 30_000);
    // The server records a delivery once the receiver's 200 is back: the last one may still be
    // on its way when the receiver has it.
    const rows = await waitFor('every delivery recorded', async () => {
      const r = await pool.query<{ event_id: string; status: string }>(`select event_id, status, attempts from webhook_delivery order by id`);
      return r.rows.length >= orders.length && r.rows.every((d) => d.status === 'SUCCEEDED') ? r : undefined;
    }, 10_000);
    expect(rows.rows.map((r) => r.event_id).sort()).toEqual(orders.map(String).sort());
    expect(rows.rows.every((r) => r.status === 'SUCCEEDED')).toBe(true);
    // Each message was answered 200 once, under the webhook-id its failed attempts had.
    const ok = receiver.delivered();
    expect(new Set(ok.map((d) => d.id)).size).toBe(ok.length);
    for (const r of receiver.requests.slice(0, failedBefore)) expect(ok.map((d) => d.id)).toContain(r.headers['webhook-id']);
    // One attempt at a time per endpoint (its own queue), though the worker runs several jobs at once.
    expect(receiver.maxInFlight).toBe(1);
    await pool.end();
  }, 60_000);
});
