// The dashboard HTML page: the key bar, the filters, one panel per chart (each with its CSV and
// PNG buttons), the partner drill-down's panels (hidden), the config as inert JSON, and the
// bundle of src/web/dashboard. All data comes later, from /graphql, with the key pasted into the page.
import { PartnerCategory } from '../../modules/partners/partner.enums';
import { escapeHtml, inlineJson, mountBase, pageHead, scriptTags } from '../html-page';
import { DASHBOARD_ASSETS } from './assets';

export interface DashboardOptions {
  /** The GraphQL endpoint the page posts to, e.g. '/graphql'. */
  endpoint: string;
  /** Where the page is served, e.g. '/dashboard'; assets live under `${mountPath}/assets/`. */
  mountPath: string;
  /** Defaults to 'Ecograph ecosystem dashboard'. */
  title?: string;
}

export const DEFAULT_DASHBOARD_TITLE = 'Ecograph ecosystem dashboard';

export const dashboardBase = mountBase;

/** One panel: its id (data-panel), heading, and what it shows. */
interface PanelSpec {
  id: string;
  title: string;
  note: string;
  wide?: boolean;
  extra?: string;
}

const PANELS: PanelSpec[] = [
  { id: 'gmv', title: 'GMV by partner category', note: 'Monthly gross merchandise value, CNY, stacked by category', wide: true },
  { id: 'tiers', title: 'Partners by quality tier', note: 'Active partners per month by the tier of that month', extra: '<div class="ed-summary" data-role="summary"></div>' },
  {
    id: 'evolution',
    title: 'Quarterly evolution',
    note: 'Partners ranked by average evaluation score: top 20% keep, bottom 10% exit',
    extra: '<div class="ed-lists" data-role="lists"></div>',
  },
  { id: 'alerts', title: 'Current alerts', note: 'Threshold rules that fire in the latest period, with every period of the run', extra: '<div class="ed-table-wrap" data-role="table"></div>' },
  { id: 'settlements', title: 'Settlements of the last month by model', note: 'Platform and partner shares, CNY', extra: '<div class="ed-summary" data-role="summary"></div>' },
  { id: 'cases', title: 'Collaboration cases: KPI uplifts', note: 'Relative change of each KPI with a known before/after or reported change, %', wide: true },
];

/** The partner drill-down (?partner=<slug>), hidden until the URL names a partner. */
const PARTNER_PANELS: PanelSpec[] = [
  { id: 'partner-figures', title: 'Monthly GMV and orders', note: 'GMV and orders per month', wide: true },
  { id: 'partner-scores', title: 'Evaluation score', note: 'Weighted score 0\u2013100 of each month' },
  { id: 'partner-sla', title: 'SLA response', note: 'Orders answered later than the agreement\u2019s SLA' },
  { id: 'partner-tiers', title: 'Tier history', note: 'The quality tier of each month', wide: true, extra: '<div class="ed-table-wrap" data-role="table"></div>' },
];

function panelHtml(p: PanelSpec): string {
  const title = escapeHtml(p.title);
  return `<section class="ed-panel${p.wide ? ' ed-wide' : ''}" id="panel-${p.id}" data-panel="${p.id}" data-state="idle" data-points="0" aria-labelledby="panel-${p.id}-title" aria-busy="false">
<header><h2 id="panel-${p.id}-title">${title}</h2><p class="ed-note" data-role="note">${escapeHtml(p.note)}</p>
<span class="ed-actions"><button type="button" data-download="csv" disabled aria-label="Download ${title} as CSV">CSV</button><button type="button" data-download="png" disabled aria-label="Download ${title} as PNG">PNG</button></span></header>
<p class="ed-panel-message" data-role="message" role="status">Paste a key above to load.</p>
<div class="ed-chart" data-role="chart" role="img" aria-label="${title}"></div>
${p.extra ?? ''}
</section>`;
}

function label(key: string): string {
  const text = key.toLowerCase().replace(/_/g, ' ').replace(/\bco (creation|building)\b/g, 'co-$1');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function renderDashboardPage(opts: DashboardOptions): string {
  const base = mountBase(opts.mountPath);
  const title = opts.title ?? DEFAULT_DASHBOARD_TITLE;
  const categories = Object.values(PartnerCategory);
  const config = {
    endpoint: opts.endpoint,
    title,
    keyStorageItem: 'ecograph:apiKey',
    categories,
  };
  const scripts = scriptTags(base, DASHBOARD_ASSETS);
  const options = categories.map((c) => `<option value="${escapeHtml(c)}">${escapeHtml(label(c))}</option>`).join('');

  return `${pageHead(title, base, DASHBOARD_ASSETS)}
<body data-dashboard="idle">
<header class="ed-top">
<h1>${escapeHtml(title)}</h1>
<form class="ed-keybar" id="ed-keyform" autocomplete="off">
<label for="ed-key">API key</label>
<input id="ed-key" type="password" autocomplete="off" autocapitalize="off" spellcheck="false" data-lpignore="true" data-1p-ignore placeholder="eco_…" aria-describedby="ed-key-hint ed-key-message">
<button type="button" id="ed-key-toggle" aria-controls="ed-key" aria-pressed="false">Show</button>
<button type="submit" id="ed-key-load">Load</button>
<span class="ed-hint" id="ed-key-hint">A dashboard, analyst or admin key; kept in this tab only</span>
<span class="ed-message" id="ed-key-message" role="alert" hidden></span>
</form>
</header>
<form class="ed-filters" id="ed-filters">
<label>From <input type="month" id="ed-from" required></label>
<label>To <input type="month" id="ed-to" required></label>
<label id="ed-category-label">Category <select id="ed-category"><option value="">All categories</option>${options}</select></label>
<button type="submit" id="ed-apply">Apply</button>
<span class="ed-status" id="ed-status" role="status"></span>
</form>
<main id="ed-main">
<div class="ed-grid" id="ed-grid">
${PANELS.map(panelHtml).join('\n')}
</div>
<div class="ed-partner" id="ed-partner" data-state="idle" hidden>
<header class="ed-partner-head">
<a id="ed-back" href="${escapeHtml(base || '/')}">\u2190 Ecosystem</a>
<h2 id="ed-partner-name" tabindex="-1">Partner</h2>
<p class="ed-note" id="ed-partner-facts"></p>
<p class="ed-panel-message" id="ed-partner-message" role="status"></p>
</header>
<div class="ed-grid">
${PARTNER_PANELS.map(panelHtml).join('\n')}
</div>
</div>
</main>
<footer class="ed-foot">Data from the Ecograph GraphQL API at <code>${escapeHtml(opts.endpoint)}</code>, as your key may see it. Money in CNY.</footer>
<script type="application/json" id="ed-config">${inlineJson(config)}</script>
${scripts}
</body>
</html>
`;
}
