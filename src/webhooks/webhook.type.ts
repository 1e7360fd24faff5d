// What partners and operators read of webhooks: endpoints (never their secret nor their feed
// cursor) and the delivery log. Partners see their own rows only (row-scope.ts).
import { GraphQLJSON } from 'graphql-scalars';
import { ID, Int } from 'type-graphql';
import { ChangeOp } from '../changes/change.type';
import { ChangeType } from '../changes/feed-types';
import { Projection, SortDirection } from '../graphql/projection';
import { DateTimeScalar } from '../graphql/scalars';
import { Role, Tier } from '../permissions/tier';
import { TierField } from '../permissions/tier-field';
import { WebhookDeliveryStatus, WebhookDisabledBy, WebhookEndpointStatus } from './webhook.enums';

const { PUBLIC } = Tier;
/** A partner registers its own endpoints (an admin may for it); operators do not hold partners' secrets. */
export const ENDPOINT_WRITERS: Role[] = [Role.ADMIN, Role.PARTNER];
const VERSION = 'Bumped when the URL, event types, description or status change (not by deliveries); send it back as expectedVersion';

@Projection('WebhookEndpoint', {
  table: 'webhook_endpoint',
  keys: ['partner_id'],
  defaultOrder: [{ createdAt: SortDirection.DESC }],
  description: 'Where change-feed events are pushed, signed (Standard Webhooks). The signing secret is shown once, by createWebhookEndpoint',
})
export class WebhookEndpointType {
  @TierField(PUBLIC, () => ID, { filter: 'id', sortable: true }) id!: string;
  @TierField(PUBLIC, () => ID, { column: 'partner_id', filter: 'id', description: 'The partner whose events it receives' }) partnerId!: string;
  @TierField(PUBLIC, () => String, { write: ENDPOINT_WRITERS, filter: 'string', description: 'https:// (or http://) URL on a public host that receives a POST per event' }) url!: string;
  @TierField(PUBLIC, () => String, { write: ENDPOINT_WRITERS, nullable: true }) description!: string | null;
  @TierField(PUBLIC, () => [ChangeType], { write: ENDPOINT_WRITERS, nullable: true, description: 'The types delivered; null: every type you may see' }) eventTypes!: ChangeType[] | null;
  @TierField(PUBLIC, () => WebhookEndpointStatus, { filter: { enum: WebhookEndpointStatus } }) status!: WebhookEndpointStatus;
  @TierField(PUBLIC, () => Int, { description: 'Failed attempts since the last success' }) consecutiveFailures!: number;
  @TierField(PUBLIC, () => DateTimeScalar, { nullable: true, description: 'When the current run of failures began' }) failingSince!: Date | null;
  @TierField(PUBLIC, () => String, { nullable: true, description: 'Why it was disabled (failures in a row, 410 Gone, events missed for too long, or by hand)' }) disabledReason!: string | null;
  @TierField(PUBLIC, () => DateTimeScalar, { nullable: true, filter: 'datetime' }) disabledAt!: Date | null;
  @TierField(PUBLIC, () => WebhookDisabledBy, { nullable: true }) disabledBy!: WebhookDisabledBy | null;
  @TierField(PUBLIC, () => DateTimeScalar, { filter: 'datetime', sortable: true }) createdAt!: Date;
  @TierField(PUBLIC, () => Int, { filter: 'int', description: VERSION }) version!: number;
}

@Projection('WebhookDelivery', {
  table: 'webhook_delivery',
  keys: ['partner_id', 'payload'],
  defaultOrder: [{ createdAt: SortDirection.DESC }],
  description: 'One event sent (or to be sent) to one endpoint, and how its attempts went',
})
export class WebhookDeliveryType {
  @TierField(PUBLIC, () => ID, { filter: 'id', sortable: true }) id!: string;
  @TierField(PUBLIC, () => ID, { column: 'endpoint_id', filter: 'id' }) endpointId!: string;
  @TierField(PUBLIC, () => String, { filter: 'string', description: 'The webhook-id header: the same on every attempt and redelivery (deduplicate on it)' }) messageId!: string;
  @TierField(PUBLIC, () => ChangeType) eventType!: ChangeType;
  @TierField(PUBLIC, () => ChangeOp) eventOp!: ChangeOp;
  @TierField(PUBLIC, () => ID, { description: 'The row id as your lists show it' }) eventId!: string;
  @TierField(PUBLIC, () => WebhookDeliveryStatus, { filter: { enum: WebhookDeliveryStatus } }) status!: WebhookDeliveryStatus;
  @TierField(PUBLIC, () => Int, { filter: 'int', description: 'HTTP attempts made so far' }) attempts!: number;
  @TierField(PUBLIC, () => Int, { nullable: true, description: 'The HTTP status of the last attempt (null: no answer)' }) lastStatusCode!: number | null;
  @TierField(PUBLIC, () => String, { nullable: true }) lastError!: string | null;
  @TierField(PUBLIC, () => DateTimeScalar, { nullable: true }) lastAttemptAt!: Date | null;
  @TierField(PUBLIC, () => DateTimeScalar, { nullable: true, description: 'When the next attempt is due (null: none scheduled)' }) nextAttemptAt!: Date | null;
  @TierField(PUBLIC, () => DateTimeScalar, { filter: 'datetime', sortable: true }) createdAt!: Date;
  @TierField(PUBLIC, () => DateTimeScalar, { nullable: true }) deliveredAt!: Date | null;
  @TierField(PUBLIC, () => GraphQLJSON, {
    resolved: true,
    nullable: true,
    description: 'The body as sent (rendered for the partner when the event was read). Shown to the partner and to admins; null for operators',
  })
  payload!: unknown;
}
