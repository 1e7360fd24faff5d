import { ID, Int } from 'type-graphql';
import { SettlementModel } from '../agreements/agreement.enums';
import { Projection, SortDirection } from '../../graphql/projection';
import { DateScalar, MoneyScalar } from '../../graphql/scalars';
import { Tier } from '../../permissions/tier';
import { TierField } from '../../permissions/tier-field';
import { PartnerType } from '../partners/partner.type';

const { PUBLIC } = Tier;

@Projection('Settlement', { table: 'settlement', keys: ['partner_id'], defaultOrder: [{ month: SortDirection.DESC }], description: 'A partner’s settlement for one month' })
export class SettlementType {
  @TierField(PUBLIC, () => ID, { filter: 'id', sortable: true }) id!: string;
  @TierField(PUBLIC, () => DateScalar, { filter: 'date', sortable: true, description: 'First day of the month' }) month!: string;
  @TierField(PUBLIC, () => SettlementModel, { filter: { enum: SettlementModel }, sortable: true }) model!: SettlementModel;
  @TierField(PUBLIC, () => Int, { filter: 'int', sortable: true }) orderCount!: number;
  @TierField(PUBLIC, () => MoneyScalar, { column: 'gross_minor', filter: 'money', sortable: true }) gross!: string;
  @TierField(PUBLIC, () => MoneyScalar, { column: 'partner_share_minor', filter: 'money', sortable: true }) partnerShare!: string;
  @TierField(PUBLIC, () => MoneyScalar, { column: 'platform_share_minor', filter: 'money', sortable: true }) platformShare!: string;
  @TierField(PUBLIC, () => MoneyScalar, { column: 'margin_minor', filter: 'money', sortable: true, description: 'Platform margin on the month’s cost-plus orders (amount - cost, negative below cost), part of platformShare' }) margin!: string;

  @TierField(PUBLIC, () => PartnerType, { resolved: true }) partner!: unknown;
}
