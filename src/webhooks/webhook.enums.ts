// The states of an endpoint and of a delivery, as stored and as the API shows them.
import { defineEnum } from '../graphql/enums';

export enum WebhookEndpointStatus {
  ACTIVE = 'ACTIVE',
  DISABLED = 'DISABLED',
}
defineEnum(WebhookEndpointStatus, 'WebhookEndpointStatus', 'ACTIVE: events are delivered. DISABLED: nothing is sent; events wait in the feed until it is enabled again');

export enum WebhookDisabledBy {
  /** Failures in a row, a 410 Gone, or a cursor older than the feed keeps. */
  SYSTEM = 'SYSTEM',
  PARTNER = 'PARTNER',
  OPERATOR = 'OPERATOR',
}
defineEnum(WebhookDisabledBy, 'WebhookDisabledBy', 'Who disabled an endpoint (SYSTEM: failures in a row, 410 Gone, or missed events older than the feed keeps)');

export enum WebhookDeliveryStatus {
  /** Waiting for its first attempt or a retry. */
  PENDING = 'PENDING',
  SUCCEEDED = 'SUCCEEDED',
  /** Every attempt failed (or the endpoint answered 410 Gone). */
  FAILED = 'FAILED',
  /** Not sent: what it carries is no longer the partner's to see; the feed sends what replaces it. */
  SKIPPED = 'SKIPPED',
}
defineEnum(WebhookDeliveryStatus, 'WebhookDeliveryStatus', 'PENDING: not delivered yet (first attempt or a retry due). SUCCEEDED: answered 2xx. FAILED: every attempt failed. SKIPPED: not sent because what it carries is no longer yours to see (a later event restates it)');
