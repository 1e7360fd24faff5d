// The fixed synthetic window: 24 whole months, 2024-11-01 to 2026-10-31 inclusive, in China
// Standard Time (UTC+8, no daylight saving). It does not depend on today, so the same seed gives
// the same rows whenever it runs. "Now" for the synthetic world is the end of the window.
import { BUSINESS_TIME_ZONE } from '../../src/metrics/settlements/settlement.sql';

export { BUSINESS_TIME_ZONE };

export const WINDOW_START = '2024-11-01';
export const WINDOW_END = '2026-10-31';
export const WINDOW_MONTHS = 24;
/** Agreements of founding partners start two years before the window. */
export const FOUNDING_DATE = '2022-11-01';

const OFFSET_MS = 8 * 3600_000; // Asia/Shanghai is UTC+8 all year
const DAY_MS = 86_400_000;

/** Epoch ms of local midnight (UTC+8) of a YYYY-MM-DD date. */
export function localMidnightMs(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) - OFFSET_MS;
}

export const WINDOW_START_MS = localMidnightMs(WINDOW_START);
/** Exclusive end: local midnight after the last day. */
export const WINDOW_END_MS = localMidnightMs(WINDOW_END) + DAY_MS;
export const WINDOW_DAYS = Math.round((WINDOW_END_MS - WINDOW_START_MS) / DAY_MS);

/** First day (index from the window start) of each month, plus the end sentinel. */
export const MONTH_START_DAY: number[] = (() => {
  const days: number[] = [];
  for (let m = 0; m <= WINDOW_MONTHS; m++) {
    const ms = Date.UTC(2024, 10 + m, 1) - OFFSET_MS;
    days.push(Math.round((ms - WINDOW_START_MS) / DAY_MS));
  }
  return days;
})();

/** Month index (0..23) of each day of the window. */
export const MONTH_OF_DAY: Uint8Array = (() => {
  const out = new Uint8Array(WINDOW_DAYS);
  for (let m = 0; m < WINDOW_MONTHS; m++) {
    for (let d = MONTH_START_DAY[m]!; d < MONTH_START_DAY[m + 1]!; d++) out[d] = m;
  }
  return out;
})();

/** 'YYYY-MM-01' of a month index of the window. */
export function monthDate(m: number): string {
  const d = new Date(Date.UTC(2024, 10 + m, 1));
  return d.toISOString().slice(0, 10);
}

/** Local (UTC+8) calendar date of a day index relative to the window start (may be negative). */
export function dayDate(day: number): string {
  return new Date(WINDOW_START_MS + OFFSET_MS + day * DAY_MS).toISOString().slice(0, 10);
}

/** Day index of a local date relative to the window start. */
export function dayIndex(date: string): number {
  return Math.round((localMidnightMs(date) - WINDOW_START_MS) / DAY_MS);
}

/** Weekday (0 = Sunday) of a day index. */
export function weekday(day: number): number {
  return new Date(WINDOW_START_MS + OFFSET_MS + day * DAY_MS).getUTCDay();
}

/** Timestamp text for COPY (UTC, whole seconds), e.g. 2025-03-01 04:05:06+00. */
export function timestampText(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2025-03-01T04:05:06.000Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}+00`;
}

export { DAY_MS };
