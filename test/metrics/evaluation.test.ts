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
//   MAPS PER_USE         e4 1000                   -> median 1000; e4 -> 100
//   e1: CAR_WASH (80 + 100) / 2 = 90, ROAD_RESCUE 50, MAPS has no price-list item of e1
//
// Raw components (n = the component's own sample size) in May 2026:
// e1 (SLA 30 minutes), 200 orders:
//   #0-119 CAR_WASH, #120-179 ROAD_RESCUE, #180-199 MAPS (CANCELLED, never answered)
//   response: #0-49 exactly 30 min (within), #50-149 10 min, #150-179 31 min (late), #180-199 none
//     response speed = 150 / 180 * 100 = 83.333...                  n = 180 answered
//   ratings: #0-29 five stars, #30-39 three stars: mean 4.5 -> (4.5 - 1) / 4 * 100 = 87.50, n = 40
//   complaints: #0 resolved, #1 open: rate 2/200 = 1%, half of the BRONZE limit 2%;
//     resolved share 1/2 -> 100 * (1 - 0.5) * (0.5 + 0.25) = 37.50      n = 200 orders
//   price: (120 * 90 + 60 * 50) / 180 = 76.666... (the 20 MAPS orders left out)   n = 180 priced
//   raw weighted score 0.40 * 87.5 + 0.25 * 83.333 + 0.20 * 37.5 + 0.15 * 76.667 = 74.8333 (74.83)
//   tier of May (quality rule): 40 rated, rating 4.5 (not > 4.5), complaint rate 1% -> BRONZE
//   order #0 is created 2026-05-01 00:10 Shanghai time (30 April in UTC): it is May's; one order at
//   2026-04-30 23:50 and one at 2026-06-01 00:30 Shanghai time (rated 1, with a complaint) are not.
// e2: no orders in May -> no score, 'no orders'
// e3: no agreement, 10 unrated CAR_WASH orders, no complaints:
//   satisfaction none (n = 0), response speed none (no agreement in force: n = 0),
//   complaint handling 100 (n = 10), price 80 (n = 10)
// e4 (SLA 30 minutes): 2 MAPS orders, both rated 5, answered in 10 minutes, no complaints:
//   every raw component 100 (n = 2 each): without shrinkage a perfect 100.00
//
// Priors (ecosystem means of May, sum(n * x) / sum(n) over e1, e3, e4):
//   satisfaction  (40 * 87.5 + 2 * 100) / 42          = 3700 / 42  = 88.095238
//                 (= the mean of all 42 ratings, 190 / 42 = 4.5238 stars)
//   response      (150 + 2) / (180 + 2) * 100         = 15200 / 182 = 83.516484
//   complaint     (200 * 37.5 + 10 * 100 + 2 * 100) / 212 = 8700 / 212 = 41.037736
//   price         (13800 + 10 * 80 + 2 * 100) / 192   = 14800 / 192 = 77.083333
// Adjusted = (n * raw + 5 * prior) / (n + 5) (EVALUATION_PRIOR_WEIGHT 5), the prior when n = 0:
//   e1 satisfaction (3500 + 440.476190) / 45  = 87.566138 -> 87.57
//      response     (15000 + 417.582418) / 185 = 83.338283 -> 83.34
//      complaint    (7500 + 205.188679) / 205 = 37.586286 -> 37.59
//      price        (13800 + 385.416667) / 185 = 76.677928 -> 76.68
//      score 0.40 * 87.566138 + 0.25 * 83.338283 + 0.20 * 37.586286 + 0.15 * 76.677928 = 74.879972 -> 74.88
//   e3 satisfaction 88.095238 (prior), response 83.516484 (prior),
//      complaint (1000 + 205.188679) / 15 = 80.345912, price (800 + 385.416667) / 15 = 79.027778
//      score 35.238095 + 20.879121 + 16.069182 + 11.854167 = 84.040565 -> 84.04
//      (before: 91.43, the missing weights renormalised away)
//   e4 satisfaction (200 + 440.476190) / 7 = 91.496599, response (200 + 417.582418) / 7 = 88.226060
//      complaint (200 + 205.188679) / 7 = 57.884097, price (200 + 385.416667) / 7 = 83.630952
//      score 36.598639 + 22.056515 + 11.576819 + 12.544643 = 82.776617 -> 82.78 (not 100)
// With EVALUATION_PRIOR_WEIGHT=0 the raw components count alone (a missing one still takes the
// prior): e1 74.83, e4 100.00, e3 35.238095 + 20.879121 + 20 + 12 = 88.117216 -> 88.12.
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
  for (const slug of ['e1', 'e2', 'e3', 'e4']) ids[slug] = await addPartner(pool, slug, { joinedOn: '2026-01-01' });
  await addAgreement(pool, ids.e1!, { model: 'COMMISSION', commissionRate: '0.05', slaMinutes: 30 });
  await addAgreement(pool, ids.e2!, { model: 'COMMISSION', commissionRate: '0.05', slaMinutes: 30 });
  await addAgreement(pool, ids.e4!, { model: 'COMMISSION', commissionRate: '0.05', slaMinutes: 30 });
  await addPrice(pool, ids.e1!, 'CAR_WASH', 'PER_USE', 6000);
  await addPrice(pool, ids.e2!, 'CAR_WASH', 'PER_USE', 5000);
  await addPrice(pool, ids.e3!, 'CAR_WASH', 'PER_USE', 4000);
  await addPrice(pool, ids.e1!, 'CAR_WASH', 'PER_MONTH', 30000);
  await addPrice(pool, ids.e2!, 'CAR_WASH', 'PER_MONTH', 30000);
  await addPrice(pool, ids.e1!, 'ROAD_RESCUE', 'PER_USE', 10000);
  await addPrice(pool, ids.e3!, 'ROAD_RESCUE', 'PER_USE', 30000);
  await addPrice(pool, ids.e4!, 'MAPS', 'PER_USE', 1000);
  await addOrders(pool, ids.e1!, e1Orders());
  // June and the last minutes of April (Shanghai) do not belong to May.
  await addOrders(pool, ids.e1!, [
    { at: '2026-06-01T00:30:00+08:00', score: 1, complaint: false },
    { at: '2026-04-30T23:50:00+08:00', score: 1, complaint: false },
  ]);
  await addOrders(pool, ids.e3!, ordersIn('2026-05', 10, () => ({ serviceType: 'CAR_WASH' })));
  await addOrders(pool, ids.e4!, ordersIn('2026-05', 2, () => ({ serviceType: 'MAPS', responseMinutes: 10, score: 5 })));
  const q = testConfig().metrics.quality;
  const t = tierHistoryUpsertSql({ from: '2026-04', to: '2026-06' }, q);
  await pool.query(t.sql, t.params);
});

describe('partner evaluation score', () => {
  it('computes the raw components and shrinks each toward the ecosystem mean by its sample size', async () => {
    const rows = await partnerEvaluations(context(pool, Role.ADMIN), '2026-05');
    expect(rows.map((r) => [r.partnerSlug, r.score])).toEqual([
      ['e3', '84.04'],
      ['e4', '82.78'],
      ['e1', '74.88'],
      ['e2', null],
    ]); // best first, no score last
    expect(rows.find((r) => r.partnerSlug === 'e1')).toEqual({
      partnerId: String(ids.e1),
      partnerSlug: 'e1',
      partnerName: 'Partner e1',
      month: '2026-05-01',
      score: '74.88',
      satisfaction: '87.50',
      responseSpeed: '83.33',
      complaintHandling: '37.50',
      priceReasonableness: '76.67',
      satisfactionAdjusted: '87.57',
      responseSpeedAdjusted: '83.34',
      complaintHandlingAdjusted: '37.59',
      priceReasonablenessAdjusted: '76.68',
      orderCount: 200,
      ratingCount: 40,
      answeredCount: 180,
      pricedOrderCount: 180,
      complaintCount: 2,
      tier: 'BRONZE',
      reason: 'all four components',
    });
  });

  it('keeps a partner with two perfect orders well below 100', async () => {
    const [e4] = await partnerEvaluations(context(pool, Role.ADMIN), '2026-05', String(ids.e4));
    expect(e4).toMatchObject({
      orderCount: 2,
      ratingCount: 2,
      answeredCount: 2,
      pricedOrderCount: 2,
      satisfaction: '100.00',
      responseSpeed: '100.00',
      complaintHandling: '100.00',
      priceReasonableness: '100.00',
      satisfactionAdjusted: '91.50',
      responseSpeedAdjusted: '88.23',
      complaintHandlingAdjusted: '57.88',
      priceReasonablenessAdjusted: '83.63',
      score: '82.78',
      reason: 'all four components',
    });
  });

  it('gives a month without orders no score, with a reason', async () => {
    const [e2] = await partnerEvaluations(context(pool, Role.ADMIN), '2026-05', String(ids.e2));
    expect(e2).toMatchObject({
      partnerSlug: 'e2',
      orderCount: 0,
      score: null,
      satisfaction: null,
      responseSpeed: null,
      complaintHandling: null,
      priceReasonableness: null,
      satisfactionAdjusted: null,
      responseSpeedAdjusted: null,
      complaintHandlingAdjusted: null,
      priceReasonablenessAdjusted: null,
      tier: null,
      reason: 'no orders',
    });
  });

  it('gives a component without own data the ecosystem mean instead of renormalising it away', async () => {
    const [e3] = await partnerEvaluations(context(pool, Role.ADMIN), '2026-05', String(ids.e3));
    expect(e3).toMatchObject({
      score: '84.04',
      satisfaction: null,
      responseSpeed: null,
      complaintHandling: '100.00',
      priceReasonableness: '80.00',
      satisfactionAdjusted: '88.10',
      responseSpeedAdjusted: '83.52',
      complaintHandlingAdjusted: '80.35',
      priceReasonablenessAdjusted: '79.03',
      orderCount: 10,
      ratingCount: 0,
      answeredCount: 0,
      pricedOrderCount: 10,
    });
    expect(e3!.reason).toBe('ecosystem mean for satisfaction (no rated orders), response speed (no agreement in force)');
  });

  it('reads the prior weight from configuration (0: the raw components alone)', async () => {
    const config = testConfig({ EVALUATION_PRIOR_WEIGHT: '0' });
    const rows = await partnerEvaluations(context(pool, Role.ADMIN, { config }), '2026-05');
    expect(rows.map((r) => [r.partnerSlug, r.score])).toEqual([
      ['e4', '100.00'],
      ['e3', '88.12'],
      ['e1', '74.83'],
      ['e2', null],
    ]);
    expect(() => testConfig({ EVALUATION_PRIOR_WEIGHT: '-1' })).toThrow(/EVALUATION_PRIOR_WEIGHT/);
  });

  it('reads the weights from configuration', async () => {
    const config = testConfig({ EVALUATION_WEIGHT_SATISFACTION: '1', EVALUATION_WEIGHT_RESPONSE_SPEED: '0', EVALUATION_WEIGHT_COMPLAINT_HANDLING: '0', EVALUATION_WEIGHT_PRICE: '0' });
    const [e1] = await partnerEvaluations(context(pool, Role.ADMIN, { config }), '2026-05', String(ids.e1));
    expect(e1!.score).toBe('87.57'); // the adjusted satisfaction
  });

  it('runs one statement for a range of months', async () => {
    const ctx = context(pool, Role.ADMIN);
    const c = testConfig().metrics;
    const rows = await ctx.exec.rows<{ slug: string; month: string; order_count: number }>(
      evaluationSql({ from: '2026-04', to: '2026-06' }, { weights: c.evaluationWeights, bronzeComplaintRate: 0.02, priorWeight: c.evaluationPriorWeight }),
    );
    expect(ctx.exec.statements).toBe(1);
    const e1 = rows.filter((r) => r.slug === 'e1').map((r) => [r.month, r.order_count]);
    expect(e1).toEqual([['2026-04-01', 1], ['2026-05-01', 200], ['2026-06-01', 1]]);
    expect(rows).toHaveLength(12); // four partners, three months each (all joined in January)
  });

  it('rejects a malformed month', async () => {
    await expect(partnerEvaluations(context(pool, Role.ADMIN), '2026-13')).rejects.toThrow(/YYYY-MM/);
    await expect(partnerEvaluations(context(pool, Role.ADMIN), 'May')).rejects.toThrow(/YYYY-MM/);
  });
});

describe('partnerEvaluations over GraphQL', () => {
  const query = `query($month: String!, $partnerId: ID) {
    partnerEvaluations(month: $month, partnerId: $partnerId) { partnerId partnerSlug month score satisfaction satisfactionAdjusted tier reason }
  }`;

  it('serves every partner to internal roles', async () => {
    for (const role of [Role.ADMIN, Role.ANALYST, Role.DASHBOARD]) {
      const res = await run({ source: query, variableValues: { month: '2026-05' }, contextValue: context(pool, role) });
      expect(res.errors, role).toBeUndefined();
      expect((res.data as any).partnerEvaluations.map((r: any) => r.partnerSlug), role).toEqual(['e3', 'e4', 'e1', 'e2']);
    }
  });

  it('shows a partner key only its own row, shrunk toward the mean of every partner', async () => {
    const ctx = () => context(pool, Role.PARTNER, { partnerId: ids.e1 });
    const all = await run({ source: query, variableValues: { month: '2026-05' }, contextValue: ctx() });
    expect(all.errors).toBeUndefined();
    expect((all.data as any).partnerEvaluations).toEqual([
      {
        partnerId: String(ids.e1),
        partnerSlug: 'e1',
        month: '2026-05-01',
        score: '74.88',
        satisfaction: '87.50',
        satisfactionAdjusted: '87.57',
        tier: 'BRONZE',
        reason: 'all four components',
      },
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
