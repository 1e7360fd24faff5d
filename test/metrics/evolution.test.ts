// Quarterly evolution (src/metrics/evolution) on ten hand-built partners in 2026-Q3.
import { beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { quarterMonths } from '../../src/metrics/evolution/evolution.sql';
import { partnerEvolution } from '../../src/metrics/evolution/evolution.service';
import { Role } from '../../src/permissions/tier';
import { addOrders, addPartner, context, migratedDatabase, ordersIn, run, testConfig } from './fixtures';

let pool: pg.Pool;

// No agreements and no price lists: each month's score rests on satisfaction and complaint
// handling (no complaints: 100), the weights renormalised over 0.40 + 0.20:
//   score(mean rating r) = (0.40 * (r - 1) / 4 * 100 + 0.20 * 100) / 0.60 = (10 (r - 1) + 20) / 0.6
// Four rated orders in July each; v01 also four in August:
//   v01 July 5.00 -> 100, August 4.75 -> 95.8333; quarter (100 + 95.8333) / 2 = 97.9167 -> 97.92
//   v02 4.75 -> 95.83   v03 4.50 -> 91.67   v04 4.25 -> 87.50   v05 4.00 -> 83.33   v06 3.75 -> 79.17
//   v07 3.50 -> 75.00   v08 3.25 -> 70.83   v09 3.00 -> 66.67   v10 2.75 -> 62.50
// v11 has orders in October only: not ranked in Q3.
// 10 ranked: keep ceil(10 * 0.2) = 2 (v01, v02), exit floor(10 * 0.1) = 1 (v10), the rest HOLD.
const RATINGS: Record<string, number[]> = {
  v01: [5, 5, 5, 5],
  v02: [5, 5, 5, 4],
  v03: [5, 5, 4, 4],
  v04: [5, 4, 4, 4],
  v05: [4, 4, 4, 4],
  v06: [4, 4, 4, 3],
  v07: [4, 4, 3, 3],
  v08: [4, 3, 3, 3],
  v09: [3, 3, 3, 3],
  v10: [3, 3, 3, 2],
};

beforeAll(async () => {
  pool = await migratedDatabase();
  for (const [slug, scores] of Object.entries(RATINGS)) {
    const id = await addPartner(pool, slug, { joinedOn: '2026-01-01' });
    await addOrders(pool, id, ordersIn('2026-07', 4, (i) => ({ score: scores[i] })));
    if (slug === 'v01') await addOrders(pool, id, ordersIn('2026-08', 4, (i) => ({ score: [5, 5, 5, 4][i] })));
  }
  const v11 = await addPartner(pool, 'v11', { joinedOn: '2026-01-01' });
  await addOrders(pool, v11, ordersIn('2026-10', 4, () => ({ score: 5 })));
});

describe('quarterly evolution', () => {
  it('ranks partners by their mean monthly score and marks the top 20% KEEP and the bottom 10% EXIT', async () => {
    const rows = await partnerEvolution(context(pool, Role.ADMIN), '2026-Q3');
    expect(rows.map((r) => [r.partnerSlug, r.rank, r.score, r.decision])).toEqual([
      ['v01', 1, '97.92', 'KEEP'],
      ['v02', 2, '95.83', 'KEEP'],
      ['v03', 3, '91.67', 'HOLD'],
      ['v04', 4, '87.50', 'HOLD'],
      ['v05', 5, '83.33', 'HOLD'],
      ['v06', 6, '79.17', 'HOLD'],
      ['v07', 7, '75.00', 'HOLD'],
      ['v08', 8, '70.83', 'HOLD'],
      ['v09', 9, '66.67', 'HOLD'],
      ['v10', 10, '62.50', 'EXIT'],
    ]);
    expect(rows[0]).toMatchObject({ quarter: '2026-Q3', monthsScored: 2, rankedCount: 10 });
    expect(rows[1]!.monthsScored).toBe(1);
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

  it('ranks nobody in a quarter without scores, and a lone partner is kept', async () => {
    expect(await partnerEvolution(context(pool, Role.ADMIN), '2026-Q2')).toEqual([]);
    const q4 = await partnerEvolution(context(pool, Role.ADMIN), '2026-Q4');
    expect(q4.map((r) => [r.partnerSlug, r.rank, r.decision])).toEqual([['v11', 1, 'KEEP']]);
  });

  it('parses quarters and refuses malformed ones', async () => {
    expect(quarterMonths('2026-Q3')).toEqual({ from: '2026-07-01', to: '2026-09-01' });
    expect(quarterMonths('2026-Q1')).toEqual({ from: '2026-01-01', to: '2026-03-01' });
    expect(quarterMonths('2026-Q5')).toBeNull();
    await expect(partnerEvolution(context(pool, Role.ADMIN), '2026Q3')).rejects.toThrow(/YYYY-Qn/);
  });

  it('is served to internal roles and denied to partners over GraphQL', async () => {
    const source = '{ partnerEvolution(quarter: "2026-Q3") { rank partnerSlug decision } }';
    const dash = await run({ source, contextValue: context(pool, Role.DASHBOARD) });
    expect(dash.errors).toBeUndefined();
    expect((dash.data as any).partnerEvolution).toHaveLength(10);
    const partner = await run({ source, contextValue: context(pool, Role.PARTNER, { partnerId: 1 }) });
    expect(partner.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
