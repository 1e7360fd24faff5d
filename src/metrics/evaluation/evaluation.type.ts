import { ID, Int, ObjectType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../../graphql/scalars';
import { QualityTier } from '../../modules/partners/partner.enums';
import { Tier } from '../../permissions/tier';
import { TierField } from '../../permissions/tier-field';

const { PUBLIC } = Tier;

@ObjectType('PartnerEvaluation', {
  description:
    'A partner’s evaluation score for one month (0-100): satisfaction, response speed, complaint handling and price reasonableness, weighted by configuration (see docs/metrics.md)',
})
export class PartnerEvaluationType {
  @TierField(PUBLIC, () => ID, { resolved: true }) partnerId!: string;
  @TierField(PUBLIC, () => String, { resolved: true }) partnerSlug!: string;
  @TierField(PUBLIC, () => String, { resolved: true }) partnerName!: string;
  @TierField(PUBLIC, () => DateScalar, { resolved: true, description: 'First day of the month' }) month!: string;
  @TierField(PUBLIC, () => DecimalScalar, { nullable: true, resolved: true, description: 'Weighted score 0-100; null without orders' })
  score!: string | null;
  @TierField(PUBLIC, () => DecimalScalar, { nullable: true, resolved: true, description: '(average rating - 1) / 4 * 100' })
  satisfaction!: string | null;
  @TierField(PUBLIC, () => DecimalScalar, { nullable: true, resolved: true, description: 'Share of answered orders within the agreement’s SLA, in percent' })
  responseSpeed!: string | null;
  @TierField(PUBLIC, () => DecimalScalar, {
    nullable: true,
    resolved: true,
    description: '100 * (1 - min(1, complaint rate / BRONZE complaint limit)) * (0.5 + 0.5 * resolved share)',
  })
  complaintHandling!: string | null;
  @TierField(PUBLIC, () => DecimalScalar, {
    nullable: true,
    resolved: true,
    description: 'Closeness of the partner’s list prices to the median of the same service type and unit, 0-100',
  })
  priceReasonableness!: string | null;
  @TierField(PUBLIC, () => Int, { resolved: true, description: 'Orders created in the month' }) orderCount!: number;
  @TierField(PUBLIC, () => Int, { resolved: true, description: 'Rated orders of the month' }) ratingCount!: number;
  @TierField(PUBLIC, () => Int, { resolved: true, description: 'Complaints on the month’s orders' }) complaintCount!: number;
  @TierField(PUBLIC, () => QualityTier, { nullable: true, resolved: true, description: 'Quality tier of the month (partner tier history)' })
  tier!: QualityTier | null;
  @TierField(PUBLIC, () => String, { resolved: true, description: 'Why there is no score, or which components it rests on' }) reason!: string;
}
