import { ID, Int } from 'type-graphql';
import { Projection, SortDirection } from '../../graphql/projection';
import { DateScalar, DecimalScalar } from '../../graphql/scalars';
import { Tier } from '../../permissions/tier';
import { TierField } from '../../permissions/tier-field';
import { QualityTier } from './partner.enums';
import { PartnerType } from './partner.type';

const { PUBLIC } = Tier;

@Projection('PartnerTierRecord', { table: 'partner_tier_history', keys: ['partner_id'], defaultOrder: [{ month: SortDirection.DESC }], description: 'A partner’s quality tier for one month, with the figures behind it' })
export class PartnerTierRecordType {
  @TierField(PUBLIC, () => ID, { filter: 'id', sortable: true }) id!: string;
  @TierField(PUBLIC, () => DateScalar, { filter: 'date', sortable: true, description: 'First day of the month' }) month!: string;
  @TierField(PUBLIC, () => QualityTier, { nullable: true, filter: { enum: QualityTier } }) tier!: QualityTier | null;
  @TierField(PUBLIC, () => DecimalScalar, { nullable: true }) averageRating!: string | null;
  @TierField(PUBLIC, () => DecimalScalar, { nullable: true, description: 'Complaints per order, 0-1' }) complaintRate!: string | null;
  @TierField(PUBLIC, () => Int, { filter: 'int', sortable: true }) orderCount!: number;
  @TierField(PUBLIC, () => String, { description: 'Why the tier was given, with its figures' }) reason!: string;

  @TierField(PUBLIC, () => PartnerType, { resolved: true }) partner!: unknown;
}
