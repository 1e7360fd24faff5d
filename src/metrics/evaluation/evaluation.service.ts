// Partner evaluations for the API: the SQL rule of evaluation.sql.ts with the configured weights
// and prior weight,
// limited to the caller's own partner for PARTNER keys.
import { GraphQLError } from 'graphql';
import { monthStart } from '../settlements/settlement.sql';
import { Role } from '../../permissions/tier';
import type { Context } from '../../server/context';
import { evaluationSql, type EvaluationOptions, type EvaluationRow } from './evaluation.sql';
import type { PartnerEvaluationType } from './evaluation.type';
import type { QualityTier } from '../../modules/partners/partner.enums';

export function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/** 'YYYY-MM' -> 'YYYY-MM-01'; anything else is a BAD_USER_INPUT error. */
export function parseMonth(month: string): string {
  if (!/^\d{4}-\d{2}$/.test(month)) throw badInput('month must be "YYYY-MM", e.g. "2026-07"');
  try {
    return monthStart(month);
  } catch {
    throw badInput('month must be "YYYY-MM", e.g. "2026-07"');
  }
}

export function evaluationOptions(ctx: Context, partnerId?: number): EvaluationOptions {
  const m = ctx.services.config.metrics;
  return { weights: m.evaluationWeights, bronzeComplaintRate: m.quality.bronzeComplaintRate, priorWeight: m.evaluationPriorWeight, partnerId };
}

/**
 * The partner a caller may evaluate: a PARTNER key only its own (another id gives nothing);
 * null = nobody, undefined = everybody.
 */
export function scopedPartner(ctx: Context, requested: string | undefined): number | null | undefined {
  let id: number | undefined;
  if (requested !== undefined) {
    if (!/^\d{1,9}$/.test(requested)) return null;
    id = Number(requested);
  }
  if (ctx.principal.role === Role.PARTNER) {
    const own = ctx.principal.partnerId;
    if (own === undefined || (id !== undefined && id !== own)) return null;
    return own;
  }
  return id;
}

export function toEvaluation(r: EvaluationRow): PartnerEvaluationType {
  return {
    partnerId: String(r.partner_id),
    partnerSlug: r.slug,
    partnerName: r.name,
    month: r.month,
    score: r.score,
    satisfaction: r.satisfaction,
    responseSpeed: r.response_speed,
    complaintHandling: r.complaint_handling,
    priceReasonableness: r.price_reasonableness,
    satisfactionAdjusted: r.satisfaction_adjusted,
    responseSpeedAdjusted: r.response_speed_adjusted,
    complaintHandlingAdjusted: r.complaint_handling_adjusted,
    priceReasonablenessAdjusted: r.price_reasonableness_adjusted,
    orderCount: r.order_count,
    ratingCount: r.rating_count,
    answeredCount: r.answered_count,
    pricedOrderCount: r.priced_order_count,
    complaintCount: r.complaint_count,
    tier: r.tier as QualityTier | null,
    reason: r.reason,
  };
}

/** Evaluations of one month ('YYYY-MM'), best score first (months without orders last). */
export async function partnerEvaluations(ctx: Context, month: string, partnerId?: string): Promise<PartnerEvaluationType[]> {
  const start = parseMonth(month);
  const scope = scopedPartner(ctx, partnerId);
  if (scope === null) return [];
  const rows = await ctx.exec.rows<EvaluationRow>(evaluationSql({ from: start, to: start }, evaluationOptions(ctx, scope)));
  ctx.rows += rows.length;
  return rows.map(toEvaluation);
}
