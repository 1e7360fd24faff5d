// The page's one load cycle, for either view: check the key (the bootstrap query), settle the
// period, put the view in the URL, then load every panel of the view in parallel. A newer load
// makes an older one's late answers moot (generation). <body data-dashboard> is idle, loading,
// ready, auth-error, role-error or error, and data-load-ms says how long the last load took;
// <body data-view> is ecosystem or partner.
import { DashboardBootstrapDocument, DashboardPartnerBootstrapDocument } from '../generated/graphql';
import { byId, readConfig } from './config';
import { createFilterBar, type Filters } from './filters';
import { createGql, DashError, errorText } from './gql';
import { createKeyBar } from './key-bar';
import { monthStr, parseMonth, previousMonthIndex } from './months';
import { createPanels } from './panels';
import { ECOSYSTEM_PANELS } from './panels/registry';
import { createPartnerView } from './partner/view';
import { runPanel } from './run-panel';
import { readUrl, urlFor, writeUrl, type UrlState } from './url-state';

const ROLE_MESSAGE = 'This key\u2019s role cannot see the dashboard; use a dashboard, analyst or admin key.';

type UrlMode = 'push' | 'replace' | 'none';

export function startDashboard(): void {
  const config = readConfig();
  const body = document.body;
  const statusEl = byId('ed-status');
  const grid = byId('ed-grid');
  const partnerRoot = byId('ed-partner');
  const ecosystem = createPanels(grid);
  const partnerPanels = createPanels(partnerRoot);
  const partnerView = createPartnerView(partnerPanels, config.title);

  let url: UrlState = readUrl();
  let generation = 0;
  let latest: number | null = null;
  /** The filter inputs take the URL's values at the first load and after Back/Forward. */
  let restorePending = true;

  const keyBar = createKeyBar(config.keyStorageItem, () => void load('replace'));
  const gql = createGql(config.endpoint, () => keyBar.key());
  const filters = createFilterBar(config.categories, () => void load('push'));

  const ctx = {
    gql,
    panels: ecosystem,
    partnerHref: (slug: string) => urlFor({ ...url, partner: slug }),
    openPartner: (slug: string) => navigate(slug),
  };

  function navigate(partner: string | null): void {
    url = { ...url, partner };
    void load('push');
    window.scrollTo(0, 0);
    // Screen readers follow to the new view's heading.
    if (partner) byId('ed-partner-name').focus({ preventScroll: true });
  }

  const backLink = byId<HTMLAnchorElement>('ed-back');

  function showView(): void {
    const partner = url.partner !== null;
    backLink.href = urlFor({ ...url, partner: null });
    body.dataset.view = partner ? 'partner' : 'ecosystem';
    grid.hidden = partner;
    partnerRoot.hidden = !partner;
    filters.showCategory(!partner);
    if (!partner) document.title = config.title;
  }

  function resetAll(message: string): void {
    ecosystem.reset('idle', message);
    partnerView.reset(message);
  }

  async function load(mode: UrlMode): Promise<void> {
    const gen = ++generation;
    const isCurrent = () => gen === generation;
    showView();
    if (!keyBar.key()) {
      resetAll('Paste a key above to load.');
      body.dataset.dashboard = 'idle';
      statusEl.textContent = '';
      return;
    }
    const started = performance.now();
    body.dataset.dashboard = 'loading';
    statusEl.textContent = 'Loading\u2026';
    try {
      // The ecosystem view's bootstrap also asks what only dashboard roles see (role-error otherwise);
      // the drill-down's does not, so a partner's key gets its own page, as far as its role allows.
      const boot = url.partner ? await gql(DashboardPartnerBootstrapDocument, {}) : await gql(DashboardBootstrapDocument, {});
      if (!isCurrent()) return;
      keyBar.clearError();
      const node = boot.settlements.nodes[0];
      latest = node ? parseMonth(String(node.month).slice(0, 7)) : null;
      if (restorePending) {
        filters.restore(url, latest ?? previousMonthIndex());
        restorePending = false;
      }
      const f = filters.read();
      if ('error' in f) {
        resetAll(f.error);
        statusEl.textContent = f.error;
        body.dataset.dashboard = 'idle';
        return;
      }
      url = { partner: url.partner, from: monthStr(f.fromIndex), to: monthStr(f.toIndex), category: f.category || null };
      if (mode !== 'none') writeUrl(url, mode);
      await (url.partner ? partnerView.load(gql, url.partner, f, isCurrent) : loadEcosystem(f, isCurrent));
      if (!isCurrent()) return;
      const ms = Math.round(performance.now() - started);
      body.dataset.dashboard = 'ready';
      body.dataset.loadMs = String(ms);
      statusEl.textContent = `Loaded in ${(ms / 1000).toFixed(2)} s`;
    } catch (err) {
      if (!isCurrent()) return;
      generation++; // late answers of this load are ignored
      statusEl.textContent = '';
      if (err instanceof DashError && err.kind === 'auth') {
        keyBar.showError(`The key was refused: ${err.message}`);
        resetAll('No data: the key was refused.');
        body.dataset.dashboard = 'auth-error';
      } else if (err instanceof DashError && err.kind === 'schema') {
        keyBar.showError(ROLE_MESSAGE);
        resetAll('No data: this key\u2019s role cannot see the dashboard.');
        body.dataset.dashboard = 'role-error';
      } else {
        const text = errorText(err);
        statusEl.textContent = `Could not load: ${text}`;
        ecosystem.reset('error', `Could not load: ${text}`);
        partnerPanels.reset('error', `Could not load: ${text}`);
        body.dataset.dashboard = 'error';
        if (!(err instanceof DashError)) console.error(err);
      }
    }
  }

  async function loadEcosystem(f: Filters, isCurrent: () => boolean): Promise<void> {
    ecosystem.setFileStem(`${monthStr(f.fromIndex)}_${monthStr(f.toIndex)}${f.category ? `-${f.category}` : ''}`);
    await Promise.all(Object.entries(ECOSYSTEM_PANELS).map(([id, loader]) => runPanel(isCurrent, ecosystem, id, () => loader(ctx, f))));
  }

  backLink.addEventListener('click', (event) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(null);
  });
  // Back and Forward: the URL says which view and period; no reload.
  window.addEventListener('popstate', () => {
    url = readUrl();
    restorePending = true;
    void load('none');
  });
  let resizeTimer: ReturnType<typeof setTimeout> | undefined;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      ecosystem.resize();
      partnerPanels.resize();
    }, 120);
  });

  void load('replace');
}
