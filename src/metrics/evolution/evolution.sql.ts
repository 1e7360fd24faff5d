// Quarterly evolution of the partner network (001: "every quarter recruit new partners and remove
// poor ones: keep the top 20%, eliminate the bottom 10%"; shares from config.metrics.evolution).
//
//   quarter score = mean of the partner's monthly evaluation scores (evaluation.sql.ts, unrounded)
//                   over the months of the quarter that have a score; partners without any scored
//                   month in the quarter are not ranked (and not returned)
//   rank          = 1 for the best quarter score; equal scores are ordered by slug (a, b, c ...), so
//                   ranks are 1..n without gaps
//   KEEP          rank <= ceil(n * keepTopShare)                      (10 ranked -> top 2)
//   EXIT          rank >  n - min(floor(n * exitBottomShare), n - keep count)   (10 -> bottom 1)
//   HOLD          everybody else
// Rounding: the keep count rounds up (a single ranked partner is kept), the exit count rounds down
// (nobody is marked for exit until there are 1 / exitBottomShare ranked partners: 10 with 10%),
// and a partner is never both KEEP and EXIT (keep wins when the two shares overlap on few partners).
// Shares are multiplied as numeric, so 0.1 * 30 is exactly 3.
import { sql, type Sql } from '../../db/sql';
import { evaluationCtes, type EvaluationOptions } from '../evaluation/evaluation.sql';

export interface EvolutionShares {
  keepTopShare: number;
  exitBottomShare: number;
}

export interface EvolutionRow {
  partner_id: number;
  slug: string;
  name: string;
  months_scored: number;
  score: string;
  rank: number;
  ranked: number;
  decision: 'KEEP' | 'HOLD' | 'EXIT';
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
  for (const [k, v] of Object.entries(shares)) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) throw new Error(`evolution ${k} must be between 0 and 1, got ${String(v)}`);
  }
  return sql`${evaluationCtes(range, evaluation)},
quarter AS (
  SELECT partner_id, count(*)::int AS months_scored, avg(score) AS score
  FROM scored
  WHERE score IS NOT NULL
  GROUP BY partner_id
),
ranked AS (
  SELECT q.*, p.slug, p.name,
         (row_number() OVER (ORDER BY q.score DESC, p.slug))::int AS rank,
         (count(*) OVER ())::int AS ranked
  FROM quarter q JOIN partner p ON p.id = q.partner_id
),
counts AS (
  SELECT r.*, ceil(r.ranked * ${shares.keepTopShare}::numeric)::int AS keep_count,
         floor(r.ranked * ${shares.exitBottomShare}::numeric)::int AS exit_share_count
  FROM ranked r
)
SELECT partner_id, slug, name, months_scored, round(score, 2)::text AS score, rank, ranked,
       CASE WHEN rank <= keep_count THEN 'KEEP'
            WHEN rank > ranked - least(exit_share_count, ranked - keep_count) THEN 'EXIT'
            ELSE 'HOLD'
       END AS decision
FROM counts
ORDER BY rank`;
}
