// Read-your-writes with read replicas: the WAL position of each caller's last committed write,
// so that the caller's next reads wait for a replica to have replayed it (or go to the
// primary). Kept in this process only, bounded: a caller whose next request lands on another
// Ecograph process is not known there (docs/operations.md, "Read replicas").
import type pg from 'pg';
import type { Principal } from '../auth/principal';
import { parseLsn } from './replica-lsn';

/** Callers remembered at most; the one that wrote longest ago is forgotten first. */
export const MAX_TRACKED_CALLERS = 10_000;

/** One caller per stored key; every holder of ECOGRAPH_ADMIN_KEY is one caller. */
export function callerKey(p: Principal): string {
  return p.keyId === undefined ? 'env-admin' : `key:${p.keyId}`;
}

export class CallerWrites {
  /** Insertion order is recency order: a new write moves its caller to the end. */
  private readonly positions = new Map<string, bigint>();

  constructor(private readonly max = MAX_TRACKED_CALLERS) {}

  record(caller: string, lsn: bigint): void {
    this.positions.delete(caller);
    this.positions.set(caller, lsn);
    if (this.positions.size > this.max) this.positions.delete(this.positions.keys().next().value as string);
  }

  /** The position the caller's reads must see, when it has written since it was last forgotten. */
  pending(caller: string): bigint | undefined {
    return this.positions.get(caller);
  }

  get size(): number {
    return this.positions.size;
  }
}

/**
 * COMMIT, and in the same round trip the primary's WAL insert position after it: the commit
 * record ends at or before that position, whatever synchronous_commit says, so a replica that
 * has replayed up to it shows the write. (It may lie a little past the commit, by concurrent
 * records: the caller then waits for those too, never for less.)
 */
export async function commitAndLocate(client: pg.PoolClient): Promise<bigint | undefined> {
  const results = (await client.query('commit; select pg_current_wal_insert_lsn()::text as lsn')) as unknown as pg.QueryResult<{ lsn: string }>[];
  return parseLsn(results[1]?.rows[0]?.lsn);
}
