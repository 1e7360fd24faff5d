import { ArrayType, Entity, Enum, PrimaryKey, Property } from '@mikro-orm/core';
import { PartnerCategory } from './partner.enums';

/** A prospective partner with its four screening inputs, each scored 0-100. */
@Entity({ tableName: 'candidate_partner' })
export class CandidatePartnerEntity {
  @PrimaryKey({ type: 'integer' }) id!: number;
  @Property({ type: 'text', unique: true }) slug!: string;
  @Property({ type: 'text' }) name!: string;
  @Enum({ items: () => PartnerCategory, type: 'text' }) category!: PartnerCategory;
  @Property({ type: 'text' }) industry!: string;
  /** The service type whose gap this candidate would fill. */
  @Property({ type: 'text', index: true }) capabilityGap!: string;
  @Property({ type: ArrayType, columnType: 'text[]' }) cities: string[] = [];
  /** The four screening inputs: null until the candidate is screened. */
  @Property({ type: 'decimal', precision: 5, scale: 2, nullable: true }) serviceQuality?: string;
  @Property({ type: 'decimal', precision: 5, scale: 2, nullable: true }) coverage?: string;
  @Property({ type: 'decimal', precision: 5, scale: 2, nullable: true }) cost?: string;
  @Property({ type: 'decimal', precision: 5, scale: 2, nullable: true }) integration?: string;
  @Property({ type: 'timestamptz', nullable: true }) screenedAt?: Date;
  /** Set when the candidate was onboarded as a partner. */
  @Property({ type: 'integer', nullable: true }) partnerId?: number;
  /** Bumped by a trigger on every update, whatever path writes (optimistic concurrency). */
  @Property({ type: 'integer', default: 1 }) version: number = 1;
}
