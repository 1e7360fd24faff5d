// Files the user downloads from a page (CSV of a table or chart, PNG of a chart, a ledger
// extract), built in the browser from data already on screen.

/** RFC 4180 CSV: every value quoted when needed, CRLF line ends, a header row. */
export function toCsv(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cell = (v: unknown): string => {
    if (v === null || v === undefined) return '';
    const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
    // A leading = + - @ would be read as a formula by spreadsheets.
    const safe = /^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return [columns, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** Flattens a list of objects into columns (nested objects as dotted paths). */
export function objectsToCsv(items: readonly Record<string, unknown>[]): string {
  const flat = items.map((item) => flatten(item));
  const columns: string[] = [];
  for (const row of flat) for (const k of Object.keys(row)) if (!columns.includes(k)) columns.push(k);
  return toCsv(columns, flat.map((row) => columns.map((c) => row[c])));
}

function flatten(value: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [k, v] of Object.entries(value)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, key, out);
    else out[key] = v;
  }
  return out;
}

export function downloadBlob(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  // A BOM so spreadsheet programs read the CSV as UTF-8.
  downloadBlob(filename, new Blob([type.startsWith('text/csv') ? '\ufeff' : '', text], { type }));
}

/** A data: URL (e.g. ECharts' getDataURL) saved as a file. */
export function downloadDataUrl(filename: string, dataUrl: string): void {
  const a = document.createElement('a');
  a.href = dataUrl;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
}
