import { Entity, PrimaryKey } from '@mikro-orm/core';

/** Stale months a refresh has claimed and not yet recomputed (refresh.ts); writers never touch it. */
@Entity({ tableName: 'metric_refreshing_month' })
export class MetricRefreshingMonthEntity {
  @PrimaryKey({ type: 'date' }) month!: string;
}
