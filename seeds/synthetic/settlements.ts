// Monthly settlements of the synthetic window, with the statement the API uses too.
import type { ClientBase } from 'pg';
import { settlementUpsertSql } from '../../src/metrics/settlements/settlement.sql';
import { WINDOW_END, WINDOW_START } from './calendar';

/** Upserts the settlement of every partner-month of the window with fulfilled orders; returns the row count. */
export async function computeSettlements(client: ClientBase): Promise<number> {
  const { sql, params } = settlementUpsertSql({ from: WINDOW_START, to: WINDOW_END });
  const result = await client.query(sql, params);
  return result.rowCount ?? 0;
}
