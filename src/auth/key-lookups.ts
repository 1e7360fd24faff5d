// Key lookups grouped the way the ledger groups its inserts (src/ledger/ledger-writer.ts). A
// lookup waits for a statement that starts after it was asked, never for one already running:
// a key revoked before its request arrived is always refused. Lookups asked in the same turn
// of the event loop, or while statements run, share the next statement, and a key asked by
// many requests at once is one row of it. A lone request pays one statement and no timer;
// under load the key check costs a fraction of a round trip per request.

/** Statements running at once: one group fills while the other is answered. */
const MAX_IN_FLIGHT = 2;
/** Distinct keys per statement. */
const MAX_GROUP = 256;

interface Waiter<Row> {
  resolve(row: Row | undefined): void;
  reject(err: unknown): void;
}

export class KeyLookups<Row> {
  /** Waiters by key hash, in the order asked; a Map keeps insertion order. */
  private waiting = new Map<string, Waiter<Row>[]>();
  private scheduled = false;
  private inFlight = 0;

  /**
   * `run` answers a group: the rows of the hashes that exist, each with its hash as
   * `hashOf` reads it. A hash without a row is an unknown key.
   */
  constructor(
    private readonly run: (hashes: string[]) => Promise<Row[]>,
    private readonly hashOf: (row: Row) => string,
  ) {}

  lookup(hash: string): Promise<Row | undefined> {
    return new Promise<Row | undefined>((resolve, reject) => {
      const list = this.waiting.get(hash);
      if (list) list.push({ resolve, reject });
      else this.waiting.set(hash, [{ resolve, reject }]);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.size === 0 || this.inFlight >= MAX_IN_FLIGHT) return;
    this.scheduled = true;
    // setImmediate: the lookups asked in this same turn share the statement.
    setImmediate(() => {
      this.scheduled = false;
      this.start();
    });
  }

  private start(): void {
    const group = new Map<string, Waiter<Row>[]>();
    for (const [hash, list] of this.waiting) {
      if (group.size >= MAX_GROUP) break;
      group.set(hash, list);
    }
    for (const hash of group.keys()) this.waiting.delete(hash);
    if (group.size === 0) return;
    this.inFlight++;
    this.run([...group.keys()])
      .then(
        (rows) => {
          const byHash = new Map(rows.map((r) => [this.hashOf(r), r]));
          for (const [hash, list] of group) for (const w of list) w.resolve(byHash.get(hash));
        },
        (err: unknown) => {
          for (const list of group.values()) for (const w of list) w.reject(err);
        },
      )
      .finally(() => {
        this.inFlight--;
        this.schedule();
      });
    // More keys than one group takes: the rest go in the other slot.
    this.schedule();
  }
}
