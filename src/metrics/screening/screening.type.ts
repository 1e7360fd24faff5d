import { ID, Int, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../../graphql/scalars';
import { PartnerCategory } from '../../modules/partners/partner.enums';
import { Tier } from '../../permissions/tier';
import { TierField } from '../../permissions/tier-field';

const { PUBLIC } = Tier;

@ObjectType('CandidateRanking', { description: 'A candidate partner’s place among the candidates for the same capability gap, by the weighted screening score' })
export class CandidateRankingType {
  @TierField(PUBLIC, () => String, { resolved: true, description: 'Service type the candidate would add' }) capabilityGap!: string;
  @TierField(PUBLIC, () => Int, { resolved: true, description: '1 = best in its gap; equal scores ordered by slug' }) rank!: number;
  @TierField(PUBLIC, () => Int, { resolved: true, description: 'Candidates for the same gap' }) candidatesInGap!: number;
  @TierField(PUBLIC, () => ID, { resolved: true }) candidateId!: string;
  @TierField(PUBLIC, () => String, { resolved: true }) slug!: string;
  @TierField(PUBLIC, () => String, { resolved: true }) name!: string;
  @TierField(PUBLIC, () => PartnerCategory, { resolved: true }) category!: PartnerCategory;
  @TierField(PUBLIC, () => DecimalScalar, { resolved: true, description: 'Weighted screening score 0-100 with the configured weights' }) score!: string;
  @TierField(PUBLIC, () => DecimalScalar, { resolved: true }) serviceQuality!: string;
  @TierField(PUBLIC, () => DecimalScalar, { resolved: true }) coverage!: string;
  @TierField(PUBLIC, () => DecimalScalar, { resolved: true, description: 'Cost competitiveness (higher is cheaper)' }) cost!: string;
  @TierField(PUBLIC, () => DecimalScalar, { resolved: true }) integration!: string;
}
