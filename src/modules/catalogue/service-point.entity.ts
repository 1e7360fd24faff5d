import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { PartnerEntity } from '../partners/partner.entity';

@Entity({ tableName: 'service_point' })
@Index({ properties: ['city', 'district'] })
export class ServicePointEntity {
  @PrimaryKey({ type: 'integer' }) id!: number;
  @ManyToOne(() => PartnerEntity, { deleteRule: 'cascade', index: true }) partner!: PartnerEntity;
  @Property({ type: 'text' }) name!: string;
  @Property({ type: 'text' }) city!: string;
  @Property({ type: 'text' }) district!: string;
  @Property({ type: 'decimal', precision: 9, scale: 6 }) latitude!: string;
  @Property({ type: 'decimal', precision: 9, scale: 6 }) longitude!: string;
  @Property({ type: 'text' }) openingHours!: string;
  /** Retired points stay for the orders that name them; they take no new work. */
  @Property({ type: 'timestamptz', nullable: true }) retiredAt?: Date;
  /** Bumped by a trigger on every update, whatever path writes (optimistic concurrency). */
  @Property({ type: 'integer', default: 1 }) version: number = 1;
}
