// What partners see of ecosystem-wide metrics (docs/metrics.md, "Partners: exact, suppressed or noisy").
//
// A group (one key of one dimension in one period) with fewer than MIN_GROUP_SIZE distinct
// customers is suppressed (null, suppressed: true). Every other ecosystem-wide figure is
// differentially private (noise.ts): the figure over each customer's first orders of the month
// (amounts clamped; the rollups' dp_* columns) plus Laplace noise calibrated to the agreement's
// privacy_epsilon, drawn per month and summed into quarters and years, and flagged on the point
// with its scale and 95% interval. Totals are the TOTAL grouping's own noisy figures. Suppressed
// values cannot be recovered by combining answers beyond the noise: every figure that includes a
// suppressed group's orders is itself noisy. Figures with no noisy form (distinct customers,
// response percentiles, active partners, settlements) are not shown. The partner's own figures
// (groupBy PARTNER) are exact.
import { GraphQLError } from 'graphql';
import { raw, sql } from '../../db/sql';
import type { Context } from '../../server/context';
import { addPeriod, type Granularity } from '../rollups/refresh';
import { MetricDimension } from './metrics.enums';
import { buildSeries, hasFilter, labels, validateArgs, type Figures, type MetricsArgs } from './metrics.service';
import type { EcosystemMetrics, FigureNoise, MetricNoise, MetricPoint, MetricSeries } from './metrics.type';
import { interval, laplaceScale, NOISY_FIGURES, NoiseSource, ratioInterval, type Interval, type Noisy, type NoisyFigure } from './noise';
import { periodLabel } from './periods';

type Bounded = Record<NoisyFigure, string>;
interface GroupRow extends Bounded {
  granularity: string;
  period: string;
  dimension: string;
  key: string;
  customers: number;
}

const DP_SELECT = NOISY_FIGURES.map((f) => `dp_${f}::text as ${f}`).join(', ');

export function suppressionMethod(k: number, epsilon: number, cap: number, maxAmountMinor: number): string {
  return (
    `differential privacy: groups with fewer than k = ${k} distinct customers are suppressed; every other figure is computed over each customer's ` +
    `first ${cap} orders of a month (order amounts capped at ${(maxAmountMinor / 100).toFixed(2)}, complaints counted once per order) plus Laplace noise, ` +
    `so that everything a partner can see of one month (6 groupings x 9 figures, every granularity) is epsilon-DP per customer with epsilon = ${epsilon}; ` +
    'months are drawn once and summed into quarters and years; ratios are computed from noisy parts; asking again gives the same answer; ' +
    'each noisy figure carries its scale and 95% interval in noise'
  );
}

async function ownFigures(args: MetricsArgs, ctx: Context, g: Granularity, starts: string[], from: string, to: string): Promise<EcosystemMetrics> {
  const pid = String(ctx.principal.partnerId);
  const rows = await ctx.exec.rows<Figures>(sql`select period::text as period, key, orders, fulfilled, gmv_minor::text as gmv_minor,
      rating_sum::text as rating_sum, rating_count, complaints, online_orders, partners, customers,
      response_p50::text as response_p50, response_p95::text as response_p95, partners_by_tier, sla_answered, sla_breaches
    from metric_group where granularity = ${g} and dimension = 'PARTNER' and key = ${pid} and period >= ${from}::date and period < ${to}::date`);
  const settled = await ctx.exec.rows<{ period: string; key: string; gross: string; partner_share: string; platform_share: string }>(
    sql`select date_trunc(${g.toLowerCase()}, month)::date::text as period, partner_id::text as key, sum(gross_minor)::text as gross,
        sum(partner_share_minor)::text as partner_share, sum(platform_share_minor)::text as platform_share
      from settlement where partner_id = ${ctx.principal.partnerId} and month >= ${from}::date and month < ${to}::date group by 1, 2`,
  );
  const names = await labels(ctx, MetricDimension.PARTNER, [pid]);
  const series = buildSeries(g, starts, [pid], new Map(rows.map((r) => [`${r.period}|${r.key}`, r])), new Map(settled.map((r) => [`${r.period}|${r.key}`, r])), names);
  return {
    granularity: args.granularity,
    groupBy: args.groupBy,
    periods: starts.slice(1).map((s) => periodLabel(s, g)),
    series,
    total: { ...series[0], key: '', label: 'All (your partner only)' },
    suppression: 'none: your own partner’s figures',
  };
}

/** The partner's privacy budget: privacy_epsilon of its agreement in force today (the column default without one). */
async function epsilonOf(ctx: Context): Promise<number> {
  const rows = await ctx.exec.rows<{ eps: string }>(sql`select privacy_epsilon::text as eps from agreement
    where partner_id = ${ctx.principal.partnerId} and valid_from <= current_date and (valid_to is null or valid_to >= current_date)
    order by valid_from desc, id desc limit 1`);
  return rows[0] ? Number(rows[0].eps) : 1;
}

const fmt = (x: number, digits: number) => x.toFixed(digits);
function flag(n: Noisy | null, iv: Interval, digits: number, unit = 1): FigureNoise {
  return {
    scale: n ? fmt(n.scale / unit, 2) : null,
    draws: n ? n.draws : null,
    interval95Low: fmt(iv.low / unit, digits),
    interval95High: iv.high === null ? null : fmt(iv.high / unit, digits),
  };
}

/** A noisy sum shown as a whole number: rounded, never below 0, with its interval widened to whole numbers. */
function count(n: Noisy): { value: number; flag: FigureNoise } {
  const iv = interval(n, 0.95);
  return { value: Math.max(0, Math.round(n.value)), flag: flag(n, { low: Math.floor(iv.low), high: Math.ceil(iv.high!) }, 0) };
}

function rate(num: Noisy, den: Noisy, digits: number, min: number, max: number | null, map = (x: number) => x): { value: string | null; flag: FigureNoise | null } {
  const d = Math.max(0, Math.round(den.value));
  if (d === 0) return { value: null, flag: null };
  const raw = Math.max(min, Math.max(0, Math.round(num.value)) / d);
  const shown = max === null ? raw : Math.min(max, raw);
  const iv = ratioInterval(num, den, shown, min, max);
  return { value: fmt(map(shown), digits), flag: flag(null, { low: map(iv.low), high: iv.high === null ? null : map(iv.high) }, digits) };
}

/** The partner's point of one group in one period from its noisy sums (null: suppressed). */
function noisyPoint(start: string, g: Granularity, sums: Record<NoisyFigure, Noisy> | null, prev: Record<NoisyFigure, Noisy> | null): MetricPoint {
  const base: MetricPoint = {
    period: periodLabel(start, g),
    start,
    suppressed: sums === null,
    gmv: null,
    orders: null,
    fulfilledOrders: null,
    distinctCustomers: null,
    averageRating: null,
    complaintRate: null,
    onlineOrderShare: null,
    responseP50Minutes: null,
    responseP95Minutes: null,
    slaAnsweredOrders: null,
    slaBreachRate: null,
    activePartners: null,
    activePartnersByTier: null,
    settlementGross: null,
    settlementPartnerShare: null,
    settlementPlatformShare: null,
    gmvChangePct: null,
    ordersChangePct: null,
    noise: null,
  };
  if (!sums) return base;
  const orders = count(sums.orders);
  const fulfilled = count(sums.fulfilled);
  const answered = count(sums.sla_answered);
  const gmvIv = interval(sums.gmv_minor, 0.95);
  const gmv = Math.max(0, Math.round(sums.gmv_minor.value));
  const rating = rate(sums.rating_sum, sums.rating_count, 3, 1, 5);
  const complaints = rate(sums.complaints, sums.orders, 6, 0, 1);
  const online = rate(sums.online_orders, sums.orders, 4, 0, 1);
  const breaches = rate(sums.sla_breaches, sums.sla_answered, 4, 0, 1);
  const pct = (x: number) => (x - 1) * 100;
  const gmvChange = prev ? rate(sums.gmv_minor, prev.gmv_minor, 2, 0, null, pct) : { value: null, flag: null };
  const ordersChange = prev ? rate(sums.orders, prev.orders, 2, 0, null, pct) : { value: null, flag: null };
  const noise: MetricNoise = {
    orders: orders.flag,
    fulfilledOrders: fulfilled.flag,
    gmv: flag(sums.gmv_minor, { low: Math.floor(gmvIv.low), high: Math.ceil(gmvIv.high!) }, 2, 100),
    averageRating: rating.flag,
    complaintRate: complaints.flag,
    onlineOrderShare: online.flag,
    slaAnsweredOrders: answered.flag,
    slaBreachRate: breaches.flag,
    gmvChangePct: gmvChange.flag,
    ordersChangePct: ordersChange.flag,
  };
  return {
    ...base,
    gmv: String(gmv),
    orders: orders.value,
    fulfilledOrders: fulfilled.value,
    averageRating: rating.value,
    complaintRate: complaints.value,
    onlineOrderShare: online.value,
    slaAnsweredOrders: answered.value,
    slaBreachRate: breaches.value,
    gmvChangePct: gmvChange.value,
    ordersChangePct: ordersChange.value,
    noise,
  };
}

export async function partnerMetrics(args: MetricsArgs, ctx: Context): Promise<EcosystemMetrics> {
  if (hasFilter(args.where)) {
    throw new GraphQLError('Partners cannot filter ecosystem metrics; group them instead', { extensions: { code: 'FIELD_NOT_ALLOWED' } });
  }
  const { g, starts, from, to } = validateArgs(args);
  if (args.groupBy === MetricDimension.PARTNER) return ownFigures(args, ctx, g, starts, from, to);
  const k = ctx.services.config.minGroupSize;
  const bounds = ctx.services.config.metrics.dp;
  const dim = args.groupBy;
  const dims = [...new Set([dim, MetricDimension.TOTAL])];
  // One statement for the rows (every month of the range, and the periods' customers), one for epsilon.
  const [rows, epsilon] = await Promise.all([
    ctx.exec.rows<GroupRow>(sql`select granularity, period::text as period, dimension, key, customers, ${raw(DP_SELECT)}
      from metric_group where granularity = any(${[...new Set(['MONTH', g])]}::text[]) and dimension = any(${dims}::text[])
        and period >= ${from}::date and period < ${to}::date`),
    epsilonOf(ctx),
  ]);
  const noise = new NoiseSource(ctx.services.secretKey, Number(ctx.principal.partnerId), epsilon);
  const scales = Object.fromEntries(NOISY_FIGURES.map((f) => [f, laplaceScale(f, bounds, epsilon)])) as Record<NoisyFigure, number>;
  const months = new Map<string, GroupRow>();
  const customers = new Map<string, number>();
  for (const r of rows) {
    if (r.granularity === 'MONTH') months.set(`${r.dimension}|${r.key}|${r.period}`, r);
    if (r.granularity === g) customers.set(`${r.dimension}|${r.key}|${r.period}`, r.customers);
  }
  const step = g === 'YEAR' ? 12 : g === 'QUARTER' ? 3 : 1;
  /** The noisy sums of a group over a period: each month's bounded figure plus its own draw. */
  const sums = (d: string, key: string, start: string): Record<NoisyFigure, Noisy> | null => {
    if ((customers.get(`${d}|${key}|${start}`) ?? 0) < k) return null;
    const out = {} as Record<NoisyFigure, Noisy>;
    for (const f of NOISY_FIGURES) out[f] = { value: 0, scale: scales[f], draws: step };
    for (let i = 0; i < step; i++) {
      const month = addPeriod(start, 'MONTH', i);
      const row = months.get(`${d}|${key}|${month}`);
      for (const f of NOISY_FIGURES) {
        const truth = row ? row[f] : '0';
        out[f].value += Number(truth) + noise.laplace(scales[f], d, key, month, f, truth);
      }
    }
    return out;
  };
  const series = (d: string, key: string, label: string): MetricSeries => {
    const all = starts.map((start) => sums(d, key, start));
    const points = starts.slice(1).map((start, i) => noisyPoint(start, g, all[i + 1], all[i]));
    return { key, label, points };
  };
  const keys = [...new Set(rows.filter((r) => r.dimension === dim).map((r) => r.key))].sort();
  const names = await labels(ctx, dim, keys);
  const total = series(MetricDimension.TOTAL, '', 'All');
  return {
    granularity: args.granularity,
    groupBy: dim,
    periods: starts.slice(1).map((s) => periodLabel(s, g)),
    series: dim === MetricDimension.TOTAL ? [total] : keys.map((key) => series(dim, key, names.get(key) ?? key)),
    total,
    suppression: suppressionMethod(k, epsilon, bounds.maxOrdersPerCustomerMonth, bounds.maxOrderAmountMinor),
  };
}
