// The loop closed: an accepted request becomes a service order (IN_PROGRESS, its response time
// measured by the platform), FULFILLED when the partner completes it, CANCELLED when it fails.
// Dispatched orders are cost-plus (the documents' courtesy car: bought at the partner's price,
// 100 a day, charged to the customer at 120): cost_minor is the partner's price-list price times
// the units, amount_minor that plus DISPATCH_COST_PLUS_MARKUP, or 0 when the platform bears the
// cost for a member. Completing an order re-settles its month, so settlements follow at once.
import { Sql, sql } from '../../db/sql';
import { BUSINESS_TIME_ZONE, settlementUpsertSql } from '../../metrics/settlements/settlement.sql';
import type { Context } from '../../server/context';

/** Creates the order of a just-accepted request; returns its id. */
export async function openOrderFor(ctx: Context, requestId: number): Promise<number> {
  const markup = ctx.services.config.dispatch.costPlusMarkup;
  const [o] = await ctx.exec.rows<{ id: number }>(sql`
    with r as (select * from service_request where id = ${requestId}),
    price as (
      select i.price_minor, i.unit from price_list_item i, r
       where i.partner_id = r.partner_id and i.service_type = r.service_type
       order by (i.unit = 'PER_DAY') desc, (i.unit = 'PER_USE') desc, i.id limit 1
    ),
    cost as (
      select (select price_minor * case when unit = 'PER_DAY' then r.days else 1 end from price) as cost_minor from r
    ),
    o as (
      insert into service_order (customer_id, partner_id, service_point_id, service_type, city, channel, status, created_at, response_minutes, amount_minor, cost_minor)
      select r.customer_id, r.partner_id, r.service_point_id, r.service_type, r.city, 'ONLINE', 'IN_PROGRESS', r.accepted_at, r.response_minutes,
             case when r.member_free or c.cost_minor is null then 0 else round(c.cost_minor * (1 + ${markup}::numeric)) end,
             c.cost_minor
        from r, cost c
      returning id
    )
    update service_request s set order_id = o.id from o where s.id = ${requestId}
    returning o.id`);
  return Number(o!.id);
}

/** COMPLETED: the order is fulfilled now and its month settled again. */
export async function fulfilOrder(ctx: Context, orderId: number): Promise<void> {
  const [o] = await ctx.exec.rows<{ month: string; partner_id: number }>(sql`
    update service_order set status = 'FULFILLED', fulfilled_at = now() where id = ${orderId}
    returning to_char(date_trunc('month', created_at at time zone ${BUSINESS_TIME_ZONE}::text), 'YYYY-MM') as month, partner_id`);
  if (o) await settleMonth(ctx, o.month, Number(o.partner_id));
}

/** FAILED: the order is cancelled (nothing to settle; the response time still counts). */
export async function cancelOrder(ctx: Context, orderId: number): Promise<void> {
  await ctx.exec.rows(sql`update service_order set status = 'CANCELLED' where id = ${orderId} and status <> 'FULFILLED'`);
}

/** Recomputes the settlements of one month ('YYYY-MM'), every partner's or one's, in the caller's transaction. */
export async function settleMonth(ctx: Context, month: string, partnerId?: number): Promise<void> {
  const terms = { goldCommissionDiscount: ctx.services.config.metrics.settlement.goldCommissionDiscount };
  const st = settlementUpsertSql({ from: month, to: month }, terms, { partnerId });
  await ctx.exec.rows(positional(st.sql, st.params));
}

/** A statement written with $n placeholders, as a fragment (each use of $n becomes its own slot). */
function positional(text: string, params: unknown[]): Sql {
  const values: unknown[] = [];
  const out = text.replace(/\$(\d+)/g, (_m, n: string) => {
    values.push(params[Number(n) - 1]);
    return '\u0000';
  });
  return new Sql(out, values);
}
