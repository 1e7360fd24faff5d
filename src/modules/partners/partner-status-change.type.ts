import { ID } from 'type-graphql';
import { Projection, SortDirection } from '../../graphql/projection';
import { DateScalar, DateTimeScalar } from '../../graphql/scalars';
import { Tier } from '../../permissions/tier';
import { TierField } from '../../permissions/tier-field';
import { PartnerStatus } from './partner.enums';
import { PartnerType } from './partner.type';

const { PUBLIC } = Tier;

@Projection('PartnerStatusChange', { table: 'partner_status_change', keys: ['partner_id'], defaultOrder: [{ at: SortDirection.DESC }], description: 'A change of a partner’s lifecycle status: by an operator, or by a quality rule' })
export class PartnerStatusChangeType {
  @TierField(PUBLIC, () => ID, { filter: 'id', sortable: true }) id!: string;
  @TierField(PUBLIC, () => DateTimeScalar, { filter: 'datetime', sortable: true }) at!: Date;
  @TierField(PUBLIC, () => PartnerStatus, { nullable: true, filter: { enum: PartnerStatus } }) fromStatus!: PartnerStatus | null;
  @TierField(PUBLIC, () => PartnerStatus, { filter: { enum: PartnerStatus } }) toStatus!: PartnerStatus;
  @TierField(PUBLIC, () => String) reason!: string;
  @TierField(PUBLIC, () => String, { nullable: true, filter: 'string', description: 'The quality rule that made the change (QUALITY_YELLOW_CARD, QUALITY_EXIT, QUALITY_RECOVERED); null for an operator’s decision' })
  rule!: string | null;
  @TierField(PUBLIC, () => DateScalar, { nullable: true, filter: 'date', description: 'The month whose quality tier triggered the rule' }) month!: string | null;

  @TierField(PUBLIC, () => PartnerType, { resolved: true }) partner!: unknown;
}
