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
  NOT_ENOUGH_DATA = 'NOT_ENOUGH_DATA',
}
defineEnum(
  EvolutionDecision,
  'EvolutionDecision',
  'Quarterly decision: among the partners with enough orders in the quarter, keep the top share, remove the bottom share, hold the rest; the others get NOT_ENOUGH_DATA',
);

@ObjectType('PartnerEvolution', {
  description: 'A partner’s rank in a quarter by its volume-aware quarter score (the evaluation over the quarter’s pooled orders), and the decision it leads to',
})
export class PartnerEvolutionType {
  @TierField(PUBLIC, () => String, { resolved: true, description: '"YYYY-Qn"' }) quarter!: string;
  @TierField(PUBLIC, () => ID, { resolved: true }) partnerId!: string;
  @TierField(PUBLIC, () => String, { resolved: true }) partnerSlug!: string;
  @TierField(PUBLIC, () => String, { resolved: true }) partnerName!: string;
  @TierField(PUBLIC, () => Int, {
    resolved: true,
    description: '1 = best; partners with enough data first (ranks 1..eligibleCount), then the others; equal scores ordered by slug',
  })
  rank!: number;
  @TierField(PUBLIC, () => Int, { resolved: true, description: 'Partners ranked in the quarter (every partner with orders in it)' }) rankedCount!: number;
  @TierField(PUBLIC, () => Int, { resolved: true, description: 'Partners with enough orders for a decision; the KEEP and EXIT shares are taken of this count' })
  eligibleCount!: number;
  @TierField(PUBLIC, () => DecimalScalar, {
    resolved: true,
    description: 'Quarter score 0-100: the evaluation over the quarter’s pooled counts, each component shrunk toward the ecosystem mean by its sample size',
  })
  score!: string;
  @TierField(PUBLIC, () => Int, { resolved: true, description: 'Orders created in the quarter' }) orderCount!: number;
  @TierField(PUBLIC, () => Int, { resolved: true, description: 'Months of the quarter with orders' }) monthsScored!: number;
  @TierField(PUBLIC, () => EvolutionDecision, { resolved: true }) decision!: EvolutionDecision;
}
