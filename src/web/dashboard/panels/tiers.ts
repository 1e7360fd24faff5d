// Active partners per month by the tier of that month, with the change over the range.
import { DashboardTiersDocument } from '../../generated/graphql';
import { baseOption, yNamed } from '../chart-options';
import { humanize } from '../format';
import { categorySuffix, type PanelLoader } from './context';

export const TIER_ORDER = ['GOLD', 'SILVER', 'BRONZE', 'YELLOW_CARD', 'EXITED', 'UNRATED'];
export const TIER_COLORS: Record<string, string> = {
  GOLD: '#d4a017',
  SILVER: '#8c959f',
  BRONZE: '#b0703c',
  YELLOW_CARD: '#f2cc60',
  EXITED: '#cf222e',
  UNRATED: '#c9d1d9',
};

function tierRank(key: string): number {
  const i = TIER_ORDER.indexOf(key);
  return i < 0 ? 99 : i;
}

export const loadTiers: PanelLoader = async ({ gql, panels }, f) => {
  const data = await gql(DashboardTiersDocument, { from: f.fromDate, to: f.toDate, where: f.where });
  const m = data.ecosystemMetrics;
  const list = m.series.slice().sort((a, b) => tierRank(a.key) - tierRank(b.key));
  let points = 0;
  const selected: Record<string, boolean> = {};
  const names = list.map((s) => humanize(s.label || s.key));
  const series = list.map((s, i) => {
    if (s.key === 'UNRATED') selected[names[i]!] = false;
    return {
      name: names[i]!,
      type: 'bar' as const,
      stack: 'tiers',
      barMaxWidth: 22,
      color: TIER_COLORS[s.key],
      emphasis: { focus: 'series' as const },
      data: s.points.map((pt) => {
        if (pt.activePartners !== null) points++;
        return pt.activePartners;
      }),
    };
  });
  const panel = panels.get('tiers');
  panel.noteEl.textContent = `Active partners per month by that month\u2019s tier \u00b7 ${f.rangeLabel}${categorySuffix(f, humanize)} \u00b7 unrated hidden (click the legend to show)`;
  // What changed: the first and the last month of the range, per tier.
  const summary = panel.part('summary');
  summary.textContent = '';
  const last = m.periods.length - 1;
  for (const s of list) {
    if (last < 0) break;
    const a = s.points[0]?.activePartners ?? 0;
    const b = s.points[last]?.activePartners ?? 0;
    const item = document.createElement('span');
    const strong = document.createElement('b');
    strong.textContent = String(b);
    item.append(`${humanize(s.key)} `, strong, ` (${b - a >= 0 ? '+' : ''}${b - a} since ${m.periods[0]})`);
    summary.appendChild(item);
  }
  if (!points) {
    panels.set('tiers', 'ready', 'No rated partners in this period.', 0);
    return;
  }
  panels.draw(
    'tiers',
    baseOption({
      legend: { top: 0, left: 0, type: 'scroll', selected },
      xAxis: { type: 'category', data: m.periods, axisLabel: { hideOverlap: true } },
      yAxis: yNamed({ type: 'value' as const, minInterval: 1 }, 'Active partners'),
      series,
    }),
    points,
    { columns: ['month', ...list.map((s) => s.key)], rows: m.periods.map((p, k) => [p, ...list.map((s) => s.points[k]?.activePartners ?? null)]) },
  );
};
