// A service request's dispatch: opened (by an operator or a rule), offered to one eligible
// partner at a time for its agreement's acceptance window, declined or timed out to the next,
// accepted once. Every step runs in the caller's transaction (a mutation's, or a job's through
// runAsSystem), with the request row locked, so concurrent answers serialise on it: of twenty
// accepts exactly one changes anything.
import { idArgument } from '../../db/loaders';
import { sql } from '../../db/sql';
import type { Context } from '../../server/context';
import { invalid, notFound, writeError } from '../../writes/errors';
import { checkVersion, lockRow, recordChange, requireWriteScope, type Snapshot } from '../../writes/rows';
import { text } from '../../writes/validate';
import { ServicePointType } from '../catalogue/service-point.type';
import { CustomerType } from '../customers/customer.type';
import { Role } from '../../permissions/tier';
import { allocate, candidates, skipReason, type CandidateRow } from './allocation';
import { AllocationOutcome, FULFILMENT_ORDER as FULFILMENT_STATUSES, ServiceRequestStatus } from './dispatch.enums';
import { ServiceRequestType } from './service-request.type';
import { cancelOfferTimeout, scheduleOfferTimeout } from './timers';
import { openOrderFor } from './orders';

/** Columns the services need beyond the declared (audited) fields. */
export const REQUEST_COLUMNS = ['customer_id', 'service_point_id', 'offer_seq', 'order_id', 'accepted_at', 'offered_at', 'offer_expires_at', 'sla_arrival_minutes'];

export interface OpenRequestInput {
  serviceType: string;
  servicePointId?: string | null;
  city?: string | null;
  customerId: string;
  vehicle?: string | null;
  windowStart?: Date | null;
  windowEnd?: Date | null;
  days?: number | null;
  memberFree?: boolean | null;
}

export interface OpenedBy {
  ruleId?: number;
  sourceOrderId?: number;
  /** Already-resolved ids (a rule works with real ids). */
  customerId?: number;
  servicePointId?: number | null;
}

/** Opens a request and offers it to the first partner in line (or leaves it UNALLOCATED). */
export async function openRequest(input: OpenRequestInput, ctx: Context, by: OpenedBy = {}): Promise<number> {
  requireWriteScope(ctx);
  const serviceType = text('input.serviceType', input.serviceType, { required: true, max: 60 })!;
  if (!/^[A-Z][A-Z0-9_]*$/.test(serviceType)) throw invalid('input.serviceType', 'A service type is upper case, e.g. "COURTESY_CAR"');
  const customerId = by.customerId ?? idArgument(CustomerType, input.customerId, ctx);
  if (customerId === null) throw notFound('customer', 'input.customerId');
  const [customer] = await ctx.exec.rows<{ id: number }>(sql`select id from customer where id = ${customerId}`);
  if (!customer) throw notFound('customer', 'input.customerId');

  let servicePointId: number | null = by.servicePointId ?? null;
  let city = input.city ? text('input.city', input.city, { max: 60 }) : null;
  if (by.servicePointId === undefined && input.servicePointId) {
    servicePointId = idArgument(ServicePointType, input.servicePointId, ctx);
    if (servicePointId === null) throw notFound('service point', 'input.servicePointId');
  }
  if (servicePointId !== null) {
    const [sp] = await ctx.exec.rows<{ city: string; retired: boolean }>(sql`select city, retired_at is not null as retired from service_point where id = ${servicePointId}`);
    if (!sp) throw notFound('service point', 'input.servicePointId');
    if (sp.retired && by.ruleId === undefined) throw writeError('INVALID_STATE', 'This service point is retired', { field: 'input.servicePointId' });
    if (city && city !== sp.city) throw invalid('input.city', `The service point is in ${sp.city}`);
    city = sp.city;
  }
  if (!city) throw invalid('input.servicePointId', 'Give the service point where the vehicle is (or, without one, the city)');

  const days = input.days ?? 1;
  if (!Number.isInteger(days) || days < 1 || days > 30) throw invalid('input.days', 'days must be 1-30');
  const start = input.windowStart ?? new Date();
  const end = input.windowEnd ?? new Date(start.getTime() + 30 * 60_000);
  if (end.getTime() <= start.getTime()) throw invalid('input.windowEnd', 'The window must end after it starts');
  const vehicle = text('input.vehicle', input.vehicle, { max: 200 }) ?? '';

  const [row] = await ctx.exec.rows<{ id: number }>(sql`
    insert into service_request (service_type, city, service_point_id, customer_id, vehicle, window_start, window_end, days, member_free,
                                 status, opened_at, rule_id, source_order_id)
    values (${serviceType}, ${city}, ${servicePointId}, ${customerId}, ${vehicle}, ${start}, ${end}, ${days}, ${input.memberFree ?? false},
            ${ServiceRequestStatus.OPEN}, now(), ${by.ruleId ?? null}, ${by.sourceOrderId ?? null})
    returning id`);
  const id = Number(row!.id);

  // The whole line in one statement, whatever the number of partners (ids keep the line's order).
  const steps = await allocate(ctx, serviceType, city);
  let waiting: WaitingStep[] = [];
  if (steps.length > 0) {
    const inserted = await ctx.exec.rows<{ id: number; partner_id: number; position: number | null; outcome: string }>(sql`
      insert into allocation_step (request_id, partner_id, position, tier, score, priority, outcome, reason, updated_at)
      select ${id}, s.partner_id, s.position, s.tier, s.score, s.priority, s.outcome, s.reason, now()
        from unnest(${steps.map((s) => s.partnerId)}::int[], ${steps.map((s) => s.position)}::int[], ${steps.map((s) => s.tier)}::text[],
                    ${steps.map((s) => (s.score === null ? null : s.score.toFixed(2)))}::numeric[], ${steps.map((s) => (s.priority === null ? null : s.priority.toFixed(6)))}::numeric[],
                    ${steps.map((s) => s.outcome)}::text[], ${steps.map((s) => s.reason)}::text[])
             with ordinality as s(partner_id, position, tier, score, priority, outcome, reason, n)
       order by s.n
      returning id, partner_id, position, outcome`);
    const fresh = new Map(steps.map((s) => [s.partnerId, s.candidate]));
    waiting = inserted
      .filter((r) => r.outcome === AllocationOutcome.WAITING)
      .sort((a, b) => Number(a.position) - Number(b.position))
      .map((r) => ({ id: Number(r.id), partner_id: Number(r.partner_id), candidate: fresh.get(Number(r.partner_id)) }));
  }
  // The line was read by allocation in this transaction a moment ago: offered without reading it again.
  await offerNext(ctx, id, { service_type: serviceType, city, waiting });
  await recordChange(ServiceRequestType, ctx, id, null);
  return id;
}

/** A step still waiting for its turn; `candidate`: the partner as allocation read it in this transaction. */
interface WaitingStep {
  id: number;
  partner_id: number;
  candidate?: CandidateRow;
}

/**
 * Offers the request to the next partner in line still eligible (one that became ineligible
 * since allocation is skipped with the reason), or closes it UNALLOCATED. `line`: the request's
 * service type, city and waiting steps when the caller has just written them.
 */
export async function offerNext(ctx: Context, requestId: number, line?: { service_type: string; city: string; waiting: WaitingStep[] }): Promise<void> {
  const cap = ctx.services.config.dispatch.bronzeMonthlyCap;
  const [req] = line ? [line] : await ctx.exec.rows<{ service_type: string; city: string }>(sql`select service_type, city from service_request where id = ${requestId}`);
  const waiting =
    line?.waiting ??
    (await ctx.exec.rows<WaitingStep>(sql`
    select id, partner_id from allocation_step where request_id = ${requestId} and outcome = 'WAITING' order by position`));
  for (const step of waiting) {
    const [now] = step.candidate ? [step.candidate] : await candidates(ctx, req!.service_type, req!.city, Number(step.partner_id));
    const reason = now ? skipReason(now, cap) : 'no longer offers the service in the city';
    if (reason) {
      await setStep(ctx, Number(step.id), AllocationOutcome.SKIPPED, `before its turn: ${reason}`);
      continue;
    }
    await setStep(ctx, Number(step.id), AllocationOutcome.OFFERED, `offered for ${now!.sla_response_minutes} minutes (its agreement's response SLA)`);
    const [r] = await ctx.exec.rows<{ offer_seq: number }>(sql`
      update service_request set status = ${ServiceRequestStatus.OFFERED}, partner_id = ${Number(step.partner_id)},
             offer_seq = offer_seq + 1, offered_at = now(),
             offer_expires_at = now() + make_interval(mins => ${now!.sla_response_minutes}::int),
             sla_response_minutes = ${now!.sla_response_minutes}
       where id = ${requestId} returning offer_seq`);
    await scheduleOfferTimeout(ctx.exec, requestId, Number(r!.offer_seq));
    return;
  }
  await ctx.exec.rows(sql`update service_request set status = ${ServiceRequestStatus.UNALLOCATED}, partner_id = null,
      offered_at = null, offer_expires_at = null, closed_at = now(), close_reason = 'no eligible partner accepted it'
    where id = ${requestId}`);
  await cancelOfferTimeout(ctx.exec, requestId);
}

async function setStep(ctx: Context, stepId: number, outcome: AllocationOutcome, reason: string): Promise<void> {
  await ctx.exec.rows(sql`update allocation_step set outcome = ${outcome}, reason = ${reason}, updated_at = now(),
      offered_at = case when ${outcome}::text = 'OFFERED' then now() else offered_at end
    where id = ${stepId}`);
}

async function stepOf(ctx: Context, requestId: number, partnerId: number): Promise<{ id: number; outcome: AllocationOutcome } | undefined> {
  const [s] = await ctx.exec.rows<{ id: number; outcome: AllocationOutcome }>(sql`
    select id, outcome from allocation_step where request_id = ${requestId} and partner_id = ${partnerId}`);
  return s ? { id: Number(s.id), outcome: s.outcome } : undefined;
}

/** The request, locked, as the caller may answer it: a partner only while it is theirs. */
async function lockRequest(ctx: Context, id: string, expectedVersion?: number | null): Promise<Snapshot> {
  const req = await lockRow(ServiceRequestType, idArgument(ServiceRequestType, id, ctx), ctx, REQUEST_COLUMNS);
  if (!req) throw notFound('service request');
  checkVersion(req, expectedVersion);
  return req;
}

export interface AnswerInput {
  id: string;
  expectedVersion?: number | null;
}

/**
 * The offered partner takes the request: the response time is measured on the platform's clock
 * and the request becomes an order. Accepting one's own accepted request again changes nothing.
 */
export async function acceptRequest(input: AnswerInput, ctx: Context): Promise<number> {
  const req = await lockRequest(ctx, input.id, input.expectedVersion);
  const partnerId = Number(req.partner_id);
  const status = req.status as ServiceRequestStatus;
  if (status !== ServiceRequestStatus.OFFERED) {
    // Accepted already (by this partner: others no longer see it): the same answer, no change.
    if (req.accepted_at !== null && req.accepted_at !== undefined && FULFILMENT_STATUSES.includes(status)) return req.id;
    throw writeError('INVALID_STATE', `This request is ${status}, not waiting for an answer`, { field: 'input.id', status });
  }
  if (ctx.principal.suspended) throw writeError('INVALID_STATE', 'A SUSPENDED partner takes no new work: decline the offer', { field: 'input.id', status: 'SUSPENDED' });
  // An offer past its expiry is not taken (the update finds no row; the transaction is rolled back).
  const [accepted] = await ctx.exec.rows(sql`
    update service_request set status = ${ServiceRequestStatus.ACCEPTED}, accepted_at = now(), offer_expires_at = null,
           response_minutes = greatest(1, ceil(extract(epoch from now() - offered_at) / 60))::int,
           response_breached = extract(epoch from now() - offered_at) > sla_response_minutes * 60,
           sla_arrival_minutes = ${ctx.services.config.dispatch.arrivalSlaMinutes}
     where id = ${req.id} and not coalesce(offer_expires_at <= now(), false)
     returning id`);
  if (!accepted) throw writeError('INVALID_STATE', 'The offer expired: it is being offered to the next partner', { field: 'input.id', status: 'EXPIRED' });
  // The partner's step accepted, the steps still waiting not reached: one statement.
  await ctx.exec.rows(sql`update allocation_step
      set outcome = case when partner_id = ${partnerId}::int then 'ACCEPTED' else 'NOT_REACHED' end,
          reason = case when partner_id = ${partnerId}::int then 'accepted' else 'the request was accepted before its turn' end,
          updated_at = now()
    where request_id = ${req.id} and (partner_id = ${partnerId}::int or outcome = 'WAITING')`);
  await openOrderFor(ctx, req.id);
  await cancelOfferTimeout(ctx.exec, req.id);
  await recordChange(ServiceRequestType, ctx, req.id, req);
  return req.id;
}

export interface DeclineInput extends AnswerInput {
  reason: string;
}

/** The offered partner says no (with a reason): offered to the next in line at once. */
export async function declineRequest(input: DeclineInput, ctx: Context): Promise<number | null> {
  const reason = text('input.reason', input.reason, { required: true, max: 1000 })!;
  const id = idArgument(ServiceRequestType, input.id, ctx);
  // Declining twice is harmless: the first moved the request on, out of the partner's sight.
  if (id !== null && ctx.principal.role === Role.PARTNER) {
    const prior = await stepOf(ctx, id, ctx.principal.partnerId ?? -1);
    if (prior?.outcome === AllocationOutcome.DECLINED) return null;
  }
  const req = await lockRequest(ctx, input.id, input.expectedVersion);
  if (req.status !== ServiceRequestStatus.OFFERED) {
    throw writeError('INVALID_STATE', `This request is ${String(req.status)}, not waiting for an answer`, { field: 'input.id', status: req.status });
  }
  const step = await stepOf(ctx, req.id, Number(req.partner_id));
  if (step) await setStep(ctx, step.id, AllocationOutcome.DECLINED, `declined: ${reason}`);
  await offerNext(ctx, req.id);
  await recordChange(ServiceRequestType, ctx, req.id, req);
  return req.id;
}

/**
 * The offer timer fired (a job). Runs once per offer: a request answered or moved on since, or
 * a timer that fires early, changes nothing.
 */
export async function expireOffer(ctx: Context, requestId: number, offerSeq: number | undefined): Promise<'expired' | 'stale' | 'early'> {
  const req = await lockRow(ServiceRequestType, requestId, ctx, REQUEST_COLUMNS);
  if (!req || req.status !== ServiceRequestStatus.OFFERED || (offerSeq !== undefined && Number(req.offer_seq) !== offerSeq)) return 'stale';
  const [due] = await ctx.exec.rows<{ due: boolean }>(sql`select offer_expires_at <= now() as due from service_request where id = ${requestId}`);
  if (!due?.due) {
    await scheduleOfferTimeout(ctx.exec, requestId, Number(req.offer_seq));
    return 'early';
  }
  const step = await stepOf(ctx, requestId, Number(req.partner_id));
  if (step) await setStep(ctx, step.id, AllocationOutcome.TIMED_OUT, `no answer within ${String(req.slaResponseMinutes)} minutes`);
  await offerNext(ctx, requestId);
  await recordChange(ServiceRequestType, ctx, requestId, req);
  return 'expired';
}

export interface CancelInput extends AnswerInput {
  reason: string;
}

/** Operators: the request is no longer needed. Its order, if any, is cancelled with it. */
export async function cancelRequest(input: CancelInput, ctx: Context): Promise<number> {
  const reason = text('input.reason', input.reason, { required: true, max: 1000 })!;
  const req = await lockRequest(ctx, input.id, input.expectedVersion);
  const closed = [ServiceRequestStatus.COMPLETED, ServiceRequestStatus.FAILED, ServiceRequestStatus.UNALLOCATED, ServiceRequestStatus.CANCELLED];
  if (closed.includes(req.status as ServiceRequestStatus)) {
    throw writeError('INVALID_STATE', `This request is ${String(req.status)} already`, { field: 'input.id', status: req.status });
  }
  await ctx.exec.rows(sql`update service_request set status = ${ServiceRequestStatus.CANCELLED}, offer_expires_at = null,
      closed_at = now(), close_reason = ${`cancelled: ${reason}`} where id = ${req.id}`);
  await ctx.exec.rows(sql`update allocation_step set outcome = 'NOT_REACHED', reason = 'the request was cancelled', updated_at = now()
    where request_id = ${req.id} and outcome in ('WAITING', 'OFFERED')`);
  if (req.order_id !== null && req.order_id !== undefined) {
    await ctx.exec.rows(sql`update service_order set status = 'CANCELLED' where id = ${Number(req.order_id)} and status <> 'FULFILLED'`);
  }
  await cancelOfferTimeout(ctx.exec, req.id);
  await recordChange(ServiceRequestType, ctx, req.id, req);
  return req.id;
}
