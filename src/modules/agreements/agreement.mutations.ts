// Agreements for operators: sign, amend (a new version from a date), terminate.
import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { one } from '../../db/loaders';
import { Payload } from '../../graphql/payload';
import { Access } from '../../graphql/root-field';
import { DateScalar } from '../../graphql/scalars';
import { EXPECTED_VERSION, WriteInput } from '../../graphql/write-input';
import { OPERATORS } from '../../permissions/write-roles';
import type { Context } from '../../server/context';
import { amendAgreement, signAgreement, terminateAgreement, type Amendment, type Signing, type Termination } from './agreement.service';
import { AgreementType } from './agreement.type';

const TERMS = ['slaResponseMinutes', 'serviceStandard', 'pricingModel', 'price', 'settlementModel', 'commissionRate', 'revenueShareRate', 'monthlyFee', 'dataTier', 'exclusive', 'liability', 'rateLimitPerMinute', 'dailyQuota', 'persistedOnly', 'privacyEpsilon'];

const SignAgreementInput = WriteInput('SignAgreementInput', {
  control: { partnerId: { type: () => ID, nullable: false } },
  from: AgreementType,
  fields: [...TERMS, 'validFrom', 'validTo'],
  required: ['slaResponseMinutes', 'pricingModel', 'price', 'settlementModel', 'validFrom'],
});
const AmendAgreementInput = WriteInput('AmendAgreementInput', {
  description: 'The terms that change; the others carry over from the version amended',
  control: {
    id: { type: () => ID, nullable: false, description: 'The version in force to amend' },
    expectedVersion: EXPECTED_VERSION,
    effectiveFrom: { type: () => DateScalar, nullable: false, description: 'First day of the new version; the amended one ends the day before' },
  },
  from: AgreementType,
  fields: TERMS,
});
const TerminateAgreementInput = WriteInput('TerminateAgreementInput', {
  control: {
    id: { type: () => ID, nullable: false },
    expectedVersion: EXPECTED_VERSION,
    endDate: { type: () => DateScalar, description: 'Last day in force (default today)' },
    reason: { type: () => String, nullable: false },
  },
});

const AgreementPayload = Payload('AgreementPayload', { agreement: { type: () => AgreementType } });
const AmendAgreementPayload = Payload('AmendAgreementPayload', {
  agreement: { type: () => AgreementType, description: 'The new version' },
  previous: { type: () => AgreementType, description: 'The amended version, now ending the day before' },
});

@Resolver()
export class AgreementMutations {
  @Mutation(() => AgreementPayload, { description: 'Sign an agreement with a partner: SLA, pricing, settlement, data tier, liability, exclusivity' })
  @Access(...OPERATORS)
  async signAgreement(@Arg('input', () => SignAgreementInput) input: Signing, @Ctx() ctx: Context) {
    return { agreement: await one(AgreementType, await signAgreement(input, ctx), ctx) };
  }

  @Mutation(() => AmendAgreementPayload, { description: 'A new version of an agreement from a date; the old one stays in the history' })
  @Access(...OPERATORS)
  async amendAgreement(@Arg('input', () => AmendAgreementInput) input: Amendment, @Ctx() ctx: Context) {
    const { id, previousId } = await amendAgreement(input, ctx);
    return { agreement: await one(AgreementType, id, ctx), previous: await one(AgreementType, previousId, ctx) };
  }

  @Mutation(() => AgreementPayload, { description: 'End an agreement (today, or on a given last day)' })
  @Access(...OPERATORS)
  async terminateAgreement(@Arg('input', () => TerminateAgreementInput) input: Termination, @Ctx() ctx: Context) {
    return { agreement: await one(AgreementType, await terminateAgreement(input, ctx), ctx) };
  }
}
