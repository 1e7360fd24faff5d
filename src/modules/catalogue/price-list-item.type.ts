import { ID } from 'type-graphql';
import { Projection } from '../../graphql/projection';
import { MoneyScalar } from '../../graphql/scalars';
import { Tier } from '../../permissions/tier';
import { TierField } from '../../permissions/tier-field';
import { PriceUnit } from './catalogue.enums';
import { PartnerType } from '../partners/partner.type';

const { PUBLIC } = Tier;

@Projection('PriceListItem', { table: 'price_list_item', keys: ['partner_id'], description: 'A partner’s published price for one service' })
export class PriceListItemType {
  @TierField(PUBLIC, () => ID, { filter: 'id', sortable: true }) id!: string;
  @TierField(PUBLIC, () => String, { filter: 'string', sortable: true }) serviceType!: string;
  @TierField(PUBLIC, () => PriceUnit, { filter: { enum: PriceUnit } }) unit!: PriceUnit;
  @TierField(PUBLIC, () => MoneyScalar, { column: 'price_minor', filter: 'money', sortable: true }) price!: string;

  @TierField(PUBLIC, () => PartnerType, { resolved: true }) partner!: unknown;
}
