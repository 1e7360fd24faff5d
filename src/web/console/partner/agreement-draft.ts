// An agreement form's values as typed (strings), and the mutation inputs made from them: a
// signature sends every term given; an amendment only the terms that changed, since the API
// copies the ones it does not name into the new version.
import type { AmendAgreementInput, ConsoleAgreementFieldsFragment, GrantedTier, PricingModel, SettlementModel, SignAgreementInput } from '../../generated/graphql';

export interface AgreementDraft {
  slaResponseMinutes: string;
  serviceStandard: string;
  pricingModel: PricingModel;
  price: string;
  settlementModel: SettlementModel;
  commissionRate: string;
  revenueShareRate: string;
  monthlyFee: string;
  dataTier: GrantedTier;
  exclusive: boolean;
  liability: string;
  privacyEpsilon: string;
}

export const EMPTY_DRAFT: AgreementDraft = {
  slaResponseMinutes: '30',
  serviceStandard: '',
  pricingModel: 'PER_USE',
  price: '',
  settlementModel: 'COMMISSION',
  commissionRate: '0.08',
  revenueShareRate: '',
  monthlyFee: '',
  dataTier: 'PUBLIC',
  exclusive: false,
  liability: '',
  privacyEpsilon: '',
};

export function draftOf(a: ConsoleAgreementFieldsFragment): AgreementDraft {
  return {
    slaResponseMinutes: String(a.slaResponseMinutes),
    serviceStandard: a.serviceStandard,
    pricingModel: a.pricingModel,
    price: a.price,
    settlementModel: a.settlementModel,
    commissionRate: a.commissionRate ?? '',
    revenueShareRate: a.revenueShareRate ?? '',
    monthlyFee: a.monthlyFee ?? '',
    dataTier: a.dataTier,
    exclusive: a.exclusive,
    liability: a.liability,
    privacyEpsilon: a.privacyEpsilon,
  };
}

/** The rate field the settlement model needs (the API refuses the agreement without it). */
export function rateField(model: SettlementModel): 'commissionRate' | 'revenueShareRate' | 'monthlyFee' {
  return model === 'COMMISSION' ? 'commissionRate' : model === 'REVENUE_SHARE' ? 'revenueShareRate' : 'monthlyFee';
}

const text = (v: string) => (v.trim() === '' ? undefined : v.trim());
/** Left to the API to validate, so its INVALID_VALUE names the field. */
const int = (v: string) => (v.trim() === '' ? undefined : Number(v));

export function signInput(partnerId: string, d: AgreementDraft, validFrom: string, validTo: string): SignAgreementInput {
  const rate = rateField(d.settlementModel);
  return {
    partnerId,
    slaResponseMinutes: Number(d.slaResponseMinutes),
    serviceStandard: text(d.serviceStandard),
    pricingModel: d.pricingModel,
    price: d.price.trim(),
    settlementModel: d.settlementModel,
    [rate]: text(d[rate]),
    dataTier: d.dataTier,
    exclusive: d.exclusive,
    liability: text(d.liability),
    privacyEpsilon: text(d.privacyEpsilon),
    validFrom,
    validTo: text(validTo),
  };
}

export function amendInput(current: ConsoleAgreementFieldsFragment, d: AgreementDraft, effectiveFrom: string): AmendAgreementInput {
  const before = draftOf(current);
  const input: AmendAgreementInput = { id: current.id, expectedVersion: current.version, effectiveFrom };
  const changed = <K extends keyof AgreementDraft>(k: K) => d[k] !== before[k];
  if (changed('slaResponseMinutes')) input.slaResponseMinutes = int(d.slaResponseMinutes);
  if (changed('serviceStandard')) input.serviceStandard = d.serviceStandard.trim();
  if (changed('pricingModel')) input.pricingModel = d.pricingModel;
  if (changed('price')) input.price = d.price.trim();
  if (changed('settlementModel')) input.settlementModel = d.settlementModel;
  const rate = rateField(d.settlementModel);
  if (changed(rate) || changed('settlementModel')) input[rate] = text(d[rate]);
  if (changed('dataTier')) input.dataTier = d.dataTier;
  if (changed('exclusive')) input.exclusive = d.exclusive;
  if (changed('liability')) input.liability = d.liability.trim();
  if (changed('privacyEpsilon')) input.privacyEpsilon = text(d.privacyEpsilon);
  return input;
}

/** Which terms an amendment changes, for its confirmation. */
export function changedTerms(input: AmendAgreementInput): string[] {
  return Object.keys(input).filter((k) => !['id', 'expectedVersion', 'effectiveFrom'].includes(k));
}
