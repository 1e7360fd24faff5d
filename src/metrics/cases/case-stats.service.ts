// Collaboration-case aggregates and indicator series for the API.
import { CollaborationModel, type KpiFamily } from '../../modules/cases/case.enums';
import type { IndicatorKind } from '../../modules/cases/indicator.entity';
import type { Context } from '../../server/context';
import { casesPerModelSql, indicatorSql, upliftSql, type IndicatorRow, type ModelCountRow, type UpliftRow } from './case-stats.sql';
import type { CollaborationCaseStatsType, IndicatorSeriesType } from './case-stats.type';

export async function collaborationCaseStats(ctx: Context): Promise<CollaborationCaseStatsType> {
  const [models, uplift] = await Promise.all([
    ctx.exec.rows<ModelCountRow>(casesPerModelSql(Object.values(CollaborationModel))),
    ctx.exec.rows<UpliftRow>(upliftSql()),
  ]);
  ctx.rows += models.length + uplift.length;
  return {
    totalCases: models.reduce((n, m) => n + m.case_count, 0),
    byModel: models.map((m) => ({ model: m.model as CollaborationModel, caseCount: m.case_count, sharePct: m.share_pct })),
    uplift: uplift.map((u) => ({
      family: u.family as KpiFamily,
      model: u.model as CollaborationModel,
      averageChangePct: u.average_change_pct,
      kpiCount: u.kpi_count,
      caseCount: u.case_count,
    })),
  };
}

/** One series per slug: in the order asked for (unknown slugs left out), or by slug when none is given. */
export async function indicatorSeries(ctx: Context, slugs?: readonly string[]): Promise<IndicatorSeriesType[]> {
  if (slugs !== undefined && slugs.length === 0) return [];
  const rows = await ctx.exec.rows<IndicatorRow>(indicatorSql(slugs));
  ctx.rows += rows.length;
  const bySlug = new Map<string, IndicatorSeriesType>();
  for (const r of rows) {
    let s = bySlug.get(r.slug);
    if (!s) {
      s = { slug: r.slug, name: r.name, unit: r.unit, points: [] };
      bySlug.set(r.slug, s);
    }
    s.name = r.name; // rows come oldest first: the latest year's name and unit win
    s.unit = r.unit;
    s.points.push({ year: r.year, value: r.value, kind: r.kind as IndicatorKind, source: r.source });
  }
  if (slugs === undefined) return [...bySlug.values()];
  return [...new Set(slugs)].flatMap((slug) => bySlug.get(slug) ?? []);
}
