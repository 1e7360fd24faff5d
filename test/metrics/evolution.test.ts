// Quarterly evolution (src/metrics/evolution) on hand-built partners in 2026-Q3, and on the seeded
// dataset.
import { beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { createPool } from '../../src/db/pool';
import { quarterMonths } from '../../src/metrics/evolution/evolution.sql';
import { partnerEvolution } from '../../src/metrics/evolution/evolution.service';
import { partnerEvaluations } from '../../src/metrics/evaluation/evaluation.service';
import { Role } from '../../src/permissions/tier';
import { useTestDatabase } from '../setup/database';
import { addOrders, addPartner, context, migratedDatabase, ordersIn, run, testConfig } from './fixtures';

let pool: pg.Pool;

// No agreements and no price lists anywhere: response speed and price reasonableness have no
// prior (no partner has them), so they are left out and the weights renormalised over
// satisfaction 0.40 + complaint handling 0.20. No complaints: complaint handling is 100 for every
// partner, its prior 100, its adjusted value 100. So
//   quarter score = (0.40 * S + 0.20 * 100) / 0.60 = (2 S + 100) / 3
// where S = adjusted satisfaction over the quarter's pooled ratings:
//   S = (n * x + 5 * prior) / (n + 5), x = (mean rating - 1) / 4 * 100, n = rated orders.
// Every order is rated. v01..v10 have 10 orders each (v01: 5 in July, 5 in August; the others all
// in July); w01 has 1 order (5 stars), w02 2 orders (1 star each).
// Prior: all 103 ratings of the quarter sum to 412, a mean of 4.0 stars -> prior 75.
// With n = 10: S = (10 x + 375) / 15, score = (2 S + 100) / 3:
//   v01 5.0 -> x 100  S 91.6667 score 94.44      v06 3.9 -> x 72.5 S 73.3333 score 82.22
//   v02 4.7 -> x 92.5 S 86.6667 score 91.11      v07 3.8 -> x 70   S 71.6667 score 81.11
//   v03 4.4 -> x 85   S 81.6667 score 87.78      v08 3.6 -> x 65   S 68.3333 score 78.89
//   v04 4.2 -> x 80   S 78.3333 score 85.56      v09 3.5 -> x 62.5 S 66.6667 score 77.78
//   v05 4.0 -> x 75   S 75      score 83.33      v10 3.4 -> x 60   S 65      score 76.67
//   w01 1 order, 5 stars: S = (100 + 375) / 6 = 79.1667, score 86.11 (100.00 without shrinkage)
//   w02 2 orders, 1 star: S = (0 + 375) / 7 = 53.5714, score 69.05
// EVOLUTION_MIN_ORDERS 5: w01 and w02 are NOT_ENOUGH_DATA, ranked after the 10 eligible partners.
// 10 eligible: keep ceil(10 * 0.2) = 2 (v01, v02), exit floor(10 * 0.1) = 1 (v10), the rest HOLD.
// v11 has 5 orders in October only (5, 5, 5, 5, 4): not ranked in Q3; alone in Q4, where the prior
// is its own mean.
const RATINGS: Record<string, number[]> = {
  v01: [5, 5, 5, 5, 5, 5, 5, 5, 5, 5],
  v02: [5, 5, 5, 5, 5, 5, 5, 4, 4, 4],
  v03: [5, 5, 5, 5, 4, 4, 4, 4, 4, 4],
  v04: [5, 5, 4, 4, 4, 4, 4, 4, 4, 4],
  v05: [4, 4, 4, 4, 4, 4, 4, 4, 4, 4],
  v06: [4, 4, 4, 4, 4, 4, 4, 4, 4, 3],
  v07: [4, 4, 4, 4, 4, 4, 4, 4, 3, 3],
  v08: [4, 4, 4, 4, 4, 4, 3, 3, 3, 3],
  v09: [4, 4, 4, 4, 4, 3, 3, 3, 3, 3],
  v10: [4, 4, 4, 4, 3, 3, 3, 3, 3, 3],
  w01: [5],
  w02: [1, 1],
};
const ids: Record<string, number> = {};

beforeAll(async () => {
  pool = await migratedDatabase();
  for (const [slug, scores] of Object.entries(RATINGS)) {
    const id = (ids[slug] = await addPartner(pool, slug, { joinedOn: '2026-01-01' }));
    if (slug === 'v01') {
      await addOrders(pool, id, ordersIn('2026-07', 5, (i) => ({ score: scores[i] })));
      await addOrders(pool, id, ordersIn('2026-08', 5, (i) => ({ score: scores[i + 5] })));
    } else {
      await addOrders(pool, id, ordersIn('2026-07', scores.length, (i) => ({ score: scores[i] })));
    }
  }
  const v11 = await addPartner(pool, 'v11', { joinedOn: '2026-01-01' });
  await addOrders(pool, v11, ordersIn('2026-10', 5, (i) => ({ score: [5, 5, 5, 5, 4][i] })));
});

describe('quarterly evolution', () => {
  it('ranks partners by their shrunk quarter score and decides among those with enough orders', async () => {
    const rows = await partnerEvolution(context(pool, Role.ADMIN), '2026-Q3');
    expect(rows.map((r) => [r.partnerSlug, r.rank, r.score, r.orderCount, r.decision])).toEqual([
      ['v01', 1, '94.44', 10, 'KEEP'],
      ['v02', 2, '91.11', 10, 'KEEP'],
      ['v03', 3, '87.78', 10, 'HOLD'],
      ['v04', 4, '85.56', 10, 'HOLD'],
      ['v05', 5, '83.33', 10, 'HOLD'],
      ['v06', 6, '82.22', 10, 'HOLD'],
      ['v07', 7, '81.11', 10, 'HOLD'],
      ['v08', 8, '78.89', 10, 'HOLD'],
      ['v09', 9, '77.78', 10, 'HOLD'],
      ['v10', 10, '76.67', 10, 'EXIT'],
      ['w01', 11, '86.11', 1, 'NOT_ENOUGH_DATA'],
      ['w02', 12, '69.05', 2, 'NOT_ENOUGH_DATA'],
    ]);
    expect(rows[0]).toMatchObject({ quarter: '2026-Q3', monthsScored: 2, rankedCount: 12, eligibleCount: 10 });
    expect(rows[1]!.monthsScored).toBe(1);
  });

  it('keeps a one-order partner from reaching 100 or the top of the ranking', async () => {
    // Without shrinkage or minimum (the former rule, in effect), w01's single five-star order ties
    // v01's ten at 100.00 and both are kept.
    const former = testConfig({ EVALUATION_PRIOR_WEIGHT: '0', EVOLUTION_MIN_ORDERS: '0' });
    const before = await partnerEvolution(context(pool, Role.ADMIN, { config: former }), '2026-Q3');
    expect(before.slice(0, 2).map((r) => [r.partnerSlug, r.score, r.decision])).toEqual([
      ['v01', '100.00', 'KEEP'],
      ['w01', '100.00', 'KEEP'],
    ]);
    // Shrinkage alone (no minimum): w01 drops to 86.11, below three partners with ten orders.
    // 12 eligible: keep ceil(12 * 0.2) = 3, exit floor(12 * 0.1) = 1 (w02, two one-star orders).
    const rows = await partnerEvolution(context(pool, Role.ADMIN, { config: testConfig({ EVOLUTION_MIN_ORDERS: '1' }) }), '2026-Q3');
    expect(rows.map((r) => [r.partnerSlug, r.score, r.decision])).toEqual([
      ['v01', '94.44', 'KEEP'],
      ['v02', '91.11', 'KEEP'],
      ['v03', '87.78', 'KEEP'],
      ['w01', '86.11', 'HOLD'],
      ['v04', '85.56', 'HOLD'],
      ['v05', '83.33', 'HOLD'],
      ['v06', '82.22', 'HOLD'],
      ['v07', '81.11', 'HOLD'],
      ['v08', '78.89', 'HOLD'],
      ['v09', '77.78', 'HOLD'],
      ['v10', '76.67', 'HOLD'],
      ['w02', '69.05', 'EXIT'],
    ]);
    expect(rows[0]!.eligibleCount).toBe(12);
  });

  it('marks everybody NOT_ENOUGH_DATA below a configured minimum nobody reaches', async () => {
    const rows = await partnerEvolution(context(pool, Role.ADMIN, { config: testConfig({ EVOLUTION_MIN_ORDERS: '11' }) }), '2026-Q3');
    expect(new Set(rows.map((r) => r.decision))).toEqual(new Set(['NOT_ENOUGH_DATA']));
    expect(rows.map((r) => r.partnerSlug).slice(0, 3)).toEqual(['v01', 'v02', 'v03']); // still by score
    expect(rows[0]).toMatchObject({ rankedCount: 12, eligibleCount: 0 });
    expect(() => testConfig({ EVOLUTION_MIN_ORDERS: '2.5' })).toThrow(/EVOLUTION_MIN_ORDERS/);
  });

  it('rounds the keep count up and the exit count down, with configured shares', async () => {
    // keep ceil(10 * 0.25) = 3, exit floor(10 * 0.15) = 1
    const config = testConfig({ EVOLUTION_KEEP_TOP_SHARE: '0.25', EVOLUTION_EXIT_BOTTOM_SHARE: '0.15' });
    const rows = await partnerEvolution(context(pool, Role.ADMIN, { config }), '2026-Q3');
    expect(rows.filter((r) => r.decision === 'KEEP').map((r) => r.partnerSlug)).toEqual(['v01', 'v02', 'v03']);
    expect(rows.filter((r) => r.decision === 'EXIT').map((r) => r.partnerSlug)).toEqual(['v10']);
    // exit floor(10 * 0.3) = 3: v08, v09, v10; 0.3 * 10 is exact in numeric
    const more = await partnerEvolution(context(pool, Role.ADMIN, { config: testConfig({ EVOLUTION_EXIT_BOTTOM_SHARE: '0.3' }) }), '2026-Q3');
    expect(more.filter((r) => r.decision === 'EXIT').map((r) => r.partnerSlug)).toEqual(['v08', 'v09', 'v10']);
  });

  it('ranks nobody in a quarter without orders, and a lone partner with enough orders is kept', async () => {
    expect(await partnerEvolution(context(pool, Role.ADMIN), '2026-Q2')).toEqual([]);
    // alone in Q4, its prior is its own mean 4.8 stars: S = 95, score (2 * 95 + 100) / 3 = 96.67
    const q4 = await partnerEvolution(context(pool, Role.ADMIN), '2026-Q4');
    expect(q4.map((r) => [r.partnerSlug, r.rank, r.score, r.decision])).toEqual([['v11', 1, '96.67', 'KEEP']]);
  });

  it('leaves out, in the monthly evaluation, the components no partner has', async () => {
    const [w01] = await partnerEvaluations(context(pool, Role.ADMIN), '2026-07', String(ids.w01));
    expect(w01).toMatchObject({ responseSpeed: null, responseSpeedAdjusted: null, priceReasonableness: null, priceReasonablenessAdjusted: null, complaintHandlingAdjusted: '100.00' });
    expect(w01!.reason).toBe(
      'scored without response speed (no agreement in force), price reasonableness (no price-list item for the ordered service types); no partner has them: the other weights renormalised',
    );
  });

  it('parses quarters and refuses malformed ones', async () => {
    expect(quarterMonths('2026-Q3')).toEqual({ from: '2026-07-01', to: '2026-09-01' });
    expect(quarterMonths('2026-Q1')).toEqual({ from: '2026-01-01', to: '2026-03-01' });
    expect(quarterMonths('2026-Q5')).toBeNull();
    await expect(partnerEvolution(context(pool, Role.ADMIN), '2026Q3')).rejects.toThrow(/YYYY-Qn/);
  });

  it('is served to internal roles and denied to partners over GraphQL', async () => {
    const source = '{ partnerEvolution(quarter: "2026-Q3") { rank partnerSlug orderCount eligibleCount decision } }';
    const dash = await run({ source, contextValue: context(pool, Role.DASHBOARD) });
    expect(dash.errors).toBeUndefined();
    expect((dash.data as any).partnerEvolution).toHaveLength(12);
    expect((dash.data as any).partnerEvolution[11]).toEqual({ rank: 12, partnerSlug: 'w02', orderCount: 2, eligibleCount: 10, decision: 'NOT_ENOUGH_DATA' });
    const partner = await run({ source, contextValue: context(pool, Role.PARTNER, { partnerId: 1 }) });
    expect(partner.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('quarterly evolution on the seeded dataset', () => {
  let seeded: pg.Pool;
  beforeAll(async () => {
    seeded = createPool(await useTestDatabase(), testConfig());
    return () => seeded.end();
  });

  it('decides KEEP or EXIT only for partners with the minimum of orders, and the top scores do not tie at 100', async () => {
    const min = testConfig().metrics.evolution.minOrders;
    const rows = await partnerEvolution(context(seeded, Role.ADMIN), '2026-Q3');
    expect(rows.length).toBeGreaterThan(10);
    // orderCount is the quarter's orders (Shanghai months)
    const counted = await seeded.query<{ partner_id: number; n: number }>(
      `select partner_id, count(*)::int as n from service_order
       where created_at >= timestamp '2026-07-01' at time zone 'Asia/Shanghai' and created_at < timestamp '2026-10-01' at time zone 'Asia/Shanghai'
       group by 1`,
    );
    const orders = new Map(counted.rows.map((r) => [String(r.partner_id), r.n]));
    expect(rows.map((r) => r.orderCount)).toEqual(rows.map((r) => orders.get(r.partnerId)));

    const few = rows.filter((r) => r.orderCount < min);
    expect(few.length).toBeGreaterThan(0); // the seeded data has small partners
    expect(few.every((r) => r.decision === 'NOT_ENOUGH_DATA')).toBe(true);
    for (const r of rows.filter((x) => x.decision === 'KEEP' || x.decision === 'EXIT')) expect(r.orderCount, r.partnerSlug).toBeGreaterThanOrEqual(min);

    const eligible = rows.filter((r) => r.decision !== 'NOT_ENOUGH_DATA');
    expect(rows[0]!.eligibleCount).toBe(eligible.length);
    expect(eligible.filter((r) => r.decision === 'KEEP')).toHaveLength(Math.ceil(eligible.length * 0.2 - 1e-9));
    expect(eligible.filter((r) => r.decision === 'EXIT')).toHaveLength(Math.floor(eligible.length * 0.1 + 1e-9));

    const top = [...rows].map((r) => Number(r.score)).sort((a, b) => b - a);
    expect(top[0]).toBeLessThan(100);
    expect(rows.filter((r) => r.score === '100.00')).toEqual([]);
    expect(top[0]).toBeGreaterThan(top[1]!); // no tie at the top
  });
});
