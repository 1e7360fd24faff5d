// Monthly partner evaluation score (001, "机制3：质量管理机制": customer satisfaction 40%, response
// speed 25%, complaint handling 20%, price reasonableness 15%; the weights come from
// config.metrics.evaluationWeights), computed on the fly in one SQL statement for a range of
// months from service_order, rating, complaint, agreement and price_list_item.
//
// For each partner and month (calendar months of service_order.created_at in the business time
// zone, Asia/Shanghai, the months of the quality tiers and settlements), over the partner's orders
// created in the month (any status); ratings and complaints count in the month of their order:
//
//   satisfaction         = (average rating - 1) / 4 * 100            (1 star -> 0, 5 stars -> 100)
//                          null when no order of the month is rated
//   response speed       = answered orders with response_minutes <= the SLA minutes of the
//                          agreement in force / answered orders * 100
//                          'answered' = response_minutes is not null (orders cancelled or still
//                          waiting before any response are left out); the agreement in force is
//                          chosen as for settlements: valid in the month, latest valid_from, then
//                          highest id. Null without answered orders or without an agreement.
//   complaint handling   = 100 * (1 - min(1, complaint rate / bronze complaint rate))
//                              * (0.5 + 0.5 * resolved share)
//                          complaint rate = complaints on the month's orders / orders (the quality
//                          tiers' rate); bronze complaint rate = config.metrics.quality
//                          .bronzeComplaintRate (2%), so a rate at or above the BRONZE limit scores 0;
//                          resolved share = resolved complaints / complaints (1 without complaints).
//                          A bronze limit of 0 scores 100 without complaints and 0 with any.
//   price reasonableness = for each price-list item of the partner:
//                            item score = 100 * clamp(1 - |price / median - 1|, 0, 1)
//                          where median = the median price_minor of all partners' items of the same
//                          (service_type, unit) (percentile_cont 0.5, the partner included; items
//                          whose median is 0 are left out); a service type's score is the mean of
//                          its items' scores (one per unit); the month's component is the mean over
//                          the month's orders of the score of the order's service type (so weighted
//                          by the order mix); orders of service types without a price-list item are
//                          left out; null when none is left.
//   score                = sum(weight * component) / sum(weight) over the components that are not
//                          null: a missing component is left out and the other weights are
//                          renormalised (the reason says which one and why). With all four present
//                          this is the plain weighted sum, the weights adding up to 1.
//
// A partner gets a row for every month from the month it joined (joined_on) and for every month it
// has orders. A month without orders has no score and no components: reason 'no orders'.
// Components and score are rounded to two decimals at the end (numeric, half away from zero); the
// evolution ranking uses the unrounded score. The tier of the month is read from
// partner_tier_history (null when that month has no tier or was not computed).
import { BUSINESS_TIME_ZONE, monthStart, type MonthRange } from '../settlements/settlement.sql';
import { sql, TRUE, type Sql } from '../../db/sql';

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
  /** Only this partner (a PARTNER caller, or a filter). */
  partnerId?: number;
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
  satisfaction: string | null;
  response_speed: string | null;
  complaint_handling: string | null;
  price_reasonableness: string | null;
  score: string | null;
  tier: string | null;
  reason: string;
}

function checkOptions(o: EvaluationOptions): void {
  const w = o.weights;
  for (const [k, v] of Object.entries({ ...w, bronzeComplaintRate: o.bronzeComplaintRate })) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`evaluation ${k} must be a non-negative number, got ${String(v)}`);
  }
  if (o.partnerId !== undefined && !Number.isInteger(o.partnerId)) throw new Error('partnerId must be a whole number');
}

/**
 * The CTEs of the evaluation, ending with `scored` (one row per partner-month with the unrounded
 * components and score). evaluationSql() and the evolution ranking continue from it.
 */
export function evaluationCtes(range: MonthRange, opts: EvaluationOptions): Sql {
  checkOptions(opts);
  const from = monthStart(range.from);
  const to = monthStart(range.to);
  if (from > to) throw new Error(`empty month range ${range.from}..${range.to}`);
  const tz = opts.timeZone ?? BUSINESS_TIME_ZONE;
  const w = opts.weights;
  const onlyOrders = opts.partnerId === undefined ? TRUE : sql`so.partner_id = ${opts.partnerId}::int`;
  const onlyPartners = opts.partnerId === undefined ? TRUE : sql`p.id = ${opts.partnerId}::int`;

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
  WHERE so.created_at >= b.lo AND so.created_at < b.hi AND ${onlyOrders}
),
grid AS (
  SELECT p.id AS partner_id, m.month
  FROM partner p JOIN months m ON p.joined_on < m.month + interval '1 month'
  WHERE ${onlyPartners}
  UNION
  SELECT DISTINCT partner_id, month FROM orders
),
sla AS (
  SELECT g.partner_id, g.month, a.sla_response_minutes
  FROM grid g
  CROSS JOIN LATERAL (
    SELECT ag.sla_response_minutes
    FROM agreement ag
    WHERE ag.partner_id = g.partner_id
      AND ag.valid_from < g.month + interval '1 month'
      AND (ag.valid_to IS NULL OR ag.valid_to >= g.month)
    ORDER BY ag.valid_from DESC, ag.id DESC
    LIMIT 1
  ) a
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
         count(o.response_minutes)::int AS answered,
         (count(*) FILTER (WHERE o.response_minutes <= s.sla_response_minutes))::int AS on_time,
         avg(tp.price_score) AS price_score
  FROM orders o
  LEFT JOIN sla s ON s.partner_id = o.partner_id AND s.month = o.month
  LEFT JOIN type_price tp ON tp.partner_id = o.partner_id AND tp.service_type = o.service_type
  GROUP BY 1, 2
),
rating_stats AS (
  SELECT o.partner_id, o.month, count(*)::int AS rating_count, avg(r.score::numeric) AS avg_rating
  FROM rating r JOIN orders o ON o.id = r.order_id
  GROUP BY 1, 2
),
complaint_stats AS (
  SELECT o.partner_id, o.month, count(*)::int AS complaint_count,
         (count(*) FILTER (WHERE c.resolved))::int AS resolved_count
  FROM complaint c JOIN orders o ON o.id = c.order_id
  GROUP BY 1, 2
),
components AS (
  SELECT g.partner_id, g.month,
         coalesce(os.order_count, 0) AS order_count,
         coalesce(rs.rating_count, 0) AS rating_count,
         coalesce(cs.complaint_count, 0) AS complaint_count,
         s.sla_response_minutes,
         coalesce(os.answered, 0) AS answered,
         CASE WHEN os.order_count > 0 THEN (rs.avg_rating - 1) / 4 * 100 END AS satisfaction,
         CASE WHEN os.answered > 0 AND s.sla_response_minutes IS NOT NULL
              THEN os.on_time::numeric / os.answered * 100 END AS response_speed,
         CASE WHEN os.order_count > 0 THEN
           100
           * CASE WHEN coalesce(cs.complaint_count, 0) = 0 THEN 1
                  WHEN ${opts.bronzeComplaintRate}::numeric <= 0 THEN 0
                  ELSE 1 - least(1, cs.complaint_count::numeric / os.order_count / ${opts.bronzeComplaintRate}::numeric)
             END
           * (0.5 + 0.5 * CASE WHEN coalesce(cs.complaint_count, 0) = 0 THEN 1
                               ELSE cs.resolved_count::numeric / cs.complaint_count END)
         END AS complaint_handling,
         CASE WHEN os.order_count > 0 THEN os.price_score END AS price_reasonableness
  FROM grid g
  LEFT JOIN order_stats os ON os.partner_id = g.partner_id AND os.month = g.month
  LEFT JOIN rating_stats rs ON rs.partner_id = g.partner_id AND rs.month = g.month
  LEFT JOIN complaint_stats cs ON cs.partner_id = g.partner_id AND cs.month = g.month
  LEFT JOIN sla s ON s.partner_id = g.partner_id AND s.month = g.month
),
weighted AS (
  SELECT c.*,
         coalesce(${w.satisfaction}::numeric * c.satisfaction, 0)
           + coalesce(${w.responseSpeed}::numeric * c.response_speed, 0)
           + coalesce(${w.complaintHandling}::numeric * c.complaint_handling, 0)
           + coalesce(${w.price}::numeric * c.price_reasonableness, 0) AS weighted_sum,
         CASE WHEN c.satisfaction IS NULL THEN 0 ELSE ${w.satisfaction}::numeric END
           + CASE WHEN c.response_speed IS NULL THEN 0 ELSE ${w.responseSpeed}::numeric END
           + CASE WHEN c.complaint_handling IS NULL THEN 0 ELSE ${w.complaintHandling}::numeric END
           + CASE WHEN c.price_reasonableness IS NULL THEN 0 ELSE ${w.price}::numeric END AS weight_sum
  FROM components c
),
scored AS (
  SELECT wt.*,
         CASE WHEN wt.order_count > 0 AND wt.weight_sum > 0 THEN wt.weighted_sum / wt.weight_sum END AS score,
         CASE
           WHEN wt.order_count = 0 THEN 'no orders'
           WHEN wt.weight_sum = 0 THEN 'no component with a weight could be computed'
           WHEN wt.satisfaction IS NULL OR wt.response_speed IS NULL OR wt.price_reasonableness IS NULL THEN
             'scored without ' || concat_ws(', ',
               CASE WHEN wt.satisfaction IS NULL THEN 'satisfaction (no rated orders)' END,
               CASE WHEN wt.response_speed IS NULL THEN
                 CASE WHEN wt.sla_response_minutes IS NULL THEN 'response speed (no agreement in force)'
                      ELSE 'response speed (no answered orders)' END END,
               CASE WHEN wt.price_reasonableness IS NULL THEN 'price reasonableness (no price-list item for the ordered service types)' END
             ) || '; the other weights renormalised'
           ELSE 'all four components'
         END AS reason
  FROM weighted wt
)`;
}

/** The evaluation of every partner (or one) for each month of the range. */
export function evaluationSql(range: MonthRange, opts: EvaluationOptions): Sql {
  return sql`${evaluationCtes(range, opts)}
SELECT p.id AS partner_id, p.slug, p.name,
       to_char(s.month, 'YYYY-MM-DD') AS month,
       s.order_count, s.rating_count, s.complaint_count,
       round(s.satisfaction, 2)::text AS satisfaction,
       round(s.response_speed, 2)::text AS response_speed,
       round(s.complaint_handling, 2)::text AS complaint_handling,
       round(s.price_reasonableness, 2)::text AS price_reasonableness,
       round(s.score, 2)::text AS score,
       h.tier,
       s.reason
FROM scored s
JOIN partner p ON p.id = s.partner_id
LEFT JOIN partner_tier_history h ON h.partner_id = s.partner_id AND h.month = s.month
ORDER BY s.month, s.score DESC NULLS LAST, p.slug`;
}
