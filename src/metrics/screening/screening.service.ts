// Candidate ranking per capability gap with the configured screening weights.
import type { PartnerCategory } from '../../modules/partners/partner.enums';
import type { Context } from '../../server/context';
import { screeningSql, type ScreeningRow } from './screening.sql';
import type { CandidateRankingType } from './screening.type';

export async function candidateRanking(ctx: Context, capabilityGap?: string): Promise<CandidateRankingType[]> {
  const rows = await ctx.exec.rows<ScreeningRow>(screeningSql(ctx.services.config.metrics.screeningWeights, capabilityGap));
  ctx.rows += rows.length;
  return rows.map((r) => ({
    capabilityGap: r.capability_gap,
    rank: r.rank,
    candidatesInGap: r.candidates_in_gap,
    candidateId: String(r.id),
    slug: r.slug,
    name: r.name,
    category: r.category as PartnerCategory,
    score: r.score,
    serviceQuality: r.service_quality,
    coverage: r.coverage,
    cost: r.cost,
    integration: r.integration,
  }));
}
