// Partners' ecosystem figures are differentially private (src/metrics/ecosystem/noise.ts):
// suppressed groups stay null, every other figure is exact or flagged with its noise, the
// standard combination attacks recover no suppressed value beyond the noise, answers are
// deterministic per partner, and internal roles keep exact figures.
import { beforeAll, describe, expect, it } from 'vitest';
import { halfWidth } from '../../src/metrics/ecosystem/noise';
import { refreshStale } from '../../src/metrics/rollups/refresh';
import { createActors, type Actors } from '../setup/actors';
import { startTestServer, type TestServer } from '../setup/server';

let server: TestServer;
let actors: Actors;
const SMALL_CITY = 'Lhasa';
const SMALL_ORDERS = 4; // by 3 customers in 2026-05: a small group of known size

beforeAll(async () => {
  server = await startTestServer({ MIN_GROUP_SIZE: '10' });
  actors = await createActors(server.pool);
  const o = (await server.pool.query('select customer_id, partner_id, service_type from service_order order by id limit 3')).rows;
  for (let i = 0; i < SMALL_ORDERS; i++) {
    const c = o[i % 3];
    await server.pool.query(
      `insert into service_order (customer_id, partner_id, service_type, city, channel, status, created_at, fulfilled_at, amount_minor)
       values ($1, $2, $3, $4, 'OFFLINE', 'FULFILLED', $5, $5, 20000)`,
      [c.customer_id, c.partner_id, c.service_type, SMALL_CITY, `2026-05-1${i}T10:00:00+08`],
    );
  }
  await refreshStale(server.pool);
});

const FLAG = 'scale draws interval95Low interval95High';
const Q = `query($g: MetricGranularity, $by: MetricDimension, $from: Date!, $to: Date!) {
  ecosystemMetrics(from: $from, to: $to, granularity: $g, groupBy: $by) {
    periods suppression
    series { key points { period suppressed gmv orders fulfilledOrders averageRating complaintRate onlineOrderShare slaAnsweredOrders slaBreachRate distinctCustomers activePartners
      noise { orders { ${FLAG} } fulfilledOrders { ${FLAG} } gmv { ${FLAG} } averageRating { ${FLAG} } complaintRate { ${FLAG} } onlineOrderShare { ${FLAG} } slaAnsweredOrders { ${FLAG} } slaBreachRate { ${FLAG} } } } }
    total { points { period suppressed gmv orders noise { orders { ${FLAG} } gmv { ${FLAG} } } } }
  }
}`;
const RANGE = { from: '2024-11-01', to: '2026-11-01' };

async function metrics(key: string, g: string, by: string, range = RANGE) {
  const res = await server.gql(Q, { g, by, ...range }, key);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return (res.body.data as any).ecosystemMetrics;
}

/** Exact orders per period and key, from the orders. */
async function truth(g: string, keySql: string): Promise<Map<string, number>> {
  const fmt = g === 'YEAR' ? `'YYYY'` : g === 'QUARTER' ? `'YYYY-"Q"Q'` : `'YYYY-MM'`;
  const r = await server.pool.query(`select to_char(o.created_at at time zone 'Asia/Shanghai', ${fmt}) as period, ${keySql} as key, count(*)::int as n
    from service_order o join partner p on p.id = o.partner_id group by 1, 2`);
  return new Map(r.rows.map((x) => [`${x.period}|${x.key}`, x.n]));
}

/** The half-width of a noisy count's 95% interval before it is cut at 0. */
const half = (f: { scale: string; draws: number }) => Number(f.scale) * halfWidth(f.draws, 0.95);

interface Attack {
  name: string;
  estimate: number;
  truth: number;
  /** Half-width of the attacker's interval: the half-widths of every noisy figure used, added. */
  halfWidth: number;
  scale: number;
}
const attacks: Attack[] = [];

describe('partner ecosystem metrics under differential privacy', () => {
  it('keep small groups null and flag every noisy figure with its scale and 95% interval', async () => {
    const m = await metrics(actors.partnerA, 'MONTH', 'CITY');
    expect(m.suppression).toMatch(/differential privacy/);
    expect(m.suppression).toMatch(/k = 10/);
    expect(m.suppression).toMatch(/epsilon = 1\b/);
    const small = m.series.find((s: any) => s.key === SMALL_CITY).points.find((p: any) => p.period === '2026-05');
    expect(small).toMatchObject({ suppressed: true, orders: null, gmv: null, noise: null });
    for (const s of [...m.series, m.total]) {
      for (const p of s.points) {
        if (p.suppressed) continue;
        expect(p.noise.orders.scale).toBe('270.00'); // 5 orders x 6 groupings x 9 figures / epsilon 1
        expect(p.noise.orders.draws).toBe(1);
        expect(Number(p.noise.orders.interval95Low)).toBeLessThanOrEqual(p.orders);
        expect(Number(p.noise.orders.interval95High)).toBeGreaterThanOrEqual(p.orders);
        expect(p.noise.gmv.scale).toBe(String((5 * 435_000 * 54) / 100) + '.00');
      }
    }
    for (const p of m.series.flatMap((s: any) => s.points)) {
      expect(p.distinctCustomers).toBeNull();
      expect(p.activePartners).toBeNull();
    }
  });

  it('recover no suppressed value from total minus the visible groups', async () => {
    const m = await metrics(actors.partnerA, 'MONTH', 'CITY');
    const i = m.periods.indexOf('2026-05');
    const visible = m.series.filter((s: any) => !s.points[i].suppressed).map((s: any) => s.points[i]);
    const suppressedKeys = m.series.filter((s: any) => s.points[i].suppressed).map((s: any) => s.key);
    const t = await truth('MONTH', 'o.city');
    const total = m.total.points[i];
    attacks.push({
      name: 'total minus visible cities, 2026-05',
      estimate: total.orders - visible.reduce((n: number, p: any) => n + p.orders, 0),
      truth: suppressedKeys.reduce((n: number, k: string) => n + (t.get(`2026-05|${k}`) ?? 0), 0),
      halfWidth: half(total.noise.orders) + visible.reduce((n: number, p: any) => n + half(p.noise.orders), 0),
      scale: Number(total.noise.orders.scale),
    });
  });

  it('recover no suppressed month from its quarter minus the visible months, nor a quarter from its year', async () => {
    const months = await metrics(actors.partnerA, 'MONTH', 'SERVICE_TYPE');
    const quarters = await metrics(actors.partnerA, 'QUARTER', 'SERVICE_TYPE');
    const years = await metrics(actors.partnerA, 'YEAR', 'SERVICE_TYPE', { from: '2025-01-01', to: '2026-01-01' });
    const tm = await truth('MONTH', 'o.service_type');
    const tq = await truth('QUARTER', 'o.service_type');
    let found = 0;
    for (const s of quarters.series) {
      for (const q of s.points) {
        if (q.suppressed) continue;
        const [y, n] = q.period.split('-Q').map(Number);
        const labels = [0, 1, 2].map((j) => `${y}-${String((n - 1) * 3 + j + 1).padStart(2, '0')}`);
        const ms = labels.map((l) => months.series.find((x: any) => x.key === s.key)?.points.find((p: any) => p.period === l));
        if (ms.some((p) => !p) || !ms.some((p: any) => p.suppressed)) continue;
        const shown = ms.filter((p: any) => !p.suppressed);
        attacks.push({
          name: `quarter minus visible months, ${s.key} ${q.period}`,
          estimate: q.orders - shown.reduce((a: number, p: any) => a + p.orders, 0),
          truth: ms.filter((p: any) => p.suppressed).reduce((a: number, p: any) => a + (tm.get(`${p.period}|${s.key}`) ?? 0), 0),
          halfWidth: half(q.noise.orders) + shown.reduce((a: number, p: any) => a + half(p.noise.orders), 0),
          scale: Number(q.noise.orders.scale),
        });
        found++;
      }
    }
    for (const s of years.series) {
      const yr = s.points[0];
      const qs = quarters.series.find((x: any) => x.key === s.key)?.points.filter((p: any) => p.period.startsWith('2025-'));
      if (yr.suppressed || !qs || !qs.some((p: any) => p.suppressed)) continue;
      const shown = qs.filter((p: any) => !p.suppressed);
      attacks.push({
        name: `year minus visible quarters, ${s.key} 2025`,
        estimate: yr.orders - shown.reduce((a: number, p: any) => a + p.orders, 0),
        truth: qs.filter((p: any) => p.suppressed).reduce((a: number, p: any) => a + (tq.get(`${p.period}|${s.key}`) ?? 0), 0),
        halfWidth: half(yr.noise.orders) + shown.reduce((a: number, p: any) => a + half(p.noise.orders), 0),
        scale: Number(yr.noise.orders.scale),
      });
      found++;
    }
    expect(found).toBeGreaterThan(0);
  });

  it('recover no suppressed value from one grouping against another over the same period', async () => {
    const byChannel = await metrics(actors.partnerA, 'MONTH', 'CHANNEL');
    const byCity = await metrics(actors.partnerA, 'MONTH', 'CITY');
    const i = byCity.periods.indexOf('2026-05');
    const channels = byChannel.series.map((s: any) => s.points[i]);
    expect(channels.every((p: any) => !p.suppressed)).toBe(true);
    const cities = byCity.series.filter((s: any) => !s.points[i].suppressed).map((s: any) => s.points[i]);
    const t = await truth('MONTH', 'o.city');
    const hidden = byCity.series.filter((s: any) => s.points[i].suppressed).reduce((n: number, s: any) => n + (t.get(`2026-05|${s.key}`) ?? 0), 0);
    attacks.push({
      name: 'channels minus visible cities, 2026-05',
      estimate: channels.reduce((n: number, p: any) => n + p.orders, 0) - cities.reduce((n: number, p: any) => n + p.orders, 0),
      truth: hidden,
      halfWidth: [...channels, ...cities].reduce((n: number, p: any) => n + half(p.noise.orders), 0),
      scale: Number(channels[0].noise.orders.scale),
    });
    // The same grouping asked by TOTAL and by CITY gives the same noisy total: nothing to difference.
    const byTotal = await metrics(actors.partnerA, 'MONTH', 'TOTAL');
    expect(byTotal.total.points.map((p: any) => p.orders)).toEqual(byCity.total.points.map((p: any) => p.orders));
  });

  it('refuse the filters that would give the same figure with and without a group', async () => {
    const res = await server.gql(
      '{ ecosystemMetrics(from: "2026-05-01", to: "2026-06-01", groupBy: CITY, where: { cities: ["Lhasa"] }) { total { points { orders } } } }',
      undefined,
      actors.partnerA,
    );
    expect(res.body.errors?.[0].extensions?.code).toBe('FIELD_NOT_ALLOWED');
  });

  it('leave every attack an interval of at least twice the per-cell scale, and no estimate pinned to within one order', () => {
    expect(attacks.length).toBeGreaterThanOrEqual(4);
    for (const a of attacks) {
      expect(a.halfWidth, a.name).toBeGreaterThanOrEqual(2 * a.scale);
      expect(a.halfWidth, a.name).toBeGreaterThan(1);
    }
    // The realised errors are those of the noise: not pinned, and within the stated interval.
    expect(attacks.filter((a) => Math.abs(a.estimate - a.truth) <= 1).length).toBeLessThan(attacks.length / 10 + 1);
    expect(attacks.filter((a) => Math.abs(a.estimate - a.truth) <= a.halfWidth).length / attacks.length).toBeGreaterThanOrEqual(0.9);
    console.log(`attacks: ${attacks.length}, errors ${attacks.map((a) => a.estimate - a.truth).join(', ')}`);
  });

  it('answer the same query twice identically, and two partners differently', async () => {
    const a1 = await metrics(actors.partnerA, 'MONTH', 'CATEGORY');
    const a2 = await metrics(actors.partnerA, 'MONTH', 'CATEGORY');
    expect(a2).toEqual(a1);
    const b = await metrics(actors.partnerB, 'MONTH', 'CATEGORY');
    expect(b.total.points.map((p: any) => p.orders)).not.toEqual(a1.total.points.map((p: any) => p.orders));
    expect(b.total.points.map((p: any) => p.noise.orders.scale)).toEqual(a1.total.points.map((p: any) => p.noise.orders.scale));
  });

  it('keep at least 90% of the shown cells exact or within their stated 95% interval, and the monthly total within its interval', async () => {
    let shown = 0;
    let covered = 0;
    const errors: number[] = [];
    const sizes: number[] = [];
    const figures = ['orders', 'fulfilledOrders', 'gmv', 'slaAnsweredOrders', 'averageRating', 'complaintRate', 'onlineOrderShare', 'slaBreachRate'];
    for (const g of ['MONTH', 'QUARTER', 'YEAR']) {
      for (const by of ['TOTAL', 'CATEGORY', 'CITY', 'SERVICE_TYPE', 'QUALITY_TIER', 'CHANNEL']) {
        const range = g === 'YEAR' ? { from: '2025-01-01', to: '2027-01-01' } : RANGE;
        const p = await metrics(actors.partnerA, g, by, range);
        const exact = await metrics(actors.admin, g, by, range);
        for (const s of p.series) {
          const e = exact.series.find((x: any) => x.key === s.key);
          s.points.forEach((pt: any, i: number) => {
            if (pt.suppressed) return;
            for (const f of figures) {
              if (pt[f] === null) continue;
              const truthValue = e?.points[i][f] ?? (f === 'gmv' ? '0.00' : 0);
              shown++;
              const flagged = pt.noise[f];
              const t = Number(truthValue);
              const ok = flagged === null ? Number(pt[f]) === t : t >= Number(flagged.interval95Low) && (flagged.interval95High === null || t <= Number(flagged.interval95High));
              if (ok) covered++;
              if (f === 'orders') {
                errors.push(Math.abs(pt.orders - t));
                sizes.push(t);
              }
            }
          });
        }
      }
    }
    const share = covered / shown;
    errors.sort((x, y) => x - y);
    sizes.sort((x, y) => x - y);
    console.log(`utility: ${shown} shown figures, ${(share * 100).toFixed(1)}% exact or within their 95% interval; orders: median abs error ${errors[errors.length >> 1]}, median true value ${sizes[sizes.length >> 1]}`);
    expect(share).toBeGreaterThanOrEqual(0.9);
    const p = await metrics(actors.partnerA, 'MONTH', 'TOTAL');
    const e = await metrics(actors.admin, 'MONTH', 'TOTAL');
    let inside = 0;
    p.total.points.forEach((pt: any, i: number) => {
      const t = e.total.points[i].orders;
      if (t >= Number(pt.noise.orders.interval95Low) && t <= Number(pt.noise.orders.interval95High)) inside++;
    });
    expect(inside / p.total.points.length).toBeGreaterThanOrEqual(0.9);
  });

  it('calibrate the noise to the privacy budget of the agreement', async () => {
    await server.pool.query(`update agreement set privacy_epsilon = 4 where partner_id = $1`, [actors.partnerBId]);
    const m = await metrics(actors.partnerB, 'QUARTER', 'CHANNEL');
    const pt = m.total.points.find((p: any) => !p.suppressed);
    expect(pt.noise.orders).toMatchObject({ scale: '67.50', draws: 3 });
    expect(m.suppression).toMatch(/epsilon = 4\b/);
    // Agreement.privacyEpsilon is public: the partner reads its own budget.
    const read = await server.gql('{ agreements(first: 100) { nodes { privacyEpsilon } } }', undefined, actors.admin);
    expect(read.body.errors).toBeUndefined();
    const values = new Set((read.body.data as any).agreements.nodes.map((a: any) => Number(a.privacyEpsilon)));
    expect([...values].sort()).toEqual([1, 4]);
  });

  it('give admins and the dashboard role exact figures with no noise', async () => {
    const t = await truth('MONTH', 'o.city');
    for (const key of [actors.admin, actors.dashboard]) {
      const m = await metrics(key, 'MONTH', 'CITY');
      for (const s of m.series) {
        for (const p of s.points) {
          expect(p.noise).toBeNull();
          expect(p.suppressed).toBe(false);
          expect(p.orders, `${s.key} ${p.period}`).toBe(t.get(`${p.period}|${s.key}`) ?? 0);
        }
      }
      expect(m.series.find((s: any) => s.key === SMALL_CITY).points.find((p: any) => p.period === '2026-05').orders).toBe(SMALL_ORDERS);
    }
  });
});
