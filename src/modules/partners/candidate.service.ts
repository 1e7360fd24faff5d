// Candidates: listed per capability gap, screened with the four component scores (the
// weighted score is computed by the screening rule, src/metrics/screening), then onboarded.
import { idArgument } from '../../db/loaders';
import type { Context } from '../../server/context';
import { notFound } from '../../writes/errors';
import { checkVersion, columnsFrom, insertRow, lockRow, recordChange, unique, updateRow } from '../../writes/rows';
import { list, range, slug, text } from '../../writes/validate';
import { CandidatePartnerType } from './candidate.type';
import type { PartnerCategory } from './partner.enums';

export interface NewCandidate {
  slug: string;
  name: string;
  category: PartnerCategory;
  industry: string;
  capabilityGap: string;
  cities?: string[] | null;
}

export async function createCandidate(input: NewCandidate, ctx: Context): Promise<number> {
  const values = columnsFrom(CandidatePartnerType, {
    ...input,
    slug: slug('input.slug', input.slug),
    name: text('input.name', input.name, { required: true, max: 200 }),
    industry: text('input.industry', input.industry, { required: true, max: 200 }),
    capabilityGap: text('input.capabilityGap', input.capabilityGap, { required: true, max: 100 }),
    cities: list('input.cities', input.cities) ?? [],
  });
  const id = await unique('input.slug', `A candidate with slug "${input.slug}" exists`, () => insertRow(ctx, 'candidate_partner', values));
  await recordChange(CandidatePartnerType, ctx, id, null);
  return id;
}

export interface Screening {
  id: string;
  expectedVersion?: number | null;
  serviceQuality: string;
  coverage: string;
  cost: string;
  integration: string;
}

export async function screenCandidate(input: Screening, ctx: Context): Promise<number> {
  for (const k of ['serviceQuality', 'coverage', 'cost', 'integration'] as const) range(`input.${k}`, input[k], 0, 100);
  const id = idArgument(CandidatePartnerType, input.id, ctx);
  const before = await lockRow(CandidatePartnerType, id, ctx);
  if (!before) throw notFound('candidate');
  checkVersion(before, input.expectedVersion);
  const values = columnsFrom(CandidatePartnerType, input as unknown as Record<string, unknown>);
  values.set('screened_at', new Date());
  await updateRow(ctx, 'candidate_partner', before.id, values);
  await recordChange(CandidatePartnerType, ctx, before.id, before);
  return before.id;
}
