import { ArrayType, Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { PartnerEntity } from '../modules/partners/partner.entity';
import { WebhookDisabledBy, WebhookEndpointStatus } from './webhook.enums';

/**
 * A partner's webhook endpoint: where its change-feed events are pushed. The signing secret is
 * stored sealed with the server secret (it must be at hand to sign) and shown once, at creation.
 */
@Entity({ tableName: 'webhook_endpoint' })
@Index({ properties: ['partner'] })
export class WebhookEndpointEntity {
  @PrimaryKey({ type: 'integer' }) id!: number;
  @ManyToOne(() => PartnerEntity, { deleteRule: 'cascade' }) partner!: PartnerEntity;
  @Property({ type: 'text' }) url!: string;
  @Property({ type: 'text', nullable: true }) description?: string;
  /** Change types delivered; null: every type the partner may see. */
  @Property({ type: ArrayType, columnType: 'text[]', nullable: true }) eventTypes?: string[];
  /** "whsec_..." sealed with AES-256-GCM under a key derived from the server secret. */
  @Property({ type: 'text' }) secret!: string;
  /** The change-feed cursor of this endpoint (sealed, bound to the partner): events after it are not yet delivered. */
  @Property({ type: 'text' }) cursor!: string;
  @Enum({ items: () => WebhookEndpointStatus, type: 'text' }) status!: WebhookEndpointStatus;
  /** Failed attempts since the last success. */
  @Property({ type: 'integer', default: 0 }) consecutiveFailures: number = 0;
  /** When the current run of failures began (null: the last attempt succeeded). */
  @Property({ type: 'timestamptz', nullable: true }) failingSince?: Date;
  @Property({ type: 'text', nullable: true }) disabledReason?: string;
  @Property({ type: 'timestamptz', nullable: true }) disabledAt?: Date;
  @Enum({ items: () => WebhookDisabledBy, type: 'text', nullable: true }) disabledBy?: WebhookDisabledBy;
  @Property({ type: 'timestamptz' }) createdAt!: Date;
  /** Bumped by a trigger when what the owner set changes (not by the delivery bookkeeping). */
  @Property({ type: 'integer', default: 1 }) version: number = 1;
}
