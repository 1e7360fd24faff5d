import { ID, Int, ObjectType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../../graphql/scalars';
import { QualityTier } from '../../modules/partners/partner.enums';
import { Tier } from '../../permissions/tier';
import { TierField } from '../../permissions/tier-field';

const { PUBLIC } = Tier;

@ObjectType('PartnerEvaluation', {
  description:
    'A partner’s evaluation score for one month (0-100): satisfaction, response speed, complaint handling and price reasonableness, each shrunk toward the ecosystem mean by its sample size and weighted by configuration (see docs/metrics.md)',
})
export class PartnerEvaluationType {
  @TierField(PUBLIC, () => ID, { resolved: true }) partnerId!: string;
  @TierField(PUBLIC, () => String, { resolved: true }) partnerSlug!: string;
  @TierField(PUBLIC, () => String, { resolved: true }) partnerName!: string;
  @TierField(PUBLIC, () => DateScalar, { resolved: true, description: 'First day of the month' }) month!: string;
  @TierField(PUBLIC, () => DecimalScalar, {
    nullable: true,
    resolved: true,
    description: 'Weighted score 0-100 of the adjusted components (each shrunk toward the ecosystem mean by its sample size); null without orders',
  })
  score!: string | null;
  @TierField(PUBLIC, () => DecimalScalar, { nullable: true, resolved: true, description: 'Raw: (average rating - 1) / 4 * 100; null without rated orders' })
  satisfaction!: string | null;
  @TierField(PUBLIC, () => DecimalScalar, {
    nullable: true,
    resolved: true,
    description: 'Raw: share of answered orders within the agreement’s SLA, in percent; null without answered orders or agreement',
  })
  responseSpeed!: string | null;
  @TierField(PUBLIC, () => DecimalScalar, {
    nullable: true,
    resolved: true,
    description: 'Raw: 100 * (1 - min(1, complaint rate / BRONZE complaint limit)) * (0.5 + 0.5 * resolved share)',
  })
  complaintHandling!: string | null;
  @TierField(PUBLIC, () => DecimalScalar, {
    nullable: true,
    resolved: true,
    description: 'Raw: closeness of the partner’s list prices to the median of the same service type and unit, 0-100; null without priced orders',
  })
  priceReasonableness!: string | null;
  @TierField(PUBLIC, () => DecimalScalar, {
    nullable: true,
    resolved: true,
    description: 'Satisfaction shrunk toward the ecosystem mean: (n * raw + m * mean) / (n + m), n = rated orders; the mean without rated orders',
  })
  satisfactionAdjusted!: string | null;
  @TierField(PUBLIC, () => DecimalScalar, {
    nullable: true,
    resolved: true,
    description: 'Response speed shrunk toward the ecosystem mean, n = answered orders under an agreement; the mean without any',
  })
  responseSpeedAdjusted!: string | null;
  @TierField(PUBLIC, () => DecimalScalar, { nullable: true, resolved: true, description: 'Complaint handling shrunk toward the ecosystem mean, n = orders' })
  complaintHandlingAdjusted!: string | null;
  @TierField(PUBLIC, () => DecimalScalar, {
    nullable: true,
    resolved: true,
    description: 'Price reasonableness shrunk toward the ecosystem mean, n = priced orders; the mean without any',
  })
  priceReasonablenessAdjusted!: string | null;
  @TierField(PUBLIC, () => Int, { resolved: true, description: 'Orders created in the month' }) orderCount!: number;
  @TierField(PUBLIC, () => Int, { resolved: true, description: 'Rated orders of the month' }) ratingCount!: number;
  @TierField(PUBLIC, () => Int, { resolved: true, description: 'Answered orders of the month under an agreement in force (the sample of response speed)' })
  answeredCount!: number;
  @TierField(PUBLIC, () => Int, { resolved: true, description: 'Orders of the month of a service type with a price-list item (the sample of price reasonableness)' })
  pricedOrderCount!: number;
  @TierField(PUBLIC, () => Int, { resolved: true, description: 'Complaints on the month’s orders' }) complaintCount!: number;
  @TierField(PUBLIC, () => QualityTier, { nullable: true, resolved: true, description: 'Quality tier of the month (partner tier history)' })
  tier!: QualityTier | null;
  @TierField(PUBLIC, () => String, { resolved: true, description: 'Why there is no score, or which components took the ecosystem mean or were left out' }) reason!: string;
}
