import { Entity, Enum, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { defineEnum } from '../../graphql/enums';

export enum IndicatorKind {
  ACTUAL = 'ACTUAL',
  FORECAST = 'FORECAST',
}
defineEnum(IndicatorKind, 'IndicatorKind');

/** Report-level figures (success rate, data interoperability rate, market context) by year. */
@Entity({ tableName: 'report_indicator' })
@Unique({ properties: ['slug', 'year'] })
export class ReportIndicatorEntity {
  @PrimaryKey({ type: 'integer' }) id!: number;
  @Property({ type: 'text' }) slug!: string;
  @Property({ type: 'text' }) name!: string;
  @Property({ type: 'text' }) unit!: string;
  @Property({ type: 'integer' }) year!: number;
  @Property({ type: 'decimal', precision: 20, scale: 4 }) value!: string;
  @Enum({ items: () => IndicatorKind, type: 'text' }) kind!: IndicatorKind;
  @Property({ type: 'text' }) source!: string;
}
