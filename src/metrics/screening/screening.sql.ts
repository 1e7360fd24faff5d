// Screening of candidate partners (001: service quality 40%, coverage (cities, response speed)
// 25%, cost competitiveness 20%, system integration / API openness 15%; the weights come from
// config.metrics.screeningWeights), ranked within each capability gap.
//
//   score = service_quality * w.quality + coverage * w.coverage + cost * w.cost
//           + integration * w.integration
//   The four inputs are the stored 0-100 scores of candidate_partner (cost is cost
//   competitiveness: higher is cheaper). Computed exactly in numeric; shown rounded to two
//   decimals (half away from zero).
//   rank  = position within the candidate's capability_gap, 1 = highest exact score; equal
//           scores are ordered by slug, so ranks are 1..n without gaps.
// Filtering on one gap does not change ranks: they are computed per gap.
//
// Note: CandidatePartner.screeningScore (src/modules/partners/candidate.type.ts) still has the
// default weights written into its SQL; this rule reads them from configuration.
import { sql, TRUE, type Sql } from '../../db/sql';

export interface ScreeningWeights {
  quality: number;
  coverage: number;
  cost: number;
  integration: number;
}

export interface ScreeningRow {
  id: number;
  slug: string;
  name: string;
  category: string;
  capability_gap: string;
  service_quality: string;
  coverage: string;
  cost: string;
  integration: string;
  score: string;
  rank: number;
  candidates_in_gap: number;
}

export function screeningSql(weights: ScreeningWeights, capabilityGap?: string): Sql {
  for (const [k, v] of Object.entries(weights)) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`screening weight ${k} must be a non-negative number, got ${String(v)}`);
  }
  const gap = capabilityGap === undefined ? TRUE : sql`c.capability_gap = ${capabilityGap}::text`;
  return sql`
SELECT c.id, c.slug, c.name, c.category, c.capability_gap,
       c.service_quality::text AS service_quality, c.coverage::text AS coverage, c.cost::text AS cost,
       c.integration::text AS integration,
       round(s.score, 2)::text AS score,
       (row_number() OVER (PARTITION BY c.capability_gap ORDER BY s.score DESC, c.slug))::int AS rank,
       (count(*) OVER (PARTITION BY c.capability_gap))::int AS candidates_in_gap
FROM candidate_partner c
CROSS JOIN LATERAL (
  SELECT c.service_quality * ${weights.quality}::numeric
       + c.coverage * ${weights.coverage}::numeric
       + c.cost * ${weights.cost}::numeric
       + c.integration * ${weights.integration}::numeric AS score
) s
WHERE ${gap}
  -- Candidates not screened yet have no score to rank by.
  AND c.service_quality IS NOT NULL AND c.coverage IS NOT NULL AND c.cost IS NOT NULL AND c.integration IS NOT NULL
ORDER BY c.capability_gap, rank`;
}
