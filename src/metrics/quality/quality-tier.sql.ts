// Monthly quality tiers of partners (001, "机制3：质量管理机制"), as SQL that the seed and the API
// both run: one statement fills partner_tier_history for a month range, one sets
// partner.quality_tier / partner.status from it.
//
// For each partner and month (months of created_at in the business time zone, Asia/Shanghai):
//   order_count     = the partner's orders created in the month (any status)
//   average_rating  = mean score of the ratings of those orders
//   complaint rate  = complaints on those orders / order_count
// Ratings and complaints count in the month of their order, not the month they were written.
//   no orders in the month (partner already joined)  -> tier null, reason 'no orders'
//   fewer than minOrders rated orders               -> tier null, reason 'too few orders (N)', N = rated orders
//   GOLD         rating > goldRating   and complaint rate < goldComplaintRate
//   SILVER       rating > silverRating and complaint rate < silverComplaintRate
//   BRONZE       rating > bronzeRating and complaint rate < bronzeComplaintRate
//   YELLOW_CARD  rating < yellowRating, and (boundary decision) every other month that misses
//                BRONZE: a rating of exactly 4.0 (not above 4.0) or a rating >= 4.0 whose complaint
//                rate is too high for BRONZE (>= 2%) is a YELLOW_CARD too, so that every rated
//                month gets a tier and no partner escapes sanctions through the gap in the rules.
//   EXITED       the month is a YELLOW_CARD month and so were the previous exitAfterYellowMonths-1
//                consecutive calendar months (a month without a tier breaks the run).
// The reason is a sentence with the figures, e.g. 'rating 4.83 > 4.8 and complaint rate 0.31% < 0.5%'.
import { BUSINESS_TIME_ZONE, monthStart, type MonthRange, type SqlStatement } from '../settlements/settlement.sql';

export interface QualityThresholds {
  goldRating: number;
  goldComplaintRate: number;
  silverRating: number;
  silverComplaintRate: number;
  bronzeRating: number;
  bronzeComplaintRate: number;
  yellowRating: number;
  exitAfterYellowMonths: number;
  /** Months with fewer rated orders than this get no tier. */
  minOrders: number;
}

/** The values of 001; override through configuration. */
export const DEFAULT_QUALITY_THRESHOLDS: Readonly<QualityThresholds> = Object.freeze({
  goldRating: 4.8,
  goldComplaintRate: 0.005,
  silverRating: 4.5,
  silverComplaintRate: 0.01,
  bronzeRating: 4.0,
  bronzeComplaintRate: 0.02,
  yellowRating: 4.0,
  exitAfterYellowMonths: 3,
  minOrders: 20,
});

function checkThresholds(t: QualityThresholds): void {
  for (const [key, value] of Object.entries(t)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new Error(`quality threshold ${key} must be a non-negative number, got ${String(value)}`);
    }
  }
  if (!Number.isInteger(t.exitAfterYellowMonths) || t.exitAfterYellowMonths < 1) {
    throw new Error('exitAfterYellowMonths must be a whole number >= 1');
  }
  if (!Number.isInteger(t.minOrders)) throw new Error('minOrders must be a whole number');
}

/** 4.8 -> '4.8', 4 -> '4.0', 0.005 -> '0.5%', 0.02 -> '2%' (for the reason text). */
function plain(n: number): string {
  return String(Number(n.toPrecision(12)));
}
function ratingText(n: number): string {
  return Number.isInteger(n) ? n.toFixed(1) : plain(n);
}
function percent(rate: number): string {
  return `${plain(rate * 100)}%`;
}

/** INSERT ... ON CONFLICT (partner_id, month) DO UPDATE into partner_tier_history for a month range. */
export function tierHistoryUpsertSql(
  range: MonthRange,
  thresholds: QualityThresholds = DEFAULT_QUALITY_THRESHOLDS,
  opts: { timeZone?: string } = {},
): SqlStatement {
  const t = { ...thresholds };
  checkThresholds(t);
  const from = monthStart(range.from);
  const to = monthStart(range.to);
  if (from > to) throw new Error(`empty month range ${range.from}..${range.to}`);

  const params: unknown[] = [
    from, // $1
    to, // $2
    opts.timeZone ?? BUSINESS_TIME_ZONE, // $3
    t.goldRating, // $4
    t.goldComplaintRate, // $5
    t.silverRating, // $6
    t.silverComplaintRate, // $7
    t.bronzeRating, // $8
    t.bronzeComplaintRate, // $9
    t.yellowRating, // $10
    t.exitAfterYellowMonths, // $11
    t.minOrders, // $12
    ratingText(t.goldRating), // $13
    percent(t.goldComplaintRate), // $14
    ratingText(t.silverRating), // $15
    percent(t.silverComplaintRate), // $16
    ratingText(t.bronzeRating), // $17
    percent(t.bronzeComplaintRate), // $18
    ratingText(t.yellowRating), // $19
  ];

  // A figure shown next to its threshold: two decimals, four when two would read as the
  // threshold itself (4.8049 shown as '4.80 > 4.8' would look wrong).
  const rating = (threshold: string) =>
    `(CASE WHEN round(avg_rating, 2) = ${threshold}::numeric AND avg_rating <> ${threshold}::numeric ` +
    `THEN round(avg_rating, 4) ELSE round(avg_rating, 2) END)::text`;
  const rate = (threshold: string) =>
    `(CASE WHEN round(complaint_rate * 100, 2) = ${threshold}::numeric * 100 AND complaint_rate <> ${threshold}::numeric ` +
    `THEN round(complaint_rate * 100, 4) ELSE round(complaint_rate * 100, 2) END)::text || '%'`;
  const yellowReason = `CASE
      WHEN avg_rating < $10::numeric THEN 'rating ' || ${rating('$10')} || ' < ' || $19::text
      WHEN avg_rating <= $8::numeric THEN 'rating ' || ${rating('$8')} || ' is not above ' || $17::text
      ELSE 'complaint rate ' || ${rate('$9')} || ' >= ' || $18::text || ', too high for BRONZE (rating ' || round(avg_rating, 2)::text || ')'
    END`;
  const month = `date_trunc('month', so.created_at AT TIME ZONE $3::text)::date`;

  const sql = `
WITH bounds AS (
  SELECT (($1::date - make_interval(months => $11::int - 1))::timestamp AT TIME ZONE $3::text) AS lo,
         (($2::date + interval '1 month')::timestamp AT TIME ZONE $3::text) AS hi
),
orders AS (
  SELECT so.partner_id, ${month} AS month, count(*)::int AS order_count
  FROM service_order so, bounds b
  WHERE so.created_at >= b.lo AND so.created_at < b.hi
  GROUP BY 1, 2
),
ratings AS (
  SELECT so.partner_id, ${month} AS month, count(*)::int AS rated, avg(r.score::numeric) AS avg_rating
  FROM rating r JOIN service_order so ON so.id = r.order_id, bounds b
  WHERE so.created_at >= b.lo AND so.created_at < b.hi
  GROUP BY 1, 2
),
complaints AS (
  SELECT so.partner_id, ${month} AS month, count(*)::int AS complaints
  FROM complaint c JOIN service_order so ON so.id = c.order_id, bounds b
  WHERE so.created_at >= b.lo AND so.created_at < b.hi
  GROUP BY 1, 2
),
months AS (
  SELECT generate_series($1::date - make_interval(months => $11::int - 1), $2::date, interval '1 month')::date AS month
),
grid AS (
  SELECT p.id AS partner_id, m.month
  FROM partner p JOIN months m ON p.joined_on < m.month + interval '1 month'
  UNION
  SELECT partner_id, month FROM orders
),
stats AS (
  SELECT g.partner_id, g.month,
         coalesce(o.order_count, 0) AS order_count,
         coalesce(r.rated, 0) AS rated,
         r.avg_rating,
         CASE WHEN o.order_count > 0 THEN coalesce(c.complaints, 0)::numeric / o.order_count END AS complaint_rate
  FROM grid g
  LEFT JOIN orders o ON o.partner_id = g.partner_id AND o.month = g.month
  LEFT JOIN ratings r ON r.partner_id = g.partner_id AND r.month = g.month
  LEFT JOIN complaints c ON c.partner_id = g.partner_id AND c.month = g.month
),
classified AS (
  SELECT s.*,
         CASE
           WHEN s.order_count = 0 OR s.rated < $12::int THEN NULL
           WHEN s.avg_rating > $4::numeric AND s.complaint_rate < $5::numeric THEN 'GOLD'
           WHEN s.avg_rating > $6::numeric AND s.complaint_rate < $7::numeric THEN 'SILVER'
           WHEN s.avg_rating > $8::numeric AND s.complaint_rate < $9::numeric THEN 'BRONZE'
           ELSE 'YELLOW_CARD'
         END AS raw_tier,
         extract(year FROM s.month)::int * 12 + extract(month FROM s.month)::int AS month_no
  FROM stats s
),
runs AS (
  SELECT c.*,
         c.month_no - row_number() OVER (PARTITION BY c.partner_id, c.raw_tier = 'YELLOW_CARD' ORDER BY c.month_no) AS run_key
  FROM classified c
),
streaks AS (
  SELECT r.*,
         CASE WHEN r.raw_tier = 'YELLOW_CARD'
              THEN row_number() OVER (PARTITION BY r.partner_id, r.raw_tier = 'YELLOW_CARD', r.run_key ORDER BY r.month_no)
         END AS yellow_run
  FROM runs r
)
INSERT INTO partner_tier_history (partner_id, month, tier, average_rating, complaint_rate, order_count, reason)
SELECT partner_id, month,
       CASE WHEN yellow_run >= $11::int THEN 'EXITED' ELSE raw_tier END,
       round(avg_rating, 3),
       round(complaint_rate, 6),
       order_count,
       CASE
         WHEN order_count = 0 THEN 'no orders'
         WHEN raw_tier IS NULL THEN 'too few orders (' || rated::text || ')'
         WHEN yellow_run >= $11::int THEN 'yellow card ' || yellow_run::text || ' months in a row (' || ${yellowReason} || ')'
         WHEN raw_tier = 'GOLD' THEN 'rating ' || ${rating('$4')} || ' > ' || $13::text || ' and complaint rate ' || ${rate('$5')} || ' < ' || $14::text
         WHEN raw_tier = 'SILVER' THEN 'rating ' || ${rating('$6')} || ' > ' || $15::text || ' and complaint rate ' || ${rate('$7')} || ' < ' || $16::text
         WHEN raw_tier = 'BRONZE' THEN 'rating ' || ${rating('$8')} || ' > ' || $17::text || ' and complaint rate ' || ${rate('$9')} || ' < ' || $18::text
         ELSE ${yellowReason}
       END
FROM streaks
WHERE month >= $1::date
ORDER BY month, partner_id
ON CONFLICT (partner_id, month) DO UPDATE SET
  tier = EXCLUDED.tier,
  average_rating = EXCLUDED.average_rating,
  complaint_rate = EXCLUDED.complaint_rate,
  order_count = EXCLUDED.order_count,
  reason = EXCLUDED.reason`;
  return { sql, params };
}

/**
 * partner.quality_tier = the tier of the partner's latest month that has one (months with
 * 'no orders' or 'too few orders' carry no tier and do not reset it); null without any.
 * partner.status becomes 'EXITED' when that tier is EXITED (never set back by this statement).
 */
export function partnerTierUpdateSql(): SqlStatement {
  const sql = `
UPDATE partner p
SET quality_tier = l.tier,
    status = CASE WHEN l.tier = 'EXITED' THEN 'EXITED' ELSE p.status END
FROM (
  SELECT p2.id,
         (SELECT h.tier FROM partner_tier_history h
          WHERE h.partner_id = p2.id AND h.tier IS NOT NULL
          ORDER BY h.month DESC LIMIT 1) AS tier
  FROM partner p2
) l
WHERE l.id = p.id
  AND (p.quality_tier IS DISTINCT FROM l.tier OR (l.tier = 'EXITED' AND p.status <> 'EXITED'))`;
  return { sql, params: [] };
}
