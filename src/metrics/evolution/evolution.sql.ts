// Quarterly evolution of the partner network (001: "every quarter recruit new partners and remove
// poor ones: keep the top 20%, eliminate the bottom 10%"; shares from config.metrics.evolution).
//
//   quarter score = the evaluation (evaluation.sql.ts) over the quarter's pooled counts: each
//                   component over all of the partner's orders (rated, answered, priced orders) of
//                   the three months, shrunk toward the ecosystem mean of the quarter by its own
//                   sample size, (n * x + m * prior) / (n + m), then weighted. A partner with few
//                   orders therefore scores close to the ecosystem mean, and only volume moves a
//                   score far from it. Partners without orders in the quarter are not returned.
//   enough data   = at least minOrders orders created in the quarter (EVOLUTION_MIN_ORDERS, 5).
//                   Below it: decision NOT_ENOUGH_DATA, whatever the score.
//   rank          = partners with enough data first, by quarter score (1 = best; equal scores
//                   ordered by slug), then the others by score and slug; ranks run 1..n without gaps,
//                   so the partners with enough data hold ranks 1..k (k = eligible count)
//   KEEP          rank <= ceil(k * keepTopShare)                              (10 eligible -> top 2)
//   EXIT          k - min(floor(k * exitBottomShare), k - keep count) < rank <= k   (10 -> bottom 1)
//   HOLD          every other partner with enough data
// Rounding: the keep count rounds up (a single eligible partner is kept), the exit count rounds
// down (nobody is marked for exit until there are 1 / exitBottomShare eligible partners: 10 with
// 10%), and a partner is never both KEEP and EXIT (keep wins when the two shares overlap on few
// partners). Shares are multiplied as numeric, so 0.1 * 30 is exactly 3.
import { sql, type Sql } from '../../db/sql';
import { evaluationCtes, type EvaluationOptions } from '../evaluation/evaluation.sql';

export interface EvolutionShares {
  keepTopShare: number;
  exitBottomShare: number;
  /** Orders in the quarter below which a partner is NOT_ENOUGH_DATA. */
  minOrders: number;
}

export type EvolutionDecisionValue = 'KEEP' | 'HOLD' | 'EXIT' | 'NOT_ENOUGH_DATA';

export interface EvolutionRow {
  partner_id: number;
  slug: string;
  name: string;
  months_scored: number;
  order_count: number;
  score: string;
  rank: number;
  ranked: number;
  eligible: number;
  decision: EvolutionDecisionValue;
}

/** '2026-Q3' -> { from: '2026-07-01', to: '2026-09-01' }; null when malformed. */
export function quarterMonths(quarter: string): { from: string; to: string } | null {
  const m = /^(\d{4})-Q([1-4])$/.exec(quarter);
  if (!m) return null;
  const first = (Number(m[2]) - 1) * 3 + 1;
  const pad = (n: number) => String(n).padStart(2, '0');
  return { from: `${m[1]}-${pad(first)}-01`, to: `${m[1]}-${pad(first + 2)}-01` };
}

export function evolutionSql(quarter: string, evaluation: EvaluationOptions, shares: EvolutionShares): Sql {
  const range = quarterMonths(quarter);
  if (!range) throw new Error(`invalid quarter "${quarter}", expected YYYY-Qn`);
  for (const [k, v] of Object.entries({ keepTopShare: shares.keepTopShare, exitBottomShare: shares.exitBottomShare })) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) throw new Error(`evolution ${k} must be between 0 and 1, got ${String(v)}`);
  }
  if (!Number.isInteger(shares.minOrders) || shares.minOrders < 0) throw new Error(`evolution minOrders must be a whole number >= 0, got ${String(shares.minOrders)}`);
  return sql`${evaluationCtes(range, evaluation, 'range')},
quarter AS (
  SELECT s.partner_id, s.months_with_orders AS months_scored, s.order_count, s.score,
         s.order_count >= ${shares.minOrders}::int AS eligible
  FROM scored s
  WHERE s.score IS NOT NULL
),
ranked AS (
  SELECT q.*, p.slug, p.name,
         (row_number() OVER (ORDER BY q.eligible DESC, q.score DESC, p.slug))::int AS rank,
         (count(*) OVER ())::int AS ranked,
         (count(*) FILTER (WHERE q.eligible) OVER ())::int AS eligible_count
  FROM quarter q JOIN partner p ON p.id = q.partner_id
),
cuts AS (
  SELECT r.*, ceil(r.eligible_count * ${shares.keepTopShare}::numeric)::int AS keep_count,
         floor(r.eligible_count * ${shares.exitBottomShare}::numeric)::int AS exit_share_count
  FROM ranked r
)
SELECT partner_id, slug, name, months_scored, order_count, round(score, 2)::text AS score, rank, ranked,
       eligible_count AS eligible,
       CASE WHEN NOT eligible THEN 'NOT_ENOUGH_DATA'
            WHEN rank <= keep_count THEN 'KEEP'
            WHEN rank > eligible_count - least(exit_share_count, eligible_count - keep_count) THEN 'EXIT'
            ELSE 'HOLD'
       END AS decision
FROM cuts
ORDER BY rank`;
}
