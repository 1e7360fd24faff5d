import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { PartnerEntity } from './partner.entity';
import { QualityTier } from './partner.enums';

/** One row per partner and month: the tier it earned and the figures behind it. */
@Entity({ tableName: 'partner_tier_history' })
@Unique({ properties: ['partner', 'month'] })
export class PartnerTierHistoryEntity {
  @PrimaryKey({ type: 'integer' }) id!: number;
  @ManyToOne(() => PartnerEntity, { deleteRule: 'cascade' }) partner!: PartnerEntity;
  @Property({ type: 'date' }) month!: string;
  @Enum({ items: () => QualityTier, type: 'text', nullable: true }) tier?: QualityTier;
  @Property({ type: 'decimal', precision: 4, scale: 3, nullable: true }) averageRating?: string;
  @Property({ type: 'decimal', precision: 7, scale: 6, nullable: true }) complaintRate?: string;
  @Property({ type: 'integer' }) orderCount!: number;
  @Property({ type: 'text' }) reason!: string;
}
