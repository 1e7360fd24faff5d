// Answers of metric queries, kept until the data behind them changes. Metric figures come from
// the rollups (and settlements and partner names for labels). Entries are keyed by the rollup
// version (bumped in the transaction of every refresh that recomputed months, so a refresh is
// never followed by a stale answer on any replica), the caller's cut (role, grant, partner), the
// operation and its variables. Settlement and partner writes empty the cache by NOTIFY
// (invalidation.ts), and nothing is served while this replica could miss one. The oldest
// entries go first beyond METRICS_CACHE_ENTRIES.
import crypto from 'node:crypto';

export interface CachedAnswer {
  /** `data` as JSON text. */
  data: string;
  /** Strong validator: a hash of `data`, the same on every replica for the same answer. */
  etag: string;
  /** Rows the answer counted for the access ledger. */
  rows: number;
}

export class MetricsCache {
  private readonly entries = new Map<string, CachedAnswer>();
  /** Bumped by every invalidation: an answer computed before one is not stored after it. */
  private generation = 0;
  /** Whether changes are heard (the LISTEN connection is up); nothing is served otherwise. */
  private listening = false;

  constructor(readonly maxEntries: number) {}

  get enabled(): boolean {
    return this.maxEntries > 0 && this.listening;
  }

  get currentGeneration(): number {
    return this.generation;
  }

  get size(): number {
    return this.entries.size;
  }

  setListening(on: boolean): void {
    this.listening = on;
    this.invalidate();
  }

  get(key: string): CachedAnswer | undefined {
    return this.enabled ? this.entries.get(key) : undefined;
  }

  /** Stores an answer computed under `generation` (dropped when an invalidation came since). */
  put(key: string, generation: number, data: string, rows: number): CachedAnswer {
    const answer = { data, rows, etag: etagOf(data) };
    if (!this.enabled || generation !== this.generation) return answer;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, answer);
    return answer;
  }

  invalidate(): void {
    this.generation++;
    this.entries.clear();
  }
}

export function etagOf(data: string): string {
  return `"m${crypto.createHash('sha256').update(data).digest('base64url').slice(0, 27)}"`;
}
