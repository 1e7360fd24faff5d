// One read's ledger entry from what is known of it, for the Apollo plugin (ledger.plugin.ts) and
// for the answers served before Apollo (src/metrics/cache/fast-path.ts): both record the same.
import type { Principal } from '../auth/principal';
import type { FieldsUsed } from './fields-used';
import type { LedgerEntry, LedgerWriter } from './ledger-writer';
import { Role } from '../permissions/tier';
import { sendJson, type LeanResponse } from '../server/lean-http';
import type { ObservedLocals } from '../server/observability/request-log';

export interface AccessFacts {
  principal: Principal;
  requestId: string;
  operationName: string | null;
  /** sha256 of the query text, hex (Apollo's queryHash). */
  operationHash: string;
  operationId: string | null;
  used: FieldsUsed | undefined;
  rows: number;
  /** performance.now() when the request's work began. */
  started: number;
  errorCodes: string[];
}

export function accessEntry(f: AccessFacts): LedgerEntry {
  return {
    at: new Date(),
    requestId: f.requestId,
    role: f.principal.role,
    keyId: f.principal.keyId ?? null,
    partnerId: f.principal.partnerId ?? null,
    operationName: f.operationName,
    operationHash: f.operationHash,
    operationId: f.operationId,
    publicFields: f.used?.byTier.PUBLIC ?? [],
    anonymizedFields: f.used?.byTier.ANONYMIZED ?? [],
    sensitiveFields: f.used?.byTier.SENSITIVE ?? [],
    filterFields: f.used?.filterOnly ?? [],
    rowCount: f.rows,
    durationMs: Math.round(performance.now() - f.started),
    errorCodes: f.errorCodes,
  };
}

/** The answer that replaces data the ledger could not record. */
export const LEDGER_UNAVAILABLE = {
  code: 'LEDGER_UNAVAILABLE',
  message: 'The access ledger could not record this request, so it is not answered: retry shortly',
} as const;

/** The 503 an answer served before Apollo sends when its entry was not committed (as the plugin answers it). */
function sendLedgerUnavailable(res: LeanResponse, retryAfterSeconds: number): void {
  (res.locals as ObservedLocals).errorCodes = [LEDGER_UNAVAILABLE.code];
  res.setHeader('retry-after', String(retryAfterSeconds));
  sendJson(res, 503, { data: null, errors: [{ message: LEDGER_UNAVAILABLE.message, extensions: { code: LEDGER_UNAVAILABLE.code } }] });
}

/**
 * The entry of a read answered before Apollo (early answers, cached metric answers), committed
 * before the answer leaves: false when the database did not take it, and the 503 is sent. Admins'
 * reads are not recorded, as in ledger.plugin.ts.
 */
export async function recordBeforeAnswer(
  ledger: Pick<LedgerWriter, 'record'>,
  res: LeanResponse,
  retryAfterSeconds: number,
  facts: AccessFacts,
): Promise<boolean> {
  if (facts.principal.role === Role.ADMIN) return true;
  try {
    await ledger.record(accessEntry(facts));
    return true;
  } catch {
    // Nothing is served unrecorded.
    sendLedgerUnavailable(res, retryAfterSeconds);
    return false;
  }
}
