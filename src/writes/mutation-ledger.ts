// A committed mutation's access-ledger record, written in the mutation's own transaction:
// who (role, key, partner), what (operation, fields by tier, the rows written with their
// declared fields before and after; SENSITIVE fields are never captured, see audit.ts).
import crypto from 'node:crypto';
import type pg from 'pg';
import type { FieldsUsed } from '../ledger/fields-used';
import type { Context } from '../server/context';

export interface MutationRecord {
  operationName: string | null;
  query: string;
  /** The mutation root fields called, comma-separated. */
  mutation: string;
  used: FieldsUsed;
  durationMs: number;
}

/** An Idempotency-Key's answer, stored by the statement that writes the record. */
export interface KeyAnswer {
  caller: string;
  key: string;
  /** The response text as stored (see storedAnswer). */
  response: string;
}

export async function insertMutationRecord(client: pg.PoolClient, ctx: Context, r: MutationRecord, answer?: KeyAnswer): Promise<void> {
  const p = ctx.principal;
  const values: unknown[] = [
    ctx.requestId,
    p.role,
    p.keyId ?? null,
    p.partnerId ?? null,
    r.operationName,
    crypto.createHash('sha256').update(r.query).digest('hex'),
    r.used.byTier.PUBLIC,
    r.used.byTier.ANONYMIZED,
    r.used.byTier.SENSITIVE,
    r.used.filterOnly,
    ctx.write?.changes.length ?? 0,
    r.durationMs,
    r.mutation,
    JSON.stringify(ctx.write?.changes ?? []),
    ctx.operationId ?? null,
  ];
  // The key's answer rides along in a data-modifying CTE (run once, whether read or not): one
  // round trip instead of two, in the same transaction. Its parameters follow the record's 15.
  let stored = '';
  if (answer) {
    stored = 'with answer as (update idempotency_key set response = $16 where caller = $17 and key = $18)\n';
    values.push(answer.response, answer.caller, answer.key);
  }
  // Named (two texts): prepared once per connection, parsed and planned once.
  await client.query({
    name: answer ? 'ecograph-mutation-record-answer' : 'ecograph-mutation-record',
    text: `${stored}insert into access_ledger (at, request_id, role, key_id, partner_id, operation_name, operation_hash, public_fields,
       anonymized_fields, sensitive_fields, filter_fields, row_count, duration_ms, error_codes, mutation, changes, operation_id)
     values (now(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, '{}', $13, $14, $15)`,
    values,
  });
}
