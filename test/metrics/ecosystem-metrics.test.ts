// Dashboard series come from rollups that equal the raw figures; partners get small groups
// suppressed and the other figures differentially private (test/metrics/partner-privacy.test.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { refreshStale } from '../../src/metrics/rollups/refresh';
import { createActors, type Actors } from '../setup/actors';
import { startTestServer, type TestServer } from '../setup/server';

let server: TestServer;
let actors: Actors;
beforeAll(async () => {
  server = await startTestServer({ MIN_GROUP_SIZE: '10' });
  actors = await createActors(server.pool);
});

const MONTH = `date_trunc('month', o.created_at at time zone 'Asia/Shanghai')::date`;

async function raw(groupSql: string, joins = '') {
  const r = await server.pool.query(`select to_char(${MONTH}, 'YYYY-MM') as period, ${groupSql} as key, count(*)::int as orders,
      coalesce(sum(o.amount_minor) filter (where o.status = 'FULFILLED'), 0)::text as gmv, count(distinct o.customer_id)::int as customers
    from service_order o join partner p on p.id = o.partner_id ${joins} group by 1, 2`);
  return new Map(r.rows.map((x) => [`${x.period}|${x.key}`, x]));
}

function cents(money: string | null): string {
  return money === null ? 'null' : String(Math.round(Number(money) * 100));
}

const Q = `query($g: MetricGranularity, $by: MetricDimension, $where: MetricFilter) {
  ecosystemMetrics(from: "2024-11-01", to: "2026-11-01", granularity: $g, groupBy: $by, where: $where) {
    periods suppression
    series { key label points { period suppressed gmv orders distinctCustomers averageRating complaintRate onlineOrderShare responseP50Minutes slaAnsweredOrders slaBreachRate activePartners activePartnersByTier { tier partners } settlementGross gmvChangePct } }
    total { points { period suppressed gmv orders distinctCustomers slaAnsweredOrders slaBreachRate activePartners gmvChangePct } }
  }
}`;

async function metrics(variables: Record<string, unknown>, key = actors.dashboard) {
  const res = await server.gql(Q, variables, key);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return { m: (res.body.data as any).ecosystemMetrics, statements: res.statements };
}

describe('ecosystem metrics for dashboards', () => {
  it('give 24 monthly points of GMV by category equal to the raw orders, from the rollups', async () => {
    const { m, statements } = await metrics({ g: 'MONTH', by: 'CATEGORY' });
    expect(m.periods).toHaveLength(24);
    expect(m.periods[0]).toBe('2024-11');
    const truth = await raw('p.category');
    for (const s of m.series) {
      expect(s.points).toHaveLength(24);
      for (const pt of s.points) {
        const t = truth.get(`${pt.period}|${s.key}`);
        expect(cents(pt.gmv), `${s.key} ${pt.period}`).toBe(t ? t.gmv : '0');
        expect(pt.orders).toBe(t ? t.orders : 0);
        expect(pt.distinctCustomers).toBe(t ? t.customers : 0);
      }
    }
    expect(statements).toBeLessThanOrEqual(4);
    // The total is every order, and changes are against the previous month.
    const totalOrders = m.total.points.reduce((n: number, p: any) => n + p.orders, 0);
    expect(totalOrders).toBe((await server.pool.query('select count(*)::int n from service_order')).rows[0].n);
    const pts = m.total.points;
    expect(pts[5].gmvChangePct).toBe(((Number(pts[5].gmv) / Number(pts[4].gmv) - 1) * 100).toFixed(2));
  });

  it('apply filters from the cube', async () => {
    const { m } = await metrics({ g: 'QUARTER', by: 'CITY', where: { channels: ['ONLINE'], categories: ['CAPABILITY_COMPLEMENT'] } });
    const r = await server.pool.query(`select count(*)::int n from service_order o join partner p on p.id = o.partner_id
      where o.channel = 'ONLINE' and p.category = 'CAPABILITY_COMPLEMENT' and o.created_at >= '2024-11-01T00:00:00+08' and o.created_at < '2026-11-01T00:00:00+08'`);
    const sum = m.series.flatMap((s: any) => s.points).reduce((n: number, p: any) => n + p.orders, 0);
    expect(sum).toBe(r.rows[0].n);
    expect(m.series[0].points[0].distinctCustomers).toBeNull(); // not derivable from the cube
  });

  it('give the SLA breach rate by partner and in total equal to the raw orders under the agreement in force', async () => {
    // The agreement in force in the order's month, chosen as evaluation and settlement choose it.
    const r = await server.pool.query(`select to_char(o.m, 'YYYY-MM') as period, o.partner_id::text as key,
        (count(*) filter (where o.response_minutes is not null and a.sla is not null))::int as answered,
        (count(*) filter (where o.response_minutes > a.sla))::int as breaches
      from (select o.*, ${MONTH} as m from service_order o) o
      left join lateral (select ag.sla_response_minutes as sla from agreement ag
                          where ag.partner_id = o.partner_id and ag.valid_from < o.m + interval '1 month' and (ag.valid_to is null or ag.valid_to >= o.m)
                          order by ag.valid_from desc, ag.id desc limit 1) a on true
      group by 1, 2`);
    const truth = new Map(r.rows.map((x) => [`${x.period}|${x.key}`, x]));
    const rate = (t: { answered: number; breaches: number } | undefined) => (t && t.answered > 0 ? (t.breaches / t.answered).toFixed(4) : null);
    expect(r.rows.reduce((n, x) => n + x.breaches, 0)).toBeGreaterThan(0);
    const { m } = await metrics({ g: 'MONTH', by: 'PARTNER' });
    for (const s of m.series) {
      for (const pt of s.points) {
        const t = truth.get(`${pt.period}|${s.key}`);
        expect(pt.slaAnsweredOrders, `${s.key} ${pt.period}`).toBe(t ? t.answered : 0);
        expect(pt.slaBreachRate, `${s.key} ${pt.period}`).toBe(rate(t));
      }
    }
    // The same from the cube under a filter (all channels: every order).
    const filtered = (await metrics({ g: 'MONTH', by: 'TOTAL', where: { channels: ['ONLINE', 'OFFLINE'] } })).m;
    for (const pt of filtered.total.points) {
      const rows = r.rows.filter((x) => x.period === pt.period);
      const t = { answered: rows.reduce((n, x) => n + x.answered, 0), breaches: rows.reduce((n, x) => n + x.breaches, 0) };
      expect(pt.slaAnsweredOrders, pt.period).toBe(t.answered);
      expect(pt.slaBreachRate, pt.period).toBe(rate(t));
    }
  });

  it('follow new orders after a refresh', async () => {
    const before = (await metrics({ g: 'MONTH', by: 'TOTAL' })).m.total.points.at(-1);
    const o = (await server.pool.query('select * from service_order order by id desc limit 1')).rows[0];
    await server.pool.query(
      `insert into service_order (customer_id, partner_id, service_type, city, channel, status, created_at, fulfilled_at, amount_minor)
       values ($1, $2, $3, $4, 'ONLINE', 'FULFILLED', '2026-10-15T10:00:00+08', '2026-10-15T11:00:00+08', 12345)`,
      [o.customer_id, o.partner_id, o.service_type, o.city],
    );
    expect((await server.pool.query('select count(*)::int n from metric_dirty_month')).rows[0].n).toBe(1);
    await refreshStale(server.pool);
    const after = (await metrics({ g: 'MONTH', by: 'TOTAL' })).m.total.points.at(-1);
    expect(after.orders).toBe(before.orders + 1);
    expect(Number(after.gmv) * 100 - Number(before.gmv) * 100).toBeCloseTo(12345, 5);
  });

  it('give the ecosystem growth by year and the current alerts with their periods', async () => {
    const res = await server.gql('{ ecosystemGrowth(from: "2024-01-01", to: "2027-01-01") { period activePartners serviceTypes cities gmv } alerts(currentOnly: false) { rule { slug } scopeKey scopeLabel periods values current } }', undefined, actors.dashboard);
    expect(res.body.errors).toBeUndefined();
    const d = res.body.data as any;
    expect(d.ecosystemGrowth.map((g: any) => g.period)).toEqual(['2024', '2025', '2026']);
    const partners2025 = (await server.pool.query(`select count(distinct partner_id)::int n from service_order o where ${MONTH} between '2025-01-01' and '2025-12-01'`)).rows[0].n;
    expect(d.ecosystemGrowth[1].activePartners).toBe(partners2025);
    const online = d.alerts.filter((a: any) => a.rule.slug === 'online-share-below-20');
    for (const a of online) {
      expect(a.periods.length).toBeGreaterThanOrEqual(2);
      for (const v of a.values) expect(Number(v)).toBeLessThan(0.2);
    }
    const rating = d.alerts.filter((a: any) => a.rule.slug === 'partner-rating-below-4');
    for (const a of rating) for (const v of a.values) expect(Number(v)).toBeLessThan(4);
  });
});

describe('ecosystem metrics for partners', () => {
  it('suppress groups under k customers and show every other figure with differential-privacy noise, flagged', async () => {
    const { m } = await metrics({ g: 'MONTH', by: 'CITY' }, actors.partnerA);
    expect(m.suppression).toMatch(/k = 10/);
    expect(m.suppression).toMatch(/differential privacy/);
    const suppressed = m.series.flatMap((s: any) => s.points.filter((p: any) => p.suppressed));
    expect(suppressed.length).toBeGreaterThan(0);
    for (const p of suppressed) {
      expect(p.gmv).toBeNull();
      expect(p.orders).toBeNull();
      expect(p.slaAnsweredOrders).toBeNull();
      expect(p.slaBreachRate).toBeNull();
    }
    // The total is the TOTAL grouping's own noisy figure (not the sum of the groups shown): the
    // same in every grouping, so comparing groupings differences noise only (test/metrics/partner-privacy.test.ts).
    const byTotal = (await metrics({ g: 'MONTH', by: 'TOTAL' }, actors.partnerA)).m;
    const byCategory = (await metrics({ g: 'MONTH', by: 'CATEGORY' }, actors.partnerA)).m;
    for (let i = 0; i < m.periods.length; i++) {
      expect(byTotal.total.points[i].orders).toBe(m.total.points[i].orders);
      expect(byCategory.total.points[i].orders).toBe(m.total.points[i].orders);
      expect(byTotal.total.points[i].distinctCustomers).toBeNull();
      expect(byTotal.total.points[i].activePartners).toBeNull();
    }
    // Noisy, not reduced: the partner's figures differ from the truth, never systematically below it.
    const internal = (await metrics({ g: 'MONTH', by: 'TOTAL' })).m;
    const differ = byTotal.total.points.filter((p: any, i: number) => p.orders !== internal.total.points[i].orders).length;
    expect(differ).toBeGreaterThan(0);
  });

  it('show a partner its own partner-level figures exactly, and no other partner', async () => {
    const { m } = await metrics({ g: 'YEAR', by: 'PARTNER' }, actors.partnerA);
    expect(m.series.map((s: any) => s.key)).toEqual([String(actors.partnerAId)]);
    const own = (await server.pool.query('select count(*)::int n from service_order where partner_id = $1', [actors.partnerAId])).rows[0].n;
    expect(m.series[0].points.reduce((n: number, p: any) => n + (p.orders ?? 0), 0)).toBe(own);
  });

  it('refuse filters for partners', async () => {
    const res = await server.gql(Q, { g: 'MONTH', by: 'CITY', where: { cities: ['Beijing'] } }, actors.partnerA);
    expect(res.body.errors?.[0].extensions?.code).toBe('FIELD_NOT_ALLOWED');
  });

  it('keep alerts for internal roles', async () => {
    const res = await server.gql('{ alerts { periods } }', undefined, actors.partnerA);
    expect(res.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
