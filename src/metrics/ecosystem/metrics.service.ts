// Dashboard series from the rollups, never from a scan of the orders:
//  - no filter: metric_group (exact, incl. distinct customers and percentiles);
//  - a filter: metric_cube (additive figures; distinct customers and percentiles are null);
//  - partners: small groups suppressed, every other ecosystem-wide figure differentially private
//    (suppression.ts, noise.ts).
import { GraphQLError } from 'graphql';
import { Role } from '../../permissions/tier';
import { and, raw, sql, TRUE, type Sql } from '../../db/sql';
import type { Context } from '../../server/context';
import { addPeriod, type Granularity } from '../rollups/refresh';
import { assertMayGroupBy, CUBE_KEY } from './dimensions';
import { MetricDimension, type MetricGranularity } from './metrics.enums';
import type { EcosystemMetrics, MetricFilter, MetricPoint, MetricSeries } from './metrics.type';
import { periodLabel, periodsBetween } from './periods';
import { partnerMetrics } from './suppression';

export interface MetricsArgs {
  from: string;
  to: string;
  granularity: MetricGranularity;
  groupBy: MetricDimension;
  where?: MetricFilter | null;
  /** Settlement totals cost their own statements: only when a settlement field is selected. */
  withSettlements?: boolean;
}

/** Sums per period and key, as rows from either rollup. */
export interface Figures {
  period: string;
  key: string;
  orders: number;
  fulfilled: number;
  gmv_minor: string;
  rating_sum: string;
  rating_count: number;
  complaints: number;
  online_orders: number;
  partners: number;
  customers: number | null;
  response_p50: string | null;
  response_p95: string | null;
  partners_by_tier: Record<string, number> | null;
  /** Answered orders under an agreement in force, and those over its SLA. */
  sla_answered: number;
  sla_breaches: number;
}

interface SettlementRow {
  period: string;
  key: string;
  gross: string;
  partner_share: string;
  platform_share: string;
}

const SETTLEMENT_DIMENSIONS = new Set<MetricDimension>([MetricDimension.TOTAL, MetricDimension.CATEGORY, MetricDimension.PARTNER, MetricDimension.QUALITY_TIER]);

function ratio(n: number | string, d: number | string, digits: number): string | null {
  const den = Number(d);
  return den === 0 ? null : (Number(n) / den).toFixed(digits);
}

function change(cur: number | string | null, prev: number | string | null): string | null {
  if (cur === null || prev === null || Number(prev) === 0) return null;
  return (((Number(cur) - Number(prev)) / Number(prev)) * 100).toFixed(2);
}

export function cubeFilter(where: MetricFilter | null | undefined): Sql {
  if (!where) return TRUE;
  const parts: Sql[] = [];
  if (where.categories?.length) parts.push(sql`p.category = any(${where.categories}::text[])`);
  if (where.partnerIds?.length) parts.push(sql`c.partner_id = any(${where.partnerIds.map(Number).filter(Number.isInteger)}::int[])`);
  if (where.cities?.length) parts.push(sql`c.city = any(${where.cities}::text[])`);
  if (where.serviceTypes?.length) parts.push(sql`c.service_type = any(${where.serviceTypes}::text[])`);
  if (where.channels?.length) parts.push(sql`c.channel = any(${where.channels}::text[])`);
  if (where.qualityTiers?.length) parts.push(sql`coalesce(h.tier, 'UNRATED') = any(${where.qualityTiers}::text[])`);
  return and(parts);
}

export function hasFilter(where: MetricFilter | null | undefined): boolean {
  return Boolean(where && Object.values(where).some((v) => Array.isArray(v) && v.length > 0));
}

const CUBE_SUMS = raw(`sum(c.orders)::int as orders, sum(c.fulfilled)::int as fulfilled, sum(c.gmv_minor)::text as gmv_minor,
  sum(c.rating_sum)::text as rating_sum, sum(c.rating_count)::int as rating_count, sum(c.complaints)::int as complaints,
  sum(c.online_orders)::int as online_orders, count(distinct c.partner_id)::int as partners,
  null::int as customers, null::text as response_p50, null::text as response_p95, null::jsonb as partners_by_tier,
  sum(c.sla_answered)::int as sla_answered, sum(c.sla_breaches)::int as sla_breaches`);

export function cubeSource(g: Granularity, from: string, to: string, extra: Sql = TRUE): Sql {
  return sql`from (select date_trunc(${g.toLowerCase()}, c.month)::date::text as period, c.*
                      from metric_cube c where c.month >= ${from}::date and c.month < ${to}::date) c
             join partner p on p.id = c.partner_id
             left join partner_tier_history h on h.partner_id = c.partner_id and h.month = c.month
             where ${extra}`;
}

async function fromCube(ctx: Context, g: Granularity, dim: MetricDimension, from: string, to: string, filter: Sql): Promise<Figures[]> {
  const key = raw(CUBE_KEY[dim]);
  return ctx.exec.rows<Figures>(sql`select c.period, ${key} as key, ${CUBE_SUMS} ${cubeSource(g, from, to, filter)} group by 1, 2`);
}

async function fromGroups(ctx: Context, g: Granularity, dims: MetricDimension[], from: string, to: string): Promise<(Figures & { dimension: string })[]> {
  return ctx.exec.rows(sql`select period::text as period, dimension, key, orders, fulfilled, gmv_minor::text as gmv_minor,
      rating_sum::text as rating_sum, rating_count, complaints, online_orders, partners, customers,
      response_p50::text as response_p50, response_p95::text as response_p95, partners_by_tier, sla_answered, sla_breaches
    from metric_group where granularity = ${g} and dimension = any(${dims}::text[]) and period >= ${from}::date and period < ${to}::date`);
}

async function settlements(ctx: Context, g: Granularity, dim: MetricDimension, from: string, to: string, where: MetricFilter | null | undefined): Promise<SettlementRow[]> {
  const key = raw(dim === MetricDimension.PARTNER ? 's.partner_id::text' : (CUBE_KEY[dim] as string).replace('c.', 's.'));
  const filter = and([
    where?.categories?.length ? sql`p.category = any(${where.categories}::text[])` : TRUE,
    where?.partnerIds?.length ? sql`s.partner_id = any(${where.partnerIds.map(Number).filter(Number.isInteger)}::int[])` : TRUE,
    where?.qualityTiers?.length ? sql`coalesce(h.tier, 'UNRATED') = any(${where.qualityTiers}::text[])` : TRUE,
  ]);
  return ctx.exec.rows<SettlementRow>(sql`select date_trunc(${g.toLowerCase()}, s.month)::date::text as period, ${key} as key,
      sum(s.gross_minor)::text as gross, sum(s.partner_share_minor)::text as partner_share, sum(s.platform_share_minor)::text as platform_share
    from settlement s join partner p on p.id = s.partner_id
    left join partner_tier_history h on h.partner_id = s.partner_id and h.month = s.month
    where s.month >= ${from}::date and s.month < ${to}::date and ${filter}
    group by 1, 2`);
}

export function point(start: string, g: Granularity, f: Figures | undefined, s: SettlementRow | undefined, suppressed = false): MetricPoint {
  const empty = !f && !suppressed;
  return {
    period: periodLabel(start, g),
    start,
    suppressed,
    gmv: suppressed ? null : (f?.gmv_minor ?? (empty ? '0' : null)),
    orders: suppressed ? null : (f?.orders ?? 0),
    fulfilledOrders: suppressed ? null : (f?.fulfilled ?? 0),
    distinctCustomers: suppressed ? null : f ? f.customers : 0,
    averageRating: f && !suppressed ? ratio(f.rating_sum, f.rating_count, 3) : null,
    complaintRate: f && !suppressed ? ratio(f.complaints, f.orders, 6) : null,
    onlineOrderShare: f && !suppressed ? ratio(f.online_orders, f.orders, 4) : null,
    responseP50Minutes: suppressed ? null : (f?.response_p50 ?? null),
    responseP95Minutes: suppressed ? null : (f?.response_p95 ?? null),
    slaAnsweredOrders: suppressed ? null : (f?.sla_answered ?? 0),
    slaBreachRate: f && !suppressed ? ratio(f.sla_breaches, f.sla_answered, 4) : null,
    activePartners: suppressed ? null : (f?.partners ?? 0),
    activePartnersByTier:
      suppressed || !f?.partners_by_tier
        ? null
        : Object.entries(f.partners_by_tier)
            .filter(([, n]) => n > 0)
            .map(([tier, partners]) => ({ tier, partners })),
    settlementGross: s && !suppressed ? s.gross : null,
    settlementPartnerShare: s && !suppressed ? s.partner_share : null,
    settlementPlatformShare: s && !suppressed ? s.platform_share : null,
    gmvChangePct: null,
    ordersChangePct: null,
    noise: null,
  };
}

/** Change against the previous point of the same series (the first point looks one period back). */
export function withChanges(points: MetricPoint[], before: MetricPoint | undefined): MetricPoint[] {
  let prev = before;
  for (const p of points) {
    p.gmvChangePct = prev && !prev.suppressed && !p.suppressed ? change(p.gmv, prev.gmv) : null;
    p.ordersChangePct = prev && !prev.suppressed && !p.suppressed ? change(p.orders, prev.orders) : null;
    prev = p;
  }
  return points;
}

export async function labels(ctx: Context, dim: MetricDimension, keys: string[]): Promise<Map<string, string>> {
  if (dim !== MetricDimension.PARTNER) return new Map(keys.map((k) => [k, dim === MetricDimension.TOTAL ? 'All' : k]));
  const ids = keys.map(Number).filter(Number.isInteger);
  const rows = await ctx.exec.rows<{ id: string; name: string }>(sql`select id::text as id, name from partner where id = any(${ids}::int[])`);
  return new Map(rows.map((r) => [r.id, r.name]));
}

export function buildSeries(
  g: Granularity,
  starts: string[],
  keys: string[],
  figures: Map<string, Figures>,
  settled: Map<string, SettlementRow>,
  names: Map<string, string>,
  suppressed: (period: string, key: string) => boolean = () => false,
): MetricSeries[] {
  return keys.map((key) => {
    const all = starts.map((start) => point(start, g, figures.get(`${start}|${key}`), settled.get(`${start}|${key}`), suppressed(start, key)));
    const [before, ...points] = all;
    return { key, label: names.get(key) ?? key, points: withChanges(points, before) };
  });
}

export function validateArgs(args: MetricsArgs): { g: Granularity; starts: string[]; from: string; to: string } {
  const g = args.granularity as Granularity;
  const starts = periodsBetween(args.from, args.to, g);
  // One period before the range, for the first point's change.
  const first = addPeriod(starts[0], g, -1);
  return { g, starts: [first, ...starts], from: first, to: addPeriod(starts[starts.length - 1], g) };
}

export async function ecosystemMetrics(args: MetricsArgs, ctx: Context): Promise<EcosystemMetrics> {
  const p = ctx.principal;
  assertMayGroupBy(args.groupBy, p);
  if (p.role === Role.PARTNER) {
    return partnerMetrics(args, ctx);
  }
  const { g, starts, from, to } = validateArgs(args);
  const dim = args.groupBy;
  let figures: Figures[];
  let totals: Figures[];
  if (hasFilter(args.where)) {
    const filter = cubeFilter(args.where);
    [figures, totals] = await Promise.all([
      fromCube(ctx, g, dim, from, to, filter),
      dim === MetricDimension.TOTAL ? Promise.resolve([]) : fromCube(ctx, g, MetricDimension.TOTAL, from, to, filter),
    ]);
  } else {
    const rows = await fromGroups(ctx, g, [...new Set([dim, MetricDimension.TOTAL])], from, to);
    figures = rows.filter((r) => r.dimension === dim);
    totals = rows.filter((r) => r.dimension === MetricDimension.TOTAL);
  }
  if (dim === MetricDimension.TOTAL) totals = figures;
  const settlementWhere = hasFilter(args.where) && (args.where?.cities?.length || args.where?.serviceTypes?.length || args.where?.channels?.length);
  const [settledRows, settledTotals] =
    args.withSettlements !== false && SETTLEMENT_DIMENSIONS.has(dim) && !settlementWhere
      ? await Promise.all([settlements(ctx, g, dim, from, to, args.where), dim === MetricDimension.TOTAL ? [] : settlements(ctx, g, MetricDimension.TOTAL, from, to, args.where)])
      : [[], []];
  const keys = [...new Set(figures.map((f) => f.key))].sort();
  const byKey = (rows: { period: string; key: string }[]) => new Map(rows.map((r) => [`${r.period}|${r.key}`, r]));
  const names = await labels(ctx, dim, keys);
  const series = buildSeries(g, starts, keys, byKey(figures) as Map<string, Figures>, byKey(settledRows) as Map<string, SettlementRow>, names);
  const [total] = buildSeries(
    g,
    starts,
    [''],
    byKey(totals.map((t) => ({ ...t, key: '' }))) as Map<string, Figures>,
    byKey((dim === MetricDimension.TOTAL ? settledRows : settledTotals).map((t) => ({ ...t, key: '' }))) as Map<string, SettlementRow>,
    new Map([['', 'All']]),
  );
  if (dim !== MetricDimension.TOTAL && !SETTLEMENT_DIMENSIONS.has(dim)) for (const pt of total.points) pt.settlementGross = pt.settlementPartnerShare = pt.settlementPlatformShare = null;
  return {
    granularity: args.granularity,
    groupBy: dim,
    periods: starts.slice(1).map((s) => periodLabel(s, g)),
    series: dim === MetricDimension.TOTAL ? [total] : series,
    total,
    suppression: 'none: internal callers see every group',
  };
}

export function badFilterForPartners(): GraphQLError {
  return new GraphQLError('Partners cannot filter ecosystem metrics; group them instead', { extensions: { code: 'FIELD_NOT_ALLOWED' } });
}

