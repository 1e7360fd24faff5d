// The monthly evaluation score (src/metrics/evaluation) on a hand-built May 2026, through the
// service and through GraphQL (the metrics resolvers alone, behind their generated shield rules).
import { beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { tierHistoryUpsertSql } from '../../src/metrics/quality/quality-tier.sql';
import { evaluationSql } from '../../src/metrics/evaluation/evaluation.sql';
import { partnerEvaluations } from '../../src/metrics/evaluation/evaluation.service';
import { Role } from '../../src/permissions/tier';
import { type OrderSpec, addAgreement, addOrders, addPartner, addPrice, context, migratedDatabase, ordersIn, run, testConfig } from './fixtures';

let pool: pg.Pool;
const ids: Record<string, number> = {};

// Price lists (the medians are over all partners' items of the same service type and unit):
//   CAR_WASH PER_USE     e1 6000, e2 5000, e3 4000 -> median 5000; e1 ratio 1.2 -> 80; e3 ratio 0.8 -> 80
//   CAR_WASH PER_MONTH   e1 30000, e2 30000        -> median 30000; e1 -> 100
//   ROAD_RESCUE PER_USE  e1 10000, e3 30000        -> median 20000; e1 ratio 0.5 -> 50
//   e1: CAR_WASH (80 + 100) / 2 = 90, ROAD_RESCUE 50, MAPS has no price-list item
//
// e1 (SLA 30 minutes), 200 orders in May 2026:
//   #0-119 CAR_WASH, #120-179 ROAD_RESCUE, #180-199 MAPS (CANCELLED, never answered)
//   response: #0-49 exactly 30 min (within), #50-149 10 min, #150-179 31 min (late), #180-199 none
//     response speed = 150 / 180 * 100 = 83.333... -> 83.33
//   ratings: #0-29 five stars, #30-39 three stars: mean 4.5 -> (4.5 - 1) / 4 * 100 = 87.50
//   complaints: #0 resolved, #1 open: rate 2/200 = 1%, half of the BRONZE limit 2%;
//     resolved share 1/2 -> 100 * (1 - 0.5) * (0.5 + 0.25) = 37.50
//   price: (120 * 90 + 60 * 50) / 180 = 76.666... -> 76.67 (the 20 MAPS orders left out)
//   score = 0.40 * 87.5 + 0.25 * 83.333 + 0.20 * 37.5 + 0.15 * 76.667 = 35 + 20.8333 + 7.5 + 11.5 = 74.8333 -> 74.83
//   tier of May (quality rule): 40 rated, rating 4.5 (not > 4.5), complaint rate 1% -> BRONZE
//   order #0 is created 2026-05-01 00:10 Shanghai time (30 April in UTC): it is May's; one order at
//   2026-04-30 23:50 and one at 2026-06-01 00:30 Shanghai time (rated 1, with a complaint) are not.
// e2: no orders in May -> no score, 'no orders'
// e3: no agreement, 10 unrated CAR_WASH orders in May, no complaints:
//   satisfaction null, response speed null (no agreement in force), complaint handling 100, price 80
//   score = (0.20 * 100 + 0.15 * 80) / (0.20 + 0.15) = 32 / 0.35 = 91.428... -> 91.43
function e1Orders(): OrderSpec[] {
  return ordersIn('2026-05', 200, (i) => ({
    // the first order sits at the very start of May in Shanghai (still April in UTC)
    at: i === 0 ? '2026-05-01T00:10:00+08:00' : '2026-05-15T10:00:00+08:00',
    serviceType: i < 120 ? 'CAR_WASH' : i < 180 ? 'ROAD_RESCUE' : 'MAPS',
    status: i < 180 ? 'FULFILLED' : 'CANCELLED',
    responseMinutes: i < 50 ? 30 : i < 150 ? 10 : i < 180 ? 31 : null,
    score: i < 30 ? 5 : i < 40 ? 3 : undefined,
    complaint: i === 0 ? true : i === 1 ? false : undefined,
  }));
}

beforeAll(async () => {
  pool = await migratedDatabase();
  for (const slug of ['e1', 'e2', 'e3']) ids[slug] = await addPartner(pool, slug, { joinedOn: '2026-01-01' });
  await addAgreement(pool, ids.e1!, { model: 'COMMISSION', commissionRate: '0.05', slaMinutes: 30 });
  await addAgreement(pool, ids.e2!, { model: 'COMMISSION', commissionRate: '0.05', slaMinutes: 30 });
  await addPrice(pool, ids.e1!, 'CAR_WASH', 'PER_USE', 6000);
  await addPrice(pool, ids.e2!, 'CAR_WASH', 'PER_USE', 5000);
  await addPrice(pool, ids.e3!, 'CAR_WASH', 'PER_USE', 4000);
  await addPrice(pool, ids.e1!, 'CAR_WASH', 'PER_MONTH', 30000);
  await addPrice(pool, ids.e2!, 'CAR_WASH', 'PER_MONTH', 30000);
  await addPrice(pool, ids.e1!, 'ROAD_RESCUE', 'PER_USE', 10000);
  await addPrice(pool, ids.e3!, 'ROAD_RESCUE', 'PER_USE', 30000);
  await addOrders(pool, ids.e1!, e1Orders());
  // June and the last minutes of April (Shanghai) do not belong to May.
  await addOrders(pool, ids.e1!, [
    { at: '2026-06-01T00:30:00+08:00', score: 1, complaint: false },
    { at: '2026-04-30T23:50:00+08:00', score: 1, complaint: false },
  ]);
  await addOrders(pool, ids.e3!, ordersIn('2026-05', 10, () => ({ serviceType: 'CAR_WASH' })));
  const q = testConfig().metrics.quality;
  const t = tierHistoryUpsertSql({ from: '2026-04', to: '2026-06' }, q);
  await pool.query(t.sql, t.params);
});

describe('partner evaluation score', () => {
  it('computes the four components and the weighted score of a hand-computed month', async () => {
    const rows = await partnerEvaluations(context(pool, Role.ADMIN), '2026-05');
    expect(rows.map((r) => r.partnerSlug)).toEqual(['e3', 'e1', 'e2']); // best first, no score last
    expect(rows.find((r) => r.partnerSlug === 'e1')).toEqual({
      partnerId: String(ids.e1),
      partnerSlug: 'e1',
      partnerName: 'Partner e1',
      month: '2026-05-01',
      score: '74.83',
      satisfaction: '87.50',
      responseSpeed: '83.33',
      complaintHandling: '37.50',
      priceReasonableness: '76.67',
      orderCount: 200,
      ratingCount: 40,
      complaintCount: 2,
      tier: 'BRONZE',
      reason: 'all four components',
    });
  });

  it('gives a month without orders no score, with a reason', async () => {
    const [e2] = await partnerEvaluations(context(pool, Role.ADMIN), '2026-05', String(ids.e2));
    expect(e2).toMatchObject({ partnerSlug: 'e2', orderCount: 0, score: null, satisfaction: null, responseSpeed: null, complaintHandling: null, priceReasonableness: null, tier: null, reason: 'no orders' });
  });

  it('leaves out components that cannot be computed and renormalises the other weights', async () => {
    const [e3] = await partnerEvaluations(context(pool, Role.ADMIN), '2026-05', String(ids.e3));
    expect(e3).toMatchObject({ score: '91.43', satisfaction: null, responseSpeed: null, complaintHandling: '100.00', priceReasonableness: '80.00', orderCount: 10, ratingCount: 0 });
    expect(e3!.reason).toBe('scored without satisfaction (no rated orders), response speed (no agreement in force); the other weights renormalised');
  });

  it('reads the weights from configuration', async () => {
    const config = testConfig({ EVALUATION_WEIGHT_SATISFACTION: '1', EVALUATION_WEIGHT_RESPONSE_SPEED: '0', EVALUATION_WEIGHT_COMPLAINT_HANDLING: '0', EVALUATION_WEIGHT_PRICE: '0' });
    const [e1] = await partnerEvaluations(context(pool, Role.ADMIN, { config }), '2026-05', String(ids.e1));
    expect(e1!.score).toBe('87.50');
  });

  it('runs one statement for a range of months', async () => {
    const ctx = context(pool, Role.ADMIN);
    const rows = await ctx.exec.rows<{ slug: string; month: string; order_count: number }>(
      evaluationSql({ from: '2026-04', to: '2026-06' }, { weights: testConfig().metrics.evaluationWeights, bronzeComplaintRate: 0.02 }),
    );
    expect(ctx.exec.statements).toBe(1);
    const e1 = rows.filter((r) => r.slug === 'e1').map((r) => [r.month, r.order_count]);
    expect(e1).toEqual([['2026-04-01', 1], ['2026-05-01', 200], ['2026-06-01', 1]]);
    expect(rows).toHaveLength(9); // three partners, three months each (all joined in January)
  });

  it('rejects a malformed month', async () => {
    await expect(partnerEvaluations(context(pool, Role.ADMIN), '2026-13')).rejects.toThrow(/YYYY-MM/);
    await expect(partnerEvaluations(context(pool, Role.ADMIN), 'May')).rejects.toThrow(/YYYY-MM/);
  });
});

describe('partnerEvaluations over GraphQL', () => {
  const query = `query($month: String!, $partnerId: ID) {
    partnerEvaluations(month: $month, partnerId: $partnerId) { partnerId partnerSlug month score tier reason }
  }`;

  it('serves every partner to internal roles', async () => {
    for (const role of [Role.ADMIN, Role.ANALYST, Role.DASHBOARD]) {
      const res = await run({ source: query, variableValues: { month: '2026-05' }, contextValue: context(pool, role) });
      expect(res.errors, role).toBeUndefined();
      expect((res.data as any).partnerEvaluations.map((r: any) => r.partnerSlug), role).toEqual(['e3', 'e1', 'e2']);
    }
  });

  it('shows a partner key only its own row', async () => {
    const ctx = () => context(pool, Role.PARTNER, { partnerId: ids.e1 });
    const all = await run({ source: query, variableValues: { month: '2026-05' }, contextValue: ctx() });
    expect(all.errors).toBeUndefined();
    expect((all.data as any).partnerEvaluations).toEqual([
      { partnerId: String(ids.e1), partnerSlug: 'e1', month: '2026-05-01', score: '74.83', tier: 'BRONZE', reason: 'all four components' },
    ]);
    const other = await run({ source: query, variableValues: { month: '2026-05', partnerId: String(ids.e3) }, contextValue: ctx() });
    expect(other.errors).toBeUndefined();
    expect((other.data as any).partnerEvaluations).toEqual([]);
  });

  it('answers a bad month with BAD_USER_INPUT', async () => {
    const res = await run({ source: query, variableValues: { month: '2026-5' }, contextValue: context(pool, Role.ADMIN) });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
