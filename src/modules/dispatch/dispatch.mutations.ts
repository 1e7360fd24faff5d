// Dispatch for operators (open, cancel, the rules) and partners (accept, decline, report the
// fulfilment). Thin: input in, service call, the request read back as the caller's schema shows it.
import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { one } from '../../db/loaders';
import { Payload } from '../../graphql/payload';
import { Access } from '../../graphql/root-field';
import { EXPECTED_VERSION, WriteInput } from '../../graphql/write-input';
import { FULFILMENT_WRITERS, OPERATORS } from '../../permissions/write-roles';
import type { Context } from '../../server/context';
import { DispatchRuleType } from './dispatch-rule.type';
import { acceptRequest, cancelRequest, declineRequest, openRequest, type AnswerInput, type CancelInput, type DeclineInput, type OpenRequestInput } from './dispatch.service';
import { reportFulfilment, type FulfilmentInput } from './fulfilment.service';
import { FulfilmentEventType } from './fulfilment-event.type';
import { updateDispatchRule, type RuleInput } from './rules';
import { ServiceRequestType } from './service-request.type';

const requestId = { type: () => ID, nullable: false, description: 'The service request' };
const reason = { type: () => String, nullable: false, description: 'Why (kept in the allocation and the ledger)' };

const OpenServiceRequestInput = WriteInput('OpenServiceRequestInput', {
  description: 'Opened and offered at once to the first eligible partner; the window defaults to the next 30 minutes',
  control: {
    customerId: { type: () => ID, nullable: false, description: 'The customer (as you see Customer.id)' },
    servicePointId: { type: () => ID, description: 'Where the vehicle is (its city is the request’s)' },
  },
  from: ServiceRequestType,
  fields: ['serviceType', 'city', 'vehicle', 'windowStart', 'windowEnd', 'days', 'memberFree'],
  required: ['serviceType'],
});
const AnswerServiceRequestInput = WriteInput('AnswerServiceRequestInput', { control: { id: requestId, expectedVersion: EXPECTED_VERSION } });
const DeclineServiceRequestInput = WriteInput('DeclineServiceRequestInput', { control: { id: requestId, expectedVersion: EXPECTED_VERSION, reason } });
const CancelServiceRequestInput = WriteInput('CancelServiceRequestInput', { control: { id: requestId, expectedVersion: EXPECTED_VERSION, reason } });
const ReportFulfilmentInput = WriteInput('ReportFulfilmentInput', {
  description: 'Each milestone once (again: no change); SLAs are measured when the report arrives',
  control: { id: requestId, expectedVersion: EXPECTED_VERSION },
  from: FulfilmentEventType,
  fields: ['milestone', 'reportedAt', 'details'],
  required: ['milestone'],
});
const UpdateDispatchRuleInput = WriteInput('UpdateDispatchRuleInput', {
  control: { id: { type: () => ID, nullable: false, description: 'The rule' }, expectedVersion: EXPECTED_VERSION },
  from: DispatchRuleType,
  fields: ['name', 'afterMinutes', 'windowMinutes', 'enabled'],
});

const ServiceRequestPayload = Payload('ServiceRequestPayload', {
  serviceRequest: { type: () => ServiceRequestType, description: 'The request as you now see it (null when it has moved on to another partner)' },
});
const DispatchRulePayload = Payload('DispatchRulePayload', { dispatchRule: { type: () => DispatchRuleType } });

@Resolver()
export class DispatchMutations {
  @Mutation(() => ServiceRequestPayload, { description: 'Open a service request: allocated by quality tier and offered to the first eligible partner' })
  @Access(...OPERATORS)
  async openServiceRequest(@Arg('input', () => OpenServiceRequestInput) input: OpenRequestInput, @Ctx() ctx: Context) {
    return this.payload(await openRequest(input, ctx), ctx);
  }

  @Mutation(() => ServiceRequestPayload, { description: 'Cancel a request that is not closed yet (its order too)' })
  @Access(...OPERATORS)
  async cancelServiceRequest(@Arg('input', () => CancelServiceRequestInput) input: CancelInput, @Ctx() ctx: Context) {
    return this.payload(await cancelRequest(input, ctx), ctx);
  }

  @Mutation(() => ServiceRequestPayload, { description: 'Take the request offered to you: it becomes your order (accepting it again changes nothing)' })
  @Access(...FULFILMENT_WRITERS)
  async acceptServiceRequest(@Arg('input', () => AnswerServiceRequestInput) input: AnswerInput, @Ctx() ctx: Context) {
    return this.payload(await acceptRequest(input, ctx), ctx);
  }

  @Mutation(() => ServiceRequestPayload, { description: 'Decline the request offered to you: it is offered to the next partner at once' })
  @Access(...FULFILMENT_WRITERS)
  async declineServiceRequest(@Arg('input', () => DeclineServiceRequestInput) input: DeclineInput, @Ctx() ctx: Context) {
    return this.payload(await declineRequest(input, ctx), ctx);
  }

  @Mutation(() => ServiceRequestPayload, { description: 'Report a fulfilment milestone of a request you accepted' })
  @Access(...FULFILMENT_WRITERS)
  async reportFulfilment(@Arg('input', () => ReportFulfilmentInput) input: FulfilmentInput, @Ctx() ctx: Context) {
    return this.payload(await reportFulfilment(input, ctx), ctx);
  }

  @Mutation(() => DispatchRulePayload, { description: 'Change a dispatch rule’s threshold, window or switch it on or off' })
  @Access(...OPERATORS)
  async updateDispatchRule(@Arg('input', () => UpdateDispatchRuleInput) input: RuleInput, @Ctx() ctx: Context) {
    return { dispatchRule: await one(DispatchRuleType, await updateDispatchRule(input, ctx), ctx) };
  }

  private async payload(id: number | null, ctx: Context) {
    return { serviceRequest: id === null ? null : await one(ServiceRequestType, id, ctx) };
  }
}
