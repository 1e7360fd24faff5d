// Agreements are versioned by date: signing adds the first version, amending adds a new
// version effective from a date (the previous one ends the day before and stays in the
// history), terminating ends the version in force. The version in force on a date decides the
// data tier, quotas and settlement of that date (auth/authenticate.ts, metrics/settlements).
import { idArgument } from '../../db/loaders';
import { sql } from '../../db/sql';
import type { Context } from '../../server/context';
import { invalid, notFound, writeError } from '../../writes/errors';
import { checkVersion, columnsFrom, insertRow, lockRow, recordChange, updateRow, type Snapshot } from '../../writes/rows';
import { addDays, range, text } from '../../writes/validate';
import { PartnerStatus } from '../partners/partner.enums';
import { PartnerType } from '../partners/partner.type';
import { GrantedTier, PricingModel, SettlementModel } from './agreement.enums';
import { AgreementType } from './agreement.type';

export interface Terms {
  slaResponseMinutes?: number | null;
  serviceStandard?: string | null;
  pricingModel?: PricingModel | null;
  price?: string | null;
  settlementModel?: SettlementModel | null;
  commissionRate?: string | null;
  revenueShareRate?: string | null;
  monthlyFee?: string | null;
  dataTier?: GrantedTier | null;
  exclusive?: boolean | null;
  liability?: string | null;
  rateLimitPerMinute?: number | null;
  dailyQuota?: number | null;
  /** Allow-listed (persisted) operations only (src/persisted). */
  persistedOnly?: boolean | null;
  /** Privacy budget of the partner's noisy ecosystem figures (src/metrics/ecosystem/noise.ts). */
  privacyEpsilon?: string | null;
}

/** The complete terms of a version, checked together (the settlement model needs its rate or fee). */
function checkTerms(t: Terms): void {
  range('input.slaResponseMinutes', t.slaResponseMinutes, 1, 100_000);
  range('input.commissionRate', t.commissionRate, 0, 1);
  range('input.revenueShareRate', t.revenueShareRate, 0, 1);
  range('input.price', t.price, 0, 1e13);
  range('input.monthlyFee', t.monthlyFee, 0, 1e13);
  range('input.rateLimitPerMinute', t.rateLimitPerMinute, 1, 2_000_000_000);
  range('input.dailyQuota', t.dailyQuota, 1, 2_000_000_000);
  text('input.serviceStandard', t.serviceStandard, { max: 2000 });
  text('input.liability', t.liability, { max: 2000 });
  if (t.persistedOnly === null) throw invalid('input.persistedOnly', 'persistedOnly must be true or false');
  if (t.privacyEpsilon === null) throw invalid('input.privacyEpsilon', 'privacyEpsilon must be a number above 0');
  range('input.privacyEpsilon', t.privacyEpsilon, 0.01, 100);
  const need: Record<SettlementModel, [keyof Terms, string]> = {
    COMMISSION: ['commissionRate', 'a COMMISSION agreement needs commissionRate'],
    REVENUE_SHARE: ['revenueShareRate', 'a REVENUE_SHARE agreement needs revenueShareRate'],
    PLATFORM_FEE: ['monthlyFee', 'a PLATFORM_FEE agreement needs monthlyFee'],
  };
  const [field, message] = need[t.settlementModel!];
  if (t[field] === null || t[field] === undefined) throw invalid(`input.${field}`, message);
}

/** No two versions of one partner's agreements may be in force on the same day. */
async function checkNoOverlap(ctx: Context, partnerId: number, from: string, to: string | null, except?: number): Promise<void> {
  const clash = await ctx.exec.rows<{ id: number }>(sql`select id from agreement where partner_id = ${partnerId}
      and id <> ${except ?? -1} and valid_from <= coalesce(${to}::date, 'infinity') and coalesce(valid_to, 'infinity') >= ${from}::date limit 1`);
  if (clash[0]) {
    throw writeError('INVALID_STATE', `Agreement ${clash[0].id} is in force in that period: amend or terminate it instead`, {
      field: 'input.validFrom',
      agreementId: String(clash[0].id),
    });
  }
}

export interface Signing extends Terms {
  partnerId: string;
  slaResponseMinutes: number;
  pricingModel: PricingModel;
  price: string;
  settlementModel: SettlementModel;
  validFrom: string;
  validTo?: string | null;
}

export async function signAgreement(input: Signing, ctx: Context): Promise<number> {
  checkTerms(input);
  if (input.validTo && input.validTo < input.validFrom) throw invalid('input.validTo', 'validTo must not be before validFrom');
  const partner = await lockRow(PartnerType, idArgument(PartnerType, input.partnerId, ctx), ctx);
  if (!partner) throw notFound('partner', 'input.partnerId');
  if (partner.status === PartnerStatus.EXITED) throw writeError('INVALID_STATE', 'The partner has exited: onboard it again as a new partner', { field: 'input.partnerId' });
  await checkNoOverlap(ctx, partner.id, input.validFrom, input.validTo ?? null);
  const values = columnsFrom(AgreementType, input as unknown as Record<string, unknown>);
  values.set('partner_id', partner.id);
  const id = await insertRow(ctx, 'agreement', values);
  await recordChange(AgreementType, ctx, id, null);
  return id;
}

export interface Amendment extends Terms {
  id: string;
  expectedVersion?: number | null;
  effectiveFrom: string;
}

/** Stored terms of a version, as input values, for the next version to start from. */
function termsOf(row: Snapshot): Terms {
  const t: Record<string, unknown> = {};
  for (const k of ['slaResponseMinutes', 'serviceStandard', 'pricingModel', 'settlementModel', 'commissionRate', 'revenueShareRate', 'dataTier', 'exclusive', 'liability', 'rateLimitPerMinute', 'dailyQuota', 'persistedOnly', 'privacyEpsilon']) t[k] = row[k];
  return t as Terms;
}

export async function amendAgreement(input: Amendment, ctx: Context): Promise<{ id: number; previousId: number }> {
  const old = await lockRow(AgreementType, idArgument(AgreementType, input.id, ctx), ctx, ['price_minor', 'monthly_fee_minor']);
  if (!old) throw notFound('agreement');
  checkVersion(old, input.expectedVersion);
  const validFrom = String(old.validFrom);
  const validTo = old.validTo === null || old.validTo === undefined ? null : String(old.validTo);
  if (input.effectiveFrom <= validFrom || (validTo !== null && input.effectiveFrom > validTo)) {
    throw invalid('input.effectiveFrom', `effectiveFrom must fall after ${validFrom} and within the version it amends (until ${validTo ?? 'open-ended'})`);
  }
  const given = Object.fromEntries(Object.entries(input).filter(([k, v]) => v !== undefined && !['id', 'expectedVersion', 'effectiveFrom'].includes(k)));
  const next: Terms = { ...termsOf(old), ...given };
  checkTerms(next);
  const values = columnsFrom(AgreementType, { ...next, validFrom: input.effectiveFrom, validTo } as Record<string, unknown>);
  // Money is copied as stored (minor units) unless the amendment names a new amount.
  if (input.price === undefined || input.price === null) values.set('price_minor', old.price_minor);
  if (input.monthlyFee === undefined) values.set('monthly_fee_minor', old.monthly_fee_minor ?? null);
  values.set('partner_id', old.partner_id);
  values.set('supersedes_id', old.id);
  await updateRow(ctx, 'agreement', old.id, new Map([['valid_to', addDays(input.effectiveFrom, -1)]]));
  const id = await insertRow(ctx, 'agreement', values);
  await recordChange(AgreementType, ctx, old.id, old);
  await recordChange(AgreementType, ctx, id, null);
  return { id, previousId: old.id };
}

export interface Termination {
  id: string;
  expectedVersion?: number | null;
  /** Last day in force (default: today). */
  endDate?: string | null;
  reason: string;
}

export async function terminateAgreement(input: Termination, ctx: Context): Promise<number> {
  const reason = text('input.reason', input.reason, { required: true, max: 1000 })!;
  const old = await lockRow(AgreementType, idArgument(AgreementType, input.id, ctx), ctx);
  if (!old) throw notFound('agreement');
  checkVersion(old, input.expectedVersion);
  const today = new Date().toISOString().slice(0, 10);
  const end = input.endDate ?? today;
  const validFrom = String(old.validFrom);
  if (old.validTo !== null && old.validTo !== undefined && String(old.validTo) < end) {
    throw writeError('INVALID_STATE', `The agreement ends on ${String(old.validTo)} already`, { field: 'input.endDate' });
  }
  // A version that has not started yet is ended the day before it would start: never in force.
  const validTo = end < validFrom ? addDays(validFrom, -1) : end;
  await updateRow(ctx, 'agreement', old.id, new Map<string, unknown>([['valid_to', validTo], ['termination_reason', reason]]));
  await recordChange(AgreementType, ctx, old.id, old);
  return old.id;
}
