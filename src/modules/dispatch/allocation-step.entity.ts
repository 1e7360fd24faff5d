import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { PartnerEntity } from '../partners/partner.entity';
import { ServiceRequestEntity } from './service-request.entity';
import { AllocationOutcome } from './dispatch.enums';

/** One partner considered for a request: its place in line and what became of it. */
@Entity({ tableName: 'allocation_step' })
@Unique({ properties: ['request', 'partner'] })
@Index({ properties: ['partner', 'offeredAt'] })
export class AllocationStepEntity {
  @PrimaryKey({ type: 'integer' }) id!: number;
  @ManyToOne(() => ServiceRequestEntity, { deleteRule: 'cascade' }) request!: ServiceRequestEntity;
  @ManyToOne(() => PartnerEntity) partner!: PartnerEntity;
  /** Place in line (1 = offered first); null for a skipped partner. */
  @Property({ type: 'integer', nullable: true }) position?: number;
  @Property({ type: 'text', nullable: true }) tier?: string;
  @Property({ type: 'decimal', precision: 7, scale: 2, nullable: true }) score?: string;
  /** Recent offers + 1 divided by the score: the lower, the sooner (rotation within a tier). */
  @Property({ type: 'decimal', precision: 12, scale: 6, nullable: true }) priority?: string;
  @Enum({ items: () => AllocationOutcome, type: 'text' }) outcome!: AllocationOutcome;
  @Property({ type: 'text' }) reason!: string;
  /** When it was offered the request (the rotation counts these). */
  @Property({ type: 'timestamptz', nullable: true }) offeredAt?: Date;
  @Property({ type: 'timestamptz' }) updatedAt!: Date;
  @Property({ type: 'integer', default: 1 }) version: number = 1;
}
