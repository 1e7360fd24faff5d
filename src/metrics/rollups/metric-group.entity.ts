import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Every figure per period (MONTH, QUARTER, YEAR) and group (one dimension at a time, TOTAL
 * included), with the non-additive ones (distinct customers, response-time percentiles)
 * computed exactly from the orders. Unfiltered dashboard series read only this table.
 */
@Entity({ tableName: 'metric_group' })
@Index({ properties: ['granularity', 'dimension', 'period'] })
export class MetricGroupEntity {
  @PrimaryKey({ type: 'text' }) granularity!: string;
  @PrimaryKey({ type: 'date' }) period!: string;
  @PrimaryKey({ type: 'text' }) dimension!: string;
  @PrimaryKey({ type: 'text' }) key!: string;
  @Property({ type: 'integer' }) orders!: number;
  @Property({ type: 'integer' }) fulfilled!: number;
  @Property({ type: 'bigint' }) gmvMinor!: string;
  @Property({ type: 'bigint' }) ratingSum!: string;
  @Property({ type: 'integer' }) ratingCount!: number;
  @Property({ type: 'integer' }) complaints!: number;
  @Property({ type: 'integer' }) onlineOrders!: number;
  @Property({ type: 'integer' }) customers!: number;
  @Property({ type: 'integer' }) partners!: number;
  @Property({ type: 'decimal', precision: 10, scale: 2, nullable: true }) responseP50?: string;
  @Property({ type: 'decimal', precision: 10, scale: 2, nullable: true }) responseP95?: string;
  /** Answered orders under an agreement in force, and those over its SLA (as in metric_cube). */
  @Property({ type: 'integer', default: 0 }) slaAnswered!: number;
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
  /** Active partners by their quality tier of the period's months, e.g. {"GOLD": 3}. */
  @Property({ type: 'json' }) partnersByTier!: Record<string, number>;
}
