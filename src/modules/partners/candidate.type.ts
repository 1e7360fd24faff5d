import { ID, Int } from 'type-graphql';
import { OPERATORS } from '../../permissions/write-roles';
import { Projection } from '../../graphql/projection';
import { DecimalScalar } from '../../graphql/scalars';
import { Tier } from '../../permissions/tier';
import { TierField } from '../../permissions/tier-field';
import { PartnerCategory } from './partner.enums';

const { PUBLIC } = Tier;

@Projection('CandidatePartner', { table: 'candidate_partner', description: 'A prospective partner and its screening inputs (0-100)' })
export class CandidatePartnerType {
  @TierField(PUBLIC, () => ID, { filter: 'id', sortable: true }) id!: string;
  @TierField(PUBLIC, () => String, { write: OPERATORS, filter: 'string', sortable: true }) slug!: string;
  @TierField(PUBLIC, () => String, { write: OPERATORS, filter: 'string', sortable: true }) name!: string;
  @TierField(PUBLIC, () => PartnerCategory, { write: OPERATORS, filter: { enum: PartnerCategory }, sortable: true }) category!: PartnerCategory;
  @TierField(PUBLIC, () => String, { write: OPERATORS, filter: 'string' }) industry!: string;
  @TierField(PUBLIC, () => String, { write: OPERATORS, filter: 'string', sortable: true, description: 'Service type the candidate would add' }) capabilityGap!: string;
  @TierField(PUBLIC, () => [String], { write: OPERATORS, filter: 'stringList' }) cities!: string[];
  @TierField(PUBLIC, () => DecimalScalar, { nullable: true, write: OPERATORS, filter: 'decimal', description: '0-100; null until screened' }) serviceQuality!: string | null;
  @TierField(PUBLIC, () => DecimalScalar, { nullable: true, write: OPERATORS, filter: 'decimal', description: '0-100; null until screened' }) coverage!: string | null;
  @TierField(PUBLIC, () => DecimalScalar, { nullable: true, write: OPERATORS, filter: 'decimal', description: '0-100; null until screened' }) cost!: string | null;
  @TierField(PUBLIC, () => DecimalScalar, { nullable: true, write: OPERATORS, filter: 'decimal', description: '0-100; null until screened' }) integration!: string | null;
  @TierField(PUBLIC, () => ID, { nullable: true, description: 'The partner it was onboarded as' }) partnerId!: string | null;
  @TierField(PUBLIC, () => Int, { filter: 'int', description: 'Bumped by every change; send it back as expectedVersion to update safely' }) version!: number;
  @TierField(PUBLIC, () => DecimalScalar, {
    nullable: true,
    resolved: true,
    description: 'Weighted screening score with the configured weights (default quality 40%, coverage 25%, cost 20%, integration 15%); candidateRanking ranks by it',
  })
  screeningScore!: string;
}
