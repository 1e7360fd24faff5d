// Idempotency-Key: the first request with a key claims it inside its own transaction; the
// answer is stored in the same transaction, so a key is answered exactly when its write is
// committed. A second request with the key waits on the first's row lock until it commits (the
// stored answer is replayed) or rolls back (the key is free again, and it runs).
import type { FormattedExecutionResult } from 'graphql';
import type pg from 'pg';
import type { Principal } from '../auth/principal';

const KEY_RE = /^[\x21-\x7e]{1,255}$/;

export function validKey(key: string): boolean {
  return KEY_RE.test(key);
}

/** Keys are per caller: two keys never see each other's answers. */
export function callerOf(p: Principal): string {
  return p.keyId === undefined ? 'env-admin' : `key:${p.keyId}`;
}

export type Claim = { kind: 'claimed' } | { kind: 'replay'; answer: FormattedExecutionResult } | { kind: 'reused' };

export async function claimKey(client: pg.PoolClient, caller: string, key: string, hash: string, ttlHours: number): Promise<Claim> {
  // An answer older than the retention is forgotten: the key may be used afresh.
  await client.query(`delete from idempotency_key where caller = $1 and key = $2 and created_at < now() - make_interval(hours => $3)`, [caller, key, ttlHours]);
  const claimed = await client.query(
    `insert into idempotency_key (caller, key, request_hash, response, created_at) values ($1, $2, $3, 'null', now())
     on conflict do nothing`,
    [caller, key, hash],
  );
  if ((claimed.rowCount ?? 0) > 0) return { kind: 'claimed' };
  const stored = await client.query<{ request_hash: string; response: string }>(
    'select request_hash, response from idempotency_key where caller = $1 and key = $2',
    [caller, key],
  );
  const row = stored.rows[0];
  // Deleted between the two statements (retention): treat as used with another request.
  if (!row || row.request_hash !== hash) return { kind: 'reused' };
  return { kind: 'replay', answer: JSON.parse(row.response) as FormattedExecutionResult };
}

export async function storeAnswer(client: pg.PoolClient, caller: string, key: string, answer: FormattedExecutionResult): Promise<void> {
  await client.query('update idempotency_key set response = $3 where caller = $1 and key = $2', [caller, key, JSON.stringify(answer)]);
}
