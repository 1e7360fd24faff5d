import { ID, Int } from 'type-graphql';
import { CATALOGUE_WRITERS } from '../../permissions/write-roles';
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
  @TierField(PUBLIC, () => String, { write: CATALOGUE_WRITERS, filter: 'string', sortable: true }) serviceType!: string;
  @TierField(PUBLIC, () => PriceUnit, { write: CATALOGUE_WRITERS, filter: { enum: PriceUnit } }) unit!: PriceUnit;
  @TierField(PUBLIC, () => MoneyScalar, { write: CATALOGUE_WRITERS, column: 'price_minor', filter: 'money', sortable: true }) price!: string;
  @TierField(PUBLIC, () => Int, { filter: 'int', description: 'Bumped by every change; send it back as expectedVersion to update safely' }) version!: number;

  @TierField(PUBLIC, () => PartnerType, { resolved: true }) partner!: unknown;
}
