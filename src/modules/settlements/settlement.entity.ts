import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { SettlementModel } from '../agreements/agreement.enums';
import { PartnerEntity } from '../partners/partner.entity';

/** A partner's monthly settlement: gross order value split between partner and platform (src/metrics/settlements/settlement.sql.ts). */
@Entity({ tableName: 'settlement' })
@Unique({ properties: ['partner', 'month'] })
export class SettlementEntity {
  @PrimaryKey({ type: 'integer' }) id!: number;
  @ManyToOne(() => PartnerEntity) partner!: PartnerEntity;
  @Property({ type: 'date', index: true }) month!: string;
  @Enum({ items: () => SettlementModel, type: 'text' }) model!: SettlementModel;
  @Property({ type: 'integer' }) orderCount!: number;
  @Property({ type: 'bigint' }) grossMinor!: string;
  @Property({ type: 'bigint' }) partnerShareMinor!: string;
  @Property({ type: 'bigint' }) platformShareMinor!: string;
  /** Sum of amount_minor - cost_minor over the month's cost-plus orders; part of platformShareMinor. */
  @Property({ type: 'bigint', default: 0 }) marginMinor: string = '0';
}
