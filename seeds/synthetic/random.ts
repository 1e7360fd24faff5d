// A seeded pseudo-random generator (mulberry32) and helpers. The synthetic data must be a pure
// function of (seed, size), so nothing here reads the clock or Math.random, and the helpers use
// only arithmetic whose result IEEE 754 fixes exactly (no Math.log/exp/sin/pow).

/** 32-bit FNV-1a over the parts, then a final avalanche: independent sub-streams by label. */
export function hashSeed(...parts: Array<string | number>): number {
  let h = 0x811c9dc5;
  const text = parts.join('\u0001');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** An independent generator for a labelled purpose: stream(seed, 'customers'). */
  static stream(seed: number, ...labels: Array<string | number>): Rng {
    return new Rng(hashSeed(seed, ...labels));
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Real number in [min, max). */
  range(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Index drawn with the given (non-negative, not all zero) weights. */
  weightedIndex(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let u = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i]!;
      if (u < 0) return i;
    }
    return weights.length - 1;
  }

  weighted<T>(items: readonly T[], weight: (item: T) => number): T {
    return items[this.weightedIndex(items.map(weight))]!;
  }

  /** Approximately standard normal (Irwin-Hall with 4 uniforms, scaled to sd 1; |x| < 3.47). */
  normal(): number {
    return (this.next() + this.next() + this.next() + this.next() - 2) * 1.7320508075688772;
  }

  /** Fisher-Yates, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp;
    }
    return items;
  }

  /** k distinct items, in the order of the original list. */
  sample<T>(items: readonly T[], k: number): T[] {
    const idx = this.shuffle(items.map((_, i) => i)).slice(0, Math.min(k, items.length));
    idx.sort((a, b) => a - b);
    return idx.map((i) => items[i]!);
  }
}

/** Cumulative weights for repeated draws with binary search. */
export class Cumulative {
  readonly cum: Float64Array;
  readonly total: number;

  constructor(weights: ArrayLike<number>) {
    this.cum = new Float64Array(weights.length);
    let acc = 0;
    for (let i = 0; i < weights.length; i++) {
      acc += weights[i]!;
      this.cum[i] = acc;
    }
    this.total = acc;
  }

  /** Index for a uniform u in [0, 1). */
  index(u: number): number {
    const target = u * this.total;
    const cum = this.cum;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
