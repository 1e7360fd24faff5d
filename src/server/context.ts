// One context per request (shield caches on it; loaders must not outlive a request).
import type { Config } from '../config';
import type { Principal } from '../auth/principal';
import type { CursorCodec } from '../db/cursor';
import type { Executor } from '../db/executor';
import type { Pseudonymizer } from '../anonymisation/pseudonym';

export interface Services {
  config: Config;
  cursors: CursorCodec;
  pseudonyms: Pseudonymizer;
  /** Derived from the server secret, for keyed hashes that never leave the server. */
  secretKey: string;
}

export interface Context {
  principal: Principal;
  exec: Executor;
  services: Services;
  /** Per-request memo (DataLoaders), keyed by relation and arguments. */
  memo: Map<string, unknown>;
  requestId: string;
  /** Rows returned to the caller so far (for the access ledger). */
  rows: number;
}

export function memo<T>(ctx: Context, key: string, make: () => T): T {
  let v = ctx.memo.get(key) as T | undefined;
  if (v === undefined) {
    v = make();
    ctx.memo.set(key, v);
  }
  return v;
}
