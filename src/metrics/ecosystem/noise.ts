// Differentially private ecosystem figures for partners (the Laplace mechanism with bounded
// contributions, as BigQuery's differentially private aggregation does it).
//
// The unit protected is one customer's data of one month: every order the customer placed in
// the month, with its rating, complaints and SLA outcome. The rollups (src/metrics/rollups/
// refresh.ts, dp_* columns) bound what that unit can move: at most C = DP_MAX_ORDERS_PER_
// CUSTOMER_MONTH orders count (the customer's first of the month by created_at, id), each order's
// amount at most M = DP_MAX_ORDER_AMOUNT, each order's complaints once. So in one grouping of one
// month, where every order falls in exactly one group, adding or removing the customer changes the
// vector of all groups' values by at most (L1) C for a count, C x 5 for the sum of ratings and
// C x M for GMV.
//
// What a partner can ever see of one month: for each of the G = 6 groupings a partner may ask for
// (TOTAL, CATEGORY, CITY, SERVICE_TYPE, QUALITY_TIER, CHANNEL; by PARTNER it sees its own partner
// only, exactly) each of the F = 9 bounded figures below, once per group. Every (grouping, figure)
// pair is a Laplace mechanism with scale b = sensitivity x G x F / epsilon, i.e. epsilon / (G x F)
// -DP; by sequential composition over the G x F pairs (and parallel composition over the disjoint
// groups of a grouping) the whole set is epsilon-DP per customer and month, epsilon being the
// privacy_epsilon of the partner's agreement. Quarters and years are not drawn again: they are the
// sums of their months' noisy values (post-processing, no further privacy cost), so months add up
// to quarters and quarters to years, and their noise is a sum of 3 or 12 monthly draws. Ratios are
// computed from the noisy numerator and denominator (post-processing as well).
//
// The noise is deterministic: a uniform from an HMAC (key derived from the server secret and the
// partner) over the cell (dimension, key, month), the figure, epsilon and the cell's true bounded
// value, through the Laplace inverse CDF. Asking again gives the same answer (averaging repeated
// answers gains nothing), two partners get independent noise, and a cell whose data changes gets a
// fresh draw (the difference of two answers never reveals an exact change; each distinct state of a
// month is a separate release, see docs/metrics.md).
//
// Not covered by epsilon: the decision to suppress a group (fewer than MIN_GROUP_SIZE distinct
// customers, on the exact data) and which keys exist, as before.
import crypto from 'node:crypto';
import { MetricDimension } from './metrics.enums';

/** The groupings a partner sees noisy figures of (PARTNER: its own figures, exact). */
export const NOISY_GROUPINGS = [
  MetricDimension.TOTAL,
  MetricDimension.CATEGORY,
  MetricDimension.CITY,
  MetricDimension.SERVICE_TYPE,
  MetricDimension.QUALITY_TIER,
  MetricDimension.CHANNEL,
] as const;

/** The bounded figures, as the dp_* columns of the rollups name them. */
export const NOISY_FIGURES = ['orders', 'fulfilled', 'gmv_minor', 'online_orders', 'complaints', 'rating_sum', 'rating_count', 'sla_answered', 'sla_breaches'] as const;
export type NoisyFigure = (typeof NOISY_FIGURES)[number];

export interface DpBounds {
  maxOrdersPerCustomerMonth: number;
  maxOrderAmountMinor: number;
}

/** How much one customer's month moves the figure, summed over the groups of one grouping. */
export function sensitivity(f: NoisyFigure, b: DpBounds): number {
  if (f === 'gmv_minor') return b.maxOrdersPerCustomerMonth * b.maxOrderAmountMinor;
  if (f === 'rating_sum') return b.maxOrdersPerCustomerMonth * 5;
  return b.maxOrdersPerCustomerMonth;
}

/** The Laplace scale of one monthly draw of the figure (in its unit: orders, minor units, rating points). */
export function laplaceScale(f: NoisyFigure, b: DpBounds, epsilon: number): number {
  return (sensitivity(f, b) * NOISY_GROUPINGS.length * NOISY_FIGURES.length) / epsilon;
}

/**
 * Half-width of the central interval of a sum of `draws` independent Laplace(1) draws, at 95% or
 * 97.5% (ratios combine two 97.5% intervals). Computed by numerical convolution (1: ln 20 and ln 40
 * exactly), rounded up; other counts fall back to Chebyshev, which is wider.
 */
const HALF_WIDTH: Record<number, [number, number]> = { 1: [2.9958, 3.6889], 3: [4.98, 5.9], 12: [9.72, 11.24] };
export function halfWidth(draws: number, level: 0.95 | 0.975): number {
  const known = HALF_WIDTH[draws];
  if (known) return level === 0.95 ? known[0] : known[1];
  return Math.sqrt(2 * draws) / Math.sqrt(1 - level);
}

/** One partner's deterministic noise. */
export class NoiseSource {
  private readonly key: Buffer;
  constructor(
    secret: string,
    private readonly partnerId: number,
    readonly epsilon: number,
  ) {
    this.key = Buffer.from(crypto.hkdfSync('sha256', secret, 'ecograph-dp-noise-v1', `partner\u0000${partnerId}`, 32));
  }

  /** A uniform in (0, 1) from the HMAC of the cell, figure, epsilon and true value. */
  uniform(dimension: string, key: string, month: string, figure: NoisyFigure, trueValue: string): number {
    const msg = [this.partnerId, 'MONTH', dimension, key, month, figure, this.epsilon, trueValue].join('\u0000');
    const mac = crypto.createHmac('sha256', this.key).update(msg).digest();
    const bits = mac.readBigUInt64BE(0) >> 11n; // 53 bits
    return (Number(bits) + 0.5) / 2 ** 53;
  }

  /** Laplace(0, scale) for the cell, by the inverse CDF. */
  laplace(scale: number, dimension: string, key: string, month: string, figure: NoisyFigure, trueValue: string): number {
    const v = this.uniform(dimension, key, month, figure, trueValue) - 0.5;
    return -scale * Math.sign(v) * Math.log(1 - 2 * Math.abs(v));
  }
}

/** A noisy sum: its unclamped value, the scale of each draw and how many draws it sums. */
export interface Noisy {
  value: number;
  scale: number;
  draws: number;
}

export interface Interval {
  low: number;
  high: number | null;
}

/** Where the true (bounded) value lies with the given confidence; never below `floor`. */
export function interval(n: Noisy, level: 0.95 | 0.975, floor = 0): Interval {
  const h = halfWidth(n.draws, level) * n.scale;
  return { low: Math.max(floor, n.value - h), high: Math.max(floor, n.value + h) };
}

/**
 * A ratio num / den of two noisy sums, within [min, max]: the interval holds both the numerator's
 * and the denominator's 97.5% intervals (so with at least 95% confidence, Bonferroni): from the
 * lowest numerator over the highest denominator to the highest over the lowest (unbounded, i.e.
 * `max`, when the lowest denominator is 0). `shown` is the ratio of the shown (rounded, clamped)
 * values, or null when the shown denominator is 0.
 */
export function ratioInterval(num: Noisy, den: Noisy, shown: number, min: number, max: number | null): Interval {
  const n = interval(num, 0.975);
  const d = interval(den, 0.975);
  const clamp = (x: number) => Math.max(min, max === null ? x : Math.min(max, x));
  const low = d.high! > 0 ? clamp(n.low / d.high!) : min;
  const high = d.low > 0 ? clamp(n.high! / d.low) : max;
  return { low: Math.min(low, shown), high: high === null ? null : Math.max(high, shown) };
}
