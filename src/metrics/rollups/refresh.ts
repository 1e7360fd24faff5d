// Recomputes the rollups of stale months: the cube (month × partner × city × service type ×
// channel) and the per-group figures of every month, quarter and year those months touch.
// Triggers mark months stale (migrations/*_metric_rollups.ts); the refresher below runs this
// every ROLLUP_REFRESH_MS, so dashboards are at most that far behind (plus the recompute).
//
// SLA figures: sla_answered = orders with response_minutes not null whose partner has an
// agreement in force in the order's month; sla_breaches = those with response_minutes greater
// than that agreement's sla_response_minutes (exactly at the SLA is on time). The agreement is
// chosen as in evaluation.sql.ts and settlement.sql.ts: valid in the month, latest valid_from,
// then highest id. Agreement writes mark the months they touch stale
// (migrations/*_sla_breach_rollups.ts).
//
// Bounded figures (dp_*, for partners' differentially private figures, src/metrics/ecosystem/noise.ts):
// the same figures over each customer's first DP_MAX_ORDERS_PER_CUSTOMER_MONTH orders of the month
// (by created_at, id, across all partners), each order's amount clamped at DP_MAX_ORDER_AMOUNT and its
// complaints counted once, so one customer moves a dp count of one cell by at most the cap in a month.
// The bounds are read from the process environment (config.ts dpBoundsFromEnv); after changing them,
// recompute every month (`cli rollups refresh`).
import type pg from 'pg';
import { dpBoundsFromEnv } from '../../config';

export const BUSINESS_TIME_ZONE = 'Asia/Shanghai';
export const GRANULARITIES = ['MONTH', 'QUARTER', 'YEAR'] as const;
export type Granularity = (typeof GRANULARITIES)[number];
export const DIMENSIONS = ['TOTAL', 'CATEGORY', 'PARTNER', 'CITY', 'SERVICE_TYPE', 'QUALITY_TIER', 'CHANNEL'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
const TIERS = ['GOLD', 'SILVER', 'BRONZE', 'YELLOW_CARD', 'EXITED', 'UNRATED'];

const unit = (g: Granularity) => g.toLowerCase();
const MONTH_OF = `date_trunc('month', o.created_at at time zone '${BUSINESS_TIME_ZONE}')::date`;

/** The instant a business-time-zone date starts, as SQL over a $n date parameter. */
const startOf = (param: string) => `(${param}::timestamp at time zone '${BUSINESS_TIME_ZONE}')`;

function periodBounds(months: string[], g: Granularity): { periods: string[]; start: string; end: string } {
  const periods = [...new Set(months.map((m) => truncate(m, g)))].sort();
  const start = periods[0];
  const last = periods[periods.length - 1];
  return { periods, start, end: addPeriod(last, g) };
}

export function truncate(date: string, g: Granularity): string {
  const [y, m] = date.split('-').map(Number);
  if (g === 'YEAR') return `${y}-01-01`;
  if (g === 'QUARTER') return `${y}-${String(Math.floor((m - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
  return `${y}-${String(m).padStart(2, '0')}-01`;
}

export function addPeriod(period: string, g: Granularity, n = 1): string {
  const [y, m] = period.split('-').map(Number);
  const step = g === 'YEAR' ? 12 : g === 'QUARTER' ? 3 : 1;
  const total = y * 12 + (m - 1) + step * n;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}-01`;
}

/**
 * The SLA minutes (sla) of every partner's agreement in force in each month of `months` (SQL giving a
 * column of first-of-month dates): valid in the month, latest valid_from, then highest id.
 */
const slaInForce = (months: string) => `select p.id as partner_id, mm.month, a.sla_response_minutes as sla
       from partner p cross join (${months}) mm(month)
       cross join lateral (select ag.sla_response_minutes from agreement ag
                            where ag.partner_id = p.id and ag.valid_from < mm.month + interval '1 month'
                              and (ag.valid_to is null or ag.valid_to >= mm.month)
                            order by ag.valid_from desc, ag.id desc limit 1) a`;

/** Answered orders under an agreement in force, and those over its SLA (columns response_minutes, sla). */
const SLA_COUNTS = `(count(*) filter (where response_minutes is not null and sla is not null))::int,
            (count(*) filter (where response_minutes > sla))::int`;

/** The bounded (dp_*) figures over rows with rk (rank of the order in its customer's month), status, amount_minor, channel, score, complaints, response_minutes, sla. */
function dpSums(complaints: string): string {
  const { maxOrdersPerCustomerMonth: cap, maxOrderAmountMinor: max } = dpBoundsFromEnv();
  const kept = `rk <= ${Number(cap)}`;
  return `(count(*) filter (where ${kept}))::int, (count(*) filter (where ${kept} and status = 'FULFILLED'))::int,
            coalesce(sum(least(amount_minor, ${Number(max)})) filter (where ${kept} and status = 'FULFILLED'), 0),
            (count(*) filter (where ${kept} and channel = 'ONLINE'))::int,
            (count(*) filter (where ${kept} and ${complaints} > 0))::int,
            coalesce(sum(score) filter (where ${kept}), 0), (count(score) filter (where ${kept}))::int,
            (count(*) filter (where ${kept} and response_minutes is not null and sla is not null))::int,
            (count(*) filter (where ${kept} and response_minutes > sla))::int`;
}

const DP_COLUMNS = `dp_orders, dp_fulfilled, dp_gmv_minor, dp_online_orders, dp_complaints, dp_rating_sum, dp_rating_count, dp_sla_answered, dp_sla_breaches`;

function monthsBetween(start: string, end: string): string[] {
  const months: string[] = [];
  for (let m = start; m < end; m = addPeriod(m, 'MONTH')) months.push(m);
  return months;
}

async function refreshCube(client: pg.PoolClient, months: string[]): Promise<void> {
  const { start, end } = periodBounds(months, 'MONTH');
  await client.query('delete from metric_cube where month = any($1::date[])', [months]);
  await client.query(
    `insert into metric_cube (month, partner_id, city, service_type, channel, orders, fulfilled, gmv_minor, rating_sum, rating_count, complaints, online_orders,
                              sla_answered, sla_breaches, ${DP_COLUMNS})
     select o.m, o.partner_id, o.city, o.service_type, o.channel, count(*)::int,
            (count(*) filter (where o.status = 'FULFILLED'))::int,
            coalesce(sum(o.amount_minor) filter (where o.status = 'FULFILLED'), 0),
            coalesce(sum(r.score), 0), count(r.score)::int, coalesce(sum(cc.n), 0)::int,
            (count(*) filter (where o.channel = 'ONLINE'))::int,
            ${SLA_COUNTS},
            ${dpSums('coalesce(cc.n, 0)')}
       from (select o.*, row_number() over (partition by o.customer_id, o.m order by o.created_at, o.id) as rk
               from (select o.*, ${MONTH_OF} as m from service_order o
                      where o.created_at >= ${startOf('$2')} and o.created_at < ${startOf('$3')}) o) o
       left join rating r on r.order_id = o.id
       left join (select order_id, count(*) as n from complaint group by order_id) cc on cc.order_id = o.id
       left join (${slaInForce('select unnest($1::date[])')}) s on s.partner_id = o.partner_id and s.month = o.m
      where o.m = any($1::date[])
      group by 1, 2, 3, 4, 5`,
    [months, start, end],
  );
}

async function refreshGroups(client: pg.PoolClient, months: string[], g: Granularity): Promise<void> {
  const { periods, start, end } = periodBounds(months, g);
  await client.query('delete from metric_group where granularity = $1 and period = any($2::date[])', [g, periods]);
  const byTier = TIERS.map((t) => `'${t}', count(distinct partner_id) filter (where tier = '${t}')`).join(', ');
  await client.query(
    `with o as (
       select date_trunc('${unit(g)}', o.created_at at time zone '${BUSINESS_TIME_ZONE}')::date as period, ${MONTH_OF} as m,
              o.id, o.partner_id, p.category, o.city, o.service_type, o.channel, o.customer_id, o.status, o.amount_minor, o.response_minutes,
              o.created_at
         from service_order o join partner p on p.id = o.partner_id
        where o.created_at >= ${startOf('$2')} and o.created_at < ${startOf('$3')}
     ), x as (
       select o.*, coalesce(h.tier, 'UNRATED') as tier, r.score, coalesce(cc.n, 0) as complaints, s.sla,
              row_number() over (partition by o.customer_id, o.m order by o.created_at, o.id) as rk
         from o
         left join partner_tier_history h on h.partner_id = o.partner_id and h.month = o.m
         left join rating r on r.order_id = o.id
         left join (select order_id, count(*)::int as n from complaint group by order_id) cc on cc.order_id = o.id
         left join (${slaInForce('select unnest($5::date[])')}) s on s.partner_id = o.partner_id and s.month = o.m
        where o.period = any($4::date[])
     )
     insert into metric_group (granularity, period, dimension, key, orders, fulfilled, gmv_minor, rating_sum, rating_count,
                               complaints, online_orders, customers, partners, response_p50, response_p95, partners_by_tier,
                               sla_answered, sla_breaches, ${DP_COLUMNS})
     select $1, period,
            case when grouping(category) = 0 then 'CATEGORY' when grouping(partner_id) = 0 then 'PARTNER'
                 when grouping(city) = 0 then 'CITY' when grouping(service_type) = 0 then 'SERVICE_TYPE'
                 when grouping(tier) = 0 then 'QUALITY_TIER' when grouping(channel) = 0 then 'CHANNEL' else 'TOTAL' end,
            case when grouping(category) = 0 then category when grouping(partner_id) = 0 then partner_id::text
                 when grouping(city) = 0 then city when grouping(service_type) = 0 then service_type
                 when grouping(tier) = 0 then tier when grouping(channel) = 0 then channel else '' end,
            count(*)::int, (count(*) filter (where status = 'FULFILLED'))::int,
            coalesce(sum(amount_minor) filter (where status = 'FULFILLED'), 0),
            coalesce(sum(score), 0), count(score)::int, sum(complaints)::int,
            (count(*) filter (where channel = 'ONLINE'))::int,
            count(distinct customer_id)::int, count(distinct partner_id)::int,
            round(percentile_cont(0.5) within group (order by response_minutes)::numeric, 2),
            round(percentile_cont(0.95) within group (order by response_minutes)::numeric, 2),
            jsonb_build_object(${byTier}),
            ${SLA_COUNTS},
            ${dpSums('complaints')}
       from x
      group by grouping sets ((period), (period, category), (period, partner_id), (period, city),
                              (period, service_type), (period, tier), (period, channel))`,
    [g, start, end, periods, monthsBetween(start, end)],
  );
}

/** Recompute the given months (and their quarters and years) in one transaction. */
export async function refreshMonths(client: pg.PoolClient, months: string[]): Promise<void> {
  if (months.length === 0) return;
  await refreshCube(client, months);
  for (const g of GRANULARITIES) await refreshGroups(client, months, g);
}

/**
 * Takes the stale months and recomputes them. Replicas may all run this: the advisory lock lets
 * one do the work; the others find nothing stale.
 *
 * The stale months are claimed in a short transaction of their own (moved to
 * metric_refreshing_month), so that order writes, whose triggers mark months stale, never wait
 * for a recompute that takes seconds: a write during the recompute marks its month stale again
 * and the next round takes it. A claimed month is released only when its recompute commits, so
 * a crash in between leaves it to the next refresh, on any replica. Returns the months refreshed.
 */
export async function refreshStale(pool: pg.Pool): Promise<string[]> {
  const client = await pool.connect();
  let locked = false;
  try {
    locked = (await client.query<{ ok: boolean }>("select pg_try_advisory_lock(hashtext('ecograph-rollups')) as ok")).rows[0]!.ok;
    if (!locked) return [];
    // Autocommit: the stale rows are locked for milliseconds only.
    await client.query(`with taken as (delete from metric_dirty_month returning month)
      insert into metric_refreshing_month (month) select month from taken on conflict do nothing`);
    await client.query('begin');
    await client.query("set local statement_timeout = '15min'");
    const stale = await client.query<{ month: string }>('select month::text as month from metric_refreshing_month');
    const months = stale.rows.map((r) => r.month).sort();
    await refreshMonths(client, months);
    await client.query('delete from metric_refreshing_month where month = any($1::date[])', [months]);
    // Cached metric answers are keyed by this version (src/metrics/cache), and every replica's
    // cache empties when this commits (invalidation.ts).
    if (months.length > 0) {
      await client.query('update metric_rollup_version set version = version + 1 where id = 1');
      await client.query("select pg_notify('ecograph_metrics', '')");
    }
    await client.query('commit');
    return months;
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    if (locked) await client.query("select pg_advisory_unlock(hashtext('ecograph-rollups'))").catch(() => undefined);
    client.release();
  }
}

/** Every month with orders is marked stale (after a bulk load, or by `cli rollups refresh`). */
export async function markAllStale(pool: pg.Pool): Promise<void> {
  await pool.query(
    `insert into metric_dirty_month (month)
     select distinct date_trunc('month', created_at at time zone '${BUSINESS_TIME_ZONE}')::date from service_order
     on conflict do nothing`,
  );
}
