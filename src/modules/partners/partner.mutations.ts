// Candidates, onboarding and the partner lifecycle, for operators. Thin: input in, service
// call, the written rows read back (in the transaction) as the caller's schema shows them.
import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import { one } from '../../db/loaders';
import { sql } from '../../db/sql';
import { Payload } from '../../graphql/payload';
import { Access } from '../../graphql/root-field';
import { DateScalar } from '../../graphql/scalars';
import { EXPECTED_VERSION, WriteInput } from '../../graphql/write-input';
import { OPERATORS } from '../../permissions/write-roles';
import type { Context } from '../../server/context';
import { evaluateQualityMonth } from '../../metrics/quality/consequences';
import { invalid } from '../../writes/errors';
import { createCandidate, screenCandidate, type NewCandidate, type Screening } from './candidate.service';
import { CandidatePartnerType } from './candidate.type';
import { changeStatus, onboardPartner, type Onboarding, type StatusInput, type Transition } from './lifecycle.service';
import { PartnerStatusChangeType } from './partner-status-change.type';
import { PartnerType } from './partner.type';

const rowId = (what: string) => ({ type: () => ID, nullable: false, description: `The ${what}` });
const reason = { type: () => String, nullable: false, description: 'Why (kept in the partner’s status history and the ledger)' };

const CreateCandidateInput = WriteInput('CreateCandidateInput', {
  from: CandidatePartnerType,
  fields: ['slug', 'name', 'category', 'industry', 'capabilityGap', 'cities'],
  required: ['slug', 'name', 'category', 'industry', 'capabilityGap'],
});
const ScreenCandidateInput = WriteInput('ScreenCandidateInput', {
  description: 'The four screening inputs, each 0-100; the weighted score follows the configured weights',
  control: { id: rowId('candidate'), expectedVersion: EXPECTED_VERSION },
  from: CandidatePartnerType,
  fields: ['serviceQuality', 'coverage', 'cost', 'integration'],
  required: ['serviceQuality', 'coverage', 'cost', 'integration'],
});
const OnboardPartnerInput = WriteInput('OnboardPartnerInput', {
  description: 'Name, category, industry and cities come from the candidate',
  control: { candidateId: rowId('screened candidate'), expectedVersion: EXPECTED_VERSION },
  from: PartnerType,
  fields: ['slug', 'nameEn', 'serviceTypes', 'apiOpenness', 'description'],
  required: ['nameEn'],
});
const StatusChangeInput = WriteInput('PartnerStatusInput', {
  control: { id: rowId('partner'), expectedVersion: EXPECTED_VERSION, reason },
});
const EvaluateQualityInput = WriteInput('EvaluateQualityTiersInput', {
  control: { month: { type: () => DateScalar, nullable: false, description: 'First day of the month to evaluate, e.g. "2026-10-01"' } },
});

const CandidatePayload = Payload('CandidatePayload', { candidate: { type: () => CandidatePartnerType } });
const PartnerPayload = Payload('PartnerPayload', { partner: { type: () => PartnerType } });
const OnboardPartnerPayload = Payload('OnboardPartnerPayload', { partner: { type: () => PartnerType }, candidate: { type: () => CandidatePartnerType } });
const QualityPayload = Payload('EvaluateQualityTiersPayload', {
  partnersEvaluated: { type: () => Int, description: 'Partners whose latest evaluated month is this one' },
  statusChanges: { type: () => [PartnerStatusChangeType], description: 'The status changes the quality rules made' },
});

@Resolver()
export class PartnerMutations {
  @Mutation(() => CandidatePayload, { description: 'List a candidate for a capability gap (screen it next)' })
  @Access(...OPERATORS)
  async createCandidate(@Arg('input', () => CreateCandidateInput) input: NewCandidate, @Ctx() ctx: Context) {
    return { candidate: await one(CandidatePartnerType, await createCandidate(input, ctx), ctx) };
  }

  @Mutation(() => CandidatePayload, { description: 'Record the four screening scores of a candidate' })
  @Access(...OPERATORS)
  async screenCandidate(@Arg('input', () => ScreenCandidateInput) input: Screening, @Ctx() ctx: Context) {
    return { candidate: await one(CandidatePartnerType, await screenCandidate(input, ctx), ctx) };
  }

  @Mutation(() => OnboardPartnerPayload, { description: 'Make a screened candidate an ACTIVE partner (sign its agreement and create its key next)' })
  @Access(...OPERATORS)
  async onboardPartner(@Arg('input', () => OnboardPartnerInput) input: Onboarding, @Ctx() ctx: Context) {
    const { partnerId, candidateId } = await onboardPartner(input, ctx);
    return { partner: await one(PartnerType, partnerId, ctx), candidate: await one(CandidatePartnerType, candidateId, ctx) };
  }

  @Mutation(() => PartnerPayload, { description: 'ACTIVE -> SUSPENDED: the partner keeps its keys and catalogue but reads no customer data' })
  @Access(...OPERATORS)
  suspendPartner(@Arg('input', () => StatusChangeInput) input: StatusInput, @Ctx() ctx: Context) {
    return this.change(input, 'suspend', ctx);
  }

  @Mutation(() => PartnerPayload, { description: 'SUSPENDED -> ACTIVE' })
  @Access(...OPERATORS)
  reinstatePartner(@Arg('input', () => StatusChangeInput) input: StatusInput, @Ctx() ctx: Context) {
    return this.change(input, 'reinstate', ctx);
  }

  @Mutation(() => PartnerPayload, { description: 'End the cooperation: agreements end today, every key of the partner is revoked' })
  @Access(...OPERATORS)
  exitPartner(@Arg('input', () => StatusChangeInput) input: StatusInput, @Ctx() ctx: Context) {
    return this.change(input, 'exit', ctx);
  }

  @Mutation(() => QualityPayload, { description: 'Compute the quality tiers of a month and apply their consequences (suspension, exit, recovery)' })
  @Access(...OPERATORS)
  async evaluateQualityTiers(@Arg('input', () => EvaluateQualityInput) input: { month: string }, @Ctx() ctx: Context) {
    if (!input.month.endsWith('-01')) throw invalid('input.month', 'month must be the first day of a month, e.g. "2026-10-01"');
    const { evaluated, changed } = await evaluateQualityMonth(input.month, ctx);
    const changes = await ctx.exec.rows<{ id: number }>(
      sql`select id from partner_status_change where partner_id = any(${changed}::int[]) and month = ${input.month}::date order by id`,
    );
    return { partnersEvaluated: evaluated, statusChanges: (await Promise.all(changes.map((c) => one(PartnerStatusChangeType, Number(c.id), ctx)))).filter(Boolean) };
  }

  private async change(input: StatusInput, kind: Transition, ctx: Context) {
    return { partner: await one(PartnerType, await changeStatus(input, kind, ctx), ctx) };
  }
}
