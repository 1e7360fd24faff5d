import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { KpiFamily } from './case.enums';
import { CollaborationCaseEntity } from './collaboration-case.entity';

@Entity({ tableName: 'case_kpi' })
@Unique({ properties: ['collaborationCase', 'name'] })
export class CaseKpiEntity {
  @PrimaryKey({ type: 'integer' }) id!: number;
  @ManyToOne(() => CollaborationCaseEntity, { deleteRule: 'cascade', fieldName: 'case_id' }) collaborationCase!: CollaborationCaseEntity;
  @Property({ type: 'text' }) name!: string;
  @Enum({ items: () => KpiFamily, type: 'text' }) family!: KpiFamily;
  @Property({ type: 'text' }) unit!: string;
  @Property({ type: 'decimal', precision: 20, scale: 4, nullable: true }) valueBefore?: string;
  @Property({ type: 'decimal', precision: 20, scale: 4, nullable: true }) valueAfter?: string;
  @Property({ type: 'decimal', precision: 10, scale: 4, nullable: true }) reportedChangePct?: string;
  @Property({ type: 'text' }) period!: string;
  @Property({ type: 'text' }) source!: string;
}
