// Candidate ranking per capability gap (src/metrics/screening) on hand-built candidates.
import { beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { candidateRanking } from '../../src/metrics/screening/screening.service';
import { Role } from '../../src/permissions/tier';
import { context, migratedDatabase, run, testConfig } from './fixtures';

let pool: pg.Pool;

// Default weights: quality 0.40, coverage 0.25, cost 0.20, integration 0.15.
//   CHARGING  c-b 80/90/80/70   -> 32 + 22.5 + 16 + 10.5 = 81.00   rank 1
//             c-c 70/70/100/100 -> 28 + 17.5 + 20 + 15   = 80.50   rank 2
//             c-0 100/64/70/60  -> 40 + 16   + 14 + 9    = 79.00   rank 3 (tie with c-a: slug first)
//             c-a 90/80/70/60   -> 36 + 20   + 14 + 9    = 79.00   rank 4
//   MAPS      m-x 50/50/50/50   -> 50.00 rank 1
//             m-y 60/40/40/40   -> 24 + 10 + 8 + 6 = 48.00 rank 2
const CANDIDATES: Array<[string, string, number, number, number, number]> = [
  ['c-a', 'CHARGING', 90, 80, 70, 60],
  ['c-b', 'CHARGING', 80, 90, 80, 70],
  ['c-c', 'CHARGING', 70, 70, 100, 100],
  ['c-0', 'CHARGING', 100, 64, 70, 60],
  ['m-x', 'MAPS', 50, 50, 50, 50],
  ['m-y', 'MAPS', 60, 40, 40, 40],
];

beforeAll(async () => {
  pool = await migratedDatabase();
  for (const [slug, gap, q, cov, cost, int] of CANDIDATES) {
    await pool.query(
      `insert into candidate_partner (slug, name, category, industry, capability_gap, cities, service_quality, coverage, cost, integration)
       values ($1, $1, 'RESOURCE_SHARING', 'test', $2, '{Shanghai}', $3, $4, $5, $6)`,
      [slug, gap, q, cov, cost, int],
    );
  }
});

describe('candidate screening', () => {
  it('ranks candidates within each gap by the weighted score, ties by slug', async () => {
    const rows = await candidateRanking(context(pool, Role.ADMIN));
    expect(rows.map((r) => [r.capabilityGap, r.rank, r.slug, r.score, r.candidatesInGap])).toEqual([
      ['CHARGING', 1, 'c-b', '81.00', 4],
      ['CHARGING', 2, 'c-c', '80.50', 4],
      ['CHARGING', 3, 'c-0', '79.00', 4],
      ['CHARGING', 4, 'c-a', '79.00', 4],
      ['MAPS', 1, 'm-x', '50.00', 2],
      ['MAPS', 2, 'm-y', '48.00', 2],
    ]);
    expect(rows[0]).toMatchObject({ serviceQuality: '80.00', coverage: '90.00', cost: '80.00', integration: '70.00', category: 'RESOURCE_SHARING' });
  });

  it('keeps the ranks of a gap when filtering on it', async () => {
    const rows = await candidateRanking(context(pool, Role.ADMIN), 'MAPS');
    expect(rows.map((r) => [r.slug, r.rank])).toEqual([['m-x', 1], ['m-y', 2]]);
    expect(await candidateRanking(context(pool, Role.ADMIN), 'NO_SUCH_GAP')).toEqual([]);
  });

  it('uses the configured weights', async () => {
    // quality 0.1, coverage 0.1, cost 0.4, integration 0.4:
    //   c-c 7 + 7 + 40 + 40 = 94.00; c-b 8 + 9 + 32 + 28 = 77.00; c-a 9 + 8 + 28 + 24 = 69.00; c-0 10 + 6.4 + 28 + 24 = 68.40
    const config = testConfig({ SCREENING_WEIGHT_QUALITY: '0.1', SCREENING_WEIGHT_COVERAGE: '0.1', SCREENING_WEIGHT_COST: '0.4', SCREENING_WEIGHT_INTEGRATION: '0.4' });
    const rows = await candidateRanking(context(pool, Role.ADMIN, { config }), 'CHARGING');
    expect(rows.map((r) => [r.slug, r.score])).toEqual([['c-c', '94.00'], ['c-b', '77.00'], ['c-a', '69.00'], ['c-0', '68.40']]);
  });

  it('is served to internal roles only', async () => {
    const source = '{ candidateRanking(capabilityGap: "MAPS") { rank slug score } }';
    const analyst = await run({ source, contextValue: context(pool, Role.ANALYST) });
    expect(analyst.errors).toBeUndefined();
    expect((analyst.data as any).candidateRanking).toEqual([{ rank: 1, slug: 'm-x', score: '50.00' }, { rank: 2, slug: 'm-y', score: '48.00' }]);
    const partner = await run({ source, contextValue: context(pool, Role.PARTNER, { partnerId: 1 }) });
    expect(partner.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
