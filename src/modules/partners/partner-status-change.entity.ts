import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { PartnerEntity } from './partner.entity';
import { PartnerStatus } from './partner.enums';

/** Every lifecycle change of a partner: by an operator (with a reason) or by a quality rule. */
@Entity({ tableName: 'partner_status_change' })
@Index({ properties: ['partner', 'at'] })
export class PartnerStatusChangeEntity {
  @PrimaryKey({ type: 'integer' }) id!: number;
  @ManyToOne(() => PartnerEntity, { deleteRule: 'cascade' }) partner!: PartnerEntity;
  @Property({ type: 'timestamptz' }) at!: Date;
  @Enum({ items: () => PartnerStatus, type: 'text', nullable: true }) fromStatus?: PartnerStatus;
  @Enum({ items: () => PartnerStatus, type: 'text' }) toStatus!: PartnerStatus;
  @Property({ type: 'text' }) reason!: string;
  /** The quality rule that made the change; null for an operator's decision. */
  @Property({ type: 'text', nullable: true }) rule?: string;
  /** The month whose tier triggered a rule. */
  @Property({ type: 'date', nullable: true }) month?: string;
  /** The key that made an operator's change (null: a rule, or the environment's admin key). */
  @Property({ type: 'integer', nullable: true }) keyId?: number;
}
