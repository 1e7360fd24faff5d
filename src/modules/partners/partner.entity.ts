import { ArrayType, Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { ApiOpenness, PartnerCategory, PartnerStatus, QualityTier } from './partner.enums';

@Entity({ tableName: 'partner' })
export class PartnerEntity {
  @PrimaryKey({ type: 'integer' }) id!: number;
  @Property({ type: 'text', unique: true }) slug!: string;
  @Property({ type: 'text' }) name!: string;
  @Property({ type: 'text' }) nameEn!: string;
  @Index() @Enum({ items: () => PartnerCategory, type: 'text' }) category!: PartnerCategory;
  @Property({ type: 'text' }) industry!: string;
  @Property({ type: ArrayType, columnType: 'text[]' }) serviceTypes: string[] = [];
  @Property({ type: ArrayType, columnType: 'text[]' }) cities: string[] = [];
  @Enum({ items: () => ApiOpenness, type: 'text' }) apiOpenness!: ApiOpenness;
  @Index() @Enum({ items: () => PartnerStatus, type: 'text' }) status: PartnerStatus = PartnerStatus.ACTIVE;
  @Index() @Enum({ items: () => QualityTier, type: 'text', nullable: true }) qualityTier?: QualityTier;
  @Property({ type: 'text' }) description: string = '';
  @Property({ type: 'date' }) joinedOn!: string;
  /** Reference partners come from the source documents; the rest are synthetic. */
  @Property({ type: 'boolean' }) reference: boolean = false;
  /** Why the partner has its status (the last lifecycle change). */
  @Property({ type: 'text', nullable: true }) statusReason?: string;
  /** The candidate it was onboarded from. */
  @Property({ type: 'integer', nullable: true }) candidateId?: number;
  /** Bumped by a trigger on every update, whatever path writes (optimistic concurrency). */
  @Property({ type: 'integer', default: 1 }) version: number = 1;
}
