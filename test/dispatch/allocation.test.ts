// Allocation by the quality rules and the partner's answers, on the real server with jobs:
// concurrency (twenty accepts, one winner), idempotency, offer timeouts, the BRONZE cap, the
// rotation within a tier, and clear codes for bad input.
import { beforeAll, describe, expect, it } from 'vitest';
import { startWebhookServer, type WebhookServer } from '../webhooks/helpers';
import { dispatchCity, expireOfferNow, waitFor, type DispatchCity, type RentalSpec } from './fixtures';

let server: WebhookServer;

beforeAll(async () => {
  server = await startWebhookServer({ DISPATCH_BRONZE_MONTHLY_CAP: '1' });
});

const OPEN = `mutation($input: OpenServiceRequestInput!) { openServiceRequest(input: $input) {
  serviceRequest { id status version partner { slug } allocation { position outcome reason partner { slug } } } } }`;

async function open(c: DispatchCity, extra: Record<string, unknown> = {}) {
  const res = await server.gql(OPEN, { input: { serviceType: 'COURTESY_CAR', customerId: String(c.customerId), servicePointId: String(c.servicePointId), vehicle: 'Model Y, white', ...extra } });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.openServiceRequest.serviceRequest as { id: string; status: string; partner: { slug: string } | null; allocation: { position: number | null; outcome: string; reason: string; partner: { slug: string } }[] };
}

const short = (slug: string) => slug.replace(/^.*-/, '');
const accept = (id: string, key: string, headers?: string) =>
  server.gql(`mutation($id: ID!) { acceptServiceRequest(input: { id: $id }) { serviceRequest { id status acceptedAt order { id } } } }`, { id }, key + (headers ?? ''));

describe('allocation', () => {
  it('orders GOLD, SILVER, BRONZE; skips SUSPENDED, YELLOW_CARD and partners without an agreement, saying why', async () => {
    const specs: RentalSpec[] = [
      { slug: 'bronze', tier: 'BRONZE' },
      { slug: 'silver', tier: 'SILVER' },
      { slug: 'gold', tier: 'GOLD' },
      { slug: 'yellow', tier: 'YELLOW_CARD' },
      { slug: 'suspended', tier: 'GOLD', status: 'SUSPENDED' },
      { slug: 'unsigned', tier: 'GOLD', agreement: false },
    ];
    const c = await dispatchCity(server.pool, specs);
    const r = await open(c);
    expect(r.status).toBe('OFFERED');
    expect(short(r.partner!.slug)).toBe('gold');
    const line = r.allocation.filter((s) => s.position !== null).map((s) => short(s.partner.slug));
    expect(line).toEqual(['gold', 'silver', 'bronze']);
    const skipped = Object.fromEntries(r.allocation.filter((s) => s.position === null).map((s) => [short(s.partner.slug), s.reason]));
    expect(skipped).toEqual({
      yellow: expect.stringMatching(/YELLOW_CARD/),
      suspended: 'partner is SUSPENDED',
      unsigned: 'no agreement in force',
    });
  });

  it('twenty concurrent accepts: exactly one wins, one order; the others are not offered it', async () => {
    const specs: RentalSpec[] = Array.from({ length: 20 }, (_, i) => ({ slug: `g${i}`, tier: 'GOLD' as const }));
    const c = await dispatchCity(server.pool, specs);
    const r = await open(c);
    const offered = Object.values(c.partners).find((p) => r.partner!.slug.endsWith(`-${short(r.partner!.slug)}`) && p.id === undefined) ?? null;
    void offered;
    const keys = Object.entries(c.partners).map(([slug, p]) => ({ slug, key: p.key }));
    const answers = await Promise.all(keys.map((k) => accept(r.id, k.key)));
    const won = answers.filter((a) => !a.body.errors);
    expect(won).toHaveLength(1);
    expect(answers.filter((a) => a.body.errors?.[0]?.extensions?.code === 'NOT_FOUND')).toHaveLength(19);
    // The winner, twenty times at once: the same answer each time, one order.
    const winnerKey = keys[answers.findIndex((a) => !a.body.errors)]!.key;
    const again = await Promise.all(Array.from({ length: 20 }, () => accept(r.id, winnerKey)));
    for (const a of again) {
      expect(a.body.errors).toBeUndefined();
      expect(a.body.data!.acceptServiceRequest.serviceRequest).toEqual(won[0]!.body.data!.acceptServiceRequest.serviceRequest);
    }
    const { rows } = await server.pool.query(`select count(*)::int as orders from service_order where id in (select order_id from service_request where id = $1)
      or (partner_id = any($2) and service_type = 'COURTESY_CAR')`, [Number(r.id), Object.values(c.partners).map((p) => p.id)]);
    expect(rows[0].orders).toBe(1);
    const steps = await server.pool.query(`select outcome, count(*)::int as n from allocation_step where request_id = $1 group by 1 order by 1`, [Number(r.id)]);
    expect(steps.rows).toEqual([{ outcome: 'ACCEPTED', n: 1 }, { outcome: 'NOT_REACHED', n: 19 }]);
  });

  it('a retried answer with the same Idempotency-Key gets the first answer again', async () => {
    const c = await dispatchCity(server.pool, [{ slug: 'a', tier: 'GOLD' }, { slug: 'b', tier: 'GOLD' }]);
    const r = await open(c);
    const key = c.partners[short(r.partner!.slug)]!.key;
    const post = () =>
      fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, 'idempotency-key': `decline-${r.id}` },
        body: JSON.stringify({ query: `mutation($id: ID!) { declineServiceRequest(input: { id: $id, reason: "busy" }) { serviceRequest { id } } }`, variables: { id: r.id } }),
      }).then(async (res) => ({ status: res.status, body: await res.json(), replayed: res.headers.get('idempotent-replayed') }));
    const first = await post();
    const second = await post();
    expect(first.body).toEqual({ data: { declineServiceRequest: { serviceRequest: null } } });
    expect(second.body).toEqual(first.body);
    const steps = await server.pool.query(`select outcome from allocation_step where request_id = $1 order by position`, [Number(r.id)]);
    expect(steps.rows.map((s) => s.outcome)).toEqual(['DECLINED', 'OFFERED']);
  });

  it('an offer that times out goes to the next partner; when every partner let it pass, the request is UNALLOCATED', async () => {
    const c = await dispatchCity(server.pool, [{ slug: 'a', tier: 'GOLD' }, { slug: 'b', tier: 'SILVER' }]);
    const r = await open(c);
    await expireOfferNow(server.pool, Number(r.id));
    await waitFor('the second offer', async () => (await server.pool.query(`select 1 from service_request where id = $1 and offer_seq = 2`, [Number(r.id)])).rows[0]);
    await expireOfferNow(server.pool, Number(r.id));
    await waitFor('the request to close', async () => (await server.pool.query(`select 1 from service_request where id = $1 and status = 'UNALLOCATED'`, [Number(r.id)])).rows[0]);
    const res = await server.gql(`{ serviceRequest(id: "${r.id}") { status partner { slug } closeReason allocation { outcome reason } } }`);
    expect(res.body.data!.serviceRequest).toMatchObject({ status: 'UNALLOCATED', partner: null, closeReason: 'no eligible partner accepted it' });
    expect(res.body.data!.serviceRequest.allocation.map((s: { outcome: string }) => s.outcome)).toEqual(['TIMED_OUT', 'TIMED_OUT']);
    // Accepting after the request moved on: not the partner's any more.
    const late = await accept(r.id, c.partners.a!.key);
    expect(late.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('an expired offer cannot be accepted, even before its timer ran', async () => {
    const c = await dispatchCity(server.pool, [{ slug: 'a', tier: 'GOLD' }]);
    const r = await open(c);
    await server.pool.query(`update service_request set offer_expires_at = now() - interval '1 second' where id = $1`, [Number(r.id)]);
    const res = await accept(r.id, c.partners.a!.key);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_STATE', status: 'EXPIRED' });
  });

  it('a partner suspended after the offer cannot accept it', async () => {
    const c = await dispatchCity(server.pool, [{ slug: 'a', tier: 'GOLD' }]);
    const r = await open(c);
    await server.pool.query(`update partner set status = 'SUSPENDED' where id = $1`, [c.partners.a!.id]);
    const res = await accept(r.id, c.partners.a!.key);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_STATE', status: 'SUSPENDED' });
  });

  it('BRONZE partners take at most DISPATCH_BRONZE_MONTHLY_CAP requests a month', async () => {
    const c = await dispatchCity(server.pool, [{ slug: 'bronze', tier: 'BRONZE' }]);
    const first = await open(c);
    expect(short(first.partner!.slug)).toBe('bronze');
    expect((await accept(first.id, c.partners.bronze!.key)).body.errors).toBeUndefined();
    const second = await open(c);
    expect(second.status).toBe('UNALLOCATED');
    expect(second.allocation[0]!.reason).toBe('BRONZE monthly volume cap reached (1 of 1 requests accepted this month)');
  });

  it('partners of a tier take turns: the one just offered goes behind an equal one', async () => {
    const c = await dispatchCity(server.pool, [{ slug: 'a', tier: 'GOLD' }, { slug: 'b', tier: 'GOLD' }, { slug: 'c', tier: 'GOLD' }]);
    const firsts: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await open(c);
      firsts.push(short(r.partner!.slug));
      await server.gql(`mutation($id: ID!) { cancelServiceRequest(input: { id: $id, reason: "test" }) { serviceRequest { id } } }`, { id: r.id });
    }
    expect(firsts).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });
});

describe('answers and their errors', () => {
  let c: DispatchCity;
  beforeAll(async () => {
    c = await dispatchCity(server.pool, [{ slug: 'a', tier: 'GOLD' }]);
  });

  it('bad input to openServiceRequest gets machine-readable codes', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ customerId: '999999999' }, 'NOT_FOUND', 'input.customerId'],
      [{ servicePointId: '999999999' }, 'NOT_FOUND', 'input.servicePointId'],
      [{ days: 0 }, 'INVALID_VALUE', 'input.days'],
      [{ windowStart: '2030-01-01T10:00:00Z', windowEnd: '2030-01-01T09:00:00Z' }, 'INVALID_VALUE', 'input.windowEnd'],
      [{ serviceType: 'courtesy car' }, 'INVALID_VALUE', 'input.serviceType'],
      [{ city: 'Elsewhere' }, 'INVALID_VALUE', 'input.city'],
    ];
    for (const [input, code, field] of cases) {
      const res = await server.gql(OPEN, { input: { serviceType: 'COURTESY_CAR', customerId: String(c.customerId), servicePointId: String(c.servicePointId), ...input } });
      expect(res.body.errors?.[0]?.extensions, JSON.stringify(input)).toMatchObject({ code, field });
    }
  });

  it('partners cannot open requests; milestones come in order and only for accepted requests', async () => {
    const refused = await server.gql(OPEN, { input: { serviceType: 'COURTESY_CAR', customerId: '1', servicePointId: String(c.servicePointId) } }, c.partners.a!.key);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const r = await open(c);
    const report = (m: string) =>
      server.gql(`mutation($id: ID!, $m: FulfilmentMilestone!) { reportFulfilment(input: { id: $id, milestone: $m }) { serviceRequest { status } } }`, { id: r.id, m }, c.partners.a!.key);
    expect((await report('DISPATCHED')).body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await accept(r.id, c.partners.a!.key)).body.errors).toBeUndefined();
    expect((await report('ARRIVED')).body.data!.reportFulfilment.serviceRequest.status).toBe('ARRIVED');
    expect((await report('DISPATCHED')).body.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_STATE', field: 'input.milestone' });
    expect((await report('FAILED')).body.data!.reportFulfilment.serviceRequest.status).toBe('FAILED');
    expect((await report('COMPLETED')).body.errors?.[0]?.extensions?.code).toBe('INVALID_STATE');
    const order = await server.pool.query(`select o.status from service_order o join service_request r on r.order_id = o.id where r.id = $1`, [Number(r.id)]);
    expect(order.rows).toEqual([{ status: 'CANCELLED' }]);
  });

  it('a report dated in the future is refused', async () => {
    const r = await open(c);
    await accept(r.id, c.partners.a!.key);
    const res = await server.gql(
      `mutation($id: ID!) { reportFulfilment(input: { id: $id, milestone: DISPATCHED, reportedAt: "2099-01-01T00:00:00Z" }) { serviceRequest { status } } }`,
      { id: r.id },
      c.partners.a!.key,
    );
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_VALUE', field: 'input.reportedAt' });
  });
});
