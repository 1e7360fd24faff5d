import { ID } from 'type-graphql';
import { Projection } from '../../graphql/projection';
import { DecimalScalar } from '../../graphql/scalars';
import { Tier } from '../../permissions/tier';
import { TierField } from '../../permissions/tier-field';
import { PartnerCategory } from './partner.enums';

const { PUBLIC } = Tier;

@Projection('CandidatePartner', { table: 'candidate_partner', description: 'A prospective partner and its screening inputs (0-100)' })
export class CandidatePartnerType {
  @TierField(PUBLIC, () => ID, { filter: 'id', sortable: true }) id!: string;
  @TierField(PUBLIC, () => String, { filter: 'string', sortable: true }) slug!: string;
  @TierField(PUBLIC, () => String, { filter: 'string', sortable: true }) name!: string;
  @TierField(PUBLIC, () => PartnerCategory, { filter: { enum: PartnerCategory }, sortable: true }) category!: PartnerCategory;
  @TierField(PUBLIC, () => String, { filter: 'string' }) industry!: string;
  @TierField(PUBLIC, () => String, { filter: 'string', sortable: true, description: 'Service type the candidate would add' }) capabilityGap!: string;
  @TierField(PUBLIC, () => [String], { filter: 'stringList' }) cities!: string[];
  @TierField(PUBLIC, () => DecimalScalar, { filter: 'decimal', sortable: true }) serviceQuality!: string;
  @TierField(PUBLIC, () => DecimalScalar, { filter: 'decimal', sortable: true }) coverage!: string;
  @TierField(PUBLIC, () => DecimalScalar, { filter: 'decimal', sortable: true }) cost!: string;
  @TierField(PUBLIC, () => DecimalScalar, { filter: 'decimal', sortable: true }) integration!: string;
  @TierField(PUBLIC, () => DecimalScalar, {
    resolved: true,
    description: 'Weighted screening score with the configured weights (default quality 40%, coverage 25%, cost 20%, integration 15%); candidateRanking ranks by it',
  })
  screeningScore!: string;
}
