// End to end, with the job worker: a partner registers an endpoint (a receiver on 127.0.0.1),
// changes are written with plain SQL, and the receiver gets them signed, retried with backoff
// under the same webhook-id until it answers 200, carrying what the partner's API shows and
// nothing else; another partner's changes never arrive; a consent withdrawal arrives as
// DELETEs; the delivery log shows the attempts; redelivery, the cron's sweep of deliveries
// left without a job, and the log's retention.
import { quickAddJob } from 'graphile-worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../src/webhooks/signature';
import { createActors, type Actors } from '../setup/actors';
import { failEachMessage, register, sleep, startReceiver, startWebhookServer, waitFor, type Receiver, type WebhookServer } from './helpers';

let server: WebhookServer;
let actors: Actors;
let receiver: Receiver;
let endpoint: { id: string; secret: string };
let orderA: { id: number; customer_id: number };
let orderB: { id: number };

beforeAll(async () => {
  server = await startWebhookServer({ WEBHOOK_MAX_ATTEMPTS: '5' });
  actors = await createActors(server.pool);
  receiver = await startReceiver();
  const consenting = `from service_order o join customer c on c.id = o.customer_id and c.consent_data_sharing where o.partner_id = $1`;
  orderA = (await server.pool.query(`select o.id, o.customer_id ${consenting} and o.customer_id <> $2 order by o.id limit 1`, [actors.partnerAId, actors.sharedCustomerId])).rows[0];
  orderB = (await server.pool.query(`select o.id ${consenting} order by o.id limit 1`, [actors.partnerBId])).rows[0];
  endpoint = await register(server, actors.partnerA, { url: receiver.url, eventTypes: ['ServiceOrder', 'Customer'] });
}, 60_000);

const DELIVERIES = `query($e: ID) { webhookDeliveries(endpointId: $e, first: 100) { nodes { id messageId eventType eventOp eventId status attempts lastStatusCode lastError deliveredAt payload } } }`;

async function scalarFields(key: string, type: string): Promise<string[]> {
  const res = await server.gql(`{ __type(name: "${type}") { fields { name type { kind ofType { kind ofType { kind } } } } } }`, undefined, key);
  const kindOf = (t: { kind: string; ofType?: unknown }): string => (t.kind === 'NON_NULL' || t.kind === 'LIST' ? kindOf(t.ofType as never) : t.kind);
  return res.body.data!.__type.fields.filter((f: { type: never }) => ['SCALAR', 'ENUM'].includes(kindOf(f.type))).map((f: { name: string }) => f.name);
}

describe('webhook delivery', () => {
  it('retries a failing receiver with backoff under one webhook-id, signed, until it answers 200', async () => {
    receiver.respond = failEachMessage(2);
    const written = Date.now();
    await server.pool.query('update service_order set response_minutes = coalesce(response_minutes, 0) + 1 where id = any($1::int[])', [[orderA.id, orderB.id]]);
    // Pushed at once after the commit (the listener), not at the next minute's fanout.
    await waitFor('the first attempt', () => receiver.requests.length > 0, 5_000, 20);
    expect(receiver.requests[0]!.at - written).toBeLessThan(3_000);
    const ok = await waitFor('the order delivered', () => receiver.delivered().find((d) => d.type === 'ServiceOrder.upsert' && d.data.id === String(orderA.id)), 40_000);
    const attempts = receiver.requests.filter((r) => r.headers['webhook-id'] === ok.id);
    expect(attempts.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(ok.id).toMatch(/^msg_/);
    for (const r of attempts) {
      expect(r.headers['content-type']).toBe('application/json');
      expect(verifyWebhook(endpoint.secret, r.headers as Record<string, string>, r.body)).toEqual(JSON.parse(attempts[0]!.body));
      expect(() => verifyWebhook(endpoint.secret, r.headers as Record<string, string>, r.body.replace('"UPSERT"', '"DELETE"'))).toThrow();
    }
    // graphile-worker's backoff: about e^1 s, then e^2 s.
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThan(2_000);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThan(6_000);
    expect(ok.data).toMatchObject({ type: 'ServiceOrder', op: 'UPSERT', id: String(orderA.id), resync: false, cursor: expect.any(String) });

    // The receiver has its 200 before the worker has recorded it: wait for the log to show it.
    const row = await waitFor('the delivery recorded', async () => {
      const log = await server.gql(DELIVERIES, { e: endpoint.id }, actors.partnerA);
      const found = log.body.data!.webhookDeliveries.nodes.find((n: { messageId: string }) => n.messageId === ok.id);
      return found?.status === 'PENDING' ? undefined : found;
    }, 10_000);
    expect(row).toMatchObject({ eventType: 'ServiceOrder', eventOp: 'UPSERT', eventId: String(orderA.id), status: 'SUCCEEDED', attempts: 3, lastStatusCode: 200, lastError: null, deliveredAt: expect.any(String) });
    expect(row.payload).toEqual(JSON.parse(attempts[0]!.body));
  }, 60_000);

  it('carries exactly the order as the partner’s API shows it', async () => {
    const ok = receiver.delivered().find((d) => d.type === 'ServiceOrder.upsert' && d.data.id === String(orderA.id))!;
    const fields = await scalarFields(actors.partnerA, 'ServiceOrder');
    const api = await server.gql(`{ serviceOrder(id: "${orderA.id}") { ${fields.join(' ')} } }`, undefined, actors.partnerA);
    const shown = api.body.data!.serviceOrder as Record<string, unknown>;
    const node = ok.data.node!;
    expect(Object.keys(node).length).toBeGreaterThan(3);
    for (const [k, v] of Object.entries(node)) {
      expect(fields, `${k} is not in the partner's schema`).toContain(k);
      expect(v, k).toEqual(shown[k]);
    }
    expect(Object.keys(node).some((k) => k.startsWith('$'))).toBe(false);
    // Every attempt that went out is in the access ledger, as the partner's, with the fields it carried.
    const ledger = await server.pool.query(`select role, partner_id, operation_name, public_fields, anonymized_fields, sensitive_fields, error_codes
      from access_ledger where request_id = $1 order by id`, [`webhook:${ok.id}`]);
    expect(ledger.rows.map((r) => r.error_codes)).toEqual([['HTTP_500'], ['HTTP_500'], []]);
    const rec = ledger.rows[2];
    expect(rec).toMatchObject({ role: 'PARTNER', partner_id: actors.partnerAId, operation_name: 'webhook ServiceOrder.upsert', sensitive_fields: [] });
    expect([...rec.public_fields, ...rec.anonymized_fields].sort()).toEqual(Object.keys(node).map((k) => `ServiceOrder.${k}`).sort());
  });

  it('never delivers another partner’s change', async () => {
    expect(receiver.requests.some((r) => JSON.parse(r.body).data.id === String(orderB.id))).toBe(false);
    expect((await server.pool.query(`select 1 from webhook_delivery where event_type = 'ServiceOrder' and event_id = $1`, [String(orderB.id)])).rowCount).toBe(0);
  });

  it('redelivers on request with the same webhook-id', async () => {
    const first = receiver.delivered().find((d) => d.type === 'ServiceOrder.upsert' && d.data.id === String(orderA.id))!;
    const { id } = (await server.pool.query('select id from webhook_delivery where message_id = $1', [first.id])).rows[0];
    const res = await server.gql('mutation($i: RedeliverWebhookInput!) { redeliverWebhook(input: $i) { webhookDelivery { status } } }', { i: { deliveryId: String(id) } }, actors.partnerA);
    expect(res.body.data).toEqual({ redeliverWebhook: { webhookDelivery: { status: 'PENDING' } } });
    await waitFor('the redelivery', () => receiver.requests.filter((r) => r.headers['webhook-id'] === first.id).length === 4, 15_000);
    const row = await waitFor('the log updated', async () => (await server.pool.query(`select status, attempts from webhook_delivery where id = $1 and status = 'SUCCEEDED'`, [id])).rows[0]);
    expect(row).toEqual({ status: 'SUCCEEDED', attempts: 4 });
    // A settled delivery's redelivery is one attempt: failing, it is FAILED, with nothing more scheduled.
    receiver.respond = () => 500;
    await server.gql('mutation($i: RedeliverWebhookInput!) { redeliverWebhook(input: $i) { webhookDelivery { status } } }', { i: { deliveryId: String(id) } }, actors.partnerA);
    const failed = await waitFor('the failed redelivery', async () => (await server.pool.query(`select status, attempts, last_status_code, next_attempt_at from webhook_delivery where id = $1 and status = 'FAILED'`, [id])).rows[0], 15_000);
    expect(failed).toEqual({ status: 'FAILED', attempts: 5, last_status_code: 500, next_attempt_at: null });
    expect((await server.pool.query(`select 1 from graphile_worker.jobs where key = $1`, [`webhook_delivery:${id}`])).rowCount).toBe(0);
    receiver.respond = () => 200;
  }, 30_000);

  it('delivers a customer’s consent withdrawal as DELETEs of the customer and their orders', async () => {
    receiver.respond = () => 200;
    const seen = await server.gql(`{ serviceOrder(id: "${orderA.id}") { customer { id } } }`, undefined, actors.partnerA);
    const pseudonym = seen.body.data!.serviceOrder.customer.id as string;
    expect(pseudonym).not.toBe(String(orderA.customer_id));
    await server.pool.query('update customer set consent_data_sharing = false where id = $1', [orderA.customer_id]);
    const gone = await waitFor('the customer deleted', () => receiver.delivered().find((d) => d.type === 'Customer.delete' && d.data.id === pseudonym), 20_000);
    expect(gone.data).toMatchObject({ type: 'Customer', op: 'DELETE', id: pseudonym, node: null });
    await waitFor('the order deleted', () => receiver.delivered().find((d) => d.type === 'ServiceOrder.delete' && d.data.id === String(orderA.id)), 20_000);
    // The real customer id never travels.
    expect(receiver.requests.some((r) => JSON.parse(r.body).type.startsWith('Customer') && JSON.parse(r.body).data.id === String(orderA.customer_id))).toBe(false);
  }, 45_000);

  it('applies the partner’s policy again before every attempt: a row no longer visible, another grant, no access', async () => {
    const REDELIVER = 'mutation($i: RedeliverWebhookInput!) { redeliverWebhook(input: $i) { webhookDelivery { status } } }';
    const settled = async (id: number) =>
      waitFor('the attempt', async () => (await server.pool.query(`select status, attempts, last_error from webhook_delivery where id = $1 and status <> 'PENDING'`, [id])).rows[0], 15_000);
    const upsert = receiver.delivered().find((d) => d.type === 'ServiceOrder.upsert' && d.data.id === String(orderA.id))!;
    const { id } = (await server.pool.query('select id from webhook_delivery where message_id = $1', [upsert.id])).rows[0];
    const sent = receiver.requests.length;
    // 1. The order's customer withdrew consent: the UPSERT is not sent again.
    await server.gql(REDELIVER, { i: { deliveryId: String(id) } }, actors.partnerA);
    expect(await settled(id)).toMatchObject({ status: 'SKIPPED', attempts: 5, last_error: expect.stringMatching(/no longer yours/) });
    // 2. A payload rendered under another grant (or suspension) is not sent.
    const del = receiver.delivered().find((d) => d.type === 'ServiceOrder.delete' && d.data.id === String(orderA.id))!;
    const other = (await server.pool.query(`update webhook_delivery set view = 'PUBLIC' where message_id = $1 returning id`, [del.id])).rows[0].id;
    await server.gql(REDELIVER, { i: { deliveryId: String(other) } }, actors.partnerA);
    expect(await settled(other)).toMatchObject({ status: 'SKIPPED', last_error: expect.stringMatching(/access changed/) });
    // 3. A partner that has exited gets nothing (and its keys no longer work: an admin asks).
    await server.pool.query(`update webhook_delivery set view = 'ANONYMIZED' where id = $1`, [other]);
    await server.pool.query(`update partner set status = 'EXITED' where id = $1`, [actors.partnerAId]);
    await server.gql(REDELIVER, { i: { deliveryId: String(other) } }, actors.admin);
    expect(await settled(other)).toMatchObject({ status: 'FAILED', last_error: expect.stringMatching(/PARTNER_EXITED/) });
    // Its changes meanwhile wait in the feed: the endpoint's cursor does not move past them.
    const [next] = (await server.pool.query(`select o.id from service_order o join customer c on c.id = o.customer_id and c.consent_data_sharing
      where o.partner_id = $1 and o.id <> $2 order by o.id limit 1`, [actors.partnerAId, orderA.id])).rows;
    const count = async () => Number((await server.pool.query('select count(*) from webhook_delivery where endpoint_id = $1', [endpoint.id])).rows[0].count);
    const before = await count();
    await server.pool.query('update service_order set response_minutes = coalesce(response_minutes, 0) + 1 where id = $1', [next.id]);
    await sleep(2_000);
    expect(await count()).toBe(before);
    expect(receiver.requests.length).toBe(sent);
    await server.pool.query(`update partner set status = 'ACTIVE' where id = $1`, [actors.partnerAId]);
    await waitFor('the waiting change delivered', () => receiver.delivered().some((d) => d.type === 'ServiceOrder.upsert' && d.data.id === String(next.id)), 20_000);
  }, 45_000);

  it('enqueues again, on the cron tick, a pending delivery that has no job', async () => {
    const { rows } = await server.pool.query(
      `insert into webhook_delivery (endpoint_id, partner_id, message_id, event_type, event_op, event_id, feed_cursor, view, payload, status, created_at)
       values ($1, $2, 'msg_orphan', 'ServiceOrder', 'DELETE', '1', 'c', 'ANONYMIZED', '{"type":"ServiceOrder.delete"}', 'PENDING', now() - interval '5 minutes') returning id`,
      [endpoint.id, actors.partnerAId],
    );
    await quickAddJob({ pgPool: server.pool }, 'webhook_fanout', { _cron: { ts: new Date().toISOString(), backfilled: false } }, { queueName: 'webhook_fanout' });
    await waitFor('the orphan delivered', async () => (await server.pool.query(`select 1 from webhook_delivery where id = $1 and status = 'SUCCEEDED'`, [rows[0].id])).rowCount, 20_000);
    expect(receiver.requests.filter((r) => r.headers['webhook-id'] === 'msg_orphan').length).toBe(1);
  }, 30_000);

  it('prunes finished deliveries past WEBHOOK_LOG_RETENTION_DAYS, keeping pending ones', async () => {
    await server.pool.query(`update webhook_delivery set created_at = now() - interval '31 days' where message_id = 'msg_orphan'`);
    await server.pool.query(`update webhook_endpoint set status = 'DISABLED' where id = $1`, [endpoint.id]);
    await server.pool.query(
      `insert into webhook_delivery (endpoint_id, partner_id, message_id, event_type, event_op, event_id, feed_cursor, view, payload, status, created_at)
       values ($1, $2, 'msg_old_pending', 'ServiceOrder', 'DELETE', '2', 'c', 'ANONYMIZED', '{}', 'PENDING', now() - interval '31 days')`,
      [endpoint.id, actors.partnerAId],
    );
    const total = Number((await server.pool.query('select count(*) from webhook_delivery')).rows[0].count);
    await quickAddJob({ pgPool: server.pool }, 'webhook_log_prune', {});
    await waitFor('the prune', async () => (await server.pool.query(`select 1 from webhook_delivery where message_id = 'msg_orphan'`)).rowCount === 0, 15_000);
    expect(Number((await server.pool.query('select count(*) from webhook_delivery')).rows[0].count)).toBe(total - 1);
  }, 30_000);
});
