// Who a service request is offered to, and in which order (001, "机制3：质量管理机制": GOLD gets
// orders first, SILVER normal allocation, BRONZE limited volume, YELLOW_CARD suspended).
//
// Considered: every partner that offers the service type (in its service types or its price
// list) and has a service point in the request's city that is not retired. Of those, skipped
// with the reason recorded: a partner that is not ACTIVE; a YELLOW_CARD or EXITED tier; no
// agreement in force today; a BRONZE (or not yet rated) partner that has accepted its monthly
// cap of requests already. The others stand in line by tier (GOLD, SILVER, BRONZE, then
// partners without a tier yet), and within a tier by
//
//   priority = (offers it received in the last DISPATCH_ROTATION_DAYS days + 1) / score
//
// lowest first, where score is the partner's evaluation over the three months before this one,
// pooled and shrunk toward the ecosystem mean by its volume (50 when it has no orders then). A better score goes first, and each offer
// pushes a partner back in proportion to its score, so partners of one tier take turns in
// proportion to their scores (stride scheduling) instead of the best one being first every time.
import { raw, sql, type Sql } from '../../db/sql';
import { evaluationCtes } from '../../metrics/evaluation/evaluation.sql';
import { evaluationOptions } from '../../metrics/evaluation/evaluation.service';
import { BUSINESS_TIME_ZONE } from '../../metrics/settlements/settlement.sql';
import type { Context } from '../../server/context';
import { AllocationOutcome } from './dispatch.enums';

/** A partner with no evaluated month yet counts as this score (the middle of 0-100). */
export const NEUTRAL_SCORE = 50;

const TIER_ORDER: Record<string, number> = { GOLD: 0, SILVER: 1, BRONZE: 2, UNRATED: 3 };

export interface CandidateRow {
  partner_id: number;
  slug: string;
  status: string;
  tier: string | null;
  agreement_id: number | null;
  sla_response_minutes: number | null;
  month_accepted: number;
  recent_offers: number;
}

export interface Step {
  partnerId: number;
  position: number | null;
  tier: string;
  score: number | null;
  priority: number | null;
  outcome: AllocationOutcome;
  reason: string;
  /** An eligible partner's row as allocation just read it (not stored). */
  candidate?: CandidateRow;
}

/** Today in the business time zone, and the instant its month began. */
const TODAY = sql`(now() at time zone ${BUSINESS_TIME_ZONE}::text)::date`;
const MONTH_START = sql`(date_trunc('month', now() at time zone ${BUSINESS_TIME_ZONE}::text) at time zone ${BUSINESS_TIME_ZONE}::text)`;

/** The agreement in force today, chosen as settlements choose one (latest valid_from, then id). */
function agreementInForceToday(partnerColumn: string): Sql {
  return sql`(select ag.id, ag.sla_response_minutes from agreement ag
     where ag.partner_id = ${raw(partnerColumn)}
       and ag.valid_from <= ${TODAY} and (ag.valid_to is null or ag.valid_to >= ${TODAY})
     order by ag.valid_from desc, ag.id desc limit 1)`;
}

export async function candidates(ctx: Context, serviceType: string, city: string, onlyPartner?: number): Promise<CandidateRow[]> {
  const days = ctx.services.config.dispatch.rotationDays;
  return ctx.exec.rows<CandidateRow>(sql`
    select p.id as partner_id, p.slug, p.status, p.quality_tier as tier,
           ag.id as agreement_id, ag.sla_response_minutes,
           (select count(*) from service_request r
             where r.partner_id = p.id and r.accepted_at >= ${MONTH_START})::int as month_accepted,
           (select count(*) from allocation_step s
             where s.partner_id = p.id and s.offered_at >= now() - make_interval(days => ${days}::int))::int as recent_offers
      from partner p
      left join lateral ${agreementInForceToday('p.id')} ag on true
     where (${serviceType}::text = any(p.service_types)
            or exists (select 1 from price_list_item i where i.partner_id = p.id and i.service_type = ${serviceType}::text))
       and exists (select 1 from service_point sp where sp.partner_id = p.id and sp.city = ${city}::text and sp.retired_at is null)
       and (${onlyPartner ?? null}::int is null or p.id = ${onlyPartner ?? null}::int)
     order by p.id`);
}

/** Why a considered partner cannot be offered the request now; null when it can. */
export function skipReason(c: CandidateRow, bronzeMonthlyCap: number): string | null {
  if (c.status !== 'ACTIVE') return `partner is ${c.status}`;
  if (c.tier === 'YELLOW_CARD') return 'quality tier YELLOW_CARD: no allocation until it rectifies';
  if (c.tier === 'EXITED') return 'quality tier EXITED';
  if (c.agreement_id === null || c.sla_response_minutes === null) return 'no agreement in force';
  if ((c.tier === 'BRONZE' || c.tier === null) && c.month_accepted >= bronzeMonthlyCap) {
    return `${c.tier ?? 'UNRATED'} monthly volume cap reached (${c.month_accepted} of ${bronzeMonthlyCap} requests accepted this month)`;
  }
  return null;
}

/**
 * Scores of closed months move only with late ratings and complaints, and computing them means
 * the whole ecosystem's priors: each server keeps a partner's score for a few minutes.
 */
const SCORE_TTL_MS = 5 * 60_000;
const SCORE_CACHE_MAX = 100_000;
const scoreCaches = new WeakMap<object, Map<string, { at: number; score: number | null }>>();

const BUSINESS_MONTH = new Intl.DateTimeFormat('en-CA', { timeZone: BUSINESS_TIME_ZONE, year: 'numeric', month: '2-digit' });

/**
 * The first days of the third and of the last month before `now`'s month, in the business time
 * zone (computed here: a statement just for them cost a round trip per allocation).
 */
export function scoredMonths(now: Date): { from: string; to: string } {
  const parts = BUSINESS_MONTH.formatToParts(now);
  const year = Number(parts.find((p) => p.type === 'year')!.value);
  const month = Number(parts.find((p) => p.type === 'month')!.value);
  const first = (back: number) => {
    const d = new Date(Date.UTC(year, month - 1 - back, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-01`;
  };
  return { from: first(3), to: first(1) };
}

/**
 * Evaluation scores over the three months before this one, pooled (as the quarterly evolution
 * pools a quarter: each component shrunk toward the ecosystem mean by the partner's volume), for
 * the candidates the cache lacks in one statement; null for a partner without orders then.
 */
async function scores(ctx: Context, partnerIds: number[]): Promise<Map<number, number | null>> {
  const out = new Map<number, number | null>();
  if (partnerIds.length === 0) return out;
  const b = scoredMonths(new Date());
  let cache = scoreCaches.get(ctx.services);
  if (!cache) scoreCaches.set(ctx.services, (cache = new Map()));
  const now = Date.now();
  const missing: number[] = [];
  for (const pid of partnerIds) {
    const hit = cache.get(`${b.from}:${pid}`);
    if (hit && now - hit.at < SCORE_TTL_MS) out.set(pid, hit.score);
    else missing.push(pid);
  }
  if (missing.length === 0) return out;
  const rows = await ctx.exec.rows<{ partner_id: number; score: string | null }>(sql`
    ${evaluationCtes({ from: b.from, to: b.to }, { ...evaluationOptions(ctx), partnerIds: missing }, 'range')}
    select partner_id, round(score, 2)::text as score from scored`);
  const found = new Map(rows.map((r) => [Number(r.partner_id), r.score === null ? null : Number(r.score)]));
  if (cache.size > SCORE_CACHE_MAX) cache.clear();
  for (const pid of missing) {
    const score = found.get(pid) ?? null;
    cache.set(`${b.from}:${pid}`, { at: now, score });
    out.set(pid, score);
  }
  return out;
}

/** The line for a request: eligible partners in offer order, then the skipped ones. */
export async function allocate(ctx: Context, serviceType: string, city: string): Promise<Step[]> {
  const cap = ctx.services.config.dispatch.bronzeMonthlyCap;
  const all = await candidates(ctx, serviceType, city);
  const skipped: Step[] = [];
  const eligible: CandidateRow[] = [];
  for (const c of all) {
    const reason = skipReason(c, cap);
    if (reason) skipped.push({ partnerId: c.partner_id, position: null, tier: c.tier ?? 'UNRATED', score: null, priority: null, outcome: AllocationOutcome.SKIPPED, reason });
    else eligible.push(c);
  }
  const score = await scores(ctx, eligible.map((c) => c.partner_id));
  const line = eligible.map((c) => {
    const s = score.get(c.partner_id) ?? null;
    const priority = (c.recent_offers + 1) / Math.max(s ?? NEUTRAL_SCORE, 1);
    return { c, tier: c.tier ?? 'UNRATED', score: s, priority };
  });
  line.sort(
    (a, b) =>
      TIER_ORDER[a.tier]! - TIER_ORDER[b.tier]! ||
      a.priority - b.priority ||
      (b.score ?? NEUTRAL_SCORE) - (a.score ?? NEUTRAL_SCORE) ||
      a.c.partner_id - b.c.partner_id,
  );
  const steps = line.map((l, i) => ({
    partnerId: l.c.partner_id,
    position: i + 1,
    tier: l.tier,
    score: l.score,
    priority: l.priority,
    outcome: AllocationOutcome.WAITING,
    candidate: l.c,
    reason: `${l.tier}, score ${(l.score ?? NEUTRAL_SCORE).toFixed(2)}${l.score === null ? ' (no evaluated month: neutral)' : ''}, ${l.c.recent_offers} offers in the last ${ctx.services.config.dispatch.rotationDays} days`,
  }));
  return [...steps, ...skipped];
}
