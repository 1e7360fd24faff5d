import { ID, Int } from 'type-graphql';
import { Projection, SortDirection } from '../../graphql/projection';
import { DateScalar, DecimalScalar, MoneyScalar } from '../../graphql/scalars';
import { Tier } from '../../permissions/tier';
import { TierField } from '../../permissions/tier-field';
import { GrantedTier, PricingModel, SettlementModel } from './agreement.enums';
import { PartnerType } from '../partners/partner.type';

const { PUBLIC } = Tier;

@Projection('Agreement', { table: 'agreement', keys: ['partner_id'], defaultOrder: [{ validFrom: SortDirection.DESC }], description: 'The terms between the platform and one partner' })
export class AgreementType {
  @TierField(PUBLIC, () => ID, { filter: 'id', sortable: true }) id!: string;
  @TierField(PUBLIC, () => Int, { filter: 'int', sortable: true, description: 'Promised response time' }) slaResponseMinutes!: number;
  @TierField(PUBLIC, () => String) serviceStandard!: string;
  @TierField(PUBLIC, () => PricingModel, { filter: { enum: PricingModel } }) pricingModel!: PricingModel;
  @TierField(PUBLIC, () => MoneyScalar, { column: 'price_minor', description: 'Per use, month or year, by pricingModel' }) price!: string;
  @TierField(PUBLIC, () => SettlementModel, { filter: { enum: SettlementModel }, sortable: true }) settlementModel!: SettlementModel;
  @TierField(PUBLIC, () => DecimalScalar, { nullable: true, description: 'Platform commission per order, 0-1' }) commissionRate!: string | null;
  @TierField(PUBLIC, () => DecimalScalar, { nullable: true, description: 'Platform share of revenue, 0-1' }) revenueShareRate!: string | null;
  @TierField(PUBLIC, () => MoneyScalar, { nullable: true, column: 'monthly_fee_minor' }) monthlyFee!: string | null;
  @TierField(PUBLIC, () => GrantedTier, { filter: { enum: GrantedTier }, description: 'Highest data tier the partner may read' }) dataTier!: GrantedTier;
  @TierField(PUBLIC, () => Boolean, { filter: 'boolean' }) exclusive!: boolean;
  @TierField(PUBLIC, () => String) liability!: string;
  @TierField(PUBLIC, () => DateScalar, { filter: 'date', sortable: true }) validFrom!: string;
  @TierField(PUBLIC, () => DateScalar, { nullable: true, filter: 'date' }) validTo!: string | null;
  @TierField(PUBLIC, () => Int, { nullable: true, description: 'Quota units per minute for each key of the partner (null: the default for partners)' }) rateLimitPerMinute!: number | null;
  @TierField(PUBLIC, () => Int, { nullable: true, description: 'Quota units per UTC day for each key of the partner (null: the default for partners)' }) dailyQuota!: number | null;

  @TierField(PUBLIC, () => PartnerType, { resolved: true }) partner!: unknown;
}
