// The metrics rule resolvers (evaluation, evolution, screening, case aggregates), for the schema.
import { CaseStatsResolver } from './cases/case-stats.resolver';
import { PartnerEvaluationResolver } from './evaluation/evaluation.resolver';
import { PartnerEvolutionResolver } from './evolution/evolution.resolver';
import { CandidateRankingResolver } from './screening/screening.resolver';

export const metricsRuleResolvers = [PartnerEvaluationResolver, PartnerEvolutionResolver, CandidateRankingResolver, CaseStatsResolver] as const;
