// What partners see of ecosystem-wide metrics.
//
// A group (one key of one dimension in one period) with fewer than MIN_GROUP_SIZE distinct
// customers is suppressed. To keep a suppressed value from being recovered by combining
// answers (a total minus the visible groups, or one grouping against another), partners get
// every ecosystem-wide figure computed over the same reduced data: the orders that fall in
// no small group of ANY dimension in that period. A suppressed group therefore contributes
// nothing to any total or any other group a partner can see, in any query, and nothing about
// those orders can be derived. The price: partners' ecosystem figures are slightly below the
// true ones (the difference is the small groups), and non-additive figures (distinct
// customers, percentiles) are not shown to them. Their own partner's figures are exact.
import { GraphQLError } from 'graphql';
import { and, raw, sql, type Sql } from '../../db/sql';
import type { Context } from '../../server/context';
import type { Granularity } from '../rollups/refresh';
import { CUBE_KEY } from './dimensions';
import { MetricDimension } from './metrics.enums';
import { buildSeries, cubeSource, hasFilter, labels, validateArgs, type Figures, type MetricsArgs } from './metrics.service';
import type { EcosystemMetrics } from './metrics.type';
import { periodLabel } from './periods';

export const SUPPRESSION_METHOD =
  'groups with fewer than k distinct customers are suppressed, and every ecosystem-wide figure shown to partners (totals included) ' +
  'excludes the orders of every suppressed group of every dimension, so no suppressed value can be derived from other answers';

const SUMS = raw(`sum(c.orders)::int as orders, sum(c.fulfilled)::int as fulfilled, sum(c.gmv_minor)::text as gmv_minor,
  sum(c.rating_sum)::text as rating_sum, sum(c.rating_count)::int as rating_count, sum(c.complaints)::int as complaints,
  sum(c.online_orders)::int as online_orders, count(distinct c.partner_id)::int as partners,
  null::int as customers, null::text as response_p50, null::text as response_p95, null::jsonb as partners_by_tier,
  sum(c.sla_answered)::int as sla_answered, sum(c.sla_breaches)::int as sla_breaches`);

function notInSmallGroup(): Sql {
  const checks = (Object.keys(CUBE_KEY) as MetricDimension[])
    .filter((d) => d !== MetricDimension.TOTAL)
    .map((d) => `(s.dimension = '${d}' and s.key = ${CUBE_KEY[d]})`)
    .join(' or ');
  return raw(`not exists (select 1 from small s where s.period = c.period and (${checks}))`);
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

export async function partnerMetrics(args: MetricsArgs, ctx: Context): Promise<EcosystemMetrics> {
  if (hasFilter(args.where)) {
    throw new GraphQLError('Partners cannot filter ecosystem metrics; group them instead', { extensions: { code: 'FIELD_NOT_ALLOWED' } });
  }
  const { g, starts, from, to } = validateArgs(args);
  if (args.groupBy === MetricDimension.PARTNER) return ownFigures(args, ctx, g, starts, from, to);
  const k = ctx.services.config.minGroupSize;
  const dim = args.groupBy;
  const key = raw(CUBE_KEY[dim]);
  const small = sql`small as (select period::text as period, dimension, key from metric_group
      where granularity = ${g} and dimension <> 'TOTAL' and customers < ${k} and period >= ${from}::date and period < ${to}::date)`;
  const [visible, smallRows] = await Promise.all([
    ctx.exec.rows<Figures>(sql`with ${small} select c.period, ${key} as key, ${SUMS} ${cubeSource(g, from, to, and([notInSmallGroup()]))} group by 1, 2`),
    ctx.exec.rows<{ period: string; key: string }>(sql`select period::text as period, key from metric_group
      where granularity = ${g} and dimension = ${dim} and customers < ${k} and period >= ${from}::date and period < ${to}::date`),
  ]);
  const isSmall = new Set(smallRows.map((r) => `${r.period}|${r.key}`));
  const keys = [...new Set([...visible.map((f) => f.key), ...smallRows.map((r) => r.key)])].sort();
  const names = await labels(ctx, dim, keys);
  const figures = new Map(visible.map((r) => [`${r.period}|${r.key}`, r]));
  const series = buildSeries(g, starts, keys, figures, new Map(), names, (period, k2) => isSmall.has(`${period}|${k2}`));
  // The total is the sum of what the partner may see, nothing more.
  const totals = new Map<string, Figures>();
  for (const f of visible) {
    const id = `${f.period}|`;
    const t = totals.get(id);
    if (!t) totals.set(id, { ...f, key: '' });
    else {
      t.orders += f.orders;
      t.fulfilled += f.fulfilled;
      t.gmv_minor = (BigInt(t.gmv_minor) + BigInt(f.gmv_minor)).toString();
      t.rating_sum = (BigInt(t.rating_sum) + BigInt(f.rating_sum)).toString();
      t.rating_count += f.rating_count;
      t.complaints += f.complaints;
      t.online_orders += f.online_orders;
      t.sla_answered += f.sla_answered;
      t.sla_breaches += f.sla_breaches;
      t.partners = Math.max(t.partners, f.partners);
    }
  }
  const [total] = buildSeries(g, starts, [''], totals, new Map(), new Map([['', 'All visible groups']]));
  // Distinct partners do not add up across groups; the visible count per group stays, the total's goes.
  if (dim !== MetricDimension.TOTAL) for (const pt of total.points) pt.activePartners = null;
  // Distinct customers are not derivable from the reduced data: never shown to partners.
  for (const s of [...series, total]) for (const pt of s.points) pt.distinctCustomers = null;
  return {
    granularity: args.granularity,
    groupBy: dim,
    periods: starts.slice(1).map((s) => periodLabel(s, g)),
    series: dim === MetricDimension.TOTAL ? [total] : series,
    total,
    suppression: `${SUPPRESSION_METHOD} (k = ${k})`,
  };
}
