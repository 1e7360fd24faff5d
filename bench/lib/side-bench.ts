// What the side benchmarks (feed.ts, dispatch.ts) share: numeric flags, a log prefix, and the
// percentile and rounding their reports use.

/** `--name N` from the command line, or the default. */
export function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

/** A logger prefixed with the bench's name and the time of day. */
export function logger(name: string): (line: string) => void {
  return (line) => console.log(`[${name} ${new Date().toISOString().slice(11, 19)}] ${line}`);
}

/** The p-th percentile (nearest rank) of the values; NaN without values. */
export function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
}

/** One decimal. */
export const r1 = (n: number) => Math.round(n * 10) / 10;
