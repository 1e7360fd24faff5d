// The access ledger is written off the request path: entries queue in memory and go to the
// database in batches (one statement per batch). A graceful shutdown flushes the queue; a
// crash loses at most the entries of the last interval (see docs/operations.md).
import type pg from 'pg';
import type { Role } from '../permissions/tier';
import type { Logger } from '../server/logger';

export interface LedgerEntry {
  at: Date;
  requestId: string;
  role: Role;
  keyId: number | null;
  partnerId: number | null;
  operationName: string | null;
  operationHash: string;
  /** The persisted operation executed, when the request came by id (src/persisted). */
  operationId?: string | null;
  publicFields: string[];
  anonymizedFields: string[];
  sensitiveFields: string[];
  filterFields: string[];
  rowCount: number;
  durationMs: number;
  errorCodes: string[];
}

const MAX_QUEUE = 200_000;

export class LedgerWriter {
  private queue: LedgerEntry[] = [];
  private flushing: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;
  lost = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly log: Logger,
    private readonly opts: { intervalMs: number; batchSize: number } = { intervalMs: 500, batchSize: 500 },
  ) {
    this.timer = setInterval(() => void this.flush(), opts.intervalMs);
    this.timer.unref();
  }

  get depth(): number {
    return this.queue.length;
  }

  record(entry: LedgerEntry): void {
    this.queue.push(entry);
    if (this.queue.length > MAX_QUEUE) {
      // The database has been unreachable for a long time; keep the newest, say what was lost.
      const dropped = this.queue.splice(0, this.queue.length - MAX_QUEUE);
      this.lost += dropped.length;
      this.log.error({ dropped: dropped.length }, 'access ledger queue full: oldest entries dropped');
    }
    if (this.queue.length >= this.opts.batchSize) void this.flush();
  }

  /** Writes everything queued so far; resolves when it is in the database (or failed). */
  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, this.opts.batchSize);
      try {
        await this.pool.query(
          `insert into access_ledger (at, request_id, role, key_id, partner_id, operation_name, operation_hash,
             public_fields, anonymized_fields, sensitive_fields, filter_fields, row_count, duration_ms, error_codes, operation_id)
           select at, request_id, role, key_id, partner_id, operation_name, operation_hash,
             public_fields, anonymized_fields, sensitive_fields, filter_fields, row_count, duration_ms, error_codes, operation_id
           from jsonb_to_recordset($1::jsonb) as x(at timestamptz, request_id text, role text, key_id int, partner_id int,
             operation_name text, operation_hash text, public_fields text[], anonymized_fields text[], sensitive_fields text[],
             filter_fields text[], row_count int, duration_ms int, error_codes text[], operation_id text)`,
          [JSON.stringify(batch.map(toRecord))],
        );
        this.queue.splice(0, batch.length);
      } catch (err) {
        this.log.warn({ err: (err as Error).message, queued: this.queue.length }, 'access ledger write failed; will retry');
        return;
      }
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    if (this.queue.length > 0) {
      this.log.error({ unwritten: this.queue.length }, 'access ledger entries could not be written before shutdown');
    }
  }
}

function toRecord(e: LedgerEntry) {
  return {
    at: e.at.toISOString(),
    request_id: e.requestId,
    role: e.role,
    key_id: e.keyId,
    partner_id: e.partnerId,
    operation_name: e.operationName,
    operation_hash: e.operationHash,
    public_fields: e.publicFields,
    anonymized_fields: e.anonymizedFields,
    sensitive_fields: e.sensitiveFields,
    filter_fields: e.filterFields,
    row_count: e.rowCount,
    duration_ms: e.durationMs,
    error_codes: e.errorCodes,
    operation_id: e.operationId ?? null,
  };
}
