// Evaluates the alert rules over the per-group rollups: for each group of the rule's scope,
// every maximal run of consecutive periods in which the metric met the comparison and that
// is at least `consecutivePeriods` long.
import { sql } from '../../db/sql';
import type { Context } from '../../server/context';
import { periodLabel } from '../ecosystem/periods';
import { labels } from '../ecosystem/metrics.service';
import { MetricDimension } from '../ecosystem/metrics.enums';
import { addPeriod, type Granularity } from '../rollups/refresh';
import type { AlertRuleType, AlertType } from './alert.type';

interface GroupRow {
  period: string;
  key: string;
  orders: number;
  gmv_minor: string;
  rating_sum: string;
  rating_count: number;
  complaints: number;
  online_orders: number;
  response_p95: string | null;
  sla_answered: number;
  sla_breaches: number;
}

const SCOPE_DIMENSION: Record<string, MetricDimension> = {
  ECOSYSTEM: MetricDimension.TOTAL,
  CATEGORY: MetricDimension.CATEGORY,
  PARTNER: MetricDimension.PARTNER,
};

export function metricValue(metric: string, r: GroupRow): number | null {
  switch (metric) {
    case 'ONLINE_ORDER_SHARE':
      return r.orders > 0 ? r.online_orders / r.orders : null;
    case 'AVERAGE_RATING':
      return r.rating_count > 0 ? Number(r.rating_sum) / r.rating_count : null;
    case 'COMPLAINT_RATE':
      return r.orders > 0 ? r.complaints / r.orders : null;
    case 'GMV':
      return Number(r.gmv_minor) / 100;
    case 'ORDERS':
      return r.orders;
    case 'RESPONSE_P95_MINUTES':
      return r.response_p95 === null ? null : Number(r.response_p95);
    case 'SLA_BREACH_RATE':
      return r.sla_answered > 0 ? r.sla_breaches / r.sla_answered : null;
    default:
      return null;
  }
}

export function meets(value: number, comparison: string, threshold: number): boolean {
  switch (comparison) {
    case 'LT':
      return value < threshold;
    case 'LTE':
      return value <= threshold;
    case 'GT':
      return value > threshold;
    case 'GTE':
      return value >= threshold;
    default:
      return false;
  }
}

export async function alertRules(ctx: Context): Promise<AlertRuleType[]> {
  return ctx.exec.rows<AlertRuleType>(sql`select id::text as id, slug, name, metric, scope, granularity, comparison,
      threshold::text as threshold, consecutive_periods as "consecutivePeriods", enabled from alert_rule order by id`);
}

export async function evaluateAlerts(ctx: Context, currentOnly: boolean): Promise<AlertType[]> {
  const rules = (await alertRules(ctx)).filter((r) => r.enabled && SCOPE_DIMENSION[r.scope]);
  if (rules.length === 0) return [];
  const wanted = [...new Set(rules.map((r) => `${r.granularity}|${SCOPE_DIMENSION[r.scope]}`))];
  const rows = await ctx.exec.rows<GroupRow & { granularity: string; dimension: string }>(sql`
    select granularity, dimension, period::text as period, key, orders, gmv_minor::text as gmv_minor, rating_sum::text as rating_sum,
           rating_count, complaints, online_orders, response_p95::text as response_p95, sla_answered, sla_breaches
      from metric_group where granularity || '|' || dimension = any(${wanted}::text[]) order by key, period`);
  const latest = new Map<string, string>();
  for (const r of rows) if ((latest.get(r.granularity) ?? '') < r.period) latest.set(r.granularity, r.period);
  const partnerKeys = [...new Set(rows.filter((r) => r.dimension === MetricDimension.PARTNER).map((r) => r.key))];
  const names = await labels(ctx, MetricDimension.PARTNER, partnerKeys);
  const alerts: AlertType[] = [];
  for (const rule of rules) {
    const g = rule.granularity as Granularity;
    const dim = SCOPE_DIMENSION[rule.scope];
    const threshold = Number(rule.threshold);
    const byKey = new Map<string, GroupRow[]>();
    for (const r of rows) if (r.granularity === g && r.dimension === dim) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
    for (const [key, series] of byKey) {
      let run: { period: string; value: number }[] = [];
      const flush = () => {
        if (run.length >= rule.consecutivePeriods) {
          const current = run[run.length - 1].period === latest.get(g);
          if (!currentOnly || current) {
            alerts.push({
              rule,
              scopeKey: key,
              scopeLabel: dim === MetricDimension.PARTNER ? (names.get(key) ?? key) : key || 'Ecosystem',
              periods: run.map((x) => periodLabel(x.period, g)),
              values: run.map((x) => x.value.toFixed(4)),
              current,
            });
          }
        }
        run = [];
      };
      for (const r of series) {
        const v = metricValue(rule.metric, r);
        const consecutive = run.length === 0 || addPeriod(run[run.length - 1].period, g) === r.period;
        if (!consecutive) flush();
        if (v !== null && meets(v, rule.comparison, threshold)) run.push({ period: r.period, value: v });
        else flush();
      }
      flush();
    }
  }
  return alerts;
}
