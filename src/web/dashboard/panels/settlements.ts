// Settlements of the range's last month by model, summed exactly from every page of them.
import { DashboardSettlementsDocument, type DashboardSettlementsQuery } from '../../generated/graphql';
import { baseOption, yNamed } from '../chart-options';
import { cents, cny, cnyShort, humanize, NF0 } from '../format';
import type { Gql } from '../gql';
import { monthName } from '../months';
import { categorySuffix, type PanelLoader } from './context';

type Node = DashboardSettlementsQuery['settlements']['nodes'][number];
interface Totals {
  count: number;
  gross: number;
  platform: number;
  partner: number;
}

const MODEL_ORDER = ['COMMISSION', 'REVENUE_SHARE', 'PLATFORM_FEE'];
/** A bound on the pages read (100 rows each), should the data ever be far larger than seeded. */
const MAX_PAGES = 200;

async function fetchSettlements(gql: Gql, month: string): Promise<Node[]> {
  const acc: Node[] = [];
  let after: string | null = null;
  for (let page = 1; ; page++) {
    const data: DashboardSettlementsQuery = await gql(DashboardSettlementsDocument, { month, after });
    const c = data.settlements;
    acc.push(...c.nodes);
    if (!c.pageInfo.hasNextPage || !c.pageInfo.endCursor || page >= MAX_PAGES) return acc;
    after = c.pageInfo.endCursor;
  }
}

export const loadSettlements: PanelLoader = async ({ gql, panels }, f) => {
  const nodes = await fetchSettlements(gql, f.monthDate);
  const rows = f.category ? nodes.filter((n) => n.partner.category === f.category) : nodes;
  const by = new Map<string, Totals>();
  for (const n of rows) {
    const t = by.get(n.model) ?? { count: 0, gross: 0, platform: 0, partner: 0 };
    by.set(n.model, t);
    t.count++;
    t.gross += cents(n.gross) ?? 0;
    t.platform += cents(n.platformShare) ?? 0;
    t.partner += cents(n.partnerShare) ?? 0;
  }
  const models = [...by.keys()].sort((a, b) => MODEL_ORDER.indexOf(a) - MODEL_ORDER.indexOf(b));
  const panel = panels.get('settlements');
  panel.noteEl.textContent = `${monthName(f.toIndex)} \u00b7 platform and partner shares, CNY${categorySuffix(f, humanize)}`;
  const summary = panel.part('summary');
  summary.textContent = '';
  const total: Totals = { count: 0, gross: 0, platform: 0, partner: 0 };
  for (const t of by.values()) {
    total.count += t.count;
    total.gross += t.gross;
    total.platform += t.platform;
    total.partner += t.partner;
  }
  const pairs: [string, string][] = [
    ['Settlements', NF0.format(total.count)],
    ['Gross', cny(total.gross / 100)],
    ['Platform share', cny(total.platform / 100)],
    ['Partner share', cny(total.partner / 100)],
  ];
  for (const [label, value] of pairs) {
    const item = document.createElement('span');
    const strong = document.createElement('b');
    strong.textContent = value;
    item.append(`${label} `, strong);
    summary.appendChild(item);
  }
  if (!models.length) {
    panels.set('settlements', 'ready', `No settlement for ${monthName(f.toIndex)}.`, 0);
    return;
  }
  const totals = models.map((k) => by.get(k)!);
  const labels = models.map((k, i) => `${humanize(k)} (${totals[i]!.count})`);
  const valueLabel = { show: true, position: 'top' as const, fontSize: 10, color: '#59636e', formatter: (p: { value: unknown }) => cnyShort(Number(p.value)) };
  const bars: [string, keyof Omit<Totals, 'count'>, string][] = [
    ['Gross', 'gross', '#6e7781'],
    ['Platform share', 'platform', '#1f6feb'],
    ['Partner share', 'partner', '#2da44e'],
  ];
  panels.draw(
    'settlements',
    baseOption({
      tooltip: { trigger: 'axis', confine: true, axisPointer: { type: 'shadow' }, valueFormatter: (v) => cny(v as number) },
      xAxis: { type: 'category', data: labels },
      yAxis: yNamed({ type: 'value' as const, axisLabel: { formatter: cnyShort } }, 'CNY'),
      series: bars.map(([name, field, color]) => ({
        name,
        type: 'bar' as const,
        barMaxWidth: 40,
        color,
        label: valueLabel,
        data: totals.map((t) => t[field] / 100),
      })),
    }),
    models.length * bars.length,
    {
      columns: ['month', 'model', 'settlements', 'gross (CNY)', 'platform share (CNY)', 'partner share (CNY)'],
      // Exact decimals from the integer cents, as the API writes money.
      rows: models.map((k, i) => [f.monthDate.slice(0, 7), k, totals[i]!.count, money(totals[i]!.gross), money(totals[i]!.platform), money(totals[i]!.partner)]),
    },
  );
};

function money(centsValue: number): string {
  const sign = centsValue < 0 ? '-' : '';
  const a = Math.abs(centsValue);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}
