import { GraphQLError } from 'graphql';
import { addPeriod, truncate, type Granularity } from '../rollups/refresh';

export function periodLabel(start: string, g: Granularity): string {
  const [y, m] = start.split('-').map(Number);
  if (g === 'YEAR') return String(y);
  if (g === 'QUARTER') return `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
  return `${y}-${String(m).padStart(2, '0')}`;
}

/** Period starts from the one containing `from` up to the one containing the day before `to`. */
export function periodsBetween(from: string, to: string, g: Granularity): string[] {
  if (!(from < to)) {
    throw new GraphQLError('`from` must be before `to`', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  const out: string[] = [];
  for (let p = truncate(from, g); p < to; p = addPeriod(p, g)) {
    out.push(p);
    if (out.length > 600) throw new GraphQLError('The range is too long for this granularity', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return out;
}
