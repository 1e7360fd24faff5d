// The documents' courtesy-car case end to end on the real server, jobs running: a repair passes
// 4 hours -> the rule opens a courtesy-car request -> offered to the best GOLD rental partner ->
// it declines -> the next accepts within its SLA -> DISPATCHED, ARRIVED, COMPLETED -> the order,
// its response time, the month's settlement and the partner's evaluation follow; the
// YELLOW_CARD partner is never offered anything.
import { beforeAll, describe, expect, it } from 'vitest';
import { startWebhookServer, type WebhookServer } from '../webhooks/helpers';
import { dispatchCity, repairOrder, waitFor, type DispatchCity } from './fixtures';

const REQUEST = `id status serviceType city customerId vehicle days offeredAt offerExpiresAt acceptedAt responseMinutes responseBreached
  slaResponseMinutes arrivalMinutes arrivalBreached slaArrivalMinutes version
  partner { slug } servicePoint { city name }
  order { id status amount responseMinutes }
  fulfilment { milestone recordedAt }`;

let server: WebhookServer;
let c: DispatchCity;
let requestId: string;
const feedStart = new Map<string, string>();
const key = (slug: string) => c.partners[slug]!.key;

const month = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date());

beforeAll(async () => {
  server = await startWebhookServer();
  c = await dispatchCity(server.pool, [
    { slug: 'gold-best', tier: 'GOLD', history: 8 },
    { slug: 'gold-next', tier: 'GOLD' },
    { slug: 'silver', tier: 'SILVER' },
    { slug: 'yellow', tier: 'YELLOW_CARD', history: 12 },
  ]);
  // The GOLD partner that will serve holds GOLD this month too (its settlement's commission).
  await server.pool.query(
    `insert into partner_tier_history (partner_id, month, tier, order_count, reason)
     select $1, m, 'GOLD', 0, 'test' from (values (date_trunc('month', now() at time zone 'Asia/Shanghai')::date),
       ((date_trunc('month', now() at time zone 'Asia/Shanghai') - interval '1 month')::date)) v(m)`,
    [c.partners['gold-next']!.id],
  );
  for (const p of ['gold-best', 'gold-next']) {
    const cursor = await server.gql('{ changesCursor }', undefined, c.partners[p]!.key);
    feedStart.set(p, cursor.body.data!.changesCursor);
  }
});

/** The partner's change feed of service requests from the start of the test, as (op, id) pairs. */
async function feedOf(partner: string): Promise<string[]> {
  const key = c.partners[partner]!.key;
  const res = await server.gql(
    `query($after: String) { changes(after: $after, first: 100, types: [ServiceRequest]) { events { op id node { ... on ServiceRequest { status } } } } }`,
    { after: feedStart.get(partner) },
    key,
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.changes.events.map((e: { op: string; id: string }) => `${e.op} ${e.id}`);
}

describe('the courtesy-car case', () => {
  it('a repair running over 4 hours opens a courtesy-car request, offered first to the best GOLD partner', async () => {
    const young = await repairOrder(server.pool, c, 200);
    const old = await repairOrder(server.pool, c, 241);
    await server.pool.query(`select graphile_worker.add_job('dispatch_tick')`);
    const row = await waitFor('the rule to open a request', async () => (await server.pool.query('select id from service_request where source_order_id = $1', [old])).rows[0]);
    requestId = String(row.id);
    // A second tick opens nothing more; the repair under 4 hours has no request.
    await server.pool.query(`select graphile_worker.add_job('dispatch_tick')`);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await server.pool.query('select count(*)::int as n from service_request where source_order_id = any($1)', [[old, young]])).rows[0].n).toBe(1);

    const admin = await server.gql(`{ serviceRequest(id: "${requestId}") { ${REQUEST} rule { slug } sourceOrder { id }
      allocation { position tier outcome reason partner { slug } } } }`);
    const r = admin.body.data!.serviceRequest;
    expect(r).toMatchObject({ status: 'OFFERED', serviceType: 'COURTESY_CAR', city: c.city, rule: { slug: 'repair-over-4h-courtesy-car' }, sourceOrder: { id: String(old) } });
    expect(r.partner.slug).toMatch(/gold-best$/);
    const line = r.allocation.filter((s: { position: number | null }) => s.position !== null).map((s: { partner: { slug: string } }) => s.partner.slug.replace(/^.*-/, ''));
    expect(line).toEqual(['best', 'next', 'silver']);
    const yellow = r.allocation.find((s: { partner: { slug: string } }) => s.partner.slug.endsWith('yellow'));
    expect(yellow).toMatchObject({ outcome: 'SKIPPED', position: null, tier: 'YELLOW_CARD' });
    expect(yellow.reason).toMatch(/YELLOW_CARD/);
  });

  it('the offered partner sees what fulfilment needs, its customer as a pseudonym, never a SENSITIVE value', async () => {
    const res = await server.gql(`{ serviceRequests { nodes { ${REQUEST} allocation { outcome partner { slug } } } } }`, undefined, key('gold-best'));
    expect(res.body.errors).toBeUndefined();
    const nodes = res.body.data!.serviceRequests.nodes;
    expect(nodes).toHaveLength(1);
    expect(nodes[0].customerId).not.toBe(String(c.customerId));
    expect(nodes[0].customerId).toMatch(/^[A-Za-z0-9_-]{8,}$/);
    // Its own step only: not who else is in line.
    expect(nodes[0].allocation).toHaveLength(1);
    const [cust] = (await server.pool.query('select name, phone, national_id, email from customer where id = $1', [c.customerId])).rows;
    const text = JSON.stringify(res.body);
    for (const v of Object.values(cust)) expect(text).not.toContain(String(v));
    // The customer's own pseudonym is the one the partner's customer queries would show.
    const others = await server.gql('{ serviceRequests { nodes { id } } }', undefined, key('gold-next'));
    expect(others.body.data!.serviceRequests.nodes).toHaveLength(0);
  });

  it('a decline offers it to the next GOLD partner at once; the decliner no longer sees it', async () => {
    const res = await server.gql(`mutation($id: ID!) { declineServiceRequest(input: { id: $id, reason: "no car free" }) { serviceRequest { id } } }`, { id: requestId }, key('gold-best'));
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.declineServiceRequest.serviceRequest).toBeNull();
    const again = await server.gql(`mutation($id: ID!) { declineServiceRequest(input: { id: $id, reason: "no car free" }) { serviceRequest { id } } }`, { id: requestId }, key('gold-best'));
    expect(again.body.errors).toBeUndefined();
    const next = await server.gql(`{ serviceRequests { nodes { id status partner { slug } } } }`, undefined, key('gold-next'));
    expect(next.body.data!.serviceRequests.nodes).toEqual([{ id: requestId, status: 'OFFERED', partner: { slug: expect.stringMatching(/gold-next$/) } }]);
    expect((await server.gql('{ serviceRequests { nodes { id } } }', undefined, key('gold-best'))).body.data!.serviceRequests.nodes).toHaveLength(0);
    // Its change feed took the request back; the next partner's feed has it.
    await waitFor('the decliner’s feed to delete the request', async () => (await feedOf('gold-best')).at(-1) === `DELETE ${requestId}`);
    // (Each event shows the row as it is now: out of the decliner's sight, so DELETE.)
    expect(new Set(await feedOf('gold-best'))).toEqual(new Set([`DELETE ${requestId}`]));
    await waitFor('the next partner’s feed to have it', async () => (await feedOf('gold-next')).at(-1) === `UPSERT ${requestId}`);
  });

  it('the next partner accepts within its SLA: the request becomes its order, the response time measured on our clock', async () => {
    const res = await server.gql(`mutation($id: ID!) { acceptServiceRequest(input: { id: $id }) { serviceRequest { ${REQUEST} } } }`, { id: requestId }, key('gold-next'));
    expect(res.body.errors).toBeUndefined();
    const r = res.body.data!.acceptServiceRequest.serviceRequest;
    expect(r).toMatchObject({ status: 'ACCEPTED', responseMinutes: 1, responseBreached: false, slaResponseMinutes: 30, slaArrivalMinutes: 30 });
    // Cost-plus: bought at 100.00 a day, charged 120.00.
    expect(r.order).toMatchObject({ status: 'IN_PROGRESS', amount: '120.00', responseMinutes: 1 });
  });

  it('DISPATCHED, ARRIVED, COMPLETED: each once, a repeated report changes nothing', async () => {
    for (const milestone of ['DISPATCHED', 'ARRIVED', 'COMPLETED']) {
      const res = await server.gql(
        `mutation($id: ID!, $m: FulfilmentMilestone!) { reportFulfilment(input: { id: $id, milestone: $m, details: "ok" }) { serviceRequest { status version } } }`,
        { id: requestId, m: milestone },
        key('gold-next'),
      );
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data!.reportFulfilment.serviceRequest.status).toBe(milestone);
    }
    const before = (await server.gql(`{ serviceRequest(id: "${requestId}") { ${REQUEST} } }`)).body.data!.serviceRequest;
    const again = await server.gql(
      `mutation($id: ID!) { reportFulfilment(input: { id: $id, milestone: ARRIVED }) { serviceRequest { status version } } }`,
      { id: requestId },
      key('gold-next'),
    );
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data!.reportFulfilment.serviceRequest).toEqual({ status: 'COMPLETED', version: before.version });
    expect(before).toMatchObject({ status: 'COMPLETED', arrivalMinutes: 1, arrivalBreached: false, order: { status: 'FULFILLED', amount: '120.00' } });
    expect(before.fulfilment.map((f: { milestone: string }) => f.milestone)).toEqual(['DISPATCHED', 'ARRIVED', 'COMPLETED']);
  });

  it('the month is settled at once: the margin of the cost-plus order and GOLD’s lower commission', async () => {
    const pid = c.partners['gold-next']!.id;
    const { rows } = await server.pool.query(
      `select order_count, gross_minor::int, partner_share_minor::int, platform_share_minor::int, margin_minor::int
         from settlement where partner_id = $1 and month = date_trunc('month', now() at time zone 'Asia/Shanghai')::date`,
      [pid],
    );
    // 120.00 charged; 100.00 is the partner's price, on which its commission (8%, 20% lower for
    // GOLD: 6.4%) is taken: 6.40. The platform keeps the 20.00 margin and the 6.40.
    expect(rows).toEqual([{ order_count: 1, gross_minor: 12_000, partner_share_minor: 9_360, platform_share_minor: 2_640, margin_minor: 2_000 }]);
  });

  it('the partner’s evaluation of the month counts the order and its on-time response', async () => {
    const res = await server.gql(`query($m: String!) { partnerEvaluations(month: $m) { orderCount responseSpeed } }`, { m: month() }, key('gold-next'));
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.partnerEvaluations).toEqual([{ orderCount: 1, responseSpeed: '100.00' }]);
  });

  it('the YELLOW_CARD partner was never offered anything', async () => {
    const { rows } = await server.pool.query(`select outcome from allocation_step where partner_id = $1`, [c.partners.yellow!.id]);
    expect(rows.map((r) => r.outcome)).toEqual(['SKIPPED']);
    const res = await server.gql('{ serviceRequests { nodes { id } } }', undefined, key('yellow'));
    expect(res.body.data!.serviceRequests.nodes).toEqual([]);
  });

  it('keeps each partner to its own rows: the request, its own allocation step, its milestones; no rule, no other partner’s order', async () => {
    const mine = await server.gql(`{ serviceRequest(id: "${requestId}") { id rule { slug } sourceOrder { id } fulfilment { milestone } allocation { outcome partner { slug } } } }`, undefined, key('gold-next'));
    expect(mine.body.errors).toBeUndefined();
    expect(mine.body.data!.serviceRequest).toMatchObject({ id: requestId, rule: null, sourceOrder: null, fulfilment: [{ milestone: 'DISPATCHED' }, { milestone: 'ARRIVED' }, { milestone: 'COMPLETED' }] });
    expect(mine.body.data!.serviceRequest.allocation).toEqual([{ outcome: 'ACCEPTED', partner: { slug: expect.stringMatching(/gold-next$/) } }]);
    expect((await server.gql(`{ serviceRequest(id: "${requestId}") { id } }`, undefined, key('gold-best'))).body.data!.serviceRequest).toBeNull();
    // Milestones travel in the feed of the partner that reported them only.
    const feedOfType = async (partner: string) =>
      (await server.gql(`query($after: String) { changes(after: $after, first: 100, types: [FulfilmentEvent]) { events { op } } }`, { after: feedStart.get(partner) }, c.partners[partner]!.key)).body.data!.changes.events.length;
    await waitFor('the milestones in the feed', async () => (await feedOfType('gold-next')) === 3);
    expect(await feedOfType('gold-best')).toBe(0);
    // A suspended partner reads no customer rows, requests included.
    await server.pool.query(`update partner set status = 'SUSPENDED' where id = $1`, [c.partners['gold-next']!.id]);
    try {
      expect((await server.gql('{ serviceRequests { nodes { id } } }', undefined, key('gold-next'))).body.data!.serviceRequests.nodes).toEqual([]);
    } finally {
      await server.pool.query(`update partner set status = 'ACTIVE' where id = $1`, [c.partners['gold-next']!.id]);
    }
  });

  it('a rating and a complaint from the customer app, the complaint resolved by the partner', async () => {
    const orderId = (await server.pool.query('select order_id from service_request where id = $1', [requestId])).rows[0].order_id;
    const rate = await server.gql(`mutation($o: ID!) { rateServiceOrder(input: { orderId: $o, score: 5 }) { rating { score } } }`, { o: String(orderId) });
    expect(rate.body.data?.rateServiceOrder).toEqual({ rating: { score: 5 } });
    const twice = await server.gql(`mutation($o: ID!) { rateServiceOrder(input: { orderId: $o, score: 4 }) { rating { score } } }`, { o: String(orderId) });
    expect(twice.body.errors?.[0]?.extensions?.code).toBe('ALREADY_EXISTS');
    const filed = await server.gql(`mutation($o: ID!) { fileComplaint(input: { orderId: $o, category: DELAY }) { complaint { id resolved } } }`, { o: String(orderId) });
    const complaintId = filed.body.data!.fileComplaint.complaint.id;
    expect(filed.body.data!.fileComplaint.complaint.resolved).toBe(false);
    const other = await server.gql(`mutation($id: ID!) { resolveComplaint(input: { id: $id }) { complaint { resolved } } }`, { id: complaintId }, key('gold-best'));
    expect(other.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const mine = await server.gql(`mutation($id: ID!) { resolveComplaint(input: { id: $id }) { complaint { resolved resolvedAt } } }`, { id: complaintId }, key('gold-next'));
    expect(mine.body.errors).toBeUndefined();
    expect(mine.body.data!.resolveComplaint.complaint.resolved).toBe(true);
  });
});
