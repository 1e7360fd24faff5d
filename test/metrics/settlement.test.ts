// Settlement arithmetic to the cent for the three models (001 机制1), through the colleague's SQL
// rule src/metrics/settlements/settlement.sql.ts, on hand-built orders of March 2026.
import { beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { formatMinor } from '../../src/graphql/scalars';
import { settlementUpsertSql } from '../../src/metrics/settlements/settlement.sql';
import { addAgreement, addOrders, addPartner, migratedDatabase } from './fixtures';

let pool: pg.Pool;
interface SettlementRow {
  slug: string;
  month: string;
  model: string;
  order_count: number;
  gross_minor: string;
  partner_share_minor: string;
  platform_share_minor: string;
}
let rows: SettlementRow[];
const row = (slug: string, month = '2026-03-01') => rows.find((r) => r.slug === slug && r.month === month);

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
  // PLATFORM_FEE 500.00 a month on a gross of 120.00 + 80.00 = 200.00: platform 500.00, partner -300.00.
  const f = await addPartner(pool, 'platform-fee');
  await addAgreement(pool, f, { model: 'PLATFORM_FEE', monthlyFeeMinor: 50_000 });
  await addOrders(pool, f, [
    { at: '2026-03-10T09:00:00+08:00', amountMinor: 12_000 },
    { at: '2026-03-11T09:00:00+08:00', amountMinor: 8_000 },
  ]);
  // No agreement at all: no settlement row.
  const n = await addPartner(pool, 'no-agreement');
  await addOrders(pool, n, [{ at: '2026-03-10T09:00:00+08:00', amountMinor: 12_000 }]);

  const s = settlementUpsertSql({ from: '2026-03', to: '2026-04' });
  await pool.query(s.sql, s.params);
  rows = (
    await pool.query<SettlementRow>(
      `select p.slug, to_char(s.month, 'YYYY-MM-DD') as month, s.model, s.order_count, s.gross_minor, s.partner_share_minor, s.platform_share_minor
       from settlement s join partner p on p.id = s.partner_id order by p.slug, s.month`,
    )
  ).rows;
});

describe('monthly settlement', () => {
  it('rounds a COMMISSION share half away from zero, in the Shanghai month of the order', () => {
    expect(row('commission')).toMatchObject({ model: 'COMMISSION', order_count: 2, gross_minor: '1010', platform_share_minor: '51', partner_share_minor: '959' });
    expect(formatMinor(row('commission')!.platform_share_minor)).toBe('0.51');
    expect(row('commission', '2026-04-01')).toMatchObject({ order_count: 1, gross_minor: '7777', platform_share_minor: '389', partner_share_minor: '7388' });
  });

  it('takes REVENUE_SHARE from the agreement in force that month', () => {
    expect(row('revenue-share')).toMatchObject({ model: 'REVENUE_SHARE', order_count: 2, gross_minor: '123455', platform_share_minor: '37037', partner_share_minor: '86418' });
    expect(formatMinor(row('revenue-share')!.partner_share_minor)).toBe('864.18');
  });

  it('charges the whole PLATFORM_FEE when it is above the gross, leaving the partner a negative share', () => {
    expect(row('platform-fee')).toMatchObject({ model: 'PLATFORM_FEE', gross_minor: '20000', platform_share_minor: '50000', partner_share_minor: '-30000' });
    expect(formatMinor(row('platform-fee')!.partner_share_minor)).toBe('-300.00');
  });

  it('always splits the gross exactly, and skips partners without an agreement', () => {
    for (const r of rows) expect(BigInt(r.partner_share_minor) + BigInt(r.platform_share_minor)).toBe(BigInt(r.gross_minor));
    expect(rows.some((r) => r.slug === 'no-agreement')).toBe(false);
  });
});
