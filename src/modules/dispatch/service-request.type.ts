import { ID, Int } from 'type-graphql';
import { Projection, SortDirection } from '../../graphql/projection';
import { DateTimeScalar } from '../../graphql/scalars';
import { Tier } from '../../permissions/tier';
import { TierField } from '../../permissions/tier-field';
import { OPERATORS } from '../../permissions/write-roles';
import { ServicePointType } from '../catalogue/service-point.type';
import { ServiceOrderType } from '../orders/service-order.type';
import { PartnerType } from '../partners/partner.type';
import { AllocationStepType } from './allocation-step.type';
import { DispatchRuleType } from './dispatch-rule.type';
import { ServiceRequestStatus } from './dispatch.enums';
import { FulfilmentEventType } from './fulfilment-event.type';

const { PUBLIC, ANONYMIZED } = Tier;

// What a partner needs to fulfil the request and nothing more: the service, where and when, the
// vehicle, and the customer as its pseudonym for that partner.
@Projection('ServiceRequest', {
  table: 'service_request',
  keys: ['partner_id', 'service_point_id', 'order_id', 'source_order_id', 'rule_id'],
  customerRows: true,
  defaultOrder: [{ openedAt: SortDirection.DESC }],
  description: 'A service the platform dispatches to partners by quality tier (partners: the ones offered to them or accepted by them)',
})
export class ServiceRequestType {
  @TierField(PUBLIC, () => ID, { filter: 'id', sortable: true }) id!: string;
  @TierField(PUBLIC, () => String, { write: OPERATORS, filter: 'string', sortable: true }) serviceType!: string;
  @TierField(PUBLIC, () => String, { write: OPERATORS, filter: 'string', sortable: true }) city!: string;
  @TierField(PUBLIC, () => ServiceRequestStatus, { filter: { enum: ServiceRequestStatus }, sortable: true }) status!: ServiceRequestStatus;
  @TierField(PUBLIC, () => ID, { nullable: true, column: 'partner_id', filter: 'id', description: 'The partner it is offered to, or that accepted it (null when unallocated)' }) partnerId!: string | null;
  @TierField(ANONYMIZED, () => ID, { transform: 'pseudonym', pseudonymOf: 'Customer', column: 'customer_id', filter: 'id', description: 'The customer: the pseudonym you see as Customer.id' })
  customerId!: string | null;
  @TierField(PUBLIC, () => String, { write: OPERATORS, description: 'The vehicle, as the platform describes it (model, colour)' }) vehicle!: string;
  @TierField(PUBLIC, () => DateTimeScalar, { write: OPERATORS, filter: 'datetime', sortable: true, description: 'The requested time window opens' }) windowStart!: Date;
  @TierField(PUBLIC, () => DateTimeScalar, { write: OPERATORS, filter: 'datetime', description: 'The requested time window closes' }) windowEnd!: Date;
  @TierField(PUBLIC, () => Int, { write: OPERATORS, description: 'Units of service (days of a courtesy car)' }) days!: number;
  @TierField(ANONYMIZED, () => Boolean, { transform: 'none', write: OPERATORS, description: 'The platform bears the cost (a subscribed member)' }) memberFree!: boolean | null;
  @TierField(PUBLIC, () => DateTimeScalar, { filter: 'datetime', sortable: true }) openedAt!: Date;
  @TierField(PUBLIC, () => DateTimeScalar, { nullable: true, filter: 'datetime', description: 'When the current offer was made' }) offeredAt!: Date | null;
  @TierField(PUBLIC, () => DateTimeScalar, { nullable: true, filter: 'datetime', description: 'Answer before this, or the request is offered to the next partner' }) offerExpiresAt!: Date | null;
  @TierField(PUBLIC, () => DateTimeScalar, { nullable: true, filter: 'datetime' }) acceptedAt!: Date | null;
  @TierField(PUBLIC, () => DateTimeScalar, { nullable: true, filter: 'datetime', description: 'Completed, failed, unallocated or cancelled' }) closedAt!: Date | null;
  @TierField(PUBLIC, () => String, { nullable: true }) closeReason!: string | null;
  @TierField(PUBLIC, () => Int, { nullable: true, description: 'The accepting partner’s agreement: minutes to accept an offer' }) slaResponseMinutes!: number | null;
  @TierField(PUBLIC, () => Int, { nullable: true, description: 'Minutes from acceptance to arrival' }) slaArrivalMinutes!: number | null;
  @TierField(PUBLIC, () => Int, { nullable: true, filter: 'int', description: 'Offer to acceptance, on the platform’s clock (whole minutes, rounded up)' }) responseMinutes!: number | null;
  @TierField(PUBLIC, () => Int, { nullable: true, filter: 'int', description: 'Acceptance to ARRIVED, on the platform’s clock (whole minutes, rounded up)' }) arrivalMinutes!: number | null;
  @TierField(PUBLIC, () => Boolean, { nullable: true, filter: 'boolean' }) responseBreached!: boolean | null;
  @TierField(PUBLIC, () => Boolean, { nullable: true, filter: 'boolean' }) arrivalBreached!: boolean | null;
  @TierField(PUBLIC, () => Int, { description: 'Bumped by every change' }) version!: number;

  @TierField(PUBLIC, () => PartnerType, { nullable: true, resolved: true, description: 'The partner it is offered to, or that accepted it' }) partner!: unknown;
  @TierField(PUBLIC, () => ServicePointType, { nullable: true, resolved: true, description: 'Where the vehicle is' }) servicePoint!: unknown;
  @TierField(PUBLIC, () => ServiceOrderType, { nullable: true, resolved: true, description: 'The order it became on acceptance' }) order!: unknown;
  @TierField(PUBLIC, () => ServiceOrderType, { nullable: true, resolved: true, description: 'The order whose rule opened it (staff)' }) sourceOrder!: unknown;
  @TierField(PUBLIC, () => DispatchRuleType, { nullable: true, resolved: true, description: 'The rule that opened it (staff)' }) rule!: unknown;
  @TierField(PUBLIC, () => [AllocationStepType], { resolved: true, description: 'Who was considered, in which order, and why (partners: their own step)' }) allocation!: unknown;
  @TierField(PUBLIC, () => [FulfilmentEventType], { resolved: true, description: 'The milestones reported so far' }) fulfilment!: unknown;
}
