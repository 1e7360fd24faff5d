// GMV by partner category: monthly, stacked.
import { DashboardGmvDocument } from '../../generated/graphql';
import { baseOption, yNamed } from '../chart-options';
import { cny, cnyShort, humanize, yuan } from '../format';
import { categorySuffix, type PanelLoader } from './context';

export const loadGmv: PanelLoader = async ({ gql, panels }, f) => {
  const data = await gql(DashboardGmvDocument, { from: f.fromDate, to: f.toDate, where: f.where });
  const m = data.ecosystemMetrics;
  let points = 0;
  const names = m.series.map((s) => humanize(s.label || s.key));
  const values = m.series.map((s) =>
    s.points.map((pt) => {
      const v = yuan(pt.gmv);
      if (v !== null) points++;
      return v;
    }),
  );
  panels.get('gmv').noteEl.textContent = `Monthly GMV, CNY, stacked by category \u00b7 ${f.rangeLabel}${categorySuffix(f, humanize)}`;
  if (!points) {
    panels.set('gmv', 'ready', 'No GMV in this period.', 0);
    return;
  }
  panels.draw(
    'gmv',
    baseOption({
      tooltip: { trigger: 'axis', confine: true, valueFormatter: (v) => cny(v as number) },
      xAxis: { type: 'category', boundaryGap: false, data: m.periods, axisLabel: { hideOverlap: true } },
      yAxis: yNamed({ type: 'value' as const, axisLabel: { formatter: cnyShort } }, 'GMV (CNY)'),
      series: names.map((name, i) => ({
        name,
        type: 'line',
        stack: 'gmv',
        areaStyle: { opacity: 0.25 },
        symbol: 'none',
        smooth: false,
        emphasis: { focus: 'series' },
        data: values[i]!,
      })),
    }),
    points,
    { columns: ['month', ...names.map((n) => `${n} GMV (CNY)`)], rows: m.periods.map((p, k) => [p, ...values.map((v) => v[k] ?? null)]) },
  );
};
