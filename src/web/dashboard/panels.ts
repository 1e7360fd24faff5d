// The panel registry: every [data-panel] section under a root, its parts, its chart and the
// table behind the chart (for the CSV download). Each panel carries data-state (idle, loading,
// ready, error, unavailable) and data-points (how many values it drew): tests and monitors read
// them.
import { toCsv, downloadDataUrl, downloadText } from '../lib/download';
import { initChart, type Chart, type ChartOption } from './echarts';

export type PanelState = 'idle' | 'loading' | 'ready' | 'error' | 'unavailable';

/** What a chart shows, as rows: the CSV download. */
export interface DataTable {
  columns: string[];
  rows: (string | number | null)[][];
}

export interface Panel {
  readonly id: string;
  readonly title: string;
  readonly el: HTMLElement;
  readonly chartEl: HTMLElement;
  readonly messageEl: HTMLElement;
  readonly noteEl: HTMLElement;
  /** Optional parts (summary line, ranked lists, table), present in some panels only. */
  part(role: 'summary' | 'lists' | 'table'): HTMLElement;
  chart: Chart | null;
  table: DataTable | null;
}

export interface Panels {
  readonly ids: readonly string[];
  get(id: string): Panel;
  set(id: string, state: PanelState, message?: string, points?: number): void;
  reset(state: PanelState, message: string): void;
  /** Shows the panel (ECharts needs a visible, sized element), then draws the option. */
  draw(id: string, option: ChartOption, points: number, table: DataTable, opts?: { message?: string; height?: number }): void;
  /** Names downloads after what is shown, e.g. "2024-11_2026-10". */
  setFileStem(stem: string): void;
  resize(): void;
}

function required(el: Element, role: string): HTMLElement {
  const found = el.querySelector<HTMLElement>(`[data-role="${role}"]`);
  if (!found) throw new Error(`panel ${el.getAttribute('data-panel')} lacks [data-role="${role}"]`);
  return found;
}

export function createPanels(root: HTMLElement): Panels {
  const byId = new Map<string, Panel>();
  let fileStem = '';
  for (const el of root.querySelectorAll<HTMLElement>('[data-panel]')) {
    const id = el.dataset.panel ?? '';
    const panel: Panel = {
      id,
      title: el.querySelector('h2')?.textContent ?? id,
      el,
      chartEl: required(el, 'chart'),
      messageEl: required(el, 'message'),
      noteEl: required(el, 'note'),
      part: (role) => required(el, role),
      chart: null,
      table: null,
    };
    byId.set(id, panel);
    el.addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLButtonElement>('button[data-download]');
      if (button && !button.disabled) download(panel, button.dataset.download === 'png' ? 'png' : 'csv');
    });
  }

  function get(id: string): Panel {
    const p = byId.get(id);
    if (!p) throw new Error(`no panel ${id}`);
    return p;
  }

  function download(p: Panel, kind: 'csv' | 'png'): void {
    const name = `ecograph-${p.id}${fileStem ? `-${fileStem}` : ''}.${kind}`;
    if (kind === 'csv' && p.table) downloadText(name, toCsv(p.table.columns, p.table.rows));
    // White, because the page's panels are white and a transparent PNG looks broken elsewhere.
    if (kind === 'png' && p.chart) downloadDataUrl(name, p.chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' }));
  }

  function enableDownloads(p: Panel, on: boolean): void {
    for (const b of p.el.querySelectorAll<HTMLButtonElement>('button[data-download]')) {
      b.disabled = !on || (b.dataset.download === 'png' ? !p.chart : !p.table?.rows.length);
    }
  }

  function set(id: string, state: PanelState, message = '', points = 0): void {
    const p = get(id);
    p.el.dataset.state = state;
    p.el.dataset.points = String(points);
    p.el.setAttribute('aria-busy', state === 'loading' ? 'true' : 'false');
    p.messageEl.textContent = message;
    if (state !== 'ready') p.table = null;
    enableDownloads(p, state === 'ready' && points > 0);
  }

  return {
    ids: [...byId.keys()],
    get,
    set,
    reset(state, message) {
      for (const id of byId.keys()) set(id, state, message, 0);
    },
    draw(id, option, points, table, opts = {}) {
      const p = get(id);
      set(id, 'ready', opts.message ?? '', points);
      if (opts.height) p.chartEl.style.height = `${opts.height}px`;
      if (!p.chart) p.chart = initChart(p.chartEl);
      else p.chart.resize();
      p.chart.setOption(option, { notMerge: true });
      p.table = table;
      enableDownloads(p, points > 0);
    },
    setFileStem(stem) {
      fileStem = stem.replace(/[^A-Za-z0-9_.-]+/g, '-');
    },
    resize() {
      for (const p of byId.values()) p.chart?.resize();
    },
  };
}
