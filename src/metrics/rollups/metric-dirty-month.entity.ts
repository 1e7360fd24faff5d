import { Entity, PrimaryKey } from '@mikro-orm/core';

/** Months whose rollups are stale; filled by triggers on orders, ratings, complaints, tiers. */
@Entity({ tableName: 'metric_dirty_month' })
export class MetricDirtyMonthEntity {
  @PrimaryKey({ type: 'date' }) month!: string;
}
