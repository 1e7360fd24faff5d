// The terms of an agreement (SLA, pricing, settlement, data tier, liability, exclusivity), for a
// signature or an amendment; the caller decides what the values become.
import type { GrantedTier, PricingModel, SettlementModel } from '../../generated/graphql';
import { label } from '../format';
import { rateField, type AgreementDraft } from './agreement-draft';

const PRICING: PricingModel[] = ['PER_USE', 'MONTHLY', 'YEARLY'];
const SETTLEMENT: SettlementModel[] = ['COMMISSION', 'REVENUE_SHARE', 'PLATFORM_FEE'];
const TIERS: GrantedTier[] = ['PUBLIC', 'ANONYMIZED'];
const RATE_LABEL = { commissionRate: 'Commission rate (0-1)', revenueShareRate: 'Revenue share (0-1)', monthlyFee: 'Monthly fee (CNY)' } as const;

export function AgreementFields({ draft, onChange }: { draft: AgreementDraft; onChange: (d: AgreementDraft) => void }) {
  const set = <K extends keyof AgreementDraft>(k: K, v: AgreementDraft[K]) => onChange({ ...draft, [k]: v });
  const rate = rateField(draft.settlementModel);
  return (
    <div className="ec-grid-form">
      <label className="ec-field">
        <span>SLA response (minutes)</span>
        <input name="slaResponseMinutes" inputMode="numeric" value={draft.slaResponseMinutes} onChange={(e) => set('slaResponseMinutes', e.target.value)} required />
      </label>
      <label className="ec-field">
        <span>Service standard</span>
        <input name="serviceStandard" value={draft.serviceStandard} onChange={(e) => set('serviceStandard', e.target.value)} />
      </label>
      <label className="ec-field">
        <span>Pricing</span>
        <select name="pricingModel" value={draft.pricingModel} onChange={(e) => set('pricingModel', e.target.value as PricingModel)}>
          {PRICING.map((p) => (
            <option key={p} value={p}>
              {label(p)}
            </option>
          ))}
        </select>
      </label>
      <label className="ec-field">
        <span>Price (CNY)</span>
        <input name="price" inputMode="decimal" value={draft.price} onChange={(e) => set('price', e.target.value)} placeholder="120.00" required />
      </label>
      <label className="ec-field">
        <span>Settlement</span>
        <select name="settlementModel" value={draft.settlementModel} onChange={(e) => set('settlementModel', e.target.value as SettlementModel)}>
          {SETTLEMENT.map((s) => (
            <option key={s} value={s}>
              {label(s)}
            </option>
          ))}
        </select>
      </label>
      <label className="ec-field">
        <span>{RATE_LABEL[rate]}</span>
        <input name={rate} inputMode="decimal" value={draft[rate]} onChange={(e) => set(rate, e.target.value)} />
      </label>
      <label className="ec-field">
        <span>Data tier granted</span>
        <select name="dataTier" value={draft.dataTier} onChange={(e) => set('dataTier', e.target.value as GrantedTier)}>
          {TIERS.map((t) => (
            <option key={t} value={t}>
              {label(t)}
            </option>
          ))}
        </select>
      </label>
      <label className="ec-field">
        <span>Privacy budget ε (default 1)</span>
        <input name="privacyEpsilon" inputMode="decimal" value={draft.privacyEpsilon} onChange={(e) => set('privacyEpsilon', e.target.value)} />
      </label>
      <label className="ec-field ec-wide">
        <span>Liability</span>
        <input name="liability" value={draft.liability} onChange={(e) => set('liability', e.target.value)} />
      </label>
      <label className="ec-check">
        <input type="checkbox" name="exclusive" checked={draft.exclusive} onChange={(e) => set('exclusive', e.target.checked)} /> Exclusive
      </label>
    </div>
  );
}
