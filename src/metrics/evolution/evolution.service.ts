// The quarterly evolution ranking with the configured weights, prior weight, shares and minimum volume.
import type { Context } from '../../server/context';
import { badInput, evaluationOptions } from '../evaluation/evaluation.service';
import { evolutionSql, quarterMonths, type EvolutionRow } from './evolution.sql';
import type { EvolutionDecision, PartnerEvolutionType } from './evolution.type';

export async function partnerEvolution(ctx: Context, quarter: string): Promise<PartnerEvolutionType[]> {
  if (!quarterMonths(quarter)) throw badInput('quarter must be "YYYY-Qn", e.g. "2026-Q3"');
  const rows = await ctx.exec.rows<EvolutionRow>(evolutionSql(quarter, evaluationOptions(ctx), ctx.services.config.metrics.evolution));
  ctx.rows += rows.length;
  return rows.map((r) => ({
    quarter,
    partnerId: String(r.partner_id),
    partnerSlug: r.slug,
    partnerName: r.name,
    rank: r.rank,
    rankedCount: r.ranked,
    eligibleCount: r.eligible,
    score: r.score,
    orderCount: r.order_count,
    monthsScored: r.months_scored,
    decision: r.decision as EvolutionDecision,
  }));
}
