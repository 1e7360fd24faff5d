// How many orders each day of the window gets: growth over the window (the last month has about
// 2.2x the orders of the first), busier weekends, quieter Spring Festival weeks, a busier National
// Day week. The counts add up to exactly the requested total.
import { WINDOW_DAYS, dayIndex, weekday } from './calendar';

const HOLIDAYS: Array<{ from: string; to: string; factor: number }> = [
  { from: '2025-01-28', to: '2025-02-04', factor: 0.7 }, // Spring Festival 2025
  { from: '2026-02-15', to: '2026-02-23', factor: 0.7 }, // Spring Festival 2026
  { from: '2025-10-01', to: '2025-10-08', factor: 1.15 }, // National Day 2025
  { from: '2026-10-01', to: '2026-10-07', factor: 1.15 }, // National Day 2026
];

/** Relative order volume of each day. */
export function dailyWeights(): Float64Array {
  const w = new Float64Array(WINDOW_DAYS);
  for (let d = 0; d < WINDOW_DAYS; d++) {
    const wd = weekday(d);
    w[d] = (1 + (1.2 * d) / (WINDOW_DAYS - 1)) * (wd === 0 || wd === 6 ? 1.12 : 0.97);
  }
  for (const h of HOLIDAYS) {
    for (let d = Math.max(0, dayIndex(h.from)); d <= Math.min(WINDOW_DAYS - 1, dayIndex(h.to)); d++) w[d]! *= h.factor;
  }
  return w;
}

/** Whole orders per day, summing to `total` (cumulative rounding). */
export function dailyOrderCounts(total: number): Int32Array {
  const w = dailyWeights();
  let sum = 0;
  for (const x of w) sum += x;
  const counts = new Int32Array(WINDOW_DAYS);
  let acc = 0;
  let placed = 0;
  for (let d = 0; d < WINDOW_DAYS; d++) {
    acc += w[d]!;
    const upTo = d === WINDOW_DAYS - 1 ? total : Math.round((total * acc) / sum);
    counts[d] = upTo - placed;
    placed = upTo;
  }
  return counts;
}

/** Share of orders placed online on a day: 12% at the start of the window, 30% at its end. */
export function onlineShare(day: number): number {
  return 0.12 + (0.18 * day) / (WINDOW_DAYS - 1);
}
