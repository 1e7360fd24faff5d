// Settlement arithmetic to the cent (001 机制1), through the colleague's SQL rule
// src/metrics/settlements/settlement.sql.ts, on hand-built orders and agreements of March to May
// 2026: the three models, the PLATFORM_FEE charged every month in force (pro rata in a partial
// month), GOLD's lower commission, cost-plus orders (the courtesy car); then the seeded data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isObjectType } from 'graphql';
import type pg from 'pg';
import { createPool } from '../../src/db/pool';
import { fullSchema } from '../../src/graphql/schema';
import { formatMinor } from '../../src/graphql/scalars';
import { DEFAULT_SETTLEMENT_TERMS, settlementUpsertSql } from '../../src/metrics/settlements/settlement.sql';
import { tierInfoOf } from '../../src/permissions/tier-field';
import { Tier } from '../../src/permissions/tier';
import { WINDOW_END, WINDOW_START } from '../../seeds/synthetic/calendar';
import { useTestDatabase } from '../setup/database';
import { addAgreement, addOrders, addPartner, migratedDatabase, testConfig, type OrderSpec } from './fixtures';

let pool: pg.Pool;
interface SettlementRow {
  slug: string;
  month: string;
  model: string;
  order_count: number;
  gross_minor: string;
  partner_share_minor: string;
  platform_share_minor: string;
  margin_minor: string;
}
let rows: SettlementRow[];
const row = (slug: string, month = '2026-03-01') => rows.find((r) => r.slug === slug && r.month === month);
const monthsOf = (slug: string) => rows.filter((r) => r.slug === slug).map((r) => r.month);

async function readRows(): Promise<SettlementRow[]> {
  return (
    await pool.query<SettlementRow>(
      `select p.slug, to_char(s.month, 'YYYY-MM-DD') as month, s.model, s.order_count, s.gross_minor, s.partner_share_minor,
              s.platform_share_minor, s.margin_minor
       from settlement s join partner p on p.id = s.partner_id order by p.slug, s.month`,
    )
  ).rows;
}

/** Orders bought from the partner at cost: addOrders, then cost_minor on each (distinct `at`s). */
async function addCostPlusOrders(partnerId: number, orders: Array<OrderSpec & { costMinor: number }>): Promise<void> {
  await addOrders(pool, partnerId, orders);
  for (const o of orders) {
    await pool.query('update service_order set cost_minor = $3 where partner_id = $1 and created_at = $2', [partnerId, o.at, o.costMinor]);
  }
}

async function setTier(partnerId: number, month: string, tier: string): Promise<void> {
  await pool.query(
    `insert into partner_tier_history (partner_id, month, tier, average_rating, complaint_rate, order_count, reason)
     values ($1, $2, $3, 4.9, 0, 30, 'test')`,
    [partnerId, month, tier],
  );
}

beforeAll(async () => {
  pool = await migratedDatabase();
  // COMMISSION 5%: March gross 3.33 + 6.77 = 10.10 yuan (1010 fen); 1010 * 0.05 = 50.5 -> 51 fen
  // (half away from zero; half-even would give 50); partner 1010 - 51 = 959.
  //  - the 3.33 order is created 2026-03-01 00:10 Shanghai time (still February in UTC): March;
  //  - a CANCELLED order does not count; an order at 2026-04-01 00:30 Shanghai time (31 March in UTC) is April's.
  const c = await addPartner(pool, 'commission');
  await addAgreement(pool, c, { model: 'COMMISSION', commissionRate: '0.05' });
  await addOrders(pool, c, [
    { at: '2026-03-01T00:10:00+08:00', amountMinor: 333 },
    { at: '2026-03-20T12:00:00+08:00', amountMinor: 677 },
    { at: '2026-03-21T12:00:00+08:00', amountMinor: 5000, status: 'CANCELLED' },
    { at: '2026-04-01T00:30:00+08:00', amountMinor: 7777 },
  ]);
  // REVENUE_SHARE 30%, from an agreement that starts in March (the February COMMISSION one ended):
  // gross 1000.00 + 234.55 = 1234.55 yuan (123455 fen); 123455 * 0.3 = 37036.5 -> 37037; partner 86418.
  const r = await addPartner(pool, 'revenue-share');
  await addAgreement(pool, r, { model: 'COMMISSION', commissionRate: '0.10', validFrom: '2025-01-01', validTo: '2026-02-28' });
  await addAgreement(pool, r, { model: 'REVENUE_SHARE', revenueShareRate: '0.30', validFrom: '2026-03-01' });
  await addOrders(pool, r, [
    { at: '2026-03-05T09:00:00+08:00', amountMinor: 100_000 },
    { at: '2026-03-06T09:00:00+08:00', amountMinor: 23_455 },
    { at: '2026-03-07T09:00:00+08:00', amountMinor: 99_999, status: 'IN_PROGRESS' },
  ]);
  // PLATFORM_FEE 500.00 a month, in force all along: March, on a gross of 120.00 + 80.00 = 200.00,
  // platform 500.00, partner -300.00; April and May have no order and are charged 500.00 each.
  const f = await addPartner(pool, 'platform-fee');
  await addAgreement(pool, f, { model: 'PLATFORM_FEE', monthlyFeeMinor: 50_000 });
  await addOrders(pool, f, [
    { at: '2026-03-10T09:00:00+08:00', amountMinor: 12_000 },
    { at: '2026-03-11T09:00:00+08:00', amountMinor: 8_000 },
  ]);
  // PLATFORM_FEE 300.01 in force 2026-03-11 to 2026-04-15, pro rata:
  //   March 11-31 = 21 of 31 days: 30001 * 21 / 31 = 20323.26 -> 20323; one order of 50.00: partner 5000 - 20323 = -15323;
  //   April 1-15 = 15 of 30 days: 30001 * 15 / 30 = 15000.5 -> 15001 (half away from zero), no order: partner -15001;
  //   May: not in force, no row.
  const p = await addPartner(pool, 'fee-partial');
  await addAgreement(pool, p, { model: 'PLATFORM_FEE', monthlyFeeMinor: 30_001, validFrom: '2026-03-11', validTo: '2026-04-15' });
  await addOrders(pool, p, [{ at: '2026-03-12T09:00:00+08:00', amountMinor: 5_000 }]);
  // PLATFORM_FEE amended on 16 March from 200.00 to 400.00 a month: March is charged once, each
  // version for its days: (20000 * 15 + 40000 * 16) / 31 = 940000 / 31 = 30322.58 -> 30323; April 40000.
  const v = await addPartner(pool, 'fee-amended');
  await addAgreement(pool, v, { model: 'PLATFORM_FEE', monthlyFeeMinor: 20_000, validFrom: '2025-01-01', validTo: '2026-03-15' });
  await addAgreement(pool, v, { model: 'PLATFORM_FEE', monthlyFeeMinor: 40_000, validFrom: '2026-03-16' });
  // COMMISSION 8%, GOLD in March and SILVER in April, the same gross 123.45 + 200.00 = 323.45 each month:
  //   March (GOLD, 20% lower): 32345 * 0.08 * 0.8 = 32345 * 0.064 = 2070.08 -> 2070; partner 30275;
  //   April (SILVER):          32345 * 0.08 = 2587.6 -> 2588; partner 29757.
  const g = await addPartner(pool, 'gold');
  await addAgreement(pool, g, { model: 'COMMISSION', commissionRate: '0.08' });
  await addOrders(pool, g, [
    { at: '2026-03-03T09:00:00+08:00', amountMinor: 12_345 },
    { at: '2026-03-04T09:00:00+08:00', amountMinor: 20_000 },
    { at: '2026-04-03T09:00:00+08:00', amountMinor: 12_345 },
    { at: '2026-04-04T09:00:00+08:00', amountMinor: 20_000 },
  ]);
  await setTier(g, '2026-03-01', 'GOLD');
  await setTier(g, '2026-04-01', 'SILVER');
  // Courtesy car (DOMAIN worked example) under a COMMISSION 10% agreement: bought from the partner at
  // 100.00 a day, charged 120.00 a day. March: a 1-day order 120.00 (cost 100.00) and a 3-day order
  // 360.00 (cost 300.00), a cancelled 1-day one, and one list order of 500.00.
  //   gross 12000 + 36000 + 50000 = 98000; margin (12000 - 10000) + (36000 - 30000) = 2000 + 6000 = 8000;
  //   earned: the costs 40000 + the list order 50000 = 90000; commission 90000 * 0.10 = 9000;
  //   platform 9000 + 8000 = 17000; partner 98000 - 17000 = 81000 (= 90000 earned - 9000).
  const car = await addPartner(pool, 'courtesy-car');
  await addAgreement(pool, car, { model: 'COMMISSION', commissionRate: '0.10' });
  await addCostPlusOrders(car, [
    { at: '2026-03-02T09:00:00+08:00', amountMinor: 12_000, costMinor: 10_000 },
    { at: '2026-03-05T09:00:00+08:00', amountMinor: 36_000, costMinor: 30_000 },
    { at: '2026-03-06T09:00:00+08:00', amountMinor: 12_000, costMinor: 10_000, status: 'CANCELLED' },
  ]);
  await addOrders(pool, car, [{ at: '2026-03-08T09:00:00+08:00', amountMinor: 50_000 }]);
  // A subscribed member's courtesy car day is free, the platform bears the cost (REVENUE_SHARE 30%
  // agreement): the free order amount 0, cost 100.00 -> margin -10000; one list order of 200.00.
  //   earned 10000 + 20000 = 30000 -> share 9000; gross 20000; platform 9000 - 10000 = -1000;
  //   partner 20000 + 1000 = 21000 (= earned 30000 - 9000).
  const m = await addPartner(pool, 'member-car');
  await addAgreement(pool, m, { model: 'REVENUE_SHARE', revenueShareRate: '0.30' });
  await addCostPlusOrders(m, [{ at: '2026-03-09T09:00:00+08:00', amountMinor: 0, costMinor: 10_000 }]);
  await addOrders(pool, m, [{ at: '2026-03-10T09:00:00+08:00', amountMinor: 20_000 }]);
  // No agreement at all: no settlement row.
  const n = await addPartner(pool, 'no-agreement');
  await addOrders(pool, n, [{ at: '2026-03-10T09:00:00+08:00', amountMinor: 12_000 }]);

  const s = settlementUpsertSql({ from: '2026-03', to: '2026-05' });
  await pool.query(s.sql, s.params);
  rows = await readRows();
});

describe('monthly settlement', () => {
  it('rounds a COMMISSION share half away from zero, in the Shanghai month of the order', () => {
    expect(row('commission')).toMatchObject({ model: 'COMMISSION', order_count: 2, gross_minor: '1010', platform_share_minor: '51', partner_share_minor: '959', margin_minor: '0' });
    expect(formatMinor(row('commission')!.platform_share_minor)).toBe('0.51');
    expect(row('commission', '2026-04-01')).toMatchObject({ order_count: 1, gross_minor: '7777', platform_share_minor: '389', partner_share_minor: '7388' });
    expect(monthsOf('commission')).toEqual(['2026-03-01', '2026-04-01']); // no order in May: no row
  });

  it('takes REVENUE_SHARE from the agreement in force that month', () => {
    expect(row('revenue-share')).toMatchObject({ model: 'REVENUE_SHARE', order_count: 2, gross_minor: '123455', platform_share_minor: '37037', partner_share_minor: '86418' });
    expect(formatMinor(row('revenue-share')!.partner_share_minor)).toBe('864.18');
  });

  it('charges the whole PLATFORM_FEE when it is above the gross, leaving the partner a negative share', () => {
    expect(row('platform-fee')).toMatchObject({ model: 'PLATFORM_FEE', gross_minor: '20000', platform_share_minor: '50000', partner_share_minor: '-30000' });
    expect(formatMinor(row('platform-fee')!.partner_share_minor)).toBe('-300.00');
  });

  it('charges the PLATFORM_FEE every month in force, months without orders too', () => {
    for (const month of ['2026-04-01', '2026-05-01']) {
      expect(row('platform-fee', month)).toMatchObject({ model: 'PLATFORM_FEE', order_count: 0, gross_minor: '0', platform_share_minor: '50000', partner_share_minor: '-50000', margin_minor: '0' });
    }
    expect(row('fee-amended', '2026-04-01')).toMatchObject({ model: 'PLATFORM_FEE', order_count: 0, platform_share_minor: '40000', partner_share_minor: '-40000' });
  });

  it('charges a partial first or last month pro rata: fee * days in force / days in month, half away from zero', () => {
    expect(row('fee-partial')).toMatchObject({ model: 'PLATFORM_FEE', order_count: 1, gross_minor: '5000', platform_share_minor: '20323', partner_share_minor: '-15323' });
    expect(row('fee-partial', '2026-04-01')).toMatchObject({ order_count: 0, gross_minor: '0', platform_share_minor: '15001', partner_share_minor: '-15001' });
    expect(monthsOf('fee-partial')).toEqual(['2026-03-01', '2026-04-01']);
    // Amended mid-month: each version for its own days, one row, one rounding.
    expect(row('fee-amended')).toMatchObject({ model: 'PLATFORM_FEE', order_count: 0, platform_share_minor: '30323', partner_share_minor: '-30323' });
  });

  it("lowers a GOLD month's commission by the configured share, not a SILVER month's", () => {
    expect(DEFAULT_SETTLEMENT_TERMS.goldCommissionDiscount).toBe(0.2);
    expect(testConfig().metrics.settlement.goldCommissionDiscount).toBe(0.2);
    expect(row('gold')).toMatchObject({ model: 'COMMISSION', order_count: 2, gross_minor: '32345', platform_share_minor: '2070', partner_share_minor: '30275' });
    expect(row('gold', '2026-04-01')).toMatchObject({ model: 'COMMISSION', order_count: 2, gross_minor: '32345', platform_share_minor: '2588', partner_share_minor: '29757' });
  });

  it('takes the GOLD discount from configuration', async () => {
    expect(testConfig({ SETTLEMENT_GOLD_COMMISSION_DISCOUNT: '0.5' }).metrics.settlement.goldCommissionDiscount).toBe(0.5);
    expect(() => testConfig({ SETTLEMENT_GOLD_COMMISSION_DISCOUNT: '1.5' })).toThrow(/SETTLEMENT_GOLD_COMMISSION_DISCOUNT/);
    expect(() => settlementUpsertSql({ from: '2026-03', to: '2026-03' }, { goldCommissionDiscount: -0.1 })).toThrow(/goldCommissionDiscount/);
    const client = await pool.connect();
    try {
      await client.query('begin');
      // 50% lower: 32345 * 0.08 * 0.5 = 1293.8 -> 1294. SILVER April unchanged.
      const s = settlementUpsertSql({ from: '2026-03', to: '2026-04' }, { goldCommissionDiscount: 0.5 });
      await client.query(s.sql, s.params);
      const { rows: g } = await client.query(
        `select to_char(s.month, 'YYYY-MM') as month, s.platform_share_minor from settlement s join partner p on p.id = s.partner_id where p.slug = 'gold' order by 1`,
      );
      expect(g).toEqual([{ month: '2026-03', platform_share_minor: '1294' }, { month: '2026-04', platform_share_minor: '2588' }]);
    } finally {
      await client.query('rollback');
      client.release();
    }
  });

  it('buys cost-plus orders at cost: the partner gets the cost, the platform the margin (courtesy car 100 -> 120 a day)', () => {
    expect(row('courtesy-car')).toMatchObject({ model: 'COMMISSION', order_count: 3, gross_minor: '98000', margin_minor: '8000', platform_share_minor: '17000', partner_share_minor: '81000' });
    expect(formatMinor(row('courtesy-car')!.margin_minor)).toBe('80.00');
  });

  it("records a negative margin for a subscribed member's free order, the platform bearing the cost", () => {
    expect(row('member-car')).toMatchObject({ model: 'REVENUE_SHARE', order_count: 2, gross_minor: '20000', margin_minor: '-10000', platform_share_minor: '-1000', partner_share_minor: '21000' });
  });

  it('always splits the gross exactly, and skips partners without an agreement', () => {
    for (const r of rows) expect(BigInt(r.partner_share_minor) + BigInt(r.platform_share_minor)).toBe(BigInt(r.gross_minor));
    expect(rows.some((r) => r.slug === 'no-agreement')).toBe(false);
  });

  it('is refreshed, not duplicated, when the range is settled again', async () => {
    const s = settlementUpsertSql({ from: '2026-03', to: '2026-05' });
    await pool.query(s.sql, s.params);
    expect(await readRows()).toEqual(rows);
  });

  it('exposes the margin on the Settlement type with the tier of platformShare', () => {
    const t = fullSchema().getType('Settlement');
    if (!isObjectType(t)) throw new Error('no Settlement type');
    const fields = t.getFields();
    expect(fields.margin).toBeDefined();
    expect(tierInfoOf(fields.margin!.extensions)?.tier).toBe(Tier.PUBLIC);
    expect(tierInfoOf(fields.margin!.extensions)?.tier).toBe(tierInfoOf(fields.platformShare!.extensions)?.tier);
  });
});

describe('settlements of the seeded data', () => {
  let seeded: pg.Pool;
  beforeAll(async () => {
    seeded = createPool(await useTestDatabase(), testConfig());
  });
  afterAll(() => seeded.end());

  /** Every (PLATFORM_FEE agreement, month of the window it covers at least one day of), with the days covered. */
  const FEE_MONTHS = `
    select a.partner_id, m.month::date as month, a.monthly_fee_minor,
           least(coalesce(a.valid_to, (m.month + interval '1 month' - interval '1 day')::date), (m.month + interval '1 month' - interval '1 day')::date)
             - greatest(a.valid_from, m.month::date) + 1 as days,
           ((m.month + interval '1 month')::date - m.month::date) as month_days
    from agreement a
    cross join generate_series($1::date, $2::date, interval '1 month') m(month)
    where a.settlement_model = 'PLATFORM_FEE'
      and a.valid_from <= (m.month + interval '1 month' - interval '1 day')::date
      and (a.valid_to is null or a.valid_to >= m.month::date)`;

  it('has a settlement row for every partner-month with a PLATFORM_FEE agreement in force', async () => {
    const all = await seeded.query(`select count(*)::int as n from (${FEE_MONTHS}) x`, [WINDOW_START, WINDOW_END]);
    expect(all.rows[0].n).toBeGreaterThan(0);
    const missing = await seeded.query(`select partner_id, month from (${FEE_MONTHS}) x except select partner_id, month from settlement`, [WINDOW_START, WINDOW_END]);
    expect(missing.rows).toEqual([]);
  });

  it('charges each such month the fee, pro rata in a partial month, on top of any order share', async () => {
    // The seed has one agreement per partner and no cost-plus order: platform_share = fee share +
    // commission or revenue share of the orders (0 under PLATFORM_FEE).
    const wrong = await seeded.query(
      `select x.partner_id, x.month, s.platform_share_minor, x.monthly_fee_minor, x.days, x.month_days
       from (${FEE_MONTHS}) x join settlement s on s.partner_id = x.partner_id and s.month = x.month
       where s.model <> 'PLATFORM_FEE' or s.margin_minor <> 0
          or s.platform_share_minor <> round(x.monthly_fee_minor::numeric * x.days / x.month_days)`,
      [WINDOW_START, WINDOW_END],
    );
    expect(wrong.rows).toEqual([]);
    const partial = await seeded.query(`select count(*)::int as n from (${FEE_MONTHS}) x where x.days < x.month_days`, [WINDOW_START, WINDOW_END]);
    expect(partial.rows[0].n).toBeGreaterThan(0);
  });
});
