// Generalisations for ANONYMIZED values: pure functions, no secrets.

/** 10-year age band of a birth date on a given day: "30-39". */
export function ageBand(birthDate: string, today: Date = new Date()): string {
  const [y, m, d] = birthDate.split('-').map(Number);
  let age = today.getUTCFullYear() - y;
  const beforeBirthday = today.getUTCMonth() + 1 < m || (today.getUTCMonth() + 1 === m && today.getUTCDate() < d);
  if (beforeBirthday) age--;
  const low = Math.floor(Math.max(age, 0) / 10) * 10;
  return `${low}-${low + 9}`;
}

/**
 * SQL for the same band over a date expression: the age on today's UTC date, below 0 counted as
 * 0. Callers filter and sort on it (`ageBand`), and the compiled path applies the transform with it.
 */
export function ageBandSql(date: string): string {
  const low = `(greatest(extract(year from age((now() at time zone 'UTC')::date, (${date})::date))::int, 0) / 10 * 10)`;
  return `(${low}::text || '-' || (${low} + 9)::text)`;
}

/** The band of the row's birth date; `{t}` is the row alias. */
export const AGE_BAND_SQL = ageBandSql('{t}."birth_date"');
