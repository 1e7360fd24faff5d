import { ID, Int, ObjectType } from 'type-graphql';
import { defineEnum } from '../../graphql/enums';
import { DecimalScalar } from '../../graphql/scalars';
import { Tier } from '../../permissions/tier';
import { TierField } from '../../permissions/tier-field';

const { PUBLIC } = Tier;

export enum EvolutionDecision {
  KEEP = 'KEEP',
  HOLD = 'HOLD',
  EXIT = 'EXIT',
}
defineEnum(EvolutionDecision, 'EvolutionDecision', 'Quarterly decision: keep the top share, remove the bottom share, hold the rest');

@ObjectType('PartnerEvolution', { description: 'A partner’s rank in a quarter by its average monthly evaluation score, and the decision it leads to' })
export class PartnerEvolutionType {
  @TierField(PUBLIC, () => String, { resolved: true, description: '"YYYY-Qn"' }) quarter!: string;
  @TierField(PUBLIC, () => ID, { resolved: true }) partnerId!: string;
  @TierField(PUBLIC, () => String, { resolved: true }) partnerSlug!: string;
  @TierField(PUBLIC, () => String, { resolved: true }) partnerName!: string;
  @TierField(PUBLIC, () => Int, { resolved: true, description: '1 = best; equal scores ordered by slug' }) rank!: number;
  @TierField(PUBLIC, () => Int, { resolved: true, description: 'Partners ranked in the quarter' }) rankedCount!: number;
  @TierField(PUBLIC, () => DecimalScalar, { resolved: true, description: 'Mean of the scored months’ evaluation scores, 0-100' }) score!: string;
  @TierField(PUBLIC, () => Int, { resolved: true, description: 'Months of the quarter with a score' }) monthsScored!: number;
  @TierField(PUBLIC, () => EvolutionDecision, { resolved: true }) decision!: EvolutionDecision;
}
