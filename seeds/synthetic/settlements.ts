// Monthly settlements of the synthetic window, with the statement the API uses too.
import type { ClientBase } from 'pg';
import { DEFAULT_SETTLEMENT_TERMS, settlementUpsertSql, type SettlementTerms } from '../../src/metrics/settlements/settlement.sql';
import { WINDOW_END, WINDOW_START } from './calendar';

/**
 * Upserts the settlement of every partner-month of the window with fulfilled orders or a
 * PLATFORM_FEE agreement in force; returns the row count. The GOLD discount reads
 * partner_tier_history, so it applies to the months whose tiers are already computed.
 */
export async function computeSettlements(client: ClientBase, terms: SettlementTerms = DEFAULT_SETTLEMENT_TERMS): Promise<number> {
  const { sql, params } = settlementUpsertSql({ from: WINDOW_START, to: WINDOW_END }, terms);
  const result = await client.query(sql, params);
  return result.rowCount ?? 0;
}
