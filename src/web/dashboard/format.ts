// How the dashboard writes numbers, money and enum keys. Money arrives as decimal strings and is
// summed as integer cents, so totals are exact.

/** "YELLOW_CARD" → "Yellow card"; "ECOSYSTEM_CO_BUILDING" → "Ecosystem co-building". */
export function humanize(key: string | null | undefined): string {
  const text = String(key ?? '')
    .toLowerCase()
    .replace(/_/g, ' ')
    .replace(/\bco (creation|building)\b/g, 'co-$1');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** For the few places ECharts takes HTML (tooltips). */
export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A Money decimal string ("1234.50") as integer cents, exactly; null stays null. */
export function cents(money: string | number | null | undefined): number | null {
  if (money === null || money === undefined) return null;
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(String(money));
  if (!m) {
    const n = Number(money);
    return Number.isFinite(n) ? Math.round(n * 100) : null;
  }
  const v = Number(m[2]) * 100 + Number(`${m[3] ?? ''}00`.slice(0, 2));
  return m[1] ? -v : v;
}

export function yuan(money: string | number | null | undefined): number | null {
  const c = cents(money);
  return c === null ? null : c / 100;
}

export function num(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

export const NF0 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
export const NF1 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
export const NF2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

const DASH = '\u2013';

export function cny(v: number | null | undefined): string {
  return v === null || v === undefined || Number.isNaN(v) ? DASH : `CNY ${NF2.format(v)}`;
}

/** Axis labels: ¥1.2M, ¥35k. */
export function cnyShort(v: number): string {
  const a = Math.abs(v);
  const sign = v < 0 ? '-' : '';
  if (a >= 1e9) return `${sign}\u00a5${NF1.format(a / 1e9)}B`;
  if (a >= 1e6) return `${sign}\u00a5${NF1.format(a / 1e6)}M`;
  if (a >= 1e3) return `${sign}\u00a5${NF0.format(a / 1e3)}k`;
  return `${sign}\u00a5${NF0.format(a)}`;
}

export function pct(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || Number.isNaN(v) ? DASH : `${v > 0 ? '+' : ''}${v.toFixed(digits)}%`;
}

/** A 0-1 share as "12.3%". */
export function share(v: number | null): string {
  return v === null ? DASH : `${NF1.format(v * 100)}%`;
}
