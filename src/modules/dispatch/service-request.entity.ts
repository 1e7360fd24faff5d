import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { ServicePointEntity } from '../catalogue/service-point.entity';
import { CustomerEntity } from '../customers/customer.entity';
import { ServiceOrderEntity } from '../orders/service-order.entity';
import { PartnerEntity } from '../partners/partner.entity';
import { DispatchRuleEntity } from './dispatch-rule.entity';
import { ServiceRequestStatus } from './dispatch.enums';

/**
 * A service the platform needs a partner to perform, dispatched by quality tier (allocation.ts).
 * `partner` is the partner it is offered to or was accepted by; the clocks are the platform's.
 */
@Entity({ tableName: 'service_request' })
@Index({ properties: ['partner', 'status'] })
@Index({ properties: ['status', 'offerExpiresAt'] })
@Unique({ name: 'service_request_rule_source_unique', properties: ['rule', 'sourceOrder'] })
@Check({ name: 'service_request_window_check', expression: 'window_end > window_start' })
@Check({ name: 'service_request_days_check', expression: '(days >= 1) AND (days <= 30)' })
export class ServiceRequestEntity {
  @PrimaryKey({ type: 'integer' }) id!: number;
  @Property({ type: 'text' }) serviceType!: string;
  @Property({ type: 'text' }) city!: string;
  /** Where the vehicle is. */
  @ManyToOne(() => ServicePointEntity, { nullable: true }) servicePoint?: ServicePointEntity;
  @ManyToOne(() => CustomerEntity) customer!: CustomerEntity;
  @Property({ type: 'text' }) vehicle: string = '';
  @Property({ type: 'timestamptz' }) windowStart!: Date;
  @Property({ type: 'timestamptz' }) windowEnd!: Date;
  /** Units of service (days of a courtesy car). */
  @Property({ type: 'integer' }) days: number = 1;
  /** The platform bears the cost (a subscribed member): the customer is charged nothing. */
  @Property({ type: 'boolean' }) memberFree: boolean = false;
  @Enum({ items: () => ServiceRequestStatus, type: 'text' }) status!: ServiceRequestStatus;
  @ManyToOne(() => PartnerEntity, { nullable: true }) partner?: PartnerEntity;
  /** Bumped with every offer: a timeout job for an earlier offer finds it moved on. */
  @Property({ type: 'integer' }) offerSeq: number = 0;
  @Property({ type: 'timestamptz' }) openedAt!: Date;
  @Property({ type: 'timestamptz', nullable: true }) offeredAt?: Date;
  @Property({ type: 'timestamptz', nullable: true }) offerExpiresAt?: Date;
  @Property({ type: 'timestamptz', nullable: true }) acceptedAt?: Date;
  @Property({ type: 'timestamptz', nullable: true }) dispatchedAt?: Date;
  @Property({ type: 'timestamptz', nullable: true }) arrivedAt?: Date;
  @Property({ type: 'timestamptz', nullable: true }) closedAt?: Date;
  @Property({ type: 'integer', nullable: true }) slaResponseMinutes?: number;
  @Property({ type: 'integer', nullable: true }) slaArrivalMinutes?: number;
  @Property({ type: 'integer', nullable: true }) responseMinutes?: number;
  @Property({ type: 'integer', nullable: true }) arrivalMinutes?: number;
  @Property({ type: 'boolean', nullable: true }) responseBreached?: boolean;
  @Property({ type: 'boolean', nullable: true }) arrivalBreached?: boolean;
  @Property({ type: 'text', nullable: true }) closeReason?: string;
  @ManyToOne(() => DispatchRuleEntity, { nullable: true }) rule?: DispatchRuleEntity;
  /** The order that made a rule open this request (the repair that ran long). */
  @ManyToOne(() => ServiceOrderEntity, { nullable: true }) sourceOrder?: ServiceOrderEntity;
  /** The order this request became once accepted. */
  @ManyToOne(() => ServiceOrderEntity, { nullable: true, unique: true }) order?: ServiceOrderEntity;
  @Property({ type: 'integer', default: 1 }) version: number = 1;
}
