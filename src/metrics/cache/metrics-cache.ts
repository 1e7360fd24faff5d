// Answers of metric queries, kept until the data behind them changes. Metric figures come from
// the rollups (and settlements and partner names for labels). Entries are keyed by the rollup
// version (bumped in the transaction of every refresh that recomputed months, so a refresh is
// never followed by a stale answer on any replica), the caller's cut (role, grant, partner), the
// operation and its variables. Settlement and partner writes empty the cache by NOTIFY
// (invalidation.ts), and nothing is served while this replica could miss one. The oldest
// entries go first beyond METRICS_CACHE_ENTRIES or METRICS_CACHE_MB.
import crypto from 'node:crypto';
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { FieldsUsed } from '../../ledger/fields-used';

/**
 * What Apollo learned about the request that computed an answer, so that a repeat of that
 * request (same key, same text, same variables) can be answered before Apollo (fast-path.ts).
 */
export interface Replay {
  /** The caller's cut of the schema, the validated document and its operation. */
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** The resolved operation name, for the ledger and the request log. */
  operationName: string | null;
  /** The fields the operation reads, by tier, for the ledger. */
  used: FieldsUsed;
  /** Length of the query text: a document kept alive here is counted at 32 bytes a character. */
  queryLength: number;
}

export interface CachedAnswer {
  /** `data` as JSON text. */
  data: string;
  /** Strong validator: a hash of `data`, the same on every replica for the same answer. */
  etag: string;
  /** Rows the answer counted for the access ledger. */
  rows: number;
  replay?: Replay;
}

export class MetricsCache {
  private readonly entries = new Map<string, CachedAnswer>();
  /** What the entries hold, keys and answers, at two bytes a character. */
  private bytes = 0;
  /** Bumped by every invalidation: an answer computed before one is not stored after it. */
  private generation = 0;
  /** Whether changes are heard (the LISTEN connection is up); nothing is served otherwise. */
  private listening = false;

  constructor(
    readonly maxEntries: number,
    readonly maxBytes = 32 * 1024 * 1024,
  ) {}

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
  put(key: string, generation: number, data: string, rows: number, replay?: Replay): CachedAnswer {
    const answer: CachedAnswer = { data, rows, etag: etagOf(data), replay };
    const size = sizeOf(key, answer);
    if (!this.enabled || generation !== this.generation || size > this.maxBytes) return answer;
    this.remove(key);
    while (this.entries.size > 0 && (this.entries.size >= this.maxEntries || this.bytes + size > this.maxBytes)) {
      this.remove(this.entries.keys().next().value as string);
    }
    this.entries.set(key, answer);
    this.bytes += size;
    return answer;
  }

  /** Bytes held (for tests and docs/performance.md's memory table). */
  get heldBytes(): number {
    return this.bytes;
  }

  private remove(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    this.bytes -= sizeOf(key, old);
  }

  invalidate(): void {
    this.generation++;
    this.entries.clear();
    this.bytes = 0;
  }
}

function sizeOf(key: string, answer: CachedAnswer): number {
  return 2 * (key.length + answer.data.length + answer.etag.length) + 32 * (answer.replay?.queryLength ?? 0) + 64;
}

export function etagOf(data: string): string {
  return `"m${crypto.createHash('sha256').update(data).digest('base64url').slice(0, 27)}"`;
}
