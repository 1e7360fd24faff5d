// Where quota budgets are counted: fixed windows per key, one per minute and one per UTC day
// (epoch minutes and epoch days, so every replica agrees on the windows as long as their
// clocks do). A take either fits both budgets and is counted in both, or is refused and
// counted in neither.

/** Budgets in cost units; null: unlimited. */
export interface QuotaLimits {
  perMinute: number | null;
  perDay: number | null;
}

export interface TakeResult {
  allowed: boolean;
  /** The budget that refused the take (the daily one when both would). */
  refusedBy?: 'minute' | 'day';
  /** Units left in the current minute (after this take); null when there is no per-minute limit. */
  remainingMinute: number | null;
  /** Units left today (UTC, after this take); null when there is no daily limit. */
  remainingDay: number | null;
  /** Seconds until the current minute window ends. */
  minuteResetSeconds: number;
  /** Seconds until the current day window ends (00:00 UTC). */
  dayResetSeconds: number;
  /** When refused: seconds until the refusing window ends; 0 when allowed. */
  retryAfterSeconds: number;
}

export interface QuotaStore {
  /** Counts `cost` units for `key` if they fit its limits at `now` (ms since the epoch). */
  take(key: string, cost: number, limits: QuotaLimits, now: number): Promise<TakeResult>;
  close(): Promise<void>;
}

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

export interface Windows {
  minute: number;
  day: number;
  minuteResetSeconds: number;
  dayResetSeconds: number;
}

export function windowsAt(now: number): Windows {
  const minute = Math.floor(now / MINUTE_MS);
  const day = Math.floor(now / DAY_MS);
  return {
    minute,
    day,
    minuteResetSeconds: Math.max(1, Math.ceil(((minute + 1) * MINUTE_MS - now) / 1000)),
    dayResetSeconds: Math.max(1, Math.ceil(((day + 1) * DAY_MS - now) / 1000)),
  };
}

/** The result of a take from the units used after it (or, when refused, still used). */
export function takeResult(refused: 0 | 1 | 2, usedMinute: number, usedDay: number, limits: QuotaLimits, w: Windows): TakeResult {
  const refusedBy = refused === 2 ? 'day' : refused === 1 ? 'minute' : undefined;
  return {
    allowed: refused === 0,
    refusedBy,
    remainingMinute: limits.perMinute === null ? null : Math.max(0, limits.perMinute - usedMinute),
    remainingDay: limits.perDay === null ? null : Math.max(0, limits.perDay - usedDay),
    minuteResetSeconds: w.minuteResetSeconds,
    dayResetSeconds: w.dayResetSeconds,
    retryAfterSeconds: refusedBy === 'day' ? w.dayResetSeconds : refusedBy === 'minute' ? w.minuteResetSeconds : 0,
  };
}

interface Counter {
  window: number;
  used: number;
}

/** One process's own counters: the default, and the fallback while Redis is unreachable. */
export class MemoryQuotaStore implements QuotaStore {
  private readonly counters = new Map<string, Counter>();

  private counter(name: string, window: number): Counter {
    let c = this.counters.get(name);
    if (!c || c.window !== window) {
      c = { window, used: 0 };
      this.counters.set(name, c);
    }
    return c;
  }

  async take(key: string, cost: number, limits: QuotaLimits, now: number): Promise<TakeResult> {
    const w = windowsAt(now);
    const m = this.counter(`${key}:m`, w.minute);
    const d = this.counter(`${key}:d`, w.day);
    const refused = limits.perDay !== null && d.used + cost > limits.perDay ? 2 : limits.perMinute !== null && m.used + cost > limits.perMinute ? 1 : 0;
    if (refused === 0) {
      m.used += cost;
      d.used += cost;
    }
    return takeResult(refused, m.used, d.used, limits, w);
  }

  async close(): Promise<void> {
    this.counters.clear();
  }
}
