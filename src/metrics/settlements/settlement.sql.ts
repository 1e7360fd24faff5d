// Monthly settlement of partners (001, "机制1：价值分配机制": transparent rules, monthly
// settlement, comparable terms between partners), as one SQL statement that the seed and the
// API both run.
//
// The rule, for each partner and month with FULFILLED orders:
//   gross          = sum of amount_minor of the partner's FULFILLED orders created in the month
//   agreement      = the partner's agreement valid in that month (valid_from on or before the
//                    month's last day and valid_to null or on/after its first day); when several
//                    overlap, the one with the latest valid_from (then the highest id)
//   COMMISSION     platform_share = round(gross * commission_rate)
//   REVENUE_SHARE  platform_share = round(gross * revenue_share_rate)
//   PLATFORM_FEE   platform_share = monthly_fee_minor
//   partner_share  = gross - platform_share (so partner_share + platform_share = gross exactly;
//                    under PLATFORM_FEE it is negative when the month's gross is below the fee:
//                    the partner owes the platform the difference)
// Arithmetic is exact: numeric, and round() on numeric rounds half away from zero. An order
// belongs to the month of its created_at in the business time zone (Asia/Shanghai), the same
// month the quality tiers use. A partner-month without a valid agreement gets no row. Rows are
// upserted on (partner_id, month), so re-running a range refreshes it.

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

/** 'YYYY-MM' or 'YYYY-MM-DD' -> 'YYYY-MM-01'. */
export function monthStart(value: string): string {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(value);
  if (!m) throw new Error(`invalid month "${value}", expected YYYY-MM or YYYY-MM-DD`);
  const month = Number(m[2]);
  if (month < 1 || month > 12) throw new Error(`invalid month "${value}"`);
  return `${m[1]}-${m[2]}-01`;
}

/** INSERT ... SELECT ... GROUP BY ... ON CONFLICT (partner_id, month) DO UPDATE for a month range. */
export function settlementUpsertSql(range: MonthRange, opts: { timeZone?: string } = {}): SqlStatement {
  const from = monthStart(range.from);
  const to = monthStart(range.to);
  if (from > to) throw new Error(`empty month range ${range.from}..${range.to}`);
  const sql = `
INSERT INTO settlement (partner_id, month, model, order_count, gross_minor, partner_share_minor, platform_share_minor)
SELECT o.partner_id, o.month, a.settlement_model, o.order_count,
       o.gross::bigint,
       (o.gross - s.platform_share)::bigint,
       s.platform_share::bigint
FROM (
  SELECT so.partner_id,
         date_trunc('month', so.created_at AT TIME ZONE $3::text)::date AS month,
         count(*)::int AS order_count,
         sum(so.amount_minor)::numeric AS gross
  FROM service_order so
  WHERE so.status = 'FULFILLED'
    AND so.created_at >= ($1::date)::timestamp AT TIME ZONE $3::text
    AND so.created_at < (($2::date + interval '1 month')::timestamp) AT TIME ZONE $3::text
  GROUP BY 1, 2
) o
CROSS JOIN LATERAL (
  SELECT ag.settlement_model, ag.commission_rate, ag.revenue_share_rate, ag.monthly_fee_minor
  FROM agreement ag
  WHERE ag.partner_id = o.partner_id
    AND ag.valid_from < o.month + interval '1 month'
    AND (ag.valid_to IS NULL OR ag.valid_to >= o.month)
  ORDER BY ag.valid_from DESC, ag.id DESC
  LIMIT 1
) a
CROSS JOIN LATERAL (
  SELECT CASE a.settlement_model
           WHEN 'COMMISSION' THEN round(o.gross * a.commission_rate)
           WHEN 'REVENUE_SHARE' THEN round(o.gross * a.revenue_share_rate)
           WHEN 'PLATFORM_FEE' THEN a.monthly_fee_minor::numeric
         END AS platform_share
) s
ORDER BY o.month, o.partner_id
ON CONFLICT (partner_id, month) DO UPDATE SET
  model = EXCLUDED.model,
  order_count = EXCLUDED.order_count,
  gross_minor = EXCLUDED.gross_minor,
  partner_share_minor = EXCLUDED.partner_share_minor,
  platform_share_minor = EXCLUDED.platform_share_minor`;
  return { sql, params: [from, to, opts.timeZone ?? BUSINESS_TIME_ZONE] };
}
