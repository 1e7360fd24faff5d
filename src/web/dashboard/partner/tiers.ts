// The drill-down's tier history: the tier of each month of the range (a step chart, best tier on
// top) and the table of every month with its reason.
import type { DashboardPartnerQuery } from '../../generated/graphql';
import { baseOption } from '../chart-options';
import type { Filters } from '../filters';
import { humanize, NF2, num, share } from '../format';
import { monthStr, parseMonth } from '../months';
import type { Panels } from '../panels';
import { TIER_COLORS } from '../panels/tiers';

type TierRecord = NonNullable<DashboardPartnerQuery['partner']>['tierHistory']['nodes'][number];

/** Bottom to top. */
const LEVELS = ['EXITED', 'YELLOW_CARD', 'BRONZE', 'SILVER', 'GOLD'];

export function drawTierHistory(panels: Panels, history: readonly TierRecord[], f: Filters): void {
  const inRange = history
    .filter((r) => {
      const i = parseMonth(r.month.slice(0, 7));
      return i !== null && i >= f.fromIndex && i <= f.toIndex;
    })
    .sort((a, b) => a.month.localeCompare(b.month));
  const panel = panels.get('partner-tiers');
  panel.noteEl.textContent = `The quality tier of each month, from its rating, complaints and orders \u00b7 ${f.rangeLabel}`;
  const table = panel.part('table');
  table.textContent = '';
  if (!inRange.length) {
    panels.set('partner-tiers', 'ready', 'No tier was given in this period.', 0);
    return;
  }
  const months = Array.from({ length: f.toIndex - f.fromIndex + 1 }, (_, i) => monthStr(f.fromIndex + i));
  // Months without a tier (too few orders) are rows of the table, not points of the chart.
  const rated = inRange.filter((r) => r.tier !== null).length;
  const byMonth = new Map(inRange.map((r) => [r.month.slice(0, 7), r]));
  panels.draw(
    'partner-tiers',
    baseOption({
      legend: { show: false },
      tooltip: {
        trigger: 'axis',
        confine: true,
        valueFormatter: (v) => (v === null || v === undefined ? 'no tier' : humanize(LEVELS[v as number])),
      },
      xAxis: { type: 'category', data: months, axisLabel: { hideOverlap: true } },
      yAxis: { type: 'value', min: 0, max: LEVELS.length - 1, interval: 1, axisLabel: { formatter: (v: number) => humanize(LEVELS[v]) } },
      series: [
        {
          name: 'Tier',
          type: 'line',
          step: 'middle',
          color: '#6e7781',
          symbolSize: 9,
          data: months.map((m) => {
            const tier = byMonth.get(m)?.tier;
            return tier ? { value: LEVELS.indexOf(tier), itemStyle: { color: TIER_COLORS[tier] } } : null;
          }),
        },
      ],
    }),
    rated,
    {
      columns: ['month', 'tier', 'orders', 'average rating', 'complaint rate', 'reason'],
      rows: inRange.map((r) => [r.month.slice(0, 7), r.tier, r.orderCount, r.averageRating, r.complaintRate, r.reason]),
    },
    { height: 240, message: rated ? '' : 'No month of this period earned a tier; the table says why.' },
  );
  table.appendChild(tierTable(inRange.slice().reverse()));
}

function tierTable(rows: readonly TierRecord[]): HTMLTableElement {
  const t = document.createElement('table');
  t.className = 'ed-table';
  const head = t.createTHead().insertRow();
  for (const h of ['Month', 'Tier', 'Orders', 'Rating', 'Complaints', 'Why']) {
    const th = document.createElement('th');
    th.textContent = h;
    head.appendChild(th);
  }
  const tb = t.createTBody();
  for (const r of rows) {
    const tr = tb.insertRow();
    tr.insertCell().textContent = r.month.slice(0, 7);
    tr.insertCell().textContent = r.tier ? humanize(r.tier) : '\u2013';
    tr.insertCell().textContent = String(r.orderCount);
    const rating = num(r.averageRating);
    tr.insertCell().textContent = rating === null ? '\u2013' : NF2.format(rating);
    tr.insertCell().textContent = share(num(r.complaintRate));
    tr.insertCell().textContent = r.reason;
  }
  return t;
}
