import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A threshold rule evaluated over the metrics series, e.g. online order share < 20% for 2 quarters. */
@Entity({ tableName: 'alert_rule' })
export class AlertRuleEntity {
  @PrimaryKey({ type: 'integer' }) id!: number;
  @Property({ type: 'text', unique: true }) slug!: string;
  @Property({ type: 'text' }) name!: string;
  /** ONLINE_ORDER_SHARE, AVERAGE_RATING, COMPLAINT_RATE, GMV, ORDERS, RESPONSE_P95_MINUTES, SLA_BREACH_RATE */
  @Property({ type: 'text' }) metric!: string;
  /** ECOSYSTEM, CATEGORY or PARTNER: evaluated for every group of that dimension. */
  @Property({ type: 'text' }) scope!: string;
  @Property({ type: 'text' }) granularity!: string;
  /** LT, LTE, GT, GTE */
  @Property({ type: 'text' }) comparison!: string;
  @Property({ type: 'decimal', precision: 20, scale: 6 }) threshold!: string;
  @Property({ type: 'integer' }) consecutivePeriods!: number;
  @Property({ type: 'boolean' }) enabled: boolean = true;
}
