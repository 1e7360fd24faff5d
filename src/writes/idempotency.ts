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
  // One statement: a new key is inserted; a key older than the retention is claimed afresh
  // (every column rewritten, as the delete-then-insert did); a live key is left as it is and
  // nothing is returned. Under concurrency it behaves as before: a twin's uncommitted row makes
  // this wait for that transaction; after a commit the row is live (WHERE false: replay or
  // reused below), after a rollback the insert goes ahead (or the expired row, untouched, is
  // claimed). A row changed or deleted while we waited makes PostgreSQL redo the check against
  // the newest version. With WHERE false the row stays locked by this transaction: harmless,
  // the caller rolls back at once and holds no other lock (the claim is its first statement).
  const claimed = await client.query({
    name: 'ecograph-idempotency-claim',
    text: `insert into idempotency_key (caller, key, request_hash, response, created_at) values ($1, $2, $3, 'null', now())
     on conflict (caller, key) do update set request_hash = excluded.request_hash, response = excluded.response, created_at = excluded.created_at
     where idempotency_key.created_at < now() - make_interval(hours => $4)`,
    values: [caller, key, hash, ttlHours],
  });
  if ((claimed.rowCount ?? 0) > 0) return { kind: 'claimed' };
  // A new statement, so a new snapshot: it sees the row committed while the insert waited.
  const stored = await client.query<{ request_hash: string; response: string }>(
    'select request_hash, response from idempotency_key where caller = $1 and key = $2',
    [caller, key],
  );
  const row = stored.rows[0];
  // Cannot be missing (the row is locked by us); kept as a guard: treat as used with another request.
  if (!row || row.request_hash !== hash) return { kind: 'reused' };
  return { kind: 'replay', answer: JSON.parse(row.response) as FormattedExecutionResult };
}

/** The answer as stored for the key: the text a replay sends back. */
export function storedAnswer(answer: FormattedExecutionResult): string {
  return JSON.stringify(answer);
}
