// Managing endpoints through the API: partners register their own (the secret once, stored
// sealed, never in a listing nor in the ledger), see and touch only their own (another partner's
// is NOT_FOUND), operators see all and may disable and enable; input checks with codes and
// fields, the version guard, the per-partner cap, and who sees payloads in the delivery log.
import { beforeAll, describe, expect, it } from 'vitest';
import { createActors, type Actors } from '../setup/actors';
import { startTestServer, type TestServer } from '../setup/server';
import { CREATE, register } from './helpers';

let server: TestServer;
let actors: Actors;
beforeAll(async () => {
  server = await startTestServer({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
  actors = await createActors(server.pool);
});

const URL_ = 'http://127.0.0.1:9/hooks';
const LIST = '{ webhookEndpoints { totalCount nodes { id partnerId url status disabledBy disabledReason version } } }';
const DISABLE = 'mutation($i: DisableWebhookEndpointInput!) { disableWebhookEndpoint(input: $i) { webhookEndpoint { id status disabledBy disabledReason version } } }';
const ENABLE = 'mutation($i: EnableWebhookEndpointInput!) { enableWebhookEndpoint(input: $i) { cursorReset webhookEndpoint { id status disabledBy version } } }';
const DELETE = 'mutation($i: DeleteWebhookEndpointInput!) { deleteWebhookEndpoint(input: $i) { deletedId } }';
const DELIVERIES = '{ webhookDeliveries { totalCount nodes { id messageId eventType eventOp eventId status attempts payload } } }';
const REDELIVER = 'mutation($i: RedeliverWebhookInput!) { redeliverWebhook(input: $i) { webhookDelivery { id status } } }';

const error = (res: { body: { errors?: { extensions?: Record<string, unknown> }[] } }) => res.body.errors?.[0]?.extensions;

describe('registering', () => {
  it('returns the secret once; it is stored sealed and appears in no listing nor ledger record', async () => {
    const res = await server.gql(CREATE, { i: { url: URL_, eventTypes: ['ServiceOrder', 'Customer', 'ServiceOrder'], description: 'sync' } }, actors.partnerA);
    expect(res.body.errors).toBeUndefined();
    const p = res.body.data!.createWebhookEndpoint;
    expect(p.secret).toMatch(/^whsec_/);
    expect(p.webhookEndpoint).toMatchObject({ url: URL_, status: 'ACTIVE', eventTypes: ['ServiceOrder', 'Customer'], version: 1 });
    const stored = (await server.pool.query('select secret, cursor, partner_id from webhook_endpoint where id = $1', [p.webhookEndpoint.id])).rows[0];
    expect(stored.partner_id).toBe(actors.partnerAId);
    expect(stored.secret).not.toContain(p.secret.slice(6));
    expect(stored.cursor).toEqual(expect.any(String));
    const listed = await server.gql('{ webhookEndpoints { nodes { secret } } }', undefined, actors.partnerA);
    expect(error(listed)?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const ledger = await server.pool.query(`select changes::text as c from access_ledger where mutation = 'createWebhookEndpoint'`);
    expect(ledger.rowCount).toBe(1);
    expect(ledger.rows[0].c).toContain(URL_);
    expect(ledger.rows[0].c).not.toContain(p.secret.slice(6));
    expect(ledger.rows[0].c).not.toContain(stored.secret);
  });

  it('refuses empty or foreign event types and an empty URL, naming the field', async () => {
    const empty = await server.gql(CREATE, { i: { url: URL_, eventTypes: [] } }, actors.partnerA);
    expect(error(empty)).toMatchObject({ code: 'INVALID_VALUE', field: 'input.eventTypes' });
    const foreign = await server.gql(CREATE, { i: { url: URL_, eventTypes: ['CandidatePartner'] } }, actors.partnerA);
    expect(error(foreign)).toMatchObject({ code: 'INVALID_VALUE', field: 'input.eventTypes' });
    const blank = await server.gql(CREATE, { i: { url: '  ' } }, actors.partnerA);
    expect(error(blank)).toMatchObject({ code: 'INVALID_VALUE', field: 'input.url' });
  });

  it('is for partner keys (their own), or admins naming the partner; not operators nor analysts', async () => {
    const before = (await server.pool.query('select 1 from webhook_endpoint')).rowCount!;
    for (const key of [actors.operator, actors.analyst]) {
      const res = await server.gql(CREATE, { i: { url: URL_ } }, key);
      expect(res.status).toBe(400);
      expect(error(res)?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    }
    const foreign = await server.gql(CREATE, { i: { url: URL_, partnerId: String(actors.partnerBId) } }, actors.partnerA);
    expect(error(foreign)).toMatchObject({ code: 'NOT_FOUND', field: 'input.partnerId' });
    const unnamed = await server.gql(CREATE, { i: { url: URL_ } }, actors.admin);
    expect(error(unnamed)).toMatchObject({ code: 'INVALID_VALUE', field: 'input.partnerId' });
    expect((await server.pool.query('select 1 from webhook_endpoint')).rowCount).toBe(before);
    const byAdmin = await server.gql(CREATE, { i: { url: URL_, partnerId: String(actors.partnerBId), eventTypes: ['Customer'] } }, actors.admin);
    expect(byAdmin.body.data!.createWebhookEndpoint.secret).toMatch(/^whsec_/);
    const stored = await server.pool.query('select partner_id from webhook_endpoint where id = $1', [byAdmin.body.data!.createWebhookEndpoint.webhookEndpoint.id]);
    expect(stored.rows[0].partner_id).toBe(actors.partnerBId);
    await server.pool.query('delete from webhook_endpoint where partner_id = $1', [actors.partnerBId]);
  });

  it('keeps a partner to 20 endpoints', async () => {
    const have = Number((await server.pool.query('select count(*) from webhook_endpoint where partner_id = $1', [actors.publicPartnerId])).rows[0].count);
    for (let i = have; i < 20; i++) await register(server, actors.partnerPublic, { url: `${URL_}/${i}` });
    const res = await server.gql(CREATE, { i: { url: URL_ } }, actors.partnerPublic);
    expect(error(res)).toMatchObject({ code: 'INVALID_STATE' });
    await server.pool.query('delete from webhook_endpoint where partner_id = $1', [actors.publicPartnerId]);
  });
});

describe('ownership and roles', () => {
  let id: string;
  beforeAll(async () => {
    id = (await register(server, actors.partnerA, { url: `${URL_}/owned` })).id;
  });

  it('shows a partner its own endpoints only; operators see all', async () => {
    const mine = await server.gql(LIST, undefined, actors.partnerA);
    expect(mine.body.data!.webhookEndpoints.nodes.every((n: { partnerId: string }) => n.partnerId === String(actors.partnerAId))).toBe(true);
    expect(mine.body.data!.webhookEndpoints.nodes.map((n: { id: string }) => n.id)).toContain(id);
    const other = await server.gql(`{ webhookEndpoints { totalCount } webhookEndpoint(id: "${id}") { id } }`, undefined, actors.partnerB);
    expect(other.body.data).toEqual({ webhookEndpoints: { totalCount: 0 }, webhookEndpoint: null });
    const ops = await server.gql(LIST, undefined, actors.operator);
    expect(ops.body.data!.webhookEndpoints.totalCount).toBe(Number((await server.pool.query('select count(*) from webhook_endpoint')).rows[0].count));
  });

  it('answers NOT_FOUND to another partner touching it', async () => {
    for (const [q, field] of [[DELETE, 'input.id'], [DISABLE, 'input.id'], [ENABLE, 'input.id']] as const) {
      const res = await server.gql(q, { i: { id } }, actors.partnerB);
      expect(res.status).toBe(404);
      expect(error(res)).toMatchObject({ code: 'NOT_FOUND', field });
    }
    expect((await server.pool.query('select status from webhook_endpoint where id = $1', [id])).rows[0].status).toBe('ACTIVE');
  });

  it('lets an operator disable it; then only an operator enables it', async () => {
    const off = await server.gql(DISABLE, { i: { id, reason: 'abuse report' } }, actors.operator);
    expect(off.body.data!.disableWebhookEndpoint.webhookEndpoint).toMatchObject({ status: 'DISABLED', disabledBy: 'OPERATOR', disabledReason: 'abuse report', version: 2 });
    const again = await server.gql(DISABLE, { i: { id } }, actors.partnerA);
    expect(error(again)).toMatchObject({ code: 'INVALID_STATE' });
    const partner = await server.gql(ENABLE, { i: { id } }, actors.partnerA);
    expect(error(partner)).toMatchObject({ code: 'INVALID_STATE', field: 'input.id' });
    const on = await server.gql(ENABLE, { i: { id } }, actors.operator);
    expect(on.body.data!.enableWebhookEndpoint).toEqual({ cursorReset: false, webhookEndpoint: { id, status: 'ACTIVE', disabledBy: null, version: 3 } });
    // The partner disables and enables its own.
    expect((await server.gql(DISABLE, { i: { id } }, actors.partnerA)).body.data!.disableWebhookEndpoint.webhookEndpoint.disabledBy).toBe('PARTNER');
    expect((await server.gql(ENABLE, { i: { id } }, actors.partnerA)).body.data!.enableWebhookEndpoint.webhookEndpoint.status).toBe('ACTIVE');
  });

  it('resumes from now when the events missed are older than the feed keeps (cursorReset)', async () => {
    const before = (await server.pool.query('select cursor from webhook_endpoint where id = $1', [id])).rows[0].cursor;
    await server.gql(DISABLE, { i: { id } }, actors.partnerA);
    await server.pool.query(`update service_order set response_minutes = coalesce(response_minutes, 0) + 1 where id = (select min(id) from service_order)`);
    await server.pool.query(`insert into change_log_horizon (id, txid, seq, pruned_at) values (1, pg_current_xact_id(), (select max(seq) + 1 from change_log), now())
                             on conflict (id) do update set txid = excluded.txid, seq = excluded.seq`);
    const on = await server.gql(ENABLE, { i: { id } }, actors.partnerA);
    expect(on.body.data!.enableWebhookEndpoint.cursorReset).toBe(true);
    expect((await server.pool.query('select cursor from webhook_endpoint where id = $1', [id])).rows[0].cursor).not.toBe(before);
    await server.pool.query('delete from change_log_horizon');
  });

  it('bumps the version for what the owner sets, not for the delivery bookkeeping; a stale expectedVersion is a CONFLICT', async () => {
    const v = Number((await server.pool.query('select version from webhook_endpoint where id = $1', [id])).rows[0].version);
    await server.pool.query(`update webhook_endpoint set cursor = cursor || '', consecutive_failures = 3, failing_since = now() where id = $1`, [id]);
    expect(Number((await server.pool.query('select version from webhook_endpoint where id = $1', [id])).rows[0].version)).toBe(v);
    const stale = await server.gql(DELETE, { i: { id, expectedVersion: v - 1 } }, actors.partnerA);
    expect(error(stale)).toMatchObject({ code: 'CONFLICT', field: 'input.expectedVersion', currentVersion: v });
    await server.pool.query(`update webhook_endpoint set description = 'changed' where id = $1`, [id]);
    expect(Number((await server.pool.query('select version from webhook_endpoint where id = $1', [id])).rows[0].version)).toBe(v + 1);
  });

  it('deletes it with its delivery log, recorded in the ledger', async () => {
    await server.pool.query(
      `insert into webhook_delivery (endpoint_id, partner_id, message_id, event_type, event_op, event_id, feed_cursor, view, payload, status, created_at)
       values ($1, $2, 'msg_doomed', 'ServiceOrder', 'DELETE', '1', 'c', 'ANONYMIZED', '{}', 'FAILED', now())`,
      [id, actors.partnerAId],
    );
    const v = Number((await server.pool.query('select version from webhook_endpoint where id = $1', [id])).rows[0].version);
    const res = await server.gql(DELETE, { i: { id, expectedVersion: v } }, actors.partnerA);
    expect(res.body.data).toEqual({ deleteWebhookEndpoint: { deletedId: id } });
    expect((await server.pool.query('select 1 from webhook_endpoint where id = $1', [id])).rowCount).toBe(0);
    expect((await server.pool.query(`select 1 from webhook_delivery where message_id = 'msg_doomed'`)).rowCount).toBe(0);
    const rec = await server.pool.query(`select changes from access_ledger where mutation = 'deleteWebhookEndpoint'`);
    expect(rec.rows[0].changes).toEqual([expect.objectContaining({ type: 'WebhookEndpoint', id: Number(id), op: 'DELETE', after: null })]);
  });
});

describe('the delivery log', () => {
  let deliveryId: string;
  beforeAll(async () => {
    const { id } = await register(server, actors.partnerA, { url: `${URL_}/log` });
    const row = await server.pool.query(
      `insert into webhook_delivery (endpoint_id, partner_id, message_id, event_type, event_op, event_id, feed_cursor, view, payload, status, attempts, created_at)
       values ($1, $2, 'msg_logged', 'ServiceOrder', 'DELETE', '42', 'c', 'ANONYMIZED', '{"type":"ServiceOrder.delete"}', 'FAILED', 3, now()) returning id`,
      [id, actors.partnerAId],
    );
    deliveryId = String(row.rows[0].id);
  });

  it('shows partners their own deliveries with payloads, operators all without payloads', async () => {
    const mine = await server.gql(DELIVERIES, undefined, actors.partnerA);
    expect(mine.body.data!.webhookDeliveries.nodes).toContainEqual({
      id: deliveryId, messageId: 'msg_logged', eventType: 'ServiceOrder', eventOp: 'DELETE', eventId: '42', status: 'FAILED', attempts: 3, payload: { type: 'ServiceOrder.delete' },
    });
    expect((await server.gql(DELIVERIES, undefined, actors.partnerB)).body.data!.webhookDeliveries.totalCount).toBe(0);
    const ops = await server.gql(DELIVERIES, undefined, actors.operator);
    const seen = ops.body.data!.webhookDeliveries.nodes.find((n: { id: string }) => n.id === deliveryId);
    expect(seen).toMatchObject({ messageId: 'msg_logged', payload: null });
    const admin = await server.gql(DELIVERIES, undefined, actors.admin);
    expect(admin.body.data!.webhookDeliveries.nodes.find((n: { id: string }) => n.id === deliveryId).payload).toEqual({ type: 'ServiceOrder.delete' });
  });

  it('filters by endpoint and status', async () => {
    const endpointId = (await server.pool.query('select endpoint_id from webhook_delivery where id = $1', [deliveryId])).rows[0].endpoint_id;
    const q = 'query($e: ID, $s: WebhookDeliveryStatus) { webhookDeliveries(endpointId: $e, status: $s) { nodes { id } } }';
    expect((await server.gql(q, { e: String(endpointId), s: 'FAILED' }, actors.partnerA)).body.data!.webhookDeliveries.nodes).toEqual([{ id: deliveryId }]);
    expect((await server.gql(q, { e: String(endpointId), s: 'SUCCEEDED' }, actors.partnerA)).body.data!.webhookDeliveries.nodes).toEqual([]);
    expect((await server.gql(q, { e: '999999' }, actors.partnerA)).body.data!.webhookDeliveries.nodes).toEqual([]);
  });

  it('redelivers on request (PENDING, due now), but not another partner’s delivery', async () => {
    const other = await server.gql(REDELIVER, { i: { deliveryId } }, actors.partnerB);
    expect(error(other)).toMatchObject({ code: 'NOT_FOUND', field: 'input.deliveryId' });
    const res = await server.gql(REDELIVER, { i: { deliveryId } }, actors.partnerA);
    expect(res.body.data!.redeliverWebhook.webhookDelivery).toEqual({ id: deliveryId, status: 'PENDING' });
    const row = (await server.pool.query('select status, next_attempt_at <= now() as due from webhook_delivery where id = $1', [deliveryId])).rows[0];
    expect(row).toEqual({ status: 'PENDING', due: true });
  });
});
