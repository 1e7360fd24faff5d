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
  /** The persisted operation's id when the request came by id (src/persisted), for the ledger. */
  operationId?: string;
  /**
   * The rollups' version as the key lookup read it, when this request reads from the same
   * database (no read replicas): the metrics cache's key without a statement of its own.
   */
  rollupVersion?: string;
  /** Its quota units were charged before Apollo (src/server/early): the quota guard charges nothing more. */
  quotaPaid?: boolean;
  /** Set while a mutation runs: `exec` is then its transaction (src/writes). */
  write?: WriteScope;
}

export interface AuditChange {
  /** The projection type written, e.g. "Partner". */
  type: string;
  id: number;
  op: 'CREATE' | 'UPDATE' | 'DELETE';
  /** Declared fields before and after (SENSITIVE fields are never recorded). */
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface WriteScope {
  /** The rows the mutation wrote, for its ledger record. */
  changes: AuditChange[];
  /** Its ledger record was committed with it. */
  ledgered?: boolean;
}

export function memo<T>(ctx: Context, key: string, make: () => T): T {
  let v = ctx.memo.get(key) as T | undefined;
  if (v === undefined) {
    v = make();
    ctx.memo.set(key, v);
  }
  return v;
}
