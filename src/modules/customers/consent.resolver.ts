// Consent, set by the platform's consent system with an operator key.
import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { one } from '../../db/loaders';
import { Payload } from '../../graphql/payload';
import { Access } from '../../graphql/root-field';
import { EXPECTED_VERSION, WriteInput } from '../../graphql/write-input';
import { Tier } from '../../permissions/tier';
import { OPERATORS } from '../../permissions/write-roles';
import type { Context } from '../../server/context';
import { setCustomerConsent, type ConsentInput } from './consent.service';
import { CustomerType } from './customer.type';

const SetCustomerConsentInput = WriteInput('SetCustomerConsentInput', {
  control: {
    customerId: { type: () => ID, nullable: false, description: 'The customer id as your key sees it (a pseudonym for operators)' },
    expectedVersion: EXPECTED_VERSION,
  },
  from: CustomerType,
  fields: ['consentDataSharing'],
  required: ['consentDataSharing'],
});
const CustomerConsentPayload = Payload('CustomerConsentPayload', { customer: { type: () => CustomerType, tier: Tier.ANONYMIZED } });

@Resolver()
export class ConsentResolver {
  @Mutation(() => CustomerConsentPayload, { description: 'Give or withdraw consent; partners see the change on their very next request' })
  @Access(...OPERATORS)
  async setCustomerConsent(@Arg('input', () => SetCustomerConsentInput) input: ConsentInput, @Ctx() ctx: Context) {
    return { customer: await one(CustomerType, await setCustomerConsent(input, ctx), ctx) };
  }
}
