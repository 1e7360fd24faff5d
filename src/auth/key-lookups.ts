// Key lookups grouped the way the ledger groups its inserts (src/db/statement-groups.ts): a
// lookup is answered by a statement that starts after it was asked, never by one already
// running, so a key revoked before its request arrived is always refused. Lookups asked
// together share a statement, and a key asked by many requests at once is one row of it.
import { StatementGroups } from '../db/statement-groups';

/** Distinct keys per statement. */
const MAX_GROUP = 256;

interface Waiter<Row> {
  resolve(row: Row | undefined): void;
  reject(err: unknown): void;
}

export class KeyLookups<Row> {
  /** Waiters by key hash, in the order asked; a Map keeps insertion order. */
  private waiting = new Map<string, Waiter<Row>[]>();
  private readonly groups = new StatementGroups(
    () => this.waiting.size > 0,
    () => this.start(),
  );

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
      this.groups.schedule();
    });
  }

  private start(): Promise<void> {
    const group = new Map<string, Waiter<Row>[]>();
    for (const [hash, list] of this.waiting) {
      if (group.size >= MAX_GROUP) break;
      group.set(hash, list);
    }
    for (const hash of group.keys()) this.waiting.delete(hash);
    return this.run([...group.keys()]).then(
      (rows) => {
        const byHash = new Map(rows.map((r) => [this.hashOf(r), r]));
        for (const [hash, list] of group) for (const w of list) w.resolve(byHash.get(hash));
      },
      (err: unknown) => {
        for (const list of group.values()) for (const w of list) w.reject(err);
      },
    );
  }
}
