// The one statement of an early answer: the compiled read, and for a stored key the check that
// the key still authenticates as remembered and the request's access-ledger entry, all in one
// round trip and one transaction. The entry is inserted only when the check holds, and the data
// is returned only then, so a key revoked (or a partner suspended, an agreement changed) before
// the statement started is never answered from the remembered principal.
import crypto from 'node:crypto';
import { keyStillHolds } from '../../auth/authenticate';
import type { CompiledOperation } from '../../db/compile/operation';
import { sql, type Sql } from '../../db/sql';

/** What a statement checks and records besides the read. */
export type Variant = 'read' | 'checked' | 'recorded';

/** The request's own values, filled in per request. */
const SLOT = {
  hash: Symbol('hash'),
  terms: Symbol('terms'),
  requestId: Symbol('requestId'),
  role: Symbol('role'),
  keyId: Symbol('keyId'),
  partnerId: Symbol('partnerId'),
  elapsedMs: Symbol('elapsedMs'),
} as const;

export type SlotValues = Partial<Record<keyof typeof SLOT, unknown>>;

/** The ledger's facts that are the same on every request of a plan. */
export interface PlanFacts {
  operationName: string | null;
  operationHash: string;
  publicFields: string[];
  anonymizedFields: string[];
  sensitiveFields: string[];
  filterFields: string[];
}

export interface EarlyStatement {
  text: string;
  /** The values, with the request's slots still to fill. */
  values: unknown[];
  /** Prepared once per connection when set (a bounded number of texts get one). */
  name?: string;
  bind(slots: SlotValues): unknown[];
}

/** Distinct statement texts prepared by name; beyond, unnamed (parsed each time). */
const MAX_NAMED = 64;
const named = new Set<string>();

function build(variant: Variant, compiled: CompiledOperation, facts: PlanFacts): Sql {
  if (variant === 'read') return sql`select true as ok, r.j, r.n from (${compiled.statement}) r`;
  const check = keyStillHolds(SLOT.hash, SLOT.terms);
  if (variant === 'checked') return sql`select ok.ok, case when ok.ok then r.j end as j, r.n from (${compiled.statement}) r, (select ${check} as ok) ok`;
  return sql`with r as (${compiled.statement}), ok as (select ${check} as ok),
  l as (insert into access_ledger (at, request_id, role, key_id, partner_id, operation_name, operation_hash,
          public_fields, anonymized_fields, sensitive_fields, filter_fields, row_count, duration_ms, error_codes, operation_id)
        select now(), ${SLOT.requestId}::text, ${SLOT.role}::text, ${SLOT.keyId}::int, ${SLOT.partnerId}::int, ${facts.operationName}::text,
          ${facts.operationHash}::text, ${facts.publicFields}::text[], ${facts.anonymizedFields}::text[], ${facts.sensitiveFields}::text[],
          ${facts.filterFields}::text[], r.n, ${SLOT.elapsedMs}::int + (extract(epoch from clock_timestamp() - statement_timestamp()) * 1000)::int,
          '{}'::text[], null
          from r, ok where ok.ok)
select ok.ok, case when ok.ok then r.j end as j, r.n from r, ok`;
}

export function earlyStatement(variant: Variant, compiled: CompiledOperation, facts: PlanFacts): EarlyStatement {
  const { text, values } = build(variant, compiled, facts).toQuery();
  const slots: [number, keyof typeof SLOT][] = [];
  values.forEach((v, i) => {
    const name = (Object.keys(SLOT) as (keyof typeof SLOT)[]).find((k) => SLOT[k] === v);
    if (name) slots.push([i, name]);
  });
  let name: string | undefined;
  if (named.has(text) || named.size < MAX_NAMED) {
    named.add(text);
    name = `ecograph-early-${crypto.createHash('sha256').update(text).digest('base64url').slice(0, 24)}`;
  }
  return {
    text,
    values,
    name,
    bind(filled) {
      const out = values.slice();
      for (const [i, slot] of slots) out[i] = filled[slot] ?? null;
      return out;
    },
  };
}
