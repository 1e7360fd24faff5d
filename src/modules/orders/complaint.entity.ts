import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { CustomerEntity } from '../customers/customer.entity';
import { PartnerEntity } from '../partners/partner.entity';
import { ComplaintCategory } from './order.enums';
import { ServiceOrderEntity } from './service-order.entity';

@Entity({ tableName: 'complaint' })
@Index({ properties: ['partner', 'createdAt'] })
export class ComplaintEntity {
  @PrimaryKey({ type: 'integer' }) id!: number;
  @ManyToOne(() => ServiceOrderEntity, { index: true }) order!: ServiceOrderEntity;
  @ManyToOne(() => PartnerEntity) partner!: PartnerEntity;
  @ManyToOne(() => CustomerEntity, { index: true }) customer!: CustomerEntity;
  @Enum({ items: () => ComplaintCategory, type: 'text' }) category!: ComplaintCategory;
  @Property({ type: 'text', nullable: true }) description?: string;
  @Property({ type: 'boolean' }) resolved!: boolean;
  @Property({ type: 'timestamptz' }) createdAt!: Date;
  @Property({ type: 'timestamptz', nullable: true }) resolvedAt?: Date;
}
