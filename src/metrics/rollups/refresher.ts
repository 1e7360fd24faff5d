// Keeps the rollups current in the background: every interval, recompute what triggers marked
// stale. One run at a time; errors are logged and retried at the next tick.
import type pg from 'pg';
import type { Logger } from '../../server/logger';
import { refreshStale } from './refresh';

export class RollupRefresher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly log: Logger,
    private readonly intervalMs: number,
    /** Called after months were recomputed (the metrics cache of this process empties at once). */
    private readonly onRefreshed: (months: string[]) => void = () => undefined,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs);
    this.timer.unref();
  }

  /** Refresh now (and wait); used at start-up and by tests. */
  runOnce(): Promise<void> {
    this.running ??= (async () => {
      const started = Date.now();
      try {
        const months = await refreshStale(this.pool);
        if (months.length > 0) {
          this.onRefreshed(months);
          this.log.info({ months: months.length, ms: Date.now() - started }, 'rollups refreshed');
        }
      } catch (err) {
        this.log.warn({ err: (err as Error).message }, 'rollup refresh failed; will retry');
      }
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
