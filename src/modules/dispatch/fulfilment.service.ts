// Milestones a partner reports for a request it accepted: DISPATCHED, ARRIVED, COMPLETED or
// FAILED, each once. The partner's time is kept as reported; SLAs are measured on the
// platform's clock (when the report arrives). Reporting a milestone again changes nothing.
import { idArgument } from '../../db/loaders';
import { sql } from '../../db/sql';
import type { Context } from '../../server/context';
import { invalid, notFound, writeError } from '../../writes/errors';
import { checkVersion, lockRow, recordChange, type Snapshot } from '../../writes/rows';
import { text } from '../../writes/validate';
import { FulfilmentMilestone, ServiceRequestStatus } from './dispatch.enums';
import { REQUEST_COLUMNS } from './dispatch.service';
import { cancelOrder, fulfilOrder } from './orders';
import { ServiceRequestType } from './service-request.type';

export interface FulfilmentInput {
  id: string;
  expectedVersion?: number | null;
  milestone: FulfilmentMilestone;
  reportedAt?: Date | null;
  details?: string | null;
}

/** The statuses a milestone may follow. */
const FROM: Record<FulfilmentMilestone, ServiceRequestStatus[]> = {
  DISPATCHED: [ServiceRequestStatus.ACCEPTED],
  ARRIVED: [ServiceRequestStatus.ACCEPTED, ServiceRequestStatus.DISPATCHED],
  COMPLETED: [ServiceRequestStatus.ACCEPTED, ServiceRequestStatus.DISPATCHED, ServiceRequestStatus.ARRIVED],
  FAILED: [ServiceRequestStatus.ACCEPTED, ServiceRequestStatus.DISPATCHED, ServiceRequestStatus.ARRIVED],
};

/** Partners' clocks drift: a time this far in the future is still taken. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** Why this report cannot be taken now (a version conflict, a milestone out of order); undefined when it can. */
function refusalOf(req: Snapshot, input: FulfilmentInput, status: ServiceRequestStatus): Error | undefined {
  try {
    checkVersion(req, input.expectedVersion);
  } catch (err) {
    return err as Error;
  }
  if (!FROM[input.milestone].includes(status)) {
    return writeError('INVALID_STATE', `${input.milestone} cannot follow ${status}`, { field: 'input.milestone', status });
  }
  return undefined;
}

export async function reportFulfilment(input: FulfilmentInput, ctx: Context): Promise<number> {
  const details = text('input.details', input.details, { max: 2000 }) ?? '';
  if (input.reportedAt && input.reportedAt.getTime() > Date.now() + CLOCK_SKEW_MS) {
    throw invalid('input.reportedAt', 'reportedAt is in the future');
  }
  const req = await lockRow(ServiceRequestType, idArgument(ServiceRequestType, input.id, ctx), ctx, REQUEST_COLUMNS);
  if (!req || req.accepted_at === null || req.accepted_at === undefined) throw notFound('accepted service request');
  const status = req.status as ServiceRequestStatus;
  const refusal = refusalOf(req, input, status);
  // A milestone reported before changes nothing, whatever the request's state or version now:
  // looked for only when the report would be refused, and otherwise by the insert itself.
  const seen = async () => (await ctx.exec.rows(sql`select 1 from fulfilment_event where request_id = ${req.id} and milestone = ${input.milestone}`)).length > 0;
  if (refusal) {
    if (await seen()) return req.id;
    throw refusal;
  }
  const [recorded] = await ctx.exec.rows(sql`insert into fulfilment_event (request_id, partner_id, milestone, reported_at, recorded_at, details)
    values (${req.id}, ${Number(req.partner_id)}, ${input.milestone}, coalesce(${input.reportedAt ?? null}::timestamptz, now()), now(), ${details})
    on conflict (request_id, milestone) do nothing returning id`);
  if (!recorded) return req.id;
  const orderId = Number(req.order_id);
  switch (input.milestone) {
    case FulfilmentMilestone.DISPATCHED:
      await ctx.exec.rows(sql`update service_request set status = 'DISPATCHED', dispatched_at = now() where id = ${req.id}`);
      break;
    case FulfilmentMilestone.ARRIVED:
      await ctx.exec.rows(sql`update service_request set status = 'ARRIVED', arrived_at = now(),
          arrival_minutes = greatest(1, ceil(extract(epoch from now() - accepted_at) / 60))::int,
          arrival_breached = extract(epoch from now() - accepted_at) > sla_arrival_minutes * 60
        where id = ${req.id}`);
      break;
    case FulfilmentMilestone.COMPLETED:
      await ctx.exec.rows(sql`update service_request set status = 'COMPLETED', closed_at = now(), close_reason = 'completed' where id = ${req.id}`);
      await fulfilOrder(ctx, orderId);
      break;
    case FulfilmentMilestone.FAILED:
      await ctx.exec.rows(sql`update service_request set status = 'FAILED', closed_at = now(),
          close_reason = ${details ? `failed: ${details}` : 'failed'} where id = ${req.id}`);
      await cancelOrder(ctx, orderId);
      break;
  }
  await recordChange(ServiceRequestType, ctx, req.id, req);
  return req.id;
}
