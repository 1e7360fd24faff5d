// The quarter's ranking: top 20% keep, bottom 10% exit. Partners' names open their drill-down.
import { DashboardEvolutionDocument, type DashboardEvolutionQuery } from '../../generated/graphql';
import { baseOption, X_NAMED_GRID_BOTTOM, xNamed, yNamed, type TooltipParam } from '../chart-options';
import { escapeHtml, humanize, NF1, num } from '../format';
import type { PanelContext, PanelLoader } from './context';

type Row = DashboardEvolutionQuery['partnerEvolution'][number];

const DECISIONS = [
  { key: 'KEEP', name: 'Top 20% \u00b7 keep', color: '#2da44e' },
  { key: 'HOLD', name: 'Hold', color: '#afb8c1' },
  { key: 'EXIT', name: 'Bottom 10% \u00b7 exit', color: '#cf222e' },
  { key: 'NOT_ENOUGH_DATA', name: 'Too few orders to judge', color: '#d0d7de' },
];

export const loadEvolution: PanelLoader = async (ctx, f) => {
  const { gql, panels } = ctx;
  const data = await gql(DashboardEvolutionDocument, { quarter: f.quarter });
  const rows = data.partnerEvolution.slice().sort((a, b) => a.rank - b.rank);
  const panel = panels.get('evolution');
  panel.noteEl.textContent = `${f.quarter} \u00b7 partners ranked by evaluation score over the quarter, shrunk toward the mean on few orders (0\u2013100); all categories`;
  const lists = panel.part('lists');
  lists.textContent = '';
  if (!rows.length) {
    panels.set('evolution', 'ready', `No partner was scored in ${f.quarter}.`, 0);
    return;
  }
  const series = DECISIONS.map((d) => {
    const n = rows.filter((r) => r.decision === d.key).length;
    return {
      name: `${d.name} (${n})`,
      type: 'bar' as const,
      stack: 'score',
      color: d.color,
      barCategoryGap: '15%',
      cursor: 'pointer',
      data: rows.map((r) => (r.decision === d.key ? num(r.score) : null)),
    };
  });
  lists.append(
    rankList(ctx, 'Top 20% (keep)', rows.filter((r) => r.decision === 'KEEP')),
    rankList(ctx, 'Bottom 10% (exit)', rows.filter((r) => r.decision === 'EXIT').reverse()),
  );
  panels.draw(
    'evolution',
    baseOption({
      tooltip: {
        trigger: 'axis',
        confine: true,
        formatter: (params) => {
          const r = rows[(params as TooltipParam[])[0]!.dataIndex]!;
          return `#${r.rank} of ${r.rankedCount}: <b>${escapeHtml(r.partnerName)}</b><br>score ${escapeHtml(r.score)} \u00b7 ${r.monthsScored} month(s) scored \u00b7 ${escapeHtml(humanize(r.decision))}`;
        },
      },
      grid: { left: 8, right: 20, top: 56, bottom: X_NAMED_GRID_BOTTOM, containLabel: true },
      xAxis: xNamed({ type: 'category' as const, data: rows.map((r) => String(r.rank)), axisLabel: { hideOverlap: true }, axisTick: { show: false } }, 'Rank in the quarter'),
      yAxis: yNamed({ type: 'value' as const, min: 0, max: 100 }, 'Score (0\u2013100)'),
      series,
    }),
    rows.length,
    {
      columns: ['quarter', 'rank', 'ranked', 'partner slug', 'partner', 'score', 'months scored', 'decision'],
      rows: rows.map((r) => [f.quarter, r.rank, r.rankedCount, r.partnerSlug, r.partnerName, r.score, r.monthsScored, r.decision]),
    },
    { height: 260 },
  );
  // A bar opens that partner's page, as its name in the lists does.
  const chart = panel.chart;
  chart?.off('click');
  chart?.on('click', (e) => {
    const r = rows[e.dataIndex];
    if (r) ctx.openPartner(r.partnerSlug);
  });
};

function rankList(ctx: PanelContext, title: string, rows: Row[]): HTMLElement {
  const box = document.createElement('div');
  const h = document.createElement('h3');
  h.textContent = `${title} \u00b7 ${rows.length}`;
  const ol = document.createElement('ol');
  ol.className = 'ed-list';
  for (const r of rows) {
    const li = document.createElement('li');
    const name = document.createElement('a');
    name.href = ctx.partnerHref(r.partnerSlug);
    name.textContent = `#${r.rank} ${r.partnerName}`;
    name.title = `${r.partnerSlug}: monthly figures and tier history`;
    name.dataset.partner = r.partnerSlug;
    name.addEventListener('click', (event) => {
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return; // a new tab
      event.preventDefault();
      ctx.openPartner(r.partnerSlug);
    });
    const score = document.createElement('span');
    score.className = 'ed-num';
    score.textContent = NF1.format(Number(r.score));
    li.append(name, score);
    ol.appendChild(li);
  }
  box.append(h, ol);
  return box;
}
