// The drill-down's monthly charts: GMV and orders, and the SLA response figures, both from
// ecosystemMetrics restricted to this partner's orders.
import type { DashboardPartnerMonthlyQuery } from '../../generated/graphql';
import { baseOption, yNamed } from '../chart-options';
import { cny, cnyShort, NF0, num, share, yuan } from '../format';
import type { Panels } from '../panels';

type Monthly = DashboardPartnerMonthlyQuery['ecosystemMetrics'];

export function drawFigures(panels: Panels, m: Monthly, rangeLabel: string): void {
  const pts = m.total.points;
  const gmv = pts.map((p) => yuan(p.gmv));
  const orders = pts.map((p) => p.orders);
  const points = gmv.filter((v) => v !== null).length + orders.filter((v) => v !== null).length;
  panels.get('partner-figures').noteEl.textContent = `GMV (bars, CNY) and orders (line) per month \u00b7 ${rangeLabel}`;
  if (!orders.some((v) => v)) {
    panels.set('partner-figures', 'ready', 'No orders in this period.', 0);
    return;
  }
  panels.draw(
    'partner-figures',
    baseOption({
      tooltip: { trigger: 'axis', confine: true },
      // Room on the right for the second axis's name.
      grid: { left: 8, right: 48, top: 56, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: m.periods, axisLabel: { hideOverlap: true } },
      yAxis: [
        yNamed({ type: 'value' as const, axisLabel: { formatter: cnyShort } }, 'GMV (CNY)'),
        { type: 'value', name: 'Orders', minInterval: 1, splitLine: { show: false }, nameTextStyle: { color: '#59636e' } },
      ],
      series: [
        { name: 'GMV', type: 'bar', barMaxWidth: 22, color: '#1f6feb', data: gmv, tooltip: { valueFormatter: (v) => cny(v as number) } },
        { name: 'Orders', type: 'line', yAxisIndex: 1, color: '#bf8700', symbolSize: 5, data: orders },
      ],
    }),
    points,
    {
      columns: ['month', 'GMV (CNY)', 'orders', 'average rating', 'complaint rate'],
      rows: pts.map((p) => [p.period, p.gmv, p.orders, p.averageRating, p.complaintRate]),
    },
  );
}

export function drawSla(panels: Panels, m: Monthly, rangeLabel: string): void {
  const pts = m.total.points;
  const answered = pts.map((p) => p.slaAnsweredOrders);
  const breach = pts.map((p) => {
    const v = num(p.slaBreachRate);
    return v === null ? null : Math.round(v * 1000) / 10;
  });
  const points = breach.filter((v) => v !== null).length;
  const total = answered.reduce<number>((s, v) => s + (v ?? 0), 0);
  const breached = pts.reduce((s, p) => s + (p.slaAnsweredOrders ?? 0) * (num(p.slaBreachRate) ?? 0), 0);
  panels.get('partner-sla').noteEl.textContent =
    `Orders answered later than the agreement\u2019s SLA response minutes \u00b7 ${rangeLabel} \u00b7 ` +
    `${NF0.format(total)} answered, ${share(total ? breached / total : null)} late`;
  if (!points) {
    panels.set('partner-sla', 'ready', 'No answered orders under an agreement in this period.', 0);
    return;
  }
  panels.draw(
    'partner-sla',
    baseOption({
      tooltip: { trigger: 'axis', confine: true },
      // Room on the right for the second axis's name.
      grid: { left: 8, right: 48, top: 56, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: m.periods, axisLabel: { hideOverlap: true } },
      yAxis: [
        yNamed({ type: 'value' as const, min: 0, axisLabel: { formatter: '{value}%' } }, 'Breach rate (%)'),
        { type: 'value', name: 'Answered', minInterval: 1, splitLine: { show: false }, nameTextStyle: { color: '#59636e' } },
      ],
      series: [
        { name: 'Answered orders', type: 'bar', yAxisIndex: 1, barMaxWidth: 22, color: '#afb8c1', data: answered },
        { name: 'SLA breach rate', type: 'line', color: '#cf222e', symbolSize: 5, data: breach, tooltip: { valueFormatter: (v) => `${v as number}%` } },
      ],
    }),
    points,
    {
      columns: ['month', 'answered orders', 'SLA breach rate', 'response p95 (minutes)'],
      rows: pts.map((p) => [p.period, p.slaAnsweredOrders, p.slaBreachRate, p.responseP95Minutes]),
    },
  );
}
