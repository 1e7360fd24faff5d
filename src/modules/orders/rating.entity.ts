import { Check, Entity, Index, ManyToOne, OneToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { CustomerEntity } from '../customers/customer.entity';
import { PartnerEntity } from '../partners/partner.entity';
import { ServiceOrderEntity } from './service-order.entity';

@Entity({ tableName: 'rating' })
@Index({ properties: ['partner', 'createdAt'] })
@Check({ name: 'rating_score_range', expression: '(score >= 1) AND (score <= 5)' })
export class RatingEntity {
  @PrimaryKey({ type: 'integer' }) id!: number;
  @OneToOne(() => ServiceOrderEntity, { owner: true, unique: true }) order!: ServiceOrderEntity;
  @ManyToOne(() => PartnerEntity) partner!: PartnerEntity;
  @ManyToOne(() => CustomerEntity, { index: true }) customer!: CustomerEntity;
  @Property({ type: 'smallint' }) score!: number;
  @Property({ type: 'text', nullable: true }) comment?: string;
  @Property({ type: 'timestamptz' }) createdAt!: Date;
}
