// One read replica: its pool, whether it is serving, and the furthest WAL position it has been
// seen to replay. A replica whose connection fails is taken out of rotation at once and probed
// in the background every REPLICA_RETRY_MS until it answers: requests never wait on a replica
// known to be down.
import type pg from 'pg';
import type { Config } from '../config';
import type { Logger } from '../server/logger';
import { classifyDbError } from '../server/faults/db-errors';
import { createPool } from './pool';
import { parseLsn } from './replica-lsn';

/** Between two looks at a lagging replica's replay position while a caller waits. */
const POLL_INTERVAL_MS = 5;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `p`'s value if it resolves within `ms`; undefined if it rejects or takes longer. Never rejects. */
export function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([p.catch(() => undefined), late]).finally(() => clearTimeout(timer));
}

export class ReplicaNode {
  readonly pool: pg.Pool;
  private serving = true;
  /** Furthest replay position seen (replay only moves forward). */
  private replayedLsn = 0n;
  /** The server answered but is not replaying WAL (not in recovery): positions cannot be compared. */
  private notStandby = false;
  private inflight: Promise<boolean> | undefined;
  private probeTimer: NodeJS.Timeout | undefined;
  private ended = false;

  constructor(
    readonly index: number,
    url: string,
    config: Pick<Config, 'db'>,
    private readonly retryMs: number,
    private readonly log: Logger,
  ) {
    this.pool = createPool(url, config, {
      applicationName: 'ecograph-read',
      onIdleError: (err) => log.warn({ replica: index, err: err.message }, 'an idle read-replica connection failed; the pool drops it'),
    });
  }

  get up(): boolean {
    return this.serving;
  }

  get replayed(): bigint {
    return this.replayedLsn;
  }

  /** Out of rotation after a connection fault; a background probe brings it back. */
  markDown(err: unknown): void {
    if (!this.serving || this.ended) return;
    this.serving = false;
    const e = err as { message?: string; code?: string };
    this.log.warn({ replica: this.index, err: e.message, code: e.code, retryMs: this.retryMs }, 'a read replica failed: its reads go elsewhere until it answers again');
    this.scheduleProbe();
  }

  private scheduleProbe(): void {
    if (this.ended) return;
    this.probeTimer = setTimeout(() => void this.probe(), this.retryMs);
    this.probeTimer.unref();
  }

  private async probe(): Promise<void> {
    if (this.ended) return;
    try {
      await this.readPosition();
      this.serving = true;
      this.log.info({ replica: this.index }, 'a read replica answers again: back in rotation');
    } catch {
      this.scheduleProbe();
    }
  }

  private async readPosition(): Promise<true> {
    const r = await this.pool.query<{ lsn: string | null }>('select pg_last_wal_replay_lsn()::text as lsn');
    const lsn = parseLsn(r.rows[0]?.lsn);
    this.notStandby = lsn === undefined;
    if (lsn !== undefined && lsn > this.replayedLsn) this.replayedLsn = lsn;
    return true;
  }

  /**
   * Refreshes the replay position, waiting at most `ms`; concurrent callers share one query.
   * False when the replica did not answer in time. A connection fault takes it out of rotation.
   */
  async refresh(ms: number): Promise<boolean> {
    this.inflight ??= this.readPosition()
      .catch((err: unknown) => {
        if (classifyDbError(err) === 'DATABASE_UNAVAILABLE') this.markDown(err);
        return false;
      })
      .finally(() => {
        this.inflight = undefined;
      });
    return (await within(this.inflight, ms)) ?? false;
  }

  /** The replay position for /metrics (undefined: down, not a standby, or no answer in `ms`). */
  async position(ms: number): Promise<bigint | undefined> {
    if (!this.serving || !(await this.refresh(ms))) return undefined;
    return !this.notStandby && this.replayedLsn > 0n ? this.replayedLsn : undefined;
  }

  /** True once this replica has replayed `lsn`; waits until `deadline` (epoch ms) at most. */
  async waitFor(lsn: bigint, deadline: number): Promise<boolean> {
    for (;;) {
      if (this.replayedLsn >= lsn) return true;
      const left = deadline - Date.now();
      if (left <= 0 || !this.serving) return false;
      await this.refresh(left);
      if (this.replayedLsn >= lsn) return true;
      // Not a standby (e.g. the primary itself): its position says nothing, so no waiting.
      if (this.notStandby || !this.serving) return false;
      const rest = deadline - Date.now();
      if (rest <= 0) return false;
      await sleep(Math.min(POLL_INTERVAL_MS, rest));
    }
  }

  async end(): Promise<void> {
    this.ended = true;
    clearTimeout(this.probeTimer);
    await this.pool.end();
  }
}
