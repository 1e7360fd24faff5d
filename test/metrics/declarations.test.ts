// The metrics resolvers follow the project's declaration rules (every field a tier, every root
// field its roles), and their rules run on the seeded dataset in one statement each.
import { beforeAll, describe, expect, it } from 'vitest';
import { isObjectType } from 'graphql';
import type pg from 'pg';
import { createPool } from '../../src/db/pool';
import { rootAccessOf } from '../../src/graphql/root-field';
import { tierInfoOf } from '../../src/permissions/tier-field';
import { Role, Tier } from '../../src/permissions/tier';
import { useTestDatabase } from '../setup/database';
import { context, metricsSchema, run, testConfig } from './fixtures';

describe('metrics declarations', () => {
  const schema = metricsSchema();

  it('give every field of every result type a PUBLIC tier (ecosystem aggregates)', () => {
    const seen: string[] = [];
    for (const t of Object.values(schema.getTypeMap())) {
      if (!isObjectType(t) || t.name.startsWith('__') || t === schema.getQueryType()) continue;
      for (const f of Object.values(t.getFields())) {
        seen.push(`${t.name}.${f.name}`);
        expect(tierInfoOf(f.extensions)?.tier, `${t.name}.${f.name}`).toBe(Tier.PUBLIC);
      }
    }
    expect(seen).toContain('PartnerEvaluation.score');
  });

  it('state who may call every root field', () => {
    const roles = Object.fromEntries(Object.values(schema.getQueryType()!.getFields()).map((f) => [f.name, rootAccessOf(f.extensions)?.roles]));
    const internal = [Role.ADMIN, Role.OPERATOR, Role.ANALYST, Role.DASHBOARD];
    const every = [...internal, Role.PARTNER];
    expect(roles).toEqual({
      partnerEvaluations: every,
      partnerEvolution: internal,
      candidateRanking: internal,
      collaborationCaseStats: every,
      indicatorSeries: every,
    });
  });
});

describe('metrics on the seeded dataset', () => {
  let pool: pg.Pool;
  beforeAll(async () => {
    pool = createPool(await useTestDatabase(), testConfig());
    return () => pool.end();
  });

  it('answer each root field with one statement (two for the case stats)', async () => {
    const cases: Array<[string, number]> = [
      ['{ partnerEvaluations(month: "2026-06") { partnerSlug score tier } }', 1],
      ['{ partnerEvolution(quarter: "2026-Q2") { rank decision } }', 1],
      ['{ candidateRanking { capabilityGap rank slug score } }', 1],
      ['{ collaborationCaseStats { totalCases uplift { family } } }', 2],
      ['{ indicatorSeries { slug points { year } } }', 1],
    ];
    for (const [source, statements] of cases) {
      const ctx = context(pool, Role.ADMIN);
      const res = await run({ source, contextValue: ctx });
      expect(res.errors, source).toBeUndefined();
      const answer = Object.values(res.data as object)[0];
      expect(Array.isArray(answer) ? answer.length : answer.totalCases, source).toBeGreaterThan(0);
      expect(ctx.exec.statements, source).toBe(statements);
    }
  });

  it('mark the top 20% KEEP and the bottom 10% EXIT among the seeded partners with enough orders', async () => {
    const res = await run({ source: '{ partnerEvolution(quarter: "2026-Q2") { rank rankedCount eligibleCount decision } }', contextValue: context(pool, Role.ADMIN) });
    const rows = (res.data as any).partnerEvolution as Array<{ rank: number; rankedCount: number; eligibleCount: number; decision: string }>;
    expect(rows[0]!.rankedCount).toBe(rows.length);
    const n = rows.filter((r) => r.decision !== 'NOT_ENOUGH_DATA').length;
    expect(rows[0]!.eligibleCount).toBe(n);
    expect(rows.filter((r) => r.decision === 'KEEP')).toHaveLength(Math.ceil(n * 0.2 - 1e-9));
    expect(rows.filter((r) => r.decision === 'EXIT')).toHaveLength(Math.floor(n * 0.1 + 1e-9));
  });
});
