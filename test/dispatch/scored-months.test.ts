// The months allocation scores partners over, computed in the server: the same as PostgreSQL
// computes them in the business time zone, at month and year boundaries too.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoredMonths } from '../../src/modules/dispatch/allocation';
import { BUSINESS_TIME_ZONE } from '../../src/metrics/settlements/settlement.sql';
import { useTestDatabase } from '../setup/database';

let pool: pg.Pool;
beforeAll(async () => {
  pool = new pg.Pool({ connectionString: await useTestDatabase(), max: 1 });
});
afterAll(async () => {
  await pool.end();
});

describe('scoredMonths', () => {
  it('gives the first days of the third and the last month before, as PostgreSQL does', async () => {
    const instants = ['2026-11-30T15:59:59Z', '2026-11-30T16:00:00Z', '2026-01-15T12:00:00Z', '2025-12-31T16:30:00Z', '2024-03-01T00:00:00Z', '2026-12-04T18:00:00Z'];
    for (const at of instants) {
      const { rows } = await pool.query<{ from: string; to: string }>(
        `select to_char(date_trunc('month', $1::timestamptz at time zone $2::text) - interval '3 months', 'YYYY-MM-DD') as "from",
                to_char(date_trunc('month', $1::timestamptz at time zone $2::text) - interval '1 month', 'YYYY-MM-DD') as "to"`,
        [at, BUSINESS_TIME_ZONE],
      );
      expect(scoredMonths(new Date(at)), at).toEqual(rows[0]);
    }
    // 16:00 UTC on 30 November is already 1 December in Shanghai.
    expect(scoredMonths(new Date('2026-11-30T16:00:00Z'))).toEqual({ from: '2026-09-01', to: '2026-11-01' });
    expect(scoredMonths(new Date('2026-01-15T12:00:00Z'))).toEqual({ from: '2025-10-01', to: '2025-12-01' });
  });
});
