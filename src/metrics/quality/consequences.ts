// The consequences of the monthly quality tiers (001, "机制3"), applied to the partner's status:
//   YELLOW_CARD month                       -> an ACTIVE partner is SUSPENDED (QUALITY_YELLOW_CARD)
//   EXITED (yellow N months in a row)       -> the partner EXITS: agreements end, keys revoked (QUALITY_EXIT)
//   GOLD, SILVER or BRONZE month            -> a partner SUSPENDED by QUALITY_YELLOW_CARD is
//                                              ACTIVE again (QUALITY_RECOVERED); a suspension an
//                                              operator decided is lifted by reinstatePartner only
// Only a partner's latest evaluated month decides, so re-evaluating an older month changes no
// status. Every change is a partner_status_change row naming its rule and month.
import { Sql, sql } from '../../db/sql';
import { PartnerStatus, QualityTier } from '../../modules/partners/partner.enums';
import { PartnerType } from '../../modules/partners/partner.type';
import { transition, type Transition } from '../../modules/partners/lifecycle.service';
import type { Context } from '../../server/context';
import { lockRow } from '../../writes/rows';
import { partnerTierUpdateSql, tierHistoryUpsertSql } from './quality-tier.sql';

export const QUALITY_RULES = { yellow: 'QUALITY_YELLOW_CARD', exit: 'QUALITY_EXIT', recovered: 'QUALITY_RECOVERED' } as const;

interface Candidate {
  partner_id: number;
  tier: QualityTier;
  reason: string;
  status: PartnerStatus;
  last_rule: string | null;
}

function decide(c: Candidate): { kind: Transition; rule: string } | undefined {
  if (c.tier === QualityTier.EXITED && c.status !== PartnerStatus.EXITED) return { kind: 'exit', rule: QUALITY_RULES.exit };
  if (c.tier === QualityTier.YELLOW_CARD && c.status === PartnerStatus.ACTIVE) return { kind: 'suspend', rule: QUALITY_RULES.yellow };
  const good = [QualityTier.GOLD, QualityTier.SILVER, QualityTier.BRONZE].includes(c.tier);
  if (good && c.status === PartnerStatus.SUSPENDED && c.last_rule === QUALITY_RULES.yellow) return { kind: 'reinstate', rule: QUALITY_RULES.recovered };
  return undefined;
}

/** Computes the tiers of `month` ("YYYY-MM-01") and applies their consequences; returns the partners whose status changed. */
export async function evaluateQualityMonth(month: string, ctx: Context): Promise<{ evaluated: number; changed: number[] }> {
  const history = tierHistoryUpsertSql({ from: month, to: month }, ctx.services.config.metrics.quality);
  await ctx.exec.rows(new Sql(history.sql, history.params));
  const candidates = await ctx.exec.rows<Candidate>(sql`
    select h.partner_id, h.tier, h.reason, p.status,
           (select c.rule from partner_status_change c where c.partner_id = h.partner_id order by c.at desc, c.id desc limit 1) as last_rule
      from partner_tier_history h join partner p on p.id = h.partner_id
     where h.month = ${month}::date and h.tier is not null
       and not exists (select 1 from partner_tier_history l where l.partner_id = h.partner_id and l.month > h.month and l.tier is not null)
     order by h.partner_id`);
  const changed: number[] = [];
  for (const c of candidates) {
    const step = decide(c);
    if (!step) continue;
    const partner = await lockRow(PartnerType, Number(c.partner_id), ctx);
    if (!partner) continue;
    await transition(ctx, partner, step.kind, { reason: `${c.tier} in ${month.slice(0, 7)}: ${c.reason}`, rule: step.rule, month });
    changed.push(partner.id);
  }
  const tiers = partnerTierUpdateSql();
  await ctx.exec.rows(new Sql(tiers.sql, tiers.params));
  return { evaluated: candidates.length, changed };
}
