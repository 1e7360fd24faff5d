// Months as integers (year * 12 + month - 1), so ranges are plain arithmetic.

export function parseMonth(s: string | null | undefined): number | null {
  const m = /^(\d{4})-(\d{2})$/.exec(String(s ?? ''));
  if (!m) return null;
  const mo = Number(m[2]);
  return mo >= 1 && mo <= 12 ? Number(m[1]) * 12 + mo - 1 : null;
}

/** "2026-03". */
export function monthStr(i: number): string {
  const y = Math.floor(i / 12);
  const m = (i % 12) + 1;
  return `${y}-${m < 10 ? '0' : ''}${m}`;
}

/** "March 2026". */
export function monthName(i: number): string {
  return new Date(Date.UTC(Math.floor(i / 12), i % 12, 1)).toLocaleDateString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** The last whole quarter that ends in or before month i, as "YYYY-Qn". */
export function quarterOf(i: number): string {
  const m = i % 12;
  const end = m % 3 === 2 ? i : i - (m % 3) - 1;
  return `${Math.floor(end / 12)}-Q${Math.floor((end % 12) / 3) + 1}`;
}

/** The month before this one, the default end of the range when there are no settlements. */
export function previousMonthIndex(): number {
  const d = new Date();
  return d.getFullYear() * 12 + d.getMonth() - 1;
}
