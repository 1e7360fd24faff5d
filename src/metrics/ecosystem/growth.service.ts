// Ecosystem growth over time (partners, service types, cities, GMV), as in the documents'
// year 1 -> year 3 figures, from the per-group rollups.
import { sql } from '../../db/sql';
import type { Context } from '../../server/context';
import type { Granularity } from '../rollups/refresh';
import type { MetricGranularity } from './metrics.enums';
import type { GrowthPoint } from './metrics.type';
import { periodLabel, periodsBetween } from './periods';

export async function ecosystemGrowth(from: string, to: string, granularity: MetricGranularity, ctx: Context): Promise<GrowthPoint[]> {
  const g = granularity as Granularity;
  const starts = periodsBetween(from, to, g);
  const rows = await ctx.exec.rows<{ period: string; partners: number; service_types: number; cities: number; gmv: string | null }>(sql`
    select period::text as period,
           count(*) filter (where dimension = 'PARTNER')::int as partners,
           count(*) filter (where dimension = 'SERVICE_TYPE')::int as service_types,
           count(*) filter (where dimension = 'CITY')::int as cities,
           (sum(gmv_minor) filter (where dimension = 'TOTAL'))::text as gmv
      from metric_group
     where granularity = ${g} and period >= ${starts[0]}::date and period <= ${starts[starts.length - 1]}::date
       and dimension in ('PARTNER', 'SERVICE_TYPE', 'CITY', 'TOTAL')
     group by period`);
  const byPeriod = new Map(rows.map((r) => [r.period, r]));
  return starts.map((s) => {
    const r = byPeriod.get(s);
    return { period: periodLabel(s, g), activePartners: r?.partners ?? 0, serviceTypes: r?.service_types ?? 0, cities: r?.cities ?? 0, gmv: r?.gmv ?? '0' };
  });
}
