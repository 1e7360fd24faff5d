import { defineEnum } from '../../graphql/enums';

export enum ServiceRequestStatus {
  /** Opened; no eligible partner was found yet. */
  OPEN = 'OPEN',
  /** Offered to one partner, waiting for its answer until `offerExpiresAt`. */
  OFFERED = 'OFFERED',
  ACCEPTED = 'ACCEPTED',
  DISPATCHED = 'DISPATCHED',
  ARRIVED = 'ARRIVED',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
  /** Every eligible partner declined or let its offer expire (or none was eligible). */
  UNALLOCATED = 'UNALLOCATED',
  CANCELLED = 'CANCELLED',
}
defineEnum(ServiceRequestStatus, 'ServiceRequestStatus', 'Where a service request is in its dispatch and fulfilment');

export enum FulfilmentMilestone {
  DISPATCHED = 'DISPATCHED',
  ARRIVED = 'ARRIVED',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
}
defineEnum(FulfilmentMilestone, 'FulfilmentMilestone', 'A step of the fulfilment a partner reports');

export enum AllocationOutcome {
  /** Considered and left out: the reason says why. */
  SKIPPED = 'SKIPPED',
  /** Eligible, in line behind the partners before it. */
  WAITING = 'WAITING',
  OFFERED = 'OFFERED',
  DECLINED = 'DECLINED',
  TIMED_OUT = 'TIMED_OUT',
  ACCEPTED = 'ACCEPTED',
  /** Eligible, but the request was accepted (or closed) before its turn. */
  NOT_REACHED = 'NOT_REACHED',
}
defineEnum(AllocationOutcome, 'AllocationOutcome', 'What happened to one partner in a request’s allocation');

/** The statuses after acceptance, in the order milestones move through them. */
export const FULFILMENT_ORDER: ServiceRequestStatus[] = [
  ServiceRequestStatus.ACCEPTED,
  ServiceRequestStatus.DISPATCHED,
  ServiceRequestStatus.ARRIVED,
  ServiceRequestStatus.COMPLETED,
];
