// What customers say about an order, as the platform's customer app sends it (an operator key):
// a rating once the order is fulfilled, complaints at any time; and a complaint's resolution by
// the partner that served the order (or an operator). Ratings and complaints feed the quality
// tiers, the evaluation's satisfaction and complaint handling, and the metrics at once.
import { sql } from '../../db/sql';
import { rowScope } from '../../permissions/row-scope';
import type { Context } from '../../server/context';
import { invalid, notFound, writeError } from '../../writes/errors';
import { requireWriteScope, unique } from '../../writes/rows';
import { text } from '../../writes/validate';
import type { ComplaintCategory } from './order.enums';

function orderId(field: string, id: string): number {
  if (!/^\d{1,9}$/.test(id)) throw notFound('order', field);
  return Number(id);
}

async function order(ctx: Context, id: number): Promise<{ id: number; status: string } | undefined> {
  const [o] = await ctx.exec.rows<{ id: number; status: string }>(sql`select id, status from service_order t where t.id = ${id} and ${rowScope('service_order', ctx.principal)} for update`);
  return o;
}

export interface RatingInput {
  orderId: string;
  score: number;
  comment?: string | null;
}

export async function rateServiceOrder(input: RatingInput, ctx: Context): Promise<number> {
  const write = requireWriteScope(ctx);
  if (!Number.isInteger(input.score) || input.score < 1 || input.score > 5) throw invalid('input.score', 'score must be 1-5');
  const comment = text('input.comment', input.comment, { max: 2000 });
  const o = await order(ctx, orderId('input.orderId', input.orderId));
  if (!o) throw notFound('order', 'input.orderId');
  if (o.status !== 'FULFILLED') throw writeError('INVALID_STATE', `Only a fulfilled order can be rated (this one is ${o.status})`, { field: 'input.orderId', status: o.status });
  const [r] = await unique('input.orderId', 'This order is rated already', () =>
    ctx.exec.rows<{ id: number }>(sql`insert into rating (order_id, partner_id, customer_id, score, comment, created_at)
      select id, partner_id, customer_id, ${input.score}, ${comment ?? null}, now() from service_order where id = ${o.id} returning id`),
  );
  const id = Number(r!.id);
  write.changes.push({ type: 'Rating', id, op: 'CREATE', before: null, after: { score: input.score, order: o.id } });
  return id;
}

export interface ComplaintInput {
  orderId: string;
  category: ComplaintCategory;
  description?: string | null;
}

export async function fileComplaint(input: ComplaintInput, ctx: Context): Promise<number> {
  const write = requireWriteScope(ctx);
  const description = text('input.description', input.description, { max: 4000 });
  const o = await order(ctx, orderId('input.orderId', input.orderId));
  if (!o) throw notFound('order', 'input.orderId');
  const [c] = await ctx.exec.rows<{ id: number }>(sql`insert into complaint (order_id, partner_id, customer_id, category, description, resolved, created_at)
    select id, partner_id, customer_id, ${input.category}, ${description ?? null}, false, now() from service_order where id = ${o.id} returning id`);
  const id = Number(c!.id);
  write.changes.push({ type: 'Complaint', id, op: 'CREATE', before: null, after: { category: input.category, order: o.id, resolved: false } });
  return id;
}

/** Marks a complaint resolved (once: resolving it again changes nothing). A partner resolves the ones it can read. */
export async function resolveComplaint(input: { id: string }, ctx: Context): Promise<number> {
  const write = requireWriteScope(ctx);
  if (!/^\d{1,9}$/.test(input.id)) throw notFound('complaint');
  const [c] = await ctx.exec.rows<{ id: number; resolved: boolean }>(sql`
    select id, resolved from complaint t where t.id = ${Number(input.id)} and ${rowScope('complaint', ctx.principal)} for update`);
  if (!c) throw notFound('complaint');
  if (c.resolved) return Number(c.id);
  await ctx.exec.rows(sql`update complaint set resolved = true, resolved_at = now() where id = ${Number(c.id)}`);
  write.changes.push({ type: 'Complaint', id: Number(c.id), op: 'UPDATE', before: { resolved: false }, after: { resolved: true } });
  return Number(c.id);
}
