import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { PartnerEntity } from '../modules/partners/partner.entity';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';
import { WebhookDeliveryStatus } from './webhook.enums';

/**
 * One change-feed event for one endpoint: the message (its id is the webhook-id header, the same
 * on every attempt), the payload as sent, and how its attempts went.
 */
@Entity({ tableName: 'webhook_delivery' })
@Index({ properties: ['endpoint', 'createdAt'] })
@Index({ properties: ['partner', 'createdAt'] })
@Index({ properties: ['status', 'createdAt'] })
export class WebhookDeliveryEntity {
  @PrimaryKey({ type: 'integer' }) id!: number;
  @ManyToOne(() => WebhookEndpointEntity, { deleteRule: 'cascade' }) endpoint!: WebhookEndpointEntity;
  /** The endpoint's partner (its row scope). */
  @ManyToOne(() => PartnerEntity, { deleteRule: 'cascade' }) partner!: PartnerEntity;
  /** "msg_...": the webhook-id header, stable across retries and redeliveries. */
  @Property({ type: 'text', unique: true }) messageId!: string;
  @Property({ type: 'text' }) eventType!: string;
  /** UPSERT or DELETE (ChangeOp). */
  @Enum({ items: ['UPSERT', 'DELETE'], type: 'text' }) eventOp!: 'UPSERT' | 'DELETE';
  /** The row's id as the partner sees it (a pseudonym for customers). */
  @Property({ type: 'text' }) eventId!: string;
  /** The row's real id (UPSERT), to check at each attempt that it is still the partner's to see. Never shown. */
  @Property({ type: 'integer', nullable: true }) rowId?: number;
  /** The feed cursor just after this event. */
  @Property({ type: 'text' }) feedCursor!: string;
  /** The partner's view (grant, suspension) the payload was rendered under. Never shown. */
  @Property({ type: 'text' }) view!: string;
  /** The body sent, as rendered when the event was read from the feed. */
  @Property({ type: 'jsonb' }) payload!: unknown;
  @Enum({ items: () => WebhookDeliveryStatus, type: 'text' }) status!: WebhookDeliveryStatus;
  /** HTTP attempts made. */
  @Property({ type: 'integer', default: 0 }) attempts: number = 0;
  @Property({ type: 'integer', nullable: true }) lastStatusCode?: number;
  @Property({ type: 'text', nullable: true }) lastError?: string;
  @Property({ type: 'timestamptz', nullable: true }) lastAttemptAt?: Date;
  /** When the next attempt is due (null: none scheduled). */
  @Property({ type: 'timestamptz', nullable: true }) nextAttemptAt?: Date;
  @Property({ type: 'timestamptz' }) createdAt!: Date;
  @Property({ type: 'timestamptz', nullable: true }) deliveredAt?: Date;
}
