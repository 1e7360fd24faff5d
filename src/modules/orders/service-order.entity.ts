import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { CustomerEntity } from '../customers/customer.entity';
import { PartnerEntity } from '../partners/partner.entity';
import { ServicePointEntity } from '../catalogue/service-point.entity';
import { OrderChannel, OrderStatus } from './order.enums';

@Entity({ tableName: 'service_order' })
@Index({ properties: ['partner', 'createdAt'] })
@Index({ properties: ['customer', 'createdAt'] })
@Index({ properties: ['customer', 'partner', 'createdAt'] })
@Index({ properties: ['createdAt'] })
@Check({ name: 'service_order_amount_nonnegative', expression: 'amount_minor >= 0' })
export class ServiceOrderEntity {
  @PrimaryKey({ type: 'integer' }) id!: number;
  @ManyToOne(() => CustomerEntity) customer!: CustomerEntity;
  @ManyToOne(() => PartnerEntity) partner!: PartnerEntity;
  @ManyToOne(() => ServicePointEntity, { nullable: true, index: true }) servicePoint?: ServicePointEntity;
  @Property({ type: 'text' }) serviceType!: string;
  @Property({ type: 'text' }) city!: string;
  @Enum({ items: () => OrderChannel, type: 'text' }) channel!: OrderChannel;
  @Enum({ items: () => OrderStatus, type: 'text' }) status!: OrderStatus;
  @Property({ type: 'timestamptz' }) createdAt!: Date;
  @Property({ type: 'timestamptz', nullable: true }) fulfilledAt?: Date;
  @Property({ type: 'integer', nullable: true }) responseMinutes?: number;
  @Property({ type: 'bigint' }) amountMinor!: string;
  /** Cost-plus order: what the platform pays the partner for it (the platform keeps amountMinor - costMinor); null: settled by the agreement's model. */
  @Property({ type: 'bigint', nullable: true }) costMinor?: string;
}
