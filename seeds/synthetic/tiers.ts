// Monthly quality tiers of the synthetic window and each partner's current tier, with the
// statements the API uses too.
import type { ClientBase } from 'pg';
import {
  DEFAULT_QUALITY_THRESHOLDS,
  partnerTierUpdateSql,
  tierHistoryUpsertSql,
  type QualityThresholds,
} from '../../src/metrics/quality/quality-tier.sql';
import { WINDOW_END, WINDOW_START } from './calendar';

/** Fills partner_tier_history for the window and updates partner.quality_tier / status. */
export async function computeTiers(
  client: ClientBase,
  thresholds: QualityThresholds = DEFAULT_QUALITY_THRESHOLDS,
): Promise<{ historyRows: number; partnersUpdated: number }> {
  const history = tierHistoryUpsertSql({ from: WINDOW_START, to: WINDOW_END }, thresholds);
  const h = await client.query(history.sql, history.params);
  const update = partnerTierUpdateSql();
  const u = await client.query(update.sql, update.params);
  return { historyRows: h.rowCount ?? 0, partnersUpdated: u.rowCount ?? 0 };
}
