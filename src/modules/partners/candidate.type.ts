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
    filter: 'decimal',
    sortable: true,
    description: 'Weighted screening score: quality 40%, coverage 25%, cost 20%, integration 15%',
    sql: 'round({t}."service_quality" * 0.40 + {t}."coverage" * 0.25 + {t}."cost" * 0.20 + {t}."integration" * 0.15, 2)',
  })
  screeningScore!: string;
}
