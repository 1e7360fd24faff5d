import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Additive order figures per month, partner, city, service type and channel: what filtered
 * metrics queries aggregate instead of scanning orders. Months are calendar months in the
 * business time zone (Asia/Shanghai). Kept current by src/metrics/rollups/refresh.ts.
 */
@Entity({ tableName: 'metric_cube' })
export class MetricCubeEntity {
  @PrimaryKey({ type: 'date' }) month!: string;
  @PrimaryKey({ type: 'integer' }) partnerId!: number;
  @PrimaryKey({ type: 'text' }) city!: string;
  @PrimaryKey({ type: 'text' }) serviceType!: string;
  @PrimaryKey({ type: 'text' }) channel!: string;
  @Property({ type: 'integer' }) orders!: number;
  @Property({ type: 'integer' }) fulfilled!: number;
  @Property({ type: 'bigint' }) gmvMinor!: string;
  @Property({ type: 'bigint' }) ratingSum!: string;
  @Property({ type: 'integer' }) ratingCount!: number;
  @Property({ type: 'integer' }) complaints!: number;
  @Property({ type: 'integer' }) onlineOrders!: number;
  /** Answered orders (response_minutes not null) under an agreement in force in the month. */
  @Property({ type: 'integer', default: 0 }) slaAnswered!: number;
  /** Of those, answered later than the agreement's sla_response_minutes. */
  @Property({ type: 'integer', default: 0 }) slaBreaches!: number;
  /**
   * The same figures bounded per customer for partners' noisy figures (refresh.ts): each customer's
   * first DP_MAX_ORDERS_PER_CUSTOMER_MONTH orders of the month, amounts clamped at DP_MAX_ORDER_AMOUNT,
   * complaints counted once per order.
   */
  @Property({ type: 'integer', default: 0 }) dpOrders!: number;
  @Property({ type: 'integer', default: 0 }) dpFulfilled!: number;
  @Property({ type: 'bigint', default: 0 }) dpGmvMinor!: string;
  @Property({ type: 'integer', default: 0 }) dpOnlineOrders!: number;
  @Property({ type: 'integer', default: 0 }) dpComplaints!: number;
  @Property({ type: 'bigint', default: 0 }) dpRatingSum!: string;
  @Property({ type: 'integer', default: 0 }) dpRatingCount!: number;
  @Property({ type: 'integer', default: 0 }) dpSlaAnswered!: number;
  @Property({ type: 'integer', default: 0 }) dpSlaBreaches!: number;
}
