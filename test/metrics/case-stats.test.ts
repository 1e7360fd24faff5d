// Collaboration-case aggregates and indicator series (src/metrics/cases) on the reference data
// transcribed from the research report (seeds/reference), loaded into an empty database.
import { beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { referenceCases, referenceIndicators } from '../../seeds/reference/cases.data';
import { loadReference } from '../../seeds/reference/load-reference';
import { collaborationCaseStats, indicatorSeries } from '../../src/metrics/cases/case-stats.service';
import { Role } from '../../src/permissions/tier';
import { context, migratedDatabase, run } from './fixtures';

let pool: pg.Pool;

beforeAll(async () => {
  pool = await migratedDatabase();
  const client = await pool.connect();
  try {
    await loadReference(client);
  } finally {
    client.release();
  }
});

describe('collaboration case stats', () => {
  it('count the cases per model with their share', async () => {
    // 21 cases: 11 resource-complementary (11/21 = 52.38%), 5 technology-driven, 5 ecosystem co-building (23.81% each)
    const stats = await collaborationCaseStats(context(pool, Role.DASHBOARD));
    expect(stats.totalCases).toBe(21);
    expect(stats.byModel).toEqual([
      { model: 'RESOURCE_COMPLEMENTARY', caseCount: 11, sharePct: '52.38' },
      { model: 'TECHNOLOGY_DRIVEN', caseCount: 5, sharePct: '23.81' },
      { model: 'ECOSYSTEM_CO_BUILDING', caseCount: 5, sharePct: '23.81' },
    ]);
    expect(stats.totalCases).toBe(referenceCases.length);
  });

  it('average the relative uplift per KPI family and model', async () => {
    const stats = await collaborationCaseStats(context(pool, Role.DASHBOARD));
    const get = (family: string, model: string) => stats.uplift.find((u) => u.family === family && u.model === model);
    // SALES x RESOURCE_COMPLEMENTARY: online order share 12 -> 28 = +133.33 (from before/after), average
    // order value +19, Dunhuang merchandise +300, NEV sales +37, online sales +200 (as reported);
    // ARPU 1200 and AOV 68 (after only) are ignored: (133.333 + 19 + 300 + 37 + 200) / 5 = 137.8667
    expect(get('SALES', 'RESOURCE_COMPLEMENTARY')).toEqual({ family: 'SALES', model: 'RESOURCE_COMPLEMENTARY', averageChangePct: '137.87', kpiCount: 5, caseCount: 4 });
    // COST x ECOSYSTEM_CO_BUILDING: spoilage 25% -> 8% = -68, pesticide use -18 (reported): -43
    expect(get('COST', 'ECOSYSTEM_CO_BUILDING')).toMatchObject({ averageChangePct: '-43.00', kpiCount: 2, caseCount: 1 });
    // CONVERSION x TECHNOLOGY_DRIVEN: +28, +35, +40 (reported) = 34.33
    expect(get('CONVERSION', 'TECHNOLOGY_DRIVEN')).toMatchObject({ averageChangePct: '34.33', kpiCount: 3 });
    // No usable KPI: no row.
    expect(get('REACH', 'ECOSYSTEM_CO_BUILDING')).toBeUndefined();

    // Every pair agrees with the rule applied to the data files directly.
    const expected = new Map<string, number[]>();
    for (const c of referenceCases) {
      for (const k of c.kpis) {
        const both = k.valueBefore !== null && k.valueAfter !== null && Number(k.valueBefore) !== 0;
        const change = both ? ((Number(k.valueAfter) - Number(k.valueBefore)) / Number(k.valueBefore)) * 100 : k.reportedChangePct === null ? null : Number(k.reportedChangePct);
        if (change === null) continue;
        const key = `${k.family}/${c.model}`;
        expected.set(key, [...(expected.get(key) ?? []), change]);
      }
    }
    expect(stats.uplift.map((u) => `${u.family}/${u.model}`).sort()).toEqual([...expected.keys()].sort());
    for (const u of stats.uplift) {
      const values = expected.get(`${u.family}/${u.model}`)!;
      expect(u.kpiCount).toBe(values.length);
      expect(Number(u.averageChangePct)).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 2);
    }
  });
});

describe('indicator series', () => {
  it('give one series per slug, in the order asked for, points by year', async () => {
    const series = await indicatorSeries(context(pool, Role.PARTNER, { partnerId: 1 }), ['data-interoperability-rate', 'no-such-indicator', 'collaboration-success-rate']);
    expect(series).toEqual([
      {
        slug: 'data-interoperability-rate',
        name: 'Share of e-commerce companies with data interoperability with logistics, finance, entertainment and other industries',
        unit: '%',
        points: [
          { year: 2024, value: '28', kind: 'ACTUAL', source: '000 2.5.3; 4.4.2' },
          { year: 2025, value: '55', kind: 'FORECAST', source: '000 4.4.2' },
        ],
      },
      {
        slug: 'collaboration-success-rate',
        name: 'Success rate of cross-industry collaboration projects',
        unit: '%',
        points: [
          { year: 2024, value: '47', kind: 'ACTUAL', source: '000 3.3.2; 4.4.2' },
          { year: 2025, value: '65', kind: 'FORECAST', source: '000 4.4.2' },
        ],
      },
    ]);
  });

  it('give every indicator when no slug is given, and nothing for an empty list', async () => {
    const all = await indicatorSeries(context(pool, Role.ADMIN));
    expect(all.map((s) => s.slug)).toEqual([...new Set(referenceIndicators.map((i) => i.slug))].sort());
    expect(all.reduce((n, s) => n + s.points.length, 0)).toBe(referenceIndicators.length);
    expect(await indicatorSeries(context(pool, Role.ADMIN), [])).toEqual([]);
  });

  it('are served to every role over GraphQL', async () => {
    const source = `{
      collaborationCaseStats { totalCases byModel { model caseCount sharePct } uplift { family model averageChangePct } }
      indicatorSeries(slugs: ["collaboration-success-rate"]) { slug points { year value kind } }
    }`;
    for (const role of [Role.ADMIN, Role.ANALYST, Role.DASHBOARD, Role.PARTNER]) {
      const res = await run({ source, contextValue: context(pool, role, { partnerId: 1 }) });
      expect(res.errors, role).toBeUndefined();
      expect((res.data as any).collaborationCaseStats.totalCases, role).toBe(21);
      expect((res.data as any).indicatorSeries[0].points, role).toEqual([
        { year: 2024, value: '47', kind: 'ACTUAL' },
        { year: 2025, value: '65', kind: 'FORECAST' },
      ]);
    }
  });
});
