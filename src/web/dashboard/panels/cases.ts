// Collaboration cases: the relative change of each KPI with a known before/after or reported change.
import { DashboardCasesDocument, type DashboardCasesQuery } from '../../generated/graphql';
import { baseOption, labelWidth, X_NAMED_GRID_BOTTOM, xNamed, type TooltipParam } from '../chart-options';
import { escapeHtml, humanize, num, pct } from '../format';
import type { PanelLoader } from './context';

type Case = DashboardCasesQuery['collaborationCases']['nodes'][number];
interface Item {
  c: Case;
  k: Case['kpis'][number];
  v: number;
  label: string;
}

const CASE_MODELS = ['RESOURCE_COMPLEMENTARY', 'TECHNOLOGY_DRIVEN', 'ECOSYSTEM_CO_BUILDING'];
const CASE_COLORS: Record<string, string> = { RESOURCE_COMPLEMENTARY: '#1f6feb', TECHNOLOGY_DRIVEN: '#8250df', ECOSYSTEM_CO_BUILDING: '#2da44e' };

export const loadCases: PanelLoader = async ({ gql, panels }) => {
  const data = await gql(DashboardCasesDocument, {});
  const cases = data.collaborationCases.nodes;
  const items: Item[] = [];
  for (const c of cases) {
    const short = String(c.titleEn).split(':')[0]!;
    for (const k of c.kpis) {
      const v = num(k.relativeChangePct);
      if (v !== null) items.push({ c, k, v, label: `${short} \u00b7 ${k.name}` });
    }
  }
  panels.get('cases').noteEl.textContent = `${cases.length} cases \u00b7 ${items.length} KPIs with a relative change, % (before \u2192 after, or as reported); not filtered`;
  if (!items.length) {
    panels.set('cases', 'ready', 'No KPI with a known change.', 0);
    return;
  }
  const models: string[] = CASE_MODELS.filter((m) => items.some((it) => it.c.model === m));
  for (const c of cases) if (!models.includes(c.model)) models.push(c.model);
  const series = models.map((m) => ({
    name: humanize(m),
    type: 'bar' as const,
    stack: 'uplift',
    color: CASE_COLORS[m],
    barMaxWidth: 14,
    label: {
      show: true,
      position: 'right' as const,
      fontSize: 10,
      color: '#59636e',
      formatter: (p: { value: unknown }) => (p.value === null || p.value === undefined ? '' : pct(Number(p.value), 0)),
    },
    data: items.map((it) => (it.c.model === m ? it.v : null)),
  }));
  panels.draw(
    'cases',
    baseOption({
      grid: { left: 8, right: 48, top: 36, bottom: X_NAMED_GRID_BOTTOM, containLabel: true },
      tooltip: {
        trigger: 'axis',
        confine: true,
        axisPointer: { type: 'shadow' },
        formatter: (params) => {
          const it = items[(params as TooltipParam[])[0]!.dataIndex]!;
          return `<b>${escapeHtml(it.c.titleEn)}</b> (${it.c.year}, ${escapeHtml(humanize(it.c.model))})<br>${escapeHtml(it.k.name)}: <b>${escapeHtml(pct(it.v, 1))}</b> (unit ${escapeHtml(it.k.unit)})`;
        },
      },
      xAxis: xNamed({ type: 'value' as const, axisLabel: { formatter: (v: number) => `${v}%` } }, 'Relative change (%)'),
      yAxis: { type: 'category', inverse: true, data: items.map((it) => it.label), axisLabel: { fontSize: 11, width: labelWidth(380), overflow: 'truncate' } },
      series,
    }),
    items.length,
    {
      columns: ['case', 'title', 'year', 'model', 'KPI', 'unit', 'relative change (%)'],
      rows: items.map((it) => [it.c.slug, it.c.titleEn, it.c.year, it.c.model, it.k.name, it.k.unit, it.k.relativeChangePct]),
    },
    { height: Math.max(320, 90 + items.length * 20) },
  );
};
