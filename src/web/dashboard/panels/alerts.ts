// The threshold rules firing in the latest period, with every period of their run.
import { DashboardAlertsDocument, type DashboardAlertsQuery } from '../../generated/graphql';
import { baseOption, labelWidth, X_NAMED_GRID_BOTTOM, xNamed } from '../chart-options';
import { cny, escapeHtml, NF0, NF1, NF2, num } from '../format';
import type { PanelLoader } from './context';

type Alert = DashboardAlertsQuery['alerts'][number];
interface Cell {
  value: [number, number];
  alert: Alert;
  period: string;
  raw: string;
}

export function formatAlertValue(metric: string, value: string): string {
  const v = num(value);
  if (v === null) return String(value);
  switch (metric) {
    case 'ONLINE_ORDER_SHARE':
    case 'COMPLAINT_RATE':
    case 'SLA_BREACH_RATE':
      return `${NF1.format(v * 100)}%`;
    case 'AVERAGE_RATING':
      return NF2.format(v);
    case 'GMV':
      return cny(v);
    case 'RESPONSE_P95_MINUTES':
      return `${NF0.format(v)} min`;
    default:
      return NF0.format(v);
  }
}

const COLORS = ['#cf222e', '#bc4c00', '#8250df', '#bf8700'];

export const loadAlerts: PanelLoader = async ({ gql, panels }) => {
  const data = await gql(DashboardAlertsDocument, {});
  const alerts = data.alerts;
  const table = panels.get('alerts').part('table');
  table.textContent = '';
  if (!alerts.length) {
    panels.set('alerts', 'ready', 'No alert is firing.', 0);
    return;
  }
  const periods = [...new Set(alerts.flatMap((a) => a.periods))].sort();
  const rowLabels = alerts.map((a) => `${a.scopeLabel} \u00b7 ${a.rule.name}`);
  const byRule = new Map<string, Cell[]>();
  alerts.forEach((a, row) => {
    const list = byRule.get(a.rule.name) ?? [];
    byRule.set(a.rule.name, list);
    a.periods.forEach((p, k) => list.push({ value: [periods.indexOf(p), row], alert: a, period: p, raw: a.values[k] ?? '' }));
  });
  let points = 0;
  const series = [...byRule.entries()].map(([name, cells], i) => {
    points += cells.length;
    return { name, type: 'scatter' as const, symbol: 'roundRect', symbolSize: [14, 12], color: COLORS[i % COLORS.length], data: cells };
  });
  panels.draw(
    'alerts',
    baseOption({
      grid: { left: 8, right: 20, top: 56, bottom: X_NAMED_GRID_BOTTOM, containLabel: true },
      tooltip: {
        trigger: 'item',
        confine: true,
        formatter: (p) => {
          const c = (p as unknown as { data: Cell }).data;
          return `<b>${escapeHtml(c.alert.scopeLabel)}</b><br>${escapeHtml(c.alert.rule.name)}<br>${escapeHtml(c.period)}: ${escapeHtml(formatAlertValue(c.alert.rule.metric, c.raw))}`;
        },
      },
      xAxis: xNamed({ type: 'category' as const, data: periods, splitLine: { show: true, lineStyle: { color: '#eef1f5' } } }, 'Triggering periods'),
      yAxis: {
        type: 'category',
        data: rowLabels,
        inverse: true,
        axisLabel: { fontSize: 11, width: labelWidth(250), overflow: 'truncate' },
        splitLine: { show: true, lineStyle: { color: '#eef1f5' } },
      },
      series,
    }),
    points,
    {
      columns: ['rule', 'metric', 'scope', 'period', 'value'],
      rows: alerts.flatMap((a) => a.periods.map((p, k) => [a.rule.name, a.rule.metric, a.scopeLabel, p, a.values[k] ?? null])),
    },
    { height: Math.max(200, 100 + alerts.length * 20) },
  );
  table.appendChild(alertTable(alerts));
};

function alertTable(alerts: Alert[]): HTMLTableElement {
  const t = document.createElement('table');
  t.className = 'ed-table';
  const head = t.createTHead().insertRow();
  for (const h of ['Rule', 'Scope', 'Periods and values']) {
    const th = document.createElement('th');
    th.textContent = h;
    head.appendChild(th);
  }
  const tb = t.createTBody();
  for (const a of alerts) {
    const tr = tb.insertRow();
    tr.insertCell().textContent = a.rule.name;
    tr.insertCell().textContent = a.scopeLabel;
    const cell = tr.insertCell();
    a.periods.forEach((p, k) => {
      const chip = document.createElement('span');
      chip.className = 'ed-chip';
      chip.textContent = `${p}: ${formatAlertValue(a.rule.metric, a.values[k] ?? '')}`;
      cell.appendChild(chip);
    });
  }
  return t;
}
