// When requests share one statement (the access ledger's inserts, the key lookups): a group
// starts when one of two slots is free, after the current turn of the event loop (or a set
// wait), so what is asked in the same turn shares it; what is asked while both slots run waits
// for one to finish and goes in the next group. A group holds only what waited when it started:
// nothing joins a statement already running, so each statement starts after everything it
// answers was asked. A lone request pays one statement and no timer.

const SLOTS = 2;

export class StatementGroups {
  private scheduled = false;
  /** Groups whose statement runs; each promise settles (never rejects) when it is answered. */
  readonly running = new Set<Promise<void>>();

  /**
   * `waiting`: whether anything waits for a group. `start`: takes what waits (or as much as one
   * group holds) into a statement; its promise must not reject (the group's callers get the error).
   */
  constructor(
    private readonly waiting: () => boolean,
    private readonly start: () => Promise<void>,
    private readonly waitMs = 0,
  ) {}

  /** Starts a group when a slot is free. Call after adding to what waits. */
  schedule(): void {
    if (this.scheduled || !this.waiting() || this.running.size >= SLOTS) return;
    this.scheduled = true;
    const go = () => {
      this.scheduled = false;
      this.startNow();
    };
    if (this.waitMs > 0) setTimeout(go, this.waitMs);
    else setImmediate(go);
  }

  /** Starts a group now, slot or not (a flush at shutdown). */
  startNow(): void {
    if (!this.waiting()) return;
    const group = this.start();
    this.running.add(group);
    void group.finally(() => {
      this.running.delete(group);
      this.schedule();
    });
    // More waits than one group takes: the rest may use the other slot.
    this.schedule();
  }
}
