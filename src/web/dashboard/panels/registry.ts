// The ecosystem view's panels, by their data-panel id (the sections page.ts renders).
import { loadAlerts } from './alerts';
import { loadCases } from './cases';
import type { PanelLoader } from './context';
import { loadEvolution } from './evolution';
import { loadGmv } from './gmv';
import { loadSettlements } from './settlements';
import { loadTiers } from './tiers';

export const ECOSYSTEM_PANELS: Record<string, PanelLoader> = {
  gmv: loadGmv,
  tiers: loadTiers,
  evolution: loadEvolution,
  alerts: loadAlerts,
  settlements: loadSettlements,
  cases: loadCases,
};
