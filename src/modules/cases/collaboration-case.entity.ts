import { ArrayType, Entity, Enum, PrimaryKey, Property } from '@mikro-orm/core';
import { CollaborationModel } from './case.enums';

@Entity({ tableName: 'collaboration_case' })
export class CollaborationCaseEntity {
  @PrimaryKey({ type: 'integer' }) id!: number;
  @Property({ type: 'text', unique: true }) slug!: string;
  @Property({ type: 'text' }) title!: string;
  @Property({ type: 'text' }) titleEn!: string;
  @Property({ type: ArrayType, columnType: 'text[]' }) parties: string[] = [];
  @Property({ type: ArrayType, columnType: 'text[]' }) industries: string[] = [];
  @Enum({ items: () => CollaborationModel, type: 'text', index: true }) model!: CollaborationModel;
  @Property({ type: 'integer', index: true }) year!: number;
  @Property({ type: 'text' }) summary!: string;
  @Property({ type: ArrayType, columnType: 'text[]' }) successFactors: string[] = [];
  @Property({ type: ArrayType, columnType: 'text[]' }) risks: string[] = [];
}
