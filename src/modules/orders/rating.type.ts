import { OPERATORS } from '../../permissions/write-roles';
import { ID, Int } from 'type-graphql';
import { Projection, SortDirection } from '../../graphql/projection';
import { DateTimeScalar } from '../../graphql/scalars';
import { Tier } from '../../permissions/tier';
import { TierField } from '../../permissions/tier-field';
import { CustomerType } from '../customers/customer.type';
import { PartnerType } from '../partners/partner.type';
import { ServiceOrderType } from './service-order.type';

const { PUBLIC, ANONYMIZED } = Tier;

@Projection('Rating', { table: 'rating', keys: ['order_id', 'partner_id', 'customer_id'], defaultOrder: [{ createdAt: SortDirection.DESC }], customerRows: true, description: 'A customer’s rating of an order, 1-5' })
export class RatingType {
  @TierField(PUBLIC, () => ID, { filter: 'id', sortable: true }) id!: string;
  @TierField(PUBLIC, () => Int, { write: OPERATORS, filter: 'int', sortable: true, description: '1-5 stars' }) score!: number;
  @TierField(ANONYMIZED, () => String, { transform: 'drop', write: OPERATORS, description: 'Free text: admins only (null for everyone else)' }) comment!: string | null;
  @TierField(PUBLIC, () => DateTimeScalar, { filter: 'datetime', sortable: true }) createdAt!: Date;

  @TierField(PUBLIC, () => ServiceOrderType, { resolved: true }) order!: unknown;
  @TierField(PUBLIC, () => PartnerType, { resolved: true }) partner!: unknown;
  @TierField(ANONYMIZED, () => CustomerType, { transform: 'none', resolved: true }) customer!: unknown;
}
