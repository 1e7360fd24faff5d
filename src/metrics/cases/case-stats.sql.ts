// Aggregates of the cross-industry collaboration cases (000, chapters 3-4) and the report
// indicators as series.
//
//   cases per model   every collaboration model (also those without cases, count 0), its case
//                     count and its share of all cases in percent (count * 100 / total, two
//                     decimals; null when there are no cases at all)
//   uplift per (KPI family, model)
//                     relative change of a KPI, in percent:
//                       (value_after - value_before) / value_before * 100 when both are known and
//                       value_before is not 0, else reported_change_pct;
//                     KPIs with neither are ignored; the average of the KPIs' changes (unrounded)
//                     is shown with two decimals. Only (family, model) pairs with at least one
//                     usable KPI appear. Signs are kept as reported: a cost or a decision cycle
//                     that falls is a negative change.
//   indicator series  report_indicator rows of the chosen slugs (all when none are given), one
//                     series per slug, points ordered by year, each ACTUAL or FORECAST.
import { raw, sql, TRUE, type Sql } from '../../db/sql';

export interface ModelCountRow {
  model: string;
  case_count: number;
  share_pct: string | null;
}

export interface UpliftRow {
  family: string;
  model: string;
  kpi_count: number;
  case_count: number;
  average_change_pct: string;
}

export interface IndicatorRow {
  slug: string;
  name: string;
  unit: string;
  year: number;
  value: string;
  kind: string;
  source: string;
}

/** The relative change of case_kpi `k`, in percent (null when neither way is known). */
export const KPI_CHANGE_PCT = `CASE WHEN k.value_before IS NOT NULL AND k.value_after IS NOT NULL AND k.value_before <> 0
            THEN (k.value_after - k.value_before) / k.value_before * 100
            ELSE k.reported_change_pct END`;

export function casesPerModelSql(models: readonly string[]): Sql {
  return sql`
SELECT m.model, count(c.id)::int AS case_count,
       round(count(c.id)::numeric * 100 / nullif(sum(count(c.id)) OVER (), 0), 2)::text AS share_pct
FROM unnest(${[...models]}::text[]) WITH ORDINALITY AS m(model, ord)
LEFT JOIN collaboration_case c ON c.model = m.model
GROUP BY m.model, m.ord
ORDER BY m.ord`;
}

export function upliftSql(): Sql {
  return sql`
SELECT k.family, c.model, count(*)::int AS kpi_count, count(DISTINCT c.id)::int AS case_count,
       round(avg(x.change_pct), 2)::text AS average_change_pct
FROM case_kpi k
JOIN collaboration_case c ON c.id = k.case_id
CROSS JOIN LATERAL (SELECT ${raw(KPI_CHANGE_PCT)} AS change_pct) x
WHERE x.change_pct IS NOT NULL
GROUP BY k.family, c.model
ORDER BY k.family, c.model`;
}

export function indicatorSql(slugs?: readonly string[]): Sql {
  const only = slugs === undefined ? TRUE : sql`slug = ANY(${[...slugs]}::text[])`;
  return sql`
SELECT slug, name, unit, year, trim_scale(value)::text AS value, kind, source
FROM report_indicator
WHERE ${only}
ORDER BY slug, year`;
}
