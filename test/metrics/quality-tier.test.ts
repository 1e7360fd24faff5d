// The boundaries of the quality tiers (001 机制3), through the colleague's SQL rule
// src/metrics/quality/quality-tier.sql.ts, on hand-built partners. minOrders = 20 (default).
import { beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { partnerTierUpdateSql, tierHistoryUpsertSql } from '../../src/metrics/quality/quality-tier.sql';
import { addOrders, addPartner, migratedDatabase, ordersIn, testConfig } from './fixtures';

let pool: pg.Pool;
const ids: Record<string, number> = {};

interface TierRow {
  slug: string;
  month: string;
  tier: string | null;
  reason: string;
  order_count: number;
}
let history: TierRow[];
const tierOf = (slug: string, month: string) => history.find((h) => h.slug === slug && h.month === `${month}-01`);

beforeAll(async () => {
  pool = await migratedDatabase();
  for (const slug of ['rating-480', 'complaints-050', 'complaints-0497', 'rating-400', 'yellow-streak', 'too-few']) {
    ids[slug] = await addPartner(pool, slug, { joinedOn: '2025-12-01' });
  }
  // rating exactly 4.8: 20 x 5 + 5 x 4 = 120 / 25 = 4.80, no complaints -> not GOLD (needs > 4.8): SILVER
  await addOrders(pool, ids['rating-480']!, ordersIn('2026-01', 25, (i) => ({ score: i < 20 ? 5 : 4 })));
  // complaint rate exactly 0.5%: 1 complaint on 200 orders, 20 rated 5.0 -> not GOLD (needs < 0.5%): SILVER
  await addOrders(pool, ids['complaints-050']!, ordersIn('2026-01', 200, (i) => ({ score: i < 20 ? 5 : undefined, complaint: i === 0 ? true : undefined })));
  // 1 complaint on 201 orders = 0.4975% < 0.5%, rating 5.0 -> GOLD
  await addOrders(pool, ids['complaints-0497']!, ordersIn('2026-01', 201, (i) => ({ score: i < 20 ? 5 : undefined, complaint: i === 0 ? true : undefined })));
  // rating exactly 4.0 (20 x 4): not above 4.0 -> YELLOW_CARD by the documented boundary decision
  await addOrders(pool, ids['rating-400']!, ordersIn('2026-01', 20, () => ({ score: 4 })));
  // 3.0 in January, February and March, nothing in April
  for (const m of ['2026-01', '2026-02', '2026-03']) await addOrders(pool, ids['yellow-streak']!, ordersIn(m, 20, () => ({ score: 3 })));
  // 19 rated + 6 unrated orders: fewer than minOrders (20) rated orders -> no tier
  await addOrders(pool, ids['too-few']!, ordersIn('2026-01', 25, (i) => ({ score: i < 19 ? 5 : undefined })));

  const q = testConfig().metrics.quality;
  const upsert = tierHistoryUpsertSql({ from: '2026-01', to: '2026-04' }, q);
  await pool.query(upsert.sql, upsert.params);
  const update = partnerTierUpdateSql();
  await pool.query(update.sql, update.params);
  history = (
    await pool.query<TierRow>(
      `select p.slug, to_char(h.month, 'YYYY-MM-DD') as month, h.tier, h.reason, h.order_count
       from partner_tier_history h join partner p on p.id = h.partner_id order by p.slug, h.month`,
    )
  ).rows;
});

describe('quality tiers at their boundaries', () => {
  it('do not give GOLD for a rating of exactly 4.8', () => {
    const h = tierOf('rating-480', '2026-01')!;
    expect(h.tier).toBe('SILVER');
    expect(h.reason).toBe('rating 4.80 > 4.5 and complaint rate 0.00% < 1%');
  });

  it('do not give GOLD for a complaint rate of exactly 0.5%, and do just below it', () => {
    expect(tierOf('complaints-050', '2026-01')).toMatchObject({ tier: 'SILVER', order_count: 200 });
    expect(tierOf('complaints-050', '2026-01')!.reason).toBe('rating 5.00 > 4.5 and complaint rate 0.50% < 1%');
    expect(tierOf('complaints-0497', '2026-01')).toMatchObject({ tier: 'GOLD', order_count: 201 });
  });

  it('give a YELLOW_CARD to a rating of exactly 4.0 (not above the BRONZE limit)', () => {
    expect(tierOf('rating-400', '2026-01')).toMatchObject({ tier: 'YELLOW_CARD', reason: 'rating 4.00 is not above 4.0' });
  });

  it('mark the third consecutive yellow month EXITED, not the second', () => {
    expect(tierOf('yellow-streak', '2026-01')!.tier).toBe('YELLOW_CARD');
    expect(tierOf('yellow-streak', '2026-02')!.tier).toBe('YELLOW_CARD');
    expect(tierOf('yellow-streak', '2026-03')).toMatchObject({ tier: 'EXITED', reason: 'yellow card 3 months in a row (rating 3.00 < 4.0)' });
  });

  it('give a month without orders no tier, with the reason "no orders"', () => {
    expect(tierOf('yellow-streak', '2026-04')).toMatchObject({ tier: null, reason: 'no orders', order_count: 0 });
    expect(tierOf('rating-480', '2026-02')).toMatchObject({ tier: null, reason: 'no orders' });
  });

  it('give no tier to fewer than minOrders rated orders', () => {
    expect(tierOf('too-few', '2026-01')).toMatchObject({ tier: null, reason: 'too few orders (19)', order_count: 25 });
  });

  it('set the partner’s current tier from its latest tiered month, and EXITED status', async () => {
    const r = await pool.query<{ slug: string; quality_tier: string | null; status: string }>('select slug, quality_tier, status from partner order by slug');
    const bySlug = Object.fromEntries(r.rows.map((p) => [p.slug, p]));
    expect(bySlug['yellow-streak']).toMatchObject({ quality_tier: 'EXITED', status: 'EXITED' });
    expect(bySlug['rating-480']).toMatchObject({ quality_tier: 'SILVER', status: 'ACTIVE' });
    expect(bySlug['too-few']).toMatchObject({ quality_tier: null, status: 'ACTIVE' });
  });
});
