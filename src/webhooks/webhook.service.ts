// Webhook endpoints and deliveries through the API, each in the mutation's transaction:
// register (the secret returned once, the feed position taken now), delete, disable, enable
// (the deliveries parked meanwhile enqueued again), redeliver (a new attempt now, same message
// id). Partners reach their own endpoints only: another partner's endpoint is NOT_FOUND.
import { GraphQLError } from 'graphql';
import { AuthFailure, principalForPartner } from '../auth/authenticate';
import { readFeed } from '../changes/feed.service';
import { feedMetaByName, typeVisible } from '../changes/feed-types';
import { snapshotCursor } from '../changes/snapshot';
import { idArgument } from '../db/loaders';
import { sql } from '../db/sql';
import { Role } from '../permissions/tier';
import type { Context } from '../server/context';
import { invalid, notFound, writeError } from '../writes/errors';
import { checkVersion, insertRow, lockRow, ownedBy, recordChange, requireWriteScope, updateRow } from '../writes/rows';
import { text } from '../writes/validate';
import { enqueueDeliveries, enqueueFanout } from './queue';
import { sealSecret } from './secret-box';
import { generateSecret } from './signature';
import { checkEndpointUrl, TargetForbidden } from './url-policy';
import { WebhookDeliveryStatus, WebhookDisabledBy, WebhookEndpointStatus } from './webhook.enums';
import { PartnerType } from '../modules/partners/partner.type';
import { WebhookDeliveryType, WebhookEndpointType } from './webhook.type';

/** Endpoints one partner may keep: each one reads the feed again on every change. */
export const MAX_ENDPOINTS_PER_PARTNER = 20;

export interface NewEndpoint {
  partnerId?: string | null;
  url: string;
  eventTypes?: string[] | null;
  description?: string | null;
}

async function checkUrl(ctx: Context, raw: string | null | undefined): Promise<string> {
  const url = text('input.url', raw, { required: true, max: 2_000 })!;
  try {
    return (await checkEndpointUrl(url, ctx.services.config.webhooks)).toString();
  } catch (err) {
    if (err instanceof TargetForbidden) throw writeError('WEBHOOK_TARGET_FORBIDDEN', err.message, { field: 'input.url' });
    throw err;
  }
}

/**
 * The partner an endpoint is registered for, as its keys would be now: the caller itself, or
 * (admins) the partner named by partnerId.
 */
async function owningPartner(ctx: Context, partnerId: string | null | undefined): Promise<Context> {
  if (ctx.principal.role === Role.PARTNER) {
    if (partnerId !== undefined && partnerId !== null && idArgument(PartnerType, partnerId, ctx) !== ctx.principal.partnerId) {
      throw writeError('NOT_FOUND', 'A partner key registers its own endpoints only: leave partnerId out', { field: 'input.partnerId' });
    }
    return ctx;
  }
  if (!partnerId) throw invalid('input.partnerId', 'partnerId is required: the partner whose events the endpoint receives');
  const id = idArgument(PartnerType, partnerId, ctx);
  try {
    return { ...ctx, principal: await principalForPartner(ctx.exec, id ?? -1), memo: new Map() };
  } catch (err) {
    if (!(err instanceof AuthFailure)) throw err;
    if (err.code === 'INVALID_KEY') throw notFound('partner', 'input.partnerId');
    throw writeError('INVALID_STATE', `The partner has no access now (${err.code}): nothing could be delivered`, { field: 'input.partnerId' });
  }
}

/** The event types, each one the partner's feed carries; null (all) when omitted. */
function checkTypes(ctx: Context, types: string[] | null | undefined): string[] | null {
  if (types === undefined || types === null) return null;
  if (types.length === 0) throw invalid('input.eventTypes', 'Name at least one event type, or leave eventTypes out for every type you may see');
  const out = [...new Set(types)];
  for (const t of out) {
    const meta = feedMetaByName(t);
    if (!meta || !typeVisible(meta, ctx.principal)) throw invalid('input.eventTypes', `Your change feed carries no ${t} events`);
  }
  return out;
}

export async function createWebhookEndpoint(input: NewEndpoint, ctx: Context): Promise<{ id: number; secret: string }> {
  const asPartner = await owningPartner(ctx, input.partnerId);
  const partnerId = asPartner.principal.partnerId!;
  const url = await checkUrl(ctx, input.url);
  const eventTypes = checkTypes(asPartner, input.eventTypes);
  const description = text('input.description', input.description, { max: 500 }) ?? null;
  // Serialises a partner's concurrent registrations, so the count below holds.
  await ctx.exec.rows(sql`select pg_advisory_xact_lock(hashtext('webhook_endpoint'), ${partnerId}::int)`);
  const [{ n }] = await ctx.exec.rows<{ n: number }>(sql`select count(*)::int as n from webhook_endpoint where partner_id = ${partnerId}`);
  if (n >= MAX_ENDPOINTS_PER_PARTNER) throw writeError('INVALID_STATE', `A partner keeps at most ${MAX_ENDPOINTS_PER_PARTNER} webhook endpoints: delete one first`, { field: 'input' });
  const secret = generateSecret();
  const id = await insertRow(ctx, 'webhook_endpoint', new Map<string, unknown>([
    ['partner_id', partnerId],
    ['url', url],
    ['description', description],
    ['event_types', eventTypes],
    ['secret', sealSecret(secret, ctx.services.secretKey)],
    // Events from now on: everything committed before this is in what the partner can read now.
    ['cursor', await snapshotCursor(asPartner)],
    ['status', WebhookEndpointStatus.ACTIVE],
    ['consecutive_failures', 0],
    ['created_at', new Date()],
  ]));
  await recordChange(WebhookEndpointType, ctx, id, null);
  return { id, secret };
}

export interface EndpointRef {
  id: string;
  expectedVersion?: number | null;
}

async function lockEndpoint(ctx: Context, input: EndpointRef) {
  const row = await lockRow(WebhookEndpointType, idArgument(WebhookEndpointType, input.id, ctx), ctx, ['cursor']);
  if (!row) throw notFound('webhook endpoint');
  checkVersion(row, input.expectedVersion);
  return row;
}

export async function deleteWebhookEndpoint(input: EndpointRef, ctx: Context): Promise<number> {
  const row = await lockEndpoint(ctx, input);
  // Its deliveries go with it (their jobs find nothing and end).
  await ctx.exec.rows(sql`delete from webhook_endpoint where id = ${row.id}`);
  const before: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) if (!['cursor', 'partner_id'].includes(k)) before[k] = v instanceof Date ? v.toISOString() : v;
  requireWriteScope(ctx).changes.push({ type: 'WebhookEndpoint', id: row.id, op: 'DELETE', before, after: null });
  return row.id;
}

export interface Disabling extends EndpointRef {
  reason?: string | null;
}

export async function disableWebhookEndpoint(input: Disabling, ctx: Context): Promise<number> {
  const reason = text('input.reason', input.reason, { max: 1_000 });
  const row = await lockEndpoint(ctx, input);
  if (row.status === WebhookEndpointStatus.DISABLED) throw writeError('INVALID_STATE', 'The endpoint is disabled already', { field: 'input.id' });
  const by = ctx.principal.role === Role.PARTNER ? WebhookDisabledBy.PARTNER : WebhookDisabledBy.OPERATOR;
  await updateRow(ctx, 'webhook_endpoint', row.id, new Map<string, unknown>([
    ['status', WebhookEndpointStatus.DISABLED],
    ['disabled_at', new Date()],
    ['disabled_by', by],
    ['disabled_reason', reason ?? (by === WebhookDisabledBy.PARTNER ? 'Disabled by the partner' : 'Disabled by an operator')],
  ]));
  await recordChange(WebhookEndpointType, ctx, row.id, row);
  return row.id;
}

export async function enableWebhookEndpoint(input: EndpointRef, ctx: Context): Promise<{ id: number; cursorReset: boolean }> {
  const row = await lockEndpoint(ctx, input);
  if (row.status === WebhookEndpointStatus.ACTIVE) throw writeError('INVALID_STATE', 'The endpoint is active already', { field: 'input.id' });
  if (row.disabledBy === WebhookDisabledBy.OPERATOR && ctx.principal.role === Role.PARTNER) {
    throw writeError('INVALID_STATE', 'An operator disabled this endpoint: ask them to enable it', { field: 'input.id' });
  }
  // The partner as its keys would be now: the feed position is checked under its policy.
  let partner;
  try {
    partner = await principalForPartner(ctx.exec, Number(row.partner_id));
  } catch (err) {
    if (err instanceof AuthFailure) throw writeError('INVALID_STATE', `The partner has no access now (${err.code}): nothing could be delivered`, { field: 'input.id' });
    throw err;
  }
  const asPartner: Context = { ...ctx, principal: partner, memo: new Map() };
  let cursor = String(row.cursor);
  let cursorReset = false;
  try {
    await readFeed(asPartner, { after: cursor, first: 0 });
  } catch (err) {
    if (!(err instanceof GraphQLError) || err.extensions.code !== 'CURSOR_EXPIRED') throw err;
    // The events missed are older than the feed keeps: it resumes from now (a snapshot catches up).
    cursor = await snapshotCursor(asPartner);
    cursorReset = true;
  }
  await updateRow(ctx, 'webhook_endpoint', row.id, new Map<string, unknown>([
    ['status', WebhookEndpointStatus.ACTIVE],
    ['consecutive_failures', 0],
    ['failing_since', null],
    ['disabled_at', null],
    ['disabled_by', null],
    ['disabled_reason', null],
    ['cursor', cursor],
  ]));
  await recordChange(WebhookEndpointType, ctx, row.id, row);
  // What waited while it was disabled goes out now, then whatever the feed has since.
  const parked = await ctx.exec.rows<{ id: number }>(sql`update webhook_delivery set next_attempt_at = now() where endpoint_id = ${row.id} and status = 'PENDING' returning id`);
  await enqueueDeliveries(ctx.exec, parked.map((d) => ({ id: Number(d.id), endpointId: row.id })), ctx.services.config.webhooks.maxAttempts);
  await enqueueFanout(ctx.exec);
  return { id: row.id, cursorReset };
}

export async function redeliverWebhook(input: { deliveryId: string }, ctx: Context): Promise<number> {
  const id = idArgument(WebhookDeliveryType, input.deliveryId, ctx);
  const [d] = id === null ? [] : await ctx.exec.rows<{ id: number; endpoint_id: number; status: WebhookDeliveryStatus; endpoint_status: WebhookEndpointStatus }>(sql`
    select t.id, t.endpoint_id, t.status, e.status as endpoint_status
      from webhook_delivery t join webhook_endpoint e on e.id = t.endpoint_id
     where t.id = ${id} and ${ownedBy(ctx)} for update of t`);
  if (!d) throw notFound('webhook delivery', 'input.deliveryId');
  if (d.endpoint_status !== WebhookEndpointStatus.ACTIVE) throw writeError('INVALID_STATE', 'The endpoint is disabled: enable it first', { field: 'input.deliveryId' });
  await ctx.exec.rows(sql`update webhook_delivery set status = 'PENDING', next_attempt_at = now() where id = ${d.id}`);
  // A delivery still retrying keeps its whole schedule; a settled one gets this one attempt.
  const attempts = d.status === WebhookDeliveryStatus.PENDING ? ctx.services.config.webhooks.maxAttempts : 1;
  await enqueueDeliveries(ctx.exec, [{ id: Number(d.id), endpointId: Number(d.endpoint_id) }], attempts);
  requireWriteScope(ctx).changes.push({ type: 'WebhookDelivery', id: Number(d.id), op: 'UPDATE', before: { status: d.status }, after: { status: WebhookDeliveryStatus.PENDING } });
  return Number(d.id);
}
