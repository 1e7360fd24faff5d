// Monthly partner evaluation score (001, "机制3：质量管理机制": customer satisfaction 40%, response
// speed 25%, complaint handling 20%, price reasonableness 15%; the weights come from
// config.metrics.evaluationWeights), computed on the fly in one SQL statement for a range of
// months from service_order, rating, complaint, agreement and price_list_item. Each component is
// shrunk toward the ecosystem mean by its own sample size (a Bayesian average), so that one or two
// orders cannot earn a perfect score.
//
// For each partner and month (calendar months of service_order.created_at in the business time
// zone, Asia/Shanghai, the months of the quality tiers and settlements), over the partner's orders
// created in the month (any status); ratings and complaints count in the month of their order.
// The raw components, each with its own sample size n:
//
//   satisfaction         = (average rating - 1) / 4 * 100            (1 star -> 0, 5 stars -> 100)
//                          n = rated orders; null when no order of the month is rated
//   response speed       = answered orders with response_minutes <= the SLA minutes of the
//                          agreement in force / answered orders * 100
//                          'answered' = response_minutes is not null (orders cancelled or still
//                          waiting before any response are left out); the agreement in force is
//                          chosen as for settlements: valid in the month, latest valid_from, then
//                          highest id. n = answered orders (0 without an agreement in force); null
//                          when n = 0.
//   complaint handling   = 100 * (1 - min(1, complaint rate / bronze complaint rate))
//                              * (0.5 + 0.5 * resolved share)
//                          complaint rate = complaints on the month's orders / orders (the quality
//                          tiers' rate); bronze complaint rate = config.metrics.quality
//                          .bronzeComplaintRate (2%), so a rate at or above the BRONZE limit scores 0;
//                          resolved share = resolved complaints / complaints (1 without complaints).
//                          A bronze limit of 0 scores 100 without complaints and 0 with any.
//                          n = orders (never null while there are orders)
//   price reasonableness = for each price-list item of the partner:
//                            item score = 100 * clamp(1 - |price / median - 1|, 0, 1)
//                          where median = the median price_minor of all partners' items of the same
//                          (service_type, unit) (percentile_cont 0.5, the partner included; items
//                          whose median is 0 are left out); a service type's score is the mean of
//                          its items' scores (one per unit); the month's component is the mean over
//                          the month's orders of the score of the order's service type (so weighted
//                          by the order mix); orders of service types without a price-list item are
//                          left out. n = priced orders (the orders left in); null when n = 0.
//
// Shrinkage (Bayesian average), per component:
//   prior    = the ecosystem mean of the component in the same month: the n-weighted mean of every
//              partner's raw component (all partners with orders in the month, whatever the partner
//              filter), i.e. sum(n * x) / sum(n). For satisfaction, response speed and price this is
//              the pooled value of all the month's rated / answered / priced orders.
//   adjusted = (n * x + m * prior) / (n + m)   when n > 0
//            = prior                           when n = 0 (no own data: the ecosystem mean)
//   m        = config.metrics.evaluationPriorWeight (EVALUATION_PRIOR_WEIGHT, default 5): the prior
//              counts as m orders of ecosystem-average quality. m = 0 keeps the raw components (a
//              missing one still takes the prior).
//   score    = sum(weight * adjusted) / sum(weight) over the adjusted components that are not null.
//              An adjusted component is null only when no partner of the ecosystem has that
//              component in the month (no prior either); then it is left out and the other weights
//              are renormalised. Otherwise the weights add up to 1 and this is the plain weighted sum.
//   The reason says which components took the ecosystem mean and why, or were left out.
//
// A partner gets a row for every month from the month it joined (joined_on) and for every month it
// has orders. A month without orders has no score and no components: reason 'no orders'.
// Components and score are rounded to two decimals at the end (numeric, half away from zero); the
// evolution ranking works on unrounded values. The tier of the month is read from
// partner_tier_history (null when that month has no tier or was not computed).
//
// evaluationCtes(range, opts, 'range') pools the counts of all the months of the range into one
// period per partner (the quarterly evolution): the same components, priors and shrinkage over the
// range's pooled counts (on-time answers are judged against each month's own SLA).
import { BUSINESS_TIME_ZONE, monthStart, type MonthRange } from '../settlements/settlement.sql';
import { join, raw, sql, TRUE, type Sql } from '../../db/sql';

export interface EvaluationWeights {
  satisfaction: number;
  responseSpeed: number;
  complaintHandling: number;
  price: number;
}

export interface EvaluationOptions {
  weights: EvaluationWeights;
  /** config.metrics.quality.bronzeComplaintRate: the complaint rate that scores 0. */
  bronzeComplaintRate: number;
  /** config.metrics.evaluationPriorWeight: m of the Bayesian average, in orders (0 = no shrinkage). */
  priorWeight: number;
  /** Only this partner (a PARTNER caller, or a filter). The priors still cover every partner. */
  partnerId?: number;
  /** Only these partners (dispatch's candidates). The priors still cover every partner. */
  partnerIds?: number[];
  timeZone?: string;
}

/** One row of evaluationSql(). Numbers stay strings (numeric), rounded to two decimals. */
export interface EvaluationRow {
  partner_id: number;
  slug: string;
  name: string;
  /** 'YYYY-MM-01' */
  month: string;
  order_count: number;
  rating_count: number;
  complaint_count: number;
  /** Answered orders under an agreement in force: n of response speed. */
  answered_count: number;
  /** Orders of a service type with a price-list item: n of price reasonableness. */
  priced_order_count: number;
  /** Raw components (before shrinkage), null without own data. */
  satisfaction: string | null;
  response_speed: string | null;
  complaint_handling: string | null;
  price_reasonableness: string | null;
  /** Components shrunk toward the ecosystem mean: what the score is made of. */
  satisfaction_adjusted: string | null;
  response_speed_adjusted: string | null;
  complaint_handling_adjusted: string | null;
  price_reasonableness_adjusted: string | null;
  score: string | null;
  tier: string | null;
  reason: string;
}

/** 'month': one period per calendar month; 'range': the months of the range pooled into one. */
export type EvaluationPeriod = 'month' | 'range';

function checkOptions(o: EvaluationOptions): void {
  const w = o.weights;
  for (const [k, v] of Object.entries({ ...w, bronzeComplaintRate: o.bronzeComplaintRate, priorWeight: o.priorWeight })) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`evaluation ${k} must be a non-negative number, got ${String(v)}`);
  }
  if (o.partnerId !== undefined && !Number.isInteger(o.partnerId)) throw new Error('partnerId must be a whole number');
  if (o.partnerIds !== undefined && !o.partnerIds.every((id) => Number.isInteger(id))) throw new Error('partnerIds must be whole numbers');
}

/** The four components: raw column, its sample size, and what the reason says when it has no own data. */
const COMPONENTS = [
  { col: 'satisfaction', n: 'rating_count', weight: 'satisfaction', missing: raw(`'satisfaction (no rated orders)'`) },
  {
    col: 'response_speed',
    n: 'answered_count',
    weight: 'responseSpeed',
    missing: raw(`CASE WHEN sc.sla_response_minutes IS NULL THEN 'response speed (no agreement in force)' ELSE 'response speed (no answered orders)' END`),
  },
  { col: 'complaint_handling', n: 'order_count', weight: 'complaintHandling', missing: raw(`'complaint handling (no orders)'`) },
  { col: 'price_reasonableness', n: 'priced_count', weight: 'price', missing: raw(`'price reasonableness (no price-list item for the ordered service types)'`) },
] as const;

/**
 * The CTEs of the evaluation, ending with `scored`: one row per partner and period (`month`, the
 * period's first month) with the counts, the raw and adjusted components and the score, all
 * unrounded. evaluationSql() continues from it per month; the evolution ranking per range.
 */
export function evaluationCtes(range: MonthRange, opts: EvaluationOptions, period: EvaluationPeriod = 'month'): Sql {
  checkOptions(opts);
  const from = monthStart(range.from);
  const to = monthStart(range.to);
  if (from > to) throw new Error(`empty month range ${range.from}..${range.to}`);
  const tz = opts.timeZone ?? BUSINESS_TIME_ZONE;
  const w = opts.weights;
  const m = sql`${opts.priorWeight}::numeric`;
  const only = opts.partnerIds ?? (opts.partnerId === undefined ? undefined : [opts.partnerId]);
  const onlyPartners = only === undefined ? TRUE : sql`p.id = any(${only}::int[])`;
  const onlyActive = only === undefined ? TRUE : sql`a.partner_id = any(${only}::int[])`;

  const counts =
    period === 'month'
      ? sql`SELECT mc.*, 1 AS months_with_orders FROM monthly mc`
      : sql`SELECT mc.partner_id, ${from}::date AS month,
         sum(mc.order_count)::int AS order_count,
         sum(mc.answered_count)::int AS answered_count,
         sum(mc.on_time)::int AS on_time,
         max(mc.sla_response_minutes) AS sla_response_minutes,
         sum(mc.priced_count)::int AS priced_count,
         sum(mc.price_sum) AS price_sum,
         sum(mc.rating_count)::int AS rating_count,
         sum(mc.rating_sum)::int AS rating_sum,
         sum(mc.complaint_count)::int AS complaint_count,
         sum(mc.resolved_count)::int AS resolved_count,
         count(*)::int AS months_with_orders
  FROM monthly mc
  GROUP BY mc.partner_id`;
  const grid =
    period === 'month'
      ? sql`SELECT p.id AS partner_id, m.month
  FROM partner p JOIN months m ON p.joined_on < m.month + interval '1 month'
  WHERE ${onlyPartners}
  UNION
  SELECT a.partner_id, a.month FROM active a WHERE ${onlyActive}`
      : sql`SELECT a.partner_id, a.month FROM counts a WHERE ${onlyActive}`;

  // adjusted = (n * x + m * prior) / (n + m) with own data, else the prior; null without orders.
  const adjusted = COMPONENTS.map(
    (c) => sql`CASE WHEN r.order_count > 0 THEN
           CASE WHEN r.${raw(c.n)} > 0 THEN (r.${raw(c.n)} * r.${raw(c.col)} + ${m} * pr.${raw(c.col)}) / (r.${raw(c.n)} + ${m})
                ELSE pr.${raw(c.col)} END
         END AS ${raw(c.col)}_adjusted`,
  );
  const weightedSum = COMPONENTS.map((c) => sql`coalesce(${w[c.weight]}::numeric * c.${raw(c.col)}_adjusted, 0)`);
  const weightSum = COMPONENTS.map((c) => sql`CASE WHEN c.${raw(c.col)}_adjusted IS NULL THEN 0 ELSE ${w[c.weight]}::numeric END`);
  const atPrior = COMPONENTS.map((c) => sql`CASE WHEN sc.${raw(c.col)} IS NULL AND sc.${raw(c.col)}_adjusted IS NOT NULL THEN ${c.missing} END`);
  const leftOut = COMPONENTS.map((c) => sql`CASE WHEN sc.${raw(c.col)}_adjusted IS NULL THEN ${c.missing} END`);
  const list = (parts: Sql[]) => sql`nullif(concat_ws(', ', ${join(parts, ', ')}), '')`;

  return sql`
WITH bounds AS (
  SELECT (${from}::date)::timestamp AT TIME ZONE ${tz}::text AS lo,
         ((${to}::date + interval '1 month')::timestamp) AT TIME ZONE ${tz}::text AS hi
),
months AS (
  SELECT generate_series(${from}::date, ${to}::date, interval '1 month')::date AS month
),
orders AS (
  SELECT so.id, so.partner_id, so.service_type, so.response_minutes,
         date_trunc('month', so.created_at AT TIME ZONE ${tz}::text)::date AS month
  FROM service_order so, bounds b
  WHERE so.created_at >= b.lo AND so.created_at < b.hi
),
active AS (
  SELECT DISTINCT partner_id, month FROM orders
),
sla AS (
  SELECT a.partner_id, a.month, ag.sla_response_minutes
  FROM active a
  CROSS JOIN LATERAL (
    SELECT ag.sla_response_minutes
    FROM agreement ag
    WHERE ag.partner_id = a.partner_id
      AND ag.valid_from < a.month + interval '1 month'
      AND (ag.valid_to IS NULL OR ag.valid_to >= a.month)
    ORDER BY ag.valid_from DESC, ag.id DESC
    LIMIT 1
  ) ag
),
medians AS (
  SELECT service_type, unit,
         (percentile_cont(0.5) WITHIN GROUP (ORDER BY price_minor::float8))::numeric AS median
  FROM price_list_item
  GROUP BY 1, 2
),
type_price AS (
  SELECT pli.partner_id, pli.service_type,
         avg(100 * greatest(0, 1 - abs(pli.price_minor::numeric / md.median - 1))) AS price_score
  FROM price_list_item pli
  JOIN medians md ON md.service_type = pli.service_type AND md.unit = pli.unit
  WHERE md.median > 0
  GROUP BY 1, 2
),
order_stats AS (
  SELECT o.partner_id, o.month,
         count(*)::int AS order_count,
         (count(o.response_minutes) FILTER (WHERE s.sla_response_minutes IS NOT NULL))::int AS answered_count,
         (count(*) FILTER (WHERE o.response_minutes <= s.sla_response_minutes))::int AS on_time,
         max(s.sla_response_minutes) AS sla_response_minutes,
         count(tp.price_score)::int AS priced_count,
         sum(tp.price_score) AS price_sum
  FROM orders o
  LEFT JOIN sla s ON s.partner_id = o.partner_id AND s.month = o.month
  LEFT JOIN type_price tp ON tp.partner_id = o.partner_id AND tp.service_type = o.service_type
  GROUP BY 1, 2
),
rating_stats AS (
  SELECT o.partner_id, o.month, count(*)::int AS rating_count, sum(r.score)::int AS rating_sum
  FROM rating r JOIN orders o ON o.id = r.order_id
  GROUP BY 1, 2
),
complaint_stats AS (
  SELECT o.partner_id, o.month, count(*)::int AS complaint_count,
         (count(*) FILTER (WHERE c.resolved))::int AS resolved_count
  FROM complaint c JOIN orders o ON o.id = c.order_id
  GROUP BY 1, 2
),
monthly AS (
  SELECT os.*,
         coalesce(rs.rating_count, 0) AS rating_count,
         coalesce(rs.rating_sum, 0) AS rating_sum,
         coalesce(cs.complaint_count, 0) AS complaint_count,
         coalesce(cs.resolved_count, 0) AS resolved_count
  FROM order_stats os
  LEFT JOIN rating_stats rs ON rs.partner_id = os.partner_id AND rs.month = os.month
  LEFT JOIN complaint_stats cs ON cs.partner_id = os.partner_id AND cs.month = os.month
),
counts AS (
  ${counts}
),
raw_components AS (
  SELECT c.*,
         CASE WHEN c.rating_count > 0 THEN (c.rating_sum::numeric / c.rating_count - 1) / 4 * 100 END AS satisfaction,
         CASE WHEN c.answered_count > 0 THEN c.on_time::numeric / c.answered_count * 100 END AS response_speed,
         100
           * CASE WHEN c.complaint_count = 0 THEN 1
                  WHEN ${opts.bronzeComplaintRate}::numeric <= 0 THEN 0
                  ELSE 1 - least(1, c.complaint_count::numeric / c.order_count / ${opts.bronzeComplaintRate}::numeric)
             END
           * (0.5 + 0.5 * CASE WHEN c.complaint_count = 0 THEN 1
                               ELSE c.resolved_count::numeric / c.complaint_count END) AS complaint_handling,
         CASE WHEN c.priced_count > 0 THEN c.price_sum / c.priced_count END AS price_reasonableness
  FROM counts c
),
priors AS (
  -- the ecosystem mean of each component: sum(n * x) / sum(n) over every partner of the period
  SELECT month,
         sum(rating_count * satisfaction) / nullif(sum(rating_count), 0) AS satisfaction,
         sum(answered_count * response_speed) / nullif(sum(answered_count), 0) AS response_speed,
         sum(order_count * complaint_handling) / nullif(sum(order_count), 0) AS complaint_handling,
         sum(priced_count * price_reasonableness) / nullif(sum(priced_count), 0) AS price_reasonableness
  FROM raw_components
  GROUP BY month
),
grid AS (
  ${grid}
),
components AS (
  SELECT g.partner_id, g.month,
         coalesce(r.order_count, 0) AS order_count,
         coalesce(r.rating_count, 0) AS rating_count,
         coalesce(r.complaint_count, 0) AS complaint_count,
         coalesce(r.answered_count, 0) AS answered_count,
         coalesce(r.priced_count, 0) AS priced_count,
         coalesce(r.months_with_orders, 0) AS months_with_orders,
         r.sla_response_minutes,
         r.satisfaction, r.response_speed, r.complaint_handling, r.price_reasonableness,
         ${join(adjusted, ',\n         ')}
  FROM grid g
  LEFT JOIN raw_components r ON r.partner_id = g.partner_id AND r.month = g.month
  LEFT JOIN priors pr ON pr.month = g.month
),
weighted AS (
  SELECT c.*,
         ${join(weightedSum, '\n           + ')} AS weighted_sum,
         ${join(weightSum, '\n           + ')} AS weight_sum
  FROM components c
),
scored AS (
  SELECT sc.*,
         CASE WHEN sc.order_count > 0 AND sc.weight_sum > 0 THEN sc.weighted_sum / sc.weight_sum END AS score,
         CASE
           WHEN sc.order_count = 0 THEN 'no orders'
           WHEN sc.weight_sum = 0 THEN 'no component with a weight could be computed'
           ELSE coalesce(nullif(concat_ws('; ',
                  'ecosystem mean for ' || ${list(atPrior)},
                  'scored without ' || ${list(leftOut)} || '; no partner has them: the other weights renormalised'
                ), ''), 'all four components')
         END AS reason
  FROM weighted sc
)`;
}

/** The evaluation of every partner (or one) for each month of the range. */
export function evaluationSql(range: MonthRange, opts: EvaluationOptions): Sql {
  return sql`${evaluationCtes(range, opts)}
SELECT p.id AS partner_id, p.slug, p.name,
       to_char(s.month, 'YYYY-MM-DD') AS month,
       s.order_count, s.rating_count, s.complaint_count, s.answered_count, s.priced_count AS priced_order_count,
       round(s.satisfaction, 2)::text AS satisfaction,
       round(s.response_speed, 2)::text AS response_speed,
       round(s.complaint_handling, 2)::text AS complaint_handling,
       round(s.price_reasonableness, 2)::text AS price_reasonableness,
       round(s.satisfaction_adjusted, 2)::text AS satisfaction_adjusted,
       round(s.response_speed_adjusted, 2)::text AS response_speed_adjusted,
       round(s.complaint_handling_adjusted, 2)::text AS complaint_handling_adjusted,
       round(s.price_reasonableness_adjusted, 2)::text AS price_reasonableness_adjusted,
       round(s.score, 2)::text AS score,
       h.tier,
       s.reason
FROM scored s
JOIN partner p ON p.id = s.partner_id
LEFT JOIN partner_tier_history h ON h.partner_id = s.partner_id AND h.month = s.month
ORDER BY s.month, s.score DESC NULLS LAST, p.slug`;
}
