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

/** SQL for the same band, so callers can filter and sort on it; `{t}` is the row alias. */
export const AGE_BAND_SQL =
  "((floor(extract(year from age(current_date, {t}.\"birth_date\")) / 10) * 10)::int || '-' || " +
  '((floor(extract(year from age(current_date, {t}."birth_date")) / 10) * 10)::int + 9))';
