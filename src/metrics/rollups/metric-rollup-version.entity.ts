import { Check, Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** One row: bumped by every refresh that recomputed months (cached metric answers are keyed by it). */
@Entity({ tableName: 'metric_rollup_version' })
@Check({ name: 'metric_rollup_version_id_check', expression: '(id = 1)' })
export class MetricRollupVersionEntity {
  @PrimaryKey({ type: 'integer', default: 1, autoincrement: false }) id: number = 1;
  @Property({ type: 'bigint', default: 0 }) version!: string;
}
