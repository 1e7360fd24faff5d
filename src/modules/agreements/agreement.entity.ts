import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { PartnerEntity } from '../partners/partner.entity';
import { GrantedTier, PricingModel, SettlementModel } from './agreement.enums';

@Entity({ tableName: 'agreement' })
@Index({ properties: ['partner', 'validFrom'] })
export class AgreementEntity {
  @PrimaryKey({ type: 'integer' }) id!: number;
  @ManyToOne(() => PartnerEntity, { deleteRule: 'cascade' }) partner!: PartnerEntity;
  @Property({ type: 'integer' }) slaResponseMinutes!: number;
  @Property({ type: 'text' }) serviceStandard: string = '';
  @Enum({ items: () => PricingModel, type: 'text' }) pricingModel!: PricingModel;
  /** Price per use, month or year (by pricingModel) in minor units. */
  @Property({ type: 'bigint' }) priceMinor!: string;
  @Enum({ items: () => SettlementModel, type: 'text' }) settlementModel!: SettlementModel;
  @Property({ type: 'decimal', precision: 5, scale: 4, nullable: true }) commissionRate?: string;
  @Property({ type: 'decimal', precision: 5, scale: 4, nullable: true }) revenueShareRate?: string;
  @Property({ type: 'bigint', nullable: true }) monthlyFeeMinor?: string;
  @Enum({ items: () => GrantedTier, type: 'text' }) dataTier: GrantedTier = GrantedTier.PUBLIC;
  @Property({ type: 'boolean' }) exclusive: boolean = false;
  @Property({ type: 'text' }) liability: string = '';
  @Property({ type: 'date' }) validFrom!: string;
  @Property({ type: 'date', nullable: true }) validTo?: string;
  /** Quota units per minute for each of the partner's keys; null: the role default (QUOTA_PARTNER_PER_MINUTE). */
  @Property({ type: 'integer', nullable: true }) rateLimitPerMinute?: number;
  /** Quota units per UTC day for each of the partner's keys; null: the role default (QUOTA_PARTNER_PER_DAY). */
  @Property({ type: 'integer', nullable: true }) dailyQuota?: number;
  /** The partner may execute its registered (persisted) operations only, by id (src/persisted). */
  @Property({ type: 'boolean' }) persistedOnly: boolean = false;
  /** Privacy budget (epsilon) of the partner's noisy ecosystem figures per customer and month (src/metrics/ecosystem/noise.ts). */
  @Property({ type: 'decimal', precision: 8, scale: 4, default: 1 }) privacyEpsilon: string = '1';
  /** The version this one amends (the history of an agreement is this chain). */
  @Property({ type: 'integer', nullable: true }) supersedesId?: number;
  @Property({ type: 'text', nullable: true }) terminationReason?: string;
  /** Bumped by a trigger on every update, whatever path writes (optimistic concurrency). */
  @Property({ type: 'integer', default: 1 }) version: number = 1;
}
