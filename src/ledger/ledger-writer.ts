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
    // A multi-row VALUES with one parameter per column: PostgreSQL reads parameters typed by
    // their columns more cheaply than it takes rows apart from one JSON document (about a third
    // less per row). Groups of up to PREPARED_ROWS rows are prepared once per connection and size.
    const values: unknown[] = [];
    for (const e of batch) values.push(...toParameters(e));
    await this.pool.query(
      batch.length <= PREPARED_ROWS
        ? { name: `ecograph-ledger-insert-${batch.length}`, text: insertText(batch.length), values }
        : { text: insertText(batch.length), values },
    );
  }

  async stop(): Promise<void> {
    await this.flush();
  }
}

const COLUMNS = [
  'at', 'request_id', 'role', 'key_id', 'partner_id', 'operation_name', 'operation_hash', 'public_fields',
  'anonymized_fields', 'sensitive_fields', 'filter_fields', 'row_count', 'duration_ms', 'error_codes', 'operation_id',
] as const;

/** The parameters of one entry in an insert. */
export const ENTRY_PARAMETERS = COLUMNS.length;

/** Groups up to this size get a prepared statement of their own (per connection). */
const PREPARED_ROWS = 32;

const insertTexts = new Map<number, string>();

/** The insert of `rows` entries, its parameters in COLUMNS order row after row. */
function insertText(rows: number): string {
  let text = insertTexts.get(rows);
  if (text === undefined) {
    const tuples: string[] = [];
    for (let r = 0; r < rows; r++) tuples.push(`(${COLUMNS.map((_, c) => `$${r * COLUMNS.length + c + 1}`).join(', ')})`);
    text = `insert into access_ledger (${COLUMNS.join(', ')}) values ${tuples.join(', ')}`;
    if (rows <= PREPARED_ROWS) insertTexts.set(rows, text);
  }
  return text;
}

/** One entry's parameters, in COLUMNS order (pg sends the arrays as text[] literals). */
function toParameters(e: LedgerEntry): unknown[] {
  return [
    e.at,
    e.requestId,
    e.role,
    e.keyId,
    e.partnerId,
    e.operationName,
    e.operationHash,
    e.publicFields,
    e.anonymizedFields,
    e.sensitiveFields,
    e.filterFields,
    e.rowCount,
    e.durationMs,
    e.errorCodes,
    e.operationId ?? null,
  ];
}
