// The SLA breach rate (src/metrics/rollups/refresh.ts) on hand-built months, through GraphQL
// (ecosystemMetrics from metric_group and, with a filter, from metric_cube), the alert rule
// 'sla-breach-rate-above-10', and the rollup dirty-marking of order and agreement writes.
//
// An order is answered when response_minutes is not null; it counts for the rate only when its
// partner has an agreement in force in the order's month (valid in the month, latest valid_from,
// then highest id); it breaches when response_minutes > that agreement's sla_response_minutes.
//
// s1: A1 SLA 30 valid 2026-01-01..2026-02-28; A2 SLA 60 valid from 2026-03-01; A0 SLA 15 valid
//     from 2025-06-01, inserted last (highest id) but never the latest valid_from, so never chosen.
//   Jan (A1, 30): 10, 20, 29, 30, 30, 31, 45 CAR_WASH; null, null, 60 ROAD_RESCUE
//                 answered 8, breaches 31, 45, 60 = 3 -> 0.3750 (exactly 30 is on time)
//                 CAR_WASH 2/7 = 0.2857, ROAD_RESCUE 1/1 = 1.0000
//   Feb (A1, 30): 30, 31, 10, 10, null -> 1/4 = 0.2500
//   Mar (A2, 60): 31, 45, 60, 61 -> 1/4 = 0.2500 (under A1 it would be 3/4, under A0 4/4)
//   Q1: 5/16 = 0.3125
// s2: SLA 20 valid from 2025-01-01
//   Jan: 20 x 9, 21 -> 1/10 = 0.1000 (not above 10%); Feb: 15 x 8, 22, 40 -> 2/10 = 0.2000;
//   Mar: 20 x 5 -> 0/5 = 0.0000
// s3: no agreement; Jan: 100, 100, 100 -> answered for the rate 0, rate null
// All partners, by month: Jan 4/18 = 0.2222, Feb 3/14 = 0.2143, Mar 1/9 = 0.1111; Q1 8/41 = 0.1951
import { beforeAll, describe, expect, it } from 'vitest';
import { graphql, parse } from 'graphql';
import type pg from 'pg';
import { fullSchema } from '../../src/graphql/schema';
import { partnerEvaluations } from '../../src/metrics/evaluation/evaluation.service';
import { refreshStale } from '../../src/metrics/rollups/refresh';
import { checkOperation, shieldRules } from '../../src/permissions/shield';
import { Role } from '../../src/permissions/tier';
import type { Context } from '../../src/server/context';
import { type OrderSpec, addAgreement, addOrders, addPartner, context, migratedDatabase, ordersIn, testConfig } from './fixtures';

let pool: pg.Pool;
const ids: Record<string, number> = {};

/** One order per entry on the 15th of `month`, answered after that many minutes (null: not answered). */
function responses(month: string, minutes: (number | null)[], extra: (i: number) => Partial<OrderSpec> = () => ({})): OrderSpec[] {
  return ordersIn(month, minutes.length, (i) => ({ responseMinutes: minutes[i], ...extra(i) }));
}

async function gql(ctx: Context, source: string, variableValues?: Record<string, unknown>): Promise<any> {
  const schema = fullSchema();
  const denied = await checkOperation(shieldRules(schema), schema, parse(source), ctx);
  expect(denied?.message).toBeUndefined();
  const res = await graphql({ schema, source, variableValues, contextValue: ctx });
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data;
}

const Q = `query($g: MetricGranularity, $by: MetricDimension, $where: MetricFilter) {
  ecosystemMetrics(from: "2026-01-01", to: "2026-04-01", granularity: $g, groupBy: $by, where: $where) {
    series { key points { period suppressed orders slaAnsweredOrders slaBreachRate } }
    total { points { period suppressed orders slaAnsweredOrders slaBreachRate } }
  }
}`;

type Cell = [answered: number | null, rate: string | null];

/** period -> [slaAnsweredOrders, slaBreachRate] of one series (the total when key is undefined). */
async function sla(vars: Record<string, unknown>, key?: string, ctx = context(pool, Role.DASHBOARD)): Promise<Record<string, Cell>> {
  const m = (await gql(ctx, Q, vars)).ecosystemMetrics;
  const s = key === undefined ? m.total : m.series.find((x: any) => x.key === key);
  if (!s) return {};
  return Object.fromEntries(s.points.map((p: any) => [p.period, [p.slaAnsweredOrders, p.slaBreachRate]]));
}

async function slaAlerts(): Promise<{ scopeKey: string; periods: string[]; values: string[]; current: boolean }[]> {
  const d = await gql(context(pool, Role.DASHBOARD), '{ alerts(currentOnly: false) { rule { slug } scopeKey periods values current } }');
  return d.alerts.filter((a: any) => a.rule.slug === 'sla-breach-rate-above-10').map(({ rule: _r, ...a }: any) => a);
}

async function dirtyMonths(): Promise<string[]> {
  return (await pool.query<{ m: string }>('select month::text as m from metric_dirty_month order by 1')).rows.map((r) => r.m);
}

beforeAll(async () => {
  pool = await migratedDatabase();
  for (const slug of ['s1', 's2', 's3']) ids[slug] = await addPartner(pool, slug, { joinedOn: '2025-01-01' });
  await addAgreement(pool, ids.s1!, { model: 'COMMISSION', commissionRate: '0.05', slaMinutes: 30, validFrom: '2026-01-01', validTo: '2026-02-28' });
  await addAgreement(pool, ids.s1!, { model: 'COMMISSION', commissionRate: '0.05', slaMinutes: 60, validFrom: '2026-03-01' });
  await addAgreement(pool, ids.s1!, { model: 'COMMISSION', commissionRate: '0.05', slaMinutes: 15, validFrom: '2025-06-01' });
  await addAgreement(pool, ids.s2!, { model: 'COMMISSION', commissionRate: '0.05', slaMinutes: 20, validFrom: '2025-01-01' });
  await addOrders(pool, ids.s1!, responses('2026-01', [10, 20, 29, 30, 30, 31, 45, null, null, 60], (i) => ({ serviceType: i >= 7 ? 'ROAD_RESCUE' : 'CAR_WASH' })));
  await addOrders(pool, ids.s1!, responses('2026-02', [30, 31, 10, 10, null]));
  await addOrders(pool, ids.s1!, responses('2026-03', [31, 45, 60, 61]));
  await addOrders(pool, ids.s2!, responses('2026-01', [20, 20, 20, 20, 20, 20, 20, 20, 20, 21]));
  await addOrders(pool, ids.s2!, responses('2026-02', [15, 15, 15, 15, 15, 15, 15, 15, 22, 40]));
  await addOrders(pool, ids.s2!, responses('2026-03', [20, 20, 20, 20, 20]));
  await addOrders(pool, ids.s3!, responses('2026-01', [100, 100, 100]));
  await refreshStale(pool);
});

describe('SLA breach rate', () => {
  it('counts answered orders against the agreement in force in their month, exactly at the SLA on time', async () => {
    expect(await sla({ g: 'MONTH', by: 'TOTAL' })).toEqual({ '2026-01': [18, '0.2222'], '2026-02': [14, '0.2143'], '2026-03': [9, '0.1111'] });
    const byPartner = { g: 'MONTH', by: 'PARTNER' };
    expect(await sla(byPartner, String(ids.s1))).toEqual({ '2026-01': [8, '0.3750'], '2026-02': [4, '0.2500'], '2026-03': [4, '0.2500'] });
    expect(await sla(byPartner, String(ids.s2))).toEqual({ '2026-01': [10, '0.1000'], '2026-02': [10, '0.2000'], '2026-03': [5, '0.0000'] });
    // No agreement in force: answered orders do not count, and the rate is null.
    expect(await sla(byPartner, String(ids.s3))).toEqual({ '2026-01': [0, null], '2026-02': [0, null], '2026-03': [0, null] });
    // Quarters are computed from the orders too: 5/16 for s1, 8/41 for everyone.
    expect(await sla({ g: 'QUARTER', by: 'PARTNER' }, String(ids.s1))).toEqual({ '2026-Q1': [16, '0.3125'] });
    expect(await sla({ g: 'QUARTER', by: 'TOTAL' })).toEqual({ '2026-Q1': [41, '0.1951'] });
  });

  it('agrees with the response speed of the partner evaluation (same agreement, same answered orders)', async () => {
    for (const [month, speed] of [['2026-01', '62.50'], ['2026-02', '75.00'], ['2026-03', '75.00']] as const) {
      const [row] = await partnerEvaluations(context(pool, Role.ADMIN), month, String(ids.s1));
      expect(row!.responseSpeed, month).toBe(speed);
    }
  });

  it('adds up from the cube under a filter by partner or service type', async () => {
    expect(await sla({ g: 'MONTH', by: 'TOTAL', where: { partnerIds: [String(ids.s1)] } })).toEqual({
      '2026-01': [8, '0.3750'],
      '2026-02': [4, '0.2500'],
      '2026-03': [4, '0.2500'],
    });
    expect(await sla({ g: 'QUARTER', by: 'TOTAL', where: { partnerIds: [String(ids.s1), String(ids.s3)] } })).toEqual({ '2026-Q1': [16, '0.3125'] });
    expect(await sla({ g: 'MONTH', by: 'TOTAL', where: { partnerIds: [String(ids.s1)], serviceTypes: ['ROAD_RESCUE'] } })).toEqual({
      '2026-01': [1, '1.0000'],
      '2026-02': [0, null],
      '2026-03': [0, null],
    });
    const carWash = { g: 'MONTH', by: 'PARTNER', where: { serviceTypes: ['CAR_WASH'] } };
    expect((await sla(carWash, String(ids.s1)))['2026-01']).toEqual([7, '0.2857']);
    expect((await sla(carWash, String(ids.s3)))['2026-01']).toEqual([0, null]);
  });

  it('shows partners null in suppressed cells, exact figures of their own, and noisy flagged ones otherwise', async () => {
    // One customer placed every order: with k = 2 every group, the total included, is small.
    const k2 = context(pool, Role.PARTNER, { partnerId: ids.s1, config: testConfig({ MIN_GROUP_SIZE: '2' }) });
    const m = (await gql(k2, Q, { g: 'MONTH', by: 'CITY' })).ecosystemMetrics;
    const shanghai = m.series.find((s: any) => s.key === 'Shanghai');
    for (const p of shanghai.points) expect(p).toMatchObject({ suppressed: true, orders: null, slaAnsweredOrders: null, slaBreachRate: null });
    for (const p of m.total.points) expect(p).toMatchObject({ suppressed: true, slaAnsweredOrders: null, slaBreachRate: null });
    // Its own partner's figures are exact.
    expect(await sla({ g: 'MONTH', by: 'PARTNER' }, String(ids.s1), k2)).toEqual({ '2026-01': [8, '0.3750'], '2026-02': [4, '0.2500'], '2026-03': [4, '0.2500'] });
    // Unsuppressed ecosystem cells are noisy (differential privacy) and carry their interval.
    const k1 = context(pool, Role.PARTNER, { partnerId: ids.s1, config: testConfig({ MIN_GROUP_SIZE: '1' }) });
    const noisy = (await gql(k1, `query($g: MetricGranularity!, $by: MetricDimension!) { ecosystemMetrics(from: "2026-01-01", to: "2026-04-01", granularity: $g, groupBy: $by) {
      series { key points { period suppressed slaAnsweredOrders noise { slaAnsweredOrders { scale interval95Low interval95High } } } } } }`, { g: 'MONTH', by: 'CITY' })).ecosystemMetrics;
    const city = noisy.series.find((s: any) => s.key === 'Shanghai');
    const truth: Record<string, number> = { '2026-01': 18, '2026-02': 14, '2026-03': 9 };
    for (const p of city.points) {
      expect(p.suppressed).toBe(false);
      expect(Number(p.noise.slaAnsweredOrders.scale)).toBeGreaterThan(0);
      expect(Number(p.noise.slaAnsweredOrders.interval95Low)).toBeLessThanOrEqual(Number(p.noise.slaAnsweredOrders.interval95High));
      expect(truth[p.period]).toBeDefined();
    }
  });

  it('raises the default alert for a partner above 10% two months in a row, not for one month', async () => {
    const rules = (await gql(context(pool, Role.ADMIN), '{ alertRules { slug metric scope granularity comparison threshold consecutivePeriods enabled } }')).alertRules;
    expect(rules.find((r: any) => r.slug === 'sla-breach-rate-above-10')).toEqual({
      slug: 'sla-breach-rate-above-10',
      metric: 'SLA_BREACH_RATE',
      scope: 'PARTNER',
      granularity: 'MONTH',
      comparison: 'GT',
      threshold: '0.100000',
      consecutivePeriods: 2,
      enabled: true,
    });
    // s2: 0.10 in January is not above 10%, February alone is one month.
    expect(await slaAlerts()).toEqual([{ scopeKey: String(ids.s1), periods: ['2026-01', '2026-02', '2026-03'], values: ['0.3750', '0.2500', '0.2500'], current: true }]);
  });

  it('shows a new late order after the refresh, and the alert it completes', async () => {
    await addOrders(pool, ids.s2!, responses('2026-03', [25]));
    expect(await dirtyMonths()).toEqual(['2026-03-01']);
    expect((await sla({ g: 'MONTH', by: 'PARTNER' }, String(ids.s2)))['2026-03']).toEqual([5, '0.0000']); // not yet refreshed
    await refreshStale(pool);
    expect(await dirtyMonths()).toEqual([]);
    expect((await sla({ g: 'MONTH', by: 'PARTNER' }, String(ids.s2)))['2026-03']).toEqual([6, '0.1667']);
    expect((await sla({ g: 'MONTH', by: 'TOTAL', where: { partnerIds: [String(ids.s2)] } }))['2026-03']).toEqual([6, '0.1667']);
    const s2 = (await slaAlerts()).find((a) => a.scopeKey === String(ids.s2));
    expect(s2).toEqual({ scopeKey: String(ids.s2), periods: ['2026-02', '2026-03'], values: ['0.2000', '0.1667'], current: true });
  });

  it('recomputes the months an agreement write touches, and only those', async () => {
    // A new SLA for s2 (valid from 2025, open): every month with s2 orders is stale.
    await pool.query('update agreement set sla_response_minutes = 25 where partner_id = $1', [ids.s2]);
    expect(await dirtyMonths()).toEqual(['2026-01-01', '2026-02-01', '2026-03-01']);
    await refreshStale(pool);
    // Jan 0/10, Feb 1/10 (only 40 > 25), Mar 0/6 (25 is on time): no alert for s2 any more.
    expect(await sla({ g: 'MONTH', by: 'PARTNER' }, String(ids.s2))).toEqual({ '2026-01': [10, '0.0000'], '2026-02': [10, '0.1000'], '2026-03': [6, '0.0000'] });
    expect((await slaAlerts()).map((a) => a.scopeKey)).toEqual([String(ids.s1)]);

    // Terms that do not choose or apply the agreement leave the rollups alone.
    await pool.query('update agreement set rate_limit_per_minute = 100, liability = $2 where partner_id = $1', [ids.s2, 'changed']);
    expect(await dirtyMonths()).toEqual([]);

    // An agreement whose validity holds no order of the partner marks nothing.
    await addAgreement(pool, ids.s3!, { model: 'COMMISSION', commissionRate: '0.05', slaMinutes: 50, validFrom: '2026-02-10' });
    expect(await dirtyMonths()).toEqual([]);

    // One valid in January (s3's only orders) marks January: 100 > 50 three times.
    await addAgreement(pool, ids.s3!, { model: 'COMMISSION', commissionRate: '0.05', slaMinutes: 50, validFrom: '2026-01-01', validTo: '2026-01-31' });
    expect(await dirtyMonths()).toEqual(['2026-01-01']);
    await refreshStale(pool);
    expect((await sla({ g: 'MONTH', by: 'PARTNER' }, String(ids.s3)))['2026-01']).toEqual([3, '1.0000']);
    expect((await sla({ g: 'MONTH', by: 'TOTAL' }))['2026-01']).toEqual([21, '0.2857']); // s1 3/8 + s2 0/10 + s3 3/3 = 6/21

    // Moving s1's March agreement to start in February changes February only (A2, 60: 0/4 late).
    await pool.query("update agreement set valid_from = '2026-02-01' where partner_id = $1 and sla_response_minutes = 60", [ids.s1]);
    expect(await dirtyMonths()).toEqual(['2026-02-01', '2026-03-01']);
    await refreshStale(pool);
    expect(await sla({ g: 'MONTH', by: 'PARTNER' }, String(ids.s1))).toEqual({ '2026-01': [8, '0.3750'], '2026-02': [4, '0.0000'], '2026-03': [4, '0.2500'] });

    // Deleting an agreement marks its months too.
    await pool.query('delete from agreement where partner_id = $1 and valid_from = $2', [ids.s3, '2026-01-01']);
    expect(await dirtyMonths()).toEqual(['2026-01-01']);
    await refreshStale(pool);
    expect((await sla({ g: 'MONTH', by: 'PARTNER' }, String(ids.s3)))['2026-01']).toEqual([0, null]);
  });
});
