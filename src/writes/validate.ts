// Input checks every mutation shares; each failure names the input field at fault.
import { invalid } from './errors';

const SLUG_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export function text(field: string, value: string | null | undefined, opts: { max?: number; required?: boolean } = {}): string | undefined {
  if (value === undefined || value === null) {
    if (opts.required) throw invalid(field, `${field} is required`);
    return undefined;
  }
  const v = value.trim();
  if (opts.required && v === '') throw invalid(field, `${field} must not be empty`);
  if (v.length > (opts.max ?? 500)) throw invalid(field, `${field} must be at most ${opts.max ?? 500} characters`);
  return v;
}

export function slug(field: string, value: string): string {
  const v = value.trim();
  if (!SLUG_RE.test(v) || v.length > 80) throw invalid(field, `${field} must be lowercase letters, digits and single dashes (at most 80), e.g. "shenzhou-zuche"`);
  return v;
}

export function range(field: string, value: number | string | null | undefined, min: number, max: number): void {
  if (value === undefined || value === null) return;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw invalid(field, `${field} must be from ${min} to ${max}, got ${String(value)}`);
}

export function list(field: string, values: string[] | null | undefined, opts: { max?: number } = {}): string[] | undefined {
  if (values === undefined || values === null) return undefined;
  const max = opts.max ?? 500;
  if (values.length > max) throw invalid(field, `${field} takes at most ${max} entries`);
  const out = values.map((v) => v.trim());
  if (out.some((v) => v === '' || v.length > 100)) throw invalid(field, `${field} entries must be 1 to 100 characters`);
  return [...new Set(out)];
}

/** "YYYY-MM-DD" + days, as a date string. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
