// The partner drill-down (?partner=<slug>): who it is, its monthly GMV and orders, its evaluation
// score, its SLA response figures and its tier history, over the period of the filters. What the
// key's role may not read shows as that panel's error with the API's code.
import { DashboardPartnerDocument, DashboardPartnerMonthlyDocument, type DashboardPartnerQuery } from '../../generated/graphql';
import { byId } from '../config';
import type { Filters } from '../filters';
import { humanize } from '../format';
import { DashError, type Gql } from '../gql';
import type { Panels } from '../panels';
import { failureText, runPanel } from '../run-panel';
import { drawFigures, drawSla } from './figures';
import { loadScores } from './scores';
import { drawTierHistory } from './tiers';

type Partner = NonNullable<DashboardPartnerQuery['partner']>;

export interface PartnerView {
  load(gql: Gql, slug: string, f: Filters, isCurrent: () => boolean): Promise<void>;
  reset(message: string): void;
}

export function createPartnerView(panels: Panels, baseTitle: string): PartnerView {
  const root = byId('ed-partner');
  const nameEl = byId('ed-partner-name');
  const factsEl = byId('ed-partner-facts');
  const messageEl = byId('ed-partner-message');

  function head(state: 'idle' | 'loading' | 'ready' | 'not-found' | 'error', name: string, facts: string, message: string): void {
    root.dataset.state = state;
    nameEl.textContent = name;
    factsEl.textContent = facts;
    messageEl.textContent = message;
  }

  function describe(p: Partner): string {
    return [
      p.nameEn !== p.name ? p.nameEn : '',
      humanize(p.category),
      humanize(p.status),
      p.qualityTier ? `tier ${humanize(p.qualityTier)}` : 'not yet rated',
      `joined ${p.joinedOn}`,
    ]
      .filter(Boolean)
      .join(' \u00b7 ');
  }

  return {
    reset(message) {
      head('idle', 'Partner', '', '');
      panels.reset('idle', message);
    },
    async load(gql, slug, f, isCurrent) {
      head('loading', slug, '', 'Loading\u2026');
      panels.reset('loading', 'Loading\u2026');
      panels.setFileStem(`${slug}-${f.fromDate.slice(0, 7)}_${f.monthDate.slice(0, 7)}`);
      let partner: Partner | null;
      try {
        partner = (await gql(DashboardPartnerDocument, { slug })).partner;
      } catch (err) {
        if (!isCurrent()) return;
        if (err instanceof DashError && err.kind === 'auth') throw err;
        const text = `Could not load: ${failureText(err)}`;
        head('error', slug, '', text);
        panels.reset(err instanceof DashError && err.kind === 'schema' ? 'unavailable' : 'error', text);
        return;
      }
      if (!isCurrent()) return;
      if (!partner) {
        head('not-found', slug, '', `No partner \u201c${slug}\u201d is visible to this key.`);
        panels.reset('idle', 'No such partner.');
        return;
      }
      head('ready', partner.name, describe(partner), '');
      document.title = `${partner.name} \u00b7 ${baseTitle}`;
      const p = partner;
      const monthly = gql(DashboardPartnerMonthlyDocument, { from: f.fromDate, to: f.toDate, partnerId: p.id }).then((d) => d.ecosystemMetrics);
      await Promise.all([
        runPanel(isCurrent, panels, 'partner-figures', async () => drawFigures(panels, await monthly, f.rangeLabel)),
        runPanel(isCurrent, panels, 'partner-scores', () => loadScores(gql, panels, p.id, f)),
        runPanel(isCurrent, panels, 'partner-sla', async () => drawSla(panels, await monthly, f.rangeLabel)),
        runPanel(isCurrent, panels, 'partner-tiers', async () => drawTierHistory(panels, p.tierHistory.nodes, f)),
      ]);
    },
  };
}
