// Monthly settlement of partners (001, "机制1：价值分配机制": transparent rules, monthly
// settlement, comparable terms between partners), as one SQL statement that the seed and the
// API both run.
//
// The rule, for each partner and month that has FULFILLED orders or a day under a PLATFORM_FEE
// agreement (months and days in the business time zone, Asia/Shanghai):
//   agreement      = the partner's agreement of the month: valid in the month (valid_from on or
//                    before the month's last day and valid_to null or on/after its first day);
//                    when several are, the one with the latest valid_from (then the highest id).
//                    It gives the row's model and the rates of the month's orders. A partner-month
//                    without one gets no row.
//   order_count    = the partner's FULFILLED orders created in the month
//   gross          = sum of their amount_minor
//   earned         = what the partner sold: amount_minor of a list order, cost_minor of a cost-plus
//                    order (one with cost_minor: the platform buys the service at the partner's
//                    price and charges the customer its own, whatever the model)
//   margin         = sum of (amount_minor - cost_minor) over the cost-plus orders: the platform's,
//                    on top of its share below (negative when it sells below cost, e.g. a free
//                    member order)
//   The agreement's terms apply to what the partner earned:
//     COMMISSION     order_share = round(earned * commission_rate * (1 - gold_discount)), where
//                    gold_discount = goldCommissionDiscount (SETTLEMENT_GOLD_COMMISSION_DISCOUNT,
//                    default 0.2) when the partner's partner_tier_history tier of the month is GOLD,
//                    else 0
//     REVENUE_SHARE  order_share = round(earned * revenue_share_rate)
//     PLATFORM_FEE   order_share = 0
//   fee            = round(sum over the month's days of the monthly_fee_minor of the PLATFORM_FEE
//                    agreement in force that day / days in the month); the agreement in force on a
//                    day is, among those valid that day (valid_from <= day <= valid_to or no
//                    valid_to), the one with the latest valid_from, then the highest id. So the
//                    fee is charged for every month in force, with or without orders: in full for
//                    a whole month, pro rata (fee * days in force / days in month) for a partial
//                    first or last month, and once across versions when an agreement is amended
//                    mid-month. Days outside the statement's month range are not charged.
//   platform_share = order_share + margin + fee
//   partner_share  = gross - platform_share (so partner_share + platform_share = gross exactly;
//                    it is negative when the fee or a cost-plus loss exceeds what the partner earns:
//                    the partner owes the platform the difference)
//   margin_minor   = margin (0 without cost-plus orders)
// Arithmetic is exact: numeric, and round() on numeric rounds half away from zero (once per
// amount: order_share, fee). An order belongs to the month of its created_at in the business time
// zone, the same month the quality tiers use; the GOLD discount therefore needs the month's
// partner_tier_history computed before the settlement. Rows are upserted on (partner_id, month),
// so re-running a range refreshes it (a row that no longer qualifies is not deleted).

/** Months of orders are calendar months in this zone (China Standard Time, no DST). */
export const BUSINESS_TIME_ZONE = 'Asia/Shanghai';

export interface MonthRange {
  /** First month, 'YYYY-MM' or any date inside it ('YYYY-MM-DD'). */
  from: string;
  /** Last month, inclusive, same format. */
  to: string;
}

export interface SqlStatement {
  sql: string;
  params: unknown[];
}

/** Terms of settlement that are configuration rather than agreement (config.metrics.settlement). */
export interface SettlementTerms {
  /**
   * GOLD partners' lower commission (001 机制3): the fraction taken off the commission rate of
   * COMMISSION orders in a month whose tier is GOLD (0.2: a rate of 8% becomes 6.4%). 0 to 1.
   */
  goldCommissionDiscount: number;
}

/** The default terms; override through configuration (SETTLEMENT_GOLD_COMMISSION_DISCOUNT). */
export const DEFAULT_SETTLEMENT_TERMS: Readonly<SettlementTerms> = Object.freeze({ goldCommissionDiscount: 0.2 });

/** 'YYYY-MM' or 'YYYY-MM-DD' -> 'YYYY-MM-01'. */
export function monthStart(value: string): string {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(value);
  if (!m) throw new Error(`invalid month "${value}", expected YYYY-MM or YYYY-MM-DD`);
  const month = Number(m[2]);
  if (month < 1 || month > 12) throw new Error(`invalid month "${value}"`);
  return `${m[1]}-${m[2]}-01`;
}

/** INSERT ... SELECT ... ON CONFLICT (partner_id, month) DO UPDATE for a month range. */
export function settlementUpsertSql(
  range: MonthRange,
  terms: SettlementTerms = DEFAULT_SETTLEMENT_TERMS,
  opts: { timeZone?: string; /** Only this partner's rows (a dispatched order completed). */ partnerId?: number } = {},
): SqlStatement {
  const from = monthStart(range.from);
  const to = monthStart(range.to);
  if (from > to) throw new Error(`empty month range ${range.from}..${range.to}`);
  const discount = terms.goldCommissionDiscount;
  if (typeof discount !== 'number' || !Number.isFinite(discount) || discount < 0 || discount > 1) {
    throw new Error(`goldCommissionDiscount must be a number from 0 to 1, got ${String(discount)}`);
  }
  // $1 first month, $2 last month (both first days), $3 time zone, $4 GOLD discount (exact decimal text),
  // $5 one partner or null.
  const sql = `
WITH o AS (
  SELECT so.partner_id,
         date_trunc('month', so.created_at AT TIME ZONE $3::text)::date AS month,
         count(*)::int AS order_count,
         sum(so.amount_minor)::numeric AS gross,
         sum(coalesce(so.cost_minor, so.amount_minor))::numeric AS earned,
         coalesce(sum(so.amount_minor - so.cost_minor) FILTER (WHERE so.cost_minor IS NOT NULL), 0)::numeric AS margin
  FROM service_order so
  WHERE so.status = 'FULFILLED' AND ($5::int IS NULL OR so.partner_id = $5::int)
    AND so.created_at >= ($1::date)::timestamp AT TIME ZONE $3::text
    AND so.created_at < (($2::date + interval '1 month')::timestamp) AT TIME ZONE $3::text
  GROUP BY 1, 2
),
fee_day AS (
  SELECT ag.partner_id, date_trunc('month', d.day)::date AS month, ag.monthly_fee_minor::numeric AS fee
  FROM agreement ag
  CROSS JOIN LATERAL (
    SELECT greatest(ag.valid_from, $1::date) AS first_day,
           least(coalesce(ag.valid_to, ($2::date + interval '1 month' - interval '1 day')::date),
                 ($2::date + interval '1 month' - interval '1 day')::date) AS last_day
  ) span
  CROSS JOIN LATERAL generate_series(0, span.last_day - span.first_day) AS i(n)
  CROSS JOIN LATERAL (SELECT span.first_day + i.n AS day) d
  WHERE ag.settlement_model = 'PLATFORM_FEE' AND ($5::int IS NULL OR ag.partner_id = $5::int)
    AND NOT EXISTS (
      SELECT 1 FROM agreement b
      WHERE b.partner_id = ag.partner_id
        AND b.valid_from <= d.day
        AND (b.valid_to IS NULL OR b.valid_to >= d.day)
        AND (b.valid_from > ag.valid_from OR (b.valid_from = ag.valid_from AND b.id > ag.id))
    )
),
fee AS (
  SELECT partner_id, month, round(sum(fee) / ((month + interval '1 month')::date - month)) AS fee
  FROM fee_day
  GROUP BY partner_id, month
),
pm AS (
  SELECT partner_id, month FROM o
  UNION
  SELECT partner_id, month FROM fee
)
INSERT INTO settlement (partner_id, month, model, order_count, gross_minor, partner_share_minor, platform_share_minor, margin_minor)
SELECT pm.partner_id, pm.month, a.settlement_model, coalesce(o.order_count, 0),
       coalesce(o.gross, 0)::bigint,
       (coalesce(o.gross, 0) - s.platform_share)::bigint,
       s.platform_share::bigint,
       coalesce(o.margin, 0)::bigint
FROM pm
LEFT JOIN o ON o.partner_id = pm.partner_id AND o.month = pm.month
LEFT JOIN fee f ON f.partner_id = pm.partner_id AND f.month = pm.month
CROSS JOIN LATERAL (
  SELECT ag.settlement_model, ag.commission_rate, ag.revenue_share_rate
  FROM agreement ag
  WHERE ag.partner_id = pm.partner_id
    AND ag.valid_from < pm.month + interval '1 month'
    AND (ag.valid_to IS NULL OR ag.valid_to >= pm.month)
  ORDER BY ag.valid_from DESC, ag.id DESC
  LIMIT 1
) a
CROSS JOIN LATERAL (
  SELECT EXISTS (
    SELECT 1 FROM partner_tier_history h
    WHERE h.partner_id = pm.partner_id AND h.month = pm.month AND h.tier = 'GOLD'
  ) AS gold
) t
CROSS JOIN LATERAL (
  SELECT CASE a.settlement_model
           WHEN 'COMMISSION' THEN round(coalesce(o.earned, 0) * a.commission_rate * CASE WHEN t.gold THEN 1 - $4::numeric ELSE 1 END)
           WHEN 'REVENUE_SHARE' THEN round(coalesce(o.earned, 0) * a.revenue_share_rate)
           ELSE 0
         END
         + coalesce(o.margin, 0)
         + coalesce(f.fee, 0) AS platform_share
) s
ORDER BY pm.month, pm.partner_id
ON CONFLICT (partner_id, month) DO UPDATE SET
  model = EXCLUDED.model,
  order_count = EXCLUDED.order_count,
  gross_minor = EXCLUDED.gross_minor,
  partner_share_minor = EXCLUDED.partner_share_minor,
  platform_share_minor = EXCLUDED.platform_share_minor,
  margin_minor = EXCLUDED.margin_minor`;
  if (opts.partnerId !== undefined && !Number.isInteger(opts.partnerId)) throw new Error('partnerId must be a whole number');
  return { sql, params: [from, to, opts.timeZone ?? BUSINESS_TIME_ZONE, String(discount), opts.partnerId ?? null] };
}
