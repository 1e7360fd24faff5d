// Rules that open service requests by themselves (kept as data, like the alert rules), and the
// dispatch tick that applies them: every order of a rule's source type still in one of its
// statuses `after_minutes` after it was created opens one request (the unique (rule, source
// order) makes a second tick, or a second replica, harmless). Orders that crossed the threshold
// longer than DISPATCH_RULE_LOOKBACK_HOURS ago are history and left alone.
import { idArgument } from '../../db/loaders';
import { sql } from '../../db/sql';
import type { Context } from '../../server/context';
import { invalid, notFound } from '../../writes/errors';
import { checkVersion, columnsFrom, lockRow, recordChange, updateRow } from '../../writes/rows';
import { text } from '../../writes/validate';
import { DispatchRuleType } from './dispatch-rule.type';

export interface RuleInput {
  id: string;
  expectedVersion?: number | null;
  name?: string | null;
  afterMinutes?: number | null;
  windowMinutes?: number | null;
  enabled?: boolean | null;
}

export async function updateDispatchRule(input: RuleInput, ctx: Context): Promise<number> {
  const rule = await lockRow(DispatchRuleType, idArgument(DispatchRuleType, input.id, ctx), ctx);
  if (!rule) throw notFound('dispatch rule');
  checkVersion(rule, input.expectedVersion);
  for (const f of ['afterMinutes', 'windowMinutes'] as const) {
    const v = input[f];
    if (v !== undefined && v !== null && (!Number.isInteger(v) || v < 1 || v > 10_080)) throw invalid(`input.${f}`, `${f} must be 1-10080 minutes`);
  }
  if (input.enabled === null) throw invalid('input.enabled', 'enabled cannot be null');
  const values = columnsFrom(DispatchRuleType, { ...input, name: input.name === undefined ? undefined : text('input.name', input.name, { required: true, max: 200 }) });
  for (const [k, v] of values) if (v === null) throw invalid(`input.${k}`, `${k} cannot be null`);
  await updateRow(ctx, 'dispatch_rule', rule.id, values);
  await recordChange(DispatchRuleType, ctx, rule.id, rule);
  return rule.id;
}

export interface DueOrder {
  rule_id: number;
  order_id: number;
  customer_id: number;
  service_point_id: number | null;
  city: string;
  request_service_type: string;
  window_minutes: number;
}

/** Orders some enabled rule should open a request for now, oldest first. */
export async function dueOrders(ctx: Context, limit = 500): Promise<DueOrder[]> {
  const lookback = ctx.services.config.dispatch.ruleLookbackHours;
  return ctx.exec.rows<DueOrder>(sql`
    select r.id as rule_id, o.id as order_id, o.customer_id, o.service_point_id, o.city, r.request_service_type, r.window_minutes
      from dispatch_rule r
      join service_order o on o.service_type = r.source_service_type and o.status = any(r.source_statuses)
       and o.created_at <= now() - make_interval(mins => r.after_minutes)
       and o.created_at > now() - make_interval(mins => r.after_minutes) - make_interval(hours => ${lookback}::int)
     where r.enabled
       and not exists (select 1 from service_request q where q.rule_id = r.id and q.source_order_id = o.id)
     order by o.created_at, o.id
     limit ${limit}::int`);
}

/** Offers past their expiry by more than a grace period: their timer job never ran (a backstop). */
export async function overdueOffers(ctx: Context): Promise<{ id: number; offer_seq: number }[]> {
  return ctx.exec.rows(sql`select id, offer_seq from service_request
    where status = 'OFFERED' and offer_expires_at < now() - interval '30 seconds' order by offer_expires_at limit 500`);
}
