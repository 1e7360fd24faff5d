import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { PartnerEntity } from '../partners/partner.entity';
import { PriceUnit } from './catalogue.enums';

@Entity({ tableName: 'price_list_item' })
@Unique({ properties: ['partner', 'serviceType', 'unit'] })
export class PriceListItemEntity {
  @PrimaryKey({ type: 'integer' }) id!: number;
  @ManyToOne(() => PartnerEntity, { deleteRule: 'cascade' }) partner!: PartnerEntity;
  @Property({ type: 'text', index: true }) serviceType!: string;
  @Enum({ items: () => PriceUnit, type: 'text' }) unit!: PriceUnit;
  @Property({ type: 'bigint' }) priceMinor!: string;
  /** Bumped by a trigger on every update, whatever path writes (optimistic concurrency). */
  @Property({ type: 'integer', default: 1 }) version: number = 1;
}
