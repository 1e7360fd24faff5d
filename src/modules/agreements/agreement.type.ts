import { ID, Int } from 'type-graphql';
import { Projection, SortDirection } from '../../graphql/projection';
import { DateScalar, DecimalScalar, MoneyScalar } from '../../graphql/scalars';
import { Tier } from '../../permissions/tier';
import { TierField } from '../../permissions/tier-field';
import { OPERATORS } from '../../permissions/write-roles';
import { GrantedTier, PricingModel, SettlementModel } from './agreement.enums';
import { PartnerType } from '../partners/partner.type';

const { PUBLIC } = Tier;

@Projection('Agreement', { table: 'agreement', keys: ['partner_id'], defaultOrder: [{ validFrom: SortDirection.DESC }], description: 'The terms between the platform and one partner' })
export class AgreementType {
  @TierField(PUBLIC, () => ID, { filter: 'id', sortable: true }) id!: string;
  @TierField(PUBLIC, () => Int, { write: OPERATORS, filter: 'int', sortable: true, description: 'Promised response time' }) slaResponseMinutes!: number;
  @TierField(PUBLIC, () => String, { write: OPERATORS }) serviceStandard!: string;
  @TierField(PUBLIC, () => PricingModel, { write: OPERATORS, filter: { enum: PricingModel } }) pricingModel!: PricingModel;
  @TierField(PUBLIC, () => MoneyScalar, { write: OPERATORS, column: 'price_minor', description: 'Per use, month or year, by pricingModel' }) price!: string;
  @TierField(PUBLIC, () => SettlementModel, { write: OPERATORS, filter: { enum: SettlementModel }, sortable: true }) settlementModel!: SettlementModel;
  @TierField(PUBLIC, () => DecimalScalar, { write: OPERATORS, nullable: true, description: 'Platform commission per order, 0-1' }) commissionRate!: string | null;
  @TierField(PUBLIC, () => DecimalScalar, { write: OPERATORS, nullable: true, description: 'Platform share of revenue, 0-1' }) revenueShareRate!: string | null;
  @TierField(PUBLIC, () => MoneyScalar, { write: OPERATORS, nullable: true, column: 'monthly_fee_minor' }) monthlyFee!: string | null;
  @TierField(PUBLIC, () => GrantedTier, { write: OPERATORS, filter: { enum: GrantedTier }, description: 'Highest data tier the partner may read' }) dataTier!: GrantedTier;
  @TierField(PUBLIC, () => Boolean, { write: OPERATORS, filter: 'boolean' }) exclusive!: boolean;
  @TierField(PUBLIC, () => String, { write: OPERATORS }) liability!: string;
  @TierField(PUBLIC, () => DateScalar, { write: OPERATORS, filter: 'date', sortable: true }) validFrom!: string;
  @TierField(PUBLIC, () => DateScalar, { write: OPERATORS, nullable: true, filter: 'date' }) validTo!: string | null;
  @TierField(PUBLIC, () => Int, { write: OPERATORS, nullable: true, description: 'Quota units per minute for each key of the partner (null: the default for partners)' }) rateLimitPerMinute!: number | null;
  @TierField(PUBLIC, () => Int, { write: OPERATORS, nullable: true, description: 'Quota units per UTC day for each key of the partner (null: the default for partners)' }) dailyQuota!: number | null;
  @TierField(PUBLIC, () => Boolean, { write: OPERATORS, filter: 'boolean', description: 'The partner may execute its registered (persisted) operations only, by id; anything else is refused with PERSISTED_QUERY_REQUIRED' }) persistedOnly!: boolean;
  @TierField(PUBLIC, () => DecimalScalar, { write: OPERATORS, description: 'Privacy budget (epsilon, > 0) of the noisy ecosystem figures the partner sees, per customer and month: smaller is more private and noisier' }) privacyEpsilon!: string;
  @TierField(PUBLIC, () => ID, { nullable: true, description: 'The version this one amends' }) supersedesId!: string | null;
  @TierField(PUBLIC, () => String, { nullable: true }) terminationReason!: string | null;
  @TierField(PUBLIC, () => Int, { filter: 'int', description: 'Bumped by every change; send it back as expectedVersion to update safely' }) version!: number;

  @TierField(PUBLIC, () => PartnerType, { resolved: true }) partner!: unknown;
}
