// How values read on screen: enum names as words, dates without time zones surprises.

/** GOLD -> "Gold", YELLOW_CARD -> "Yellow card". */
export function label(value: string | null | undefined, empty = '–'): string {
  if (!value) return empty;
  const text = value.toLowerCase().replace(/_/g, ' ').replace(/\bco (creation|building)\b/g, 'co-$1');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** An ISO timestamp as "2026-12-04 09:30" in the browser's zone. */
export function dateTime(value: string | null | undefined): string {
  if (!value) return '–';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Today as "YYYY-MM-DD" in the browser's zone (the zone operators work in). */
export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function orDash(value: string | number | null | undefined): string {
  return value === null || value === undefined || value === '' ? '–' : String(value);
}
