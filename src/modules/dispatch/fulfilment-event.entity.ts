import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { PartnerEntity } from '../partners/partner.entity';
import { ServiceRequestEntity } from './service-request.entity';
import { FulfilmentMilestone } from './dispatch.enums';

/** A milestone a partner reported: its own time and details, and when the platform recorded it. */
@Entity({ tableName: 'fulfilment_event' })
@Unique({ properties: ['request', 'milestone'] })
export class FulfilmentEventEntity {
  @PrimaryKey({ type: 'integer' }) id!: number;
  @ManyToOne(() => ServiceRequestEntity, { deleteRule: 'cascade' }) request!: ServiceRequestEntity;
  @ManyToOne(() => PartnerEntity) partner!: PartnerEntity;
  @Enum({ items: () => FulfilmentMilestone, type: 'text' }) milestone!: FulfilmentMilestone;
  /** The time the partner reports (its clock). */
  @Property({ type: 'timestamptz' }) reportedAt!: Date;
  /** When the platform received it (its clock: what SLAs are measured on). */
  @Property({ type: 'timestamptz' }) recordedAt!: Date;
  @Property({ type: 'text' }) details: string = '';
  @Property({ type: 'integer', default: 1 }) version: number = 1;
}
