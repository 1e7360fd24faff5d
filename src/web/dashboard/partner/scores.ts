// The drill-down's evaluation score per month: partnerEvaluations takes one month, so one request
// per month of the range (the latest MAX_MONTHS), a few at a time.
import { DashboardPartnerEvaluationDocument, type DashboardPartnerEvaluationQuery } from '../../generated/graphql';
import { baseOption, yNamed } from '../chart-options';
import type { Filters } from '../filters';
import { humanize, num } from '../format';
import type { Gql } from '../gql';
import { monthStr } from '../months';
import type { Panels } from '../panels';

type Evaluation = DashboardPartnerEvaluationQuery['partnerEvaluations'][number];

const MAX_MONTHS = 24;
const PARALLEL = 4;

export async function loadScores(gql: Gql, panels: Panels, partnerId: string, f: Filters): Promise<void> {
  const first = Math.max(f.fromIndex, f.toIndex - MAX_MONTHS + 1);
  const months = Array.from({ length: f.toIndex - first + 1 }, (_, i) => monthStr(first + i));
  const found: (Evaluation | null)[] = new Array<Evaluation | null>(months.length).fill(null);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < months.length) {
      const i = next++;
      const data = await gql(DashboardPartnerEvaluationDocument, { partnerId, month: months[i]! });
      found[i] = data.partnerEvaluations[0] ?? null;
    }
  }
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  const scores = found.map((e) => num(e?.score));
  const points = scores.filter((v) => v !== null).length;
  panels.get('partner-scores').noteEl.textContent =
    `Weighted score 0\u2013100 of the month, shrunk toward the ecosystem mean on few orders \u00b7 ${months[0]} to ${months[months.length - 1]}` +
    (first > f.fromIndex ? ` (the latest ${MAX_MONTHS} months)` : '');
  if (!points) {
    panels.set('partner-scores', 'ready', 'No evaluated month in this period.', 0);
    return;
  }
  panels.draw(
    'partner-scores',
    baseOption({
      tooltip: {
        trigger: 'axis',
        confine: true,
        valueFormatter: (v) => (v === null || v === undefined ? '\u2013' : String(v)),
      },
      xAxis: { type: 'category', data: months, axisLabel: { hideOverlap: true } },
      yAxis: yNamed({ type: 'value' as const, min: 0, max: 100 }, 'Score (0\u2013100)'),
      series: [{ name: 'Evaluation score', type: 'line', color: '#8250df', symbolSize: 6, connectNulls: false, data: scores }],
    }),
    points,
    {
      columns: ['month', 'score', 'orders', 'tier'],
      rows: months.map((m, i) => [m, found[i]?.score ?? null, found[i]?.orderCount ?? null, found[i]?.tier ? humanize(found[i]!.tier) : null]),
    },
  );
}
