import { OPERATORS } from '../../permissions/write-roles';
import { ID } from 'type-graphql';
import { Projection, SortDirection } from '../../graphql/projection';
import { DateTimeScalar } from '../../graphql/scalars';
import { Tier } from '../../permissions/tier';
import { TierField } from '../../permissions/tier-field';
import { ComplaintCategory } from './order.enums';
import { CustomerType } from '../customers/customer.type';
import { PartnerType } from '../partners/partner.type';
import { ServiceOrderType } from './service-order.type';

const { PUBLIC, ANONYMIZED } = Tier;

@Projection('Complaint', { table: 'complaint', keys: ['order_id', 'partner_id', 'customer_id'], defaultOrder: [{ createdAt: SortDirection.DESC }], customerRows: true, description: 'A customer complaint about an order' })
export class ComplaintType {
  @TierField(PUBLIC, () => ID, { filter: 'id', sortable: true }) id!: string;
  @TierField(PUBLIC, () => ComplaintCategory, { write: OPERATORS, filter: { enum: ComplaintCategory }, sortable: true }) category!: ComplaintCategory;
  @TierField(ANONYMIZED, () => String, { transform: 'drop', write: OPERATORS, description: 'Free text: admins only (null for everyone else)' }) description!: string | null;
  @TierField(PUBLIC, () => Boolean, { filter: 'boolean' }) resolved!: boolean;
  @TierField(PUBLIC, () => DateTimeScalar, { filter: 'datetime', sortable: true }) createdAt!: Date;
  @TierField(PUBLIC, () => DateTimeScalar, { nullable: true, filter: 'datetime' }) resolvedAt!: Date | null;

  @TierField(PUBLIC, () => ServiceOrderType, { resolved: true }) order!: unknown;
  @TierField(PUBLIC, () => PartnerType, { resolved: true }) partner!: unknown;
  @TierField(ANONYMIZED, () => CustomerType, { transform: 'none', resolved: true }) customer!: unknown;
}
