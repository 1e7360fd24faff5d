// The access ledger, written before the answer leaves: a request waits for its entry to be
// committed (ledger.plugin.ts). Group commit the way PostgreSQL does its own WAL flushes: an
// entry goes at once when no insert is running, and entries that arrive while inserts run
// wait for one to finish and then share the next insert. So a lone request pays one insert and
// no timer, and under load the cost per request falls to a fraction of a statement.
// LEDGER_GROUP_COMMIT_MS adds a wait before each group (0: none). An entry the database does
// not take fails its request (503): no answer is ever sent unrecorded, and a crash loses no
// entry of an answer a client received.
import type pg from 'pg';
import { StatementGroups } from '../db/statement-groups';
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

interface Waiting {
  entry: LedgerEntry;
  done(err?: Error): void;
}

export class LedgerWriter {
  private waiting: Waiting[] = [];
  private readonly groups: StatementGroups;
  /** Entries the database refused (their requests failed with 503). */
  failed = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly log: Logger,
    private readonly opts: { groupCommitMs: number; batchSize: number } = { groupCommitMs: 0, batchSize: 500 },
  ) {
    this.groups = new StatementGroups(() => this.waiting.length > 0, () => this.commit(), opts.groupCommitMs);
  }

  /** Entries waiting for their group's insert, or being inserted. */
  get depth(): number {
    return this.waiting.length + this.groups.running.size;
  }

  /** Resolves when the entry is committed; rejects when the database did not take it. */
  record(entry: LedgerEntry): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ entry, done: (err) => (err ? reject(err) : resolve()) });
      this.groups.schedule();
    });
  }

  /** Commits what waits now; resolves when every group in flight is done. */
  async flush(): Promise<void> {
    while (this.waiting.length > 0) this.groups.startNow();
    await Promise.allSettled([...this.groups.running]);
  }

  private commit(): Promise<void> {
    const group = this.waiting.splice(0, this.opts.batchSize);
    return this.insert(group.map((w) => w.entry)).then(
      () => group.forEach((w) => w.done()),
      (err: Error) => {
        this.failed += group.length;
        this.log.error({ err: err.message, entries: group.length }, 'access ledger write failed; the requests fail with 503');
        group.forEach((w) => w.done(err));
      },
    );
  }

  private async insert(batch: LedgerEntry[]): Promise<void> {
    // Named: prepared once per connection, so a group skips parsing and planning it.
    await this.pool.query({
      name: 'ecograph-ledger-insert',
      text: `insert into access_ledger (at, request_id, role, key_id, partner_id, operation_name, operation_hash,
         public_fields, anonymized_fields, sensitive_fields, filter_fields, row_count, duration_ms, error_codes, operation_id)
       select at, request_id, role, key_id, partner_id, operation_name, operation_hash,
         public_fields, anonymized_fields, sensitive_fields, filter_fields, row_count, duration_ms, error_codes, operation_id
       from jsonb_to_recordset($1::jsonb) as x(at timestamptz, request_id text, role text, key_id int, partner_id int,
         operation_name text, operation_hash text, public_fields text[], anonymized_fields text[], sensitive_fields text[],
         filter_fields text[], row_count int, duration_ms int, error_codes text[], operation_id text)`,
      values: [JSON.stringify(batch.map(toRecord))],
    });
  }

  async stop(): Promise<void> {
    await this.flush();
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
