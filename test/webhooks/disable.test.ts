// An endpoint that keeps failing is disabled, with a reason and an alert in the log, and gets
// nothing more until it is enabled again (then everything that waited arrives); 410 Gone
// disables at once; the URL policy is applied again on every attempt. The disabling rule
// itself: a count of failures in a row, once they have lasted long enough.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { shouldDisable } from '../../src/webhooks/disable';
import { createActors, type Actors } from '../setup/actors';
import { register, sleep, startReceiver, startWebhookServer, waitFor, type Receiver, type WebhookServer } from './helpers';

let server: WebhookServer;
let actors: Actors;
beforeAll(async () => {
  server = await startWebhookServer({ WEBHOOK_MAX_CONSECUTIVE_FAILURES: '3', WEBHOOK_MAX_ATTEMPTS: '5' });
  actors = await createActors(server.pool);
}, 60_000);

const ordersOf = async (partnerId: number, n: number): Promise<number[]> =>
  (await server.pool.query<{ id: number }>(
    `select o.id from service_order o join customer c on c.id = o.customer_id and c.consent_data_sharing where o.partner_id = $1 order by o.id desc limit $2`,
    [partnerId, n],
  )).rows.map((r) => r.id);
const touch = (ids: number[]) => server.pool.query('update service_order set response_minutes = coalesce(response_minutes, 0) + 1 where id = any($1::int[])', [ids]);
const endpointRow = async (id: string) => (await server.pool.query('select status, disabled_by, disabled_reason, consecutive_failures, cursor from webhook_endpoint where id = $1', [id])).rows[0];

describe('disabling', () => {
  it('counts failures in a row, and only once they have lasted the configured time', () => {
    const cfg = { maxConsecutiveFailures: 10, minFailingHours: 24 };
    const since = new Date('2026-12-01T00:00:00Z');
    expect(shouldDisable(9, since, new Date('2026-12-03T00:00:00Z'), cfg)).toBe(false);
    expect(shouldDisable(10, since, new Date('2026-12-01T23:59:00Z'), cfg)).toBe(false);
    expect(shouldDisable(10, since, new Date('2026-12-02T00:00:00Z'), cfg)).toBe(true);
    expect(shouldDisable(3, since, since, { maxConsecutiveFailures: 3, minFailingHours: 0 })).toBe(true);
    const defaults = loadConfig({}).webhooks;
    expect([defaults.maxConsecutiveFailures, defaults.minFailingHours, defaults.maxAttempts, defaults.timeoutMs, defaults.allowPrivateTargets]).toEqual([10, 24, 20, 5_000, false]);
  });

  it('disables an endpoint after the configured run of failures, raises the alert, then sends nothing until it is enabled', async () => {
    const receiver = await startReceiver();
    receiver.respond = () => 500;
    const ep = await register(server, actors.partnerA, { url: receiver.url, eventTypes: ['ServiceOrder'] });
    const orders = await ordersOf(actors.partnerAId, 4);
    await touch(orders.slice(0, 3));
    const off = await waitFor('disabled', async () => ((await endpointRow(ep.id)).status === 'DISABLED' ? endpointRow(ep.id) : undefined), 30_000);
    expect(off).toMatchObject({ disabled_by: 'SYSTEM', consecutive_failures: 3, disabled_reason: expect.stringMatching(/3 failed attempts in a row .*HTTP 500/) });
    expect(server.logs).toContainEqual(expect.objectContaining({ level: 40, alert: 'webhook_endpoint_disabled', endpointId: Number(ep.id), partnerId: actors.partnerAId, cause: 'CONSECUTIVE_FAILURES', msg: 'webhook endpoint disabled' }));
    const sent = receiver.requests.length;
    expect(sent).toBe(3);
    // The retries already scheduled and a new change: nothing is sent, nothing is lost.
    await touch([orders[3]!]);
    await sleep(9_000);
    expect(receiver.requests.length).toBe(sent);
    expect((await endpointRow(ep.id)).cursor).toBe(off.cursor);
    const waiting = await server.pool.query(`select status, next_attempt_at from webhook_delivery where endpoint_id = $1`, [ep.id]);
    expect(waiting.rows.map((r) => r.status)).toEqual(['PENDING', 'PENDING', 'PENDING']);
    expect(waiting.rows.every((r) => r.next_attempt_at === null)).toBe(true);

    receiver.respond = () => 200;
    const on = await server.gql('mutation($i: EnableWebhookEndpointInput!) { enableWebhookEndpoint(input: $i) { cursorReset webhookEndpoint { status consecutiveFailures } } }', { i: { id: ep.id } }, actors.partnerA);
    expect(on.body.data!.enableWebhookEndpoint).toEqual({ cursorReset: false, webhookEndpoint: { status: 'ACTIVE', consecutiveFailures: 0 } });
    await waitFor('everything delivered', () => new Set(receiver.delivered().map((d) => d.data.id)).size === 4, 20_000);
    expect(new Set(receiver.delivered().map((d) => Number(d.data.id)))).toEqual(new Set(orders));
    const done = await server.pool.query(`select status from webhook_delivery where endpoint_id = $1`, [ep.id]);
    expect(done.rows.map((r) => r.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
  }, 60_000);

  it('disables an endpoint whose events are older than the feed keeps (CURSOR_EXPIRED)', async () => {
    const receiver = await startReceiver();
    const ep = await register(server, actors.partnerB, { url: receiver.url, eventTypes: ['ServiceOrder'] });
    // Retention pruned past the endpoint's position (as after a long outage).
    await server.pool.query(`insert into change_log_horizon (id, txid, seq, pruned_at) values (1, pg_current_xact_id(), (select coalesce(max(seq), 0) + 1 from change_log), now())
                             on conflict (id) do update set txid = excluded.txid, seq = excluded.seq`);
    await touch(await ordersOf(actors.partnerBId, 1));
    const off = await waitFor('disabled', async () => ((await endpointRow(ep.id)).status === 'DISABLED' ? endpointRow(ep.id) : undefined), 20_000);
    expect(off).toMatchObject({ disabled_by: 'SYSTEM', disabled_reason: expect.stringMatching(/longer than the change feed keeps/) });
    expect(server.logs).toContainEqual(expect.objectContaining({ alert: 'webhook_endpoint_disabled', endpointId: Number(ep.id), cause: 'CURSOR_EXPIRED' }));
    expect(receiver.requests).toEqual([]);
    await server.pool.query('delete from change_log_horizon');
  }, 30_000);

  it('disables at once on 410 Gone', async () => {
    const receiver = await startReceiver();
    receiver.respond = () => 410;
    const ep = await register(server, actors.partnerB, { url: receiver.url, eventTypes: ['ServiceOrder'] });
    await touch(await ordersOf(actors.partnerBId, 1));
    const off = await waitFor('disabled', async () => ((await endpointRow(ep.id)).status === 'DISABLED' ? endpointRow(ep.id) : undefined), 20_000);
    expect(off).toMatchObject({ disabled_by: 'SYSTEM', consecutive_failures: 1, disabled_reason: expect.stringMatching(/410 Gone/) });
    expect((await server.pool.query('select status, last_status_code from webhook_delivery where endpoint_id = $1', [ep.id])).rows).toEqual([{ status: 'FAILED', last_status_code: 410 }]);
    expect(server.logs).toContainEqual(expect.objectContaining({ alert: 'webhook_endpoint_disabled', endpointId: Number(ep.id), cause: 'GONE' }));
  }, 30_000);

  it('checks the target again on every attempt: an address that is never allowed gets no request', async () => {
    const receiver: Receiver = await startReceiver();
    const ep = await register(server, actors.partnerPublic, { url: receiver.url, eventTypes: ['ServiceOrder'] });
    // As if the name now resolved elsewhere: 0.0.0.0 reaches this host, and is refused whatever the settings.
    await server.pool.query('update webhook_endpoint set url = $2 where id = $1', [ep.id, receiver.url.replace('127.0.0.1', '0.0.0.0')]);
    await touch(await ordersOf(actors.publicPartnerId, 1));
    const row = await waitFor('the refused attempt', async () => (await server.pool.query(`select attempts, last_error, last_status_code from webhook_delivery where endpoint_id = $1 and attempts > 0`, [ep.id])).rows[0], 20_000);
    expect(row).toMatchObject({ attempts: 1, last_status_code: null, last_error: expect.stringMatching(/^WEBHOOK_TARGET_FORBIDDEN: 0\.0\.0\.0 is an unspecified/) });
    expect(receiver.requests).toEqual([]);
  }, 30_000);
});
