// One read's ledger entry from what is known of it, for the Apollo plugin (ledger.plugin.ts) and
// for the answers served before Apollo (src/metrics/cache/fast-path.ts): both record the same.
import type { Principal } from '../auth/principal';
import type { FieldsUsed } from './fields-used';
import type { LedgerEntry } from './ledger-writer';

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
